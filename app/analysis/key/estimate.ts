// Key estimation from frame chroma on the beat grid.
//
// Evidence. Per bar, chroma mass (treble + ½·bass, frames weighted by loudness, the median of the 12
// bins removed as noise floor, massPerSecond per second of loud audio) is treated as draws from a
// key's pitch-class distribution (Temperley's Bayesian key finding, "Music and Probability", 2007):
// log P(bar | key) = Σ_pc mass[pc] · log p_key[pc], so evidence adds up over bars. The distributions
// are the mean of the Temperley (Kostka–Payne), Albrecht–Shanahan and Temperley–de Clercq profiles
// (see profiles.ts). Each beat also gets its best-fitting major/minor triad (bass-weighted).
//  - Global key: the 24 keys' log-likelihood per unit of mass over the whole file, plus terms that
//    separate relative major and minor (which share a scale): the bass line's share on the tonic, the
//    share of time on the tonic triad (i vs I), and the first and last chords rooted on the tonic.
//  - Local keys: an HMM over bars (24 keys) whose emissions are the bars' log-likelihoods plus the
//    same bass and tonic-triad terms, decoded with Viterbi. A change of key costs `switchPenalty`
//    nats (twice that to the relative key: a minor verse and a chorus in its relative major are one
//    key area) and every key lasts at least `minSegmentBars` bars (each key is a chain of that many
//    states). A real modulation, whose new key holds for four bars or more, pays one change and wins;
//    a passing tonicisation (a bar or two of V/V → V, a ii–V into vi) would pay two changes for too
//    little evidence and too short a stay, so it stays inside the home key. Segments whose own bars do
//    not support their key (confidence < minSegmentConfidence) join their neighbour.
//  - Confidence: the margin between the best and second-best key per unit of mass, scaled down when
//    the chroma is mostly noise floor, mapped to 0..1 by 1 − exp(−margin / confidenceScale); 0 in
//    silence.
import type { FrontEndFeatures, Key, KeyResult, KeySegment, RhythmResult } from '../types.ts';
import { beatGrid, frameRange, loudnessWeights, normaliseSum } from './grid.ts';
import type { Grid } from './grid.ts';
import { KEY_COUNT, keyFromIndex, keyIndex, relativeKey } from './names.ts';
import { keyLogProbabilities } from './profiles.ts';
import type { ProfileName } from './profiles.ts';

export interface KeyOptions {
  profile: ProfileName;
  /** Uniform mixture in the key distributions (robustness to leakage into non-scale bins). */
  profileFloor: number;
  /** Weight of the bass chroma relative to the treble chroma. */
  bassWeight: number;
  /** Chroma mass per second of loud audio (the HMM's evidence scale). */
  massPerSecond: number;
  /** Cost of a key change in the local-key HMM (nats). */
  switchPenalty: number;
  /** A change to the relative key costs this many times `switchPenalty`. */
  relativeSwitchFactor: number;
  /** Local segments with less confidence than this join their neighbour. */
  minSegmentConfidence: number;
  /** Shortest local-key segment (bars). */
  minSegmentBars: number;
  /** Half-width (bars) of the triangular window smoothing the local emissions; 0 = none. */
  windowBars: number;
  /** Global score bonus (nats per unit mass) for a first / last chord rooted on the tonic. */
  endBonus: number;
  /** … and for that chord having the key's mode (minor triad for a minor key). */
  endModeBonus: number;
  /** Global score bonus per unit of bass share on the tonic. */
  bassTonicBonus: number;
  /** Global score bonus per unit share of time on the tonic triad (i in minor, I in major). */
  tonicChordBonus: number;
  /** The same two terms in the local-key emissions (nats per unit of a bar's mass). */
  localBassTonicBonus: number;
  localTonicChordBonus: number;
  /**
   * Global and per-segment score bonus (nats per unit mass) for minor keys. The pitch-class profiles and the
   * tonic-triad term lean towards the relative major (its triads I, IV and V cover the shared scale's tones
   * more evenly than i, iv and v), so a song in minor with a busy relative-major chorus reads as major.
   */
  minorBonus: number;
  /** Margin (nats per unit mass) at which confidence reaches 1 − 1/e. */
  confidenceScale: number;
  /** Share of the chroma above its noise floor at which the evidence counts fully for confidence. */
  tonalReference: number;
  /** Time of frame i is i / frameRate + frameOffsetSec. */
  frameOffsetSec: number;
}

