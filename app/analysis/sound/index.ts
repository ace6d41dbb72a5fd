// The 'sound' analyser: timbre and texture of the whole track from the front end's frame features
// (spectral shape, log-mel, RMS, onset strength) — no further pass over the audio.
import type { Analyser, Curve, FrontEndFeatures, RhythmResult, SoundResult } from '../types.ts';
import { MEL_FMAX, MEL_FMIN } from '../frontend/shape.ts';
import { hzToMel, melToHz } from '../frontend/spectral.ts';
import { hpssMel } from './hpss.ts';
import { MFCC_COUNT, MFCC_TOP_DB, dctBasis, mfccRow } from './mfcc.ts';
import { defaultPeakPick, pickOnsets } from './onsets.ts';
import { RunningStat, percentile, round } from './stats.ts';
import { VocalCueCollector, estimateVocals } from './vocals.ts';

export const SOUND_VERSION = 1;
/** Seconds per value of the energy curve. */
export const ENERGY_HOP = 0.5;
/** A frame is audible when its RMS is above −70 dBFS and within 50 dB of the loudest frame. */
const SILENCE_DBFS = -70;
const SILENCE_BELOW_MAX_DB = 50;
/**
 * HPSS runs on every second front-end frame (21.5 frames/s at 22050 Hz). Its time median spans about one
 * beat (5–17 of those frames, 0.23–0.8 s; 9 without a tempo), its frequency median 11 mel bands: mel
 * bands are coarse at low frequencies, and with 7 a three-note chord in 250–400 Hz already fills half the kernel.
 */
const HPSS_STRIDE = 2;
const MIN_TIME_KERNEL = 5;
const MAX_TIME_KERNEL = 17;
const DEFAULT_TIME_KERNEL = 9;
const FREQ_KERNEL = 11;

export type SoundDeps = { frontend: FrontEndFeatures; rhythm: RhythmResult } & Record<string, unknown>;

/** Centre frequencies (Hz) of the front end's mel bands (equally spaced in mel between MEL_FMIN and MEL_FMAX or Nyquist). */
export function melBandCentres(bands: number, sampleRate: number): number[] {
  const lo = hzToMel(MEL_FMIN);
  const hi = hzToMel(Math.min(MEL_FMAX, sampleRate / 2));
  return Array.from({ length: bands }, (_, b) => melToHz(lo + ((hi - lo) * (b + 1)) / (bands + 1)));
}

/** Which frames are audible (see SILENCE_DBFS): a mask, and the number of audible frames. */
export function audibleFrames(rms: Float32Array): { mask: Uint8Array; count: number } {
  let max = 0;
  for (const r of rms) if (Number.isFinite(r) && r > max) max = r;
  const gate = Math.max(10 ** (SILENCE_DBFS / 20), max * 10 ** (-SILENCE_BELOW_MAX_DB / 20));
  const mask = new Uint8Array(rms.length);
  let count = 0;
  for (let i = 0; i < rms.length; i++) {
    if (rms[i]! > gate) {
      mask[i] = 1;
      count++;
    }
  }
  return { mask, count };
}

/** Seconds of the track that are not silence: half-second blocks with any audible frame (short gaps between notes count as sound). */
export function audibleSpan(audible: Uint8Array, frameRate: number): number {
  const per = Math.max(1, Math.round(ENERGY_HOP * frameRate));
  let blocks = 0;
  for (let a = 0; a < audible.length; a += per) {
    if (audible.subarray(a, Math.min(audible.length, a + per)).some((v) => v === 1)) blocks++;
  }
  return (blocks * per) / frameRate;
}

/** An odd HPSS time kernel of about one beat, in frames at `frameRate`. */
function timeKernel(rhythm: RhythmResult | undefined, frameRate: number): number {
  const bpm = rhythm?.bpm ?? 0;
  const frames = bpm > 0 && Number.isFinite(bpm) ? Math.round((60 / bpm) * frameRate) : DEFAULT_TIME_KERNEL;
  const clamped = Math.min(MAX_TIME_KERNEL, Math.max(MIN_TIME_KERNEL, frames));
  return clamped % 2 === 1 ? clamped : clamped + 1;
}

/** Energy curve: RMS over ENERGY_HOP-second blocks, divided by the loudest block (0 for silence). */
export function energyCurve(rms: Float32Array, frameRate: number): Curve {
  const per = Math.max(1, Math.round(ENERGY_HOP * frameRate));
  const values: number[] = [];
  for (let a = 0; a < rms.length; a += per) {
    const b = Math.min(rms.length, a + per);
    let s = 0;
    for (let i = a; i < b; i++) s += Number.isFinite(rms[i]!) ? rms[i]! * rms[i]! : 0;
    values.push(Math.sqrt(s / (b - a)));
  }
  const max = values.reduce((m, v) => Math.max(m, v), 0);
  return { hop: per / frameRate, values: values.map((v) => (max > 0 ? round(v / max) : 0)) };
}

