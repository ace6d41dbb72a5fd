// Weighted chord symbol recall after mir_eval.chord (Raffel et al., ISMIR 2014): encode Harte labels
// (root, 12-bit semitone bitmap with the bass degree added, bass), adjust the estimate to the
// reference's span (N padding), merge both segmentations, compare per piece with the 'majmin' or
// 'sevenths' rule, and weight by duration, leaving out pieces whose reference is out of gamut (−1).
import { parseChord } from '../../../app/demo/chords.ts';
import type { ChordQuality as DemoQuality } from '../../../app/demo/chords.ts';

export interface Labeled {
  start: number;
  end: number;
  label: string;
}

interface Encoded {
  root: number;
  bitmap: number[];
  bass: number;
}

const SHORTHAND: Record<string, number[]> = {
  maj: [0, 4, 7],
  min: [0, 3, 7],
  dim: [0, 3, 6],
  aug: [0, 4, 8],
  maj7: [0, 4, 7, 11],
  min7: [0, 3, 7, 10],
  '7': [0, 4, 7, 10],
  dim7: [0, 3, 6, 9],
  hdim7: [0, 3, 6, 10],
  minmaj7: [0, 3, 7, 11],
  maj6: [0, 4, 7, 9],
  min6: [0, 3, 7, 9],
  sus2: [0, 2, 7],
  sus4: [0, 5, 7],
  '9': [0, 4, 7, 10, 2],
  maj9: [0, 4, 7, 11, 2],
  min9: [0, 3, 7, 10, 2],
  '1': [0],
  '5': [0, 7],
  '': [0, 4, 7],
};

const NOTE: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };

