import { describe, expect, it } from 'vitest';
import { beatFMeasure, matchEvents, trimBeats } from './beatEval.ts';

describe('beat F-measure (after mir_eval.beat.f_measure)', () => {
  const ref = [1, 1.5, 2, 2.5, 3];

  it('is 1 for identical beats and for beats within ±70 ms, 0 beyond', () => {
    expect(beatFMeasure(ref, ref)).toBe(1);
    expect(beatFMeasure(ref, ref.map((t) => t + 0.069))).toBe(1);
    expect(beatFMeasure(ref, ref.map((t) => t - 0.0699))).toBe(1);
    expect(beatFMeasure(ref, ref.map((t) => t + 0.071))).toBe(0);
  });

  it('is 2PR/(P+R): half the beats found gives P = 1, R = 0.5, F = 2/3; doubled beats give P = 0.5, R = 1', () => {
    expect(beatFMeasure(ref, [1, 2, 3])).toBeCloseTo(2 * (1 * 0.6) / 1.6, 12);
    const doubled = ref.flatMap((t) => [t, t + 0.25]);
    expect(beatFMeasure(ref, doubled)).toBeCloseTo(2 / 3, 12);
  });

  it('is 0 when either list is empty', () => {
    expect(beatFMeasure([], [1])).toBe(0);
    expect(beatFMeasure([1], [])).toBe(0);
  });

  it('matches each beat at most once, maximally (two estimates near one reference count once)', () => {
    expect(matchEvents([1], [0.97, 1.03], 0.07)).toBe(1);
    // Greedy-by-nearest would pair 1.05 with 1.0 and lose 1.1; the maximum matching pairs 1.0–0.96 and 1.1–1.05.
    expect(matchEvents([1, 1.1], [0.96, 1.05], 0.07)).toBe(2);
    expect(matchEvents([1, 2, 3], [3.01, 1.02], 0.07)).toBe(2);
  });

  it('trims beats before 5 s like mir_eval.beat.trim_beats', () => {
    expect(trimBeats([1, 4.99, 5, 6])).toEqual([5, 6]);
  });
});
