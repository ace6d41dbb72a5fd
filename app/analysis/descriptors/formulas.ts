// The descriptor formulas: each a weighted mean of measured features scaled to 0..1 (see index.ts for the
// table and the sources). Pure functions of numbers, so each weight is visible and testable.

/** Clamps to [0, 1]; non-finite → 0. */
export function unit(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

/** Linear ramp: 0 at `lo`, 1 at `hi`, clamped. */
export function ramp(x: number, lo: number, hi: number): number {
  return unit((x - lo) / (hi - lo));
}

/** Logistic membership of x above a threshold (scale: how many units make 73 %); 0.5 at the threshold. */
export function above(x: number, threshold: number, scale: number): number {
  return Number.isFinite(x) ? 1 / (1 + Math.exp(-(x - threshold) / scale)) : 0;
}

/** Weighted mean of the terms whose value is known (null terms drop out and the others are re-weighted). */
export function weighted(terms: readonly (readonly [number | null, number])[]): { value: number; coverage: number } {
  let sum = 0;
  let weights = 0;
  let all = 0;
  for (const [v, w] of terms) {
    all += w;
    if (v === null || !Number.isFinite(v)) continue;
    sum += v * w;
    weights += w;
  }
  return { value: weights > 0 ? unit(sum / weights) : 0, coverage: all > 0 ? weights / all : 0 };
}

/** How well a tempo suits dancing: a Gaussian in octaves around 120 BPM (σ = 0.3 octave); 0 without a pulse. */
export function danceTempo(bpm: number): number {
  if (!(bpm > 0)) return 0;
  const octaves = Math.log2(bpm / 120);
  return Math.exp(-(octaves * octaves) / (2 * 0.3 * 0.3));
}
