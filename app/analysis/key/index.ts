// The 'key' analyser: global key, its confidence and local key segments, from the frontend's chroma on
// the rhythm analyser's beat grid. See estimate.ts for the model.
import type { Analyser, FrontEndFeatures, KeyResult, RhythmResult } from '../types.ts';
import { estimateKey } from './estimate.ts';
import type { KeyOptions } from './estimate.ts';

export interface KeyDeps extends Record<string, unknown> {
  frontend: FrontEndFeatures;
  rhythm: RhythmResult;
}

export const KEY_ANALYSER_VERSION = 2;

/** A key analyser; `options` override the model's defaults (see DEFAULT_KEY_OPTIONS). */
export function createKeyAnalyser(options: Partial<KeyOptions> = {}): Analyser<KeyResult, KeyDeps> {
  return {
    name: 'key',
    version: KEY_ANALYSER_VERSION,
    dependsOn: ['frontend', 'rhythm'],
    finish(deps: KeyDeps): KeyResult {
      return estimateKey(deps.frontend, deps.rhythm, options);
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
