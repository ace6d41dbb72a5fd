// Chord-colour devices found from the explained harmony stream: modal interchange, the Picardy third,
// secondary dominants, tritone substitutions, chromatic mediants and pedal points.
import type { HarmonicDevice, Key } from '../types.ts';
import { chordTones, intervalFromTonic, isStableTriad, keyName, parallelKey, pc, spellDegree, triadClass } from './pitch.ts';
import type { SoundingChord } from './pitch.ts';
import { appliedNumeral, degreeOf, isDiatonic, keyDegreeNumeral, romanNumeral, spellChord } from './roman.ts';
import { evidenceConfidence, makeDevice, nextEvent, prevEvent } from './context.ts';
import type { HarmonyEvent, TheoryContext } from './context.ts';
import type { Explanation } from './explain.ts';
import { borrowedIntoMinor } from './explain.ts';

/** Maximal runs of directly following events that all satisfy `pred`. */
function runsOf(ctx: TheoryContext, pred: (e: HarmonyEvent) => boolean): HarmonyEvent[][] {
  const runs: HarmonyEvent[][] = [];
  let run: HarmonyEvent[] = [];
  for (const e of ctx.events) {
    if (pred(e) && (run.length === 0 || nextEvent(ctx, run[run.length - 1]!) === e)) run.push(e);
    else {
      if (run.length) runs.push(run);
      run = pred(e) ? [e] : [];
    }
  }
  if (run.length) runs.push(run);
  return runs;
}

// Rule: a chord is borrowed when explained as one; in minor, the major IV (Dorian IV) stays borrowed also where
// it acts as V/♭VII (IV → ♭VII, or deceptively IV → V): the chord itself comes from Dorian / the parallel major,
// whatever it resolves to.
export function borrowedSource(e: HarmonyEvent, x: Explanation): { from: Key; dorian: boolean } | null {
  if (x.kind === 'borrowed') return { from: x.from, dorian: x.dorian };
  if (x.kind === 'secondary' && e.chord && borrowedIntoMinor(e.chord, e.key) === 'dorian-iv') return { from: parallelKey(e.key), dorian: true };
  return null;
}

/**
 * Borrowed chords whose evidence is weaker than this are not reported: a one-beat chord the chord
 * estimator was unsure of (posterior under ≈ ½) is more often a misheard diatonic chord than mixture.
 */
export const MIN_MIXTURE_CONFIDENCE = 0.35;

/** Modal interchange: one device per run of consecutive borrowed chords (e.g. ♭VI–♭VII before I). */
export function modalInterchangeDevices(ctx: TheoryContext, ex: Explanation[]): HarmonicDevice[] {
  return borrowedRuns(ctx, ex).filter((d) => d.confidence >= MIN_MIXTURE_CONFIDENCE);
}

function borrowedRuns(ctx: TheoryContext, ex: Explanation[]): HarmonicDevice[] {
  return runsOf(ctx, (e) => borrowedSource(e, ex[e.pos]!) !== null).map((run) => {
    const first = borrowedSource(run[0]!, ex[run[0]!.pos]!)!;
    const key = run[0]!.key;
    const numerals = run.map((e) => romanNumeral(e.chord!, key)).join('–');
    const chords = run.map((e) => spellChord(e.chord!, key)).join('–');
    const from = first.dorian ? `${keyName(key).replace(' minor', '')} Dorian` : keyName(first.from);
    const label = `${numerals} borrowed from ${from}`;
    return makeDevice('modal-interchange', label, run, evidenceConfidence(ctx, run), { from, numerals, chords, key: keyName(key) });
  });
}

/** Is `p` a cadential approach to the tonic: V(7), vii°(7) or IV/iv? */
function isCadentialApproach(p: SoundingChord, e: HarmonyEvent): boolean {
  const i = intervalFromTonic(e.key, p.root);
  const cls = triadClass(p.quality);
  return ((i === 7 || i === 5) && (cls === 'major' || cls === 'minor')) || (i === 11 && cls === 'diminished');
}

