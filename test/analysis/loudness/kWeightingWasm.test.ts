// The WebAssembly stereo K-weighting (build/wasm/kweighting/kweighting.c) against the JavaScript filter it
// replaces: the same sums and filter state, bit for bit, whatever the chunking and span length; and a span
// longer than the kernel's capacity (sample rates above 163 kHz) summed in parts, equal to rounding.
import { describe, expect, it } from 'vitest';
import { KWeighting } from '../../../app/analysis/loudness/kWeighting.ts';

/** Deterministic test audio: two different tones plus noise (a linear congruential generator). */
function stereo(n: number, rate: number): [Float32Array, Float32Array] {
  const l = new Float32Array(n);
  const r = new Float32Array(n);
  let seed = 12345;
  const noise = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5) * 0.2;
  for (let i = 0; i < n; i++) {
    l[i] = 0.5 * Math.sin((2 * Math.PI * 997 * i) / rate) + noise();
    r[i] = 0.3 * Math.sin((2 * Math.PI * 61 * i) / rate) + noise();
  }
  return [l, r];
}

/** Runs a whole signal through `stereoSpanSums` (or its JS reference) chunk by chunk, as the loudness meter does. */
function run(js: boolean, rate: number, l: Float32Array, r: Float32Array, chunk: number, span: number): { sums: number[]; state: number[] } {
  const a = new KWeighting(rate);
  const b = new KWeighting(rate);
  const sums: number[] = [];
  let filled = 0; // samples of the current span so far
  for (let at = 0; at < l.length; at += chunk) {
    const n = Math.min(chunk, l.length - at);
    const first = span - filled;
    const out = new Float64Array(4 * (2 + Math.ceil(n / span)));
    const f = js ? KWeighting.stereoSpanSumsJs : KWeighting.stereoSpanSums;
    const k = f(a, b, l.subarray(at, at + n), r.subarray(at, at + n), n, first, span, out);
    sums.push(...out.subarray(0, 4 * k));
    filled = (filled + n) % span;
  }
  const probe = new Float64Array(4);
  // The state after the signal: the sums of one more (silent) sample show it.
  KWeighting.stereoSpanSumsJs(a, b, new Float32Array(1), new Float32Array(1), 1, 1, 1, probe);
  return { sums, state: Array.from(probe) };
}

describe('stereo K-weighting in WebAssembly', () => {
  it('loads here (Node has WebAssembly SIMD)', () => {
    expect(KWeighting.stereoInWasm).toBe(true);
  });

  it.each([
    [44100, 65536, 4410],
    [44100, 1000, 4410], // chunks shorter than a span
    [48000, 100_000, 4800], // chunks longer than the kernel's capacity
    [8000, 777, 800],
    [96000, 50_000, 9600],
  ])('%i Hz, chunks of %i, spans of %i: equal to the JavaScript filter bit for bit', (rate, chunk, span) => {
    const [l, r] = stereo(rate * 3, rate);
    const wasm = run(false, rate, l, r, chunk, span);
    const js = run(true, rate, l, r, chunk, span);
    expect(wasm.sums.length).toBe(js.sums.length);
    expect(wasm.sums).toEqual(js.sums);
    expect(wasm.state).toEqual(js.state);
  });

  it('192 kHz (a span of 19,200 samples, longer than the kernel holds): equal to rounding', () => {
    const rate = 192000;
    const [l, r] = stereo(rate * 2, rate);
    const wasm = run(false, rate, l, r, 65536, 19200);
    const js = run(true, rate, l, r, 65536, 19200);
    expect(wasm.sums.length).toBe(js.sums.length);
    for (let i = 0; i < js.sums.length; i++) expect(Math.abs(wasm.sums[i]! - js.sums[i]!)).toBeLessThanOrEqual(1e-12 * Math.abs(js.sums[i]!) + 1e-300);
    expect(wasm.state).toEqual(js.state);
  });
});
