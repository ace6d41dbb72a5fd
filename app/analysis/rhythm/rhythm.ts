// The 'rhythm' analyser: tempo, beats, meter and downbeats from the front end's onset envelope, RMS and chroma.
//
// Two envelopes are used: the front end's spectral flux (every band counts alike, so it hears hi-hats and
// strums) and loudness attacks (half-wave-rectified RMS difference: kick, snare, bass and chord hits).
// 1. Tempo: the mean autocorrelation of both (high-passed), backed by its values at 2 and 4 periods, × a
//    log-normal prior around 100 BPM picks a beat period; 10 s windows give a local tempo, reported (and followed) when it drifts by > 3 %.
// 2. Beats: Ellis's dynamic programme at that period on spectral flux + 2 × loudness attacks + 2 × bass-note
//    onsets (bass chroma rise). Spectral flux alone lets quiet broadband off-beat hats (or off-beat piano
//    chords) outweigh the kick and bass that carry the beat.
// 3. Metrical level: faster when the attacks between beats are as loud as the beats (an even click track)
//    or clearly there with the faster tempo nearer the prior; slower when alternate beats have no attack.
//    The sub-beat pattern of the spectral flux says simple (pulses at 1/2) or compound (at 1/3 and 2/3).
// 4. Bars: beats per bar (2, 3, 4) and the downbeat phase are where treble and bass harmony change and
//    accents are strong; compound meters count dotted-quarter beats (6/8: 2 a bar, 12/8: 4).
// Audio without a periodic pulse (silence, noise, a steady tone) gets bpm 0, no beats and confidence < 0.1.
// 5. A long recording (≥ 8 min) in which the whole-file estimate finds no pulse (songs at many tempi in one
//    file) is analysed in 30-s windows and stitched (sections.ts).
import type { Analyser, FrontEndFeatures, Meter, RhythmResult } from '../types.ts';
import { audibleFrames, dpBeats, fitToAudible, localScore, refinePeak, trimWeakEnds } from './beats.ts';
import { chromaFlux, combineEnvelopes, conditionEnvelope, gaussianSmooth, loudnessFlux, peakNear } from './envelope.ts';
import { levelChange, levelRatios } from './level.ts';
import { barHypotheses, beatNovelty, pulsesGroupInTwos, subBeatProfile } from './meter.ts';
import type { BarHypothesis } from './meter.ts';
import { rhythmBySections } from './sections.ts';
import { MAX_BPM, MIN_BPM, estimatePeriod, localTempi, meanAutocorrelation } from './tempo.ts';
import type { LocalTempo } from './tempo.ts';

export const RHYTHM_VERSION = 4;

/**
 * Ellis's transition tightness α (Ellis 2007 eq. 3; librosa defaults to 100). Tighter keeps the DP from
 * slipping half a beat through a syncopated section (POP909 beat F 0.77 → 0.79; tempo ramps are followed
 * through the per-frame period, not through slack in the transitions).
 */
const TIGHTNESS = 400;
/** Weight of loudness attacks against spectral flux in the beat tracker's envelope (1.5 … 4 all work on the demo songs). */
const LOUDNESS_WEIGHT = 2;
/**
 * Weight of bass-note onsets (rise of the bass chroma) in the beat tracker's envelope: in piano and band
 * accompaniment the bass plays on the beat while chords and arpeggios fill the off-beats (POP909 beat F
 * 0.76 → 0.77 at tightness 100; 1 … 4 all help).
 */
const BASS_WEIGHT = 2;
/** Compound when the 1/3 and 2/3 pulses are this much stronger than the half-beat and the quarter points. */
const COMPOUND_RATIO = 1.5;
/** Tempo drift (fraction) above which a tempo curve is reported and followed. */
const DRIFT = 0.03;
/** Windows whose local autocorrelation peak is weaker than this say nothing about drift. */
const LOCAL_MIN_STRENGTH = 0.2;
/** Recordings at least this long whose whole-file estimate finds no pulse are analysed window by window. */
const SECTIONED_MIN_SECONDS = 8 * 60;
/** Below this confidence there is no pulse to report. */
const MIN_CONFIDENCE = 0.1;
/** Bars need this many beats before their length is guessed. */
const MIN_BEATS_FOR_METER = 6;

export type RhythmDeps = { frontend: FrontEndFeatures } & Record<string, unknown>;

/** A result for audio without a usable pulse: no beats, bpm 0. */
export function noRhythm(confidence = 0): RhythmResult {
  return { bpm: 0, confidence: round3(clamp01(confidence)), tempoCurve: [], beats: [], downbeats: [], meter: '4/4', beatsPerBar: 4, meterConfidence: 0 };
}

