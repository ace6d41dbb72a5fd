// What each chord of the harmony stream is doing in its local key: diatonic, an applied (secondary)
// dominant or leading-tone chord, a tritone substitute, part of a tonicisation, a Picardy third, a chord
// borrowed from the parallel mode, or unexplained chromaticism. Each rule is a small pure function;
// `explainStream` applies them in order of precedence.
import type { Key } from '../types.ts';
import { chordTones, intervalFromTonic, isDominantShape, isStableTriad, parallelKey, pc, scaleOf, triadClass } from './pitch.ts';
import type { SoundingChord } from './pitch.ts';
import { diatonicTriadClass, isDiatonic } from './roman.ts';
import { isPhraseFinal, nextEvent } from './context.ts';
import type { HarmonyEvent, TheoryContext } from './context.ts';

export type Explanation =
  | { kind: 'none' }
  /** `appliedIn`: a diatonic chord heard as the predominant of a tonicised key (Em7♭5 = iiø7/vi in F). */
  | { kind: 'diatonic'; appliedIn: Key | null }
  | { kind: 'secondary'; target: Key; targetEvent: HarmonyEvent; deceptive: boolean; leadingTone: boolean }
  | { kind: 'tritone-substitute'; target: Key; targetEvent: HarmonyEvent }
  | { kind: 'tonicised'; local: Key; via: 'passing-key' | 'predominant' }
  | { kind: 'picardy' }
  | { kind: 'borrowed'; from: Key; dorian: boolean }
  | { kind: 'chromatic' };

/** The key whose tonic triad is the chord on `tonic` with class `cls` (major or minor). */
function keyOf(tonic: number, cls: 'major' | 'minor'): Key {
  return { tonic: pc(tonic), mode: cls };
}

/** Class of the diatonic triad on `x` in `key` if it can be tonicised (major or minor, not the tonic). */
function tonicisableClass(key: Key, x: number): 'major' | 'minor' | null {
  const i = intervalFromTonic(key, x);
  if (i === 0) return null;
  const cls = diatonicTriadClass(key, i);
  return cls === 'major' || cls === 'minor' ? cls : null;
}

// Rule: a chord arrives on x when its root is x and it is diatonic, has x's diatonic quality, or is itself a dominant seventh (a chain of dominants).
function arrivesOn(d: SoundingChord, x: number, cls: 'major' | 'minor', key: Key): boolean {
  return d.root === pc(x) && (isDiatonic(d, key) || triadClass(d.quality) === cls || d.quality === '7');
}

// Rule: V(7)/x — a non-diatonic major triad or dominant seventh resolving down a fifth to a diatonic, non-tonic chord x;
// resolving instead to x's submediant (VI of x, a deceptive resolution) still counts, with lower confidence.
export function secondaryDominantTarget(c: SoundingChord, d: SoundingChord | null, key: Key): { target: Key; deceptive: boolean } | null {
  if (!d || !isDominantShape(c.quality) || isDiatonic(c, key)) return null;
  const x = pc(c.root + 5);
  const cls = tonicisableClass(key, x);
  if (!cls) return null;
  if (arrivesOn(d, x, cls, key)) return { target: keyOf(x, cls), deceptive: false };
  const submediant = pc(x + (cls === 'major' ? 9 : 8));
  if (d.root === submediant && isStableTriad(d.quality) && isDiatonic(d, key)) return { target: keyOf(x, cls), deceptive: true };
  return null;
}

// Rule: vii°(7)/x — a non-diatonic diminished or half-diminished chord resolving up a semitone to a diatonic, non-tonic chord x.
export function secondaryLeadingToneTarget(c: SoundingChord, d: SoundingChord | null, key: Key): Key | null {
  if (!d || triadClass(c.quality) !== 'diminished' || isDiatonic(c, key)) return null;
  const x = pc(c.root + 1);
  const cls = tonicisableClass(key, x);
  return cls && arrivesOn(d, x, cls, key) ? keyOf(x, cls) : null;
}

// Rule: subV7/x — a non-diatonic dominant seventh resolving down a semitone to a diatonic chord x stands a tritone
// from x's own dominant (♭II7 → I when x is the tonic).
export function tritoneSubstituteTarget(c: SoundingChord, d: SoundingChord | null, key: Key): Key | null {
  if (!d || c.quality !== '7' || isDiatonic(c, key)) return null;
  const x = pc(c.root - 1);
  const cls = diatonicTriadClass(key, intervalFromTonic(key, x));
  if (cls !== 'major' && cls !== 'minor') return null;
  return arrivesOn(d, x, cls, key) ? (intervalFromTonic(key, x) === 0 ? key : keyOf(x, cls)) : null;
}

// Rule: a chord right before an applied dominant that is ii, ii° or iv/IV in the dominant's target key is that key's predominant.
export function isTonicisedPredominant(c: SoundingChord, local: Key): boolean {
  const i = intervalFromTonic(local, c.root);
  return (i === 2 || i === 5) && isDiatonic(c, local);
}

