// The streaming resampler on synthetic signals: pitch kept, aliasing removed, exact lengths, block
// boundaries invisible, SIMD kernel equal to the JavaScript loop, and fast enough.
import { describe, expect, it } from 'vitest';
import { downmix } from '../../app/audio/downmix.ts';
import { KERNEL_WASM } from '../../app/audio/polyphaseKernel.ts';
import { Resampler, besselI0, designFilter, gcd } from '../../app/audio/resample.ts';
import { db, join, middle, rms, sine, toneAmplitude, zeroCrossingFrequency } from './helpers.ts';

/** Resamples `x` in blocks of `block` samples (the last shorter), joined. */
function resample(x: Float32Array, from: number, to: number, block = 65536, opts: { simd?: boolean } = {}): Float32Array {
  const r = new Resampler(from, to, opts);
  const parts: Float32Array[] = [];
  for (let i = 0; i < x.length; i += block) parts.push(r.process(x.subarray(i, i + block)));
  parts.push(r.flush());
  return join(parts);
}

const CONVERSIONS: [number, number][] = [
  [8000, 22050], [11025, 22050], [16000, 22050], [32000, 22050], [44100, 22050], [48000, 22050],
  [88200, 22050], [96000, 22050], [176400, 22050], [192000, 22050], [44100, 48000], [22050, 44100], [44056, 22050],
];

describe('filter design', () => {
  it('reduces the ratio and scales the taps with the decimation factor', () => {
    expect(gcd(48000, 22050)).toBe(150);
    const half = designFilter(44100, 22050);
    expect([half.up, half.down, half.taps]).toEqual([1, 2, 32]);
    const f48 = designFilter(48000, 22050);
    expect([f48.up, f48.down]).toEqual([147, 320]);
    expect(designFilter(192000, 22050).taps).toBeGreaterThan(128);
    expect(designFilter(8000, 22050).taps).toBe(32);
    // Stopband at the new Nyquist, cut-off below it.
    expect(half.stopbandHz).toBeCloseTo(11025, 6);
    expect(half.cutoffHz).toBeLessThan(11025);
    expect(half.cutoffHz).toBeGreaterThan(8000);
  });

  it('has unity gain at DC in every phase', () => {
    const f = designFilter(48000, 22050);
    for (let p = 0; p <= f.phases; p++) {
      let s = 0;
      for (let j = 0; j < f.taps; j++) s += f.table[p * f.taps + j]!;
      expect(s).toBeCloseTo(1, 5);
    }
  });

  it('computes I0 (Kaiser window) accurately', () => {
    expect(besselI0(0)).toBe(1);
    expect(besselI0(1)).toBeCloseTo(1.2660658777520082, 12);
    expect(besselI0(5)).toBeCloseTo(27.239871823604442, 10);
  });

  it('assembles a valid WebAssembly SIMD module', () => {
    const wasm = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;
    expect(wasm.validate(KERNEL_WASM)).toBe(true);
    expect(new Resampler(44100, 22050).simd).toBe(true);
  });
});

