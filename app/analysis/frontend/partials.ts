// Partial suppression on a frame's spectral peaks: each peak, taken as a note's fundamental, explains
// part of the peaks at its harmonics, whose amplitude is reduced by what that note is expected to put
// there. A minor chord over a low bass note then stays minor: the bass's fifth partial (two octaves and
// a major third up) no longer reads as a played major third in the treble chroma.

/** The assumed spectrum of a note: partial h has amplitude decay^(h−1) of the fundamental's. */
export interface PartialModel {
  /** Amplitude ratio of consecutive partials (Mauch & Dixon 2010's NNLS note profile uses 0.6–0.9). */
  decay: number;
  /** The partials explained (2 … ); others (e.g. octaves, which keep their pitch class) are left alone. */
  partials: readonly number[];
  /** A peak within this many cents of h·f0 is taken as partial h of f0. */
  toleranceCents: number;
  /** Only peaks below this fractional bin act as fundamentals. */
  maxFundamentalBin: number;
}

/**
 * Residual amplitudes of peaks sorted by ascending bin: in ascending order each peak's residual (its
 * amplitude less what lower peaks' partials explain, never below 0) predicts decay^(h−1) of itself at
 * the nearest peak within tolerance of h times its frequency, which is subtracted there — a greedy,
 * one-pass form of harmonic-template subtraction (Klapuri 2003, "Multiple fundamental frequency
 * estimation based on harmonicity and spectral smoothness"; cf. the note profiles of NNLS chroma,
 * Mauch & Dixon 2010). Writes `residual[0 … count)`.
 */
export function partialResiduals(bin: Float32Array, amp: Float32Array, count: number, residual: Float32Array, model: PartialModel): void {
  residual.set(amp.subarray(0, count));
  const tolerance = 2 ** (model.toleranceCents / 1200) - 1;
  const partials = model.partials;
  for (let j = 0; j < count; j++) {
    const f0 = bin[j]!;
    if (f0 > model.maxFundamentalBin) break;
    const r = residual[j]!;
    if (!(r > 0) || !(f0 > 0)) continue;
    for (let i = 0; i < partials.length; i++) {
      const h = partials[i]!;
      const target = h * f0;
      const tol = target * tolerance;
      // First peak at or above target − tol (binary search over the sorted bins).
      let lo = j + 1;
      let hi = count;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (bin[mid]! < target - tol) lo = mid + 1;
        else hi = mid;
      }
      let best = -1;
      let bestDistance = tol;
      for (let q = lo; q < count && bin[q]! <= target + tol; q++) {
        const d = Math.abs(bin[q]! - target);
        if (d <= bestDistance) {
          best = q;
          bestDistance = d;
        }
      }
      if (best >= 0) residual[best] = Math.max(0, residual[best]! - r * model.decay ** (h - 1));
    }
  }
}
