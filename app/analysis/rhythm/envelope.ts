// Onset-envelope conditioning and periodicity measures shared by tempo, beat and meter estimation.

/** Centred moving average over `radius` frames each side (edges use the frames available). */
export function movingAverage(x: Float32Array, radius: number): Float32Array {
  const n = x.length;
  const out = new Float32Array(n);
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i]! + x[i]!;
  for (let i = 0; i < n; i++) {
    const a = Math.max(0, i - radius);
    const b = Math.min(n, i + radius + 1);
    out[i] = (prefix[b]! - prefix[a]!) / (b - a);
  }
  return out;
}

/**
 * High-passes the onset envelope by subtracting a ~1 s moving mean and scales it to unit standard
 * deviation (Ellis 2007, Beat tracking by dynamic programming, §3.1). Non-finite input counts as 0;
 * a constant envelope gives all zeros.
 */
export function conditionEnvelope(onset: Float32Array, frameRate: number): Float32Array {
  const n = onset.length;
  const clean = new Float32Array(n);
  for (let i = 0; i < n; i++) clean[i] = Number.isFinite(onset[i]!) ? onset[i]! : 0;
  const mean = movingAverage(clean, Math.max(1, Math.round(0.5 * frameRate)));
  const out = new Float32Array(n);
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const v = clean[i]! - mean[i]!;
    out[i] = v;
    ss += v * v;
  }
  const std = Math.sqrt(ss / Math.max(1, n));
  if (!(std > 1e-9)) return new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = out[i]! / std;
  return out;
}

/** Autocorrelation r[τ] = Σ x[t]·x[t+τ] / Σ x[t]² for τ = 0 … maxLag over frames [from, to), 0 for a silent stretch (Ellis 2007 §3.2, the tempo period strength before weighting). */
export function autocorrelation(x: Float32Array, maxLag: number, from = 0, to = x.length): Float32Array {
  const r = new Float32Array(maxLag + 1);
  let energy = 0;
  for (let t = from; t < to; t++) energy += x[t]! * x[t]!;
  if (!(energy > 0)) return r;
  for (let lag = 0; lag <= maxLag; lag++) {
    let s = 0;
    for (let t = from; t + lag < to; t++) s += x[t]! * x[t + lag]!;
    r[lag] = s / energy;
  }
  return r;
}

/** Largest value of r within ±radius of a fractional lag (tolerates slightly wrong ratios). */
export function peakNear(r: Float32Array, lag: number, radius = 1): number {
  let best = -Infinity;
  for (let l = Math.max(0, Math.floor(lag - radius)); l <= Math.min(r.length - 1, Math.ceil(lag + radius)); l++) best = Math.max(best, r[l]!);
  return best === -Infinity ? 0 : best;
}

/** Smooths with a Gaussian of standard deviation `sigma` frames, truncated at ±3σ (Ellis 2007 §3.1 smooths the envelope likewise). */
export function gaussianSmooth(x: Float32Array, sigma: number): Float32Array {
  if (!(sigma > 0)) return x.slice();
  const radius = Math.ceil(3 * sigma);
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-0.5 * ((i - radius) / sigma) ** 2));
  const norm = kernel.reduce((a, b) => a + b, 0);
  const n = x.length;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = -radius; k <= radius; k++) {
      const j = i + k;
      if (j >= 0 && j < n) s += x[j]! * kernel[k + radius]!;
    }
    out[i] = s / norm;
  }
  return out;
}

/** Half-wave-rectified first difference of the frame RMS: loudness attacks (Klapuri 1999, energy-based onset detection). */
export function loudnessFlux(rms: Float32Array): Float32Array {
  const out = new Float32Array(rms.length);
  for (let i = 1; i < rms.length; i++) {
    const d = (rms[i] ?? 0) - (rms[i - 1] ?? 0);
    out[i] = Number.isFinite(d) && d > 0 ? d : 0;
  }
  return out;
}

/** Sum of the envelopes, each scaled to unit RMS first (envelopes that are all zero add nothing). */
export function combineEnvelopes(envs: readonly Float32Array[], weights: readonly number[] = []): Float32Array {
  const n = envs[0]?.length ?? 0;
  const out = new Float32Array(n);
  envs.forEach((e, k) => {
    let ss = 0;
    for (let i = 0; i < n; i++) ss += e[i]! * e[i]!;
    const rms = Math.sqrt(ss / Math.max(1, n));
    if (!(rms > 1e-12)) return;
    const w = (weights[k] ?? 1) / rms;
    for (let i = 0; i < n; i++) out[i]! += e[i]! * w;
  });
  return out;
}

/** Largest value of x within ±radius frames of (rounded) position f; 0 outside the array. */
export function maxAround(x: Float32Array, f: number, radius = 1): number {
  const c = Math.round(f);
  let m = 0;
  for (let i = Math.max(0, c - radius); i <= Math.min(x.length - 1, c + radius); i++) if (x[i]! > m) m = x[i]!;
  return m;
}

/**
 * Half-wave-rectified rise of a frameCount × 12 chroma over `lag` frames, summed over the pitch classes:
 * new notes (of the bass line, for the bass chroma) whether or not they are louder (Bello & Pickens 2005,
 * chroma-based onset/harmonic change; cf. librosa.onset.onset_strength on a chromagram). Length `frames`.
 */
export function chromaFlux(chroma: Float32Array, frames: number, lag = 2): Float32Array {
  const out = new Float32Array(frames);
  const rows = Math.min(frames, Math.floor(chroma.length / 12));
  for (let f = lag; f < rows; f++) {
    let s = 0;
    for (let c = 0; c < 12; c++) {
      const d = chroma[f * 12 + c]! - chroma[(f - lag) * 12 + c]!;
      if (d > 0) s += d;
    }
    out[f] = Number.isFinite(s) ? s : 0;
  }
  return out;
}
