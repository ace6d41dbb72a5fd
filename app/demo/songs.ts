// Ground-truth specs of the demo library: twelve short songs whose tempo, meter, key, chords, form,
// key changes and harmonic devices are known exactly, so analysis can be scored against them.
import { parsePitchClass, pitchClassName } from './chords.ts';
import type { PitchClass } from './chords.ts';

export type Mode = 'major' | 'minor';

export interface Key {
  tonic: PitchClass;
  mode: Mode;
}

/**
 * '4/4' and '3/4' count quarter-note beats (4 and 3 a bar); '6/8' counts two dotted-quarter beats a bar,
 * each of three eighth-note pulses. A song's `tempo` is in those counted beats per minute.
 */
export type Meter = '4/4' | '3/4' | '6/8';

export type SectionLabel = 'intro' | 'verse' | 'pre-chorus' | 'chorus' | 'bridge' | 'instrumental' | 'outro';

/** One bar's harmony: one chord for the whole bar, or two chords of half a bar each. */
export type BarChords = string | [string, string];

export interface SectionSpec {
  label: SectionLabel;
  bars: number;
  /** One entry per bar (so `chords.length === bars`). */
  chords: BarChords[];
  /** Overrides of the arrangement the synthesiser gives the label (see synth.ts `STYLES`). */
  arrangement?: SectionArrangement;
}

/** What plays in a section, beyond what its label implies. */
export interface SectionArrangement {
  /** Drums on or off (default: on, in the label's pattern). */
  drums?: boolean;
  /** The melody (the stand-in for a singer) on or off (default: off only in instrumental sections). */
  melody?: boolean;
}

export interface KeyChange {
  /** 1-based bar number of the first bar in the new key. */
  bar: number;
  key: Key;
  /** 'pivot': prepared by a chord common to both keys; 'direct': an unprepared jump (truck-driver). */
  kind: 'pivot' | 'direct';
  /** For a pivot modulation: the pivot chord and its 1-based bar. */
  pivot?: { bar: number; chord: string };
}

/**
 * The harmonic devices the ground truth tracks. Every occurrence in a song is listed:
 * - 'modal-interchange': a chord borrowed from the parallel mode (♭VI, ♭VII, iv … in major).
 * - 'secondary-dominant': a non-diatonic dominant (V/x) resolving to the diatonic chord x.
 * - 'ii-V-I': ii–V–I in the key in force (also a minor iiø–V–i tonicising vi, noted as such).
 * - 'andalusian-cadence': i–♭VII–♭VI–V in minor.
 * - 'I-V-vi-IV': the four-chord (axis) progression starting on I.
 * - 'fifties-progression': I–vi–IV–V.
 * - 'plagal-cadence': IV or iv → I where that I is the last chord of a section.
 * - 'picardy-third': a minor-key passage ending on the major tonic.
 * - 'modulation': a key change (see `keyChange`).
 */
export type DeviceKind =
  | 'modal-interchange'
  | 'secondary-dominant'
  | 'ii-V-I'
  | 'andalusian-cadence'
  | 'I-V-vi-IV'
  | 'fifties-progression'
  | 'plagal-cadence'
  | 'picardy-third'
  | 'modulation';

export interface DeviceSpec {
  kind: DeviceKind;
  /** 1-based bar numbers, inclusive: the first and last bar the device spans. */
  bars: [number, number];
  /** Exactly the chords played in those bars, in order, repeats of one chord merged. */
  chords: string[];
  /** Roman numerals of `chords` in the key in force. */
  numerals: string[];
  note?: string;
}

export interface SongSpec {
  /** Stable slug, unique in the library. */
  id: string;
  title: string;
  artist: string;
  album: string;
  genre: string;
  year: number;
  trackNo: number;
  /** Counted beats per minute (see Meter). */
  tempo: number;
  meter: Meter;
  /** The song's home key: the key it starts in and spends most time in. */
  key: Key;
  sections: SectionSpec[];
  keyChange?: KeyChange;
  devices: DeviceSpec[];
  /** Instruments the synthesiser plays the pad and melody with (default: see `songTimbre`). */
  timbre?: SongTimbre;
}

