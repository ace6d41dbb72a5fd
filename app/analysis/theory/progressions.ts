// Named progressions and cadences, matched on the harmony stream by scale degree and triad class.
// One device per occurrence; `detail.occurrence` / `detail.occurrences` count them per name.
import type { HarmonicDevice, Key } from '../types.ts';
import { intervalFromTonic, isStableTriad, keyName, pc, triadClass } from './pitch.ts';
import type { SoundingChord, TriadClass } from './pitch.ts';
import { appliedNumeral, bassPosition, isDiatonic, keyDegreeNumeral, romanNumeral } from './roman.ts';
import { evidenceConfidence, isPhraseFinal, makeDevice, nextEvent, prevEvent } from './context.ts';
import type { HarmonyEvent, TheoryContext } from './context.ts';

/** A step of a progression: a root `interval` above the tonic with a triad class (sevenths allowed). */
export interface DegreeStep {
  interval: number;
  cls: TriadClass;
  numeral: string;
}

const step = (interval: number, cls: TriadClass, numeral: string): DegreeStep => ({ interval, cls, numeral });

/** I–V–vi–IV, the four-chord (axis) loop, matched in any rotation. */
export const AXIS_MAJOR: readonly DegreeStep[] = [step(0, 'major', 'I'), step(7, 'major', 'V'), step(9, 'minor', 'vi'), step(5, 'major', 'IV')];
/** The same loop heard from the relative minor: i–VI–III–VII (= vi–IV–I–V of the relative major). */
export const AXIS_MINOR: readonly DegreeStep[] = [step(0, 'minor', 'i'), step(8, 'major', 'VI'), step(3, 'major', 'III'), step(10, 'major', 'VII')];
/** I–vi–IV–V, the 50s (doo-wop) progression, starting on I. */
export const FIFTIES: readonly DegreeStep[] = [step(0, 'major', 'I'), step(9, 'minor', 'vi'), step(5, 'major', 'IV'), step(7, 'major', 'V')];
/** i–♭VII–♭VI–V, the Andalusian cadence (minor; written i–VII–VI–V against natural minor). */
export const ANDALUSIAN: readonly DegreeStep[] = [step(0, 'minor', 'i'), step(10, 'major', '♭VII'), step(8, 'major', '♭VI'), step(7, 'major', 'V')];

export function matchesStep(e: HarmonyEvent, s: DegreeStep): boolean {
  return e.chord !== null && intervalFromTonic(e.key, e.chord.root) === s.interval && triadClass(e.chord.quality) === s.cls;
}

/** Maximal chains of directly following sounding events in one key region. */
export function chains(ctx: TheoryContext): HarmonyEvent[][] {
  const out: HarmonyEvent[][] = [];
  let cur: HarmonyEvent[] = [];
  for (const e of ctx.events) {
    const last = cur[cur.length - 1];
    if (e.chord && last && nextEvent(ctx, last) === e) cur.push(e);
    else {
      if (cur.length) out.push(cur);
      cur = e.chord ? [e] : [];
    }
  }
  if (cur.length) out.push(cur);
  return out;
}

/**
 * Occurrences of a looping progression in a chain: maximal runs that follow the cycle, cut into groups of
 * four from the phase that gives the most complete groups (ties: the one starting on the first step, then
 * the earliest). `rotations: false` keeps only groups that start on the first step.
 */
export function loopOccurrences(chain: HarmonyEvent[], cycle: readonly DegreeStep[], rotations: boolean): { events: HarmonyEvent[]; phase: number }[] {
  const n = cycle.length;
  const out: { events: HarmonyEvent[]; phase: number }[] = [];
  let s = 0;
  while (s < chain.length) {
    const p0 = cycle.findIndex((st) => matchesStep(chain[s]!, st));
    if (p0 < 0) {
      s++;
      continue;
    }
    let e = s + 1;
    while (e < chain.length && matchesStep(chain[e]!, cycle[(p0 + e - s) % n]!)) e++;
    const len = e - s;
    let best: { offset: number; count: number; onFirst: boolean } | null = null;
    for (let o = 0; o < n && o < len; o++) {
      const onFirst = (p0 + o) % n === 0;
      if (!rotations && !onFirst) continue;
      const count = Math.floor((len - o) / n);
      if (count === 0) continue;
      if (!best || count > best.count || (count === best.count && onFirst && !best.onFirst)) best = { offset: o, count, onFirst };
    }
    if (best) {
      for (let k = 0; k < best.count; k++) {
        const start = s + best.offset + k * n;
        out.push({ events: chain.slice(start, start + n), phase: (p0 + best.offset) % n });
      }
    }
    s = e;
  }
  return out;
}

