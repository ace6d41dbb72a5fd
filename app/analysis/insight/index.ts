// The written insight (issue 4, item 5): a structured record of claims, each with its evidence and
// confidence, and a readable description in Music Flamingo's layered caption order — surface (tempo,
// meter, key, loudness), middle (chords, harmonic devices, form), top (character and mood).
// Deterministic: phrasings are chosen with a hash of the track's facts, never at random.
import { keyName } from '../theory/pitch.ts';
import type { Insight, InsightClaim, InsightLayer } from '../types.ts';
import { THRESHOLDS, certainty } from './confidence.ts';
import { makeClaim, type InsightInput, type WriterContext } from './context.ts';
import { chordsClaim, deviceClaims, diatonicClaim, findLoop, formClaims, numeralSteps } from './middle.ts';
import { clock, picker } from './phrasing.ts';
import { keyClaim, loudnessClaim, meterClaim, tempoClaim } from './surface.ts';
import { characterClaim, energyPeakClaim, vocalsClaim } from './top.ts';

export type { InsightInput } from './context.ts';
export { THRESHOLDS } from './confidence.ts';

/** Bumped whenever the same analysis can read differently; stored with the insight, so a change re-queues tracks. */
export const INSIGHT_VERSION = 2;

/** Below this many seconds a recording is too short to describe. */
export const MIN_DESCRIBABLE_SEC = 5;
/** Below this share of the duration covered by recognised chords, and without a steady beat, there is no music to describe. */
export const MIN_CHORD_COVERAGE = 0.1;

/** The facts that choose the phrasing: two tracks with the same facts read the same. */
export function insightSeed(a: InsightInput): string {
  const chords = a.chords.chords.map((c) => c.label).join(',');
  return [Math.round(a.rhythm.bpm), keyName(a.key.global), a.rhythm.meter, Math.round(a.durationSec), a.loudness?.integratedLufs?.toFixed(1) ?? '', chords].join('|');
}

/** Why there is nothing to describe, or null when there is. */
export function notEnoughContent(a: InsightInput): string | null {
  const d = Number.isFinite(a.durationSec) ? a.durationSec : 0;
  if (a.loudness && a.loudness.integratedLufs === null) return 'it is silent (below the −70 LUFS gate of BS.1770)';
  if (d < MIN_DESCRIBABLE_SEC) return `at ${clock(d)} it is too short to describe`;
  const sounding = a.chords.chords.filter((c) => c.quality !== 'N');
  const covered = sounding.reduce((s, c) => s + Math.max(0, c.end - c.start), 0);
  const noBeat = certainty(a.rhythm.confidence, THRESHOLDS.tempo) === 'omit';
  if (noBeat && covered / d < MIN_CHORD_COVERAGE) return 'no steady beat and no chords were found';
  if (noBeat && new Set(sounding.map((c) => c.label)).size < 2) return 'no steady beat and no change of harmony were found (a drone or a single tone)';
  return null;
}

const LAYERS: InsightLayer[] = ['surface', 'middle', 'top'];

/** The written insight of one analysed track. */
export function writeInsight(a: InsightInput): Insight {
  const duration = Number.isFinite(a.durationSec) && a.durationSec > 0 ? a.durationSec : 0;
  const ctx: WriterContext = { a, pick: picker(insightSeed(a)), duration };
  const nothing = (reason: string): Insight => {
    const text = `There is not enough musical content here to describe: ${reason}.`;
    return { claims: [makeClaim(ctx, 'surface', 'content', text, 1, [{ start: 0, end: duration }])], paragraphs: [text] };
  };
  const reason = notEnoughContent(a);
  if (reason) return nothing(reason);

  const steps = numeralSteps(ctx);
  const loop = findLoop(steps);
  const harmony = [...chordsClaim(ctx, loop, steps), ...deviceClaims(ctx, loop)];
  const claims: InsightClaim[] = [
    ...tempoClaim(ctx),
    ...meterClaim(ctx),
    ...keyClaim(ctx),
    ...loudnessClaim(ctx),
    ...harmony,
    ...diatonicClaim(ctx, steps, harmony),
    ...formClaims(ctx),
    ...characterClaim(ctx),
    ...energyPeakClaim(ctx),
    ...vocalsClaim(ctx),
  ];
  if (claims.length === 0) return nothing('nothing was measured with enough confidence to state');
  const paragraphs = LAYERS.map((layer) => claims.filter((c) => c.layer === layer).map((c) => c.text).join(' ')).filter((p) => p.length > 0);
  return { claims, paragraphs };
}
