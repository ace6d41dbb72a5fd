// Beat tracking by dynamic programming over the onset envelope, with a per-frame target period so a
// drifting tempo can be followed.

/**
 * Local score: the onset envelope scaled to unit standard deviation and smoothed with a Gaussian of
 * σ = period/32 (Ellis 2007, Beat tracking by dynamic programming; librosa.beat.__beat_local_score).
 */
export function localScore(onset: Float32Array, period: number): Float32Array {
  const n = onset.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += onset[i]!;
  mean /= Math.max(1, n);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (onset[i]! - mean) ** 2;
  const std = Math.sqrt(ss / Math.max(1, n - 1));
  const scale = std > 1e-12 ? 1 / std : 0;
  const radius = Math.max(1, Math.round(period));
  const w = Array.from({ length: 2 * radius + 1 }, (_, k) => Math.exp(-0.5 * (((k - radius) * 32) / period) ** 2));
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = -radius; k <= radius; k++) {
      const j = i + k;
      if (j >= 0 && j < n) s += onset[j]! * w[k + radius]!;
    }
    out[i] = s * scale;
  }
  return out;
}

/**
 * Best beat sequence: maximises Σ localScore(beat) − tightness·Σ log²(interval / period) (Ellis 2007,
 * Beat tracking by dynamic programming, eq. 1–3; as librosa.beat.__beat_track_dp). `period(i)` is the
 * target inter-beat interval in frames at frame i. Returns beat frame indices in order (empty if the
 * score is all zero).
 */
export function dpBeats(score: Float32Array, period: (frame: number) => number, tightness = 100): number[] {
  const n = score.length;
  let max = 0;
  for (let i = 0; i < n; i++) if (score[i]! > max) max = score[i]!;
  if (!(max > 0)) return [];
  const cum = new Float64Array(n);
  const back = new Int32Array(n).fill(-1);
  let started = false;
  for (let i = 0; i < n; i++) {
    const p = period(i);
    const lo = i - Math.round(2 * p);
    const hi = i - Math.round(p / 2);
    let best = 0;
    let bestAt = -1;
    for (let j = Math.max(0, lo); j <= hi; j++) {
      const v = cum[j]! - tightness * Math.log((i - j) / p) ** 2;
      if (bestAt < 0 || v > best) {
        best = v;
        bestAt = j;
      }
    }
    if (bestAt < 0) best = 0;
    cum[i] = score[i]! + best;
    if (!started && score[i]! < 0.01 * max) {
      back[i] = -1;
    } else {
      back[i] = bestAt;
      started = true;
    }
  }
  // Last beat: the last local maximum of the cumulative score above half the median of those maxima (librosa.beat.__last_beat).
  const maxima: number[] = [];
  for (let i = 0; i < n; i++) {
    const l = i > 0 ? cum[i - 1]! : -Infinity;
    const r = i + 1 < n ? cum[i + 1]! : -Infinity;
    if (cum[i]! > l && cum[i]! >= r) maxima.push(i);
  }
  if (maxima.length === 0) return [];
  const sorted = maxima.map((i) => cum[i]!).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  let last = maxima[maxima.length - 1]!;
  for (let k = maxima.length - 1; k >= 0; k--) {
    if (2 * cum[maxima[k]!]! > median) {
      last = maxima[k]!;
      break;
    }
  }
  const beats: number[] = [];
  for (let i = last; i >= 0; i = back[i]!) {
    beats.push(i);
    if (back[i]! >= i) break;
  }
  return beats.reverse();
}

/**
 * Drops leading and trailing beats whose local score is under 10 % of the median over all beats: the DP's
 * end points may sit on no onset at all (cf. librosa.beat.__trim_beats, which uses a Hann-smoothed RMS threshold).
 */
export function trimWeakEnds(score: Float32Array, beats: readonly number[]): number[] {
  if (beats.length < 3) return [...beats];
  const v = beats.map((b) => score[Math.round(b)] ?? 0);
  const median = [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
  const threshold = 0.1 * median;
  let a = 0;
  let b = beats.length - 1;
  while (a < b && v[a]! < threshold) a++;
  while (b > a && v[b]! < threshold) b--;
  return beats.slice(a, b + 1);
}

/** Which frames carry sound: RMS above −70 dBFS and above 5 % of the median RMS of the non-silent frames. */
export function audibleFrames(rms: Float32Array): Uint8Array {
  const voiced = Array.from(rms).filter((v) => Number.isFinite(v) && v > 1e-5).sort((a, b) => a - b);
  const median = voiced.length > 0 ? voiced[Math.floor(voiced.length / 2)]! : 0;
  const floor = Math.max(3e-4, 0.05 * median);
  return Uint8Array.from(rms, (v) => (Number.isFinite(v) && v >= floor ? 1 : 0));
}

/**
 * Fits the tracked beats to the audible part of the file: beats in silence at either end are dropped, and
 * the grid is extended by the median of the nearest inter-beat intervals over audible stretches before
 * the first and after the last beat (a beat needs half an interval of sound after it; the DP starts and stops at the first and last strong onsets, while a
 * listener keeps tapping through a quiet intro or outro).
 */
export function fitToAudible(beats: readonly number[], audible: Uint8Array): number[] {
  const n = audible.length;
  const isAudible = (f: number) => {
    const i = Math.round(f);
    return i >= 0 && i < n && audible[i] === 1;
  };
  const out = beats.filter(isAudible);
  if (out.length < 4) return out;
  const ibi = (xs: number[]) => {
    const d = xs.slice(1).map((x, i) => x - xs[i]!).sort((a, b) => a - b);
    return d[Math.floor(d.length / 2)]!;
  };
  const head = ibi(out.slice(0, 5));
  for (let f = out[0]! - head; f > -0.25 * head && isAudible(Math.max(0, f)); f -= head) out.unshift(Math.max(0, f));
  const tail = ibi(out.slice(-5));
  for (let f = out[out.length - 1]! + tail; f + 0.5 * tail < n - 1 && isAudible(f); f += tail) out.push(f);
  return out;
}

/** Sub-frame position of a maximum near frame f: vertex of the parabola through f−1, f, f+1 (clamped to ±0.5). */
export function refinePeak(x: Float32Array, f: number): number {
  if (f <= 0 || f >= x.length - 1) return f;
  const a = x[f - 1]!;
  const b = x[f]!;
  const c = x[f + 1]!;
  const den = a - 2 * b + c;
  if (!(den < 0)) return f;
  return f + Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / den));
}