/** The events' own numerals in their key: 'I–V7–vi–IV'. */
function numeralsOf(events: HarmonyEvent[]): string {
  return events.map((e) => romanNumeral(e.chord!, e.key)).join('–');
}

/** Numerals of a cycle read from `phase`: 'vi–IV–I–V'. */
function rotationName(cycle: readonly DegreeStep[], phase: number): string {
  return cycle.map((_, k) => cycle[(phase + k) % cycle.length]!.numeral).join('–');
}

/** Adds occurrence counts per name to a list of progression devices. */
function numberOccurrences(devices: HarmonicDevice[]): HarmonicDevice[] {
  const totals = new Map<string, number>();
  for (const d of devices) totals.set(String(d.detail?.name), (totals.get(String(d.detail?.name)) ?? 0) + 1);
  const seen = new Map<string, number>();
  return devices.map((d) => {
    const name = String(d.detail?.name);
    seen.set(name, (seen.get(name) ?? 0) + 1);
    return { ...d, detail: { ...d.detail, occurrence: seen.get(name)!, occurrences: totals.get(name)! } };
  });
}

/** The four-chord loop I–V–vi–IV (any rotation; in minor keys i–VI–III–VII) and the 50s progression I–vi–IV–V. */
export function loopProgressionDevices(ctx: TheoryContext): HarmonicDevice[] {
  const out: HarmonicDevice[] = [];
  for (const chain of chains(ctx)) {
    const key = chain[0]!.key;
    const axis = key.mode === 'major' ? AXIS_MAJOR : AXIS_MINOR;
    for (const occ of loopOccurrences(chain, axis, true)) {
      const name = rotationName(axis, occ.phase);
      out.push(makeDevice('progression', name, occ.events, evidenceConfidence(ctx, occ.events), { name, family: 'four-chord', numerals: numeralsOf(occ.events), key: keyName(key) }));
    }
    if (key.mode === 'major') {
      for (const occ of loopOccurrences(chain, FIFTIES, false)) {
        out.push(makeDevice('progression', '50s progression (I–vi–IV–V)', occ.events, evidenceConfidence(ctx, occ.events), { name: 'I–vi–IV–V', family: 'fifties', numerals: numeralsOf(occ.events), key: keyName(key) }));
      }
    }
  }
  return out;
}

// Rule: the Andalusian cadence is the minor-key descent i–♭VII–♭VI–V (roots down a step, a step, a half step; major V).
export function andalusianDevices(ctx: TheoryContext): HarmonicDevice[] {
  const out: HarmonicDevice[] = [];
  for (const chain of chains(ctx)) {
    if (chain[0]!.key.mode !== 'minor') continue;
    for (let i = 0; i + 4 <= chain.length; i++) {
      const four = chain.slice(i, i + 4);
      if (!four.every((e, k) => matchesStep(e, ANDALUSIAN[k]!))) continue;
      out.push(makeDevice('progression', 'Andalusian cadence', four, evidenceConfidence(ctx, four), { name: 'Andalusian cadence', family: 'andalusian', numerals: numeralsOf(four), key: keyName(four[0]!.key) }));
      i += 3;
    }
  }
  return out;
}

// Rule: ii–V–I — a minor or (half-)diminished chord, a dominant a fifth below it, and a stable diatonic triad a fifth
// below that (the tonic, or another degree it tonicises, e.g. iiø7/vi–V7/vi–vi7); the arrival is neither a dominant seventh nor a 6-4.
export function isTwoFiveOne(a: SoundingChord, b: SoundingChord, c: SoundingChord, key: Key): boolean {
  const aCls = triadClass(a.quality);
  return (
    (aCls === 'minor' || aCls === 'diminished') &&
    (b.quality === 'maj' || b.quality === '7') &&
    isStableTriad(c.quality) &&
    bassPosition(c) !== 2 &&
    isDiatonic(c, key) &&
    b.root === pc(c.root + 7) &&
    a.root === pc(c.root + 2)
  );
}

