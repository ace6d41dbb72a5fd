// Note-level chroma: the transcribed notes folded onto the front end's frame grid as treble and bass
// chroma (a "symbolic chroma" from a transcription, as in transcription-based chord recognition, e.g.
// Ryynänen & Klapuri 2008; notes from Basic Pitch, Bittner et al. 2022), and mixed into the audio chroma
// so the chord recogniser (chords/estimate.ts) reads both. A transcribed note has no partials, so its
// chroma does not carry the bass's fifth partial into the treble the way the audio chroma does.
import type { FrontEndFeatures } from '../types.ts';
import type { TranscribedNote } from './types.ts';

export interface NoteChromaOptions {
  /** Notes from this MIDI pitch up count in the treble chroma (default 48 = C3, the audio treble chroma's ≈ 130 Hz). */
  trebleFrom: number;
  /** The lowest note sounding in a frame counts in the bass chroma when it is below this pitch (default 60 = C4). */
  bassBelow: number;
  /** Weigh each note by its amplitude (Basic Pitch's mean activation) rather than 1. */
  byVelocity: boolean;
}

export const DEFAULT_NOTE_CHROMA: NoteChromaOptions = { trebleFrom: 48, bassBelow: 60, byVelocity: true };

/**
 * Treble and bass chroma per frame (frame i at time i / frameRate), frameCount × 12 row-major, each
 * row summing to 1 or all 0 where no note sounds. Treble: every sounding note from `trebleFrom` up,
 * weighted by amplitude. Bass: the lowest sounding note, when below `bassBelow`.
 */
export function noteChroma(
  notes: readonly TranscribedNote[],
  frameCount: number,
  frameRate: number,
  options: Partial<NoteChromaOptions> = {},
): { treble: Float32Array; bass: Float32Array } {
  const opts = { ...DEFAULT_NOTE_CHROMA, ...options };
  const treble = new Float32Array(frameCount * 12);
  const bass = new Float32Array(frameCount * 12);
  const lowest = new Int16Array(frameCount).fill(1000);
  const lowestWeight = new Float32Array(frameCount);
  for (const n of notes) {
    if (!(n.end > n.start) || !Number.isFinite(n.pitch)) continue;
    const pc = ((n.pitch % 12) + 12) % 12;
    const w = opts.byVelocity ? Math.max(0, n.velocity) : 1;
    if (!(w > 0)) continue;
    const i0 = Math.max(0, Math.ceil(n.start * frameRate));
    const i1 = Math.min(frameCount, Math.ceil(n.end * frameRate));
    for (let i = i0; i < i1; i++) {
      if (n.pitch >= opts.trebleFrom) treble[i * 12 + pc]! += w;
      if (n.pitch < lowest[i]!) {
        lowest[i] = n.pitch;
        lowestWeight[i] = w;
      }
    }
  }
  for (let i = 0; i < frameCount; i++) {
    if (lowest[i]! < opts.bassBelow) bass[i * 12 + ((lowest[i]! % 12) + 12) % 12] = lowestWeight[i]!;
    normaliseRow(treble, i);
    normaliseRow(bass, i);
  }
  return { treble, bass };
}

function normaliseRow(m: Float32Array, i: number): void {
  let s = 0;
  for (let p = 0; p < 12; p++) s += m[i * 12 + p]!;
  if (s > 0) for (let p = 0; p < 12; p++) m[i * 12 + p]! /= s;
}

/** Per-row mix (1 − w)·audio + w·notes; where the notes' row is empty the audio row is kept whole. */
export function mixChroma(audio: Float32Array, notes: Float32Array, w: number): Float32Array {
  const out = new Float32Array(audio.length);
  for (let o = 0; o < audio.length; o += 12) {
    let s = 0;
    for (let p = 0; p < 12; p++) s += notes[o + p]!;
    const wn = s > 0 ? w : 0;
    for (let p = 0; p < 12; p++) out[o + p] = (1 - wn) * audio[o + p]! + wn * notes[o + p]!;
  }
  return out;
}

export interface NoteChromaMix {
  /** Weight of the notes in the treble and in the bass chroma (0 = audio only, 1 = notes only where notes sound). */
  treble: number;
  bass: number;
  chroma?: Partial<NoteChromaOptions>;
}

/** The front end's features with the notes' chroma mixed into its treble and bass chroma. */
export function featuresWithNoteChroma(features: FrontEndFeatures, notes: readonly TranscribedNote[], mix: NoteChromaMix): FrontEndFeatures {
  const nc = noteChroma(notes, features.frameCount, features.frameRate, mix.chroma);
  return { ...features, chromaTreble: mixChroma(features.chromaTreble, nc.treble, mix.treble), chromaBass: mixChroma(features.chromaBass, nc.bass, mix.bass) };
}
