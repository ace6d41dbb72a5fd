// The loudness analyser: ITU-R BS.1770-4 / EBU R 128 loudness of the file's own channels at its own
// rate (through the decode pass's source tap), with true peak, loudness range (EBU Tech 3342), the
// short-term curve, ReplayGain 2.0, PLR and stereo width. See meter.ts (streaming), gating.ts (maths).
import type { Analyser, Curve, LoudnessResult } from '../types.ts';
import { gatedLoudness, loudnessOf, loudnessRange, slidingMeans, ABSOLUTE_GATE_LUFS } from './gating.ts';
import { LoudnessMeter, type MeterTotals } from './meter.ts';

export const LOUDNESS_VERSION = 1;
/** ReplayGain 2.0 reference level, LUFS (ReplayGain 2.0 specification: −18 LUFS per BS.1770). */
export const REPLAYGAIN_REFERENCE_LUFS = -18;
/** Momentary (400 ms) and short-term (3 s) windows, in 100 ms sub-blocks (EBU Tech 3341). */
const MOMENTARY_SUB_BLOCKS = 4;
const SHORT_TERM_SUB_BLOCKS = 30;
/** Hop of the short-term curve, seconds. */
export const SHORT_TERM_CURVE_HOP = 1;

/** A fresh loudness analyser (it keeps per-track state): name 'loudness', no dependencies. */
export function createLoudnessAnalyser(): Analyser<LoudnessResult> {
  const meter = new LoudnessMeter();
  return {
    name: 'loudness',
    version: LOUDNESS_VERSION,
    dependsOn: [],
    processSource: (channels, length, sampleRate) => meter.process(channels, length, sampleRate),
    finish: () => loudnessResult(meter.totals()),
  };
}

const round = (v: number, places: number): number => Math.round(v * 10 ** places) / 10 ** places;
/** dB of a linear magnitude, null for 0 (digital silence). */
const dbOrNull = (linear: number): number | null => (linear > 0 ? round(20 * Math.log10(linear), 2) : null);
/** LUFS of an energy, null for 0 (−∞). */
const lufsOrNull = (energy: number): number | null => (energy > 0 ? round(loudnessOf(energy), 2) : null);
const max = (xs: Float64Array): number => xs.reduce((m, v) => (v > m ? v : m), 0);

/**
 * Energies of the sliding windows of `width` sub-blocks; audio shorter than one window is one window
 * of all of it (so a 2 s clip still has a short-term and an integrated loudness). Under 100 ms: none.
 */
function windows(subBlocks: Float64Array, width: number): Float64Array {
  return slidingMeans(subBlocks, Math.min(width, subBlocks.length));
}

/** Everything in LoudnessResult from the meter's totals. */
export function loudnessResult(t: MeterTotals): LoudnessResult {
  if (t.frames === 0) throw new Error('no source audio reached the loudness analyser (connect the stream to runPipeline with tapSource)');
  const momentary = windows(t.subBlocks, MOMENTARY_SUB_BLOCKS);
  const shortTerm = windows(t.subBlocks, SHORT_TERM_SUB_BLOCKS);
  const integrated = gatedLoudness(momentary);
  const lra = loudnessRange(shortTerm);
  const integratedLufs = integrated.lufs === null ? null : round(integrated.lufs, 2);
  const truePeakDbtp = dbOrNull(t.truePeak);
  return {
    integratedLufs,
    loudnessRangeLu: lra === null ? null : round(lra, 2),
    shortTermMaxLufs: lufsOrNull(max(shortTerm)),
    momentaryMaxLufs: lufsOrNull(max(momentary)),
    shortTerm: shortTermCurve(t.subBlocks, t.subBlockSec, SHORT_TERM_CURVE_HOP),
    truePeakDbtp,
    samplePeakDbfs: dbOrNull(t.samplePeak),
    plrDb: truePeakDbtp === null || integratedLufs === null ? null : round(truePeakDbtp - integratedLufs, 2),
    replayGainDb: integratedLufs === null ? null : round(REPLAYGAIN_REFERENCE_LUFS - integratedLufs, 2),
    replayGainPeak: t.truePeak > 0 ? round(t.truePeak, 6) : null,
    stereoWidth: t.channels < 2 || integrated.relativeGateLufs === null ? null : stereoWidth(t, integrated.relativeGateLufs),
    channels: t.channels,
    sampleRate: t.sampleRate,
  };
}

/**
 * Short-term loudness (3 s window) every `hop` seconds from 0, each window centred on its time and
 * cut to the audio at the ends; null where the window is below the absolute gate (−70 LUFS) or empty.
 */
export function shortTermCurve(subBlocks: Float64Array, subBlockSec: number, hop: number): Curve {
  const n = subBlocks.length;
  const values: (number | null)[] = [];
  const half = SHORT_TERM_SUB_BLOCKS / 2;
  for (let t = 0; n > 0 && t <= n * subBlockSec + 1e-9; t += hop) {
    const centre = t / subBlockSec;
    const from = Math.max(0, Math.round(centre - half));
    const to = Math.min(n, Math.round(centre + half));
    let sum = 0;
    for (let i = from; i < to; i++) sum += subBlocks[i]!;
    const lufs = to > from && sum > 0 ? loudnessOf(sum / (to - from)) : -Infinity;
    values.push(lufs > ABSOLUTE_GATE_LUFS ? round(lufs, 2) : null);
  }
  return { hop, values };
}

/**
 * Side energy / (mid + side energy) of the first two channels (mid (L+R)/2, side (L−R)/2), over the
 * 100 ms sub-blocks above the integrated loudness's relative gate: 0 for mono content, 0.5 for
 * unrelated channels, 1 for channels in antiphase. Null when nothing passes.
 */
export function stereoWidth(t: MeterTotals, relativeGateLufs: number): number | null {
  const gate = Math.max(relativeGateLufs, ABSOLUTE_GATE_LUFS);
  let mid = 0;
  let side = 0;
  for (let i = 0; i < t.subBlocks.length; i++) {
    if (loudnessOf(t.subBlocks[i]!) <= gate) continue;
    mid += t.mid[i]!;
    side += t.side[i]!;
  }
  return mid + side > 0 ? round(side / (mid + side), 3) : null;
}
