import { describe, expect, it } from 'vitest';
import { beatGrid, decodeKeyPath, frameRange, medianChroma } from '../../../app/analysis/key/index.ts';

describe('beat grid', () => {
  it('covers [0, duration] with beat spans grouped into bars at the downbeats', () => {
    const beats = [1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5];
    const g = beatGrid({ beats, downbeats: [1, 3], beatsPerBar: 4 }, 5.2);
    expect(g.period).toBeCloseTo(0.5, 9);
    // Lead-in cut into beat-long pieces, the beats, then a tail piece to the end.
    expect(g.beats.map((b) => b.start)).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5]);
    expect(g.beats[g.beats.length - 1]!.end).toBe(5.2);
    expect(g.bars.map((b) => [b.start, b.beatCount])).toEqual([
      [0, 2],
      [1, 4],
      [3, 4],
    ]);
    expect(g.beats.map((b) => b.beatInBar)).toEqual([0, 1, 0, 1, 2, 3, 0, 1, 2, 3]);
  });

  it('counts bars from the first beat without downbeats, and falls back to a fixed grid without beats', () => {
    const g = beatGrid({ beats: [0.2, 0.7, 1.2, 1.7, 2.2, 2.7], downbeats: [], beatsPerBar: 3 }, 3);
    expect(g.bars.map((b) => b.start)).toEqual([0, 1.7]);
    const none = beatGrid(null, 2);
    expect(none.beats).toHaveLength(4);
    expect(none.beats[3]!.end).toBe(2);
    expect(beatGrid(null, 0).beats).toEqual([]);
  });

  it('picks frames by their centre time and takes per-bin medians', () => {
    expect(frameRange({ frameRate: 10, frameCount: 100 }, { start: 1, end: 2 })).toEqual([10, 20]);
    expect(frameRange({ frameRate: 10, frameCount: 100 }, { start: 1.01, end: 1.02 })).toEqual([10, 11]);
    const chroma = new Float32Array(3 * 12);
    [0.1, 0.9, 0.2].forEach((v, i) => (chroma[i * 12] = v));
    expect(medianChroma(chroma, 0, 3)[0]).toBeCloseTo(0.2, 6);
  });
});

describe('local key decoding', () => {
  const em = (k: number, strength = 3) => Float64Array.from({ length: 24 }, (_, i) => (i === k ? strength : 0));
  it('makes every key segment last the minimum number of bars and charges each change', () => {
    // 8 bars of key 0, 2 bars of key 7, 8 bars of key 0: too short to be a segment.
    const path = decodeKeyPath([...Array(8).fill(em(0)), em(7), em(7), ...Array(8).fill(em(0))], 4, 4);
    expect(new Set(path)).toEqual(new Set([0]));
    // 8 + 6 bars: a modulation.
    const mod = decodeKeyPath([...Array(8).fill(em(0)), ...Array(6).fill(em(2))], 4, 4);
    expect(mod).toEqual([...Array(8).fill(0), ...Array(6).fill(2)]);
    // A move to the relative key costs more.
    const rel = [...Array(8).fill(em(0)), ...Array(4).fill(em(21, 1.5))];
    expect(decodeKeyPath(rel, 4, 4, 1).slice(-1)).toEqual([21]);
    expect(decodeKeyPath(rel, 4, 4, 2).slice(-1)).toEqual([0]);
  });
});
