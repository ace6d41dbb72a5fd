// Tests for the demo library synthesiser: WAV encoding, chord parsing, the ground-truth specs
// (internally consistent and musically complete), the renderer and the library writer.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseBuffer, parseFile } from 'music-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseChord, parsePitchClass, pitchClassName } from '../app/demo/chords.ts';
import type { Chord, PitchClass } from '../app/demo/chords.ts';
import { FORM_TEST_SONGS } from '../app/demo/formSongs.ts';
import { GROUND_TRUTH_FILE, demoFileName, sectionTruth, writeDemoLibrary } from '../app/demo/library.ts';
import type { GroundTruth } from '../app/demo/library.ts';
import {
  DEMO_SONGS,
  beatsPerBar,
  chordTimeline,
  keyAtBar,
  keyName,
  sectionTimeline,
  songBars,
  songDurationSeconds,
  songTimbre,
} from '../app/demo/songs.ts';
import type { ChordEvent, DeviceKind, Key, SongSpec } from '../app/demo/songs.ts';
import { midiToHz, renderSong } from '../app/demo/synth.ts';
import { encodeWav } from '../app/demo/wav.ts';

// ---- helpers --------------------------------------------------------------------------------

/** Reads the interleaved 16-bit samples of a WAV file's 'data' chunk. */
function readPcm16(bytes: Uint8Array): Int16Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = String.fromCharCode(...bytes.subarray(at, at + 4));
    const size = view.getUint32(at + 4, true);
    if (id === 'data') {
      const out = new Int16Array(size / 2);
      for (let i = 0; i < out.length; i++) out[i] = view.getInt16(at + 8 + i * 2, true);
      return out;
    }
    at += 8 + size + (size & 1);
  }
  throw new Error('no data chunk');
}

/** Goertzel power of `x[start … start+n)` at `freq`, under a Hann window (a single DFT bin). */
function goertzelPower(x: Float32Array, start: number, n: number, freq: number, sampleRate: number): number {
  const coeff = 2 * Math.cos((2 * Math.PI * freq) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1));
    const s0 = x[start + i]! * w + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

/** Energy per pitch class over MIDI 60–83 (the pad's register) in a window of a mono signal. */
function chroma(x: Float32Array, start: number, n: number, sampleRate: number): number[] {
  const out = new Array<number>(12).fill(0);
  for (let midi = 60; midi < 84; midi++) out[midi % 12]! += goertzelPower(x, start, n, midiToHz(midi), sampleRate);
  return out;
}

const mono = ([l, r]: Float32Array[]): Float32Array => l!.map((v, i) => (v + r![i]!) / 2);

const rms = (x: Float32Array, start: number, end: number): number => {
  let s = 0;
  for (let i = start; i < end; i++) s += x[i]! ** 2;
  return Math.sqrt(s / (end - start));
};

// Music-theory checks of the ground truth (a deliberately small Roman-numeral model).
const SCALE: Record<Key['mode'], PitchClass[]> = {
  major: [0, 2, 4, 5, 7, 9, 11],
  minor: [0, 2, 3, 5, 7, 8, 10, 11], // natural minor plus the harmonic leading tone (V, vii°)
};

type Family = 'maj' | 'min' | 'dim' | 'other';
const family = (c: Chord): Family =>
  ['major', 'dominant7', 'major7', 'major6', 'add9'].includes(c.quality)
    ? 'maj'
    : ['minor', 'minor7', 'minor6'].includes(c.quality)
      ? 'min'
      : ['diminished', 'half-diminished7', 'diminished7'].includes(c.quality)
        ? 'dim'
        : 'other';

const degree = (c: Chord, k: Key): number => (c.root - k.tonic + 12) % 12;

const isDiatonic = (c: Chord, k: Key): boolean =>
  [...c.pitchClasses, c.bass].every((pc) => SCALE[k.mode].includes((pc - k.tonic + 12) % 12));

