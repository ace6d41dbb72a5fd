// The TypeScript ports of mir_eval (test/bench/mireval/): hand-checked examples, then a comparison
// with outputs of the real mir_eval 0.8.2 stored in test/bench/mireval/fixtures.json (make_fixtures.py).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ChordMetric, Interval } from './mireval/index.ts';
import { estimatedChordIntervals, failedSongScore, scoreSong, summarise } from './accuracyScore.ts';
import { datasetAvailable, datasetDir, listSongIds, selectSubset } from './pop909/dataset.ts';
import type { SongTruth } from './pop909/groundTruth.ts';
import { loadTruth, truthAsAnalysis } from './pop909/groundTruth.ts';
import {
  CHORD_COMPARATORS,
  CHORD_METRICS,
  InvalidChordException,
  adjustIntervals,
  beatFMeasure,
  encodeChord,
  evaluateBeatF,
  evaluateChords,
  fMeasure,
  jamsKeyToMirEval,
  keyString,
  keyWeightedScore,
  majmin,
  majminInv,
  matchEvents,
  mergeLabeledIntervals,
  pitchClassToSemitone,
  precisionRecall,
  root,
  scaleDegreeToSemitone,
  sevenths,
  seventhsInv,
  splitChord,
  tempoAcc1,
  tempoAcc2,
  trimBeats,
  weightedAccuracy,
} from './mireval/index.ts';

