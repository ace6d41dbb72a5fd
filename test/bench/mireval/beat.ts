/**
 * Port of the beat F-measure of mir_eval.beat (mir_eval 0.8.2), with the trimming mir_eval.beat.evaluate
 * applies first. Times in seconds.
 */
import { fMeasure, matchEvents } from './util.ts';

/** mir_eval.beat.evaluate's defaults. */
export const MIN_BEAT_TIME = 5.0;
export const F_MEASURE_THRESHOLD = 0.07;

/** Follows mir_eval.beat.trim_beats: drops the beats before `minBeatTime` (default 5 s). */
export function trimBeats(beats: readonly number[], minBeatTime = MIN_BEAT_TIME): number[] {
  return beats.filter((b) => b >= minBeatTime);
}

/** Follows mir_eval.util.validate_events as mir_eval.beat.validate calls it: times in non-decreasing order, under 30000 s. */
export function validateBeats(beats: readonly number[]): void {
  for (let i = 0; i < beats.length; i++) {
    if (!(beats[i]! <= 30000)) throw new Error(`beat time ${beats[i]} is not a time under 30000 s`);
    if (i > 0 && beats[i]! < beats[i - 1]!) throw new Error('Events should be in increasing order.');
  }
}

/**
 * Follows mir_eval.beat.f_measure: the largest one-to-one matching of estimated to reference beats
 * within ±threshold (default 70 ms, inclusive), precision = matches / estimates, recall = matches /
 * references, F = their harmonic mean; 0 when either list is empty. Does NOT trim: see evaluateBeats.
 */
export function beatFMeasure(referenceBeats: readonly number[], estimatedBeats: readonly number[], threshold = F_MEASURE_THRESHOLD): number {
  validateBeats(referenceBeats);
  validateBeats(estimatedBeats);
  if (estimatedBeats.length === 0 || referenceBeats.length === 0) return 0;
  const matched = matchEvents(referenceBeats, estimatedBeats, threshold).length;
  return fMeasure(matched / estimatedBeats.length, matched / referenceBeats.length);
}

/** The F-measure part of mir_eval.beat.evaluate: both lists trimmed at 5 s, then beatFMeasure. */
export function evaluateBeatF(referenceBeats: readonly number[], estimatedBeats: readonly number[], threshold = F_MEASURE_THRESHOLD): number {
  return beatFMeasure(trimBeats(referenceBeats), trimBeats(estimatedBeats), threshold);
}
