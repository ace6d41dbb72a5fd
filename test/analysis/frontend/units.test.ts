import { describe, expect, it } from 'vitest';
import { FINE_BINS, TuningEstimator, addToFineChroma, foldChroma, folding, hzToMidi } from '../../../app/analysis/frontend/chroma.ts';
import { realFft } from '../../../app/analysis/frontend/fft.ts';
import { GrowableFloat32Array } from '../../../app/analysis/frontend/growable.ts';
import { hannPowerLow, melBands, spectralPeaks } from '../../../app/analysis/frontend/spectral.ts';

describe('frontend building blocks', () => {
  it('folding: every fine bin splits between at most two pitch classes with weights summing to 1', () => {
    for (const tuning of [-0.5, -0.2, 0, 0.3, 0.49]) {
      const f = folding(tuning);
      for (let j = 0; j < FINE_BINS; j++) expect(f.weight0[j]! + f.weight1[j]!).toBeCloseTo(1, 6);
    }
    // In tune, the fine bin at A (9 semitones × 3) belongs wholly to A.
    const f = folding(0);
    expect(f.class0[27]).toBe(9);
    expect(f.weight0[27]).toBeCloseTo(1, 6);
  });

  it('fine chroma → folded, log-compressed, L1-normalised rows; silent rows stay zero', () => {
    const fine = new Float32Array(2 * FINE_BINS);
    addToFineChroma(fine, 0, hzToMidi(440), 0.5);
    addToFineChroma(fine, 0, hzToMidi(554.37), 0.25);
    const rows = foldChroma(fine, 2, folding(0), 100, 1e-3);
    expect(rows[9]! + rows[1]!).toBeCloseTo(1, 2);
    expect(rows[9]!).toBeGreaterThan(rows[1]!);
    expect(Array.from(rows.subarray(12))).toEqual(new Array(12).fill(0));
  });

  it('tuning estimator: circular mean, so +45 and −45 cents average to ±50, not 0', () => {
    const t = new TuningEstimator();
    t.add(69.45, 1);
    t.add(68.55, 1);
    expect(Math.abs(t.estimate().semitones)).toBeCloseTo(0.5, 6);
    t.reset();
    t.add(69.2, 1);
    t.add(81.2, 3);
    expect(t.estimate().semitones).toBeCloseTo(0.2, 6);
    expect(t.estimate().strength).toBeCloseTo(1, 6);
    expect(new TuningEstimator().estimate()).toEqual({ semitones: 0, strength: 0, peaks: 0 });
  });

  it('WASM FFT + frequency-domain Hann + interpolated peaks locate a 261.6 Hz sine within 0.1 Hz, amplitude within 5 %', async () => {
    const n = 4096;
    const fft = await realFft(n);
    const input = fft.input();
    for (let i = 0; i < n; i++) input[i] = 0.3 * Math.sin((2 * Math.PI * 261.63 * i) / 22050 + 0.4);
    fft.forward();
    const power = new Float32Array(200);
    hannPowerLow(fft.output(), power, (4 / n) ** 2);
    const bins = new Float32Array(8);
    const amps = new Float32Array(8);
    expect(spectralPeaks(power, 2, 190, 1e-8, bins, amps)).toBe(1);
    expect(Math.abs(bins[0]! * (22050 / n) - 261.63)).toBeLessThan(0.1);
    expect(amps[0]!).toBeGreaterThan(0.3 * 0.95);
    expect(amps[0]!).toBeLessThan(0.3 * 1.05);
  });

  it('mel bands: at most two bands per bin, each band with unit total weight', () => {
    const b = melBands(512, 22050, 64, 30, 11025);
    const totals = new Float64Array(b.count);
    for (let k = 0; k < b.band0.length; k++) {
      if (b.band0[k]! >= 0) totals[b.band0[k]!]! += b.weight0[k]!;
      if (b.band1[k]! >= 0) totals[b.band1[k]!]! += b.weight1[k]!;
    }
    expect(b.count).toBeGreaterThan(40);
    for (const t of totals) expect(t).toBeCloseTo(1, 5);
  });

  it('growable array keeps its values across growth', () => {
    const g = new GrowableFloat32Array(2);
    for (let i = 0; i < 1000; i++) g.push(i);
    expect(g.length).toBe(1000);
    expect(g.toArray()[999]).toBe(999);
    expect(g.raw()[500]).toBe(500);
  });
});
