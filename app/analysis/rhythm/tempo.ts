// Tempo: periodicity of the onset envelope weighted by a tempo prior, local tempo over time, and the
// tempo implied by tracked beats.
import { autocorrelation, peakNear } from './envelope.ts';

export const MIN_BPM = 40;
export const MAX_BPM = 240;
/**
 * Centre (BPM) and width (octaves) of the log-normal tempo prior. 100 puts the octave boundary (where a
 * tempo and its double are equally preferred) at 71 / 141 BPM: pop ballads' quarter notes (72–80 BPM)
 * stay quarter notes instead of becoming their eighth-note pulse, and 65 BPM still doubles to 130
 * (pop quarter notes mostly lie within 70–140 BPM; POP909 tempo Acc1 0.79 → 0.92). Music whose beat is
 * faster than 141 BPM is now more often reported at half tempo (an Acc2 rather than an Acc1 hit).
 */
export const PRIOR_BPM = 100;
export const PRIOR_OCTAVES = 1;

/** Log-normal tempo preference (Parncutt 1994; Ellis 2007 §3.2; librosa.feature.rhythm.tempo's start_bpm/std_bpm). */
export function tempoPrior(bpm: number, centre = PRIOR_BPM, octaves = PRIOR_OCTAVES): number {
  return Math.exp(-0.5 * (Math.log2(bpm / centre) / octaves) ** 2);
}

export interface PeriodEstimate {
  /** Beat period in frames (fractional). */
  period: number;
  /** Autocorrelation at that period (−1..1): how periodic the onsets are at it. */
  strength: number;
  /** The prior-weighted autocorrelation the choice maximised. */
  salience: number;
}

/** Vertex offset (−0.5..0.5) of the parabola through y[i−1], y[i], y[i+1]. */
function parabolicOffset(y: Float32Array, i: number): number {
  if (i <= 0 || i >= y.length - 1) return 0;
  const a = y[i - 1]!;
  const b = y[i]!;
  const c = y[i + 1]!;
  const den = a - 2 * b + c;
  return den < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / den)) : 0;
}

/**
 * Beat period maximising prior × autocorrelation of the (smoothed, high-passed) onset envelope over
 * lags from `minLag` to `maxLag` frames (Ellis 2007, §3.2 "tempo period strength"). Null when the
 * envelope has no periodicity at all.
 */
export function bestPeriod(r: Float32Array, frameRate: number, minLag: number, maxLag: number): PeriodEstimate | null {
  let best = -Infinity;
  let bestLag = -1;
  for (let lag = Math.max(2, Math.floor(minLag)); lag <= Math.min(r.length - 2, Math.ceil(maxLag)); lag++) {
    const isPeak = r[lag]! >= r[lag - 1]! && r[lag]! >= r[lag + 1]!;
    if (!isPeak) continue;
    const s = periodStrength(r, lag) * tempoPrior((60 * frameRate) / lag);
    if (s > best) {
      best = s;
      bestLag = lag;
    }
  }
  if (bestLag < 0 || !(best > 0)) return null;
  return { period: bestLag + parabolicOffset(r, bestLag), strength: r[bestLag]!, salience: best };
}

/** Harmonic weights of the lag itself, its double and its quadruple in the period strength. */
const HARMONICS = [1, 0.5, 0.25] as const;

/**
 * Period strength with its duple multiples: Σ w_k·r(2^k·lag) / Σ w_k over the multiples inside r (Ellis
 * 2007 §3.2, TPS2 adds r at twice the lag): a beat period's bar-level repeats back it up, while a
 * dotted-beat lag (3/2 of the beat) has none, so ternary mistakes in duple music lose.
 */
export function periodStrength(r: Float32Array, lag: number): number {
  let s = 0;
  let w = 0;
  HARMONICS.forEach((wk, k) => {
    const l = lag * 2 ** k;
    if (l > r.length - 2) return;
    s += wk * (k === 0 ? r[lag]! : peakNear(r, l, 2 ** (k - 1)));
    w += wk;
  });
  return w > 0 ? s / w : 0;
}

/** Mean of the envelopes' normalised autocorrelations over frames [from, to) (each envelope counts equally, whatever its scale). */
export function meanAutocorrelation(envs: readonly Float32Array[], maxLag: number, from = 0, to = envs[0]?.length ?? 0): Float32Array {
  const r = new Float32Array(maxLag + 1);
  for (const env of envs) {
    const ri = autocorrelation(env, maxLag, from, to);
    for (let k = 0; k <= maxLag; k++) r[k]! += ri[k]! / envs.length;
  }
  return r;
}

/** Global beat-period estimate from the mean autocorrelation of the envelopes, searching MIN_BPM … MAX_BPM. */
export function estimatePeriod(envs: readonly Float32Array[], frameRate: number): PeriodEstimate | null {
  const n = envs[0]?.length ?? 0;
  const maxLag = Math.min(Math.ceil((4 * 60 * frameRate) / MIN_BPM) + 4, Math.max(0, n - 1));
  return bestPeriod(meanAutocorrelation(envs, maxLag), frameRate, (60 * frameRate) / MAX_BPM, (60 * frameRate) / MIN_BPM);
}

export interface LocalTempo {
  /** Window centre (s). */
  time: number;
  /** Period in frames near the global one. */
  period: number;
  strength: number;
}

/**
 * Local beat period in windows of `windowSec` (hop windowSec/2), searched within ±`range` (fraction) of the
 * global period so the metrical level stays put (windowed autocorrelation, cf. librosa's autocorrelation tempogram).
 */
export function localTempi(envs: readonly Float32Array[], frameRate: number, period: number, windowSec = 10, range = 0.15): LocalTempo[] {
  const n = envs[0]?.length ?? 0;
  const win = Math.round(windowSec * frameRate);
  const hop = Math.max(1, Math.round(win / 2));
  const out: LocalTempo[] = [];
  if (n < win) return out;
  const maxLag = Math.ceil(period * (1 + range)) + 1;
  for (let from = 0; from + win <= n; from += hop) {
    const r = meanAutocorrelation(envs, maxLag, from, from + win);
    const lo = Math.max(2, Math.floor(period * (1 - range)));
    let bestLag = -1;
    for (let lag = lo; lag < maxLag; lag++) {
      if (r[lag]! >= r[lag - 1]! && r[lag]! >= r[lag + 1]! && (bestLag < 0 || r[lag]! > r[bestLag]!)) bestLag = lag;
    }
    if (bestLag < 0) continue;
    out.push({ time: (from + win / 2) / frameRate, period: bestLag + parabolicOffset(r, bestLag), strength: r[bestLag]! });
  }
  return out;
}