/** Chord events with repeats of one chord merged, keeping the first and last bar they cover. */
interface Run {
  symbol: string;
  chord: Chord;
  firstBar: number;
  lastBar: number;
  key: Key;
  sectionEnd: boolean;
}
function runs(events: ChordEvent[]): Run[] {
  const out: Run[] = [];
  for (const ev of events) {
    const last = out.at(-1);
    if (last && last.symbol === ev.symbol) {
      last.lastBar = ev.bar;
      last.sectionEnd ||= ev.sectionEnd;
    } else {
      out.push({ symbol: ev.symbol, chord: parseChord(ev.symbol), firstBar: ev.bar, lastBar: ev.bar, key: ev.key, sectionEnd: ev.sectionEnd });
    }
  }
  return out;
}

const PATTERNS: { kind: DeviceKind; mode: Key['mode']; steps: [number, Family][] }[] = [
  { kind: 'I-V-vi-IV', mode: 'major', steps: [[0, 'maj'], [7, 'maj'], [9, 'min'], [5, 'maj']] },
  { kind: 'fifties-progression', mode: 'major', steps: [[0, 'maj'], [9, 'min'], [5, 'maj'], [7, 'maj']] },
  { kind: 'ii-V-I', mode: 'major', steps: [[2, 'min'], [7, 'maj'], [0, 'maj']] },
  { kind: 'ii-V-I', mode: 'minor', steps: [[2, 'dim'], [7, 'maj'], [0, 'min']] },
  { kind: 'andalusian-cadence', mode: 'minor', steps: [[0, 'min'], [10, 'maj'], [8, 'maj'], [7, 'maj']] },
];

const covered = (song: SongSpec, kind: DeviceKind, from: number, to: number): boolean =>
  song.devices.some((d) => d.kind === kind && d.bars[0] <= from && d.bars[1] >= to);

// ---- chords ---------------------------------------------------------------------------------

describe('parseChord', () => {
  it('parses roots, qualities and inversion basses', () => {
    expect(parseChord('C')).toMatchObject({ root: 0, quality: 'major', bass: 0, pitchClasses: [0, 4, 7] });
    expect(parseChord('Am')).toMatchObject({ root: 9, quality: 'minor', bass: 9, pitchClasses: [9, 0, 4] });
    expect(parseChord('G7')).toMatchObject({ root: 7, quality: 'dominant7', pitchClasses: [7, 11, 2, 5] });
    expect(parseChord('Fmaj7')).toMatchObject({ root: 5, quality: 'major7', pitchClasses: [5, 9, 0, 4] });
    expect(parseChord('Bb')).toMatchObject({ root: 10, quality: 'major' });
    expect(parseChord('Dm7')).toMatchObject({ root: 2, quality: 'minor7', pitchClasses: [2, 5, 9, 0] });
    expect(parseChord('Bdim')).toMatchObject({ root: 11, quality: 'diminished', pitchClasses: [11, 2, 5] });
    expect(parseChord('Caug')).toMatchObject({ root: 0, quality: 'augmented', pitchClasses: [0, 4, 8] });
    expect(parseChord('Csus4')).toMatchObject({ root: 0, quality: 'sus4', pitchClasses: [0, 5, 7] });
    expect(parseChord('Em7b5')).toMatchObject({ root: 4, quality: 'half-diminished7', pitchClasses: [4, 7, 10, 2] });
    expect(parseChord('E/G#')).toMatchObject({ root: 4, quality: 'major', bass: 8, pitchClasses: [4, 8, 11] });
    expect(parseChord('F#/A#')).toMatchObject({ root: 6, bass: 10 });
  });

  it('rejects what is not a chord symbol', () => {
    for (const bad of ['', 'H', 'Cx', 'C/H', 'c', 'Cmaj9#11', 'Cconstructor']) expect(() => parseChord(bad)).toThrow();
  });

  it('names pitch classes both ways', () => {
    expect(pitchClassName(parsePitchClass('Bb'), true)).toBe('Bb');
    expect(pitchClassName(parsePitchClass('Bb'))).toBe('A#');
    expect(parsePitchClass('C#')).toBe(1);
  });
});

// ---- WAV ------------------------------------------------------------------------------------

