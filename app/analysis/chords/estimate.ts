// Beat-synchronous chord estimation.
//
// 1. Steps: the beat grid (rhythm's beats, bars at its downbeats; see key/grid.ts), each beat cut in two
//    (three in 6/8 and 12/8) so that a grid half a beat out of phase, or an anticipated change, still
//    lands on a step boundary. Step chroma: the per-bin median of the frames' treble and bass chroma
//    in the step (robust to onsets and to the analysis window smearing across a change), and its RMS.
// 2. Emissions per step and chord (12 roots × maj, min, 7, maj7, min7, dim, aug, sus2, sus4, hdim7,
//    dim7, and N):
//      κ · cos(treble − noise floor, template)              template matching; templates weight the
//                                                           root, third, fifth, seventh 1, 1, 1.4, 1.1
//    + β · log(0.05 + max over chord tones of w · bass)     the bass must be a chord tone, best the
//                                                           root (w = 1; other tones 0.5)
//    + quality prior                                        triads free; a seventh costs 0.9–1.2 nats a
//                                                           step, so it needs real evidence of the 7th;
//                                                           dim, aug, sus, dim7 cost more (rare in pop)
//    + key prior                                            −λ per triad tone outside the local key's
//                                                           scale (harmonic + natural minor): diatonic
//                                                           chords favoured, borrowed ones allowed
//    N scores a fixed cosine level (more for flat chroma) and wins outright in silence (40 dB below
//    the track's loud level).
// 3. An HMM over the steps whose self-transition probability depends on the metrical position (a
//    change is likeliest on a downbeat, then mid-bar, then on other beats, least between beats: chords
//    last one to a few beats or bars), decoded with Viterbi; forward–backward posteriors of the path's
//    states give each segment's confidence.
// 4. Inversions: inside each chord a small Viterbi over the chord's tones follows the bass chroma; a
//    bass on a tone other than the root becomes '/3', '/5', '/b7' … and splits the chord's segment.
// 5. Consecutive equal labels merge; segments are contiguous and cover the whole track.
// Parameters were set on the synthetic demo songs and on 61 songs of the POP909 development set
// (rendered with fluidsynth), then checked on 31 other songs of it.
import type { ChordQuality, ChordResult, ChordSegment, FrontEndFeatures, Key, KeyResult, RhythmResult } from '../types.ts';
import { beatGrid, frameRange, medianChroma, meanChroma, normaliseSum } from '../key/grid.ts';
import type { BeatSpan } from '../key/grid.ts';
import { pathPosteriors, viterbi } from './hmm.ts';
import { CHORD_STATES, N_STATE, STATE_COUNT, harteLabel, outOfKeyTones, QUALITY_INTERVALS, scaleOf } from './vocabulary.ts';

export interface ChordOptions {
  aggregate: 'median' | 'mean';
  /** Quantile of the 12 treble bins removed as noise floor before template matching. */
  trebleFloorQuantile: number;
  /** Emission sharpness: nats per unit of cosine similarity. */
  kappa: number;
  /** Template weights of the root, third, fifth and seventh (the chord's tones in stacking order). */
  templateWeights: readonly number[];
  /** Weight of the bass term (nats per unit log). */
  bassWeight: number;
  /** Weight of a non-root chord tone in the bass (the root counts 1). */
  bassOtherTone: number;
  /** Cosine level of the N state, and its boost for flat chroma. */
  noChordLevel: number;
  noChordFlatBoost: number;
  /** Beats this many dB below the track's loud level are silence (N). */
  silenceDb: number;
  /** Log prior per beat of each quality. */
  qualityPrior: Record<ChordQuality, number>;
  /** Nats per beat per chord tone outside the local key (at most two counted). */
  keyPrior: number;
  /**
   * Analysis steps per beat: 1 = beat-synchronous; 2 also lets a chord change half-way through a beat
   * (robust to a beat grid half a beat out of phase, and to anticipations). Compound meters (6/8, 12/8)
   * use `compoundSubdivisions` (their beat is three eighth notes).
   */
  subdivisions: number;
  compoundSubdivisions: number;
  /** Probability of keeping the chord into a downbeat, a mid-bar beat, another beat, an off-beat step. */
  stayDownbeat: number;
  stayHalfBar: number;
  stayOther: number;
  stayOffbeat: number;
  /** Inversion tracking: log bias of the root in the bass, and cost of a bass change inside a chord. */
  rootBassBias: number;
  bassChangePenalty: number;
  /** Time of frame i is i / frameRate + frameOffsetSec. */
  frameOffsetSec: number;
}

