import { describe, expect, it } from 'vitest';
import { partialResiduals } from '../../../app/analysis/frontend/partials.ts';
import type { PartialModel } from '../../../app/analysis/frontend/partials.ts';
import { analyseChords } from '../../../app/analysis/chords/index.ts';
import { SR, frontEnd, meanChroma } from './helpers.ts';
import { signal } from './signals.ts';

const MODEL: PartialModel = { decay: 0.5, partials: [5], toleranceCents: 40, maxFundamentalBin: 200 }; // 5th partial expected at 1/16

/** Peaks (fractional bins, amplitudes) sorted by bin. */
function peaks(list: [number, number][]): { bin: Float32Array; amp: Float32Array } {
  const sorted = [...list].sort((a, b) => a[0] - b[0]);
  return { bin: Float32Array.from(sorted, (p) => p[0]), amp: Float32Array.from(sorted, (p) => p[1]) };
}

function residuals(list: [number, number][], model: PartialModel = MODEL): Map<number, number> {
  const { bin, amp } = peaks(list);
  const out = new Float32Array(bin.length);
  partialResiduals(bin, amp, bin.length, out, model);
  return new Map(Array.from(bin, (b, i) => [Math.round(b * 100) / 100, out[i]!]));
}

describe('partialResiduals', () => {
  it("removes a low note's fifth partial and leaves the other peaks", () => {
    // Fundamental at bin 10 (amplitude 1), its fifth partial at bin 50 (1/16 as the model expects), an unrelated peak at 47.
    const r = residuals([
      [10, 1],
      [50, 0.0625],
      [47, 0.05],
    ]);
    expect(r.get(10)).toBe(1);
    expect(r.get(50)).toBeCloseTo(0, 6);
    expect(r.get(47)).toBeCloseTo(0.05, 6);
  });

  it('keeps what a played note adds above the expected partial', () => {
    const r = residuals([
      [10, 1],
      [50, 0.5],
    ]);
    expect(r.get(50)).toBeCloseTo(0.5 - 0.0625, 6);
  });

  it('matches partials within the tolerance (a stretched piano partial) and not beyond it', () => {
    // +20 cents is within 40; +60 cents is not.
    const near = 50 * 2 ** (20 / 1200);
    const far = 50 * 2 ** (60 / 1200);
    expect(residuals([[10, 1], [near, 0.0625]]).get(Math.round(near * 100) / 100)).toBeCloseTo(0, 6);
    expect(residuals([[10, 1], [far, 0.0625]]).get(Math.round(far * 100) / 100)).toBeCloseTo(0.0625, 6);
  });

  it('leaves partials that are not listed (octaves keep their pitch class) and fundamentals above the limit', () => {
    const r = residuals([
      [10, 1],
      [20, 0.5],
      [40, 0.25],
    ]);
    expect(r.get(20)).toBe(0.5);
    expect(r.get(40)).toBe(0.25);
    const high = residuals([[300, 1], [1500, 0.0625]]);
    expect(high.get(1500)).toBe(0.0625);
  });

  it('lets a peak explained away explain nothing further, and never goes below zero', () => {
    // Bin 50 is wholly bin 10's partial, so it must not take anything from its own fifth partial at 250.
    const r = residuals([
      [10, 1],
      [50, 0.05],
      [250, 0.01],
    ], { ...MODEL, maxFundamentalBin: 1000 });
    expect(r.get(50)).toBe(0);
    expect(r.get(250)).toBeCloseTo(0.01, 6);
  });

  it('handles no peaks and one peak', () => {
    expect(residuals([]).size).toBe(0);
    expect(residuals([[10, 0.3]]).get(10)).toBeCloseTo(0.3, 6);
  });
});

/** Hz of MIDI note m (A4 = 69 = 440 Hz). */
const hz = (m: number) => 440 * 2 ** ((m - 69) / 12);

describe('partial suppression in the front end', () => {
  // A G minor triad (G3, B♭3, D4: soft, pure tones) over a loud low G (G1, 49 Hz) whose partials fall off
  // as 1/h²: its fifth partial (B3, 245 Hz) is louder than the played B♭3, as in a rendered piano's low notes.
  const bassPartial = (h: number) => 0.3 / (h * h);
  const treble = [
    [hz(55), 0.012],
    [hz(58), 0.008],
    [hz(62), 0.012],
  ] as const;
  const x = signal(4, (i) => {
    const t = i / SR;
    let v = 0;
    for (let h = 1; h <= 10; h++) v += bassPartial(h) * Math.sin(2 * Math.PI * h * hz(31) * t);
    for (const [f, a] of treble) v += a * Math.sin(2 * Math.PI * f * t);
    return v;
  });

  it('the test signal has the problem: the bass partial on B is louder than the played B♭', () => {
    expect(bassPartial(5)).toBeGreaterThan(treble[1][1]);
  });

  it('keeps the chord minor: B♭ above B in the treble chroma, and the chord recogniser says G:min', async () => {
    const fe = await frontEnd(x);
    const c = meanChroma(fe.chromaTreble, fe.frameRate, 0.5, 3.5);
    expect(c[10]!).toBeGreaterThan(2 * c[11]!);
    const labels = analyseChords(fe, null, null).result.chords.filter((s) => s.end > 0.5 && s.start < 3.5).map((s) => s.label.split('/')[0]);
    expect(new Set(labels)).toEqual(new Set(['G:min']));
  });
});
