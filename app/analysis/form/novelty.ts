// Self-similarity and boundary novelty over bar-synchronous features (pure functions).

export type Matrix = Float64Array[];

/** Cosine similarity of two vectors (0 when either is all zeros). */
export function cosine(a: Float64Array, b: Float64Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return aa > 1e-12 && bb > 1e-12 ? ab / Math.sqrt(aa * bb) : 0;
}

/** Self-similarity matrix S(i, j) = sim(x_i, x_j) (Foote 1999, "Visualizing music and audio using self-similarity"). */
export function selfSimilarity(xs: readonly Float64Array[], sim: (a: Float64Array, b: Float64Array) => number = cosine): Matrix {
  const n = xs.length;
  const s: Matrix = Array.from({ length: n }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = sim(xs[i]!, xs[j]!);
      s[i]![j] = v;
      s[j]![i] = v;
    }
  }
  return s;
}

/** Mean of the rows `from` … `from + width − 1` (clamped to the ends): a moving window of features. */
export function windowMeans(xs: readonly Float64Array[], offset: number, width: number): Float64Array[] {
  const n = xs.length;
  return xs.map((x, i) => {
    const out = new Float64Array(x.length);
    for (let k = 0; k < width; k++) {
      const r = xs[Math.max(0, Math.min(n - 1, i + offset + k))]!;
      for (let d = 0; d < x.length; d++) out[d]! += r[d]! / width;
    }
    return out;
  });
}

/** Time-delay embedding: row i is x_i, x_{i+1}, … x_{i+m−1} concatenated, clamped at the end (Serrà et al. 2014, §II-A). */
export function delayEmbed(xs: readonly Float64Array[], m: number): Float64Array[] {
  const n = xs.length;
  return xs.map((x, i) => {
    const out = new Float64Array(x.length * m);
    for (let k = 0; k < m; k++) out.set(xs[Math.min(n - 1, i + k)]!, k * x.length);
    return out;
  });
}

/**
 * Checkerboard-kernel novelty with a Gaussian taper (Foote 2000, "Automatic audio segmentation using a
 * measure of audio novelty"): value b scores a boundary between rows b − 1 and b; half-width `half` rows.
 * Outside the matrix the kernel sees zeros (use a standardised matrix), so the ends score little.
 */
export function footeNovelty(s: Matrix, half: number): number[] {
  const n = s.length;
  const out = new Array<number>(n + 1).fill(0);
  const sigma = half / 2;
  const taper = (u: number, v: number) => Math.exp(-((u + 0.5) ** 2 + (v + 0.5) ** 2) / (2 * sigma * sigma));
  let fullWeight = 0;
  for (let u = -half; u < half; u++) for (let v = -half; v < half; v++) fullWeight += taper(u, v);
  for (let b = 1; b < n; b++) {
    let sum = 0;
    for (let u = -half; u < half; u++) {
      const i = b + u;
      if (i < 0 || i >= n) continue;
      for (let v = -half; v < half; v++) {
        const j = b + v;
        if (j < 0 || j >= n) continue;
        const sign = (u < 0) === (v < 0) ? 1 : -1;
        sum += sign * taper(u, v) * s[i]![j]!;
      }
    }
    out[b] = Math.max(0, sum / fullWeight);
  }
  return out;
}

/** Standardises a matrix's entries to zero mean and unit variance (a constant matrix becomes zeros). */
export function standardise(s: Matrix): Matrix {
  const n = s.length;
  if (n === 0) return [];
  let m = 0;
  for (const row of s) for (const v of row) m += v;
  m /= n * n;
  let v2 = 0;
  for (const row of s) for (const v of row) v2 += (v - m) ** 2;
  const sd = Math.sqrt(v2 / (n * n));
  return s.map((row) => row.map((v) => (sd > 1e-12 ? (v - m) / sd : 0)));
}

/** Binary recurrence plot by mutual k nearest neighbours of a similarity matrix (Serrà et al. 2014, §II-B). */
export function recurrence(s: Matrix, k: number): Uint8Array[] {
  const n = s.length;
  const nearest = s.map((row, i) => {
    const order = Array.from({ length: n }, (_, j) => j).filter((j) => Math.abs(j - i) > 1);
    order.sort((a, b) => row[b]! - row[a]!);
    return new Set(order.slice(0, k));
  });
  return s.map((_, i) => {
    const r = new Uint8Array(n);
    for (const j of nearest[i]!) if (nearest[j]!.has(i) && s[i]![j]! > 0) r[j] = 1;
    return r;
  });
}

/**
 * Structure-feature novelty (Serrà, Müller, Grosche & Arcos 2014, "Unsupervised music structure
 * annotation by time series structure features and segment similarity"): the circular time-lag matrix
 * L(i, l) = R(i, i + l mod n), smoothed along time with a Gaussian of `sigma` rows; value b is the
 * squared distance between the structure features (rows of L) of b − 1 and b, scaled to max 1.
 */
export function structureNovelty(r: readonly Uint8Array[], sigma: number): number[] {
  const n = r.length;
  const lag: Float64Array[] = r.map((row, i) => {
    const out = new Float64Array(n);
    for (let l = 0; l < n; l++) out[l] = row[(i + l) % n]!;
    return out;
  });
  const radius = Math.max(1, Math.ceil(2 * sigma));
  const smooth = lag.map((_, i) => {
    const out = new Float64Array(n);
    let w = 0;
    for (let d = -radius; d <= radius; d++) {
      const j = i + d;
      if (j < 0 || j >= n) continue;
      const g = Math.exp(-(d * d) / (2 * sigma * sigma));
      w += g;
      for (let l = 0; l < n; l++) out[l]! += g * lag[j]![l]!;
    }
    for (let l = 0; l < n; l++) out[l]! /= w;
    return out;
  });
  const out = new Array<number>(n + 1).fill(0);
  for (let b = 1; b < n; b++) {
    let d = 0;
    for (let l = 0; l < n; l++) d += (smooth[b]![l]! - smooth[b - 1]![l]!) ** 2;
    out[b] = d;
  }
  return scaleToMax(out);
}

/** Divides by the maximum (all zeros stay zeros). */
export function scaleToMax(xs: readonly number[]): number[] {
  const m = Math.max(0, ...xs);
  return m > 0 ? xs.map((x) => x / m) : xs.map(() => 0);
}

/**
 * Peak picking: local maxima within ±`radius` rows that exceed `threshold` (0..1 of the maximum), then
 * the strongest first, keeping peaks at least `minGap` rows from every kept one. Returns sorted indices.
 */
export function pickPeaks(novelty: readonly number[], radius: number, threshold: number, minGap: number): number[] {
  const n = novelty.length;
  const candidates: number[] = [];
  for (let i = 1; i < n - 1; i++) {
    const v = novelty[i]!;
    if (v < threshold) continue;
    let isMax = true;
    for (let d = -radius; d <= radius && isMax; d++) {
      const j = i + d;
      if (d === 0 || j < 0 || j >= n) continue;
      if (novelty[j]! > v || (novelty[j]! === v && j < i)) isMax = false;
    }
    if (isMax) candidates.push(i);
  }
  candidates.sort((a, b) => novelty[b]! - novelty[a]!);
  const kept: number[] = [];
  for (const c of candidates) if (kept.every((k) => Math.abs(k - c) >= minGap)) kept.push(c);
  return kept.sort((a, b) => a - b);
}