/** Picardy third: the major tonic closing a minor-key passage, with its cadential approach chord. */
export function picardyDevices(ctx: TheoryContext, ex: Explanation[]): HarmonicDevice[] {
  return ctx.events
    .filter((e) => ex[e.pos]!.kind === 'picardy')
    .map((e) => {
      const p = prevEvent(ctx, e);
      const evidence = p?.chord && isCadentialApproach(p.chord, e) ? [p, e] : [e];
      const numerals = evidence.map((x) => romanNumeral(x.chord!, e.key)).join('–');
      const major = spellChord(e.chord!, e.key);
      return makeDevice('picardy-third', `Picardy third: ${keyName(e.key)} closes on ${major} major`, evidence, evidenceConfidence(ctx, [e], evidence.slice(0, -1)), {
        key: keyName(e.key),
        numerals,
      });
    });
}

/** Secondary dominants (and leading-tone chords): one device per applied chord with its resolution. */
export function secondaryDominantDevices(ctx: TheoryContext, ex: Explanation[]): HarmonicDevice[] {
  const out: HarmonicDevice[] = [];
  for (const e of ctx.events) {
    const x = ex[e.pos]!;
    if (x.kind !== 'secondary') continue;
    const t = x.targetEvent;
    const numeral = appliedNumeral(e.chord!, x.target, e.key);
    const target = keyDegreeNumeral(e.key, x.target);
    const resolved = romanNumeral(t.chord!, e.key);
    const chords = `${spellChord(e.chord!, x.target)} → ${spellChord(t.chord!, e.key)}`;
    const how = x.deceptive ? `, resolving deceptively to ${resolved}` : ` → ${resolved}`;
    const prior = (x.deceptive ? 0.6 : 1) * (x.leadingTone ? 0.9 : 1);
    out.push(
      makeDevice('secondary-dominant', `${numeral}${how} (${chords})`, [e, t], evidenceConfidence(ctx, [e], [t], prior), {
        numeral,
        target,
        resolution: x.deceptive ? 'deceptive' : 'regular',
        chords,
        key: keyName(e.key),
      }),
    );
  }
  return out;
}

/** Tritone substitutions: a dominant seventh resolving down a semitone in place of V7/x. */
export function tritoneSubstitutionDevices(ctx: TheoryContext, ex: Explanation[]): HarmonicDevice[] {
  const out: HarmonicDevice[] = [];
  for (const e of ctx.events) {
    const x = ex[e.pos]!;
    if (x.kind !== 'tritone-substitute') continue;
    const t = x.targetEvent;
    const toTonic = x.target.tonic === e.key.tonic;
    const numeral = toTonic ? romanNumeral(e.chord!, e.key) : `subV7/${keyDegreeNumeral(e.key, x.target)}`;
    const replaced = spellDegree(e.key, degreeOf(intervalFromTonic(e.key, pc(x.target.tonic + 7)), e.key.mode, 'major').degree, pc(x.target.tonic + 7));
    const chords = `${spellChord(e.chord!, e.key)} → ${spellChord(t.chord!, e.key)}`;
    out.push(
      makeDevice('tritone-substitution', `${numeral} → ${romanNumeral(t.chord!, e.key)}: tritone substitute for ${replaced}7 (${chords})`, [e, t], evidenceConfidence(ctx, [e], [t]), {
        numeral,
        substitutesFor: `${replaced}7`,
        chords,
        key: keyName(e.key),
      }),
    );
  }
  return out;
}

/** Explanations that account for a chord as functional chromaticism (so it is no chromatic mediant). */
function functionallyExplained(x: Explanation): boolean {
  return x.kind === 'secondary' || x.kind === 'tritone-substitute' || x.kind === 'tonicised';
}

