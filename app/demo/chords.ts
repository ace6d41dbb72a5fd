// Chord-symbol parser for the demo library: 'C', 'Am', 'G7', 'Fmaj7', 'Bb', 'Dm7', 'Bdim', 'Caug',
// 'Csus4', 'Em7b5', 'E/G#' → root pitch class, quality, bass pitch class and the chord's pitch classes.

/** A pitch class: 0 = C, 1 = C♯/D♭, … 11 = B. */
export type PitchClass = number;

export type ChordQuality =
  | 'major'
  | 'minor'
  | 'diminished'
  | 'augmented'
  | 'sus2'
  | 'sus4'
  | 'dominant7'
  | 'major7'
  | 'minor7'
  | 'half-diminished7'
  | 'diminished7'
  | 'major6'
  | 'minor6'
  | 'add9';

export interface Chord {
  /** The symbol as written, e.g. 'E/G#'. */
  symbol: string;
  root: PitchClass;
  quality: ChordQuality;
  /** The lowest note: the root, or the note after '/' for an inversion or slash chord. */
  bass: PitchClass;
  /** The chord's pitch classes, root first, in stacking order (the bass is not added). */
  pitchClasses: PitchClass[];
}

const LETTERS: Record<string, PitchClass> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };

/** Suffix after the root → quality (the whole suffix must match one entry). */
const SUFFIXES: Record<string, ChordQuality> = {
  '': 'major',
  m: 'minor',
  dim: 'diminished',
  aug: 'augmented',
  '+': 'augmented',
  sus2: 'sus2',
  sus4: 'sus4',
  sus: 'sus4',
  '7': 'dominant7',
  maj7: 'major7',
  m7: 'minor7',
  m7b5: 'half-diminished7',
  dim7: 'diminished7',
  '6': 'major6',
  m6: 'minor6',
  add9: 'add9',
};

/** Semitones above the root for each quality (chord-construction table). */
export const QUALITY_INTERVALS: Record<ChordQuality, readonly number[]> = {
  major: [0, 4, 7],
  minor: [0, 3, 7],
  diminished: [0, 3, 6],
  augmented: [0, 4, 8],
  sus2: [0, 2, 7],
  sus4: [0, 5, 7],
  dominant7: [0, 4, 7, 10],
  major7: [0, 4, 7, 11],
  minor7: [0, 3, 7, 10],
  'half-diminished7': [0, 3, 6, 10],
  diminished7: [0, 3, 6, 9],
  major6: [0, 4, 7, 9],
  minor6: [0, 3, 7, 9],
  add9: [0, 4, 7, 2],
};

/** Note name ('C', 'F#', 'Bb', 'E♭') → pitch class; throws on anything else. */
export function parsePitchClass(name: string): PitchClass {
  const m = /^([A-G])([#♯b♭]?)$/.exec(name);
  if (!m) throw new Error(`not a note name: '${name}'`);
  const base = LETTERS[m[1]!]!;
  const accidental = m[2] === '#' || m[2] === '♯' ? 1 : m[2] === 'b' || m[2] === '♭' ? -1 : 0;
  return (base + accidental + 12) % 12;
}

const SHARP_NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];
const FLAT_NAMES = ['C', 'Db', 'D', 'Eb', 'E', 'F', 'Gb', 'G', 'Ab', 'A', 'Bb', 'B'];

/** Pitch class → note name, spelled with sharps or flats. */
export function pitchClassName(pc: PitchClass, flats = false): string {
  return (flats ? FLAT_NAMES : SHARP_NAMES)[((pc % 12) + 12) % 12]!;
}

/** Parses a chord symbol (root, quality suffix, optional '/bass'); throws on an unknown symbol. */
export function parseChord(symbol: string): Chord {
  const m = /^([A-G][#♯b♭]?)([^/]*)(?:\/([A-G][#♯b♭]?))?$/.exec(symbol);
  if (!m) throw new Error(`not a chord symbol: '${symbol}'`);
  const root = parsePitchClass(m[1]!);
  const quality = Object.hasOwn(SUFFIXES, m[2]!) ? SUFFIXES[m[2]!] : undefined;
  if (quality === undefined) throw new Error(`unknown chord quality '${m[2]}' in '${symbol}'`);
  const bass = m[3] === undefined ? root : parsePitchClass(m[3]);
  const pitchClasses = QUALITY_INTERVALS[quality].map((i) => (root + i) % 12);
  return { symbol, root, quality, bass, pitchClasses };
}
