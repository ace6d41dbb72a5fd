// The harmonic context the rules work on: beat and bar lengths (from rhythm, else defaults), the
// effective key segments (passing keys shorter than a modulation folded into their neighbours) and the
// harmony stream — the chords with repeats merged and chords shorter than a beat left out, each with
// its local key. Also phrase ends and the confidence of a piece of evidence.
import type { ChordResult, ChordSegment, HarmonicDevice, DeviceKind, Key, KeyResult, RhythmResult } from '../types.ts';
import { sameKey, sounding } from './pitch.ts';
import type { SoundingChord } from './pitch.ts';
import { isDiatonic } from './roman.ts';

/** Beat assumed without rhythm: a chord shorter than this never counts as evidence on its own. */
export const DEFAULT_BEAT_SEC = 0.25;
/** Without rhythm a new key must last this long to be a modulation. */
export const MODULATION_MIN_SEC = 8;
/** With rhythm a new key must last this many bars ("about four") to be a modulation. */
export const MODULATION_MIN_BARS = 3.5;
/** Without rhythm the bar is estimated as the median chord length, clamped to this range (s). */
export const ESTIMATED_BAR_RANGE: readonly [number, number] = [1.5, 4];

/** Beat and bar length at a time. */
export interface Timing {
  hasRhythm: boolean;
  beatAt(t: number): number;
  barAt(t: number): number;
}

/** One key region after passing keys were folded in; `passing` are the folded-in tonicisations. */
export interface EffectiveSegment {
  start: number;
  end: number;
  key: Key;
  confidence: number;
  passing: { start: number; end: number; key: Key }[];
}

/** One element of the harmony stream: a run of identical chords (≥ one beat) in one local key. */
export interface HarmonyEvent {
  /** Position in the stream. */
  pos: number;
  /** Indices into ChordResult.chords of the chords merged into this event. */
  chordIndices: number[];
  start: number;
  end: number;
  /** null for no chord ('N'). */
  chord: SoundingChord | null;
  /** Duration-weighted mean of the merged chords' confidences. */
  confidence: number;
  /** The local key (of its effective segment). */
  key: Key;
  /** Index of its effective segment. */
  segment: number;
  /** A passing key (tonicisation shorter than a modulation) the event lies in, if any. */
  passingKey: Key | null;
}

export interface TheoryContext {
  chords: ChordSegment[];
  timing: Timing;
  segments: EffectiveSegment[];
  events: HarmonyEvent[];
}

/** Median of a non-empty list. */
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Beat length at `t` from the rhythm's beat grid (else its BPM, else DEFAULT_BEAT_SEC). */
export function beatLengthAt(rhythm: RhythmResult | undefined, t: number): number {
  if (!rhythm) return DEFAULT_BEAT_SEC;
  const b = rhythm.beats;
  if (b.length >= 2) {
    let lo = 0;
    let hi = b.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (b[mid]! <= t) lo = mid;
      else hi = mid - 1;
    }
    const d = b[lo + 1]! - b[lo]!;
    if (d > 0) return d;
  }
  return rhythm.bpm > 0 ? 60 / rhythm.bpm : DEFAULT_BEAT_SEC;
}

/** Timing from the rhythm; without it the bar is estimated from chord lengths (`typicalChordSec`). */
export function makeTiming(rhythm: RhythmResult | undefined, typicalChordSec: number): Timing {
  const beatsPerBar = rhythm && rhythm.beatsPerBar > 0 ? rhythm.beatsPerBar : 4;
  const estimatedBar = Math.min(ESTIMATED_BAR_RANGE[1], Math.max(ESTIMATED_BAR_RANGE[0], typicalChordSec));
  return {
    hasRhythm: rhythm !== undefined,
    beatAt: (t) => beatLengthAt(rhythm, t),
    barAt: (t) => (rhythm ? beatLengthAt(rhythm, t) * beatsPerBar : estimatedBar),
  };
}

/** Shortest time a key must hold at `t` to count as a modulation (≈ 4 bars, or 8 s without rhythm). */
export function modulationMinDuration(timing: Timing, t: number): number {
  return timing.hasRhythm ? MODULATION_MIN_BARS * timing.barAt(t) : MODULATION_MIN_SEC;
}

/**
 * Key segments with passing keys folded in. Rule: a key region shorter than a modulation is a
 * tonicisation — it joins its neighbours (both, when they are in the same key; else the one before).
 */
