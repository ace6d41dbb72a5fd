// The 'frontend' analyser (streaming STFT → RMS, onset strength, tuning, treble/bass chroma).
export { FrontEndAnalyser, FRONTEND_VERSION, createFrontEnd } from './frontend.ts';
export type { FrontEndOptions } from './frontend.ts';
export { BASS_RANGE, TREBLE_RANGE } from './pitch.ts';
