// The surface layer of the insight (Music Flamingo's first caption layer): tempo, meter, key with its
// Camelot code, and loudness. Each writer returns at most one claim, or none when it is too unsure.
import { camelot } from '../key/names.ts';
import { tempoSpan } from '../rhythm/span.ts';
import { keyName } from '../theory/pitch.ts';
import type { InsightClaim, Meter } from '../types.ts';
import { THRESHOLDS, certainty } from './confidence.ts';
import { makeClaim, type Span, type WriterContext } from './context.ts';
import { article, clock, signed } from './phrasing.ts';

const finite = (xs: readonly number[]) => xs.filter(Number.isFinite);

/** The tempo, with its drift when the tempo curve spans 3 BPM or more (or its range when it changes outright). */
export function tempoClaim(ctx: WriterContext): InsightClaim[] {
  const r = ctx.a.rhythm;
  const level = certainty(r.confidence, THRESHOLDS.tempo);
  if (level === 'omit' || !(r.bpm > 0) || !Number.isFinite(r.bpm)) return [];
  const bpm = Math.round(r.bpm);
  const { lo, hi, kind } = tempoSpan(r);
  const drift = kind === 'changes' ? ` (the median; the tempo changes between ${lo} and ${hi} BPM)` : kind === 'drifts' ? `, drifting between ${lo} and ${hi} BPM` : '';
  const cls = ctx.a.descriptors?.tempoClass;
  const pace = cls ? `${article(cls)} ${cls} ` : '';
  const text =
    level === 'firm'
      ? ctx.pick('tempo', [`It moves at ${pace}${bpm} BPM${drift}.`, `The tempo is ${pace}${bpm} BPM${drift}.`, `The beat runs at ${pace}${bpm} BPM${drift}.`, `The pulse sits at ${pace}${bpm} BPM${drift}.`])
      : ctx.pick('tempo', [
          `The tempo is probably about ${bpm} BPM${drift}, though the beat is not clear-cut.`,
          `The beat seems to sit near ${bpm} BPM${drift}.`,
          `It probably moves at around ${bpm} BPM${drift}.`,
        ]);
  const beats = finite(r.beats);
  const evidence: Span[] = beats.length >= 2 ? [{ start: beats[0]!, end: beats[beats.length - 1]! }] : [];
  return [makeClaim(ctx, 'surface', 'tempo', text, r.confidence, evidence)];
}

const METER_WORDS: Record<Meter, string> = {
  '4/4': 'four beats to the bar',
  '3/4': 'three beats to the bar, in waltz time',
  '2/4': 'two beats to the bar',
  '6/8': 'two lilting beats to the bar, each of three eighth notes',
  '12/8': 'four beats to the bar, each of three eighth notes',
};

/** The meter, from the downbeats. */
export function meterClaim(ctx: WriterContext): InsightClaim[] {
  const r = ctx.a.rhythm;
  const level = certainty(r.meterConfidence, THRESHOLDS.meter);
  const words = METER_WORDS[r.meter];
  if (level === 'omit' || !words || r.beats.length < 2) return [];
  const m = r.meter;
  const text =
    level === 'firm'
      ? ctx.pick('meter', [`It counts in ${m}, ${words}.`, `The bars are in ${m}: ${words}.`, `The meter is ${m}, ${words}.`])
      : ctx.pick('meter', [`The meter is probably ${m} (${words}).`, `It seems to count in ${m}, though the downbeats are less certain.`]);
  const marks = finite(r.downbeats.length >= 2 ? r.downbeats : r.beats);
  return [makeClaim(ctx, 'surface', 'meter', text, r.meterConfidence, [{ start: marks[0]!, end: marks[marks.length - 1]! }])];
}

