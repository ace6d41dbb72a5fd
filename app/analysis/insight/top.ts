// The top layer of the insight: character and mood, from the descriptors (energy, valence, arousal,
// acousticness, danceability), the energy curve and the vocal-presence estimate when measured.
import type { InsightClaim, SoundResult } from '../types.ts';
import { THRESHOLDS, certainty } from './confidence.ts';
import { makeClaim, type WriterContext } from './context.ts';
import { article, clock } from './phrasing.ts';

/** Energy in words (descriptor value 0..1). */
function energyWord(e: number): string {
  if (e >= 0.75) return 'high-energy';
  if (e >= 0.55) return 'lively';
  if (e >= 0.35) return 'measured';
  return 'low-key';
}

// Rule: mood from the valence–arousal plane (Russell's circumplex): each quadrant beyond 0.55 / below 0.45
// gets its words; the middle band reads as even-tempered.
const MOODS: Record<string, readonly string[]> = {
  'high-high': ['bright and upbeat', 'joyful and driving', 'sunny and energetic'],
  'high-low': ['warm and relaxed', 'easygoing and content', 'tender and hopeful'],
  'low-high': ['tense and driving', 'restless and dark', 'urgent and brooding'],
  'low-low': ['wistful and melancholy', 'sombre and introspective', 'dark and still'],
  middle: ['even-tempered', 'balanced, neither bright nor dark'],
};

function moodKey(valence: number, arousal: number): string {
  const v = valence >= 0.55 ? 'high' : valence < 0.45 ? 'low' : 'mid';
  const a = arousal >= 0.55 ? 'high' : arousal < 0.45 ? 'low' : 'mid';
  return v === 'mid' || a === 'mid' ? 'middle' : `${v}-${a}`;
}

/** Character and mood from the descriptors; without them, a hedged reading from mode and tempo only. */
export function characterClaim(ctx: WriterContext): InsightClaim[] {
  const d = ctx.a.descriptors;
  const whole = [{ start: 0, end: ctx.duration }];
  if (!d) return fallbackCharacter(ctx);
  const confidence = Math.min(d.valence.confidence, d.arousal.confidence, d.energy.confidence);
  const level = certainty(confidence, THRESHOLDS.character);
  if (level === 'omit') return [];
  const mood = ctx.pick('mood', MOODS[moodKey(d.valence.value, d.arousal.value)]!);
  const energy = energyWord(d.energy.value);
  const sound =
    certainty(d.acousticness.confidence, THRESHOLDS.character) === 'omit' ? '' : d.acousticness.value >= 0.65 ? ', acoustic-sounding' : d.acousticness.value <= 0.35 ? ', electronic-sounding' : '';
  const dance = d.danceability.value >= 0.65 && certainty(d.danceability.confidence, THRESHOLDS.character) !== 'omit' ? ' with a danceable groove' : '';
  const piece = `${article(energy)} ${energy}${sound} track${dance}`;
  const text =
    level === 'firm'
      ? ctx.pick('character', [`Overall it feels ${mood}: ${piece}.`, `The character is ${mood} — ${piece}.`, `In mood it comes across as ${mood}, ${piece}.`])
      : ctx.pick('character', [`It seems ${mood}, ${piece}, though mood is the least certain reading here.`, `The mood probably reads as ${mood}: ${piece}.`]);
  return [makeClaim(ctx, 'top', 'mood', text, confidence, whole)];
}

