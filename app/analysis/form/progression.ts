// A section's chord loop in Roman numerals: the shortest period of its numeral sequence (pure functions).
import type { RomanChord } from '../types.ts';

/** Share of positions that must agree with the position one period later for the period to count. */
const LOOP_AGREEMENT = 0.75;
/** Longest progression written out when no loop is found. */
const MAX_NUMERALS = 8;

/**
 * The numerals sounding in [start, end): chords that lie mostly inside the span and last at least
 * `minSec`, 'N' left out, repeats of one numeral merged.
 */
export function numeralsIn(romans: readonly RomanChord[], start: number, end: number, minSec: number): string[] {
  const out: string[] = [];
  for (const r of romans) {
    const inside = Math.min(end, r.end) - Math.max(start, r.start);
    if (r.numeral === 'N' || inside < minSec || inside < (r.end - r.start) / 2) continue;
    if (out[out.length - 1] !== r.numeral) out.push(r.numeral);
  }
  return out;
}

/**
 * The shortest period p of a sequence such that at least 75 % of positions i agree with i + p, over
 * at least one full repeat (the period of a string, Knuth–Morris–Pratt 1977, relaxed for
 * recognition errors); null when none is shorter than half the sequence.
 */
export function shortestPeriod(seq: readonly string[]): number | null {
  for (let p = 1; p * 2 <= seq.length; p++) {
    let agree = 0;
    for (let i = 0; i + p < seq.length; i++) if (seq[i] === seq[i + p]) agree++;
    if (agree / (seq.length - p) >= LOOP_AGREEMENT) return p;
  }
  return null;
}

/** The chord loop of a numeral sequence, '–' joined: one period of it, or the whole (at most 8, then '…'). */
export function loopSummary(seq: readonly string[]): string {
  if (seq.length === 0) return '';
  const p = shortestPeriod(seq);
  if (p !== null) return seq.slice(0, p).join('–');
  return seq.length <= MAX_NUMERALS ? seq.join('–') : `${seq.slice(0, MAX_NUMERALS).join('–')}–…`;
}