export const DEFAULT_CHORD_OPTIONS: ChordOptions = {
  aggregate: 'median',
  trebleFloorQuantile: 0.35,
  kappa: 12,
  templateWeights: [1, 1, 1.4, 1.1],
  bassWeight: 3,
  bassOtherTone: 0.5,
  noChordLevel: 0.5,
  noChordFlatBoost: 0.5,
  silenceDb: -40,
  qualityPrior: { maj: 0, min: 0, '7': -0.9, maj7: -1.2, min7: -1.2, hdim7: -1.2, dim: -2, aug: -3, sus2: -3, sus4: -3, dim7: -2.5 },
  keyPrior: 0.6,
  subdivisions: 2,
  compoundSubdivisions: 3,
  stayDownbeat: 0.35,
  stayHalfBar: 0.6,
  stayOther: 0.85,
  stayOffbeat: 0.95,
  rootBassBias: 0.4,
  bassChangePenalty: 2,
  frameOffsetSec: 0,
};

/** One analysis step: a beat, or a part of one (`sub` > 0 for the later parts). */
export interface StepSpan extends BeatSpan {
  sub: number;
}

export interface BeatChroma {
  span: StepSpan;
  treble: Float64Array;
  bass: Float64Array;
  /** Mean RMS over the beat. */
  rms: number;
}

/** Median (or mean) treble and bass chroma per beat, each normalised to sum 1 (zeros in silence). */
export function beatChroma(features: FrontEndFeatures, beats: readonly StepSpan[], options: Pick<ChordOptions, 'aggregate' | 'frameOffsetSec'>): BeatChroma[] {
  return beats.map((span) => {
    const [i0, i1] = frameRange(features, span, options.frameOffsetSec);
    const agg = options.aggregate === 'median' ? medianChroma : meanChroma;
    let rms = 0;
    for (let i = i0; i < i1; i++) rms += features.rms[i] ?? 0;
    return { span, treble: normaliseSum(agg(features.chromaTreble, i0, i1)), bass: normaliseSum(agg(features.chromaBass, i0, i1)), rms: i1 > i0 ? rms / (i1 - i0) : 0 };
  });
}

function quantile(v: ArrayLike<number>, q: number): number {
  const s = Float64Array.from(v).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))]!;
}

/** Unit-length templates, one per chord state: chord tones weighted root / third / fifth / seventh. */
function templates(w: readonly number[]): Float64Array[] {
  return CHORD_STATES.map((c) => {
    const t = new Float64Array(12);
    c.pitchClasses.forEach((pc, i) => (t[pc] = w[i] ?? 1));
    let n = 0;
    for (let p = 0; p < 12; p++) n += t[p]! * t[p]!;
    n = Math.sqrt(n);
    for (let p = 0; p < 12; p++) t[p]! /= n;
    return t;
  });
}

function keyAt(keys: KeyResult | null | undefined, time: number): Key | null {
  if (!keys) return null;
  for (const s of keys.segments) if (time >= s.start && time < s.end) return s.key;
  return keys.global ?? null;
}

export interface ChordAnalysisDetail {
  result: ChordResult;
  beats: BeatChroma[];
  /** Decoded state per beat (index into CHORD_STATES, or N_STATE). */
  path: number[];
  /** Log-emissions per beat (STATE_COUNT each). */
  emissions: Float64Array[];
}

