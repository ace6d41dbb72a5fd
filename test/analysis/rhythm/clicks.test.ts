import { describe, expect, it } from 'vitest';
import { analyseRhythm } from '../../../app/analysis/rhythm/rhythm.ts';
import { frontEnd } from '../frontend/helpers.ts';
import { clicksAt, rampBeats, steadyBeats } from '../frontend/signals.ts';
import { beatFMeasure } from './beatEval.ts';

describe('rhythm: click tracks', () => {
  for (const bpm of [60, 90, 120, 150, 180]) {
    it(`${bpm} BPM: tempo within 2 %, beat F ≥ 0.95 (±70 ms), high confidence, no tempo curve`, async () => {
      const truth = steadyBeats(bpm, 30);
      const r = analyseRhythm(await frontEnd(clicksAt(truth, 30)));
      expect(Math.abs(r.bpm / bpm - 1)).toBeLessThan(0.02);
      expect(beatFMeasure(truth, r.beats)).toBeGreaterThanOrEqual(0.95);
      expect(r.confidence).toBeGreaterThan(0.7);
      expect(r.tempoCurve).toEqual([]);
      for (const d of r.downbeats) expect(r.beats).toContain(d);
    });
  }

  it('follows a tempo drifting from 100 to 120 BPM and reports it as a tempo curve', async () => {
    const truth = rampBeats(100, 120, 60);
    const r = analyseRhythm(await frontEnd(clicksAt(truth, 60)));
    expect(beatFMeasure(truth, r.beats)).toBeGreaterThanOrEqual(0.95);
    expect(r.tempoCurve.length).toBeGreaterThanOrEqual(5);
    for (const p of r.tempoCurve) expect(Math.abs(p.bpm / (100 + (20 * p.time) / 60) - 1)).toBeLessThan(0.03);
    expect(r.tempoCurve[0]!.bpm).toBeLessThan(r.tempoCurve.at(-1)!.bpm);
  });

  it('reports no tempo curve for a drift under 3 % (90 → 92 BPM)', async () => {
    const truth = rampBeats(90, 92, 60);
    const r = analyseRhythm(await frontEnd(clicksAt(truth, 60)));
    expect(r.tempoCurve).toEqual([]);
    expect(beatFMeasure(truth, r.beats)).toBeGreaterThanOrEqual(0.95);
  });
});
