// The 'rhythm' analyser (tempo, tempo curve, beats, meter, downbeats), after 'frontend'.
export { RhythmAnalyser, RHYTHM_VERSION, analyseRhythm, createRhythm, noRhythm } from './rhythm.ts';
export type { RhythmDeps } from './rhythm.ts';
