// Test signals of EBU Tech 3341 / 3342, generated as the specifications describe them (1 kHz sines at
// given dBFS peak levels and durations, at 48 kHz), and a helper that runs the loudness analyser
// over planar channels in decoder-sized chunks.
import { createLoudnessAnalyser } from '../../../app/analysis/loudness/index.ts';
import type { LoudnessResult } from '../../../app/analysis/types.ts';

export const RATE = 48000;

/** One steady tone of a sequence: level in dBFS (sine peak), duration in seconds. */
export interface Tone {
  dbfs: number;
  seconds: number;
}

/** A sine of `freq` Hz through a sequence of levels, phase continuous across them, starting at `phaseDeg`. */
export function sineSequence(tones: readonly Tone[], opts: { rate?: number; freq?: number; phaseDeg?: number } = {}): Float32Array {
  const rate = opts.rate ?? RATE;
  const freq = opts.freq ?? 1000;
  const phase = ((opts.phaseDeg ?? 0) * Math.PI) / 180;
  const total = tones.reduce((n, t) => n + Math.round(t.seconds * rate), 0);
  const out = new Float32Array(total);
  let i = 0;
  for (const t of tones) {
    const amp = 10 ** (t.dbfs / 20);
    const end = i + Math.round(t.seconds * rate);
    for (; i < end; i++) out[i] = amp * Math.sin((2 * Math.PI * freq * i) / rate + phase);
  }
  return out;
}

/** `times` repetitions of a pattern of tones. */
export const repeat = (times: number, ...pattern: Tone[]): Tone[] => Array.from({ length: times }, () => pattern).flat();

/** Raised-cosine fade in and out over `seconds` at each end (in place). */
export function fade(x: Float32Array, seconds: number, rate = RATE): Float32Array {
  const n = Math.min(Math.round(seconds * rate), Math.floor(x.length / 2));
  for (let i = 0; i < n; i++) {
    const g = 0.5 * (1 - Math.cos((Math.PI * i) / n));
    x[i]! *= g;
    x[x.length - 1 - i]! *= g;
  }
  return x;
}

/** Runs a fresh loudness analyser over planar channels, fed in chunks of `chunk` frames. */
export function measure(channels: readonly Float32Array[], rate = RATE, chunk = 4608): LoudnessResult {
  const a = createLoudnessAnalyser();
  const length = channels[0]!.length;
  for (let i = 0; i < length; i += chunk) {
    const n = Math.min(chunk, length - i);
    a.processSource!(channels.map((c) => c.subarray(i, i + n)), n, rate);
  }
  return a.finish({});
}

/** A deterministic pseudo-random generator (mulberry32), values in [-1, 1). */
export function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}
