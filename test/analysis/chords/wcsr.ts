// Weighted chord symbol recall for the chord tests: a thin layer over the mir_eval port in
// test/bench/mireval (one implementation of the metric), plus demo chord symbols → Harte labels.
import { parseChord } from '../../../app/demo/chords.ts';
import type { ChordQuality as DemoQuality } from '../../../app/demo/chords.ts';
import { evaluateChords, majmin as majminRule, sevenths as seventhsRule } from '../../bench/mireval/chord.ts';

export interface Labeled {
  start: number;
  end: number;
  label: string;
}

/** A mir_eval comparison of one reference label with one estimate: 1, 0, or −1 when not scored. */
export type Comparison = ((ref: string, est: string) => number) & { metric: 'majmin' | 'sevenths' };

/** mir_eval.chord.majmin for one pair of labels. */
export const majmin: Comparison = Object.assign((r: string, e: string) => majminRule([r], [e])[0]!, { metric: 'majmin' as const });

/** mir_eval.chord.sevenths for one pair of labels. */
export const sevenths: Comparison = Object.assign((r: string, e: string) => seventhsRule([r], [e])[0]!, { metric: 'sevenths' as const });

/** Weighted accuracy of `est` against `ref` under a comparison rule (mir_eval's evaluate pipeline). */
export function wcsr(ref: readonly Labeled[], est: readonly Labeled[], compare: Comparison): number {
  if (ref.length === 0) return 0;
  const ivs = (segs: readonly Labeled[]) => segs.map((s) => [s.start, s.end] as const);
  const estimate = est.length > 0 ? est : [{ start: ref[0]!.start, end: ref[0]!.end, label: 'N' }];
  return evaluateChords(ivs(ref), ref.map((s) => s.label), ivs(estimate), estimate.map((s) => s.label)).scores[compare.metric];
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