/** Measures the track's sound from its front-end features (see SoundResult for every field). */
export function analyseSound(fe: FrontEndFeatures, rhythm?: RhythmResult): SoundResult {
  const frames = fe.frameCount;
  const bands = fe.melBands;
  const { mask: audible, count: audibleCount } = audibleFrames(fe.rms);
  const centroid = new RunningStat();
  const rolloff = new RunningStat();
  const flatness = new RunningStat();
  const contrast = Array.from({ length: fe.contrastBands }, () => new RunningStat());
  const mfcc = Array.from({ length: MFCC_COUNT }, () => new RunningStat());
  const basis = dctBasis(MFCC_COUNT, bands);
  const coeffs = new Float64Array(MFCC_COUNT);
  const rmsDb = new Float32Array(audibleCount);
  let loudestDb = -Infinity;
  for (let i = 0; i < frames * bands; i++) if (fe.mel[i]! > loudestDb) loudestDb = fe.mel[i]!;
  const floorDb = loudestDb - MFCC_TOP_DB;
  let audibleAt = 0;
  for (let t = 0; t < frames; t++) {
    if (!audible[t]) continue;
    centroid.add(fe.spectralCentroid[t]!);
    rolloff.add(fe.spectralRolloff[t]!);
    flatness.add(fe.spectralFlatness[t]!);
    for (let b = 0; b < fe.contrastBands; b++) contrast[b]!.add(fe.spectralContrast[t * fe.contrastBands + b]!);
    mfccRow(fe.mel, t * bands, bands, floorDb, basis, coeffs);
    for (let c = 0; c < MFCC_COUNT; c++) mfcc[c]!.add(coeffs[c]!);
    rmsDb[audibleAt++] = 20 * Math.log10(fe.rms[t]!);
  }
  // Harmonic/percussive balance and vocal cues in one pass over the mel spectrogram.
  let harmonic = 0;
  let total = 0;
  const hpssRate = fe.frameRate / HPSS_STRIDE;
  const vocals = new VocalCueCollector(melBandCentres(bands, fe.sampleRate), hpssRate);
  if (bands > 0) {
    hpssMel(fe.mel, frames, bands, timeKernel(rhythm, hpssRate), FREQ_KERNEL, HPSS_STRIDE, (t, power, mask) => {
      const on = audible[t] === 1;
      if (on) {
        for (let b = 0; b < bands; b++) {
          harmonic += power[b]! * mask[b]!;
          total += power[b]!;
        }
      }
      vocals.add(power, mask, on);
    });
  }
  const cues = vocals.finish();
  const onsets = pickOnsets(fe.onset, defaultPeakPick(fe.frameRate)).filter((i) => audible[i] === 1);
  const audibleSec = audibleSpan(audible, fe.frameRate);
  const stat = (s: RunningStat, digits: number) => {
    const { mean, std } = s.stat();
    return { mean: round(mean, digits), std: round(std, digits) };
  };
  return {
    spectralCentroidHz: stat(centroid, 1),
    spectralRolloffHz: stat(rolloff, 1),
    spectralFlatness: stat(flatness, 4),
    spectralContrast: contrast.map((s) => round(s.stat().mean, 2)),
    mfcc: { mean: mfcc.map((s) => round(s.stat().mean, 3)), std: mfcc.map((s) => round(s.stat().std, 3)) },
    dynamicRangeDb: audibleCount > 0 ? round(percentile(rmsDb, 95) - percentile(rmsDb, 10), 2) : 0,
    energy: energyCurve(fe.rms, fe.frameRate),
    onsetDensity: audibleSec > 0 ? round(onsets.length / audibleSec, 3) : 0,
    harmonicRatio: total > 0 ? round(harmonic / total, 4) : 0,
    vocals: estimateVocals(cues.cues, cues.audible),
  };
}

/** The 'sound' analyser (after 'frontend' and 'rhythm'; the beat period sets the HPSS time kernel). */
export class SoundAnalyser implements Analyser<SoundResult, SoundDeps> {
  readonly name = 'sound';
  readonly version = SOUND_VERSION;
  readonly dependsOn: readonly string[] = ['frontend', 'rhythm'];

  finish(deps: SoundDeps): SoundResult {
    return analyseSound(deps.frontend, deps.rhythm);
  }
}

/** A new sound analyser (name 'sound', version 1). */
export function createSoundAnalyser(): SoundAnalyser {
  return new SoundAnalyser();
}

export { MFCC_COUNT } from './mfcc.ts';
export { MAX_VOCAL_CONFIDENCE, VOCAL_HOP, estimateVocals, vocalProbability } from './vocals.ts';
export type { VocalCues } from './vocals.ts';
