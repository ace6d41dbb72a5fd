// Meter: how beats are subdivided (simple or compound) and grouped into bars, and where bars start.
import { maxAround } from './envelope.ts';

export interface SubBeatProfile {
  /** Mean onset strength on the beats. */
  beat: number;
  /** At the half-beat. */
  half: number;
  /** Mean of the 1/3 and 2/3 positions; `thirdsMin` the weaker of the two. */
  thirds: number;
  thirdsMin: number;
  /** Mean of the 1/4 and 3/4 positions (a reference level for neither grid). */
  quarters: number;
}

/**
 * Mean onset strength at fixed fractions of each inter-beat interval: the sub-beat accent pattern that
 * tells duple from triple subdivision (Gouyon & Herrera 2003, Determination of the meter of musical
 * audio signals: seeking recurrences in beat segment descriptors; Klapuri et al. 2006, tatum/beat/bar).
 */
export function subBeatProfile(onset: Float32Array, beatFrames: readonly number[]): SubBeatProfile {
  const p: SubBeatProfile = { beat: 0, half: 0, thirds: 0, thirdsMin: 0, quarters: 0 };
  let n = 0;
  let t1 = 0;
  let t2 = 0;
  for (let b = 0; b + 1 < beatFrames.length; b++) {
    const f0 = beatFrames[b]!;
    const ibi = beatFrames[b + 1]! - f0;
    const pos = (frac: number) => maxAround(onset, f0 + frac * ibi);
    p.beat += maxAround(onset, f0);
    p.half += pos(1 / 2);
    t1 += pos(1 / 3);
    t2 += pos(2 / 3);
    p.quarters += (pos(1 / 4) + pos(3 / 4)) / 2;
    n++;
  }
  if (n === 0) return p;
  p.beat /= n;
  p.half /= n;
  p.quarters /= n;
  p.thirds = (t1 + t2) / (2 * n);
  p.thirdsMin = Math.min(t1, t2) / n;
  return p;
}

/**
 * Whether a beat that looks compound (three pulses a beat) is really two beats of a simple meter at
 * 3/2 the tempo, from the periodicity of the pulse p = period/3 (autocorrelation `r` over lags in
 * frames; Gouyon & Herrera 2003 and Klapuri et al. 2006 read meter from which multiples of the tatum
 * recur): the pulses group in twos when a two-pulse beat recurs more than a three-pulse one, r(2p) >
 * r(3p), or a four-beat bar of two-pulse beats does more than one of three-pulse beats, r(8p) > r(12p).
 * Piano parts in 3+3+2 eighths (common in pop) make a dotted-quarter "beat" look compound, but their bar is
 * 8 eighths; true 6/8 and 12/8 repeat at 3 and 12 pulses. False when r does not reach 12 pulses.
 */
export function pulsesGroupInTwos(r: ArrayLike<number>, period: number): boolean {
  const p = period / 3;
  if (!(p > 0) || Math.round(12 * p) + 1 >= r.length) return false;
  const at = (lag: number) => {
    const l = Math.round(lag);
    return Math.max(r[l - 1]!, r[l]!, r[l + 1]!);
  };
  return at(2 * p) > at(3 * p) || at(8 * p) > at(12 * p);
}

/** Cosine distance between two 12-bin rows (1 when exactly one is all zero, 0 when both are). */
function cosineDistance(a: Float64Array, b: Float64Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let c = 0; c < 12; c++) {
    ab += a[c]! * b[c]!;
    aa += a[c]! * a[c]!;
    bb += b[c]! * b[c]!;
  }
  return aa > 0 && bb > 0 ? 1 - ab / Math.sqrt(aa * bb) : aa > 0 || bb > 0 ? 1 : 0;
}

/** Mean chroma row over frames [a, b). */
function meanRow(chroma: Float32Array, a: number, b: number): Float64Array {
  const out = new Float64Array(12);
  const frames = chroma.length / 12;
  const lo = Math.max(0, Math.min(frames, a));
  const hi = Math.max(lo, Math.min(frames, b));
  for (let f = lo; f < hi; f++) for (let c = 0; c < 12; c++) out[c]! += chroma[f * 12 + c]!;
  if (hi > lo) for (let c = 0; c < 12; c++) out[c]! /= hi - lo;
  return out;
}

/** Standardises to zero mean and unit variance (all zeros if constant). */
function zscore(x: number[]): number[] {
  const n = x.length;
  const m = x.reduce((a, b) => a + b, 0) / Math.max(1, n);
  const sd = Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, n));
  return x.map((v) => (sd > 1e-9 ? (v - m) / sd : 0));
}

export interface BeatNovelty {
  /** Harmonic change (treble chroma), bass change and onset accent at each beat, each standardised. */
  treble: number[];
  bass: number[];
  accent: number[];
  /** Their weighted sum: how much each beat looks like the start of a bar. */
  combined: number[];
}

/**
 * How strongly each beat starts something new: chroma change between the beat before and the beat after
 * it (treble and bass separately) plus its onset accent. Bar lines are where harmony changes and strong
 * onsets coincide (Goto 2001, An audio-based real-time beat tracking system, chord-change cue; Papadopoulos & Peeters 2011).
 */
export function beatNovelty(beatFrames: readonly number[], onset: Float32Array, chromaTreble: Float32Array, chromaBass: Float32Array): BeatNovelty {
  const n = beatFrames.length;
  const treble: number[] = [];
  const bass: number[] = [];
  const accent: number[] = [];
  for (let b = 0; b < n; b++) {
    const f = beatFrames[b]!;
    const ibi = n > 1 ? (b + 1 < n ? beatFrames[b + 1]! - f : f - beatFrames[b - 1]!) : 1;
    const prev = b > 0 ? beatFrames[b - 1]! : f - ibi;
    const next = b + 1 < n ? beatFrames[b + 1]! : f + ibi;
    // The "after" side starts one frame late so the attack itself does not blur it.
    treble.push(cosineDistance(meanRow(chromaTreble, prev, f), meanRow(chromaTreble, f + 1, next)));
    bass.push(cosineDistance(meanRow(chromaBass, prev, f), meanRow(chromaBass, f + 1, next)));
    accent.push(maxAround(onset, f));
  }
  const zt = zscore(treble);
  const zb = zscore(bass);
  const za = zscore(accent);
  return { treble: zt, bass: zb, accent: za, combined: zt.map((v, i) => v + zb[i]! + 0.5 * za[i]!) };
}

export interface BarHypothesis {
  beatsPerBar: number;
  /** Index (0 … beatsPerBar−1) of the first beat that is a downbeat. */
  phase: number;
  /** Mean novelty on the hypothesised downbeats minus the mean on the other beats. */
  score: number;
}

/** Every (beats-per-bar, phase) hypothesis scored by the contrast of downbeat novelty against the other beats. */
export function barHypotheses(novelty: readonly number[], sizes: readonly number[] = [2, 3, 4]): BarHypothesis[] {
  const out: BarHypothesis[] = [];
  for (const size of sizes) {
    for (let phase = 0; phase < size; phase++) {
      let on = 0;
      let nOn = 0;
      let off = 0;
      let nOff = 0;
      novelty.forEach((v, i) => {
        if ((i - phase) % size === 0) {
          on += v;
          nOn++;
        } else {
          off += v;
          nOff++;
        }
      });
      const score = nOn > 0 && nOff > 0 ? on / nOn - off / nOff : 0;
      out.push({ beatsPerBar: size, phase, score });
    }
  }
  return out.sort((a, b) => b.score - a.score);
}