describe('Harte chord labels (mir_eval.chord.split / encode)', () => {
  it('splits labels into root, quality, scale degrees and bass', () => {
    expect(splitChord('C')).toEqual({ root: 'C', quality: 'maj', scaleDegrees: new Set(), bass: '1' });
    expect(splitChord('G#:min(*b3,*5)/5')).toEqual({ root: 'G#', quality: 'min', scaleDegrees: new Set(['*b3', '*5']), bass: '5' });
    expect(splitChord('A:(3)/6')).toEqual({ root: 'A', quality: '', scaleDegrees: new Set(['3']), bass: '6' });
    expect(splitChord('N')).toEqual({ root: 'N', quality: '', scaleDegrees: new Set(), bass: '' });
    expect(splitChord('C:9', true)).toEqual({ root: 'C', quality: '7', scaleDegrees: new Set(['9']), bass: '1' });
    expect(splitChord('C:maj9', true).quality).toBe('maj7');
  });

  it('spells pitch classes and scale degrees', () => {
    expect(pitchClassToSemitone('C#')).toBe(1);
    expect(pitchClassToSemitone('Gbb')).toBe(5);
    expect(pitchClassToSemitone('Cb')).toBe(11);
    expect(pitchClassToSemitone('B#')).toBe(0);
    expect(scaleDegreeToSemitone('b3')).toBe(3);
    expect(scaleDegreeToSemitone('#5')).toBe(8);
    expect(scaleDegreeToSemitone('9')).toBe(14);
  });

  it('encodes qualities as bitmaps, with the bass added to the chord', () => {
    const bits = (...semis: number[]): number[] => Array.from({ length: 12 }, (_, i) => (semis.includes(i) ? 1 : 0));
    expect(encodeChord('C:maj')).toEqual({ root: 0, bitmap: bits(0, 4, 7), bass: 0 });
    expect(encodeChord('A:min7')).toEqual({ root: 9, bitmap: bits(0, 3, 7, 10), bass: 0 });
    expect(encodeChord('G:7/3')).toEqual({ root: 7, bitmap: bits(0, 4, 7, 10), bass: 4 });
    expect(encodeChord('C:hdim7').bitmap).toEqual(bits(0, 3, 6, 10));
    expect(encodeChord('C:dim7').bitmap).toEqual(bits(0, 3, 6, 9));
    expect(encodeChord('C:min6').bitmap).toEqual(bits(0, 3, 7, 9));
    expect(encodeChord('C:maj6').bitmap).toEqual(bits(0, 4, 7, 9));
    expect(encodeChord('C:sus2').bitmap).toEqual(bits(0, 2, 7));
    expect(encodeChord('C:sus4').bitmap).toEqual(bits(0, 5, 7));
    expect(encodeChord('C:aug').bitmap).toEqual(bits(0, 4, 8));
    // 9ths: the shorthand is its seventh chord (the 9 lies outside the octave and is dropped)...
    expect(encodeChord('C:9').bitmap).toEqual(bits(0, 4, 7, 10));
    expect(encodeChord('C:maj(9)').bitmap).toEqual(bits(0, 4, 7));
    // ...unless reduced with modulo, which folds it in as a 2.
    expect(encodeChord('C:9', true).bitmap).toEqual(bits(0, 2, 4, 7, 10));
    // Interval lists and omissions.
    expect(encodeChord('C:(1,5)').bitmap).toEqual(bits(0, 7));
    expect(encodeChord('C:min(*b3)').bitmap).toEqual(bits(0, 7));
    // A bass outside the chord is added to it: C/b7 is spelled like C7.
    expect(encodeChord('C:maj/b7')).toEqual({ root: 0, bitmap: bits(0, 4, 7, 10), bass: 10 });
    expect(encodeChord('N')).toEqual({ root: -1, bitmap: bits(), bass: -1 });
    expect(encodeChord('X')).toEqual({ root: -1, bitmap: new Array(12).fill(-1), bass: -1 });
  });

  it('rejects malformed labels like mir_eval', () => {
    for (const bad of ['H:maj', 'C:maj7sus', 'C:maj/', 'C::min', 'c:maj', 'C:min(b3', 'Cmaj']) {
      expect(() => encodeChord(bad), bad).toThrow(InvalidChordException);
    }
    // Valid grammar but no bitmap for the shorthand: mir_eval raises in quality_to_bitmap.
    expect(() => encodeChord('C:aug7')).toThrow(/Unsupported chord quality/);
    // An omission needs the ':' (the grammar rejects 'C(*3)'); 'C:(*3)' is just the root.
    expect(() => encodeChord('C(*3)')).toThrow(InvalidChordException);
    expect(encodeChord('C:(*3)').bitmap).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe('chord comparisons (mir_eval.chord)', () => {
  const one = (fn: (r: string[], e: string[]) => number[], ref: string, est: string): number => fn([ref], [est])[0]!;

  it("'C:maj' vs 'C:maj7': right under majmin, wrong under sevenths", () => {
    expect(one(majmin, 'C:maj', 'C:maj7')).toBe(1);
    expect(one(majmin, 'C:maj7', 'C:maj')).toBe(1);
    expect(one(sevenths, 'C:maj', 'C:maj7')).toBe(0);
    expect(one(sevenths, 'C:maj7', 'C:maj')).toBe(0);
    expect(one(sevenths, 'C:maj7', 'C:maj7')).toBe(1);
    expect(one(sevenths, 'C:7', 'C:maj7')).toBe(0);
  });

  it("'C:maj/3' vs 'C:maj': right under majmin, wrong under majmin_inv", () => {
    expect(one(majmin, 'C:maj/3', 'C:maj')).toBe(1);
    expect(one(majminInv, 'C:maj/3', 'C:maj')).toBe(0);
    expect(one(majminInv, 'C:maj/3', 'C:maj/3')).toBe(1);
    expect(one(sevenths, 'G:7/3', 'G:7')).toBe(1);
    expect(one(seventhsInv, 'G:7/3', 'G:7')).toBe(0);
  });

  it('root compares roots only, N with N counts, X references are left out', () => {
    expect(one(root, 'C:maj', 'C:min7')).toBe(1);
    expect(one(root, 'C:maj', 'Db:maj')).toBe(0);
    expect(one(root, 'C#:min', 'Db:min')).toBe(1);
    expect(one(root, 'N', 'N')).toBe(1);
    expect(one(root, 'N', 'C:maj')).toBe(0);
    expect(one(root, 'X', 'C:maj')).toBe(-1);
  });

  it('leaves references outside the vocabulary out of the score (-1)', () => {
    for (const ref of ['C:sus2', 'C:sus4', 'C:dim', 'C:aug', 'C:(1)', 'C:(1,5)', 'C:maj/2', 'X']) {
      expect(one(majmin, ref, 'C:maj'), ref).toBe(-1);
      expect(one(majminInv, ref, 'C:maj'), ref).toBe(-1);
    }
    // 7ths and inversions are in majmin's vocabulary (compared as triads).
    for (const ref of ['C:7', 'C:maj7', 'C:min7', 'C:maj/5', 'C:maj6', 'C:min6', 'C:9', 'C:maj/b7']) {
      expect(one(majmin, ref, 'N'), ref).toBe(0);
    }
    expect(one(majmin, 'C:min6', 'C:min')).toBe(1);
    // hdim7 and dim7 have a b5: not a maj or min triad, so left out.
    expect(one(majmin, 'C:hdim7', 'C:min')).toBe(-1);
    expect(one(majmin, 'C:dim7', 'C:dim')).toBe(-1);
    for (const ref of ['C:hdim7', 'C:dim7', 'C:min6', 'C:maj6', 'C:minmaj7', 'C:sus4', 'C:dim', 'X']) {
      expect(one(sevenths, ref, 'C:maj'), ref).toBe(-1);
      expect(one(seventhsInv, ref, 'C:maj'), ref).toBe(-1);
    }
    expect(one(sevenths, 'C:maj/b7', 'C:7')).toBe(1); // the bass makes it a C7
    expect(one(majmin, 'N', 'N')).toBe(1);
    expect(one(sevenths, 'N', 'C:maj')).toBe(0);
  });

  it('an X estimate is always wrong', () => {
    expect(one(majmin, 'C:maj', 'X')).toBe(0);
    expect(one(root, 'C:maj', 'X')).toBe(0);
  });

  it('weighted_accuracy drops -1 comparisons and normalises by the rest', () => {
    expect(weightedAccuracy([1, 0, -1], [2, 1, 5])).toBeCloseTo(2 / 3, 12);
    expect(weightedAccuracy([-1, -1], [1, 1])).toBe(0);
    expect(weightedAccuracy([1], [0])).toBe(0);
    expect(() => weightedAccuracy([1, 0], [1])).toThrow();
  });

  it('evaluateChords pads/crops the estimate to the reference and merges the boundaries', () => {
    const refIvs: Interval[] = [
      [0, 2],
      [2, 4],
    ];
    const estIvs: Interval[] = [
      [0, 1],
      [1, 3],
      [3, 5],
    ];
    const r = evaluateChords(refIvs, ['C:maj', 'G:7'], estIvs, ['C:maj', 'C:maj', 'G:maj']);
    // pieces: [0,1] C/C ✓, [1,2] C/C ✓, [2,3] G7/C ✗, [3,4] G7/G (✓ triad, ✗ seventh); [4,5] cropped.
    expect(r.scores.root).toBeCloseTo(0.75, 12);
    expect(r.scores.majmin).toBeCloseTo(0.75, 12);
    expect(r.scores.sevenths).toBeCloseTo(0.5, 12);
    expect(r.parts.majmin).toEqual({ correct: 3, total: 4 });
    // An estimate that starts late is padded with N.
    const late = evaluateChords([[0, 4]], ['C:maj'], [[1, 4]], ['C:maj']);
    expect(late.scores.majmin).toBeCloseTo(0.75, 12);
    // Excluded reference time does not count: a sus4 half is left out.
    const sus = evaluateChords(refIvs, ['C:sus4', 'G:maj'], [[0, 4]], ['G:maj']);
    expect(sus.scores.majmin).toBe(1);
    expect(sus.parts.majmin.total).toBe(2);
    expect(sus.scores.root).toBe(0.5);
  });

  it('adjust_intervals / merge_labeled_intervals', () => {
    expect(adjustIntervals([[1, 2], [2, 5]], ['a', 'b'], 0, 6, 'N', 'N')).toEqual({
      intervals: [[0, 1], [1, 2], [2, 5], [5, 6]],
      labels: ['N', 'a', 'b', 'N'],
    });
    expect(adjustIntervals([], [], 0, 3, 'N', 'N')).toEqual({ intervals: [[0, 3]], labels: ['N'] });
    expect(mergeLabeledIntervals([[0, 2], [2, 4]], ['a', 'b'], [[0, 3], [3, 4]], ['x', 'y'])).toEqual({
      intervals: [[0, 2], [2, 3], [3, 4]],
      xLabels: ['a', 'b', 'b'],
      yLabels: ['x', 'x', 'y'],
    });
    expect(() => mergeLabeledIntervals([[0, 2]], ['a'], [[0, 3]], ['x'])).toThrow(/do not align/);
  });
});

describe('key (mir_eval.key.weighted_score)', () => {
  it('scores same 1, fifth above 0.5, relative 0.3, parallel 0.2, else 0', () => {
    expect(keyWeightedScore('C major', 'C major')).toBe(1);
    expect(keyWeightedScore('C major', 'G major')).toBe(0.5); // estimate a fifth above
    expect(keyWeightedScore('C major', 'F major')).toBe(0); // a fifth below is not credited
    expect(keyWeightedScore('A minor', 'E minor')).toBe(0.5);
    expect(keyWeightedScore('C major', 'A minor')).toBe(0.3);
    expect(keyWeightedScore('A minor', 'C major')).toBe(0.3);
    expect(keyWeightedScore('C major', 'C minor')).toBe(0.2);
    expect(keyWeightedScore('C minor', 'C major')).toBe(0.2);
    expect(keyWeightedScore('C major', 'E minor')).toBe(0);
    expect(keyWeightedScore('C major', 'G minor')).toBe(0);
    expect(keyWeightedScore('C# major', 'Db major')).toBe(1);
    expect(keyWeightedScore('X', 'X')).toBe(1);
    expect(keyWeightedScore('C major', 'X')).toBe(0);
    expect(() => keyWeightedScore('C dorian', 'C major')).toThrow();
    expect(() => keyWeightedScore('H major', 'C major')).toThrow();
  });

  it('converts JAMS key_mode values and pitch classes', () => {
    expect(jamsKeyToMirEval('E:minor')).toBe('E minor');
    expect(jamsKeyToMirEval('Gb:major')).toBe('Gb major');
    expect(jamsKeyToMirEval('Cb:major')).toBe('B major');
    expect(jamsKeyToMirEval('N')).toBe('X');
    expect(jamsKeyToMirEval('D:dorian')).toBe('D other');
    expect(keyString(4, 'minor')).toBe('E minor');
    expect(keyString(-1, 'major')).toBe('B major');
  });
});

describe('beat F-measure (mir_eval.beat.f_measure, ±70 ms)', () => {
  const grid = (from: number, to: number, step: number): number[] => {
    const out: number[] = [];
    for (let t = from; t < to - 1e-9; t += step) out.push(Math.round(t * 1e6) / 1e6);
    return out;
  };
  const ref = grid(5, 35, 0.5);

  it('a 60 ms offset is inside the window, 80 ms is not', () => {
    expect(beatFMeasure(ref, ref.map((t) => t + 0.06))).toBe(1);
    expect(beatFMeasure(ref, ref.map((t) => t - 0.06))).toBe(1);
    expect(beatFMeasure(ref, ref.map((t) => t + 0.08))).toBe(0);
  });

  it('counts each beat once: double tempo gives precision 1/2, recall 1', () => {
    const doubled = grid(5, 35, 0.25);
    expect(beatFMeasure(ref, doubled)).toBeCloseTo(fMeasure(0.5, 1), 12);
    expect(fMeasure(0.5, 1)).toBeCloseTo(2 / 3, 12);
    expect(beatFMeasure(ref, [])).toBe(0);
  });

  it('evaluation trims beats before 5 s from both lists, as mir_eval.beat.evaluate does', () => {
    const fullRef = grid(0.5, 35, 0.5);
    const est = grid(5, 35, 0.5); // nothing before 5 s
    expect(trimBeats(fullRef)[0]).toBe(5);
    expect(evaluateBeatF(fullRef, est)).toBe(1);
    expect(beatFMeasure(fullRef, est)).toBeLessThan(1);
    expect(() => beatFMeasure([2, 1], [1])).toThrow(/increasing/);
  });

  it('matchEvents finds a maximum matching', () => {
    // Greedy-by-distance would pair 1.05 with 1.0 and leave 1.1 alone; the maximum pairs both.
    expect(matchEvents([1.0, 1.1], [1.05, 1.16], 0.07)).toHaveLength(2);
    expect(matchEvents([1.0, 2.0], [1.5], 0.07)).toHaveLength(0);
  });
});

describe('tempo Acc1 / Acc2', () => {
  it('Acc1 is ±4 % of the reference', () => {
    expect(tempoAcc1(100, 103.9)).toBe(true);
    expect(tempoAcc1(100, 96.1)).toBe(true);
    expect(tempoAcc1(100, 104.1)).toBe(false);
    expect(tempoAcc1(100, 200)).toBe(false);
  });
  it('Acc2 also accepts ×2, ×3, ×½, ×⅓', () => {
    for (const est of [100, 200, 300, 50, 33.4, 207]) expect(tempoAcc2(100, est), String(est)).toBe(true);
    for (const est of [150, 66.7, 120, 0, Number.NaN]) expect(tempoAcc2(100, est), String(est)).toBe(false);
  });
});

describe('precision / recall', () => {
  it('counts decisions', () => {
    const r = precisionRecall([
      { truth: true, predicted: true },
      { truth: true, predicted: false },
      { truth: false, predicted: true },
      { truth: false, predicted: false },
      { truth: true, predicted: true },
    ]);
    expect(r).toMatchObject({ truePositives: 2, falsePositives: 1, falseNegatives: 1, trueNegatives: 1 });
    expect(r.precision).toBeCloseTo(2 / 3, 12);
    expect(r.recall).toBeCloseTo(2 / 3, 12);
    expect(precisionRecall([{ truth: true, predicted: false }])).toMatchObject({ precision: 0, recall: 0, f: 0 });
  });
});

describe('agreement with mir_eval 0.8.2 (fixtures.json)', () => {
  interface Fixtures {
    version: string;
    encode: Record<string, { root: number; bitmap: number[]; bass: number }>;
    comparisons: { ref: string[]; est: string[] } & Record<ChordMetric, number[]>;
    chord_evaluate: { ref_intervals: Interval[]; ref_labels: string[]; est_intervals: Interval[]; est_labels: string[]; scores: Record<ChordMetric, number> }[];
    adjust_intervals: { intervals: Interval[]; labels: string[]; t_min: number; t_max: number; out_intervals: Interval[]; out_labels: string[] }[];
    key: { keys: string[]; scores: number[][] };
    beat: { ref: number[]; est: number[]; f_measure: number; f_measure_untrimmed: number }[];
  }
  const fx = JSON.parse(readFileSync(new URL('./mireval/fixtures.json', import.meta.url), 'utf8')) as Fixtures;

  it('encode', () => {
    expect(fx.version).toBe('0.8.2');
    for (const [label, want] of Object.entries(fx.encode)) expect(encodeChord(label), label).toEqual(want);
  });

  it('root, majmin, majmin_inv, sevenths, sevenths_inv', () => {
    const { ref, est } = fx.comparisons;
    expect(ref.length).toBeGreaterThan(1000);
    for (const metric of CHORD_METRICS) {
      const got = CHORD_COMPARATORS[metric](ref, est);
      const want = fx.comparisons[metric];
      const diffs = got.map((g, i) => (g === want[i] ? null : `${ref[i]} vs ${est[i]}: ${g} != ${want[i]}`)).filter(Boolean);
      expect(diffs, metric).toEqual([]);
    }
  });

  it('chord evaluate (adjusted, merged, duration-weighted)', () => {
    for (const c of fx.chord_evaluate) {
      const got = evaluateChords(c.ref_intervals, c.ref_labels, c.est_intervals, c.est_labels);
      for (const metric of CHORD_METRICS) expect(got.scores[metric], metric).toBeCloseTo(c.scores[metric], 10);
    }
  });

  it('adjust_intervals', () => {
    for (const c of fx.adjust_intervals) {
      expect(adjustIntervals(c.intervals, c.labels, c.t_min, c.t_max, 'N', 'N')).toEqual({ intervals: c.out_intervals, labels: c.out_labels });
    }
  });

  it('key weighted score, all 24 × 24 pairs', () => {
    fx.key.keys.forEach((r, i) => fx.key.keys.forEach((e, j) => expect(keyWeightedScore(r, e), `${r} / ${e}`).toBe(fx.key.scores[i]![j])));
  });

  it('beat F-measure, trimmed and untrimmed', () => {
    for (const b of fx.beat) {
      expect(evaluateBeatF(b.ref, b.est)).toBeCloseTo(b.f_measure, 12);
      expect(beatFMeasure(b.ref, b.est)).toBeCloseTo(b.f_measure_untrimmed, 12);
    }
  });
});

describe('accuracy scoring (accuracyScore.ts) on a synthetic song', () => {
  // 40 s of 4/4 at 120 BPM, beats every 0.5 s from 0.5 s, downbeats from 0.5 s; chords every 2 s.
  const beats = Array.from({ length: 79 }, (_, i) => 0.5 + i * 0.5);
  const labels = ['N', 'C:maj7', 'A:min', 'F:maj/3', 'G:7', 'C:sus4', 'C:maj', 'C:maj', 'G:maj', 'C:maj'];
  const truth: SongTruth = {
    id: 'synthetic',
    durationSec: 40,
    chords: { intervals: labels.map((_, i) => [i * 4, i * 4 + 4] as const), labels },
    key: { value: 'C:major', mirEval: 'C major', key: { tonic: 0, mode: 'major' } },
    keySegments: [{ start: 0, end: 40, value: 'C:major', key: { tonic: 0, mode: 'major' } }],
    beats,
    downbeats: beats.filter((_, i) => i % 4 === 0),
    tempoBpm: 120,
    timeSignature: '4/4',
    concepts: { modal_interchange: { present: true, count: 1, seconds: 2 }, modulation: { present: false, count: 0, seconds: 0 } },
    romans: [],
    scoreNotes: null,
  };

  it('the ground truth as the estimate scores 1 everywhere', () => {
    const s = scoreSong(truth, truthAsAnalysis(truth));
    for (const m of CHORD_METRICS) expect(s.chords[m].score, m).toBe(1);
    expect(s.key.score).toBe(1);
    expect(s.tempo).toMatchObject({ acc1: true, acc2: true });
    expect(s.beat.f).toBe(1);
    expect(s.modalInterchange).toMatchObject({ truth: true, predicted: true });
    expect(s.modulation).toEqual({ truth: false, predicted: false, chordConfirmed: false });
    // majmin and sevenths leave out the sus4 (4 s of 40); F:maj/3 is a maj triad, so it stays in.
    expect(s.chords.majmin.total).toBe(36);
    expect(s.chords.sevenths.total).toBe(36);
    expect(s.chords.root.total).toBe(40);
  });

  it('perturbations score as mir_eval would', () => {
    const a = truthAsAnalysis(truth);
    a.rhythm.beats = beats.map((t) => t + 0.06);
    a.rhythm.bpm = 240;
    a.key.global = { tonic: 7, mode: 'major' };
    a.theory.devices = [];
    // C:maj7 sung as C:maj (right for majmin, wrong for sevenths); F:maj/3 in root position (wrong for *_inv).
    a.chords.chords[1] = { ...a.chords.chords[1]!, quality: 'maj', label: 'C:maj' };
    a.chords.chords[3] = { ...a.chords.chords[3]!, bass: 5, label: 'F:maj' };
    const s = scoreSong(truth, a);
    expect(s.beat.f).toBe(1);
    expect(s.tempo).toMatchObject({ acc1: false, acc2: true });
    expect(s.key.score).toBe(0.5);
    expect(s.modalInterchange).toMatchObject({ truth: true, predicted: false });
    expect(s.chords.majmin.score).toBe(1);
    expect(s.chords.sevenths.score).toBeCloseTo(32 / 36, 12);
    expect(s.chords.majmin_inv.score).toBeCloseTo(32 / 36, 12);
    expect(s.chords.sevenths_inv.score).toBeCloseTo(28 / 36, 12);
    // Issue 3 counts the Picardy I as a borrowed chord: a 'picardy-third' device answers "uses modal interchange".
    a.theory.devices = [{ kind: 'picardy-third', label: 'Picardy third', start: 36, end: 40, chordIndices: [], confidence: 0.9 }];
    expect(scoreSong(truth, a).modalInterchange).toMatchObject({ truth: true, predicted: true });
    a.theory.devices = [{ kind: 'secondary-dominant', label: 'V/V', start: 36, end: 40, chordIndices: [], confidence: 0.9 }];
    expect(scoreSong(truth, a).modalInterchange).toMatchObject({ truth: true, predicted: false });
    // The synthetic grid's chord changes fall on its beats.
    expect(s.beat.grid.agrees).toBe(true);
    a.rhythm.beats = beats.map((t) => t + 0.08);
    expect(scoreSong(truth, a).beat.f).toBe(0);
  });

  it('estimated chords are made contiguous: gaps become N, overlaps are cut', () => {
    const a = truthAsAnalysis(truth);
    a.chords.chords = [
      { start: 1, end: 5, root: 0, quality: 'maj', bass: 0, confidence: 1, label: 'C:maj' },
      { start: 4, end: 6, root: 7, quality: 'maj', bass: 7, confidence: 1, label: 'G:maj' },
      { start: 8, end: 9, root: 9, quality: 'min', bass: 9, confidence: 1, label: 'A:min' },
      { start: 9.0004, end: 10, root: 0, quality: 'maj', bass: 0, confidence: 1, label: 'C:maj' }, // a rounding gap
    ];
    expect(estimatedChordIntervals(a)).toEqual({
      intervals: [[0, 1], [1, 4], [4, 6], [6, 8], [8, 9.0004], [9.0004, 10]],
      labels: ['N', 'C:maj', 'G:maj', 'N', 'A:min', 'C:maj'],
    });
  });

  it('pools chords by duration over the set and counts failures as 0', () => {
    const good = scoreSong(truth, truthAsAnalysis(truth));
    const failed = failedSongScore(truth);
    expect(failed.chords.majmin).toEqual({ correct: 0, total: 36, score: 0 });
    const sum = summarise([good, failed], 1);
    expect(sum.chords.majmin).toBe(0.5);
    expect(sum.key).toBe(0.5);
    expect(sum.tempoAcc1).toBe(0.5);
    expect(sum.beatF).toBe(0.5);
    expect(sum.modalInterchange).toMatchObject({ truePositives: 1, falseNegatives: 1, precision: 1, recall: 0.5 });
    expect(sum.failed).toBe(1);
  });

  const dir = datasetDir();
  it.skipIf(!datasetAvailable(dir))('POP909 ground truth scores perfectly against itself', () => {
    for (const id of selectSubset(listSongIds(dir), '5')) {
      const t = loadTruth(id, dir);
      expect(t.key.mirEval).toMatch(/^[A-G][b#]? (major|minor)$/);
      expect(t.beats.length).toBeGreaterThan(50);
      const s = scoreSong(t, truthAsAnalysis(t));
      for (const m of CHORD_METRICS) expect(s.chords[m].score, `${id} ${m}`).toBe(1);
      expect([s.key.score, s.beat.f, Number(s.tempo.acc1)], id).toEqual([1, 1, 1]);
    }
  });
});
