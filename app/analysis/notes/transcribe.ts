// A whole track's notes: Basic Pitch (ONNX) → note decoding → bass line and melody range.
import { runBasicPitch, type RunOptions } from './basicPitch.ts';
import { bassLine, beatGrid, melodyRange } from './derived.ts';
import { noteFramesToTime, outputToNotesPoly, type DecodeOptions } from './postprocess.ts';
import type { NotesResult, TranscribedNote } from './types.ts';

export interface TranscribeOptions extends RunOptions {
  /** Beat times (s) for the bass line; without them a 0.5 s grid is used. */
  beats?: readonly number[];
  decode?: DecodeOptions;
}

/** Transcribes mono 22050 Hz audio into notes, with the derived bass line and melody range. */
export async function transcribe(audio: Float32Array, options: TranscribeOptions = {}): Promise<NotesResult> {
  const durationSec = audio.length / 22050;
  const pg = await runBasicPitch(audio, { ...options, contours: false });
  const notes: TranscribedNote[] = noteFramesToTime(outputToNotesPoly(pg.frames, pg.onsets, pg.nFrames, options.decode))
    .map((n) => ({ start: round(n.startTimeSeconds), end: round(n.startTimeSeconds + n.durationSeconds), pitch: n.pitchMidi, velocity: round(n.amplitude) }))
    .sort((a, b) => a.start - b.start || a.pitch - b.pitch);
  const beats = options.beats ?? [];
  return {
    model: { name: pg.model.entry.name, version: pg.model.entry.version, provider: pg.model.provider },
    notes,
    bassLine: bassLine(notes, beatGrid(beats, durationSec)),
    bassGrid: beats.length >= 2 ? 'beats' : 'fixed-0.5s',
    melodyRange: melodyRange(notes),
    durationSec,
  };
}

const round = (x: number): number => Math.round(x * 1e4) / 1e4;
