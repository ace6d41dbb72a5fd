import { describe, expect, it } from 'vitest';
import { dpBeats, fitToAudible, localScore, trimWeakEnds } from '../../../app/analysis/rhythm/beats.ts';
import { levelChange } from '../../../app/analysis/rhythm/level.ts';
import type { LevelRatios } from '../../../app/analysis/rhythm/level.ts';
import { barHypotheses } from '../../../app/analysis/rhythm/meter.ts';
import { tempoFromIntervals } from '../../../app/analysis/rhythm/rhythm.ts';
import { chromaFlux } from '../../../app/analysis/rhythm/envelope.ts';
import { PRIOR_BPM, periodStrength, tempoPrior } from '../../../app/analysis/rhythm/tempo.ts';

const ratios = (r: Partial<LevelRatios>): LevelRatios => ({ beat: 1, half: 0, thirdsMin: 0, pairs: 1, triples: 1, ...r });

describe('rhythm building blocks', () => {
  it('DP beat tracker follows onsets that wander around the period (Ellis 2007)', () => {
    const onsets = Array.from({ length: 40 }, (_, i) => 10 + i * 20 + (i % 3) - 1);
    const env = new Float32Array(840);
    for (const f of onsets) env[f] = 1;
    const score = localScore(env, 20);
    expect(trimWeakEnds(score, dpBeats(score, () => 20))).toEqual(onsets);
    expect(dpBeats(new Float32Array(100), () => 20)).toEqual([]);
  });

  it('extends the beat grid over an audible intro and outro, and drops beats in silence', () => {
    const audible = new Uint8Array(300).fill(1);
    audible.fill(0, 250);
    const beats = fitToAudible([100, 120, 140, 160, 180, 260], audible);
    expect(beats).toEqual([0, 20, 40, 60, 80, 100, 120, 140, 160, 180, 200, 220, 240]);
  });

  it('metrical level: equal attacks between beats → faster; weak hats between beats → stay; no attack on alternate beats → slower', () => {
    expect(levelChange(ratios({ half: 1 }), 90, 40, 240)).toBe(2); // an even click track counted at half speed
    expect(levelChange(ratios({ half: 1 }), 150, 40, 240)).toBe(1); // 300 BPM is past the fastest beat
    expect(levelChange(ratios({ half: 0.05 }), 80, 40, 240)).toBe(1); // quiet off-beat hats
    expect(levelChange(ratios({ half: 0.4 }), 64, 40, 240)).toBe(2); // kicks on 2 and 4 under a half-time reading
    expect(levelChange(ratios({ half: 0.4 }), 130, 40, 240)).toBe(1); // …but 260 is further from the prior
    expect(levelChange(ratios({ pairs: 0.05 }), 160, 40, 240)).toBe(0.5); // eighth notes taken for beats
    expect(levelChange(ratios({ pairs: 0.05 }), 120, 40, 240)).toBe(1); // 60 is too far below the prior
    expect(levelChange(ratios({ triples: 0.05 }), 210, 40, 240)).toBe(1 / 3); // 6/8 eighths → dotted quarters
    expect(levelChange(ratios({ beat: 0, half: 1 }), 90, 40, 240)).toBe(1);
  });

  it('bar hypotheses: novelty every third beat from beat 1 → 3 beats a bar, phase 1', () => {
    const novelty = Array.from({ length: 30 }, (_, i) => (i % 3 === 1 ? 2 : -1));
    const [best] = barHypotheses(novelty);
    expect(best).toMatchObject({ beatsPerBar: 3, phase: 1 });
  });

  it('tempo prior peaks at 100 BPM, is symmetric in octaves, and puts the octave boundary near 71 / 141 BPM', () => {
    expect(PRIOR_BPM).toBe(100);
    expect(tempoPrior(PRIOR_BPM)).toBe(1);
    expect(tempoPrior(60)).toBeLessThan(tempoPrior(90));
    expect(tempoPrior(2 * PRIOR_BPM)).toBeCloseTo(tempoPrior(PRIOR_BPM / 2), 9);
    // A slow ballad's quarter note (72–80 BPM, POP909) beats its eighth-note pulse; 65 BPM loses to 130.
    expect(tempoPrior(74)).toBeGreaterThan(tempoPrior(148));
    expect(tempoPrior(65)).toBeLessThan(tempoPrior(130));
  });

  it('tempo from beat times ignores one skipped beat', () => {
    expect(tempoFromIntervals([0, 0.5, 1, 1.5, 2.5, 3, 3.5])).toBeCloseTo(120, 6);
    expect(tempoFromIntervals([1])).toBe(0);
  });

  it('period strength: a lag backed by its double and quadruple beats a dotted lag of equal height', () => {
    // Peaks at 20 (beat), 30 (dotted beat), 40 and 80 (two beats, a bar); nothing at 60 or 120.
    const r = new Float32Array(130);
    for (const [lag, v] of [[20, 0.5], [30, 0.5], [40, 0.6], [80, 0.6]] as const) r[lag] = v;
    expect(periodStrength(r, 20)).toBeGreaterThan(periodStrength(r, 30));
    expect(periodStrength(r, 20)).toBeCloseTo((0.5 + 0.5 * 0.6 + 0.25 * 0.6) / 1.75, 6);
    // Multiples beyond the autocorrelation are left out (and their weights with them).
    expect(periodStrength(r.subarray(0, 30), 20)).toBeCloseTo(0.5, 6);
  });

  it('chroma flux counts new pitch classes, not notes that stay or stop', () => {
    const chroma = new Float32Array(5 * 12);
    chroma[0 * 12 + 0] = 1; // C from frame 0 …
    chroma[1 * 12 + 0] = 1;
    chroma[2 * 12 + 0] = 1;
    chroma[2 * 12 + 7] = 0.5; // … G enters at frame 2 …
    chroma[3 * 12 + 7] = 0.5;
    chroma[4 * 12 + 7] = 0.5; // … C stops at frame 3.
    expect(Array.from(chromaFlux(chroma, 5, 1))).toEqual([0, 0, 0.5, 0, 0]);
    expect(chromaFlux(new Float32Array(0), 3)).toEqual(new Float32Array(3));
  });
});
