// Synthetic test signals at the analysis rate.
import { mulberry32 } from '../../../app/demo/synth.ts';
import { SR } from './helpers.ts';

/** n seconds of fn(sample index). */
export function signal(seconds: number, fn: (i: number) => number): Float32Array {
  const x = new Float32Array(Math.round(seconds * SR));
  for (let i = 0; i < x.length; i++) x[i] = fn(i);
  return x;
}

/** Uniform white noise in [−amp, amp] (seeded). */
export function whiteNoise(seconds: number, amp = 0.5, seed = 7): Float32Array {
  const rand = mulberry32(seed);
  return signal(seconds, () => (rand() * 2 - 1) * amp);
}

export function sine(seconds: number, hz: number, amp = 0.5): Float32Array {
  return signal(seconds, (i) => amp * Math.sin((2 * Math.PI * hz * i) / SR));
}

/** Short decaying 1 kHz blips (20 ms) at the given times. */
export function clicksAt(times: readonly number[], seconds: number, amp = 0.8): Float32Array {
  const x = new Float32Array(Math.round(seconds * SR));
  for (const t of times) {
    const s = Math.round(t * SR);
    for (let k = 0; k < 0.02 * SR && s + k < x.length; k++) x[s + k]! += amp * Math.sin((2 * Math.PI * 1000 * k) / SR) * Math.exp(-k / (0.004 * SR));
  }
  return x;
}

/** Beat times of a click track at a steady tempo, from 0 s. */
export function steadyBeats(bpm: number, seconds: number): number[] {
  const out: number[] = [];
  for (let i = 0; (i * 60) / bpm < seconds - 0.05; i++) out.push((i * 60) / bpm);
  return out;
}

/** Beat times whose tempo moves linearly from bpm0 to bpm1 over `seconds`. */
export function rampBeats(bpm0: number, bpm1: number, seconds: number): number[] {
  const out: number[] = [];
  for (let t = 0; t < seconds - 0.05; t += 60 / (bpm0 + ((bpm1 - bpm0) * t) / seconds)) out.push(t);
  return out;
}

/** Hard clipping of gain·x at ±limit. */
export function clip(x: Float32Array, gain: number, limit: number): Float32Array {
  return x.map((v) => Math.max(-limit, Math.min(limit, v * gain)));
}
