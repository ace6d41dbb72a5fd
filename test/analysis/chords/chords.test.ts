import { describe, expect, it } from 'vitest';
import { analyseChords, bassDegree, chordAnalyser, createChordAnalyser, estimateChords, harteLabel, pathPosteriors, viterbi } from '../../../app/analysis/chords/index.ts';
import { estimateKey } from '../../../app/analysis/key/index.ts';
import type { ChordResult } from '../../../app/analysis/types.ts';
import { synthFeatures, synthProgression, synthRhythm } from './synthFeatures.ts';
import type { Progression } from './synthFeatures.ts';
import { demoSymbolToHarte, majmin, sevenths, wcsr } from './wcsr.ts';

const TEMPO = 120;
const BAR = (4 * 60) / TEMPO;

function run(p: Progression, seed = 1, noise = 0.3): { result: ChordResult; spans: { symbol: string; start: number; end: number }[] } {
  const { features, rhythm, spans } = synthProgression(p, { seed, noise });
  const key = estimateKey(features, rhythm);
  return { result: estimateChords(features, rhythm, key), spans };
}

const labels = (r: ChordResult) => r.chords.map((c) => c.label);

describe('Harte labels', () => {
  it('writes root:quality and the bass as a scale degree', () => {
    expect(harteLabel(7, 'maj', 11)).toBe('G:maj/3');
    expect(harteLabel(4, 'maj', 8)).toBe('E:maj/3');
    expect(harteLabel(0, 'maj', 7)).toBe('C:maj/5');
    expect(harteLabel(7, '7', 5)).toBe('G:7/b7');
    expect(harteLabel(0, 'maj7', 11)).toBe('C:maj7/7');
    expect(harteLabel(9, 'min', 0)).toBe('A:min/b3');
    expect(harteLabel(11, 'dim7', 8)).toBe('B:dim7/bb7');
    expect(harteLabel(9, 'min7', 9)).toBe('A:min7');
    expect(harteLabel(null, 'N', null)).toBe('N');
    expect(bassDegree(0, 'aug', 8)).toBe('#5');
    // Spelled for the key: ♭VI and ♭VII of C major, V of Bb major.
    expect(harteLabel(8, 'maj', 8, { tonic: 0, mode: 'major' })).toBe('Ab:maj');
    expect(harteLabel(10, 'maj', 10, { tonic: 0, mode: 'major' })).toBe('Bb:maj');
    expect(harteLabel(5, '7', 5, { tonic: 10, mode: 'major' })).toBe('F:7');
    expect(harteLabel(3, 'maj', 3, { tonic: 10, mode: 'major' })).toBe('Eb:maj');
  });
});

describe('WCSR helper (after mir_eval.chord)', () => {
  it('compares like mir_eval majmin and sevenths', () => {
    const cmp = (f: typeof majmin, r: string, e: string) => f(r, e);
    expect(cmp(majmin, 'C:7', 'C:maj')).toBe(1);
    expect(cmp(sevenths, 'C:7', 'C:maj')).toBe(0);
    expect(cmp(majmin, 'C:maj/3', 'C:maj')).toBe(1);
    expect(cmp(majmin, 'C:hdim7', 'C:min')).toBe(-1);
    expect(cmp(sevenths, 'C:hdim7', 'C:hdim7')).toBe(-1);
    expect(cmp(majmin, 'C:sus4', 'C:sus4')).toBe(-1);
    expect(cmp(majmin, 'C:maj', 'N')).toBe(0);
    expect(cmp(majmin, 'N', 'N')).toBe(1);
    expect(cmp(majmin, 'A:min7', 'A:min')).toBe(1);
    expect(cmp(sevenths, 'A:min7', 'A:min7')).toBe(1);
    expect(cmp(majmin, 'Bb:maj', 'A#:maj')).toBe(1);
    expect(demoSymbolToHarte('E/G#')).toBe('E:maj/3');
    expect(demoSymbolToHarte('Em7b5')).toBe('E:hdim7');
    // Duration weighting, N padding of the estimate, out-of-gamut references left out.
    const ref = [
      { start: 0, end: 2, label: 'C:maj' },
      { start: 2, end: 3, label: 'E:hdim7' },
      { start: 3, end: 4, label: 'G:7' },
    ];
    const est = [
      { start: 0, end: 1, label: 'C:maj' },
      { start: 1, end: 3, label: 'A:min' },
      { start: 3, end: 3.5, label: 'G:maj' },
    ];
    expect(wcsr(ref, est, majmin)).toBeCloseTo((1 + 0.5) / 3, 9);
    expect(wcsr(ref, est, sevenths)).toBeCloseTo(1 / 3, 9);
  });
});

