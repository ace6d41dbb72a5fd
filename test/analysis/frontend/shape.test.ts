import { describe, expect, it } from 'vitest';
import { CONTRAST_BANDS, MEL_BANDS, MEL_FLOOR_DB } from '../../../app/analysis/frontend/shape.ts';
import { hzToMel } from '../../../app/analysis/frontend/spectral.ts';
import { DEMO_SONGS } from '../../../app/demo/songs.ts';
import { SR, frontEnd, renderMono } from './helpers.ts';
import { signal, sine, whiteNoise } from './signals.ts';

/** Mean of a per-frame series over frames [a, b). */
function mean(x: Float32Array, a: number, b: number): number {
  let s = 0;
  for (let i = a; i < b; i++) s += x[i]!;
  return s / (b - a);
}

describe('frontend: spectral shape (log-mel, centroid, roll-off, flatness, contrast)', () => {
  it('lays out one row of 40 mel bands and 7 contrast bands per frame', async () => {
    const f = await frontEnd(sine(1, 440));
    expect(f.melBands).toBe(MEL_BANDS);
    expect(f.contrastBands).toBe(CONTRAST_BANDS);
    expect(f.mel.length).toBe(f.frameCount * MEL_BANDS);
    expect(f.spectralContrast.length).toBe(f.frameCount * CONTRAST_BANDS);
    for (const x of [f.spectralCentroid, f.spectralRolloff, f.spectralFlatness]) expect(x.length).toBe(f.frameCount);
  });

  it('a 1 kHz sine: centroid and roll-off near 1 kHz, flatness near 0, the loudest mel band holds 1 kHz, high contrast in its octave', async () => {
    const f = await frontEnd(sine(2, 1000, 0.5));
    const [a, b] = [10, f.frameCount - 10];
    expect(mean(f.spectralCentroid, a, b)).toBeGreaterThan(900);
    expect(mean(f.spectralCentroid, a, b)).toBeLessThan(1100);
    expect(Math.abs(mean(f.spectralRolloff, a, b) - 1000)).toBeLessThan(60);
    expect(mean(f.spectralFlatness, a, b)).toBeLessThan(0.01);
    const row = Array.from(f.mel.subarray(40 * MEL_BANDS, 41 * MEL_BANDS));
    const loudest = row.indexOf(Math.max(...row));
    // Band centres are equally spaced in mel between 40 Hz and 11 kHz.
    const step = (hzToMel(11000) - hzToMel(40)) / (MEL_BANDS + 1);
    const centreMel = hzToMel(40) + step * (loudest + 1);
    expect(Math.abs(centreMel - hzToMel(1000))).toBeLessThan(step);
    // 800–1600 Hz is contrast band 3.
    expect(f.spectralContrast[40 * CONTRAST_BANDS + 3]).toBeGreaterThan(30);
  });

  it('white noise: flatness high (≈ 0.56 for exponential-distributed power), centroid and roll-off high', async () => {
    const f = await frontEnd(whiteNoise(2, 0.3));
    const [a, b] = [10, f.frameCount - 10];
    expect(mean(f.spectralFlatness, a, b)).toBeGreaterThan(0.4);
    expect(mean(f.spectralCentroid, a, b)).toBeGreaterThan(4000);
    expect(mean(f.spectralRolloff, a, b)).toBeGreaterThan(8000);
  });

  it('a 6 dB gain adds 6 dB to every mel value and leaves the shape features alone', async () => {
    const x = renderMono(DEMO_SONGS[0]!).subarray(0, 3 * SR);
    const half = x.map((v) => v * 0.5);
    const [f, g] = [await frontEnd(x), await frontEnd(half)];
    let maxShift = 0;
    for (let i = 0; i < f.mel.length; i++) if (f.mel[i]! > -90) maxShift = Math.max(maxShift, Math.abs(f.mel[i]! - g.mel[i]! - 20 * Math.log10(2)));
    expect(maxShift).toBeLessThan(0.05);
    for (let i = 20; i < f.frameCount - 20; i++) {
      expect(g.spectralCentroid[i]).toBeCloseTo(f.spectralCentroid[i]!, 0);
      // Flatness moves only where bins sit near the −100 dB floor (librosa's amin).
      expect(g.spectralFlatness[i]).toBeCloseTo(f.spectralFlatness[i]!, 2);
    }
  });

  it('digital silence: mel at the floor, shape values 0, nothing non-finite', async () => {
    const f = await frontEnd(signal(1, () => 0));
    expect(f.mel.every((v) => v === MEL_FLOOR_DB)).toBe(true);
    expect(f.spectralCentroid.every((v) => v === 0)).toBe(true);
    expect(f.spectralContrast.every((v) => v === 0)).toBe(true);
  });

  it('gives identical shape features whatever the block sizes', async () => {
    const x = renderMono(DEMO_SONGS[0]!).subarray(0, 2 * SR);
    const whole = await frontEnd(x, x.length);
    const f = await frontEnd(x, 333);
    expect(f.mel).toEqual(whole.mel);
    expect(f.spectralContrast).toEqual(whole.spectralContrast);
    expect(f.spectralRolloff).toEqual(whole.spectralRolloff);
  });
});
