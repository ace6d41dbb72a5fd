/**
 * Ports of the mir_eval.util helpers the metrics need (mir_eval 0.8.2). Pure functions; inputs are
 * never mutated. Intervals are `[start, end]` pairs in seconds.
 */

export type Interval = readonly [number, number];

/**
 * Follows mir_eval.util.adjust_intervals: crops or pads labelled intervals so that they span exactly
 * [tMin, tMax]. Intervals ending before tMin are dropped (from the first one that ends at or after
 * tMin), boundaries are clipped to tMin; a gap before the first boundary becomes a new interval
 * labelled `startLabel`. The same at the end with tMax and `endLabel`. With no intervals, the result
 * is the single interval [tMin, tMax] labelled `startLabel`.
 */
export function adjustIntervals<L>(
  intervals: readonly Interval[],
  labels: readonly L[],
  tMin: number,
  tMax: number,
  startLabel: L,
  endLabel: L,
): { intervals: Interval[]; labels: L[] } {
  if (intervals.length !== labels.length) throw new Error(`adjustIntervals: ${intervals.length} intervals but ${labels.length} labels`);
  if (intervals.length === 0) return { intervals: [[tMin, tMax]], labels: [startLabel] };
  let ivs: Interval[] = intervals.map((iv) => [iv[0], iv[1]] as const);
  let labs: L[] = [...labels];

  // t_min: find the intervals that end at or after t_min, crop the ones before, clip to t_min.
  const firstIdx = ivs.findIndex((iv) => iv[1] >= tMin);
  if (firstIdx >= 0) {
    ivs = ivs.slice(firstIdx);
    labs = labs.slice(firstIdx);
  }
  ivs = ivs.map((iv) => [Math.max(tMin, iv[0]), Math.max(tMin, iv[1])] as const);
  const lo = Math.min(...ivs.map((iv) => Math.min(iv[0], iv[1])));
  if (lo > tMin) {
    ivs.unshift([tMin, lo]);
    labs.unshift(startLabel);
  }

  // t_max: drop the intervals that begin after t_max, clip to t_max.
  const lastIdx = ivs.findIndex((iv) => iv[0] > tMax);
  if (lastIdx >= 0) {
    ivs = ivs.slice(0, lastIdx);
    labs = labs.slice(0, lastIdx);
  }
  // (numpy raises on .max() of an empty array here; so do we.)
  if (ivs.length === 0) throw new Error('adjustIntervals: no interval is left inside [tMin, tMax]');
  ivs = ivs.map((iv) => [Math.min(tMax, iv[0]), Math.min(tMax, iv[1])] as const);
  const hi = Math.max(...ivs.map((iv) => Math.max(iv[0], iv[1])));
  if (hi < tMax) {
    ivs.push([hi, tMax]);
    labs.push(endLabel);
  }
  return { intervals: ivs, labels: labs };
}

/**
 * Follows mir_eval.util.merge_labeled_intervals: the union of both sets of boundaries, with each
 * piece carrying the label of the last x (and y) interval that starts at or before it. Both sets must
 * start and end at the same times (use adjustIntervals first), else it throws as mir_eval does.
 */
export function mergeLabeledIntervals<X, Y>(
  xIntervals: readonly Interval[],
  xLabels: readonly X[],
  yIntervals: readonly Interval[],
  yLabels: readonly Y[],
): { intervals: Interval[]; xLabels: X[]; yLabels: Y[] } {
  if (xIntervals.length === 0 || yIntervals.length === 0) throw new Error('mergeLabeledIntervals: empty intervals');
  if (xIntervals[0]![0] !== yIntervals[0]![0] || xIntervals[xIntervals.length - 1]![1] !== yIntervals[yIntervals.length - 1]![1]) {
    throw new Error("Time intervals do not align; did you mean to call 'adjustIntervals()' first?");
  }
  const boundaries = uniqueSorted([...xIntervals, ...yIntervals].flatMap((iv) => [iv[0], iv[1]]));
  const intervals: Interval[] = [];
  const xOut: X[] = [];
  const yOut: Y[] = [];
  for (let i = 0; i + 1 < boundaries.length; i++) {
    const t0 = boundaries[i]!;
    intervals.push([t0, boundaries[i + 1]!]);
    xOut.push(xLabels[lastStartingAtOrBefore(xIntervals, t0)]!);
    yOut.push(yLabels[lastStartingAtOrBefore(yIntervals, t0)]!);
  }
  return { intervals, xLabels: xOut, yLabels: yOut };
}