export const DEFAULT_KEY_OPTIONS: KeyOptions = {
  profile: 'combined',
  profileFloor: 0.1,
  bassWeight: 0.5,
  massPerSecond: 2,
  switchPenalty: 6.5,
  relativeSwitchFactor: 2,
  minSegmentBars: 4,
  minSegmentConfidence: 0.1,
  windowBars: 0,
  endBonus: 0.04,
  endModeBonus: 0.02,
  bassTonicBonus: 0.15,
  tonicChordBonus: 0.3,
  localBassTonicBonus: 0.15,
  localTonicChordBonus: 0.3,
  minorBonus: 0.05,
  confidenceScale: 0.06,
  tonalReference: 0.4,
  frameOffsetSec: 0,
};

/** What the estimator measured, for tests and debugging. */
export interface KeyAnalysisDetail {
  result: KeyResult;
  grid: Grid;
  /** Per-bar key log-likelihoods (bars × 24) and chroma mass per bar. */
  barLogLik: Float64Array[];
  barMass: number[];
  /** Global scores per key (nats per unit mass, bonuses included). */
  globalScores: Float64Array;
  /** Share of the chroma above its noise floor (0 = flat or silent, 1 = pure tones). */
  tonal: number;
  /** Key index per bar from the HMM. */
  barKeys: number[];
  /** Roots / modes of the first and last chords (null when silent). */
  firstChord: { root: number; minor: boolean } | null;
  lastChord: { root: number; minor: boolean } | null;
}

const TRIAD_MAJOR = [0, 4, 7];
const TRIAD_MINOR = [0, 3, 7];

/** Best major/minor triad for a chroma (treble) + bass pair: root and mode. */
export function bestTriad(treble: ArrayLike<number>, bass: ArrayLike<number>): { root: number; minor: boolean; score: number } | null {
  let norm = 0;
  for (let p = 0; p < 12; p++) norm += treble[p]! * treble[p]!;
  norm = Math.sqrt(norm);
  if (!(norm > 0)) return null;
  let bassSum = 0;
  for (let p = 0; p < 12; p++) bassSum += bass[p]!;
  let best: { root: number; minor: boolean; score: number } | null = null;
  for (let root = 0; root < 12; root++) {
    for (const minor of [false, true]) {
      let dot = 0;
      for (const i of minor ? TRIAD_MINOR : TRIAD_MAJOR) dot += treble[(root + i) % 12]!;
      const score = dot / (norm * Math.sqrt(3)) + (bassSum > 0 ? (0.5 * bass[root]!) / bassSum : 0);
      if (!best || score > best.score) best = { root, minor, score };
    }
  }
  return best;
}

function confidenceFromMargin(margin: number, scale: number): number {
  if (!(margin > 0)) return 0;
  return Math.round(1000 * (1 - Math.exp(-margin / scale))) / 1000;
}

interface BarChroma {
  /** Treble + weighted bass mass per pitch class (already scaled to massPerSecond). */
  mass: Float64Array;
  total: number;
  /** Mean treble and bass chroma over the bar's loud frames (for chord guesses). */
  treble: Float64Array;
  bass: Float64Array;
  /** Seconds of loud audio (frames weighted by loudness). */
  seconds: number;
  /** Seconds of loud audio per best-fitting triad, indexed like keys (root, +12 for minor). */
  triads: Float64Array;
}