describe('chord estimation on synthetic chroma', () => {
  it('labels I–V–vi–IV in C with noise, one segment per bar on the bar lines', () => {
    for (const seed of [1, 2, 3]) {
      const { result } = run({ tempo: TEMPO, beatsPerBar: 4, bars: ['C', 'G', 'Am', 'F', 'C', 'G', 'Am', 'F'] }, seed);
      expect(labels(result)).toEqual(['C:maj', 'G:maj', 'A:min', 'F:maj', 'C:maj', 'G:maj', 'A:min', 'F:maj']);
      result.chords.forEach((c, i) => {
        expect(c.start).toBeCloseTo(i * BAR, 6);
        expect(c.end).toBeCloseTo((i + 1) * BAR, 6);
        expect(c.bass).toBe(c.root);
        expect(c.confidence).toBeGreaterThan(0.5);
        expect(c.confidence).toBeLessThanOrEqual(1);
      });
      expect(result.chords[2]).toMatchObject({ root: 9, quality: 'min', bass: 9 });
    }
  });

  it('reads inversions from the bass chroma', () => {
    const { result } = run({ tempo: TEMPO, beatsPerBar: 4, bars: ['C', 'C/E', 'F', 'G/B', 'Am', 'D7/F#', 'G', 'C/G'] });
    expect(labels(result)).toEqual(['C:maj', 'C:maj/3', 'F:maj', 'G:maj/3', 'A:min', 'D:7/3', 'G:maj', 'C:maj/5']);
    expect(result.chords[1]).toMatchObject({ root: 0, quality: 'maj', bass: 4 });
    expect(result.chords[3]).toMatchObject({ root: 7, bass: 11 });
    expect(result.chords[5]).toMatchObject({ root: 2, quality: '7', bass: 6 });
  });

  it('needs real evidence for a seventh: triads stay triads, sevenths are found', () => {
    const triads = run({ tempo: TEMPO, beatsPerBar: 4, bars: ['C', 'Am', 'Dm', 'G', 'Em', 'F', 'G', 'C'] }, 4, 0.4);
    expect(labels(triads.result)).toEqual(['C:maj', 'A:min', 'D:min', 'G:maj', 'E:min', 'F:maj', 'G:maj', 'C:maj']);
    const sevenths = run({ tempo: TEMPO, beatsPerBar: 4, bars: ['Cmaj7', 'Am7', 'Dm7', 'G7', 'Bm7b5', 'E7', 'Am7', 'Am7'] });
    expect(labels(sevenths.result)).toEqual(['C:maj7', 'A:min7', 'D:min7', 'G:7', 'B:hdim7', 'E:7', 'A:min7']);
  });

  it('keeps chords borrowed from the parallel minor in a major key', () => {
    const { result } = run({ tempo: TEMPO, beatsPerBar: 4, bars: ['C', 'Ab', 'Bb', 'C', 'F', 'Fm', 'C', 'C'] });
    expect(labels(result)).toEqual(['C:maj', 'Ab:maj', 'Bb:maj', 'C:maj', 'F:maj', 'F:min', 'C:maj']);
  });

  it('snaps chord changes to the beat grid', () => {
    // Changes on beat 3 of some bars; the grid is the beats.
    const { result, spans } = run({ tempo: 100, beatsPerBar: 4, bars: [['G', 'G', 'C', 'C'], 'D', ['Em', 'Em', 'Em', 'C'], 'D'] });
    const beat = 60 / 100;
    for (const c of result.chords) {
      expect(Math.abs(c.start / beat - Math.round(c.start / beat))).toBeLessThan(1e-6);
    }
    expect(labels(result)).toEqual(['G:maj', 'C:maj', 'D:maj', 'E:min', 'C:maj', 'D:maj']);
    expect(result.chords.map((c) => c.start)).toEqual(spans.map((s) => s.start).map((t) => expect.closeTo(t, 6)));
  });

  it('reports N for silence, at the start, in a gap and at the end', () => {
    const silent = synthFeatures([{ symbol: 'N', start: 0, end: 16 }], 16);
    const r = estimateChords(silent, synthRhythm(16, TEMPO, 4), estimateKey(silent, synthRhythm(16, TEMPO, 4)));
    expect(labels(r)).toEqual(['N']);
    expect(r.chords[0]).toMatchObject({ start: 0, end: 16, root: null, quality: 'N', bass: null });
    const spans = [
      { symbol: 'N', start: 0, end: 2 },
      { symbol: 'C', start: 2, end: 6 },
      { symbol: 'N', start: 6, end: 8 },
      { symbol: 'G', start: 8, end: 12 },
      { symbol: 'N', start: 12, end: 14 },
    ];
    const f = synthFeatures(spans, 14, { noise: 0.2 });
    const rh = synthRhythm(14, TEMPO, 4);
    const g = estimateChords(f, rh, estimateKey(f, rh));
    expect(labels(g)).toEqual(['N', 'C:maj', 'N', 'G:maj', 'N']);
    expect(g.chords.map((c) => c.start)).toEqual([0, 2, 6, 8, 12].map((t) => expect.closeTo(t, 6)));
  });

  it('covers the whole track with contiguous segments, with and without a beat grid', () => {
    const { features, rhythm } = synthProgression({ tempo: 90, beatsPerBar: 3, bars: ['Dm', 'A7', 'Dm', 'Gm', 'A7', 'Dm'] });
    for (const rh of [rhythm, { ...rhythm, beats: [], downbeats: [] }, null]) {
      const r = estimateChords(features, rh, null);
      expect(r.chords[0]!.start).toBe(0);
      expect(r.chords[r.chords.length - 1]!.end).toBeCloseTo(features.durationSec, 6);
      for (let i = 1; i < r.chords.length; i++) expect(r.chords[i]!.start).toBeCloseTo(r.chords[i - 1]!.end, 9);
      expect(r.chords.map((c) => c.label).filter((l, i, a) => i === 0 || l !== a[i - 1]).slice(0, 2)).toEqual(['D:min', 'A:7']);
    }
  });

  it('is a pipeline analyser after frontend, rhythm and key', () => {
    expect(chordAnalyser.name).toBe('chords');
    expect(chordAnalyser.version).toBe(1);
    expect([...chordAnalyser.dependsOn]).toEqual(['frontend', 'rhythm', 'key']);
    const { features, rhythm } = synthProgression({ tempo: TEMPO, beatsPerBar: 4, bars: ['A', 'E', 'F#m', 'D'] });
    const key = estimateKey(features, rhythm);
    const r = createChordAnalyser().finish({ frontend: features, rhythm, key });
    expect(labels(r)).toEqual(['A:maj', 'E:maj', 'F#:min', 'D:maj']);
    const detail = analyseChords(features, rhythm, key);
    expect(detail.path.length).toBe(detail.beats.length);
  });
});

describe('HMM', () => {
  it('decodes with a stay-or-move transition and gives path posteriors', () => {
    const e = (a: number, b: number) => Float64Array.from([a, b, 0]);
    // One weak step of state 1 inside state 0 is smoothed away; a long run of state 1 is kept.
    const logE = [e(2, 0), e(2, 0), e(0, 1), e(2, 0), e(0, 3), e(0, 3), e(0, 3)];
    const stay = new Float64Array(logE.length).fill(0.9);
    const path = viterbi(logE, stay);
    expect(path).toEqual([0, 0, 0, 0, 1, 1, 1]);
    const post = pathPosteriors(logE, stay, path);
    for (const p of post) expect(p).toBeGreaterThan(0.5);
    expect(post[2]!).toBeLessThan(post[0]!);
  });
});
