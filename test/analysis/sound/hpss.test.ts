import { describe, expect, it } from 'vitest';
import { hpssMel } from '../../../app/analysis/sound/hpss.ts';

/** The median (upper of an even count) of xs, by a full sort: the definition hpssMel's sliding windows must match. */
const median = (xs: number[]): number => (xs.length ? [...xs].sort((a, b) => a - b)[xs.length >> 1]! : 0);

describe('hpssMel', () => {
  it('gives the soft masks of the plain time and frequency medians, ties and edges included', () => {
    const frames = 57;
    const bands = 23;
    let seed = 11;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    // Whole decibels so equal powers (ties) occur often.
    const mel = Float32Array.from({ length: frames * bands }, () => -60 + Math.round(rand() * 12) * 5);
    const power = (t: number, b: number) => 10 ** (mel[t * bands + b]! / 10);
    const [timeKernel, freqKernel, stride] = [5, 11, 2];
    const used = Math.ceil(frames / stride);
    let visits = 0;
    hpssMel(mel, frames, bands, timeKernel, freqKernel, stride, (t, p, mask) => {
      const u = t / stride;
      for (let b = 0; b < bands; b++) {
        expect(p[b]).toBe(power(t, b));
        const along: number[] = [];
        for (let v = Math.max(0, u - 2); v <= Math.min(used - 1, u + 2); v++) along.push(power(v * stride, b));
        const across: number[] = [];
        for (let c = Math.max(0, b - 5); c <= Math.min(bands - 1, b + 5); c++) across.push(power(t, c));
        const h = median(along);
        const q = median(across);
        expect(mask[b]).toBe(h * h + q * q > 0 ? (h * h) / (h * h + q * q) : 0.5);
      }
      visits++;
    });
    expect(visits).toBe(used);
  });
});