// Rule (used only without descriptors): major and fast (≥ 110 BPM) reads bright, major and slow (< 90) calm,
// minor and fast urgent, minor and slow wistful; its confidence is 0.6 × the weaker of key and tempo
// confidence, so it is always hedged, never stated as fact.
function fallbackCharacter(ctx: WriterContext): InsightClaim[] {
  const { key, rhythm } = ctx.a;
  const confidence = 0.6 * Math.min(key.confidence, rhythm.confidence / 0.8, 1);
  if (certainty(confidence, THRESHOLDS.character) === 'omit' || !(rhythm.bpm > 0)) return [];
  const pace = rhythm.bpm >= 110 ? 'fast' : rhythm.bpm < 90 ? 'slow' : 'moderate';
  const mood =
    key.global.mode === 'major' ? (pace === 'fast' ? 'bright and upbeat' : pace === 'slow' ? 'calm and warm' : 'easygoing') : pace === 'fast' ? 'urgent' : pace === 'slow' ? 'wistful' : 'pensive';
  const text = ctx.pick('character', [`Its ${key.global.mode} key and ${pace} pulse probably lean ${mood}, as far as harmony and tempo alone can tell.`, `From its ${key.global.mode} key and ${pace} tempo alone, it probably reads as ${mood}.`]);
  return [makeClaim(ctx, 'top', 'mood', text, confidence, [{ start: 0, end: ctx.duration }])];
}

/**
 * Where the energy peaks, when the peak stands out: the highest point of the energy curve at least 0.25
 * above its median. Confidence grows with that margin (0.25 → 0.7, 0.5 or more → 1).
 */
export function energyPeakClaim(ctx: WriterContext): InsightClaim[] {
  const curve = ctx.a.sound?.energy;
  if (!curve || !(curve.hop > 0)) return [];
  const values = curve.values.map((v) => (v !== null && Number.isFinite(v) ? v : null));
  const present = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (present.length < 8) return [];
  const median = present[Math.floor(present.length / 2)]!;
  let best = 0;
  values.forEach((v, i) => {
    if (v !== null && v > (values[best] ?? -1)) best = i;
  });
  const margin = (values[best] ?? 0) - median;
  if (margin < 0.25) return [];
  const confidence = Math.min(1, 0.7 + (margin - 0.25) * 1.2);
  const at = best * curve.hop;
  const text = ctx.pick('energy-peak', [`The energy peaks around ${clock(at)}.`, `It is at its most intense around ${clock(at)}.`, `The biggest moment comes around ${clock(at)}.`]);
  return [makeClaim(ctx, 'top', 'energy-peak', text, confidence, [{ start: at - curve.hop, end: at + curve.hop }])];
}

// Rule: a voice is judged present when the vocal presence is at least 0.3 (with a segment) and absent
// below 0.1, in both cases only at a confidence the insight would at least hedge; otherwise no verdict.
export function vocalsVerdict(v: SoundResult['vocals']): boolean | null {
  if (certainty(v.confidence, THRESHOLDS.vocals) === 'omit') return null;
  if (v.presence >= 0.3 && v.segments.some((s) => Number.isFinite(s.start) && s.end > s.start)) return true;
  return v.presence < 0.1 ? false : null;
}

/** Whether a voice is heard, and where it comes in, from the vocal-presence estimate. */
export function vocalsClaim(ctx: WriterContext): InsightClaim[] {
  const v = ctx.a.sound?.vocals;
  if (!v) return [];
  const level = certainty(v.confidence, THRESHOLDS.vocals);
  const verdict = vocalsVerdict(v);
  if (verdict === null) return [];
  const segs = v.segments.filter((s) => Number.isFinite(s.start) && s.end > s.start);
  if (verdict) {
    const first = clock(segs[0]!.start);
    const text =
      level === 'firm'
        ? ctx.pick('vocals', [`A voice comes in at ${first}.`, `Vocals enter at ${first}.`])
        : `There seems to be a voice from about ${first}, though the vocal estimate is uncertain.`;
    return [makeClaim(ctx, 'top', 'vocals', text, v.confidence, segs)];
  }
  const text = level === 'firm' ? ctx.pick('vocals', ['It is instrumental: no voice was detected.', 'No voice is heard; it is an instrumental.']) : 'It is probably instrumental.';
  return [makeClaim(ctx, 'top', 'vocals', text, v.confidence, [{ start: 0, end: ctx.duration }])];
}
