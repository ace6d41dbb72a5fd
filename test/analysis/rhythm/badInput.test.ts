import { describe, expect, it } from 'vitest';
import { analyseRhythm } from '../../../app/analysis/rhythm/rhythm.ts';
import type { FrontEndFeatures, RhythmResult } from '../../../app/analysis/types.ts';
import { DEMO_SONGS } from '../../../app/demo/songs.ts';
import { SR, frontEnd, renderMono, silentShape } from '../frontend/helpers.ts';
import { clip, signal, sine, whiteNoise } from '../frontend/signals.ts';

function expectFinite(f: FrontEndFeatures, r: RhythmResult): void {
  for (const arr of [f.onset, f.rms, f.chromaTreble, f.chromaBass]) for (const v of arr) expect(Number.isFinite(v)).toBe(true);
  for (const v of [f.tuningCents, f.durationSec, r.bpm, r.confidence, r.meterConfidence, ...r.beats, ...r.downbeats]) expect(Number.isFinite(v)).toBe(true);
  expect(r.confidence).toBeGreaterThanOrEqual(0);
  expect(r.confidence).toBeLessThanOrEqual(1);
  expect(r.meterConfidence).toBeGreaterThanOrEqual(0);
  expect(r.meterConfidence).toBeLessThanOrEqual(1);
  expect(Math.abs(f.tuningCents)).toBeLessThanOrEqual(50);
}

const cases: [string, () => Float32Array][] = [
  ['silence (30 s)', () => new Float32Array(30 * SR)],
  ['white noise (30 s)', () => whiteNoise(30)],
  ['a single 1 kHz sine (30 s)', () => sine(30, 1000)],
  ['one second of a sine', () => sine(1, 440)],
  ['heavy clipping: a sine driven ×100 into ±1 (a square wave)', () => clip(sine(30, 220), 100, 1)],
  ['heavy clipping: white noise driven ×50 into ±0.5', () => clip(whiteNoise(30), 50, 0.5)],
  ['NaN and ±Infinity samples in noise', () => whiteNoise(10).map((v, i) => (i % 997 === 0 ? NaN : i % 1009 === 0 ? Infinity : v))],
  ['100 samples', () => signal(100 / SR, () => 0.1)],
  ['nothing at all', () => new Float32Array(0)],
];

describe('frontend + rhythm: bad input gives finite numbers, low confidence and no throw', () => {
  for (const [name, make] of cases) {
    it(name, async () => {
      const f = await frontEnd(make());
      const r = analyseRhythm(f);
      expectFinite(f, r);
      expect(r.confidence).toBeLessThan(0.2);
      expect(r.meterConfidence).toBeLessThan(0.2);
    });
  }

  it('silence: all features zero, no beats, bpm 0', async () => {
    const f = await frontEnd(new Float32Array(10 * SR));
    expect(f.onset.every((v) => v === 0)).toBe(true);
    expect(f.rms.every((v) => v === 0)).toBe(true);
    expect(f.chromaTreble.every((v) => v === 0)).toBe(true);
    expect(f.chromaBass.every((v) => v === 0)).toBe(true);
    expect(f.tuningCents).toBe(0);
    expect(analyseRhythm(f)).toMatchObject({ bpm: 0, beats: [], downbeats: [], confidence: 0, tempoCurve: [] });
  });

  it('a demo song clipped hard (×8 into ±0.1) still gives finite, in-range results', async () => {
    const f = await frontEnd(clip(renderMono(DEMO_SONGS[1]!), 8, 0.1));
    expectFinite(f, analyseRhythm(f));
  });

  it('hand-made features with NaN, negative and mismatched lengths do not throw', () => {
    const n = 500;
    const f: FrontEndFeatures = {
      sampleRate: SR,
      hopSize: 512,
      frameRate: SR / 512,
      frameCount: n,
      durationSec: (n * 512) / SR,
      tuningCents: 0,
      onset: Float32Array.from({ length: n }, (_, i) => (i % 7 === 0 ? NaN : i % 20 === 0 ? 5 : -1)),
      rms: new Float32Array(n - 10).fill(0.1),
      chromaTreble: new Float32Array(12 * n),
      chromaBass: new Float32Array(12 * n),
      ...silentShape(n),
    };
    expectFinite({ ...f, onset: new Float32Array(0) }, analyseRhythm(f));
  });
});
