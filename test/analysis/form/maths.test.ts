// The pure functions of form analysis on hand-made inputs: novelty, peaks, grouping, loops, labels,
// the bar grid, and the mir_eval segment-detection port the form tests score with.
import { describe, expect, it } from 'vitest';
import { barEdges } from '../../../app/analysis/form/features.ts';
import { clusterSegments, groupLetter, segmentSimilarity, transposedSimilarities } from '../../../app/analysis/form/groups.ts';
import { labelSections } from '../../../app/analysis/form/labels.ts';
import type { Segment } from '../../../app/analysis/form/labels.ts';
import { delayEmbed, footeNovelty, pickPeaks, recurrence, selfSimilarity, standardise, structureNovelty } from '../../../app/analysis/form/novelty.ts';
import { loopSummary, numeralsIn, shortestPeriod } from '../../../app/analysis/form/progression.ts';
import type { RomanChord } from '../../../app/analysis/types.ts';
import { segmentDetection } from '../../bench/mireval/segment.ts';

/** A 24-dim bar vector with one treble and one bass pitch class lit. */
const bar = (pc: number, bassPc = pc) => {
  const v = new Float64Array(24);
  v[pc] = 1;
  v[12 + bassPc] = 1;
  return v;
};
const argmax = (xs: readonly number[]) => xs.reduce((a, x, i) => (x > xs[a]! ? i : a), 0);

describe('novelty', () => {
  it('the checkerboard kernel peaks at the edge between two homogeneous blocks', () => {
    const xs = [...Array.from({ length: 10 }, () => bar(0)), ...Array.from({ length: 10 }, () => bar(7))];
    const nov = footeNovelty(standardise(selfSimilarity(xs)), 4);
    expect(argmax(nov)).toBe(10);
    expect(nov[10]!).toBeGreaterThan(3 * Math.max(...nov.filter((_, i) => Math.abs(i - 10) > 4)));
  });

  it('structure features change where the repetition pattern changes (AAB: end of the repeat)', () => {
    // A = a 4-bar loop played twice (bars 0–7), then 8 bars of new material B.
    const loop = [bar(0), bar(7), bar(9), bar(5)];
    const xs = [...loop, ...loop, bar(2), bar(4), bar(11), bar(6), bar(1), bar(3), bar(8), bar(10)];
    const sf = structureNovelty(recurrence(selfSimilarity(delayEmbed(xs, 2)), 2), 1);
    expect(Math.max(...sf)).toBe(1);
    const peak = argmax(sf);
    expect(peak).toBeGreaterThanOrEqual(3);
    expect(peak).toBeLessThanOrEqual(9);
  });

  it('picks the strongest local maxima above the threshold, at least minGap apart', () => {
    const nov = [0, 0.2, 1, 0.3, 0.9, 0.1, 0.1, 0.6, 0.1, 0.2, 0];
    expect(pickPeaks(nov, 1, 0.5, 3)).toEqual([2, 7]);
    expect(pickPeaks(nov, 1, 0.5, 1)).toEqual([2, 4, 7]);
    expect(pickPeaks(new Array(8).fill(0), 2, 0.3, 2)).toEqual([]);
  });
});

