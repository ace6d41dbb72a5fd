// Loudness from mean-square energies, the gating of ITU-R BS.1770-4 and the loudness range of EBU
// Tech 3342. Pure functions over block energies: the weighted sum over channels of each block's
// mean square of the K-weighted signal.

/** Absolute gate, LUFS (BS.1770-4 §2.8; also Tech 3342's). */
export const ABSOLUTE_GATE_LUFS = -70;
/** Relative gates, LU below the absolute-gated level: integrated (BS.1770-4) and loudness range (Tech 3342). */
export const RELATIVE_GATE_LU = -10;
export const LRA_RELATIVE_GATE_LU = -20;

/** Loudness of a weighted mean-square energy, LUFS: −0.691 + 10·log10(z) (BS.1770-4 eq. 2); −Infinity for 0. */
export function loudnessOf(energy: number): number {
  return -0.691 + 10 * Math.log10(energy);
}

/** The energy whose loudness is `lufs` (inverse of `loudnessOf`). */
export function energyOf(lufs: number): number {
  return 10 ** ((lufs + 0.691) / 10);
}

/** Mean of the energies above `threshold` (strictly, as the standard's "l_j > Γ"), and how many there were. */
function meanAbove(energies: ArrayLike<number>, threshold: number): { mean: number; count: number } {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < energies.length; i++) {
    const e = energies[i]!;
    if (e > threshold) {
      sum += e;
      count++;
    }
  }
  return { mean: count ? sum / count : 0, count };
}

export interface Gated {
  /** Gated loudness, LUFS; null when no block passes the absolute gate. */
  lufs: number | null;
  /** The relative gate's threshold, LUFS; null as above. */
  relativeGateLufs: number | null;
}

/** Two-stage gating (BS.1770-4 §2.8, eq. 6): absolute gate −70 LUFS, then `relativeLu` below the absolute-gated loudness. */
export function gatedLoudness(energies: ArrayLike<number>, relativeLu = RELATIVE_GATE_LU): Gated {
  const abs = meanAbove(energies, energyOf(ABSOLUTE_GATE_LUFS));
  if (abs.count === 0) return { lufs: null, relativeGateLufs: null };
  const relativeGateLufs = loudnessOf(abs.mean) + relativeLu;
  const rel = meanAbove(energies, Math.max(energyOf(relativeGateLufs), energyOf(ABSOLUTE_GATE_LUFS)));
  return { lufs: rel.count ? loudnessOf(rel.mean) : null, relativeGateLufs };
}

/** Value at fraction `p` of an ascending array, nearest rank on (n − 1)·p (libebur128's loudness-range percentile). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  return sorted[Math.round((sorted.length - 1) * p)]!;
}

/**
 * Loudness range, LU (EBU Tech 3342): short-term (3 s) energies gated at −70 LUFS and 20 LU below
 * their absolute-gated loudness, then the 95th minus the 10th percentile of their loudness.
 * Null when no short-term block passes the gates.
 */
export function loudnessRange(shortTermEnergies: ArrayLike<number>): number | null {
  const { relativeGateLufs } = gatedLoudness(shortTermEnergies, LRA_RELATIVE_GATE_LU);
  if (relativeGateLufs === null) return null;
  const floor = Math.max(energyOf(relativeGateLufs), energyOf(ABSOLUTE_GATE_LUFS));
  const kept: number[] = [];
  for (let i = 0; i < shortTermEnergies.length; i++) if (shortTermEnergies[i]! > floor) kept.push(loudnessOf(shortTermEnergies[i]!));
  if (kept.length === 0) return null;
  kept.sort((a, b) => a - b);
  return percentile(kept, 0.95) - percentile(kept, 0.1);
}

/** Mean energy of each window of `width` consecutive sub-block energies, sliding by one (momentary: 4 × 100 ms; short-term: 30). */
export function slidingMeans(subBlocks: ArrayLike<number>, width: number): Float64Array {
  const n = subBlocks.length - width + 1;
  if (n <= 0 || width <= 0) return new Float64Array(0);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0; // summed afresh (not a running sum, whose rounding would leave loud residue in silence)
    for (let j = i; j < i + width; j++) sum += subBlocks[j]!;
    out[i] = sum / width;
  }
  return out;
}