describe('encodeWav', () => {
  const sampleRate = 8000;
  const left = Float32Array.from({ length: 801 }, (_, i) => Math.sin(i / 7) * 0.8);
  const right = Float32Array.from({ length: 801 }, (_, i) => (i % 100) / 50 - 1);
  right[3] = 1.7; // clipped to 1
  right[4] = -3; // clipped to -1
  const tags = { title: 'Sierra Nights', artist: 'Lucía Ferrer', album: 'Camino — Vol. 1', genre: 'Flamenco Pop', year: 1997, track: 5, comment: 'odd' };
  const bytes = encodeWav([left, right], sampleRate, tags);

  it('writes a well-formed RIFF/WAVE file with word-aligned chunks', () => {
    const text = (a: number) => String.fromCharCode(...bytes.subarray(a, a + 4));
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(text(0)).toBe('RIFF');
    expect(text(8)).toBe('WAVE');
    expect(view.getUint32(4, true)).toBe(bytes.length - 8);
    expect(bytes.length % 2).toBe(0);
    const ids: string[] = [];
    for (let at = 12; at < bytes.length; ) {
      const size = view.getUint32(at + 4, true);
      ids.push(text(at));
      at += 8 + size + (size & 1);
      expect(at).toBeLessThanOrEqual(bytes.length);
    }
    expect(ids).toEqual(['fmt ', 'CSET', 'LIST', 'data']);
  });

  it('round-trips the samples at 16-bit precision, clipping to [-1, 1]', () => {
    const pcm = readPcm16(bytes);
    expect(pcm.length).toBe(801 * 2);
    for (let i = 0; i < 801; i++) {
      expect(Math.abs(pcm[2 * i]! / 32767 - left[i]!)).toBeLessThanOrEqual(1 / 32767);
      expect(Math.abs(pcm[2 * i + 1]! / 32767 - Math.max(-1, Math.min(1, right[i]!)))).toBeLessThanOrEqual(1 / 32767);
    }
    expect(pcm[2 * 3 + 1]).toBe(32767);
    expect(pcm[2 * 4 + 1]).toBe(-32767);
  });

  it('round-trips format and UTF-8 tags through music-metadata', async () => {
    const meta = await parseBuffer(bytes, { mimeType: 'audio/wav' });
    expect(meta.format).toMatchObject({ container: 'WAVE', sampleRate, numberOfChannels: 2, bitsPerSample: 16, numberOfSamples: 801 });
    expect(meta.common.title).toBe(tags.title);
    expect(meta.common.artist).toBe(tags.artist);
    expect(meta.common.album).toBe(tags.album);
    expect(meta.common.genre).toEqual([tags.genre]);
    expect(meta.common.year).toBe(1997);
    expect(meta.common.track.no).toBe(5);
    expect(meta.common.comment?.[0]?.text).toBe('odd');
    // music-metadata 12.1 warns 'Data chunk size exceeds file size' for every WAV whose data chunk is
    // not tiny (it compares the chunk size with what remains *after* that chunk); anything else is ours.
    expect(meta.quality.warnings.filter((w) => w.message !== 'Data chunk size exceeds file size')).toEqual([]);
  });

  it('writes no tag chunks when there are no tags', () => {
    const plain = encodeWav([left], sampleRate, {});
    expect(plain.length).toBe(44 + 801 * 2); // the canonical 44-byte header
  });
});

// ---- the ground truth -----------------------------------------------------------------------