describe('grouping', () => {
  const verse = [bar(0), bar(7), bar(9), bar(5)];
  const chorus = [bar(5), bar(7), bar(4), bar(9)];
  const up2 = (v: Float64Array) => {
    const out = new Float64Array(24);
    for (let k = 0; k < 12; k++) {
      out[(k + 2) % 12] = v[k]!;
      out[12 + ((k + 2) % 12)] = v[12 + k]!;
    }
    return out;
  };
  const bars = [...verse, ...chorus, ...verse, ...chorus, ...chorus.map(up2)];

  it('repeats score high, different loops low, a transposed repeat nearly as high', () => {
    const v1 = { from: 0, to: 4 };
    const c1 = { from: 4, to: 8 };
    const v2 = { from: 8, to: 12 };
    const cUp = { from: 16, to: 20 };
    const sims = transposedSimilarities(bars);
    expect(segmentSimilarity(sims, v1, v2)).toBeCloseTo(1, 6);
    expect(segmentSimilarity(sims, v1, c1)).toBeLessThan(0.5);
    expect(segmentSimilarity(sims, c1, cUp)).toBeCloseTo(0.9, 6);
    // A 2-bar piece of the verse inside the 4-bar verse: matched, but lowered for being under half as long.
    expect(segmentSimilarity(sims, { from: 0, to: 2 }, { from: 8, to: 16 })).toBeCloseTo(0.75, 6);
  });

  it('clusters by average linkage and names groups in order of appearance', () => {
    const sim = [
      [1, 0.2, 0.9, 0.1],
      [0.2, 1, 0.3, 0.85],
      [0.9, 0.3, 1, 0.2],
      [0.1, 0.85, 0.2, 1],
    ].map((r) => Float64Array.from(r));
    expect(clusterSegments(sim, 0.8)).toEqual([0, 1, 0, 1]);
    expect(clusterSegments(sim, 0.95)).toEqual([0, 1, 2, 3]);
    expect([0, 1, 25, 26, 27].map(groupLetter)).toEqual(['A', 'B', 'Z', 'AA', 'AB']);
  });
});

describe('labels', () => {
  const seg = (start: number, end: number, group: number, loudnessDb: number, lead: number | null = null): Segment => ({ start, end, group, loudnessDb, lead, cohesion: 1 });

  it('intro–verse–chorus–verse–chorus–bridge–chorus–outro from groups and loudness', () => {
    const segs = [seg(0, 8, 0, -20), seg(8, 24, 1, -16), seg(24, 40, 2, -12), seg(40, 56, 1, -16), seg(56, 72, 2, -12), seg(72, 80, 3, -17), seg(80, 96, 2, -12), seg(96, 104, 4, -20)];
    expect(labelSections(segs).map((l) => l.label)).toEqual(['intro', 'verse', 'chorus', 'verse', 'chorus', 'bridge', 'chorus', 'outro']);
  });

  it('a short group right before each chorus is a pre-chorus; a quiet repeat of the verse group is a verse', () => {
    const segs = [seg(0, 16, 0, -16), seg(16, 20, 1, -15), seg(20, 36, 2, -12), seg(36, 52, 0, -16), seg(52, 56, 1, -15), seg(56, 72, 2, -12)];
    expect(labelSections(segs).map((l) => l.label)).toEqual(['verse', 'pre-chorus', 'chorus', 'verse', 'pre-chorus', 'chorus']);
  });

  it('AABA: one repeated group of even loudness is the verse, no chorus; a lead-less repeat is instrumental', () => {
    const segs = [seg(0, 4, 0, -18, 0.05), seg(4, 20, 1, -15, 0.06), seg(20, 36, 1, -14, 0.02), seg(36, 52, 2, -15, 0.06), seg(52, 68, 1, -15, 0.06), seg(68, 72, 3, -18, 0.05)];
    const labels = labelSections(segs);
    expect(labels.map((l) => l.label)).toEqual(['intro', 'verse', 'instrumental', 'bridge', 'verse', 'outro']);
  });

  it('nothing repeats: no chorus unless one section stands out, and then with low confidence', () => {
    const flat = [seg(0, 16, 0, -15), seg(16, 32, 1, -15), seg(32, 48, 2, -15), seg(48, 64, 3, -15)];
    expect(labelSections(flat).map((l) => l.label)).not.toContain('chorus');
    const loud = [seg(0, 16, 0, -15), seg(16, 32, 1, -10), seg(32, 48, 2, -15), seg(48, 64, 3, -15)];
    const labels = labelSections(loud);
    expect(labels[1]!.label).toBe('chorus');
    expect(labels[1]!.confidence).toBeLessThan(0.5);
    expect(labelSections([seg(0, 10, 0, -15)])).toEqual([{ label: 'verse', confidence: 0.1 }]);
    expect(labelSections([])).toEqual([]);
  });
});