export function twoFiveOneDevices(ctx: TheoryContext): HarmonicDevice[] {
  const out: HarmonicDevice[] = [];
  for (const chain of chains(ctx)) {
    for (let i = 0; i + 3 <= chain.length; i++) {
      const [a, b, c] = [chain[i]!, chain[i + 1]!, chain[i + 2]!];
      if (!isTwoFiveOne(a.chord!, b.chord!, c.chord!, c.key)) continue;
      const key = c.key;
      const toTonic = c.chord!.root === key.tonic;
      const local: Key = { tonic: c.chord!.root, mode: triadClass(c.chord!.quality) === 'major' ? 'major' : 'minor' };
      const numerals = toTonic
        ? [a, b, c].map((e) => romanNumeral(e.chord!, key))
        : [appliedNumeral(a.chord!, local, key), appliedNumeral(b.chord!, local, key), romanNumeral(c.chord!, key)];
      const target = toTonic ? (key.mode === 'major' ? 'I' : 'i') : keyDegreeNumeral(key, local);
      const name = local.mode === 'major' ? 'ii–V–I' : 'ii–V–i';
      out.push(makeDevice('progression', name, [a, b, c], evidenceConfidence(ctx, [a, b, c]), { name, family: 'ii-V-I', target, numerals: numerals.join('–'), key: keyName(key) }));
      i += 1;
    }
  }
  return out;
}

// Rule: authentic cadence — V or V7 to a phrase-final tonic (imperfect when either chord is inverted);
// plagal cadence — IV (or iv: minor plagal in a major key) to a phrase-final tonic.
export function cadenceType(p: SoundingChord, t: SoundingChord, key: Key): 'authentic' | 'plagal' | 'minor-plagal' | null {
  // A tonic in 6-4 position (the cadential 6-4) is not an arrival.
  if (t.root !== key.tonic || !isStableTriad(t.quality) || bassPosition(t) === 2) return null;
  const i = intervalFromTonic(key, p.root);
  const cls = triadClass(p.quality);
  // A dominant over a bass that is not one of its tones (a tonic pedal) does not cadence.
  if (i === 7 && cls === 'major' && (p.quality === 'maj' || p.quality === '7') && bassPosition(p) >= 0) return 'authentic';
  if (i === 5 && (cls === 'major' || cls === 'minor')) return key.mode === 'major' && cls === 'minor' ? 'minor-plagal' : 'plagal';
  return null;
}

export function cadenceDevices(ctx: TheoryContext): HarmonicDevice[] {
  const out: HarmonicDevice[] = [];
  for (const e of ctx.events) {
    if (!e.chord || !isPhraseFinal(ctx, e)) continue;
    const p = prevEvent(ctx, e);
    if (!p?.chord) continue;
    const type = cadenceType(p.chord, e.chord, e.key);
    if (!type) continue;
    const numerals = `${romanNumeral(p.chord, e.key)}–${romanNumeral(e.chord, e.key)}`;
    const inverted = p.chord.bass !== p.chord.root || e.chord.bass !== e.chord.root;
    const picardy = e.key.mode === 'minor' && triadClass(e.chord.quality) === 'major';
    const name = type === 'authentic' ? 'Authentic cadence' : type === 'plagal' ? 'Plagal cadence' : 'Minor plagal cadence';
    const detail: Record<string, string | number> = { type, numerals, key: keyName(e.key) };
    if (type === 'authentic') detail.position = inverted ? 'inverted (imperfect)' : 'root position';
    if (picardy) detail.picardy = 'yes';
    out.push(makeDevice('cadence', name, [p, e], evidenceConfidence(ctx, [p, e]), detail));
  }
  return out;
}

/** All named progressions and cadences, occurrences numbered per name. */
export function progressionDevices(ctx: TheoryContext): HarmonicDevice[] {
  return [...numberOccurrences([...loopProgressionDevices(ctx), ...andalusianDevices(ctx), ...twoFiveOneDevices(ctx)]), ...cadenceDevices(ctx)];
}
