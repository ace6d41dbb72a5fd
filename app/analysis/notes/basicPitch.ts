// Runs Basic Pitch over a whole track: the audio is cut into overlapping 2 s windows, each window's
// posteriorgrams lose their overlapping edges, and the rest are joined. Windowing ported from
// Spotify's basic-pitch (src/inference.ts: prepareData, unwrapOutput, evaluateModel), Apache-2.0,
// Copyright 2022 Spotify AB.
import { getModelSession, ort, type LoadedModel, type SessionOptions } from '../../models/session.ts';

export const BASIC_PITCH_SAMPLE_RATE = 22050;
const FFT_HOP = 256;
/** Frames per second of the posteriorgrams (ANNOTATIONS_FPS). */
export const BASIC_PITCH_FPS = Math.floor(BASIC_PITCH_SAMPLE_RATE / FFT_HOP);
const AUDIO_N_SAMPLES = BASIC_PITCH_SAMPLE_RATE * 2 - FFT_HOP;
const N_OVERLAPPING_FRAMES = 30;
const N_OVERLAP_OVER_2 = Math.floor(N_OVERLAPPING_FRAMES / 2);
const OVERLAP_LENGTH_SAMPLES = N_OVERLAPPING_FRAMES * FFT_HOP;
const HOP_SIZE = AUDIO_N_SAMPLES - OVERLAP_LENGTH_SAMPLES;
const WINDOW_FRAMES = 172;
export const N_PITCHES = 88;
export const N_CONTOUR_BINS = 264;

/** Frame-level model output for a whole track, row-major (frame × bin). */
export interface Posteriorgrams {
  nFrames: number;
  /** nFrames × 88: a note sounds (MIDI 21 + column). */
  frames: Float32Array;
  /** nFrames × 88: a note starts. */
  onsets: Float32Array;
  /** nFrames × 264: pitch contour, 3 bins per semitone from 27.5 Hz (empty when not asked for). */
  contours: Float32Array;
}

/** The model windows of a signal: 3840 zeros in front, 43844-sample frames every 36164 samples, zero-padded at the end (tf.signal.frame with padEnd). */
export function frameAudio(audio: Float32Array): Float32Array[] {
  const padded = new Float32Array(OVERLAP_LENGTH_SAMPLES / 2 + audio.length);
  padded.set(audio, OVERLAP_LENGTH_SAMPLES / 2);
  const windows: Float32Array[] = [];
  for (let start = 0; start < padded.length; start += HOP_SIZE) {
    const w = new Float32Array(AUDIO_N_SAMPLES);
    w.set(padded.subarray(start, Math.min(start + AUDIO_N_SAMPLES, padded.length)));
    windows.push(w);
  }
  return windows;
}

/** Number of posteriorgram frames for a signal (n_output_frames_original). */
export const outputFrameCount = (samples: number): number => Math.floor(samples * (BASIC_PITCH_FPS / BASIC_PITCH_SAMPLE_RATE));

export interface RunOptions extends SessionOptions {
  /** Windows per model call (default 1: batching is no faster on the CPU provider and costs memory). */
  batch?: number;
  signal?: AbortSignal;
  /** Keep the pitch contours (default true; note decoding does not need them, and they are 60 % of the memory). */
  contours?: boolean;
}

/** Runs Basic Pitch on mono 22050 Hz audio and returns the whole track's posteriorgrams. */
export async function runBasicPitch(audio: Float32Array, options: RunOptions = {}): Promise<Posteriorgrams & { model: LoadedModel }> {
  for (let i = 0; i < audio.length; i++) {
    if (!Number.isFinite(audio[i]!)) throw new RangeError(`audio sample ${i} is not a finite number`);
  }
  const model = await getModelSession('basic-pitch', options);
  const nFrames = outputFrameCount(audio.length);
  const frames = new Float32Array(nFrames * N_PITCHES);
  const onsets = new Float32Array(nFrames * N_PITCHES);
  const keepContours = options.contours ?? true;
  const contours = new Float32Array(keepContours ? nFrames * N_CONTOUR_BINS : 0);
  const windows = nFrames > 0 ? frameAudio(audio) : [];
  const batch = Math.max(1, options.batch ?? 1);
  const keep = WINDOW_FRAMES - 2 * N_OVERLAP_OVER_2;
  let written = 0;
  for (let w0 = 0; w0 < windows.length && written < nFrames; w0 += batch) {
    options.signal?.throwIfAborted();
    const group = windows.slice(w0, w0 + batch);
    const input = new Float32Array(group.length * AUDIO_N_SAMPLES);
    group.forEach((w, i) => input.set(w, i * AUDIO_N_SAMPLES));
    const out = await model.session.run({ audio: new ort.Tensor('float32', input, [group.length, AUDIO_N_SAMPLES, 1]) });
    const note = out.note!.data as Float32Array;
    const onset = out.onset!.data as Float32Array;
    const contour = out.contour!.data as Float32Array;
    for (let b = 0; b < group.length && written < nFrames; b++) {
      const take = Math.min(keep, nFrames - written);
      const from = b * WINDOW_FRAMES + N_OVERLAP_OVER_2;
      frames.set(note.subarray(from * N_PITCHES, (from + take) * N_PITCHES), written * N_PITCHES);
      onsets.set(onset.subarray(from * N_PITCHES, (from + take) * N_PITCHES), written * N_PITCHES);
      if (keepContours) contours.set(contour.subarray(from * N_CONTOUR_BINS, (from + take) * N_CONTOUR_BINS), written * N_CONTOUR_BINS);
      written += take;
    }
  }
  return { nFrames, frames, onsets, contours, model };
}
