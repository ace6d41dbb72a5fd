// The 'key' analyser: global key, its confidence and local key segments, from the frontend's chroma on
// the rhythm analyser's beat grid (see estimate.ts), then the global key re-decided between its relative
// and the keys a fifth away by how a first chord pass fits each (see refine.ts).
import type { Analyser, FrontEndFeatures, KeyResult, RhythmResult } from '../types.ts';
import type { KeyOptions } from './estimate.ts';
import { estimateKeyWithChords } from './refine.ts';
import type { KeyRefineOptions } from './refine.ts';

export interface KeyDeps extends Record<string, unknown> {
  frontend: FrontEndFeatures;
  rhythm: RhythmResult;
}

// 3: the global key is refined with a chord pass (refine.ts).
export const KEY_ANALYSER_VERSION = 3;

/**
 * A key analyser; `options` override the model's defaults (see DEFAULT_KEY_OPTIONS), `refine` the chord
 * refinement's (see DEFAULT_KEY_REFINE_OPTIONS; false = the profile estimate alone).
 */
export function createKeyAnalyser(options: Partial<KeyOptions> = {}, refine: Partial<KeyRefineOptions> | false = {}): Analyser<KeyResult, KeyDeps> {
  return {
    name: 'key',
    version: KEY_ANALYSER_VERSION,
    dependsOn: ['frontend', 'rhythm'],
    finish(deps: KeyDeps): KeyResult {
      return estimateKeyWithChords(deps.frontend, deps.rhythm, options, refine);
    },
  };
}

export const keyAnalyser: Analyser<KeyResult, KeyDeps> = createKeyAnalyser();

export { analyseKey, bestTriad, decodeKeyPath, DEFAULT_KEY_OPTIONS, estimateKey } from './estimate.ts';
export type { KeyAnalysisDetail, KeyOptions } from './estimate.ts';
export { camelot, KEY_COUNT, keyFromIndex, keyIndex, keyName, keyUsesFlats, parallelKey, parseKeyName, pitchClassName, relativeKey, sameKey, spellPitchClass } from './names.ts';
export { degreeDistribution, keyLogProbabilities, PROFILES } from './profiles.ts';
export type { ProfileName } from './profiles.ts';
export { beatGrid, frameRange, loudnessWeights, meanChroma, medianChroma, normaliseSum } from './grid.ts';
export type { BarSpan, BeatSpan, Grid, Span } from './grid.ts';
export { chordFit, DEFAULT_KEY_REFINE_OPTIONS, estimateKeyWithChords, refineCandidates, refineKey } from './refine.ts';
export type { KeyRefineOptions } from './refine.ts';