export function effectiveSegments(key: KeyResult, timing: Timing, span: { start: number; end: number }): EffectiveSegment[] {
  let segs: EffectiveSegment[] = [...key.segments]
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start)
    .map((s) => ({ start: s.start, end: s.end, key: s.key, confidence: s.confidence, passing: [] }));
  if (segs.length === 0) return [{ start: span.start, end: span.end, key: key.global, confidence: key.confidence, passing: [] }];
  for (;;) {
    let shortest = -1;
    for (let i = 0; i < segs.length && segs.length > 1; i++) {
      const s = segs[i]!;
      const d = s.end - s.start;
      if (d < modulationMinDuration(timing, s.start) && (shortest < 0 || d < segs[shortest]!.end - segs[shortest]!.start)) shortest = i;
    }
    if (shortest < 0) break;
    const s = segs[shortest]!;
    const prev = segs[shortest - 1];
    const next = segs[shortest + 1];
    const folded = [...s.passing, ...(sameKey(s.key, (prev ?? next)!.key) ? [] : [{ start: s.start, end: s.end, key: s.key }])];
    if (prev && next && sameKey(prev.key, next.key)) {
      const merged: EffectiveSegment = {
        start: prev.start,
        end: next.end,
        key: prev.key,
        confidence: Math.max(prev.confidence, next.confidence),
        passing: [...prev.passing, ...folded, ...next.passing],
      };
      segs = [...segs.slice(0, shortest - 1), merged, ...segs.slice(shortest + 2)];
    } else if (prev) {
      segs = [...segs.slice(0, shortest - 1), { ...prev, end: s.end, passing: [...prev.passing, ...folded] }, ...segs.slice(shortest + 1)];
    } else {
      segs = [{ ...next!, start: s.start, passing: [...folded, ...next!.passing] }, ...segs.slice(2)];
    }
  }
  // The first and last regions reach the ends of the music.
  segs[0] = { ...segs[0]!, start: Math.min(segs[0]!.start, span.start) };
  segs[segs.length - 1] = { ...segs[segs.length - 1]!, end: Math.max(segs[segs.length - 1]!.end, span.end) };
  return segs;
}

/** Index of the effective segment holding time `t` (the nearest one outside all). */
export function segmentIndexAt(segs: EffectiveSegment[], t: number): number {
  let best = 0;
  let bestDist = Infinity;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    if (t >= s.start && t < s.end) return i;
    const d = t < s.start ? s.start - t : t - s.end;
    if (d < bestDist) {
      bestDist = d;
      best = i;
    }
  }
  return best;
}

/** The passing key (if any) of segment `seg` holding time `t`; a passing key on the same tonic (the parallel mode) is not a tonicisation. */
function passingKeyAt(seg: EffectiveSegment, t: number): Key | null {
  const p = seg.passing.find((x) => t >= x.start && t < x.end);
  return p && p.key.tonic !== seg.key.tonic ? p.key : null;
}

function sameChord(a: SoundingChord | null, b: SoundingChord | null): boolean {
  if (a === null || b === null) return a === b;
  return a.root === b.root && a.quality === b.quality && a.bass === b.bass;
}

/**
 * The harmony stream. Rule: a chord shorter than one beat is a passing or spurious chord and never
 * evidence on its own, so it is left out; identical neighbours (also across a left-out chord) merge.
 */
export function harmonyStream(chords: ChordSegment[], beatAt: (t: number) => number, segs: EffectiveSegment[]): HarmonyEvent[] {
  const events: HarmonyEvent[] = [];
  chords.forEach((c, index) => {
    const dur = c.end - c.start;
    if (!(dur > 0) || dur < beatAt(c.start) - 1e-6) return;
    const chord = sounding(c);
    const mid = (c.start + c.end) / 2;
    const segment = segmentIndexAt(segs, mid);
    const passingKey = passingKeyAt(segs[segment]!, mid);
    const last = events[events.length - 1];
    if (
      last &&
      last.segment === segment &&
      sameChord(last.chord, chord) &&
      (last.passingKey === passingKey || (last.passingKey !== null && passingKey !== null && sameKey(last.passingKey, passingKey))) &&
      c.start - last.end <= beatAt(c.start) * 2
    ) {
      const lastDur = last.end - last.start;
      last.confidence = (last.confidence * lastDur + c.confidence * dur) / (lastDur + dur);
      last.end = Math.max(last.end, c.end);
      last.chordIndices.push(index);
      return;
    }
    events.push({ pos: events.length, chordIndices: [index], start: c.start, end: c.end, chord, confidence: c.confidence, key: segs[segment]!.key, segment, passingKey });
  });
  return events;
}

/** Builds the whole context: timing, effective key segments and the harmony stream. */
export function buildContext(chordResult: ChordResult, key: KeyResult, rhythm?: RhythmResult): TheoryContext {
  const chords = chordResult.chords;
  const span = chords.length ? { start: chords[0]!.start, end: chords[chords.length - 1]!.end } : { start: 0, end: 0 };
  const beatAt = (t: number) => beatLengthAt(rhythm, t);
  // Without rhythm, the bar is estimated from the chords' typical length (most songs change chord about once a bar).
  const provisional = harmonyStream(chords, beatAt, [{ start: span.start, end: span.end, key: key.global, confidence: 1, passing: [] }]);
  const typical = provisional.length ? median(provisional.map((e) => e.end - e.start)) : 2;
  const timing = makeTiming(rhythm, typical);
  const segments = effectiveSegments(key, timing, span);
  return { chords, timing, segments, events: settleKeyBoundaries(harmonyStream(chords, beatAt, segments), segments) };
}

