/** Port of mir_eval.segment.detection (mir_eval 0.8.2): boundary hit rate within a window. */
import { fMeasure, matchEvents } from './util.ts';
import type { Interval } from './util.ts';

/** mir_eval.util.intervals_to_boundaries: the sorted unique interval ends, rounded to 5 decimals. */
export function intervalsToBoundaries(intervals: readonly Interval[]): number[] {
  const all = intervals.flatMap(([a, b]) => [Math.round(a * 1e5) / 1e5, Math.round(b * 1e5) / 1e5]);
  return [...new Set(all)].sort((x, y) => x - y);
}

export interface DetectionScore {
  precision: number;
  recall: number;
  f: number;
}

/**
 * Follows mir_eval.segment.detection: boundaries of both segmentations matched one-to-one within
 * ±window seconds (inclusive); precision = matches / estimated boundaries, recall = matches / reference
 * boundaries. `trim` drops the first and last boundary (the track's start and end) of each first.
 */
export function segmentDetection(reference: readonly Interval[], estimated: readonly Interval[], window = 0.5, beta = 1, trim = false): DetectionScore {
  let ref = intervalsToBoundaries(reference);
  let est = intervalsToBoundaries(estimated);
  if (trim) {
    ref = ref.slice(1, -1);
    est = est.slice(1, -1);
  }
  if (ref.length === 0 || est.length === 0) return { precision: 0, recall: 0, f: 0 };
  const matched = matchEvents(ref, est, window).length;
  const precision = matched / est.length;
  const recall = matched / ref.length;
  return { precision, recall, f: fMeasure(precision, recall, beta) };
}
