// The 'frontend' analyser (streaming STFT → RMS, onset strength, tuning, treble/bass chroma).
export { FrontEndAnalyser, FRONTEND_VERSION, createFrontEnd } from './frontend.ts';
export type { FrontEndOptions } from './frontend.ts';
export { BASS_RANGE, TREBLE_RANGE } from './pitch.ts';
export { CONTRAST_BANDS, CONTRAST_EDGES_HZ, MEL_BANDS, MEL_FLOOR_DB, MEL_FMAX, MEL_FMIN, SpectralShape } from './shape.ts';
