// The theory analyser: Roman numerals and harmonic devices from the chords, the key regions and
// (optionally) the beat grid. Pure: no audio, same input → same output.
import type {
  Analyser,
  ChordResult,
  HarmonicDevice,
  HarmonicFunction,
  KeyResult,
  RhythmResult,
  RomanChord,
  TheoryResult,
} from '../types.ts';
import { intervalFromTonic, sounding, triadClass } from './pitch.ts';
import type { SoundingChord } from './pitch.ts';
import { appliedNumeral, diatonicFunction, inversionFigure, isDiatonic, isDominantOfKey, keyDegreeNumeral, romanNumeral } from './roman.ts';
import { buildContext, nextEvent, segmentIndexAt } from './context.ts';
import type { HarmonyEvent, TheoryContext } from './context.ts';
import { explainStream } from './explain.ts';
import type { Explanation } from './explain.ts';
import {
  chromaticMediantDevices,
  modalInterchangeDevices,
  pedalPointDevices,
  picardyDevices,
  secondaryDominantDevices,
  tritoneSubstitutionDevices,
} from './devices.ts';
import { modulationDevices } from './modulation.ts';
import { progressionDevices } from './progressions.ts';

/** Does the event after `e` have dominant function in `e`'s key (V, V7, vii°)? */
function movesToDominant(ctx: TheoryContext, e: HarmonyEvent): boolean {
  const n = nextEvent(ctx, e)?.chord;
  if (!n) return false;
  return isDominantOfKey(n, e.key) || (intervalFromTonic(e.key, n.root) === 11 && triadClass(n.quality) === 'diminished');
}

// Rule: borrowed iv, ii° / iiø7 and the Dorian IV keep their predominant function, and ♭VI is predominant when it
// moves to V; other borrowed chords (♭III, v, ♭VII, i) are chromatic colour.
export function borrowedFunction(c: SoundingChord, key: RomanChord['key'], toDominant: boolean): HarmonicFunction {
  const i = intervalFromTonic(key, c.root);
  if (i === 5) return 'predominant';
  if (i === 2 && triadClass(c.quality) === 'diminished') return 'predominant';
  if (i === 8 && toDominant) return 'predominant';
  return 'chromatic';
}

/** Numeral of one chord of an explained event (each chord keeps its own bass for the figure). */
export function eventNumeral(e: HarmonyEvent, x: Explanation, c: SoundingChord): string {
  switch (x.kind) {
    case 'none':
      return 'N';
    case 'diatonic':
      return x.appliedIn ? appliedNumeral(c, x.appliedIn, e.key) : romanNumeral(c, e.key);
    case 'secondary':
      return appliedNumeral(c, x.target, e.key);
    case 'tritone-substitute':
      return x.target.tonic === e.key.tonic ? romanNumeral(c, e.key) : `subV${inversionFigure(c)}/${keyDegreeNumeral(e.key, x.target)}`;
    case 'tonicised':
      return appliedNumeral(c, x.local, e.key);
    case 'picardy':
    case 'borrowed':
    case 'chromatic':
      return romanNumeral(c, e.key);
  }
}

/** Harmonic function of an explained event. */
export function eventFunction(ctx: TheoryContext, e: HarmonyEvent, x: Explanation): HarmonicFunction {
  const c = e.chord;
  if (!c) return 'none';
  switch (x.kind) {
    case 'none':
      return 'none';
    case 'diatonic':
      return x.appliedIn ? 'predominant' : diatonicFunction(c, e.key, movesToDominant(ctx, e));
    case 'tritone-substitute':
      return x.target.tonic === e.key.tonic ? 'dominant' : 'chromatic';
    case 'tonicised':
      return x.via === 'predominant' ? 'predominant' : 'chromatic';
    case 'picardy':
      return 'tonic';
    case 'borrowed':
      return borrowedFunction(c, e.key, movesToDominant(ctx, e));
    case 'secondary':
    case 'chromatic':
      return 'chromatic';
  }
}

/** One RomanChord per input chord; chords left out of the stream (shorter than a beat) get their plain numeral. */
export function romanChords(ctx: TheoryContext, ex: Explanation[]): RomanChord[] {
  const eventOf = new Map<number, HarmonyEvent>();
  for (const e of ctx.events) for (const i of e.chordIndices) eventOf.set(i, e);
  return ctx.chords.map((seg, chordIndex) => {
    const c = sounding(seg);
    const e = eventOf.get(chordIndex);
    if (e) {
      const x = ex[e.pos]!;
      return { chordIndex, start: seg.start, end: seg.end, key: e.key, numeral: c ? eventNumeral(e, x, c) : 'N', function: eventFunction(ctx, e, x) };
    }
    const key = ctx.segments[segmentIndexAt(ctx.segments, (seg.start + seg.end) / 2)]!.key;
    const fn: HarmonicFunction = !c ? 'none' : isDiatonic(c, key) ? diatonicFunction(c, key) : 'chromatic';
    return { chordIndex, start: seg.start, end: seg.end, key, numeral: c ? romanNumeral(c, key) : 'N', function: fn };
  });
}

const KIND_ORDER: HarmonicDevice['kind'][] = [
  'modulation',
  'progression',
  'cadence',
  'modal-interchange',
  'picardy-third',
  'secondary-dominant',
  'tritone-substitution',
  'chromatic-mediant',
  'pedal-point',
];

/**
 * Roman numerals of every chord relative to its local key, and the harmonic devices with their evidence.
 * `rhythm` gives the beat (a chord shorter than one beat is never evidence on its own; 0.25 s without it)
 * and the bar (a modulation needs ≈ 4 bars; 8 s without rhythm).
 */
export function analyseTheory(chords: ChordResult, key: KeyResult, rhythm?: RhythmResult): TheoryResult {
  const ctx = buildContext(chords, key, rhythm);
  const ex = explainStream(ctx);
  const devices = [
    ...modulationDevices(ctx),
    ...progressionDevices(ctx),
    ...modalInterchangeDevices(ctx, ex),
    ...picardyDevices(ctx, ex),
    ...secondaryDominantDevices(ctx, ex),
    ...tritoneSubstitutionDevices(ctx, ex),
    ...chromaticMediantDevices(ctx, ex),
    ...pedalPointDevices(ctx),
  ].sort((a, b) => a.start - b.start || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.end - b.end);
  return { romans: romanChords(ctx, ex), devices };
}

/** What the theory analyser needs from the analysers before it. */
export type TheoryDeps = { chords: ChordResult; key: KeyResult; rhythm?: RhythmResult };

export const THEORY_VERSION = 3;

/** The 'theory' analyser: no audio pass, only `finish`. */
export const theoryAnalyser: Analyser<TheoryResult, TheoryDeps> = {
  name: 'theory',
  version: THEORY_VERSION,
  dependsOn: ['chords', 'key', 'rhythm'],
  finish(deps: TheoryDeps): TheoryResult {
    if (!deps.chords || !Array.isArray(deps.chords.chords)) throw new Error("theory: missing the 'chords' result");
    if (!deps.key || !Array.isArray(deps.key.segments)) throw new Error("theory: missing the 'key' result");
    return analyseTheory(deps.chords, deps.key, deps.rhythm);
  },
};
