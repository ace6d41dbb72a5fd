// When a fact may be stated, hedged or must be left out of the written insight. Each kind of fact has
// its own thresholds because the analysers' confidences are calibrated differently (documented below).

/** A claim at or above `firm` is stated plainly; from `hedge` up to `firm` it is hedged; below `hedge` it is left out. */
export interface Thresholds {
  firm: number;
  hedge: number;
}

export type Certainty = 'firm' | 'hedged' | 'omit';

/**
 * The thresholds per kind of fact, chosen on the demo library and the awkward-input tests:
 * - tempo, meter: the rhythm analyser gives 0.65–0.8 on clean synthesised songs and < 0.3 on noise,
 *   a sine or silence; a correct 6/8 was measured at 0.39, so meter is hedged down to 0.35.
 * - key: the key analyser gives ≥ 0.75 when it is right on the demo songs; below 0.4 it is a guess.
 * - chords, devices: mean confidence of the evidence chords (the theory analyser's own measure);
 *   devices are stated only at 0.75, as a wrongly named device misleads more than a missing one.
 * - form: the form analyser's section confidence.
 * - loudness: a measurement (BS.1770), confidence 1 whenever it is defined.
 * - character: the descriptors' own confidences, which their formulas cap at 0.35–0.6 (the weights are
 *   not fitted to listener ratings), so mood is hedged below 0.55 and left out below 0.2.
 * - vocals: the vocal-presence confidence, which the heuristic caps at 0.4 (no trained model), so a
 *   voice or its absence is only ever hedged, and left out below 0.3.
 */
export const THRESHOLDS = {
  tempo: { firm: 0.6, hedge: 0.3 },
  meter: { firm: 0.6, hedge: 0.35 },
  key: { firm: 0.7, hedge: 0.4 },
  chords: { firm: 0.7, hedge: 0.45 },
  device: { firm: 0.75, hedge: 0.5 },
  form: { firm: 0.65, hedge: 0.4 },
  loudness: { firm: 0.9, hedge: 0.5 },
  character: { firm: 0.55, hedge: 0.2 },
  vocals: { firm: 0.7, hedge: 0.3 },
} as const satisfies Record<string, Thresholds>;

/** Firm, hedged or omitted, for a confidence (a non-finite confidence is omitted). */
export function certainty(confidence: number, t: Thresholds): Certainty {
  if (!Number.isFinite(confidence) || confidence < t.hedge) return 'omit';
  return confidence >= t.firm ? 'firm' : 'hedged';
}

/** Confidence clamped to 0..1 and rounded to 3 decimals (non-finite → 0), for the stored claim. */
export function tidyConfidence(c: number): number {
  return Number.isFinite(c) ? Math.round(Math.min(1, Math.max(0, c)) * 1000) / 1000 : 0;
}

/** The thresholds a claim of each topic was judged by (device kinds share `device`). */
export function thresholdsFor(topic: string): Thresholds {
  switch (topic) {
    case 'tempo':
    case 'meter':
    case 'key':
    case 'chords':
    case 'form':
    case 'loudness':
    case 'vocals':
      return THRESHOLDS[topic];
    case 'diatonic':
      return THRESHOLDS.chords;
    case 'chorus':
      return THRESHOLDS.form;
    case 'mood':
    case 'energy-peak':
      return THRESHOLDS.character;
    case 'content':
      return { firm: 0, hedge: 0 };
    default:
      return THRESHOLDS.device;
  }
}