/** Additive instrument recipes of the synthesiser (see synth.ts). */
export type Timbre = 'organ' | 'piano' | 'strings' | 'pluck';

export interface SongTimbre {
  pad: Timbre;
  melody: Timbre;
}

/** The song's pad and melody instruments: organ pad and piano melody unless the spec says otherwise. */
export function songTimbre(spec: SongSpec): SongTimbre {
  return spec.timbre ?? { pad: 'organ', melody: 'piano' };
}

// ---- helpers --------------------------------------------------------------------------------

/** Key from a tonic name and mode, e.g. key('Bb', 'major'). */
export function key(tonic: string, mode: Mode): Key {
  return { tonic: parsePitchClass(tonic), mode };
}

const FLAT_MAJOR_TONICS = new Set([5, 10, 3, 8, 1, 6]); // F Bb Eb Ab Db Gb
const FLAT_MINOR_TONICS = new Set([2, 7, 0, 5, 10, 3]); // D G C F Bb Eb

/** Readable key name, spelled the usual way: 'Bb major', 'F# minor'. */
export function keyName(k: Key): string {
  const flats = (k.mode === 'major' ? FLAT_MAJOR_TONICS : FLAT_MINOR_TONICS).has(k.tonic);
  return `${pitchClassName(k.tonic, flats)} ${k.mode}`;
}

/** Counted beats per bar (see Meter). */
export function beatsPerBar(meter: Meter): number {
  return meter === '4/4' ? 4 : meter === '3/4' ? 3 : 2;
}

/** Eighth-note pulses per counted beat: 2 in simple meters, 3 in 6/8. */
export function pulsesPerBeat(meter: Meter): number {
  return meter === '6/8' ? 3 : 2;
}

/** Total bars in the song. */
export function songBars(spec: SongSpec): number {
  return spec.sections.reduce((n, s) => n + s.bars, 0);
}

/** Seconds per bar: beats per bar × 60 / tempo. */
export function secondsPerBar(spec: SongSpec): number {
  return (beatsPerBar(spec.meter) * 60) / spec.tempo;
}

/** Song length in seconds: bars × beats per bar × 60 / tempo. */
export function songDurationSeconds(spec: SongSpec): number {
  return songBars(spec) * secondsPerBar(spec);
}

/** The key in force at a 1-based bar. */
export function keyAtBar(spec: SongSpec, bar: number): Key {
  return spec.keyChange && bar >= spec.keyChange.bar ? spec.keyChange.key : spec.key;
}

export interface SectionEvent {
  index: number;
  label: SectionLabel;
  /** 1-based, inclusive. */
  startBar: number;
  endBar: number;
  startSec: number;
  endSec: number;
}

/** Sections with their bar spans and times. */
export function sectionTimeline(spec: SongSpec): SectionEvent[] {
  const barSec = secondsPerBar(spec);
  let bar = 1;
  return spec.sections.map((s, index) => {
    const startBar = bar;
    bar += s.bars;
    return { index, label: s.label, startBar, endBar: bar - 1, startSec: (startBar - 1) * barSec, endSec: (bar - 1) * barSec };
  });
}

export interface ChordEvent {
  symbol: string;
  /** 1-based bar number. */
  bar: number;
  /** 0 for a whole bar or the first half, 1 for the second half. */
  half: 0 | 1;
  /** Fraction of the bar the chord lasts: 1 or 0.5. */
  length: number;
  startSec: number;
  endSec: number;
  section: number;
  label: SectionLabel;
  /** True for the last chord of its section. */
  sectionEnd: boolean;
  key: Key;
}

/** Every chord slot in order with its time span (one per bar, or two per bar for split bars). */
export function chordTimeline(spec: SongSpec): ChordEvent[] {
  const barSec = secondsPerBar(spec);
  const events: ChordEvent[] = [];
  let bar = 1;
  spec.sections.forEach((s, section) => {
    s.chords.forEach((c, i) => {
      const slots = typeof c === 'string' ? [c] : c;
      const length = 1 / slots.length;
      slots.forEach((symbol, h) => {
        const startSec = (bar - 1 + h * length) * barSec;
        events.push({
          symbol,
          bar,
          half: h === 0 ? 0 : 1,
          length,
          startSec,
          endSec: startSec + length * barSec,
          section,
          label: s.label,
          sectionEnd: i === s.chords.length - 1 && h === slots.length - 1,
          key: keyAtBar(spec, bar),
        });
      });
      bar++;
    });
  });
  return events;
}

