import { describe, expect, it } from 'vitest';
import { checkBeatGrid, offsetToNearest } from './pop909/gridCheck.ts';

const grid = (period: number, n: number, start = 0): number[] => Array.from({ length: n }, (_, i) => start + i * period);

describe('checkBeatGrid: does a reference beat grid agree with its own chord changes?', () => {
  const beats = grid(0.5, 120);

  it('offsetToNearest gives the signed distance to the nearest beat', () => {
    expect(offsetToNearest(beats, 10.1)).toBeCloseTo(0.1, 12);
    expect(offsetToNearest(beats, 10.4)).toBeCloseTo(-0.1, 12);
    expect(offsetToNearest(beats, -1)).toBeCloseTo(-1, 12);
    expect(offsetToNearest(beats, 100)).toBeCloseTo(100 - 59.5, 12);
  });

  it('agrees when the chord changes fall on beats (within ±35 ms)', () => {
    const starts = grid(2, 25, 6).map((t, i) => t + (i % 2 ? 0.02 : -0.03));
    const c = checkBeatGrid(beats, starts, starts.map(() => 'C:maj'));
    expect(c.agrees).toBe(true);
    expect(c.onGrid).toBe(1);
    expect(c.medianOffsetMs).toBeGreaterThan(19);
    expect(c.medianOffsetMs).toBeLessThan(31);
  });

  it('disagrees when every change sits half a beat, or 100 ms, off the grid', () => {
    for (const shift of [0.25, 0.1, -0.08]) {
      const starts = grid(2, 25, 6 + shift);
      const c = checkBeatGrid(beats, starts, starts.map(() => 'A:min'));
      expect(c.agrees).toBe(false);
      expect(c.onGrid).toBe(0);
      expect(c.medianOffsetMs).toBeCloseTo(Math.abs(shift) * 1000, 6);
    }
  });

  it('needs half of the changes on the grid; N segments and the first 5 s are not counted', () => {
    const starts = [1.3, 6, 8.2, 10, 12.2, 14.25];
    expect(checkBeatGrid(beats, starts, ['C:maj', 'C:maj', 'F:maj', 'N', 'G:maj', 'C:maj']).agrees).toBe(false);
    expect(checkBeatGrid(beats, starts, ['C:maj', 'C:maj', 'N', 'G:maj', 'F:maj', 'C:maj']).onGrid).toBeCloseTo(0.5, 12);
    expect(checkBeatGrid(beats, starts, ['C:maj', 'C:maj', 'N', 'G:maj', 'F:maj', 'C:maj']).agrees).toBe(true);
  });

  it('cannot check without beats or changes, and then does not exclude the song', () => {
    expect(checkBeatGrid([], [6, 8], ['C:maj', 'G:maj'])).toMatchObject({ agrees: true, changes: 2 });
    expect(checkBeatGrid(beats, [1, 2], ['C:maj', 'G:maj'])).toMatchObject({ agrees: true, changes: 0 });
    expect(Number.isNaN(checkBeatGrid(beats, [], []).onGrid)).toBe(true);
  });
});
