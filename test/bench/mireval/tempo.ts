/**
 * Tempo accuracy. mir_eval has no Acc1/Acc2 (mir_eval.tempo.detection is the MIREX two-tempo P-score,
 * which needs two reference tempi and a salience); these follow the definitions of Gouyon et al.,
 * "An experimental comparison of audio tempo induction algorithms" (2006), as implemented in
 * madmom.evaluation.tempo.tempo_evaluation: a tempo is correct when it is within 4 % of the
 * (scaled) reference, |est − f·ref| <= 0.04 · f·ref.
 */

export const TEMPO_TOLERANCE = 0.04;
/** Acc2's metrical levels: the reference tempo times 1, 2, 3, 1/2 or 1/3. */
export const ACC2_FACTORS = [1, 2, 3, 1 / 2, 1 / 3] as const;

function within(reference: number, estimate: number, tolerance: number): boolean {
  if (!(reference > 0) || !Number.isFinite(estimate)) return false;
  return Math.abs(estimate - reference) <= tolerance * reference;
}

/** Acc1: the estimate is within ±4 % of the reference tempo. */
export function tempoAcc1(referenceBpm: number, estimatedBpm: number, tolerance = TEMPO_TOLERANCE): boolean {
  return within(referenceBpm, estimatedBpm, tolerance);
}

/** Acc2: the estimate is within ±4 % of the reference tempo × 1, 2, 3, 1/2 or 1/3 (octave / triple errors forgiven). */
export function tempoAcc2(referenceBpm: number, estimatedBpm: number, tolerance = TEMPO_TOLERANCE): boolean {
  return ACC2_FACTORS.some((f) => within(referenceBpm * f, estimatedBpm, tolerance));
}