/** Per-beat log-emissions for every state. */
export function chordEmissions(beats: readonly BeatChroma[], keys: KeyResult | null | undefined, opts: ChordOptions): Float64Array[] {
  const loud = quantile(beats.map((b) => b.rms), 0.9);
  const silence = loud > 0 ? loud * 10 ** (opts.silenceDb / 20) : Infinity;
  const templ = templates(opts.templateWeights);
  const nStates = CHORD_STATES.length;
  // Flat arrays of the states' tones (up to 4), template weights and quality priors.
  const tones = new Int32Array(nStates * 4).fill(-1);
  const tw = new Float64Array(nStates * 4);
  const logBassRoot = new Float64Array(12);
  const logBassOther = new Float64Array(12);
  const prior = new Float64Array(nStates);
  CHORD_STATES.forEach((c, s) => {
    c.pitchClasses.forEach((pc, i) => {
      tones[s * 4 + i] = pc;
      tw[s * 4 + i] = templ[s]![pc]!;
    });
    prior[s] = opts.qualityPrior[c.quality];
  });
  // Key prior per state, per key: −keyPrior per triad tone outside the scale (at most two). The
  // triad only: whether a seventh is there is the seventh's evidence's call.
  const keyPriors = new Map<number, Float64Array>();
  const keyPriorOf = (key: Key): Float64Array => {
    const id = key.tonic + (key.mode === 'minor' ? 12 : 0);
    let v = keyPriors.get(id);
    if (!v) {
      const scale = scaleOf(key);
      v = Float64Array.from(CHORD_STATES, (c) => -opts.keyPrior * Math.min(2, outOfKeyTones(c.pitchClasses.slice(0, 3), scale)));
      keyPriors.set(id, v);
    }
    return v;
  };
  const x = new Float64Array(12);
  const bass = new Float64Array(12);
  const sorted = new Float64Array(12);
  return beats.map((b) => {
    const e = new Float64Array(STATE_COUNT);
    // Treble: remove the floor, then cosine with each template.
    sorted.set(b.treble);
    sorted.sort();
    const floor = sorted[Math.min(11, Math.max(0, Math.round(opts.trebleFloorQuantile * 11)))]!;
    let norm = 0;
    let rawSum = 0;
    let rawNorm = 0;
    for (let p = 0; p < 12; p++) {
      x[p] = Math.max(0, b.treble[p]! - floor);
      norm += x[p]! * x[p]!;
      rawSum += b.treble[p]!;
      rawNorm += b.treble[p]! * b.treble[p]!;
    }
    norm = Math.sqrt(norm);
    const flatness = rawNorm > 0 ? rawSum / (Math.sqrt(rawNorm) * Math.sqrt(12)) : 1; // 1 = perfectly flat
    // Bass: floor (median) removed, normalised.
    sorted.set(b.bass);
    sorted.sort();
    const bFloor = (sorted[5]! + sorted[6]!) / 2;
    let bSum = 0;
    for (let p = 0; p < 12; p++) bSum += bass[p] = Math.max(0, b.bass[p]! - bFloor);
    const hasBass = bSum > 0;
    if (hasBass) for (let p = 0; p < 12; p++) bass[p]! /= bSum;
    const key = keyAt(keys, (b.span.start + b.span.end) / 2);
    const kp = key ? keyPriorOf(key) : null;
    const inv = norm > 0 ? opts.kappa / norm : 0;
    // Bass term of a state: bassWeight · log(0.05 + max over its tones of weight · bass[tone]); the log
    // is monotonic, so the max is taken over precomputed logs (root weight 1, other tones bassOtherTone).
    for (let p = 0; p < 12; p++) {
      logBassRoot[p] = opts.bassWeight * Math.log(0.05 + bass[p]!);
      logBassOther[p] = opts.bassWeight * Math.log(0.05 + opts.bassOtherTone * bass[p]!);
    }
    let bassTermSum = 0;
    for (let s = 0; s < nStates; s++) {
      let dot = 0;
      let term = -Infinity;
      for (let i = s * 4, end = i + 4; i < end; i++) {
        const pc = tones[i]!;
        if (pc < 0) break;
        dot += x[pc]! * tw[i]!;
        const f = i === s * 4 ? logBassRoot[pc]! : logBassOther[pc]!;
        if (f > term) term = f;
      }
      let v = dot * inv + prior[s]!;
      if (hasBass) {
        bassTermSum += term;
        v += term;
      }
      if (kp) v += kp[s]!;
      e[s] = v;
    }
    let nScore = opts.kappa * (opts.noChordLevel + opts.noChordFlatBoost * Math.max(0, (flatness - 0.85) / 0.15));
    if (hasBass) nScore += bassTermSum / nStates;
    if (!(b.rms > silence) || !(norm > 0)) nScore += 1000;
    e[N_STATE] = nScore;
    return e;
  });
}

function stayProbabilities(beats: readonly BeatChroma[], beatsPerBar: number, opts: ChordOptions): Float64Array {
  const half = beatsPerBar >= 4 && beatsPerBar % 2 === 0 ? beatsPerBar / 2 : -1;
  return Float64Array.from(beats, (b) =>
    b.span.sub > 0 ? opts.stayOffbeat : b.span.beatInBar === 0 ? opts.stayDownbeat : b.span.beatInBar === half ? opts.stayHalfBar : opts.stayOther,
  );
}

/** Beats cut into `n` equal steps. */
export function subdivide(beats: readonly BeatSpan[], n: number): StepSpan[] {
  const k = Math.max(1, Math.round(n));
  const out: StepSpan[] = [];
  for (const b of beats) {
    const d = (b.end - b.start) / k;
    for (let i = 0; i < k; i++) out.push({ ...b, start: b.start + i * d, end: i + 1 === k ? b.end : b.start + (i + 1) * d, sub: i });
  }
  return out;
}

