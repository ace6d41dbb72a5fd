// The optional 'notes' analyser: collects the decode pass's mono blocks, then runs Basic Pitch in
// `finish`. Not in the default analysis (too slow for its budget on a CPU); the worker runs it
// when a GPU or time is available. `finish` returns a Promise (the model runs asynchronously):
// await the result.
import type { Analyser, AudioStreamInfo, RhythmResult } from '../types.ts';
import { transcribe, type TranscribeOptions } from './transcribe.ts';
import type { NotesResult } from './types.ts';

import { NOTES_ANALYSER_VERSION } from './version.ts';

export { NOTES_ANALYSER_VERSION };

export interface NotesAnalyserOptions extends Omit<TranscribeOptions, 'beats'> {
  /** Use the rhythm analyser's beats for the bass line (default true; then 'rhythm' must be in the pipeline). */
  useBeats?: boolean;
  /**
   * Longest track transcribed, in seconds (default 1200 = 20 min): the audio and the posteriorgrams
   * are held in memory (measured: 363 MB peak RSS for a 10-minute track). Longer tracks get a clear
   * error, not a partial result.
   */
  maxSeconds?: number;
}

export function createNotesAnalyser(options: NotesAnalyserOptions = {}): Analyser<Promise<NotesResult>, { rhythm?: RhythmResult }> {
  const useBeats = options.useBeats ?? true;
  const maxSamples = Math.round((options.maxSeconds ?? 1200) * 22050);
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
      if (length + samples.length <= maxSamples) blocks.push(samples.slice());
      else blocks = []; // too long: stop holding audio, finish reports it
      length += samples.length;
    },
    finish(deps) {
      if (length > maxSamples) {
        blocks = [];
        return Promise.reject(new RangeError(`note transcription handles tracks up to ${span(maxSamples)}; this one is ${span(length)}`));
      }
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

/** '20 min', '62.5 min' or '3 s' for a number of samples at 22050 Hz. */
function span(samples: number): string {
  const s = samples / 22050;
  return s >= 60 ? `${Number((s / 60).toFixed(1))} min` : `${Number(s.toFixed(1))} s`;
}