describe('Resampler', () => {
  it.each(CONVERSIONS)('keeps a 1 kHz sine at 1 kHz and its level: %i → %i Hz', (from, to) => {
    const x = sine(1000, from, Math.round(from * 1.0), 0.5);
    const y = middle(resample(x, from, to), 200);
    expect(Math.abs(zeroCrossingFrequency(y, to) - 1000)).toBeLessThan(0.2);
    const a = toneAmplitude(y, 1000, to);
    expect(Math.abs(db(a / 0.5))).toBeLessThan(0.1); // passband flat at 1 kHz
    expect(toneAmplitude(y, 1000, to)).toBeGreaterThan(30 * toneAmplitude(y, 1100, to));
  });

  it.each([
    [44100, 22050, [11600, 12500, 15000, 18000, 21000]],
    [48000, 22050, [11600, 15000, 20000, 23000]],
    [96000, 22050, [12000, 20000, 30000, 47000]],
    [192000, 22050, [12000, 40000, 90000]],
  ] as const)('attenuates everything above the new Nyquist by ≥ 40 dB: %i → %i Hz', (from, to, tones) => {
    for (const f of tones) {
      const x = sine(f, from, from, 0.5);
      const y = middle(resample(x, from, to), 200);
      expect(db(rms(y) / rms(x)), `${f} Hz`).toBeLessThan(-40);
    }
  });

  it('makes a 15 kHz tone vanish at 44.1 → 22.05 kHz (no alias at 7.05 kHz)', () => {
    const x = sine(15000, 44100, 44100, 0.9);
    const y = middle(resample(x, 44100, 22050), 100);
    expect(db(toneAmplitude(y, 7050, 22050) / 0.9)).toBeLessThan(-50);
  });

  it.each(CONVERSIONS)('gives exactly round(n·out/in) samples: %i → %i Hz', (from, to) => {
    for (const n of [0, 1, 2, 3, 999, 4410, 44101, 100003]) {
      const y = resample(new Float32Array(n).fill(0.25), from, to, 777);
      expect(y.length, `n=${n}`).toBe(Math.round((n * to) / from));
      expect(Resampler.outputLength(n, from, to)).toBe(y.length);
    }
  });

  it('has no drift over hours: length and phase exact for 3 hours at 44.1 kHz → 22.05 kHz', () => {
    expect(Resampler.outputLength(3 * 3600 * 44100 + 1, 44100, 22050)).toBe(3 * 3600 * 22050 + 1);
    expect(Resampler.outputLength(3 * 3600 * 48000 + 7, 48000, 22050)).toBe(Math.round(((3 * 3600 * 48000 + 7) * 147) / 320));
  });

  it.each(CONVERSIONS)('does not depend on block boundaries: %i → %i Hz', (from, to) => {
    const x = sine(1000, from, from * 2, 0.5);
    for (let i = 0; i < x.length; i++) x[i]! += 0.1 * Math.sin(i * 0.37); // not a pure tone
    const big = resample(x, from, to, 65536);
    for (const block of [1000, 1, 4097]) {
      const small = resample(x, from, to, block);
      expect(small.length).toBe(big.length);
      let maxDiff = 0;
      for (let i = 0; i < big.length; i++) maxDiff = Math.max(maxDiff, Math.abs(big[i]! - small[i]!));
      expect(maxDiff, `block ${block}`).toBeLessThan(1e-6);
    }
  });

  it('has no click at block boundaries (a DC input gives DC output everywhere but the ends)', () => {
    const y = resample(new Float32Array(48000).fill(0.5), 48000, 22050, 1000);
    const mid = middle(y, 100);
    for (const v of mid) expect(Math.abs(v - 0.5)).toBeLessThan(1e-5);
  });

  it.each(CONVERSIONS)('SIMD kernel and JavaScript loop agree: %i → %i Hz', (from, to) => {
    const x = sine(3000, from, from, 0.7);
    const a = resample(x, from, to, 5000, { simd: true });
    const b = resample(x, from, to, 5000, { simd: false });
    expect(a.length).toBe(b.length);
    let maxDiff = 0;
    for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
    expect(maxDiff).toBeLessThan(1e-6);
  });

  it('processPlanar (downmix on the way in) equals downmix.ts then process', () => {
    const ch = [sine(300, 48000, 30000), sine(500, 48000, 30000, 0.2), sine(700, 48000, 30000, 0.1)];
    for (const n of [1, 2, 3]) {
      const a = new Resampler(48000, 22050);
      const b = new Resampler(48000, 22050);
      const pa = join([a.processPlanar(ch.slice(0, n), 30000), a.flush()]);
      const pb = join([b.process(downmix(ch.slice(0, n), 30000)), b.flush()]);
      expect(pa.length).toBe(pb.length);
      for (let i = 0; i < pa.length; i++) expect(Math.abs(pa[i]! - pb[i]!)).toBeLessThan(1e-7);
    }
  });

  it('is fast: 4 minutes of 44.1 kHz stereo → 22.05 kHz mono (downmix + resample)', () => {
    const n = 44100 * 240;
    const l = sine(440, 44100, n, 0.5);
    const r = sine(660, 44100, n, 0.5);
    const run = (): number => {
      const t0 = process.cpuUsage();
      const rs = new Resampler(44100, 22050);
      let out = 0;
      for (let i = 0; i < n; i += 65536) out += rs.processPlanar([l.subarray(i, i + 65536), r.subarray(i, i + 65536)], Math.min(65536, n - i)).length;
      out += rs.flush().length;
      expect(out).toBe(n / 2);
      const c = process.cpuUsage(t0);
      return (c.user + c.system) / 1000;
    };
    run(); // warm-up: the WebAssembly kernel tiers up after its first calls
    const ms = Math.min(run(), run());
    console.log(`downmix + resample of 4 min 44.1 kHz stereo: ${ms.toFixed(0)} ms CPU`);
    // Well under 100 ms on an idle core; the bound is loose for shared CI machines. The JavaScript
    // fallback takes ~5× longer and would fail it.
    expect(ms).toBeLessThan(400);
  });
});