describe('demo song specs', () => {
  it('has about twelve songs with unique ids, titles and file names, 25–40 s each', () => {
    expect(DEMO_SONGS.length).toBeGreaterThanOrEqual(10);
    for (const pick of [(s: SongSpec) => s.id, (s: SongSpec) => s.title, demoFileName]) {
      expect(new Set(DEMO_SONGS.map(pick)).size).toBe(DEMO_SONGS.length);
    }
    for (const s of DEMO_SONGS) {
      const d = songDurationSeconds(s);
      expect(d, s.id).toBeGreaterThanOrEqual(25);
      expect(d, s.id).toBeLessThanOrEqual(40);
    }
  });

  it('every chord symbol in every spec parses, and each section has one entry per bar', () => {
    for (const s of DEMO_SONGS) {
      for (const sec of s.sections) {
        expect(sec.chords.length, `${s.id} ${sec.label}`).toBe(sec.bars);
        for (const bar of sec.chords) for (const c of typeof bar === 'string' ? [bar] : bar) expect(() => parseChord(c), `${s.id}: ${c}`).not.toThrow();
      }
      for (const d of s.devices) for (const c of d.chords) expect(() => parseChord(c), `${s.id}: ${c}`).not.toThrow();
      if (s.keyChange?.pivot) expect(() => parseChord(s.keyChange!.pivot!.chord)).not.toThrow();
    }
  });

  it('lists each device with exactly the chords played in its bars', () => {
    for (const s of DEMO_SONGS) {
      const events = chordTimeline(s);
      for (const d of s.devices) {
        const label = `${s.id} ${d.kind} ${d.bars.join('–')}`;
        expect(d.bars[0], label).toBeGreaterThanOrEqual(1);
        expect(d.bars[1], label).toBeGreaterThanOrEqual(d.bars[0]);
        expect(d.bars[1], label).toBeLessThanOrEqual(songBars(s));
        expect(d.numerals.length, label).toBe(d.chords.length);
        const played = runs(events.filter((e) => e.bar >= d.bars[0] && e.bar <= d.bars[1])).map((r) => r.symbol);
        expect(played, label).toEqual(d.chords);
      }
    }
  });

  it('key changes are consistent: a modulation device at the change, the pivot chord in its bar', () => {
    for (const s of DEMO_SONGS) {
      const mods = s.devices.filter((d) => d.kind === 'modulation');
      if (!s.keyChange) {
        expect(mods, s.id).toEqual([]);
        continue;
      }
      const kc = s.keyChange;
      expect(kc.bar).toBeGreaterThan(1);
      expect(kc.bar).toBeLessThanOrEqual(songBars(s));
      expect(kc.key).not.toEqual(s.key);
      expect(mods.some((d) => d.bars[0] <= kc.bar && d.bars[1] >= kc.bar), s.id).toBe(true);
      if (kc.kind === 'pivot') {
        const pivot = kc.pivot!;
        expect(pivot.bar).toBe(kc.bar - 1);
        expect(chordTimeline(s).filter((e) => e.bar === pivot.bar).map((e) => e.symbol)).toContain(pivot.chord);
        const chord = parseChord(pivot.chord);
        expect(isDiatonic(chord, s.key) && isDiatonic(chord, kc.key), `${s.id}: pivot in both keys`).toBe(true);
      }
      // The home key is where the song spends most of its bars.
      expect(kc.bar - 1, s.id).toBeGreaterThan(songBars(s) - kc.bar + 1);
    }
  });

  it('explains every non-diatonic chord by a device (borrowed, secondary dominant, Picardy, modulation)', () => {
    const explaining: DeviceKind[] = ['modal-interchange', 'secondary-dominant', 'picardy-third', 'modulation'];
    for (const s of DEMO_SONGS) {
      for (const ev of chordTimeline(s)) {
        if (isDiatonic(parseChord(ev.symbol), ev.key)) continue;
        const ok = s.devices.some((d) => explaining.includes(d.kind) && d.bars[0] <= ev.bar && d.bars[1] >= ev.bar && d.chords.includes(ev.symbol));
        expect(ok, `${s.id} bar ${ev.bar}: ${ev.symbol} is not in ${keyName(ev.key)}`).toBe(true);
      }
    }
  });

  it('lists every occurrence of the pattern devices (so songs without them are true negatives)', () => {
    for (const s of DEMO_SONGS) {
      const rs = runs(chordTimeline(s));
      for (const p of PATTERNS) {
        for (let i = 0; i + p.steps.length <= rs.length; i++) {
          const k = rs[i]!.key;
          if (k.mode !== p.mode) continue;
          const window = rs.slice(i, i + p.steps.length);
          if (!window.every((r, j) => degree(r.chord, k) === p.steps[j]![0] && family(r.chord) === p.steps[j]![1])) continue;
          const from = window[0]!.lastBar;
          const to = window.at(-1)!.firstBar;
          expect(covered(s, p.kind, from, to), `${s.id}: unlisted ${p.kind} at bars ${from}–${to}`).toBe(true);
        }
      }
      // Plagal cadence: IV or iv straight to I (or i), that I ending a section.
      for (let i = 0; i + 1 < rs.length; i++) {
        const [a, b] = [rs[i]!, rs[i + 1]!];
        const isPlagal = degree(a.chord, a.key) === 5 && ['maj', 'min'].includes(family(a.chord)) && degree(b.chord, a.key) === 0 && b.sectionEnd;
        if (isPlagal) expect(covered(s, 'plagal-cadence', a.lastBar, b.firstBar), `${s.id}: unlisted plagal cadence at bar ${b.firstBar}`).toBe(true);
      }
    }
  });

  it('covers the variety the searches need', () => {
    const has = (kind: DeviceKind) => DEMO_SONGS.filter((s) => s.devices.some((d) => d.kind === kind));
    expect(has('modal-interchange').length).toBeGreaterThanOrEqual(2);
    for (const kind of ['secondary-dominant', 'andalusian-cadence', 'I-V-vi-IV', 'fifties-progression', 'ii-V-I', 'plagal-cadence', 'picardy-third', 'modulation'] as const) {
      expect(has(kind).length, kind).toBeGreaterThanOrEqual(1);
    }
    expect(DEMO_SONGS.filter((s) => s.devices.length === 0).length).toBeGreaterThanOrEqual(1);
    expect(DEMO_SONGS.some((s) => s.key.mode === 'minor' && Math.abs(s.tempo - 90) <= 5 && s.keyChange)).toBe(true);
    expect(DEMO_SONGS.some((s) => s.key.mode === 'minor' && Math.abs(s.tempo - 90) <= 5 && !s.keyChange)).toBe(true);
    expect(DEMO_SONGS.some((s) => s.meter === '3/4')).toBe(true);
    expect(DEMO_SONGS.some((s) => s.meter === '6/8')).toBe(true);
    expect(Math.min(...DEMO_SONGS.map((s) => s.tempo))).toBeLessThanOrEqual(75);
    expect(Math.max(...DEMO_SONGS.map((s) => s.tempo))).toBeGreaterThanOrEqual(135);
    expect(new Set(DEMO_SONGS.map((s) => Math.floor(s.year / 10))).size).toBeGreaterThanOrEqual(6);
  });

  it('varies the forms: a bridge, no chorus, a pre-chorus, an instrumental, each in some song and not in others', () => {
    const labels = (s: SongSpec) => new Set(s.sections.map((x) => x.label));
    for (const label of ['bridge', 'chorus', 'pre-chorus', 'instrumental', 'intro', 'outro'] as const) {
      expect(DEMO_SONGS.some((s) => labels(s).has(label)), `some song has a ${label}`).toBe(true);
      expect(DEMO_SONGS.some((s) => !labels(s).has(label)), `some song has no ${label}`).toBe(true);
    }
  });

  it('form-test songs: 60–90 s, unique ids, every chord parses, one entry per bar, each label as intended', () => {
    expect(new Set([...DEMO_SONGS, ...FORM_TEST_SONGS].map((s) => s.id)).size).toBe(DEMO_SONGS.length + FORM_TEST_SONGS.length);
    for (const s of FORM_TEST_SONGS) {
      const d = songDurationSeconds(s);
      expect(d, s.id).toBeGreaterThanOrEqual(60);
      expect(d, s.id).toBeLessThanOrEqual(90);
      for (const sec of s.sections) {
        expect(sec.chords.length, `${s.id} ${sec.label}`).toBe(sec.bars);
        for (const bar of sec.chords) for (const c of typeof bar === 'string' ? [bar] : bar) expect(() => parseChord(c)).not.toThrow();
      }
    }
    const form = (id: string) => FORM_TEST_SONGS.find((s) => s.id === id)!.sections.map((x) => x.label);
    expect(form('form-pop')).toContain('pre-chorus');
    expect(form('form-pop')).toContain('bridge');
    expect(form('form-aaba')).not.toContain('chorus');
    expect(form('form-aaba')).toContain('instrumental');
    expect(new Set(form('form-through'))).toEqual(new Set(['verse']));
  });

  it('section ground truth: times tile the song, bar-exact, with the spec labels', () => {
    for (const s of [...DEMO_SONGS, ...FORM_TEST_SONGS]) {
      const truth = sectionTruth(s);
      expect(truth.map((x) => x.label)).toEqual(s.sections.map((x) => x.label));
      expect(truth[0]!.start).toBe(0);
      expect(truth.at(-1)!.end).toBeCloseTo(songDurationSeconds(s), 9);
      truth.slice(1).forEach((x, i) => expect(x.start).toBeCloseTo(truth[i]!.end, 9));
    }
  });

  it('derives timelines: sections tile the song and the key changes at the right bar', () => {
    for (const s of DEMO_SONGS) {
      const secs = sectionTimeline(s);
      expect(secs[0]!.startSec).toBe(0);
      expect(secs.at(-1)!.endSec).toBeCloseTo(songDurationSeconds(s), 9);
      secs.slice(1).forEach((sec, i) => expect(sec.startBar).toBe(secs[i]!.endBar + 1));
      const events = chordTimeline(s);
      expect(events.at(-1)!.endSec).toBeCloseTo(songDurationSeconds(s), 9);
      if (s.keyChange) {
        expect(keyAtBar(s, s.keyChange.bar - 1)).toEqual(s.key);
        expect(keyAtBar(s, s.keyChange.bar)).toEqual(s.keyChange.key);
      }
    }
  });
});

