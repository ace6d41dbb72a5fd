// Music theory over measured harmony: Roman numerals relative to the local key and harmonic devices
// (modal interchange, secondary dominants, tritone substitutions, modulations, chromatic mediants,
// pedal points, Picardy thirds, named progressions and cadences). Pure functions, no audio.
export { analyseTheory, borrowedFunction, eventFunction, eventNumeral, romanChords, theoryAnalyser, THEORY_VERSION } from './analyse.ts';
export type { TheoryDeps } from './analyse.ts';
export * from './pitch.ts';
export * from './roman.ts';
export * from './context.ts';
export * from './explain.ts';
export * from './devices.ts';
export * from './modulation.ts';
export * from './progressions.ts';