// Rule: a chord inside a passing key region (shorter than a modulation) that is diatonic there belongs to that tonicisation.
export function belongsToPassingKey(c: SoundingChord, passing: Key | null, key: Key): boolean {
  return passing !== null && !isDiatonic(c, key) && isDiatonic(c, passing);
}

// Rule: in a minor key, the major tonic triad ending a phrase, section or piece is a Picardy third. The close
// must hold: a major tonic that turns straight back into the minor tonic (I → i) is a colour inside the passage,
// not its close.
export function isPicardyThird(c: SoundingChord, key: Key, phraseFinal: boolean, next: SoundingChord | null = null): boolean {
  if (next && next.root === key.tonic && triadClass(next.quality) === 'minor') return false;
  return key.mode === 'minor' && phraseFinal && c.root === key.tonic && (c.quality === 'maj' || c.quality === 'maj7');
}

// Rule: in major, a non-diatonic chord made only of tones of the parallel natural minor is borrowed from it
// (♭III, iv, v, ♭VI, ♭VII, i, ii°, iiø7, with or without sevenths).
export function borrowedFromParallelMinor(c: SoundingChord, key: Key): boolean {
  if (key.mode !== 'major' || isDiatonic(c, key)) return false;
  const minorScale = new Set(scaleOf(parallelKey(key)));
  return chordTones(c).every((t) => minorScale.has(t));
}

// Rule: in minor, the major IV (Dorian IV) is borrowed. A major tonic is borrowed from the parallel major only as
// the Picardy third (see isPicardyThird); in mid-phrase it is most often V/iv, a passage in the parallel major or
// a misheard tonic, so on its own it is unexplained chromaticism, not mixture.
export function borrowedIntoMinor(c: SoundingChord, key: Key): 'dorian-iv' | null {
  if (key.mode !== 'minor' || isDiatonic(c, key)) return null;
  const i = intervalFromTonic(key, c.root);
  if (i === 5 && (c.quality === 'maj' || c.quality === '7')) return 'dorian-iv';
  return null;
}

/** Explanations of every event, in stream order. Precedence: diatonic > applied > tritone substitute > tonicisation > Picardy > borrowed. */
export function explainStream(ctx: TheoryContext): Explanation[] {
  const out: Explanation[] = ctx.events.map(() => ({ kind: 'none' }));
  // Pass 1: diatonic chords and chords explained by where they resolve.
  for (const e of ctx.events) {
    if (!e.chord) continue;
    if (isDiatonic(e.chord, e.key)) {
      out[e.pos] = { kind: 'diatonic', appliedIn: null };
      continue;
    }
    const n = nextEvent(ctx, e);
    const d = n?.chord ?? null;
    const sec = secondaryDominantTarget(e.chord, d, e.key);
    if (sec && n) {
      out[e.pos] = { kind: 'secondary', target: sec.target, targetEvent: n, deceptive: sec.deceptive, leadingTone: false };
      continue;
    }
    const lt = secondaryLeadingToneTarget(e.chord, d, e.key);
    if (lt && n) {
      out[e.pos] = { kind: 'secondary', target: lt, targetEvent: n, deceptive: false, leadingTone: true };
      continue;
    }
    const sub = tritoneSubstituteTarget(e.chord, d, e.key);
    if (sub && n) out[e.pos] = { kind: 'tritone-substitute', target: sub, targetEvent: n };
  }
  // Pass 2: the remaining chords, which may depend on what follows them.
  for (const e of ctx.events) {
    if (!e.chord) continue;
    const cur = out[e.pos]!;
    const n = nextEvent(ctx, e);
    const nx = n ? out[n.pos]! : null;
    const tonicised = nx && nx.kind === 'secondary' && !nx.deceptive && isTonicisedPredominant(e.chord, nx.target) ? nx.target : null;
    if (cur.kind === 'diatonic') {
      // A diatonic diminished chord before V/x that is x's ii° (e.g. Em7♭5 A7 Dm7 in F) is written as iiø7/vi.
      if (tonicised && triadClass(e.chord.quality) === 'diminished') out[e.pos] = { kind: 'diatonic', appliedIn: tonicised };
      continue;
    }
    if (cur.kind !== 'none') continue;
    if (tonicised) out[e.pos] = { kind: 'tonicised', local: tonicised, via: 'predominant' };
    else if (belongsToPassingKey(e.chord, e.passingKey, e.key)) out[e.pos] = { kind: 'tonicised', local: e.passingKey!, via: 'passing-key' };
    else if (isPicardyThird(e.chord, e.key, isPhraseFinal(ctx, e), n?.segment === e.segment ? (n.chord ?? null) : null)) out[e.pos] = { kind: 'picardy' };
    else if (borrowedFromParallelMinor(e.chord, e.key)) out[e.pos] = { kind: 'borrowed', from: parallelKey(e.key), dorian: false };
    else {
      const into = borrowedIntoMinor(e.chord, e.key);
      out[e.pos] = into ? { kind: 'borrowed', from: parallelKey(e.key), dorian: into === 'dorian-iv' } : { kind: 'chromatic' };
    }
  }
  return out;
}