/** Index of the last interval whose start is <= t (always exists once the first starts align). */
function lastStartingAtOrBefore(intervals: readonly Interval[], t: number): number {
  let idx = -1;
  for (let i = 0; i < intervals.length; i++) if (t >= intervals[i]![0]) idx = i;
  if (idx < 0) throw new Error(`mergeLabeledIntervals: no interval starts at or before ${t}`);
  return idx;
}

function uniqueSorted(values: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.filter((v, i) => i === 0 || v !== sorted[i - 1]);
}

/** Follows mir_eval.util.intervals_to_durations: |end − start| of each interval. */
export function intervalsToDurations(intervals: readonly Interval[]): number[] {
  return intervals.map((iv) => Math.abs(iv[1] - iv[0]));
}

/**
 * Follows mir_eval.util.match_events (with the default distance, as in mir_eval.util._fast_hit_windows:
 * a pair is feasible when `est − window <= ref <= est + window`): a maximum one-to-one matching of
 * reference to estimated events. mir_eval finds it with Hopcroft–Karp; on a line with a fixed window
 * the greedy sweep over both sorted lists is also maximum (an exchange argument), so the number of
 * pairs — all the metrics use — is the same; the pairs themselves may differ where several maximum
 * matchings exist. Returns `[refIndex, estIndex]` pairs sorted by reference index.
 */
export function matchEvents(ref: readonly number[], est: readonly number[], window: number): [number, number][] {
  const r = ref.map((t, i) => [t, i] as const).sort((a, b) => a[0] - b[0]);
  const e = est.map((t, i) => [t, i] as const).sort((a, b) => a[0] - b[0]);
  const pairs: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < r.length && j < e.length) {
    const rt = r[i]![0];
    const et = e[j]![0];
    if (rt >= et - window && rt <= et + window) {
      pairs.push([r[i]![1], e[j]![1]]);
      i++;
      j++;
    } else if (rt < et - window) {
      i++; // this reference event is too early for this and every later estimate
    } else {
      j++; // this estimate is too early for this and every later reference event
    }
  }
  return pairs.sort((a, b) => a[0] - b[0]);
}

/** Follows mir_eval.util.f_measure: weighted harmonic mean of precision and recall (0 when both are 0). */
export function fMeasure(precision: number, recall: number, beta = 1): number {
  if (precision === 0 && recall === 0) return 0;
  return ((1 + beta ** 2) * precision * recall) / (beta ** 2 * precision + recall);
}

export interface PrecisionRecall {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  /** tp / (tp + fp); 0 when nothing was predicted (mir_eval returns 0 for empty estimates too). */
  precision: number;
  /** tp / (tp + fn); 0 when there is nothing to find. */
  recall: number;
  f: number;
}

/** Precision / recall / F of binary decisions (e.g. "this song uses modal interchange"), one per item. */
export function precisionRecall(items: readonly { truth: boolean; predicted: boolean }[]): PrecisionRecall {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const { truth, predicted } of items) {
    if (truth && predicted) tp++;
    else if (predicted) fp++;
    else if (truth) fn++;
    else tn++;
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  return { truePositives: tp, falsePositives: fp, falseNegatives: fn, trueNegatives: tn, precision, recall, f: fMeasure(precision, recall) };
}