export class RhythmAnalyser implements Analyser<RhythmResult, RhythmDeps> {
  readonly name = 'rhythm';
  readonly version = RHYTHM_VERSION;
  readonly dependsOn: readonly string[] = ['frontend'];

  finish(deps: RhythmDeps): RhythmResult {
    return analyseRhythm(deps.frontend);
  }
}

/** A new rhythm analyser (name 'rhythm', depends on 'frontend'). */
export function createRhythm(): RhythmAnalyser {
  return new RhythmAnalyser();
}

/** Tempo, beats, meter and downbeats of one file's front-end features. */
export function analyseRhythm(fe: FrontEndFeatures): RhythmResult {
  const whole = analyseSong(fe);
  if (whole.bpm > 0 || !(fe.frameCount / fe.frameRate >= SECTIONED_MIN_SECONDS)) return whole;
  return rhythmBySections(fe, analyseSong) ?? whole;
}

/** Tempo, beats, meter and downbeats of features with one global tempo (a song), drifting at most a few per cent. */
function analyseSong(fe: FrontEndFeatures): RhythmResult {
  const fps = fe.frameRate;
  const n = Math.min(fe.frameCount, fe.onset.length, fe.rms.length);
  if (!(fps > 0) || n < 8) return noRhythm();
  const onset = sanitise(fe.onset, n);
  const attacks = loudnessFlux(sanitise(fe.rms, n));
  const accents = combineEnvelopes([onset, attacks], [1, LOUDNESS_WEIGHT]);
  // The beat tracker also hears new bass notes (on the beat in accompaniment, where chords may fill the off-beats).
  const beatAccents = combineEnvelopes([onset, attacks, chromaFlux(fe.chromaBass, n)], [1, LOUDNESS_WEIGHT, BASS_WEIGHT]);
  const audible = audibleFrames(sanitise(fe.rms, n));

  // 1. Tempo.
  const envs = [onset, attacks].map((x) => gaussianSmooth(conditionEnvelope(x, fps), 1));
  const est = estimatePeriod(envs, fps);
  if (!est || est.strength < MIN_CONFIDENCE) return noRhythm(est?.strength ?? 0);
  const local = localTempi(envs, fps, est.period).filter((l) => l.strength > LOCAL_MIN_STRENGTH);
  const drifting = isDrifting(local, est.period);
  const curve = drifting ? interpolatePeriods(local, fps) : null;

  // 2–3. Beats at the chosen metrical level (at most two changes, never back to a level already tried).
  let level = 1;
  const track = () => trackBeats(beatAccents, audible, est.period / level, curve ? (f) => curve(f) / level : null);
  let frames = track();
  const tried = new Set([1]);
  for (let step = 0; step < 2; step++) {
    const change = levelChange(levelRatios(attacks, frames), (60 * fps * level) / est.period, MIN_BPM, MAX_BPM);
    if (change === 1 || tried.has(level * change)) break;
    level *= change;
    tried.add(level);
    frames = track();
  }
  // A beat of three pulses whose pulses group in twos (by the beat or by the bar) is two beats of a simple
  // meter at 3/2 the tempo: track those instead (see pulsesGroupInTwos).
  const rMax = Math.min(n - 1, Math.ceil(4 * (est.period / level)) + 2);
  let r = meanAutocorrelation(envs, rMax);
  let sub = subBeatProfile(onset, frames);
  const looksCompound = (s: typeof sub) => s.thirds > COMPOUND_RATIO * s.half && s.thirds > COMPOUND_RATIO * s.quarters;
  if (looksCompound(sub) && (60 * fps * level * 1.5) / est.period <= MAX_BPM && pulsesGroupInTwos(r, est.period / level)) {
    level *= 1.5;
    frames = track();
    sub = subBeatProfile(onset, frames);
  }
  const period = est.period / level;
  // How strongly onsets repeat on the beat grid: the envelopes' autocorrelation at 1–4 beat periods (the
  // best of them, as accents may repeat by the bar rather than by the beat), discounted for a handful of beats.
  r = meanAutocorrelation(envs, Math.min(n - 1, Math.ceil(4 * period) + 2));
  const gridPeriodicity = Math.max(...[1, 2, 3, 4].map((k) => peakNear(r, k * period)));
  const confidence = clamp01(gridPeriodicity) * clamp01(frames.length / 8);
  if (confidence < MIN_CONFIDENCE || frames.length < 2) return noRhythm(confidence);
  const beats = frames.map((f) => Math.max(0, f / fps));

  // 4. Meter and downbeats.
  const compound = looksCompound(sub);
  const novelty = beatNovelty(
    frames.map((f) => Math.round(f)),
    accents,
    fe.chromaTreble,
    fe.chromaBass,
  );
  const hyps = beats.length >= MIN_BEATS_FOR_METER ? barHypotheses(novelty.combined, compound ? [2, 4] : [2, 3, 4]) : [];
  const best: BarHypothesis = hyps[0] ?? { beatsPerBar: compound ? 2 : 4, phase: 0, score: 0 };
  const rival = hyps.find((h) => h.beatsPerBar !== best.beatsPerBar);
  const meter: Meter = compound ? (best.beatsPerBar === 4 ? '12/8' : '6/8') : best.beatsPerBar === 2 ? '2/4' : best.beatsPerBar === 3 ? '3/4' : '4/4';
  const downbeats = hyps.length > 0 ? beats.filter((_, i) => i >= best.phase && (i - best.phase) % best.beatsPerBar === 0) : [];
  // How far the best bar hypothesis beats the best one of another length (1 when the rival is no better
  // than half as good), times how far its downbeats stand out (in standard deviations), times the beat confidence.
  const separation = rival && best.score > 0 ? clamp01((2 * (best.score - rival.score)) / best.score) : 0;
  const meterConfidence = clamp01(Math.tanh(best.score / 2) * separation) * confidence;

  return {
    bpm: round2(tempoFromIntervals(beats) || (60 * fps) / period),
    confidence: round3(confidence),
    tempoCurve: drifting ? local.map((l) => ({ time: round3(l.time), bpm: round2(((60 * fps) / l.period) * level) })) : [],
    beats: beats.map(round3),
    downbeats: downbeats.map(round3),
    meter,
    beatsPerBar: best.beatsPerBar,
    meterConfidence: round3(meterConfidence),
  };
}