// ---- rendering ------------------------------------------------------------------------------

describe('renderSong', () => {
  const sampleRate = 22050;
  const rendered = new Map<string, Float32Array[]>();
  const render = (s: SongSpec) => {
    if (!rendered.has(s.id)) rendered.set(s.id, renderSong(s, sampleRate));
    return rendered.get(s.id)!;
  };

  it('renders stereo of length bars × beats × 60 / bpm seconds, in [-1, 1], quickly', () => {
    for (const s of DEMO_SONGS) {
      const t = performance.now();
      const out = render(s);
      expect(performance.now() - t, s.id).toBeLessThan(1000);
      const seconds = (songBars(s) * beatsPerBar(s.meter) * 60) / s.tempo;
      expect(out.length).toBe(2);
      expect(out[0]!.length, s.id).toBe(Math.round(seconds * sampleRate));
      expect(out[1]!.length).toBe(out[0]!.length);
      let peak = 0;
      for (const ch of out) for (const v of ch) peak = Math.max(peak, Math.abs(v));
      expect(peak).toBeLessThanOrEqual(1);
      expect(peak).toBeGreaterThan(0.5);
    }
  });

  it('is deterministic', () => {
    const s = DEMO_SONGS[0]!;
    const [a, b] = [renderSong(s, sampleRate), renderSong(s, sampleRate)];
    expect(Buffer.from(a[0]!.buffer).equals(Buffer.from(b[0]!.buffer))).toBe(true);
    expect(Buffer.from(a[1]!.buffer).equals(Buffer.from(b[1]!.buffer))).toBe(true);
  });

  it("puts each chord's pitch classes on top of the spectrum in every chord slot", () => {
    for (const s of DEMO_SONGS) {
      const x = mono(render(s));
      for (const ev of chordTimeline(s)) {
        const start = Math.round(ev.startSec * sampleRate);
        const length = Math.round((ev.endSec - ev.startSec) * sampleRate);
        const n = Math.min(8192, Math.floor(length * 0.7));
        const c = chroma(x, start + Math.floor((length - n) / 2), n, sampleRate);
        const chord = parseChord(ev.symbol);
        const inChord = chord.pitchClasses.map((pc) => c[pc]!);
        const outside = c.filter((_, pc) => !chord.pitchClasses.includes(pc));
        expect(Math.min(...inChord) / Math.max(...outside), `${s.id} bar ${ev.bar} ${ev.symbol}`).toBeGreaterThan(10);
      }
    }
  });

  it('plays the bass note (root or inversion bass) in the bass register', () => {
    const s = DEMO_SONGS.find((x) => x.id === 'higher-still')!;
    const x = mono(render(s));
    for (const ev of chordTimeline(s).filter((e) => e.symbol.includes('/'))) {
      const start = Math.round(ev.startSec * sampleRate) + 2000;
      const bass = parseChord(ev.symbol).bass;
      const power = (pc: number) => goertzelPower(x, start, 16384, midiToHz(36 + pc), sampleRate);
      const root = parseChord(ev.symbol).root;
      expect(power(bass) / power(root), ev.symbol).toBeGreaterThan(10);
    }
  });

  it('plays a seeded melody above the pad, mostly on the chord tones in force', () => {
    const s = DEMO_SONGS.find((x) => x.id === 'second-wind')!;
    // The full mix differs from the mix without the melody.
    const full = render(s);
    const noMelody = renderSong(s, sampleRate, { melody: false });
    expect(Buffer.from(full[0]!.buffer).equals(Buffer.from(noMelody[0]!.buffer))).toBe(false);
    // Alone, the melody's energy sits in C5–B5 (523–988 Hz), the pad's in C4–B4.
    const melody = mono(renderSong(s, sampleRate, { pad: false, bass: false, drums: false }));
    const pad = mono(renderSong(s, sampleRate, { melody: false, bass: false, drums: false }));
    const band = (x: Float32Array, lo: number, start: number, n: number) => {
      let e = 0;
      for (let m = lo; m < lo + 12; m++) e += goertzelPower(x, start, n, midiToHz(m), sampleRate);
      return e;
    };
    let [melodyHigh, melodyLow, padHigh, padLow] = [0, 0, 0, 0];
    let chordToneShare = 0;
    const events = chordTimeline(s);
    for (const ev of events) {
      const start = Math.round(ev.startSec * sampleRate);
      const n = Math.round((ev.endSec - ev.startSec) * sampleRate) - 1;
      melodyHigh += band(melody, 72, start, n);
      melodyLow += band(melody, 60, start, n);
      padHigh += band(pad, 72, start, n);
      padLow += band(pad, 60, start, n);
      const c = new Array<number>(12).fill(0);
      for (let m = 72; m < 84; m++) c[m % 12]! += goertzelPower(melody, start, n, midiToHz(m), sampleRate);
      const tones = parseChord(ev.symbol).pitchClasses;
      const total = c.reduce((a, b) => a + b, 0);
      chordToneShare += total > 0 ? tones.reduce((a, pc) => a + c[pc]!, 0) / total : 1;
    }
    expect(melodyHigh / melodyLow).toBeGreaterThan(10);
    expect(padLow / padHigh).toBeGreaterThan(1.2); // the pad's octave partial and chorus doubling reach C5–B5
    expect(chordToneShare / events.length).toBeGreaterThan(0.75);
  });

  it('plays the pad with the timbre chosen per song: a pluck decays, an organ sustains', () => {
    const decayRatio = (s: SongSpec) => {
      const x = mono(renderSong(s, sampleRate, { melody: false, bass: false, drums: false }));
      const ev = chordTimeline(s)[0]!;
      const start = Math.round(ev.startSec * sampleRate) + Math.round(0.15 * sampleRate);
      const end = Math.round(ev.endSec * sampleRate) - Math.round(0.05 * sampleRate);
      const q = Math.floor((end - start) / 4);
      return rms(x, end - q, end) / rms(x, start, start + q);
    };
    const organ = DEMO_SONGS.find((x) => songTimbre(x).pad === 'organ')!;
    const pluck = DEMO_SONGS.find((x) => songTimbre(x).pad === 'pluck')!;
    expect(decayRatio(organ), organ.id).toBeGreaterThan(0.6);
    expect(decayRatio(pluck), pluck.id).toBeLessThan(0.3);
    expect(decayRatio(organ) / decayRatio(pluck)).toBeGreaterThan(3);
    expect(new Set(DEMO_SONGS.map((x) => songTimbre(x).pad)).size).toBeGreaterThanOrEqual(3);
    expect(songTimbre({ ...organ, timbre: undefined })).toEqual({ pad: 'organ', melody: 'piano' });
  });

  it('arranges sections: no melody in an instrumental, no drums where the arrangement says so', () => {
    const s = DEMO_SONGS.find((x) => x.sections.some((sec) => sec.label === 'instrumental'))!;
    const melody = mono(renderSong(s, sampleRate, { pad: false, bass: false, drums: false }));
    for (const sec of sectionTimeline(s)) {
      const level = rms(melody, Math.round(sec.startSec * sampleRate) + 2000, Math.round(sec.endSec * sampleRate));
      if (sec.label === 'instrumental') expect(level, s.id).toBeLessThan(1e-4);
      else expect(level, `${s.id} ${sec.label}`).toBeGreaterThan(1e-3);
    }
    const f = FORM_TEST_SONGS.find((x) => x.id === 'form-aaba')!;
    const drums = mono(renderSong(f, sampleRate, { pad: false, bass: false, melody: false }));
    for (const sec of sectionTimeline(f)) {
      const level = rms(drums, Math.round(sec.startSec * sampleRate), Math.round(sec.endSec * sampleRate));
      if (f.sections[sec.index]!.arrangement?.drums === false) expect(level, sec.label).toBe(0);
      else expect(level, sec.label).toBeGreaterThan(1e-3);
    }
  });

  it('makes choruses louder than verses', () => {
    for (const s of DEMO_SONGS) {
      const x = mono(render(s));
      const level = (label: string) => {
        const secs = sectionTimeline(s).filter((sec) => sec.label === label);
        const vals = secs.map((sec) => rms(x, Math.round(sec.startSec * sampleRate), Math.round(sec.endSec * sampleRate)));
        return vals.length ? Math.max(...vals) : undefined;
      };
      const [chorus, verse] = [level('chorus'), level('verse')];
      if (chorus !== undefined && verse !== undefined) expect(chorus / verse, s.id).toBeGreaterThan(1.2);
    }
  });
});