/**
 * Scales to sum 1 and removes the noise floor (the median of the 12 bins): what is left (sum ≤ 1) is the
 * tonal part, large for clear chords and small for flat, noisy chroma.
 */
function denoise(v: Float64Array, quantile = 0.5): Float64Array {
  const out = normaliseSum(Float64Array.from(v));
  const sorted = Float64Array.from(out).sort();
  const floor = sorted[Math.min(11, Math.max(0, Math.round(quantile * 11)))]!;
  for (let p = 0; p < 12; p++) out[p] = Math.max(0, out[p]! - floor);
  return out;
}

function barChroma(features: FrontEndFeatures, grid: Grid, barIndex: number, weights: Float32Array, opts: KeyOptions): BarChroma {
  const bar = grid.bars[barIndex]!;
  const treble = new Float64Array(12);
  const bass = new Float64Array(12);
  const triads = new Float64Array(KEY_COUNT);
  let w = 0;
  for (let j = bar.firstBeat; j < bar.firstBeat + bar.beatCount; j++) {
    const [i0, i1] = frameRange(features, grid.beats[j]!, opts.frameOffsetSec);
    const bt = new Float64Array(12);
    const bb = new Float64Array(12);
    let bw = 0;
    for (let i = i0; i < i1; i++) {
      const wi = weights[i] ?? 0;
      if (!(wi > 0)) continue;
      let tSum = 0;
      for (let p = 0; p < 12; p++) tSum += features.chromaTreble[i * 12 + p]!;
      if (!(tSum > 0)) continue;
      bw += wi;
      for (let p = 0; p < 12; p++) {
        bt[p]! += wi * features.chromaTreble[i * 12 + p]!;
        bb[p]! += wi * features.chromaBass[i * 12 + p]!;
      }
    }
    if (!(bw > 0)) continue;
    w += bw;
    for (let p = 0; p < 12; p++) {
      treble[p]! += bt[p]!;
      bass[p]! += bb[p]!;
    }
    const t = bestTriad(bt, bb);
    if (t) triads[t.root + (t.minor ? 12 : 0)]! += bw / features.frameRate;
  }
  const mass = new Float64Array(12);
  let total = 0;
  const seconds = w / features.frameRate;
  if (w > 0) {
    // Mass per second of loud audio; the chroma's noise floor is removed first so that a flat, noisy
    // chroma carries little evidence and a clear one a lot.
    const t = denoise(treble);
    const b = denoise(bass);
    const bWeight = b.some((x) => x > 0) ? opts.bassWeight : 0;
    const scale = (opts.massPerSecond * seconds) / (1 + bWeight);
    for (let p = 0; p < 12; p++) {
      mass[p] = scale * (t[p]! + bWeight * b[p]!);
      total += mass[p]!;
    }
  }
  return { mass, total, seconds, treble: normaliseSum(treble), bass: normaliseSum(bass), triads };
}

/**
 * Viterbi over bars: 24 keys, each visit at least `minBars` long; a change costs `penalty`, a change to
 * the relative key `penalty × relativeFactor` (verse in the minor, chorus in its relative major is one
 * key area, not a modulation). Returns a key index per bar.
 */
