// Shared helpers for the decoding tests: ffmpeg-made files in a temp dir, whole-stream decoding,
// and small signal measurements (Goertzel tone level, RMS).
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { openAudio, type AudioStream, type OpenAudioOptions } from '../../app/audio/decode.ts';

const execFileAsync = promisify(execFile);

/** Runs ffmpeg quietly (throws with its stderr on failure). */
export async function ffmpeg(args: string[]): Promise<void> {
  await execFileAsync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...args], { maxBuffer: 16 * 1024 * 1024 });
}

/** ffmpeg's own decode of `file` at its own rate, downmixed here as the plain channel average (the reference for levels). */
export async function ffmpegDecodeAverage(file: string, channels: number): Promise<Float32Array> {
  const { stdout } = await execFileAsync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-i', file, '-f', 'f32le', '-'], {
    encoding: 'buffer',
    maxBuffer: 512 * 1024 * 1024,
  });
  const all = new Float32Array(stdout.buffer.slice(stdout.byteOffset, stdout.byteOffset + stdout.byteLength));
  const out = new Float32Array(Math.floor(all.length / channels));
  for (let i = 0; i < out.length; i++) {
    let s = 0;
    for (let c = 0; c < channels; c++) s += all[i * channels + c]!;
    out[i] = s / channels;
  }
  return out;
}

/** A fresh temp directory and a function that removes it. */
export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `linernotes-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Decodes a whole file; returns the samples joined, the stream, and the block lengths. */
export async function decodeAll(file: string, opts: OpenAudioOptions = {}): Promise<{ samples: Float32Array; stream: AudioStream; blockLengths: number[] }> {
  const stream = await openAudio(file, opts);
  const parts: Float32Array[] = [];
  for await (const b of stream.blocks()) parts.push(b);
  return { samples: join(parts), stream, blockLengths: parts.map((p) => p.length) };
}

export function join(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Amplitude of the component at `freq` (Goertzel); a full-scale sine of amplitude A gives ≈ A. */
export function toneAmplitude(x: Float32Array, freq: number, rate: number): number {
  const w = (2 * Math.PI * freq) / rate;
  const c = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < x.length; i++) {
    const s0 = x[i]! + c * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return (2 * Math.sqrt(Math.max(0, s1 * s1 + s2 * s2 - c * s1 * s2))) / x.length;
}

export function rms(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / Math.max(1, x.length));
}

export const db = (ratio: number): number => 20 * Math.log10(ratio);

/** The middle of a signal, without `edge` samples at each end (filter and codec edges). */
export const middle = (x: Float32Array, edge: number): Float32Array => x.subarray(edge, Math.max(edge, x.length - edge));

/** A sine of `freq` Hz at `rate`, `n` samples, amplitude `amp`. */
export function sine(freq: number, rate: number, n: number, amp = 0.5): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = amp * Math.sin((2 * Math.PI * freq * i) / rate);
  return x;
}

/** Frequency estimated from the positive-going zero crossings (linear interpolation between samples). */
export function zeroCrossingFrequency(x: Float32Array, rate: number): number {
  let first = -1;
  let last = -1;
  let count = 0;
  for (let i = 1; i < x.length; i++) {
    if (x[i - 1]! < 0 && x[i]! >= 0) {
      const t = i - 1 + x[i - 1]! / (x[i - 1]! - x[i]!);
      if (first < 0) first = t;
      else count++;
      last = t;
    }
  }
  return count > 0 ? (count * rate) / (last - first) : 0;
}