/** Bass pitch class per beat of a chord run, following the bass chroma over the chord's tones. */
function trackBass(beats: readonly BeatChroma[], root: number, quality: ChordQuality, opts: ChordOptions): number[] {
  const tones = QUALITY_INTERVALS[quality].map((iv) => (root + iv) % 12);
  const em = beats.map((b) => {
    const sum = b.bass.reduce((a, v) => a + v, 0);
    return Float64Array.from(tones, (pc) => (sum > 0 ? Math.log(0.05 + b.bass[pc]! / sum) : 0) + (pc === root ? opts.rootBassBias : 0));
  });
  // Stay probability such that log(stay / move) = bassChangePenalty.
  const k = tones.length - 1;
  const stay = 1 / (1 + k * Math.exp(-opts.bassChangePenalty));
  const path = viterbi(em, new Float64Array(beats.length).fill(stay));
  return path.map((i) => tones[i]!);
}

/** Full chord analysis with its intermediate measurements. */
export function analyseChords(features: FrontEndFeatures, rhythm: RhythmResult | null | undefined, keys: KeyResult | null | undefined, options: Partial<ChordOptions> = {}): ChordAnalysisDetail {
  const opts: ChordOptions = { ...DEFAULT_CHORD_OPTIONS, ...options, qualityPrior: { ...DEFAULT_CHORD_OPTIONS.qualityPrior, ...options.qualityPrior } };
  const grid = beatGrid(rhythm, features.durationSec);
  const compound = rhythm?.meter === '6/8' || rhythm?.meter === '12/8';
  const beats = beatChroma(features, subdivide(grid.beats, compound ? opts.compoundSubdivisions : opts.subdivisions), opts);
  if (beats.length === 0) return { result: { chords: [] }, beats, path: [], emissions: [] };
  const emissions = chordEmissions(beats, keys, opts);
  const stay = stayProbabilities(beats, grid.beatsPerBar, opts);
  const path = viterbi(emissions, stay);
  const post = pathPosteriors(emissions, stay, path);

  const chords: ChordSegment[] = [];
  const push = (seg: Omit<ChordSegment, 'label'>, key: Key | null) => {
    const label = harteLabel(seg.root, seg.quality, seg.bass, key ?? undefined);
    const last = chords[chords.length - 1];
    if (last && last.label === label) {
      const n1 = last.end - last.start;
      const n2 = seg.end - seg.start;
      last.confidence = (last.confidence * n1 + seg.confidence * n2) / (n1 + n2);
      last.end = seg.end;
    } else chords.push({ ...seg, label });
  };
  let t0 = 0;
  while (t0 < beats.length) {
    const state = path[t0]!;
    let t1 = t0;
    while (t1 + 1 < beats.length && path[t1 + 1] === state) t1++;
    const run = beats.slice(t0, t1 + 1);
    const confidenceOf = (a: number, b: number) => {
      let c = 0;
      for (let t = a; t <= b; t++) c += post[t]!;
      return Math.round((1000 * c) / (b - a + 1)) / 1000;
    };
    if (state === N_STATE) {
      push({ start: run[0]!.span.start, end: run[run.length - 1]!.span.end, root: null, quality: 'N', bass: null, confidence: confidenceOf(t0, t1) }, null);
    } else {
      const c = CHORD_STATES[state]!;
      const basses = trackBass(run, c.root, c.quality, opts);
      let a = 0;
      while (a < run.length) {
        let b = a;
        while (b + 1 < run.length && basses[b + 1] === basses[a]) b++;
        const start = run[a]!.span.start;
        const end = run[b]!.span.end;
        push({ start, end, root: c.root, quality: c.quality, bass: basses[a]!, confidence: confidenceOf(t0 + a, t0 + b) }, keyAt(keys, (start + end) / 2));
        a = b + 1;
      }
    }
    t0 = t1 + 1;
  }
  return { result: { chords }, beats, path, emissions };
}

/** Chord segments for a track. */
export function estimateChords(features: FrontEndFeatures, rhythm: RhythmResult | null | undefined, keys: KeyResult | null | undefined, options: Partial<ChordOptions> = {}): ChordResult {
  const keysJson = JSON.stringify(keys ?? null);
  const optionsJson = JSON.stringify(options);
  const last = lastEstimate.get(features);
  // The key analyser's chord pass and the chords analyser often ask the same question of one track.
  if (last && last.rhythm === rhythm && last.keys === keysJson && last.options === optionsJson) return last.result;
  const result = analyseChords(features, rhythm, keys, options).result;
  lastEstimate.set(features, { rhythm, keys: keysJson, options: optionsJson, result });
  return result;
}

/** The last estimate per feature set, so one track's identical chord pass is not run twice. */
const lastEstimate = new WeakMap<FrontEndFeatures, { rhythm: RhythmResult | null | undefined; keys: string; options: string; result: ChordResult }>();