export function decodeKeyPath(emissions: Float64Array[], penalty: number, minBars: number, relativeFactor = 1): number[] {
  const T = emissions.length;
  if (T === 0) return [];
  const D = Math.max(1, Math.min(minBars, T));
  const S = KEY_COUNT * D;
  const relative = (k: number) => (k < 12 ? 12 + ((k + 9) % 12) : (k - 12 + 3) % 12);
  let score = new Float64Array(S).fill(-Infinity);
  let next = new Float64Array(S);
  const back: Int32Array[] = [];
  for (let k = 0; k < KEY_COUNT; k++) score[k * D] = emissions[0]![k]!;
  for (let t = 1; t < T; t++) {
    const e = emissions[t]!;
    const bp = new Int32Array(S);
    for (let k = 0; k < KEY_COUNT; k++) {
      const base = k * D;
      // d = 0: just switched in from a key j ≠ k that has lasted its minimum (or, with D = 1, stayed).
      let v0 = -Infinity;
      let b0 = base;
      for (let j = 0; j < KEY_COUNT; j++) {
        if (j === k) continue;
        const v = score[j * D + D - 1]! - penalty * (j === relative(k) ? relativeFactor : 1);
        if (v > v0) [v0, b0] = [v, j * D + D - 1];
      }
      if (D === 1 && score[base]! >= v0) [v0, b0] = [score[base]!, base];
      next[base] = v0 + e[k]!;
      bp[base] = b0;
      for (let d = 1; d < D; d++) {
        let v = score[base + d - 1]!;
        let b = base + d - 1;
        if (d === D - 1 && score[base + d]! > v) [v, b] = [score[base + d]!, base + d];
        next[base + d] = v + e[k]!;
        bp[base + d] = b;
      }
    }
    back.push(bp);
    [score, next] = [next, score];
  }
  let end = -1;
  let endScore = -Infinity;
  for (let k = 0; k < KEY_COUNT; k++) {
    const s = score[k * D + D - 1]!;
    if (s > endScore) [endScore, end] = [s, k * D + D - 1];
  }
  const path = new Array<number>(T);
  let state = end;
  for (let t = T - 1; t >= 0; t--) {
    path[t] = Math.floor(state / D);
    if (t > 0) state = back[t - 1]![state]!;
  }
  return path;
}

function logLik(mass: Float64Array, logP: Float64Array): Float64Array {
  const out = new Float64Array(KEY_COUNT);
  for (let k = 0; k < KEY_COUNT; k++) {
    let s = 0;
    for (let p = 0; p < 12; p++) s += mass[p]! * logP[k * 12 + p]!;
    out[k] = s;
  }
  return out;
}

interface EndChord {
  root: number;
  minor: boolean;
}

/** Scores of the 24 keys for a run of bars: log-likelihood per unit mass + bass-tonic and end bonuses. */
function scoreKeys(bars: BarChroma[], lik: Float64Array[], first: EndChord | null, last: EndChord | null, opts: KeyOptions): { scores: Float64Array; mass: number; tonal: number } {
  const scores = new Float64Array(KEY_COUNT);
  let mass = 0;
  let potential = 0;
  const bass = new Float64Array(12);
  const triads = new Float64Array(KEY_COUNT);
  bars.forEach((b, i) => {
    mass += b.total;
    potential += opts.massPerSecond * b.seconds;
    for (let k = 0; k < KEY_COUNT; k++) triads[k]! += b.triads[k]!;
    for (let k = 0; k < KEY_COUNT; k++) scores[k]! += lik[i]![k]!;
    for (let p = 0; p < 12; p++) bass[p]! += b.total * b.bass[p]!;
  });
  if (!(mass > 0)) return { scores, mass: 0, tonal: 0 };
  normaliseSum(bass);
  normaliseSum(triads);
  for (let k = 0; k < KEY_COUNT; k++) {
    const key = keyFromIndex(k);
    let s = scores[k]! / mass + opts.bassTonicBonus * bass[key.tonic]! + opts.tonicChordBonus * triads[k]! + (key.mode === 'minor' ? opts.minorBonus : 0);
    for (const c of [first, last]) {
      if (c && c.root === key.tonic) s += opts.endBonus + (c.minor === (key.mode === 'minor') ? opts.endModeBonus : 0);
    }
    scores[k] = s;
  }
  return { scores, mass, tonal: potential > 0 ? mass / potential : 0 };
}

function top2(scores: Float64Array): [number, number] {
  let a = 0;
  for (let k = 1; k < scores.length; k++) if (scores[k]! > scores[a]!) a = k;
  let b = a === 0 ? 1 : 0;
  for (let k = 0; k < scores.length; k++) if (k !== a && scores[k]! > scores[b]!) b = k;
  return [a, b];
}