/** Chords a key boundary may move across, on each side. */
const BOUNDARY_SLACK = 2;

/**
 * Key boundaries are approximate. Rule: the chords right before a key change that fit only the new key
 * belong to it (the new key's V7 announcing it), and the chords right after it that fit only the old key
 * still belong to the old one (at most two on each side).
 */
export function settleKeyBoundaries(events: HarmonyEvent[], segs: EffectiveSegment[]): HarmonyEvent[] {
  const fitsOnly = (e: HarmonyEvent, k: number, other: number) =>
    e.chord !== null && isDiatonic(e.chord, segs[k]!.key) && !isDiatonic(e.chord, segs[other]!.key);
  for (let k = 1; k < segs.length; k++) {
    const first = events.findIndex((e) => e.segment === k);
    if (first <= 0 || events[first - 1]!.segment !== k - 1) continue;
    for (let i = first - 1, n = 0; i >= 0 && n < BOUNDARY_SLACK && events[i]!.segment === k - 1 && fitsOnly(events[i]!, k, k - 1); i--, n++) {
      events[i] = { ...events[i]!, segment: k, key: segs[k]!.key, passingKey: null };
    }
    if (events[first - 1]!.segment === k) continue;
    for (let i = first, n = 0; i < events.length && n < BOUNDARY_SLACK && events[i]!.segment === k && fitsOnly(events[i]!, k - 1, k); i++, n++) {
      events[i] = { ...events[i]!, segment: k - 1, key: segs[k - 1]!.key, passingKey: null };
    }
  }
  return events;
}

/** The next event if it directly follows `e` in the same key region (no gap of more than two beats). */
export function nextEvent(ctx: TheoryContext, e: HarmonyEvent): HarmonyEvent | null {
  const n = ctx.events[e.pos + 1];
  if (!n || n.segment !== e.segment || n.start - e.end > 2 * ctx.timing.beatAt(e.end)) return null;
  return n;
}

/** The previous event if `e` directly follows it in the same key region. */
export function prevEvent(ctx: TheoryContext, e: HarmonyEvent): HarmonyEvent | null {
  const p = ctx.events[e.pos - 1];
  return p && nextEvent(ctx, p) === e ? p : null;
}

// Rule: a chord ends a phrase when it is the last chord (of the piece, before silence or before a key
// change), or an arrival held for two bars or more and at least 1.5× as long as the chord before it.
export function isPhraseFinal(ctx: TheoryContext, e: HarmonyEvent): boolean {
  const n = ctx.events[e.pos + 1];
  if (!n || n.chord === null || n.segment !== e.segment || n.start - e.end > 2 * ctx.timing.beatAt(e.end)) return true;
  const dur = e.end - e.start;
  const p = prevEvent(ctx, e);
  return dur >= 1.9 * ctx.timing.barAt(e.start) && (!p || dur >= 1.5 * (p.end - p.start));
}

/**
 * Confidence of a device from its evidence: the duration-weighted confidence of all its chords, scaled
 * by how long the defining chords last (full weight from two beats, three quarters at one beat) and by
 * a rule-specific prior (e.g. lower for a deceptive resolution).
 */
export function evidenceConfidence(ctx: TheoryContext, defining: HarmonyEvent[], supporting: HarmonyEvent[] = [], prior = 1): number {
  const all = [...defining, ...supporting];
  const total = all.reduce((s, e) => s + (e.end - e.start), 0);
  if (total <= 0 || defining.length === 0) return 0;
  const base = all.reduce((s, e) => s + e.confidence * (e.end - e.start), 0) / total;
  const definingDur = defining.reduce((s, e) => s + (e.end - e.start), 0);
  const durFactor = Math.min(1, definingDur / (2 * ctx.timing.beatAt(defining[0]!.start)));
  const c = base * (0.5 + 0.5 * durFactor) * prior;
  return Math.round(Math.min(1, Math.max(0, c)) * 1000) / 1000;
}

/** A device with its evidence chords (indices, start and end taken from the events). */
export function makeDevice(
  kind: DeviceKind,
  label: string,
  evidence: HarmonyEvent[],
  confidence: number,
  detail?: Record<string, string | number>,
): HarmonicDevice {
  const chordIndices = [...new Set(evidence.flatMap((e) => e.chordIndices))].sort((a, b) => a - b);
  const device: HarmonicDevice = {
    kind,
    label,
    start: Math.min(...evidence.map((e) => e.start)),
    end: Math.max(...evidence.map((e) => e.end)),
    chordIndices,
    confidence,
  };
  if (detail) device.detail = detail;
  return device;
}
