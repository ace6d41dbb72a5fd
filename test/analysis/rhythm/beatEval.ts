// Beat evaluation after mir_eval.beat (Raffel et al. 2014, mir_eval): F-measure with a ±70 ms window.

/** mir_eval.beat.trim_beats: drops beats before `minTime` seconds (mir_eval's evaluate() uses 5 s). */
export function trimBeats(beats: readonly number[], minTime = 5): number[] {
  return beats.filter((t) => t >= minTime);
}

/**
 * Size of a maximum matching between reference and estimated events where a pair matches when they are
 * at most `window` apart (mir_eval.util.match_events). Both lists are sorted first; for events on a line
 * with one window, greedily giving each estimate the earliest still-unmatched reference it can reach
 * is a maximum matching (Glover 1967, convex bipartite graphs), so no Hopcroft–Karp is needed.
 */
export function matchEvents(reference: readonly number[], estimated: readonly number[], window: number): number {
  const ref = [...reference].sort((a, b) => a - b);
  const est = [...estimated].sort((a, b) => a - b);
  let r = 0;
  let matched = 0;
  for (const e of est) {
    while (r < ref.length && ref[r]! < e - window) r++;
    if (r < ref.length && Math.abs(ref[r]! - e) <= window) {
      matched++;
      r++;
    }
  }
  return matched;
}

/** mir_eval.beat.f_measure: 2PR/(P+R) of matched beats within ±`window` s; 0 when either list is empty. */
export function beatFMeasure(reference: readonly number[], estimated: readonly number[], window = 0.07): number {
  if (reference.length === 0 || estimated.length === 0) return 0;
  const m = matchEvents(reference, estimated, window);
  const precision = m / estimated.length;
  const recall = m / reference.length;
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}
