// Modulations: each change between effective key regions (a new key that lasts about four bars, or
// 8 s without rhythm; shorter ones were folded in as tonicisations), as a pivot or a direct modulation.
import type { HarmonicDevice, Key } from '../types.ts';
import { keyName, pc } from './pitch.ts';
import { isDiatonic, romanNumeral, spellChord } from './roman.ts';
import { evidenceConfidence, makeDevice } from './context.ts';
import type { HarmonyEvent, TheoryContext } from './context.ts';

const INTERVAL_NAMES = [
  'same tonic',
  'up a half step',
  'up a whole step',
  'up a minor third',
  'up a major third',
  'up a perfect fourth',
  'up a tritone',
  'up a perfect fifth',
  'down a major third',
  'down a minor third',
  'down a whole step',
  'down a half step',
];

/** How far the tonic moves, in words: 'up a whole step'. */
export function modulationInterval(from: Key, to: Key): string {
  return INTERVAL_NAMES[pc(to.tonic - from.tonic)]!;
}

/** The usual name of the relation between two keys, if any: 'relative', 'parallel', 'dominant', 'subdominant'. */
export function keyRelation(from: Key, to: Key): string | null {
  const up = pc(to.tonic - from.tonic);
  if (up === 0) return 'parallel';
  if ((from.mode === 'major' && to.mode === 'minor' && up === 9) || (from.mode === 'minor' && to.mode === 'major' && up === 3)) return 'relative';
  if (from.mode === to.mode && up === 7) return 'dominant';
  if (from.mode === to.mode && up === 5) return 'subdominant';
  return null;
}

/** A chord that belongs only to the new key (diatonic there, not in the old key). */
function onlyInNewKey(e: HarmonyEvent, from: Key, to: Key): boolean {
  return e.chord !== null && isDiatonic(e.chord, to) && !isDiatonic(e.chord, from);
}

// Rule: a pivot chord is diatonic in both keys and directly precedes the first chord that belongs only to the
// new key (looked for from one chord before the key change to three after it, as key boundaries are approximate).
export function findPivot(
  events: HarmonyEvent[],
  firstNew: number,
  from: Key,
  to: Key,
): { pivot: HarmonyEvent | null; before: HarmonyEvent | null; arrival: HarmonyEvent | null } {
  for (let i = Math.max(0, firstNew - 1); i <= Math.min(events.length - 1, firstNew + 3); i++) {
    const e = events[i]!;
    if (!onlyInNewKey(e, from, to)) continue;
    const p = events[i - 1];
    if (!p || !p.chord) return { pivot: null, before: null, arrival: e };
    const common = isDiatonic(p.chord, from) && isDiatonic(p.chord, to);
    return { pivot: common ? p : null, before: p, arrival: e };
  }
  return { pivot: null, before: null, arrival: null };
}

/** One device per change of effective key region. */
export function modulationDevices(ctx: TheoryContext): HarmonicDevice[] {
  const out: HarmonicDevice[] = [];
  for (let k = 1; k < ctx.segments.length; k++) {
    const oldSeg = ctx.segments[k - 1]!;
    const newSeg = ctx.segments[k]!;
    const from = oldSeg.key;
    const to = newSeg.key;
    const firstNew = ctx.events.findIndex((e) => e.segment === k && e.chord !== null);
    const lastOld = [...ctx.events].reverse().find((e) => e.segment === k - 1 && e.chord !== null);
    if (firstNew < 0 || !lastOld) continue;
    const { pivot, before, arrival } = findPivot(ctx.events, firstNew, from, to);
    const evidence = pivot && arrival ? [pivot, arrival] : before && arrival ? [before, arrival] : [lastOld, ctx.events[firstNew]!];
    const interval = modulationInterval(from, to);
    const relation = keyRelation(from, to);
    const detail: Record<string, string | number> = {
      from: keyName(from),
      to: keyName(to),
      type: pivot ? 'pivot' : 'direct',
      interval,
      semitones: pc(to.tonic - from.tonic),
    };
    if (relation) detail.relation = relation;
    let label: string;
    if (pivot) {
      const name = spellChord(pivot.chord!, from);
      const numerals = `${romanNumeral(pivot.chord!, from)} = ${romanNumeral(pivot.chord!, to)}`;
      detail.pivot = name;
      detail.pivotNumerals = numerals;
      label = `Pivot modulation ${keyName(from)} → ${keyName(to)} (pivot ${name}: ${numerals})`;
    } else {
      label = `Direct modulation ${keyName(from)} → ${keyName(to)}, ${interval}`;
    }
    const segConfidence = (oldSeg.confidence + newSeg.confidence) / 2;
    out.push(makeDevice('modulation', label, evidence, evidenceConfidence(ctx, evidence, [], segConfidence), detail));
  }
  return out;
}