/** Chords at the ends of a run of bars: the first and last bar with tonal content. */
function endChords(bars: BarChroma[]): [EndChord | null, EndChord | null] {
  const loud = bars.map((b, i) => (b.total > 0 ? i : -1)).filter((i) => i >= 0);
  if (loud.length === 0) return [null, null];
  const guess = (i: number) => {
    const t = bestTriad(bars[i]!.treble, bars[i]!.bass);
    return t ? { root: t.root, minor: t.minor } : null;
  };
  return [guess(loud[0]!), guess(loud[loud.length - 1]!)];
}

/** Full key analysis with its intermediate measurements. */
export function analyseKey(features: FrontEndFeatures, rhythm: RhythmResult | null | undefined, options: Partial<KeyOptions> = {}): KeyAnalysisDetail {
  const opts = { ...DEFAULT_KEY_OPTIONS, ...options };
  const duration = features.durationSec;
  const grid = beatGrid(rhythm, duration);
  const weights = loudnessWeights(features.rms, features.frameCount);
  const logP = keyLogProbabilities(opts.profile, opts.profileFloor);
  const bars = grid.bars.map((_, i) => barChroma(features, grid, i, weights, opts));
  const lik = bars.map((b) => logLik(b.mass, logP));
  const barMass = bars.map((b) => b.total);

  const [firstChord, lastChord] = endChords(bars);
  const { scores: globalScores, mass, tonal } = scoreKeys(bars, lik, firstChord, lastChord, opts);
  const silentResult = (): KeyAnalysisDetail => {
    const key: Key = { tonic: 0, mode: 'major' };
    return {
      result: { global: key, confidence: 0, segments: duration > 0 ? [{ start: 0, end: duration, key, confidence: 0 }] : [] },
      grid,
      barLogLik: lik,
      barMass,
      globalScores,
      tonal,
      barKeys: bars.map(() => 0),
      firstChord,
      lastChord,
    };
  };
  if (!(mass > 1e-9)) return silentResult();

  const [g1, g2] = top2(globalScores);
  let global = keyFromIndex(g1);
  // Margin per unit of tonal evidence, discounted when the chroma is mostly flat (noise, drums).
  const tonalFactor = (t: number) => Math.min(1, t / opts.tonalReference);
  const globalConfidence = confidenceFromMargin((globalScores[g1]! - globalScores[g2]!) * tonalFactor(tonal), opts.confidenceScale);

  // Local keys: smoothed bar emissions → Viterbi.
  const W = Math.max(0, Math.round(opts.windowBars));
  // Bar evidence: the pitch-class log-likelihood plus, in the same units (nats per unit of mass), the
  // global score's bass-on-tonic and tonic-triad terms, so that a bar on a key's tonic chord over its
  // tonic in the bass counts for that key.
  const barEvidence = bars.map((b, t) => {
    const e = Float64Array.from(lik[t]!);
    if (b.total > 0 && b.seconds > 0) {
      for (let k = 0; k < KEY_COUNT; k++) {
        const tonic = k % 12;
        e[k]! += b.total * (opts.localBassTonicBonus * b.bass[tonic]! + (opts.localTonicChordBonus * b.triads[k]!) / b.seconds);
      }
    }
    return e;
  });
  const emissions = barEvidence.map((_, t) => {
    const e = new Float64Array(KEY_COUNT);
    let wsum = 0;
    for (let u = -W; u <= W; u++) {
      const l = barEvidence[t + u];
      if (!l) continue;
      const w = 1 - Math.abs(u) / (W + 1);
      wsum += w;
      for (let k = 0; k < KEY_COUNT; k++) e[k]! += w * l[k]!;
    }
    if (wsum > 0) for (let k = 0; k < KEY_COUNT; k++) e[k]! /= wsum;
    return e;
  });
  const barKeys = decodeKeyPath(emissions, opts.switchPenalty, opts.minSegmentBars, opts.relativeSwitchFactor);

  // Runs of bars → segments; each run's key re-decided between it and its relative with the same
  // scoring as the global key (bass on the tonic, chords at the run's ends).
  const runs: { from: number; to: number; key: number }[] = [];
  barKeys.forEach((k, t) => {
    const r = runs[runs.length - 1];
    if (r && r.key === k) r.to = t;
    else runs.push({ from: t, to: t, key: k });
  });
  if (runs.length > 1) {
    for (const r of runs) {
      const rb = bars.slice(r.from, r.to + 1);
      const [f, l] = endChords(rb);
      const { scores } = scoreKeys(rb, lik.slice(r.from, r.to + 1), f, l, opts);
      const rel = keyIndex(relativeKey(keyFromIndex(r.key)));
      if (scores[rel]! > scores[r.key]!) r.key = rel;
    }
  }
  type Run = { from: number; to: number; key: number };
  const mergeEqual = (rs: Run[]): Run[] => {
    const out: Run[] = [];
    for (const r of rs) {
      const m = out[out.length - 1];
      if (m && m.key === r.key) m.to = r.to;
      else out.push({ ...r });
    }
    return out;
  };
  const runConfidence = (r: Run, count: number): number => {
    if (count === 1) return globalConfidence;
    const { scores, tonal: t } = scoreKeys(bars.slice(r.from, r.to + 1), lik.slice(r.from, r.to + 1), null, null, opts);
    let second = -Infinity;
    for (let k = 0; k < KEY_COUNT; k++) if (k !== r.key && scores[k]! > second) second = scores[k]!;
    return confidenceFromMargin((scores[r.key]! - second) * tonalFactor(t), opts.confidenceScale);
  };
  // A segment whose key its own bars do not support better than any other key (confidence below
  // minSegmentConfidence) is not reported: it joins its neighbour, the weakest first.
  let merged = mergeEqual(runs);
  for (;;) {
    if (merged.length === 1) {
      merged[0]!.key = g1;
      break;
    }
    const conf = merged.map((r) => runConfidence(r, merged.length));
    let weakest = -1;
    conf.forEach((c, i) => {
      if (c < opts.minSegmentConfidence && (weakest < 0 || c < conf[weakest]!)) weakest = i;
    });
    if (weakest < 0) break;
    merged[weakest]!.key = merged[weakest > 0 ? weakest - 1 : weakest + 1]!.key;
    merged = mergeEqual(merged);
  }
  // The home key is one the song is actually in: when the whole-file winner is not among the local
  // keys (a song split between two keys can look like a third), take the local key held longest.
  if (!merged.some((r) => r.key === g1)) {
    const held = new Map<number, number>();
    for (const r of merged) held.set(r.key, (held.get(r.key) ?? 0) + grid.bars[r.to]!.end - grid.bars[r.from]!.start);
    let bestKey = merged[0]!.key;
    for (const [k, d] of held) if (d > held.get(bestKey)! + 1e-9) bestKey = k;
    global = keyFromIndex(bestKey);
  }

  const segments: KeySegment[] = merged.map((r) => ({
    start: grid.bars[r.from]!.start,
    end: grid.bars[r.to]!.end,
    key: keyFromIndex(r.key),
    confidence: runConfidence(r, merged.length),
  }));
  const finalBarKeys = new Array<number>(bars.length);
  for (const r of merged) for (let t = r.from; t <= r.to; t++) finalBarKeys[t] = r.key;
  return {
    result: { global, confidence: globalConfidence, segments },
    grid,
    barLogLik: lik,
    barMass,
    globalScores,
    tonal,
    barKeys: finalBarKeys,
    firstChord,
    lastChord,
  };
}

/** Key estimate (global key, confidence, local key segments). */
export function estimateKey(features: FrontEndFeatures, rhythm: RhythmResult | null | undefined, options: Partial<KeyOptions> = {}): KeyResult {
  return analyseKey(features, rhythm, options).result;
}