function pitchClass(name: string): number {
  const m = /^([A-G])([#b]*)$/.exec(name);
  if (!m) throw new Error(`bad root '${name}'`);
  let pc = NOTE[m[1]!]!;
  for (const c of m[2]!) pc += c === '#' ? 1 : -1;
  return ((pc % 12) + 12) % 12;
}

/** Scale degree ('b3', '5', '#5', 'bb7', '9') → semitones above the root. */
export function degreeToSemitone(degree: string): number {
  const m = /^([#b]*)(\d+)$/.exec(degree);
  if (!m) throw new Error(`bad degree '${degree}'`);
  const major = [0, 2, 4, 5, 7, 9, 11];
  const d = Number(m[2]) - 1;
  let s = major[d % 7]! + 12 * Math.floor(d / 7);
  for (const c of m[1]!) s += c === '#' ? 1 : -1;
  return s;
}

/** mir_eval.chord.encode for the labels we use: 'N', 'X', 'C', 'C:min7', 'E:maj/3', 'C:maj(9)'. */
export function encodeHarte(label: string): Encoded | null {
  if (label === 'N') return { root: -1, bitmap: new Array(12).fill(0), bass: -1 };
  if (label === 'X') return null;
  const m = /^([A-G][#b]*)(?::([^(/]*))?(?:\(([^)]*)\))?(?:\/(.+))?$/.exec(label);
  if (!m) throw new Error(`bad Harte label '${label}'`);
  const root = pitchClass(m[1]!);
  const quality = m[2] ?? '';
  const intervals = SHORTHAND[quality];
  if (!intervals) throw new Error(`unknown quality '${quality}' in '${label}'`);
  const bitmap = new Array<number>(12).fill(0);
  for (const iv of intervals) bitmap[iv % 12] = 1;
  bitmap[0] = 1;
  for (const ext of (m[3] ?? '').split(',').filter(Boolean)) {
    if (ext.startsWith('*')) bitmap[degreeToSemitone(ext.slice(1)) % 12] = 0;
    else bitmap[degreeToSemitone(ext) % 12] = 1;
  }
  const bass = m[4] ? degreeToSemitone(m[4]) % 12 : 0;
  bitmap[bass] = 1;
  return { root, bitmap, bass };
}

const DEMO_TO_HARTE: Record<DemoQuality, string> = {
  major: 'maj',
  minor: 'min',
  diminished: 'dim',
  augmented: 'aug',
  sus2: 'sus2',
  sus4: 'sus4',
  dominant7: '7',
  major7: 'maj7',
  minor7: 'min7',
  'half-diminished7': 'hdim7',
  diminished7: 'dim7',
  major6: 'maj6',
  minor6: 'min6',
  add9: 'maj(9)',
};

const SHARPS = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];
const DEGREES = ['1', 'b2', '2', 'b3', '3', '4', 'b5', '5', 'b6', '6', 'b7', '7'];

/** Demo chord symbol ('E/G#', 'Em7b5') → Harte label ('E:maj/3', 'E:hdim7'). */
export function demoSymbolToHarte(symbol: string): string {
  if (symbol === 'N') return 'N';
  const c = parseChord(symbol);
  const q = DEMO_TO_HARTE[c.quality];
  const iv = (c.bass - c.root + 12) % 12;
  return `${SHARPS[c.root]}:${q}${iv === 0 ? '' : `/${DEGREES[iv]}`}`;
}

function same(a: readonly number[], b: readonly number[], n = 12): boolean {
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

const bitmapOf = (q: string) => encodeHarte(`C:${q}`)!.bitmap;
const MAJ = bitmapOf('maj');
const MIN = bitmapOf('min');
const SEVENTHS_GAMUT = ['maj', 'min', 'maj7', '7', 'min7'].map(bitmapOf);

/** mir_eval.chord.majmin: root and the first 8 semitones; references outside maj/min/N → −1. */
export function majmin(ref: Encoded | null, est: Encoded | null): number {
  if (!ref || !est) return -1;
  const isNone = ref.root < 0 && ref.bitmap.every((v) => v === 0);
  if (!isNone && !same(ref.bitmap, MAJ, 8) && !same(ref.bitmap, MIN, 8)) return -1;
  return ref.root === est.root && same(ref.bitmap, est.bitmap, 8) ? 1 : 0;
}

/** mir_eval.chord.sevenths: root and all semitones; references outside maj/min/maj7/7/min7/N → −1. */
export function sevenths(ref: Encoded | null, est: Encoded | null): number {
  if (!ref || !est) return -1;
  const isNone = ref.root < 0 && ref.bitmap.every((v) => v === 0);
  if (!isNone && !SEVENTHS_GAMUT.some((g) => same(ref.bitmap, g))) return -1;
  return ref.root === est.root && same(ref.bitmap, est.bitmap) ? 1 : 0;
}

/** Weighted accuracy of `est` against `ref` under a comparison rule (mir_eval's evaluate pipeline). */
export function wcsr(ref: readonly Labeled[], est: readonly Labeled[], compare: (r: Encoded | null, e: Encoded | null) => number): number {
  if (ref.length === 0) return 0;
  const t0 = Math.min(...ref.map((r) => r.start));
  const t1 = Math.max(...ref.map((r) => r.end));
  const bounds = new Set<number>([t0, t1]);
  for (const s of [...ref, ...est]) for (const t of [s.start, s.end]) if (t > t0 && t < t1) bounds.add(t);
  const cuts = [...bounds].sort((a, b) => a - b);
  const labelAt = (segs: readonly Labeled[], t: number) => segs.find((s) => t >= s.start && t < s.end)?.label ?? 'N';
  let num = 0;
  let den = 0;
  for (let i = 0; i + 1 < cuts.length; i++) {
    const w = cuts[i + 1]! - cuts[i]!;
    if (!(w > 0)) continue;
    const mid = (cuts[i]! + cuts[i + 1]!) / 2;
    const c = compare(encodeHarte(labelAt(ref, mid)), encodeHarte(labelAt(est, mid)));
    if (c < 0) continue;
    num += w * c;
    den += w;
  }
  return den > 0 ? num / den : 0;
}
