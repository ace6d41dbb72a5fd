// The pitch-frame WebAssembly kernel against its JavaScript reference (hannPowerLow + PitchPeaks), frame by
// frame, on real spectra of several signals, FFT sizes and rates.
import { describe, expect, it } from 'vitest';
import { FINE_BINS } from '../../../app/analysis/frontend/chroma.ts';
import { loadPffft, realFftOn } from '../../../app/analysis/frontend/fft.ts';
import { createPitchFrame, PitchFrameJs, PitchFrameWasm } from '../../../app/analysis/frontend/pitchFrame.ts';
import type { PitchFrame } from '../../../app/analysis/frontend/pitchFrame.ts';
import { PITCH_FRAME_WASM_BASE64 } from '../../../app/analysis/frontend/pitchFrameWasm.ts';
import { DEMO_SONGS } from '../../../app/demo/songs.ts';
import { mulberry32 } from '../../../app/demo/synth.ts';
import { compileBase64, instantiate } from '../../../app/util/wasm.ts';
import { renderMono } from './helpers.ts';

/** Runs `frames` (time-domain, n samples each) through the FFT and one implementation: the fine rows per frame. */
async function run(impl: PitchFrame, n: number, frames: Float32Array[]): Promise<{ treble: Float32Array; bass: Float32Array }> {
  const fft = realFftOn(await loadPffft(), n);
  const treble = new Float32Array(frames.length * FINE_BINS);
  const bass = new Float32Array(frames.length * FINE_BINS);
  frames.forEach((x, i) => {
    fft.input().set(x);
    fft.forward();
    impl.next(fft.output(), (4 / n) ** 2, treble, i * FINE_BINS, bass, i * FINE_BINS);
  });
  return { treble, bass };
}

/** Frames of silence, a demo song (resampled by index to `rate`), noise, a low chord and a sine at `rate`. */
function testFrames(n: number, rate: number): Float32Array[] {
  const rand = mulberry32(5);
  const song = renderMono(DEMO_SONGS[1]!);
  const step = 22050 / rate;
  const songFrame = (i: number) => Float32Array.from({ length: n }, (_, k) => song[Math.floor((i * n + k) * step) % song.length]!);
  const tone = (hz: number[], amp: number) => Float32Array.from({ length: n }, (_, k) => hz.reduce((a, f) => a + amp * Math.sin((2 * Math.PI * f * k) / rate), 0));
  return [
    new Float32Array(n),
    ...Array.from({ length: 40 }, (_, i) => songFrame(i + 3)),
    Float32Array.from({ length: n }, () => (rand() * 2 - 1) * 0.2),
    tone([55, 110, 164.8, 220, 261.6, 329.6], 0.1),
    tone([441.3], 0.5),
    Float32Array.from({ length: n }, () => (rand() * 2 - 1) * 1e-6),
  ];
}

describe('frontend: pitch-frame kernel (WebAssembly) against hannPowerLow + PitchPeaks', () => {
  it('loads here', () => {
    expect(createPitchFrame(4096, 22050)).toBeInstanceOf(PitchFrameWasm);
  });

  for (const [n, rate] of [
    [4096, 22050],
    [1024, 4000],
    [8192, 44100],
    [32768, 192000],
  ] as const) {
    it(`gives the reference's fine chroma rows and tuning, frame by frame (n = ${n}, ${rate} Hz)`, async () => {
      const frames = testFrames(n, rate);
      const js = new PitchFrameJs(n, rate);
      const wasm = new PitchFrameWasm(n, rate);
      const ref = await run(js, n, frames);
      const got = await run(wasm, n, frames);
      let worst = 0;
      let total = 0;
      for (const [a, b] of [
        [ref.treble, got.treble],
        [ref.bass, got.bass],
      ] as const) {
        for (let i = 0; i < a.length; i++) {
          worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
          total += a[i]!;
        }
      }
      expect(total).toBeGreaterThan(1);
      // Amplitudes up to ~1: differences are float32 rounding of the same sums.
      expect(worst).toBeLessThan(1e-5);
      const t1 = js.tuning.estimate();
      const t2 = wasm.tuning.estimate();
      expect(t2.peaks).toBe(t1.peaks);
      expect(t2.peaks).toBeGreaterThan(10);
      expect(Math.abs(t2.semitones - t1.semitones)).toBeLessThan(1e-7);
    });
  }

  it('forgets the tuning on reset', async () => {
    const k = new PitchFrameWasm(4096, 22050);
    await run(k, 4096, testFrames(4096, 22050).slice(0, 5));
    expect(k.tuning.estimate().peaks).toBeGreaterThan(0);
    k.reset();
    expect(k.tuning.estimate().peaks).toBe(0);
  });

  it('its log and exp agree with Math.log and Math.exp to within 2 ulp over the range they are given', () => {
    const w = instantiate(compileBase64(PITCH_FRAME_WASM_BASE64)) as Record<string, (x: number) => number>;
    for (const x of [1e-24, 1e-12, 3.3e-5, 0.5, 1, 1.41421356, 2, 10, 1234.5, 1e8]) {
      expect(Math.abs(w.pf_ln!(x) - Math.log(x))).toBeLessThanOrEqual(4.5e-16 * Math.max(1, Math.abs(Math.log(x))));
    }
    for (const x of [-60, -27.6, -3.3, -0.5, -1e-9, 0, 0.34657, 0.5, 1, 2.3, 10, 45]) {
      expect(Math.abs(w.pf_exp!(x) - Math.exp(x))).toBeLessThanOrEqual(4.5e-16 * Math.exp(x));
    }
  });
});
