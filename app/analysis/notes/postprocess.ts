// Posteriorgrams → note events. A port of Spotify's basic-pitch note decoding (src/toMidi.ts:
// outputToNotesPoly, getInferredOnsets, argRelMax, constrainFrequency, modelFrameToTime,
// noteFramesToTime), Apache-2.0, Copyright 2022 Spotify AB. Same decisions in the same order, on
// flat Float32Arrays instead of nested arrays, with the "melodia trick" search kept fast by
// caching each frame's maximum. One deliberate change: when the frames never rise (no frame
// difference), the inferred onsets are the model's onsets instead of NaN.

/** A note in model frames (NoteEvent). */
export interface NoteEvent {
  startFrame: number;
  durationFrames: number;
  pitchMidi: number;
  amplitude: number;
}

/** A note in seconds (NoteEventTime). */
export interface NoteEventTime {
  startTimeSeconds: number;
  durationSeconds: number;
  pitchMidi: number;
  amplitude: number;
}

export interface DecodeOptions {
  onsetThresh?: number;
  frameThresh?: number;
  /** Minimum note length in frames. */
  minNoteLen?: number;
  inferOnsets?: boolean;
  maxFreq?: number | null;
  minFreq?: number | null;
  melodiaTrick?: boolean;
  /** Frames a note may drop below the frame threshold before it ends. */
  energyTolerance?: number;
}

const MIDI_OFFSET = 21;
const N = 88;
const MAX_FREQ_IDX = 87;
const AUDIO_SAMPLE_RATE = 22050;
const FFT_HOP = 256;
const ANNOT_N_FRAMES = Math.floor(AUDIO_SAMPLE_RATE / FFT_HOP) * 2;
const AUDIO_N_SAMPLES = AUDIO_SAMPLE_RATE * 2 - FFT_HOP;
const WINDOW_OFFSET = (FFT_HOP / AUDIO_SAMPLE_RATE) * (ANNOT_N_FRAMES - AUDIO_N_SAMPLES / FFT_HOP) + 0.0018;

const hzToMidi = (hz: number): number => 12 * (Math.log2(hz) - Math.log2(440.0)) + 69;

/** Model frame → seconds, with Basic Pitch's per-window offset correction (modelFrameToTime). */
export const modelFrameToTime = (frame: number): number => (frame * FFT_HOP) / AUDIO_SAMPLE_RATE - WINDOW_OFFSET * Math.floor(frame / ANNOT_N_FRAMES);

/** Zeroes onsets and frames outside [minFreq, maxFreq] (constrainFrequency). */
function constrainFrequency(onsets: Float32Array, frames: Float32Array, nFrames: number, maxFreq: number | null, minFreq: number | null): void {
  const zero = (m: Float32Array, from: number, to: number) => {
    const a = Math.max(0, Math.trunc(from));
    const b = Math.min(N, Math.trunc(to));
    for (let r = 0; r < nFrames; r++) for (let c = a; c < b; c++) m[r * N + c] = 0;
  };
  if (maxFreq) {
    const idx = hzToMidi(maxFreq) - MIDI_OFFSET;
    zero(onsets, idx, N);
    zero(frames, idx, N);
  }
  if (minFreq) {
    const idx = hzToMidi(minFreq) - MIDI_OFFSET;
    zero(onsets, 0, idx);
    zero(frames, 0, idx);
  }
}

/** Onsets plus large rises in frame activation, rescaled to the onsets' maximum (getInferredOnsets, n_diff = 2). */
function inferredOnsets(onsets: Float32Array, frames: Float32Array, nFrames: number, nDiff = 2): Float32Array {
  const diff = new Float32Array(nFrames * N);
  let diffMax = 0;
  let onsetMax = 0;
  for (let r = 0; r < nFrames; r++) {
    for (let c = 0; c < N; c++) {
      const i = r * N + c;
      onsetMax = Math.max(onsetMax, onsets[i]!);
      if (r < nDiff) continue;
      let d = Infinity;
      for (let n = 1; n <= nDiff; n++) d = Math.min(d, frames[i]! - frames[(r - n) * N + c]!);
      diff[i] = Math.max(d, 0);
      diffMax = Math.max(diffMax, diff[i]!);
    }
  }
  const out = new Float32Array(nFrames * N);
  for (let i = 0; i < out.length; i++) out[i] = diffMax > 0 ? Math.max(onsets[i]!, (onsetMax * diff[i]!) / diffMax) : onsets[i]!;
  return out;
}

/** Whether a value is a strict local maximum over time (scipy.signal.argrelmax, order 1, clipped edges). */
function isRelMax(m: Float32Array, nFrames: number, r: number, c: number): boolean {
  const v = m[r * N + c]!;
  if (r > 0 && !(v > m[(r - 1) * N + c]!)) return false;
  if (r < nFrames - 1 && !(v > m[(r + 1) * N + c]!)) return false;
  return true;
}

/**
 * Decodes note events from frame and onset posteriorgrams (nFrames × 88, row-major), as
 * basic-pitch's outputToNotesPoly does. The inputs are not modified.
 */