describe('chord loops', () => {
  it('finds the shortest period, tolerating a wrong chord, and writes one loop', () => {
    expect(shortestPeriod(['I', 'V', 'vi', 'IV', 'I', 'V', 'vi', 'IV'])).toBe(4);
    expect(loopSummary(['I', 'V', 'vi', 'IV', 'I', 'V', 'vi', 'IV', 'I', 'V'])).toBe('I–V–vi–IV');
    expect(loopSummary(['i', 'VII', 'VI', 'V', 'i', 'VII', 'III', 'V', 'i', 'VII', 'VI', 'V'])).toBe('i–VII–VI–V');
    expect(loopSummary(['ii', 'V', 'I'])).toBe('ii–V–I');
    expect(loopSummary(['I', 'ii', 'iii', 'IV', 'V', 'vi', 'vii°', 'I', 'ii', 'iii'])).toBe('I–ii–iii–IV–V–vi–vii°–I–…');
    expect(loopSummary([])).toBe('');
  });

  it('takes the numerals mostly inside the span, skipping N and short chords, merging repeats', () => {
    const rc = (start: number, end: number, numeral: string) => ({ chordIndex: 0, start, end, numeral, key: { tonic: 0, mode: 'major' as const }, function: 'tonic' as const }) satisfies RomanChord;
    const romans = [rc(0, 2, 'I'), rc(2, 4, 'I'), rc(4, 4.2, 'ii'), rc(4.2, 6, 'V'), rc(6, 7, 'N'), rc(7, 9.5, 'vi'), rc(9.5, 12, 'IV')];
    expect(numeralsIn(romans, 0, 10, 0.4)).toEqual(['I', 'V', 'vi']);
  });
});

describe('bar grid', () => {
  it('starts at 0, ends at the duration, keeps a pickup of at least half a bar', () => {
    const downbeats = [1, 3, 5, 7, 9];
    expect(barEdges({ beats: [], downbeats, beatsPerBar: 4 }, 10)).toEqual([0, 1, 3, 5, 7, 9, 10]);
    expect(barEdges({ beats: [], downbeats: [0.4, 2.4, 4.4, 6.4], beatsPerBar: 4 }, 8)).toEqual([0, 2.4, 4.4, 6.4, 8]);
  });

  it('falls back to beats by the meter, then to a 2-second grid', () => {
    const beats = Array.from({ length: 16 }, (_, i) => 0.5 * i);
    expect(barEdges({ beats, downbeats: [], beatsPerBar: 4 }, 8)).toEqual([0, 2, 4, 6, 8]);
    expect(barEdges({ beats: [], downbeats: [], beatsPerBar: 4 }, 7)).toHaveLength(5);
    expect(barEdges({ beats: [], downbeats: [], beatsPerBar: 4 }, 1)).toEqual([0, 1]);
  });
});

describe('mir_eval segment detection port', () => {
  it('matches boundaries one-to-one within the window, with and without the track ends', () => {
    const ref = [[0, 10], [10, 20], [20, 30]] as const;
    const est = [[0, 12], [12, 14], [14, 30]] as const;
    // Boundaries 0 10 20 30 vs 0 12 14 30: at ±3 s, 0, 30 and one of 12/14 ↔ 10 match (20 ↔ none within 3 s? 20−14 = 6).
    expect(segmentDetection(ref, est, 3)).toEqual({ precision: 0.75, recall: 0.75, f: 0.75 });
    // Trimmed: 10 20 vs 12 14 → one match of two each.
    expect(segmentDetection(ref, est, 3, 1, true)).toEqual({ precision: 0.5, recall: 0.5, f: 0.5 });
    expect(segmentDetection(ref, est, 0.5).f).toBeCloseTo(0.5, 9);
    expect(segmentDetection([[0, 5]], [[0, 5]], 3, 1, true).f).toBe(0);
  });
});