/** DP beats at `period` (or a per-frame period), refined to sub-frame positions, fitted to the audible part. */
function trackBeats(accents: Float32Array, audible: Uint8Array, period: number, periodAt: ((f: number) => number) | null): number[] {
  const score = localScore(accents, period);
  const beats = dpBeats(score, periodAt ?? (() => period), TIGHTNESS).map((f) => refinePeak(score, f));
  return fitToAudible(trimWeakEnds(score, beats), audible);
}

/** Non-negative finite copy of the first n values. */
function sanitise(x: Float32Array, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    out[i] = Number.isFinite(v) && v > 0 ? v : 0;
  }
  return out;
}

/** True when two windows (or the only one) deviate more than DRIFT from the global period. */
function isDrifting(local: readonly LocalTempo[], period: number): boolean {
  const off = local.filter((l) => Math.abs(l.period / period - 1) > DRIFT).length;
  return off > 0 && off >= Math.min(2, local.length);
}

/** BPM from the mean of the inter-beat intervals within ±15 % of their median (robust to a skipped beat); 0 without beats. */
export function tempoFromIntervals(beats: readonly number[]): number {
  const ibis = beats.slice(1).map((t, i) => t - beats[i]!);
  if (ibis.length === 0) return 0;
  const med = [...ibis].sort((a, b) => a - b)[Math.floor(ibis.length / 2)]!;
  const good = ibis.filter((d) => Math.abs(d / med - 1) <= 0.15);
  const mean = good.reduce((a, b) => a + b, 0) / Math.max(1, good.length);
  return mean > 0 ? 60 / mean : 0;
}

/** Piecewise-linear period (frames) through the local estimates, held constant beyond the first and last. */
function interpolatePeriods(local: readonly LocalTempo[], fps: number): (f: number) => number {
  const pts = local.map((l) => ({ f: l.time * fps, p: l.period }));
  return (f: number) => {
    if (f <= pts[0]!.f) return pts[0]!.p;
    for (let i = 1; i < pts.length; i++) {
      const a = pts[i - 1]!;
      const b = pts[i]!;
      if (f <= b.f) return a.p + ((b.p - a.p) * (f - a.f)) / (b.f - a.f);
    }
    return pts[pts.length - 1]!.p;
  };
}

const clamp01 = (x: number) => (Number.isFinite(x) ? Math.max(0, Math.min(1, x)) : 0);
const round2 = (x: number) => Math.round(x * 100) / 100;
const round3 = (x: number) => Math.round(x * 1000) / 1000;