/** The home key with its Camelot code; evidence: the stretches in that key. */
export function keyClaim(ctx: WriterContext): InsightClaim[] {
  const k = ctx.a.key;
  const level = certainty(k.confidence, THRESHOLDS.key);
  if (level === 'omit') return [];
  const name = keyName(k.global);
  const cam = camelot(k.global);
  const text =
    level === 'firm'
      ? ctx.pick('key', [`The key is ${name} (Camelot ${cam}).`, `It is in ${name}, ${cam} on the Camelot wheel.`, `Home is ${name} (${cam}).`, `It sits in ${name} (${cam}).`])
      : ctx.pick('key', [`It seems to be in ${name} (${cam}), though the key is not firmly established.`, `The key is probably ${name} (${cam}).`]);
  const same = k.segments.filter((s) => s.key.tonic === k.global.tonic && s.key.mode === k.global.mode);
  return [makeClaim(ctx, 'surface', 'key', text, k.confidence, same.map((s) => ({ start: s.start, end: s.end })))];
}

/**
 * How a master's integrated loudness reads (thresholds in LUFS; streaming services play back at −14 to
 * −16); a quiet one is called dynamic only with a loudness range of 8 LU or more.
 */
function loudnessCharacter(lufs: number, lra: number | null): string {
  if (lufs >= -10) return 'loud, modern-sounding master';
  if (lufs >= -14) return 'fairly loud master';
  if (lufs >= -20) return 'restrained master';
  return lra !== null && lra >= 8 ? 'quiet, dynamic recording' : 'quiet recording';
}

/** Integrated loudness, true peak and loudness range (BS.1770 / EBU R128), with the loudest moment. */
export function loudnessClaim(ctx: WriterContext): InsightClaim[] {
  const l = ctx.a.loudness;
  if (!l || l.integratedLufs === null || !Number.isFinite(l.integratedLufs)) return [];
  // A BS.1770 measurement is exact; only a very short programme (no loudness range) is less sure.
  const confidence = l.loudnessRangeLu === null ? 0.8 : 1;
  const level = certainty(confidence, THRESHOLDS.loudness);
  const lufs = signed(l.integratedLufs);
  const ch = loudnessCharacter(l.integratedLufs, l.loudnessRangeLu);
  const peak = l.truePeakDbtp !== null && Number.isFinite(l.truePeakDbtp) ? `, peaking at ${signed(l.truePeakDbtp)} dBTP` : '';
  const range = l.loudnessRangeLu !== null && Number.isFinite(l.loudnessRangeLu) ? ` with ${l.loudnessRangeLu.toFixed(1)} LU of loudness range` : '';
  // The loudest 3 s window of the short-term curve, told when it stands 2 LU or more above the median.
  const st = l.shortTerm.values.map((v) => (v !== null && Number.isFinite(v) ? v : null));
  const present = st.filter((v): v is number => v !== null).sort((x, y) => x - y);
  let best = -1;
  st.forEach((v, i) => {
    if (v !== null && (best < 0 || v > st[best]!)) best = i;
  });
  const stands = best >= 0 && present.length > 0 && st[best]! - present[Math.floor(present.length / 2)]! >= 2;
  const at = stands && l.shortTerm.hop > 0 ? best * l.shortTerm.hop : null;
  const loudest = at !== null ? `, loudest around ${clock(at)}` : '';
  const text =
    level === 'firm'
      ? ctx.pick('loudness', [
          `It is ${article(ch)} ${ch} at ${lufs} LUFS integrated${peak}${range}${loudest}.`,
          `Loudness measures ${lufs} LUFS${peak}${range} — ${article(ch)} ${ch}${loudest}.`,
          `The master sits at ${lufs} LUFS integrated${peak}${range}${loudest}: ${article(ch)} ${ch}.`,
        ])
      : `Loudness measures about ${lufs} LUFS${peak}, though the track is too short for a loudness range.`;
  const evidence: Span[] = at !== null ? [{ start: at - 1.5, end: at + 1.5 }] : [];
  return [makeClaim(ctx, 'surface', 'loudness', text, confidence, evidence)];
}
