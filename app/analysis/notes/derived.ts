// Facts derived from a transcription: the bass line per beat and the range of the top line.
import type { BassBeat, MelodyRange, TranscribedNote } from './types.ts';

const NAMES = ['C', 'C♯', 'D', 'E♭', 'E', 'F', 'F♯', 'G', 'A♭', 'A', 'B♭', 'B'];

/** Scientific pitch name of a MIDI note (60 → 'C4'). */
export const pitchName = (midi: number): string => `${NAMES[((midi % 12) + 12) % 12]}${Math.floor(midi / 12) - 1}`;

/** Beat intervals from beat times; the last beat lasts the median beat length. Without beats: a 0.5 s grid. */
export function beatGrid(beats: readonly number[], durationSec: number): { start: number; end: number }[] {
  if (beats.length < 2) {
    const grid = [];
    for (let t = 0; t < durationSec; t += 0.5) grid.push({ start: t, end: Math.min(durationSec, t + 0.5) });
    return grid;
  }
  const gaps = beats.slice(1).map((b, i) => b - beats[i]!).sort((a, b) => a - b);
  const median = gaps[Math.floor(gaps.length / 2)]!;
  return beats.map((b, i) => ({ start: b, end: i + 1 < beats.length ? beats[i + 1]! : Math.min(durationSec, b + median) }));
}

/**
 * The bass line: per beat, the lowest note that sounds for at least a quarter of the beat (so a
 * note's tail or a passing grace note does not count).
 */
export function bassLine(notes: readonly TranscribedNote[], grid: readonly { start: number; end: number }[]): BassBeat[] {
  const byStart = [...notes].sort((a, b) => a.start - b.start);
  return grid.map(({ start, end }) => {
    const need = 0.25 * (end - start);
    let lowest: number | null = null;
    for (const n of byStart) {
      if (n.start >= end) break;
      const overlap = Math.min(end, n.end) - Math.max(start, n.start);
      if (overlap >= need && (lowest === null || n.pitch < lowest)) lowest = n.pitch;
    }
    return { start, end, pitch: lowest };
  });
}

/**
 * Range of the top line ("skyline" melody extraction, Uitdenbogerd & Zobel 1999): at each moment the
 * highest sounding note; pitches held for less than 0.1 s in total are ignored. Null without notes.
 * Tessitura: where the top line mostly lies, measured as the pitches between the time-weighted 10th
 * and 90th percentiles of its sounding time (the middle 80 %).
 */
export function melodyRange(notes: readonly TranscribedNote[], minHold = 0.1): MelodyRange | null {
  const times = [...new Set(notes.flatMap((n) => [n.start, n.end]))].sort((a, b) => a - b);
  const held = new Map<number, number>();
  for (let i = 0; i + 1 < times.length; i++) {
    const a = times[i]!;
    const b = times[i + 1]!;
    let top = -1;
    for (const n of notes) if (n.start <= a && n.end >= b && n.pitch > top) top = n.pitch;
    if (top >= 0) held.set(top, (held.get(top) ?? 0) + (b - a));
  }
  const pitches = [...held].filter(([, s]) => s >= minHold).map(([p]) => p);
  if (pitches.length === 0) return null;
  const lowest = Math.min(...pitches);
  const highest = Math.max(...pitches);
  const kept = [...held].filter(([, s]) => s >= minHold).sort((a, b) => a[0] - b[0]);
  const total = kept.reduce((t, [, s]) => t + s, 0);
  const at = (q: number): number => {
    let acc = 0;
    for (const [p, s] of kept) if ((acc += s) >= q * total - 1e-9) return p;
    return highest;
  };
  const low = at(0.1);
  const high = at(0.9);
  return {
    lowest,
    highest,
    lowestName: pitchName(lowest),
    highestName: pitchName(highest),
    semitones: highest - lowest,
    tessitura: { low, high, lowName: pitchName(low), highName: pitchName(high) },
  };
}