// ---- the library ----------------------------------------------------------------------------

describe('writeDemoLibrary', () => {
  let dir = '';
  beforeAll(async () => {
    dir = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'linernotes-demo-')), 'Demo Library');
  });
  afterAll(async () => {
    if (dir) await fs.rm(path.dirname(dir), { recursive: true, force: true });
  });

  it('writes one tagged WAV per song plus ground-truth.json, and a second call changes nothing', async () => {
    const sampleRate = 8000;
    const first = await writeDemoLibrary(dir, { sampleRate });
    expect(first.files.length).toBe(DEMO_SONGS.length);
    expect(first.songs).toEqual(DEMO_SONGS);
    const listing = (await fs.readdir(dir)).sort();
    expect(listing).toEqual([...DEMO_SONGS.map(demoFileName), GROUND_TRUTH_FILE].sort());
    expect(path.basename(first.files[0]!)).toBe('Juniper Vale - Borrowed Light.wav');

    const truth = JSON.parse(await fs.readFile(path.join(dir, GROUND_TRUTH_FILE), 'utf8')) as GroundTruth;
    expect(truth.sampleRate).toBe(sampleRate);
    expect(truth.songs.map((e) => e.file)).toEqual(DEMO_SONGS.map(demoFileName));
    expect(truth.songs.map((e) => e.spec)).toEqual(DEMO_SONGS);
    expect(truth.songs.map((e) => e.sections)).toEqual(DEMO_SONGS.map(sectionTruth));
    expect(truth.songs.find((e) => e.spec.id === 'night-ferry')?.keyName).toBe('E minor');

    const spec = DEMO_SONGS[2]!;
    const meta = await parseFile(first.files[2]!);
    expect(meta.common).toMatchObject({ title: spec.title, artist: spec.artist, album: spec.album, genre: [spec.genre], year: spec.year });
    expect(meta.common.track.no).toBe(spec.trackNo);
    expect(meta.format.duration).toBeCloseTo(songDurationSeconds(spec), 3);

    const all = [...first.files, path.join(dir, GROUND_TRUTH_FILE)];
    const stat = () => Promise.all(all.map(async (f) => (await fs.stat(f)).mtimeMs));
    const before = await stat();
    const bytesBefore = await fs.readFile(first.files[0]!);
    await new Promise((r) => setTimeout(r, 30));
    const second = await writeDemoLibrary(dir, { sampleRate });
    expect(second.files).toEqual(first.files);
    expect(await stat()).toEqual(before);
    expect((await fs.readFile(first.files[0]!)).equals(bytesBefore)).toBe(true);
    expect((await fs.readdir(dir)).sort()).toEqual(listing); // no temp files left behind
  });

  it('rewrites a file whose bytes differ, and writes only the songs asked for', async () => {
    const sub = path.join(dir, 'subset');
    const songs = DEMO_SONGS.slice(0, 2);
    const { files } = await writeDemoLibrary(sub, { sampleRate: 8000, songs });
    expect(files.length).toBe(2);
    const good = await fs.readFile(files[1]!);
    await fs.writeFile(files[1]!, 'not a wav');
    await writeDemoLibrary(sub, { sampleRate: 8000, songs });
    expect((await fs.readFile(files[1]!)).equals(good)).toBe(true);
    const truth = JSON.parse(await fs.readFile(path.join(sub, GROUND_TRUTH_FILE), 'utf8')) as GroundTruth;
    expect(truth.songs.length).toBe(2);
  });
});
