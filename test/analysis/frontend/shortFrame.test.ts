// The short-frame WebAssembly kernel against its JavaScript reference (SpectralFlux + SpectralShape), frame
// by frame, on real spectra of several signals, FFT sizes and rates.
import { describe, expect, it } from 'vitest';
import { loadPffft, realFftOn } from '../../../app/analysis/frontend/fft.ts';
import { CONTRAST_BANDS, MEL_BANDS } from '../../../app/analysis/frontend/shape.ts';
import { createShortFrame, ShortFrameJs, ShortFrameWasm } from '../../../app/analysis/frontend/shortFrame.ts';
import type { ShortFrame } from '../../../app/analysis/frontend/shortFrame.ts';
import { SHORT_FRAME_WASM_BASE64 } from '../../../app/analysis/frontend/shortFrameWasm.ts';
import { compileBase64, instantiate } from '../../../app/util/wasm.ts';
import { DEMO_SONGS } from '../../../app/demo/songs.ts';
import { renderMono } from './helpers.ts';
import { mulberry32 } from '../../../app/demo/synth.ts';

interface FrameOut {
  flux: number;
  mel: Float32Array;
  contrast: Float32Array;
  centroid: number;
  rolloff: number;
  flatness: number;
}

/** Runs `frames` (time-domain, n samples each) through FFT and one implementation. */
async function run(impl: ShortFrame, n: number, frames: Float32Array[]): Promise<FrameOut[]> {
  const fft = realFftOn(await loadPffft(), n);
  const scale = (4 / n) ** 2;
  return frames.map((x) => {
    fft.input().set(x);
    fft.forward();
    const mel = new Float32Array(MEL_BANDS);
    const contrast = new Float32Array(CONTRAST_BANDS);
    const flux = impl.next(fft.output(), scale, mel, 0, contrast, 0);
    return { flux, mel, contrast, centroid: impl.centroidHz, rolloff: impl.rolloffHz, flatness: impl.flatness };
  });
}

/** Consecutive frames of `signal` (hop n), with silence, a sudden loud start, noise and a sine among them. */
function framesOf(signal: Float32Array, n: number, count: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let i = 0; i < count && (i + 1) * n <= signal.length; i++) out.push(signal.slice(i * n, (i + 1) * n));
  return out;
}

function testSignal(n: number, rate: number): Float32Array[] {
  const rand = mulberry32(3);
  const song = renderMono(DEMO_SONGS[0]!);
  const silence = Array.from({ length: 3 }, () => new Float32Array(n));
  const noise = Array.from({ length: 4 }, () => Float32Array.from({ length: n }, () => (rand() * 2 - 1) * 0.3));
  const sine = Array.from({ length: 4 }, (_, f) => Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * (f * n + i)) / rate)));
  const tiny = [Float32Array.from({ length: n }, () => (rand() * 2 - 1) * 1e-7)];
  return [...silence, ...framesOf(song, n, 60), ...tiny, ...silence, ...noise, ...sine, ...framesOf(song.subarray(7 * n), n, 20)];
}

describe('frontend: short-frame kernel (WebAssembly) against SpectralFlux + SpectralShape', () => {
  it('loads here', () => {
    expect(createShortFrame(512, 22050)).toBeInstanceOf(ShortFrameWasm);
  });

  for (const [n, rate] of [
    [512, 22050],
    [128, 4000],
    [1024, 44100],
    [4096, 192000],
    [8192, 384000],
  ] as const) {
    it(`gives the reference's flux and shape, frame by frame (n = ${n}, ${rate} Hz)`, async () => {
      const frames = testSignal(n, rate);
      const ref = await run(new ShortFrameJs(n, rate), n, frames);
      const got = await run(new ShortFrameWasm(n, rate), n, frames);
      let worstFlux = 0;
      let worstDb = 0;
      ref.forEach((r, i) => {
        const g = got[i]!;
        worstFlux = Math.max(worstFlux, Math.abs(g.flux - r.flux));
        for (let b = 0; b < MEL_BANDS; b++) worstDb = Math.max(worstDb, Math.abs(g.mel[b]! - r.mel[b]!));
        for (let b = 0; b < CONTRAST_BANDS; b++) worstDb = Math.max(worstDb, Math.abs(g.contrast[b]! - r.contrast[b]!));
        expect(Math.abs(g.centroid - r.centroid)).toBeLessThanOrEqual(1e-6 * Math.max(1, r.centroid));
        expect(g.rolloff).toBe(r.rolloff);
        expect(Math.abs(g.flatness - r.flatness)).toBeLessThan(1e-6);
      });
      // Levels in dB: float32 storage of both gives ~1e-5 dB.
      expect(worstFlux).toBeLessThan(1e-4);
      expect(worstDb).toBeLessThan(1e-3);
      expect(ref.some((r) => r.flux > 1)).toBe(true);
    });
  }

  it('keeps the previous frame per instance and forgets it on reset', async () => {
    const n = 512;
    const frames = testSignal(n, 22050).slice(0, 30);
    const k = new ShortFrameWasm(n, 22050);
    const first = await run(k, n, frames);
    const again = await run(k, n, frames);
    k.reset();
    const reset = await run(k, n, frames);
    expect(reset.map((f) => f.flux)).toEqual(first.map((f) => f.flux));
    // Without the reset the first frame compares with the last one of the run before.
    expect(again[3]!.flux).not.toBe(first[3]!.flux);
  });

  it('its natural log agrees with Math.log to within 2 ulp over the range it is given', () => {
    const w = instantiate(compileBase64(SHORT_FRAME_WASM_BASE64)) as Record<string, (x: number) => number>;
    for (const x of [1e-160, 1e-12, 1e-10, 3.3e-5, 0.5, 0.70710678, 0.7071068, 1, 1 + 1e-12, 1.41421356, 1.4142136, 2, 10, 12345.678, 1e30]) {
      const want = Math.log(x);
      expect(Math.abs(w.sf_ln!(x) - want)).toBeLessThanOrEqual(4.5e-16 * Math.max(1, Math.abs(want)));
    }
  });
});
