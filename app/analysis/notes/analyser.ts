// The optional 'notes' analyser: collects the decode pass's mono blocks, then runs Basic Pitch in
// `finish`. Not in the default analysis (too slow for its budget on a CPU); the worker runs it
// when a GPU or time is available. `finish` returns a Promise (the model runs asynchronously):
// await the result.
import type { Analyser, AudioStreamInfo, RhythmResult } from '../types.ts';
import { transcribe, type TranscribeOptions } from './transcribe.ts';
import type { NotesResult } from './types.ts';

export const NOTES_ANALYSER_VERSION = 1;

export interface NotesAnalyserOptions extends Omit<TranscribeOptions, 'beats'> {
  /** Use the rhythm analyser's beats for the bass line (default true; then 'rhythm' must be in the pipeline). */
  useBeats?: boolean;
}

export function createNotesAnalyser(options: NotesAnalyserOptions = {}): Analyser<Promise<NotesResult>, { rhythm?: RhythmResult }> {
  const useBeats = options.useBeats ?? true;
  let blocks: Float32Array[] = [];
  let length = 0;
  return {
    name: 'notes',
    version: NOTES_ANALYSER_VERSION,
    dependsOn: useBeats ? ['rhythm'] : [],
    begin(info: AudioStreamInfo) {
      if (info.sampleRate !== 22050) throw new RangeError(`the notes analyser needs 22050 Hz audio (got ${info.sampleRate} Hz)`);
      blocks = [];
      length = 0;
    },
    process(samples: Float32Array) {
      blocks.push(samples.slice());
      length += samples.length;
    },
    finish(deps) {
      const audio = new Float32Array(length);
      let at = 0;
      for (const b of blocks) {
        audio.set(b, at);
        at += b.length;
      }
      blocks = [];
      return transcribe(audio, { ...options, beats: useBeats ? (deps.rhythm?.beats ?? []) : [] });
    },
  };
}
