// The 'chords' analyser: beat-synchronous chord segments with Harte labels, from the frontend's chroma,
// the rhythm analyser's beats and the key analyser's local keys. See estimate.ts for the model.
import type { Analyser, ChordResult, FrontEndFeatures, KeyResult, RhythmResult } from '../types.ts';
import { estimateChords } from './estimate.ts';
import type { ChordOptions } from './estimate.ts';

export interface ChordDeps extends Record<string, unknown> {
  frontend: FrontEndFeatures;
  rhythm: RhythmResult;
  key: KeyResult;
}

export const CHORDS_ANALYSER_VERSION = 1;

/** A chord analyser; `options` override the model's defaults (see DEFAULT_CHORD_OPTIONS). */
export function createChordAnalyser(options: Partial<ChordOptions> = {}): Analyser<ChordResult, ChordDeps> {
  return {
    name: 'chords',
    version: CHORDS_ANALYSER_VERSION,
    dependsOn: ['frontend', 'rhythm', 'key'],
    finish(deps: ChordDeps): ChordResult {
      return estimateChords(deps.frontend, deps.rhythm, deps.key, options);
    },
  };
}

export const chordAnalyser: Analyser<ChordResult, ChordDeps> = createChordAnalyser();

export { analyseChords, beatChroma, chordEmissions, DEFAULT_CHORD_OPTIONS, estimateChords } from './estimate.ts';
export type { BeatChroma, ChordAnalysisDetail, ChordOptions } from './estimate.ts';
export { pathPosteriors, viterbi } from './hmm.ts';
export { bassDegree, CHORD_STATES, harteLabel, N_STATE, outOfKeyTones, QUALITIES, QUALITY_INTERVALS, scaleOf, STATE_COUNT, stateIndex } from './vocabulary.ts';
export type { ChordState } from './vocabulary.ts';
