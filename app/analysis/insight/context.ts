// What the insight writers share: the analysis they read, the phrasing picker, and a claim builder
// that keeps every claim's evidence inside the track and its confidence in 0..1.
import type { DescriptorResult, FormResult, InsightClaim, InsightLayer, LoudnessResult, SoundResult, TrackAnalysis } from '../types.ts';
import { tidyConfidence } from './confidence.ts';
import type { Picker } from './phrasing.ts';

/**
 * What the insight is written from: the engine-I results always; loudness, sound, form and the
 * descriptors when they were measured (a claim that needs one is simply not made without it).
 */
export type InsightInput = Pick<TrackAnalysis, 'durationSec' | 'rhythm' | 'key' | 'chords' | 'theory'> & {
  loudness?: LoudnessResult | null;
  sound?: SoundResult | null;
  form?: FormResult | null;
  descriptors?: DescriptorResult | null;
};

export interface WriterContext {
  a: InsightInput;
  pick: Picker;
  /** The track's duration (s), never negative or NaN. */
  duration: number;
}

export type Span = { start: number; end: number };

/** A claim whose evidence spans are clamped into [0, duration] (empty ones dropped) and confidence tidied. */
export function makeClaim(ctx: WriterContext, layer: InsightLayer, topic: string, text: string, confidence: number, evidence: readonly Span[]): InsightClaim {
  const d = ctx.duration;
  const clamp = (x: number) => Math.min(d, Math.max(0, Math.round((Number.isFinite(x) ? x : 0) * 1000) / 1000));
  const spans = evidence.map((s) => ({ start: clamp(s.start), end: clamp(s.end) })).filter((s) => s.end >= s.start);
  return { layer, topic, text, confidence: tidyConfidence(confidence), evidence: spans.length > 0 ? spans : [{ start: 0, end: d }] };
}

/** Mean of `values` weighted by `weights` (0 when the weights sum to 0). */
export function weightedMean(values: readonly number[], weights: readonly number[]): number {
  let s = 0;
  let w = 0;
  values.forEach((v, i) => {
    const wi = weights[i] ?? 0;
    if (Number.isFinite(v) && wi > 0) {
      s += v * wi;
      w += wi;
    }
  });
  return w > 0 ? s / w : 0;
}