// Rule: two major (or two minor) triads a major or minor third apart share exactly one tone; next to each other,
// not both diatonic and neither an applied chord, tritone substitute or tonicisation, they form a chromatic mediant.
export function isChromaticMediantPair(a: HarmonyEvent, b: HarmonyEvent, xa: Explanation, xb: Explanation): boolean {
  if (!a.chord || !b.chord || !isStableTriad(a.chord.quality) || !isStableTriad(b.chord.quality)) return false;
  if (triadClass(a.chord.quality) !== triadClass(b.chord.quality)) return false;
  if (![3, 4, 8, 9].includes(pc(b.chord.root - a.chord.root))) return false;
  const ta = chordTones({ ...a.chord, quality: triadClass(a.chord.quality) === 'major' ? 'maj' : 'min' });
  const tb = new Set(chordTones({ ...b.chord, quality: triadClass(b.chord.quality) === 'major' ? 'maj' : 'min' }));
  if (ta.filter((t) => tb.has(t)).length !== 1) return false;
  if (isDiatonic(a.chord, a.key) && isDiatonic(b.chord, b.key)) return false;
  return !functionallyExplained(xa) && !functionallyExplained(xb);
}

/** Chromatic mediants: one device per adjacent pair (C → A♭; C → E → C gives two). */
export function chromaticMediantDevices(ctx: TheoryContext, ex: Explanation[]): HarmonicDevice[] {
  const out: HarmonicDevice[] = [];
  for (const a of ctx.events) {
    const b = nextEvent(ctx, a);
    if (!b || !isChromaticMediantPair(a, b, ex[a.pos]!, ex[b.pos]!)) continue;
    const key = a.key;
    const chords = `${spellChord(a.chord!, key)} → ${spellChord(b.chord!, key)}`;
    const numerals = `${romanNumeral(a.chord!, key)} → ${romanNumeral(b.chord!, key)}`;
    const defining = [a, b].filter((e) => !isDiatonic(e.chord!, key));
    const third = pc(b.chord!.root - a.chord!.root);
    const relation = { 3: 'up a minor third', 4: 'up a major third', 8: 'down a major third', 9: 'down a minor third' }[third]!;
    out.push(
      makeDevice('chromatic-mediant', `Chromatic mediant ${chords} (${numerals})`, [a, b], evidenceConfidence(ctx, defining, [a, b].filter((e) => !defining.includes(e))), {
        chords,
        numerals,
        relation,
        key: keyName(key),
      }),
    );
  }
  return out;
}

// Rule: a pedal point is one bass note held under at least three different chords (different roots, so V and V7
// count once), at least one of them not in root position over it, for at least two bars.
export function isPedalPoint(ctx: TheoryContext, run: HarmonyEvent[]): boolean {
  const distinct = new Set(run.map((e) => e.chord!.root));
  const dur = run[run.length - 1]!.end - run[0]!.start;
  return distinct.size >= 3 && run.some((e) => e.chord!.bass !== e.chord!.root) && dur >= 1.9 * ctx.timing.barAt(run[0]!.start);
}

/** Pedal points: maximal runs over one bass note that pass `isPedalPoint`. */
export function pedalPointDevices(ctx: TheoryContext): HarmonicDevice[] {
  const out: HarmonicDevice[] = [];
  let run: HarmonyEvent[] = [];
  const flush = () => {
    if (run.length >= 3 && isPedalPoint(ctx, run)) {
      const key = run[0]!.key;
      const bass = run[0]!.chord!.bass;
      const i = intervalFromTonic(key, bass);
      const name = spellDegree(key, degreeOf(i, key.mode, 'major').degree, bass);
      const kind = i === 0 ? 'Tonic pedal' : i === 7 ? 'Dominant pedal' : 'Pedal';
      const numerals = run.map((e) => romanNumeral(e.chord!, key)).join('–');
      out.push(makeDevice('pedal-point', `${kind} on ${name} under ${numerals}`, run, evidenceConfidence(ctx, run), { bass: name, numerals, key: keyName(key) }));
    }
    run = [];
  };
  for (const e of ctx.events) {
    const last = run[run.length - 1];
    if (e.chord && last && nextEvent(ctx, last) === e && last.chord!.bass === e.chord.bass) run.push(e);
    else {
      flush();
      if (e.chord) run = [e];
    }
  }
  flush();
  return out;
}