// ---- the songs ------------------------------------------------------------------------------

/** The built-in demo library. Bar numbers in devices and key changes are 1-based. */
export const DEMO_SONGS: readonly SongSpec[] = [
  {
    // Modal interchange: ♭VI–♭VII–I ("Mario cadence") in the chorus, iv in verse 2 and the outro.
    id: 'borrowed-light',
    timbre: { pad: 'piano', melody: 'organ' },
    title: 'Borrowed Light',
    artist: 'Juniper Vale',
    album: 'Glass Houses',
    genre: 'Indie Pop',
    year: 2014,
    trackNo: 1,
    tempo: 128,
    meter: '4/4',
    key: key('C', 'major'),
    sections: [
      { label: 'intro', bars: 2, chords: ['C', 'G'] }, // 1–2
      { label: 'verse', bars: 4, chords: ['C', 'Em', 'F', 'G'] }, // 3–6
      { label: 'chorus', bars: 4, chords: ['C', 'Ab', 'Bb', 'C'] }, // 7–10
      { label: 'verse', bars: 4, chords: ['C', 'Em', 'Fm', 'G'] }, // 11–14
      { label: 'chorus', bars: 4, chords: ['C', 'Ab', 'Bb', 'C'] }, // 15–18
      { label: 'outro', bars: 2, chords: ['Fm', 'C'] }, // 19–20
    ],
    devices: [
      { kind: 'modal-interchange', bars: [8, 9], chords: ['Ab', 'Bb'], numerals: ['bVI', 'bVII'], note: 'borrowed from C minor, resolving bVI–bVII–I' },
      { kind: 'modal-interchange', bars: [13, 13], chords: ['Fm'], numerals: ['iv'], note: 'minor iv borrowed from C minor' },
      { kind: 'modal-interchange', bars: [16, 17], chords: ['Ab', 'Bb'], numerals: ['bVI', 'bVII'], note: 'borrowed from C minor, resolving bVI–bVII–I' },
      { kind: 'modal-interchange', bars: [19, 19], chords: ['Fm'], numerals: ['iv'], note: 'minor iv borrowed from C minor' },
      { kind: 'plagal-cadence', bars: [19, 20], chords: ['Fm', 'C'], numerals: ['iv', 'I'], note: 'minor plagal cadence ends the song' },
    ],
  },
  {
    // Secondary dominants: V/vi, V/IV and V/V, each resolving.
    id: 'second-wind',
    timbre: { pad: 'organ', melody: 'pluck' },
    title: 'Second Wind',
    artist: 'The Marigold Revue',
    album: 'Sunday Best',
    genre: 'Soul',
    year: 1972,
    trackNo: 3,
    tempo: 120,
    meter: '4/4',
    key: key('G', 'major'),
    sections: [
      { label: 'intro', bars: 2, chords: ['G', 'D7'] }, // 1–2
      { label: 'verse', bars: 4, chords: ['G', 'B7', 'Em', 'G7'] }, // 3–6
      { label: 'chorus', bars: 4, chords: ['C', 'A7', 'D7', 'G'] }, // 7–10
      { label: 'instrumental', bars: 4, chords: ['G', 'B7', 'Em', 'G7'] }, // 11–14: the verse's chords, no melody
      { label: 'chorus', bars: 4, chords: ['C', 'A7', 'D7', 'G'] }, // 15–18
    ],
    devices: [
      { kind: 'secondary-dominant', bars: [4, 5], chords: ['B7', 'Em'], numerals: ['V7/vi', 'vi'] },
      { kind: 'secondary-dominant', bars: [6, 7], chords: ['G7', 'C'], numerals: ['V7/IV', 'IV'] },
      { kind: 'secondary-dominant', bars: [8, 9], chords: ['A7', 'D7'], numerals: ['V7/V', 'V7'] },
      { kind: 'secondary-dominant', bars: [12, 13], chords: ['B7', 'Em'], numerals: ['V7/vi', 'vi'] },
      { kind: 'secondary-dominant', bars: [14, 15], chords: ['G7', 'C'], numerals: ['V7/IV', 'IV'] },
      { kind: 'secondary-dominant', bars: [16, 17], chords: ['A7', 'D7'], numerals: ['V7/V', 'V7'] },
    ],
  },
  {
    // Andalusian cadence i–♭VII–♭VI–V in every verse.
    id: 'sierra-nights',
    timbre: { pad: 'strings', melody: 'pluck' },
    title: 'Sierra Nights',
    artist: 'Lucía Ferrer',
    album: 'Camino',
    genre: 'Flamenco Pop',
    year: 1997,
    trackNo: 5,
    tempo: 116,
    meter: '4/4',
    key: key('A', 'minor'),
    sections: [
      { label: 'intro', bars: 2, chords: ['Am', 'E'] }, // 1–2
      { label: 'verse', bars: 4, chords: ['Am', 'G', 'F', 'E'] }, // 3–6
      { label: 'chorus', bars: 4, chords: ['F', 'Dm', 'E', 'Am'] }, // 7–10
      { label: 'verse', bars: 4, chords: ['Am', 'G', 'F', 'E'] }, // 11–14
      { label: 'chorus', bars: 4, chords: ['F', 'Dm', 'E', 'Am'] }, // 15–18
    ],
    devices: [
      { kind: 'andalusian-cadence', bars: [3, 6], chords: ['Am', 'G', 'F', 'E'], numerals: ['i', 'bVII', 'bVI', 'V'] },
      { kind: 'andalusian-cadence', bars: [11, 14], chords: ['Am', 'G', 'F', 'E'], numerals: ['i', 'bVII', 'bVI', 'V'] },
    ],
  },
  {
    // The four-chord song: I–V–vi–IV in verses and choruses.
    id: 'four-on-the-floor',
    timbre: { pad: 'organ', melody: 'piano' },
    title: 'Four on the Floor',
    artist: 'Neon Harbor',
    album: 'Skyline Radio',
    genre: 'Pop',
    year: 2009,
    trackNo: 2,
    tempo: 130,
    meter: '4/4',
    key: key('D', 'major'),
    sections: [
      { label: 'intro', bars: 2, chords: ['D', 'A'] }, // 1–2
      { label: 'verse', bars: 4, chords: ['D', 'A', 'Bm', 'G'] }, // 3–6
      { label: 'chorus', bars: 4, chords: ['D', 'A', 'Bm', 'G'] }, // 7–10
      { label: 'bridge', bars: 4, chords: ['Bm', 'A', 'G', 'A'] }, // 11–14
      { label: 'chorus', bars: 4, chords: ['D', 'A', 'Bm', 'G'] }, // 15–18
      { label: 'outro', bars: 2, chords: ['A', 'D'] }, // 19–20
    ],
    devices: [
      { kind: 'I-V-vi-IV', bars: [3, 6], chords: ['D', 'A', 'Bm', 'G'], numerals: ['I', 'V', 'vi', 'IV'] },
      { kind: 'I-V-vi-IV', bars: [7, 10], chords: ['D', 'A', 'Bm', 'G'], numerals: ['I', 'V', 'vi', 'IV'] },
      { kind: 'I-V-vi-IV', bars: [15, 18], chords: ['D', 'A', 'Bm', 'G'], numerals: ['I', 'V', 'vi', 'IV'] },
    ],
  },
  {
    // Doo-wop in 6/8: the 50s progression, a III7–vi–II7–V7 bridge and an "amen" plagal ending.
    id: 'malt-shop-moon',
    timbre: { pad: 'piano', melody: 'organ' },
    title: 'Malt Shop Moon',
    artist: 'The Velvetones',
    album: 'Doo-Wop Evenings',
    genre: 'Doo-Wop',
    year: 1958,
    trackNo: 7,
    tempo: 70,
    meter: '6/8',
    key: key('Bb', 'major'),
    sections: [
      { label: 'intro', bars: 2, chords: ['Bb', 'F7'] }, // 1–2
      { label: 'verse', bars: 4, chords: ['Bb', 'Gm', 'Eb', 'F'] }, // 3–6
      { label: 'verse', bars: 4, chords: ['Bb', 'Gm', 'Eb', 'F'] }, // 7–10
      { label: 'bridge', bars: 4, chords: ['D7', 'Gm', 'C7', 'F7'] }, // 11–14
      { label: 'verse', bars: 4, chords: ['Bb', 'Gm', 'Eb', 'F'] }, // 15–18
      { label: 'outro', bars: 2, chords: ['Eb', 'Bb'] }, // 19–20
    ],
    devices: [
      { kind: 'fifties-progression', bars: [3, 6], chords: ['Bb', 'Gm', 'Eb', 'F'], numerals: ['I', 'vi', 'IV', 'V'] },
      { kind: 'fifties-progression', bars: [7, 10], chords: ['Bb', 'Gm', 'Eb', 'F'], numerals: ['I', 'vi', 'IV', 'V'] },
      { kind: 'secondary-dominant', bars: [11, 12], chords: ['D7', 'Gm'], numerals: ['V7/vi', 'vi'] },
      { kind: 'secondary-dominant', bars: [13, 14], chords: ['C7', 'F7'], numerals: ['V7/V', 'V7'] },
      { kind: 'fifties-progression', bars: [15, 18], chords: ['Bb', 'Gm', 'Eb', 'F'], numerals: ['I', 'vi', 'IV', 'V'] },
      { kind: 'plagal-cadence', bars: [19, 20], chords: ['Eb', 'Bb'], numerals: ['IV', 'I'], note: '"amen" ending' },
    ],
  },
  {
    // A minor-key waltz in 3/4 that ends on the major tonic (Picardy third).
    id: 'waltz-of-the-lanterns',
    timbre: { pad: 'strings', melody: 'piano' },
    title: 'Waltz of the Lanterns',
    artist: 'Orchestre du Quai',
    album: 'Bal du Samedi',
    genre: 'Folk',
    year: 1963,
    trackNo: 4,
    tempo: 132,
    meter: '3/4',
    key: key('D', 'minor'),
    sections: [
      { label: 'intro', bars: 2, chords: ['Dm', 'A7'] }, // 1–2
      { label: 'verse', bars: 8, chords: ['Dm', 'Gm', 'A7', 'Dm', 'Bb', 'Gm', 'A7', 'Dm'] }, // 3–10
      { label: 'chorus', bars: 8, chords: ['Bb', 'F', 'Gm', 'A7', 'Bb', 'F', 'Gm', 'A7'] }, // 11–18
      { label: 'outro', bars: 4, chords: ['Dm', 'Gm', 'A7', 'D'] }, // 19–22
    ],
    devices: [
      { kind: 'picardy-third', bars: [21, 22], chords: ['A7', 'D'], numerals: ['V7', 'I'], note: 'D minor piece ends on D major' },
    ],
  },
  {
    // Minor, ~90 bpm, modulates from E minor to B minor through the pivot G (III in E minor = VI in B minor).
    id: 'night-ferry',
    timbre: { pad: 'strings', melody: 'organ' },
    title: 'Night Ferry',
    artist: 'Ashgrove',
    album: 'Low Tide',
    genre: 'Alternative Rock',
    year: 2003,
    trackNo: 6,
    tempo: 90,
    meter: '4/4',
    key: key('E', 'minor'),
    sections: [
      { label: 'intro', bars: 2, chords: ['Em', 'C'] }, // 1–2
      { label: 'verse', bars: 4, chords: ['Em', 'Am', 'B7', 'Em'] }, // 3–6
      { label: 'pre-chorus', bars: 2, chords: ['C', 'G'] }, // 7–8 (G is the pivot)
      { label: 'chorus', bars: 4, chords: ['F#7', 'Bm', 'Em', 'F#7'] }, // 9–12, B minor
      { label: 'outro', bars: 2, chords: ['Bm', 'Bm'] }, // 13–14
    ],
    keyChange: { bar: 9, key: key('B', 'minor'), kind: 'pivot', pivot: { bar: 8, chord: 'G' } },
    devices: [
      { kind: 'modulation', bars: [8, 9], chords: ['G', 'F#7'], numerals: ['III = VI', 'V7'], note: 'pivot modulation E minor → B minor: G is III in E minor and VI in B minor' },
    ],
  },
  {
    // Power ballad with a direct "truck-driver" key change up a whole step for the last chorus.
    id: 'higher-still',
    timbre: { pad: 'organ', melody: 'strings' },
    title: 'Higher Still',
    artist: 'Celeste Moreau',
    album: 'Arrivals',
    genre: 'Ballad',
    year: 1991,
    trackNo: 8,
    tempo: 80,
    meter: '4/4',
    key: key('A', 'major'),
    sections: [
      { label: 'verse', bars: 4, chords: ['A', 'C#m', 'D', 'E'] }, // 1–4
      { label: 'chorus', bars: 4, chords: ['F#m', 'D', 'E/G#', 'A'] }, // 5–8
      { label: 'chorus', bars: 4, chords: ['G#m', 'E', 'F#/A#', 'B'] }, // 9–12, B major
    ],
    keyChange: { bar: 9, key: key('B', 'major'), kind: 'direct' },
    devices: [
      { kind: 'modulation', bars: [8, 9], chords: ['A', 'G#m'], numerals: ['I', 'vi'], note: 'direct modulation up a whole step, A major → B major' },
    ],
  },
  {
    // Jazz: ii–V–I turnarounds, a minor iiø–V–i into vi, secondary dominants V/ii and V/vi.
    id: 'blue-corner',
    timbre: { pad: 'piano', melody: 'pluck' },
    title: 'Blue Corner',
    artist: 'The Dorian Quartet',
    album: 'Late Set',
    genre: 'Jazz',
    year: 1966,
    trackNo: 2,
    tempo: 140,
    meter: '4/4',
    key: key('F', 'major'),
    sections: [
      { label: 'intro', bars: 2, chords: [['Fmaj7', 'Dm7'], ['Gm7', 'C7']] }, // 1–2
      { label: 'verse', bars: 6, chords: ['Fmaj7', 'D7', 'Gm7', 'C7', 'Fmaj7', 'Fmaj7'] }, // 3–8
      { label: 'bridge', bars: 4, chords: ['Em7b5', 'A7', 'Dm7', ['Gm7', 'C7']] }, // 9–12
      { label: 'verse', bars: 6, chords: ['Fmaj7', 'D7', 'Gm7', 'C7', 'Fmaj7', 'Fmaj7'] }, // 13–18
      { label: 'outro', bars: 2, chords: [['Gm7', 'C7'], 'Fmaj7'] }, // 19–20
    ],
    devices: [
      { kind: 'ii-V-I', bars: [2, 3], chords: ['Gm7', 'C7', 'Fmaj7'], numerals: ['ii7', 'V7', 'Imaj7'] },
      { kind: 'secondary-dominant', bars: [4, 5], chords: ['D7', 'Gm7'], numerals: ['V7/ii', 'ii7'] },
      { kind: 'ii-V-I', bars: [5, 7], chords: ['Gm7', 'C7', 'Fmaj7'], numerals: ['ii7', 'V7', 'Imaj7'] },
      { kind: 'ii-V-I', bars: [9, 11], chords: ['Em7b5', 'A7', 'Dm7'], numerals: ['iiø7/vi', 'V7/vi', 'vi7'], note: 'minor iiø–V–i tonicising vi (D minor)' },
      { kind: 'secondary-dominant', bars: [10, 11], chords: ['A7', 'Dm7'], numerals: ['V7/vi', 'vi7'] },
      { kind: 'ii-V-I', bars: [12, 13], chords: ['Gm7', 'C7', 'Fmaj7'], numerals: ['ii7', 'V7', 'Imaj7'] },
      { kind: 'secondary-dominant', bars: [14, 15], chords: ['D7', 'Gm7'], numerals: ['V7/ii', 'ii7'] },
      { kind: 'ii-V-I', bars: [15, 17], chords: ['Gm7', 'C7', 'Fmaj7'], numerals: ['ii7', 'V7', 'Imaj7'] },
      { kind: 'ii-V-I', bars: [19, 20], chords: ['Gm7', 'C7', 'Fmaj7'], numerals: ['ii7', 'V7', 'Imaj7'] },
    ],
  },
  {
    // Plain: diatonic major, no device from the list (a true negative for searches).
    id: 'open-road',
    timbre: { pad: 'pluck', melody: 'piano' },
    title: 'Open Road',
    artist: 'Hank Mercer',
    album: 'Mile Markers',
    genre: 'Country',
    year: 1979,
    trackNo: 1,
    tempo: 100,
    meter: '4/4',
    key: key('G', 'major'),
    sections: [
      { label: 'intro', bars: 2, chords: ['G', 'D'] }, // 1–2
      { label: 'verse', bars: 4, chords: ['G', 'C', 'D', 'G'] }, // 3–6
      { label: 'chorus', bars: 4, chords: ['C', 'D', 'Em', 'D'] }, // 7–10
      { label: 'verse', bars: 4, chords: ['G', 'C', 'D', 'G'] }, // 11–14
      { label: 'outro', bars: 2, chords: ['D', 'G'] }, // 15–16
    ],
    devices: [],
  },
  {
    // Plain: diatonic (harmonic) minor at 88 bpm, no key change and no device (a true negative).
    id: 'cold-harbour',
    timbre: { pad: 'strings', melody: 'pluck' },
    title: 'Cold Harbour',
    artist: 'Grey Meridian',
    album: 'Static',
    genre: 'Electronic',
    year: 2023,
    trackNo: 9,
    tempo: 88,
    meter: '4/4',
    key: key('C', 'minor'),
    sections: [
      { label: 'intro', bars: 1, chords: ['Cm'] }, // 1
      { label: 'verse', bars: 4, chords: ['Cm', 'Ab', 'Fm', 'G'] }, // 2–5
      { label: 'chorus', bars: 4, chords: ['Ab', 'Bb', 'Cm', 'G'] }, // 6–9
      { label: 'verse', bars: 4, chords: ['Cm', 'Ab', 'Fm', 'G'] }, // 10–13
      { label: 'outro', bars: 1, chords: ['Cm'] }, // 14
    ],
    devices: [],
  },
  {
    // Rock with Mixolydian ♭VII, minor iv and a ♭VI–♭VII–I ending: modal interchange.
    id: 'rearview',
    timbre: { pad: 'pluck', melody: 'organ' },
    title: 'Rearview',
    artist: 'Sam Okafor',
    album: 'Motorway Hymns',
    genre: 'Rock',
    year: 1984,
    trackNo: 10,
    tempo: 108,
    meter: '4/4',
    key: key('E', 'major'),
    sections: [
      { label: 'intro', bars: 1, chords: ['E'] }, // 1
      { label: 'verse', bars: 4, chords: ['E', 'D', 'A', 'B'] }, // 2–5
      { label: 'chorus', bars: 4, chords: ['C#m', 'A', 'Am', 'B'] }, // 6–9
      { label: 'verse', bars: 4, chords: ['E', 'D', 'A', 'B'] }, // 10–13
      { label: 'outro', bars: 4, chords: ['C', 'D', 'E', 'E'] }, // 14–17
    ],
    devices: [
      { kind: 'modal-interchange', bars: [3, 3], chords: ['D'], numerals: ['bVII'], note: 'borrowed from E minor (Mixolydian flavour)' },
      { kind: 'modal-interchange', bars: [8, 8], chords: ['Am'], numerals: ['iv'], note: 'minor iv borrowed from E minor' },
      { kind: 'modal-interchange', bars: [11, 11], chords: ['D'], numerals: ['bVII'], note: 'borrowed from E minor (Mixolydian flavour)' },
      { kind: 'modal-interchange', bars: [14, 15], chords: ['C', 'D'], numerals: ['bVI', 'bVII'], note: 'bVI–bVII–I ending borrowed from E minor' },
    ],
  },
];

/** Comment written into every demo file's tags (it carries no ground truth). */
export const DEMO_COMMENT = 'Synthesised by Linernotes for its demo library';
