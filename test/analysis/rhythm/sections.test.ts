// Long recordings with many tempi (a mix, a medley): window-by-window rhythm, stitched (sections.ts).
import { describe, expect, it } from 'vitest';
import { analyseRhythm } from '../../../app/analysis/rhythm/rhythm.ts';
import { rhythmBySections, sectionFrames, sliceFrontEnd, weightedMedian } from '../../../app/analysis/rhythm/sections.ts';
import type { FrontEndFeatures } from '../../../app/analysis/types.ts';
import { frontEnd } from '../frontend/helpers.ts';
import { clicksAt, steadyBeats, whiteNoise } from '../frontend/signals.ts';
import { beatFMeasure } from './beatEval.ts';

/** Click tracks of `seconds` each at the given tempi, one after another, with their beat times. */
function medley(tempi: readonly number[], seconds: number): { audio: Float32Array; beats: number[]; total: number } {
  const beats: number[] = [];
  tempi.forEach((bpm, i) => beats.push(...steadyBeats(bpm, seconds).map((t) => t + i * seconds)));
  const total = tempi.length * seconds;
  return { audio: clicksAt(beats, total), beats, total };
}

describe('sectioned rhythm: pure parts', () => {
  it('cuts windows of 30 s and joins a short remainder to the last one', () => {
    expect(sectionFrames(100, 1, 30)).toEqual([[0, 30], [30, 60], [60, 100]]);
    expect(sectionFrames(110, 1, 30)).toEqual([[0, 30], [30, 60], [60, 90], [90, 110]]);
    expect(sectionFrames(20, 1, 30)).toEqual([[0, 20]]);
  });

  it('takes the duration-weighted median', () => {
    expect(weightedMedian([{ value: 120, weight: 30 }, { value: 90, weight: 30 }, { value: 150, weight: 100 }])).toBe(150);
    expect(weightedMedian([{ value: 120, weight: 60 }, { value: 90, weight: 30 }, { value: 150, weight: 20 }])).toBe(120);
    expect(weightedMedian([])).toBe(0);
  });
});

describe('sectioned rhythm on a 9-minute medley of 18 tempi', async () => {
  const tempi = [72, 128, 96, 150, 84, 140, 108, 66, 160, 90, 120, 78, 135, 100, 145, 70, 115, 88];
  const m = medley(tempi, 30);
  const fe = await frontEnd(m.audio);

  it('slices features as views with their own time origin', () => {
    const s = sliceFrontEnd(fe, 300, 600);
    expect(s.frameCount).toBe(300);
    expect(s.onset[0]).toBe(fe.onset[300]);
    expect(s.chromaBass[12 * 5 + 3]).toBe(fe.chromaBass[12 * 305 + 3]);
    expect(s.mel.length).toBe(300 * fe.melBands);
    expect(s.durationSec).toBeCloseTo(300 / fe.frameRate, 6);
  });

  it('follows every section: its tempo within 2 % in the tempo curve, beats F ≥ 0.9, beats in order', () => {
    const r = rhythmBySections(fe, analyseRhythm)!;
    expect(r).not.toBeNull();
    expect(r.tempoCurve).toHaveLength(tempi.length);
    r.tempoCurve.forEach((p, i) => {
      expect(p.time).toBeCloseTo(i * 30 + 15, 0);
      // A window may count a fast or slow section at half or double speed, as a listener may.
      const ratio = p.bpm / tempi[i]!;
      expect([0.5, 1, 2].some((k) => Math.abs(ratio / k - 1) < 0.02), `${p.bpm} for ${tempi[i]}`).toBe(true);
    });
    expect(beatFMeasure(m.beats, r.beats)).toBeGreaterThanOrEqual(0.9);
    for (let i = 1; i < r.beats.length; i++) expect(r.beats[i]).toBeGreaterThan(r.beats[i - 1]!);
    for (const d of r.downbeats) expect(r.beats).toContain(d);
    expect(r.confidence).toBeGreaterThan(0.5);
  });

  it('analyseRhythm gives the recording a tempo, beats and a tempo curve, whichever way it takes', () => {
    const r = analyseRhythm(fe);
    expect(r.bpm).toBeGreaterThan(0);
    expect(r.tempoCurve.length).toBeGreaterThan(1);
    expect(beatFMeasure(m.beats, r.beats)).toBeGreaterThanOrEqual(0.8);
  });
});

describe('sectioned rhythm finds no pulse where there is none', () => {
  it('8.5 minutes of white noise: bpm 0, no beats, low confidence', async () => {
    const fe: FrontEndFeatures = await frontEnd(whiteNoise(510, 0.3, 11));
    const r = analyseRhythm(fe);
    expect(r.bpm).toBe(0);
    expect(r.beats).toEqual([]);
    expect(r.confidence).toBeLessThan(0.1);
  });
});