export function outputToNotesPoly(framesIn: Float32Array, onsetsIn: Float32Array, nFrames: number, options: DecodeOptions = {}): NoteEvent[] {
  const onsetThresh = options.onsetThresh ?? 0.5;
  const frameThresh = options.frameThresh ?? 0.3;
  const minNoteLen = options.minNoteLen ?? 5;
  const energyTolerance = options.energyTolerance ?? 11;
  const frames = framesIn.slice(0, nFrames * N);
  const onsets0 = onsetsIn.slice(0, nFrames * N);
  constrainFrequency(onsets0, frames, nFrames, options.maxFreq ?? null, options.minFreq ?? null);
  const onsets = options.inferOnsets === false ? onsets0 : inferredOnsets(onsets0, frames, nFrames);
  const remaining = frames.slice();
  const notes: NoteEvent[] = [];

  // Onset peaks above the threshold, latest first (the original reverses a row-major list).
  for (let start = nFrames - 1; start >= 0; start--) {
    for (let freq = N - 1; freq >= 0; freq--) {
      const v = onsets[start * N + freq]!;
      if (!(v > onsetThresh) || !isRelMax(onsets, nFrames, start, freq)) continue;
      if (start >= nFrames - 1) continue;
      let i = start + 1;
      let k = 0;
      while (i < nFrames - 1 && k < energyTolerance) {
        if (remaining[i * N + freq]! < frameThresh) k += 1;
        else k = 0;
        i += 1;
      }
      i -= k;
      if (i - start <= minNoteLen) continue;
      for (let j = start; j < i; j++) {
        remaining[j * N + freq] = 0;
        if (freq < MAX_FREQ_IDX) remaining[j * N + freq + 1] = 0;
        if (freq > 0) remaining[j * N + freq - 1] = 0;
      }
      let sum = 0;
      for (let j = start; j < i; j++) sum += frames[j * N + freq]!;
      notes.push({ startFrame: start, durationFrames: i - start, pitchMidi: freq + MIDI_OFFSET, amplitude: sum / (i - start) });
    }
  }

  if (options.melodiaTrick !== false) melodiaNotes(frames, remaining, nFrames, frameThresh, minNoteLen, energyTolerance, notes);
  return notes;
}

/** The "melodia trick": notes grown forwards and backwards from the strongest remaining frame energy. */
function melodiaNotes(frames: Float32Array, remaining: Float32Array, nFrames: number, thresh: number, minNoteLen: number, tolerance: number, notes: NoteEvent[]): void {
  // Per frame: its maximum and the last column holding it (the original argMax keeps the last tie).
  const rowMax = new Float32Array(nFrames);
  const rowArg = new Int32Array(nFrames);
  const refresh = (r: number) => {
    let best = -Infinity;
    let arg = 0;
    for (let c = 0; c < N; c++) {
      const v = remaining[r * N + c]!;
      if (!(best > v)) {
        best = v;
        arg = c;
      }
    }
    rowMax[r] = best;
    rowArg[r] = arg;
  };
  for (let r = 0; r < nFrames; r++) refresh(r);
  const clear = (r: number, freq: number) => {
    remaining[r * N + freq] = 0;
    if (freq < MAX_FREQ_IDX) remaining[r * N + freq + 1] = 0;
    if (freq > 0) remaining[r * N + freq - 1] = 0;
  };
  for (;;) {
    // The earliest frame holding the global maximum (ties keep the earlier frame).
    let iMid = 0;
    for (let r = 1; r < nFrames; r++) if (rowMax[r]! > rowMax[iMid]!) iMid = r;
    if (nFrames === 0 || !(Math.max(0, rowMax[iMid]!) > thresh)) break;
    const freq = rowArg[iMid]!;
    remaining[iMid * N + freq] = 0;
    let i = iMid + 1;
    let k = 0;
    while (i < nFrames - 1 && k < tolerance) {
      if (remaining[i * N + freq]! < thresh) k += 1;
      else k = 0;
      clear(i, freq);
      i += 1;
    }
    const lastTouched = i - 1;
    const iEnd = i - 1 - k;
    i = iMid - 1;
    k = 0;
    while (i > 0 && k < tolerance) {
      if (remaining[i * N + freq]! < thresh) k += 1;
      else k = 0;
      clear(i, freq);
      i -= 1;
    }
    const firstTouched = i + 1;
    const iStart = i + 1 + k;
    for (let r = Math.min(firstTouched, iMid); r <= Math.max(lastTouched, iMid); r++) refresh(r);
    if (iEnd - iStart <= minNoteLen) continue;
    let sum = 0;
    for (let j = iStart; j < iEnd; j++) sum += frames[j * N + freq]!;
    notes.push({ startFrame: iStart, durationFrames: iEnd - iStart, pitchMidi: freq + MIDI_OFFSET, amplitude: sum / (iEnd - iStart) });
  }
}

/** Note frames → seconds (noteFramesToTime). */
export function noteFramesToTime(notes: NoteEvent[]): NoteEventTime[] {
  return notes.map((n) => ({
    pitchMidi: n.pitchMidi,
    amplitude: n.amplitude,
    startTimeSeconds: modelFrameToTime(n.startFrame),
    durationSeconds: modelFrameToTime(n.startFrame + n.durationFrames) - modelFrameToTime(n.startFrame),
  }));
}
