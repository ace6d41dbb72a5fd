// The middle layer of the insight: the chords and their Roman-numeral loop, the harmonic devices with
// the times they are heard, and the form with its sections.
import { formPhrase } from '../form/phrase.ts';
import { spellChord } from '../theory/roman.ts';
import type { HarmonicDevice, InsightClaim, Section } from '../types.ts';
import { THRESHOLDS, certainty, type Certainty } from './confidence.ts';
import { makeClaim, weightedMean, type Span, type WriterContext } from './context.ts';
import { article, atTimes, capitalise, clock, countWord } from './phrasing.ts';

/** One chord in the Roman-numeral stream: consecutive repeats merged, 'N' left out. */
interface Step {
  numeral: string;
  name: string;
  start: number;
  end: number;
  confidence: number;
}

/** The chords as Roman numerals in their local keys, repeats merged. */
export function numeralSteps(ctx: WriterContext): Step[] {
  const { chords } = ctx.a.chords;
  const steps: Step[] = [];
  for (const r of ctx.a.theory.romans) {
    const c = chords[r.chordIndex];
    if (!c || c.quality === 'N' || r.numeral === 'N' || !(c.end > c.start)) continue;
    const name = spellChord(c, r.key);
    const last = steps[steps.length - 1];
    if (last && last.numeral === r.numeral && last.name === name) {
      last.confidence = weightedMean([last.confidence, c.confidence], [last.end - last.start, c.end - c.start]);
      last.end = c.end;
    } else steps.push({ numeral: r.numeral, name, start: c.start, end: c.end, confidence: c.confidence });
  }
  return steps;
}

export interface Loop {
  numerals: string[];
  names: string[];
  occurrences: { start: number; end: number; confidence: number }[];
}

/** I, i, I7, Imaj7, i7 …: the tonic chord in root position. */
const isTonic = (numeral: string) => /^(I|i)(maj7|7)?$/.test(numeral);

// Rule: the loop is the most frequent run of 4 (else 3) merged chords heard at least twice without
// overlapping itself, counting a run that starts on the tonic as heard once more (so I–V–vi–IV is told
// rather than its rotation V–vi–IV–I); a tie goes to the run heard first. Runs of one repeated pair are not loops.
export function findLoop(steps: readonly Step[]): Loop | null {
  for (const n of [4, 3]) {
    const seen = new Map<string, number[]>();
    for (let i = 0; i + n <= steps.length; i++) {
      const gram = steps.slice(i, i + n).map((s) => s.numeral);
      if (new Set(gram).size < Math.min(n, 3)) continue;
      const id = gram.join('|');
      const at = seen.get(id) ?? [];
      if (at.length === 0 || i >= at[at.length - 1]! + n) at.push(i);
      seen.set(id, at);
    }
    let best: number[] | null = null;
    let bestScore = 0;
    for (const at of seen.values()) {
      if (at.length < 2) continue;
      const score = at.length + (isTonic(steps[at[0]!]!.numeral) ? 1 : 0);
      if (!best || score > bestScore || (score === bestScore && at[0]! < best[0]!)) [best, bestScore] = [at, score];
    }
    if (best) {
      const first = steps.slice(best[0]!, best[0]! + n);
      return {
        numerals: first.map((s) => s.numeral),
        names: first.map((s) => s.name),
        occurrences: best.map((i) => {
          const run = steps.slice(i, i + n);
          return { start: run[0]!.start, end: run[n - 1]!.end, confidence: weightedMean(run.map((s) => s.confidence), run.map((s) => s.end - s.start)) };
        }),
      };
    }
  }
  return null;
}

const FAMILY_NAMES: Record<string, string> = {
  'four-chord': 'the four-chord pop progression',
  fifties: 'the 50s progression',
  andalusian: 'the Andalusian cadence',
  'ii-V-I': 'a ii–V–I',
};

/** A named progression device that is the loop itself (so the device is not told twice). */
function loopDevice(loop: Loop, devices: readonly HarmonicDevice[]): HarmonicDevice | undefined {
  const text = loop.numerals.join('–');
  return devices.find((d) => d.kind === 'progression' && (d.detail?.numerals === text || d.detail?.name === text));
}

/** The harmony: its loop in Roman numerals (with chord names), or how many chords it moves through. */
export function chordsClaim(ctx: WriterContext, loop: Loop | null, steps: readonly Step[]): InsightClaim[] {
  if (steps.length === 0) return [];
  const confidence = loop
    ? weightedMean(loop.occurrences.map((o) => o.confidence), loop.occurrences.map((o) => o.end - o.start))
    : weightedMean(steps.map((s) => s.confidence), steps.map((s) => s.end - s.start));
  const level = certainty(confidence, THRESHOLDS.chords);
  if (level === 'omit') return [];
  const chords = ctx.a.chords.chords.filter((c) => c.quality !== 'N');
  const sevenths = chords.filter((c) => ['7', 'maj7', 'min7', 'hdim7', 'dim7'].includes(c.quality));
  const dur = (xs: typeof chords) => xs.reduce((s, c) => s + Math.max(0, c.end - c.start), 0);
  const seventhNote = dur(chords) > 0 && dur(sevenths) / dur(chords) >= 0.3 ? ctx.pick('sevenths', [' Seventh chords colour much of it.', ' Many of the chords are sevenths.']) : '';
  let text: string;
  let evidence: Span[];
  if (loop) {
    const numerals = loop.numerals.join('–');
    const names = loop.names.join('–');
    const family = loopDevice(loop, ctx.a.theory.devices)?.detail?.family;
    const known = family && FAMILY_NAMES[String(family)] ? `${FAMILY_NAMES[String(family)]}, ` : '';
    const when = atTimes(loop.occurrences.map((o) => o.start));
    text =
      level === 'firm'
        ? ctx.pick('chords', [
            `The chords circle ${known}${numerals} (${names}), heard ${when}.`,
            `Harmonically it leans on ${known}${numerals} (${names}), heard ${when}.`,
            `Its harmonic backbone is ${known}${numerals} (${names}), heard ${when}.`,
          ])
        : ctx.pick('chords', [
            `The chords seem to circle ${numerals} (${names}), heard ${when}, though some of them are uncertain.`,
            `Harmonically it probably leans on ${numerals} (${names}), heard ${when}.`,
          ]);
    evidence = loop.occurrences;
  } else {
    const distinct = [...new Set(steps.map((s) => s.name))];
    if (distinct.length < 2) {
      const text = level === 'firm' ? `It holds a single chord, ${distinct[0]}, throughout.` : `It seems to hold a single chord, ${distinct[0]}.`;
      return [makeClaim(ctx, 'middle', 'chords', text, confidence, steps)];
    }
    const shown = distinct.slice(0, 4).join(', ');
    const more = distinct.length > 4 ? ' among others' : '';
    text =
      level === 'firm'
        ? ctx.pick('chords', [
            `The harmony moves through ${distinct.length} different chords (${shown}${more}) without settling into a fixed loop.`,
            `Rather than one repeating loop, it moves through ${distinct.length} chords: ${shown}${more}.`,
          ])
        : `The harmony seems to move through ${distinct.length} chords (${shown}${more}), though several are uncertain.`;
    evidence = steps.slice(0, 8);
  }
  return [makeClaim(ctx, 'middle', 'chords', text + (level === 'firm' ? seventhNote : ''), confidence, evidence)];
}

/** Devices with the same label, told together: where each is heard and how sure we are. */
interface Group {
  label: string;
  devices: HarmonicDevice[];
  confidence: number;
}

function groupByLabel(devices: readonly HarmonicDevice[]): Group[] {
  const groups = new Map<string, HarmonicDevice[]>();
  for (const d of devices) groups.set(d.label, [...(groups.get(d.label) ?? []), d]);
  return [...groups.entries()].map(([label, ds]) => ({ label, devices: ds.sort((x, y) => x.start - y.start), confidence: Math.max(...ds.map((d) => d.confidence)) }));
}

const detail = (d: HarmonicDevice, k: string): string => String(d.detail?.[k] ?? '');
const when = (g: Group) => atTimes(g.devices.map((d) => d.start));
const listed = (items: string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join('; ')}; and ${items[items.length - 1]}`);

/** The sentence for the groups of one kind of device (firm or hedged), or null to say nothing. */
function deviceSentence(kind: HarmonicDevice['kind'], groups: Group[], level: Certainty, ctx: WriterContext): string | null {
  const first = groups[0]!.devices[0]!;
  const hedge = level === 'hedged';
  switch (kind) {
    case 'modal-interchange': {
      const froms = [...new Set(groups.map((g) => detail(g.devices[0]!, 'from')))];
      const item = (g: Group, withFrom: boolean) => `${detail(g.devices[0]!, 'numerals')} (${detail(g.devices[0]!, 'chords')})${withFrom ? ` from ${detail(g.devices[0]!, 'from')}` : ''} ${when(g)}`;
      if (hedge) return `There seems to be a borrowed ${listed(groups.map((g) => item(g, true)))}.`;
      if (groups.length === 1) {
        const g = groups[0]!;
        return ctx.pick('modal-interchange', [
          `A borrowed ${item(g, true)} darkens the colour.`,
          `It borrows ${item(g, true)}.`,
          `Modal interchange brings in ${item(g, true)}.`,
        ]);
      }
      if (froms.length === 1) return ctx.pick('modal-interchange', [`It borrows from ${froms[0]}: ${listed(groups.map((g) => item(g, false)))}.`, `Chords borrowed from ${froms[0]} colour the harmony: ${listed(groups.map((g) => item(g, false)))}.`]);
      return `It borrows chords from the parallel modes: ${listed(groups.map((g) => item(g, true)))}.`;
    }
    case 'secondary-dominant': {
      const item = (g: Group) => {
        const d = g.devices[0]!;
        return `${detail(d, 'numeral')} (${detail(d, 'chords')})${detail(d, 'resolution') === 'deceptive' ? ', resolving deceptively,' : ''} ${when(g)}`;
      };
      if (hedge) return `What seems to be a secondary dominant, ${listed(groups.map(item))}, leans toward the next chord.`;
      if (groups.length === 1) return ctx.pick('secondary-dominant', [`A secondary dominant, ${item(groups[0]!)}, pulls toward ${detail(first, 'target')}.`, `${capitalise(item(groups[0]!))}: a secondary dominant that tonicises ${detail(first, 'target')}.`]);
      return ctx.pick('secondary-dominant', [`Secondary dominants point the way: ${listed(groups.map(item))}.`, `It tonicises other degrees with secondary dominants: ${listed(groups.map(item))}.`]);
    }
    case 'tritone-substitution':
      return `${hedge ? 'There seems to be a tritone substitution' : 'A tritone substitution colours the dominant'}: ${listed(groups.map((g) => `${g.label} ${when(g)}`))}.`;
    case 'modulation': {
      // Groups (the same change heard again) in the order they are first heard; a long list is summarised.
      const item = (g: Group): string => {
        const d = g.devices[0]!;
        const from = detail(d, 'from');
        const to = detail(d, 'to');
        if (hedge) return `${when(g).replace(/^at /, 'around ')} it seems to move from ${from} to ${to}`;
        const pivot = detail(d, 'type') === 'pivot';
        if (g.devices.length > 1)
          return pivot
            ? `it modulates from ${from} to ${to} ${when(g)}, through the pivot chord ${detail(d, 'pivot')} (${detail(d, 'pivotNumerals')})`
            : `it moves ${detail(d, 'interval')} from ${from} to ${to} ${when(g)}, a direct key change`;
        const at = clock(d.start);
        if (pivot)
          return ctx.pick('modulation-pivot', [
            `at ${at} it modulates from ${from} to ${to} through the pivot chord ${detail(d, 'pivot')} (${detail(d, 'pivotNumerals')})`,
            `a pivot modulation at ${at} takes it from ${from} to ${to}, with ${detail(d, 'pivot')} (${detail(d, 'pivotNumerals')}) as the hinge`,
          ]);
        return ctx.pick('modulation-direct', [
          `at ${at} it moves ${detail(d, 'interval')} from ${from} to ${to}, a direct key change`,
          `a direct modulation at ${at} shifts it ${detail(d, 'interval')}, from ${from} to ${to}`,
        ]);
      };
      if (groups.length > MAX_MODULATIONS_TOLD) {
        const all = groups.flatMap((g) => g.devices).sort((x, y) => x.start - y.start);
        const keys = new Set(all.flatMap((d) => [detail(d, 'from'), detail(d, 'to')]));
        const short = (g: Group) => `${detail(g.devices[0]!, 'from')} → ${detail(g.devices[0]!, 'to')} ${when(g)}`;
        const lead = hedge ? 'The key seems to change' : 'The key changes';
        return `${lead} ${countWord(all.length)} times between ${clock(all[0]!.start)} and ${clock(all[all.length - 1]!.start)}, through ${countWord(keys.size)} keys; the first changes: ${listed(groups.slice(0, 3).map(short))}.`;
      }
      return `${capitalise(groups.map(item).join('; later '))}.`;
    }
    case 'chromatic-mediant': {
      const item = (g: Group) => `${detail(g.devices[0]!, 'chords')} (${detail(g.devices[0]!, 'numerals')}) ${when(g)}`;
      return hedge ? `There may be a chromatic-mediant shift, ${listed(groups.map(item))}.` : ctx.pick('chromatic-mediant', [`A chromatic-mediant shift, ${listed(groups.map(item))}, adds a sudden brightness.`, `It side-steps by a chromatic mediant: ${listed(groups.map(item))}.`]);
    }
    case 'pedal-point': {
      const item = (g: Group) => `${g.label.charAt(0).toLowerCase()}${g.label.slice(1)} ${when(g)}`;
      return hedge ? `There seems to be a ${listed(groups.map(item))}.` : `The bass holds a ${listed(groups.map(item))}.`;
    }
    case 'picardy-third':
      return hedge
        ? `The ending seems to turn to a major tonic (a Picardy third) at ${clock(first.start)}.`
        : ctx.pick('picardy-third', [`It closes on a Picardy third: ${detail(first, 'key')} ends on a major tonic (${detail(first, 'numerals')}) at ${clock(first.start)}.`, `At ${clock(first.start)} the minor key gives way to a major tonic, a Picardy third (${detail(first, 'numerals')}).`]);
    case 'progression': {
      const item = (g: Group) => {
        const d = g.devices[0]!;
        const family = detail(d, 'family');
        const name = family === 'fifties' ? 'the 50s progression (I–vi–IV–V)' : family === 'andalusian' ? `the Andalusian cadence (${detail(d, 'numerals')})` : family === 'four-chord' ? `the four-chord loop ${g.label}` : family === 'ii-V-I' ? `${detail(d, 'numerals')}` : g.label;
        return `${name} ${when(g)}`;
      };
      return hedge ? `There seem to be named progressions here: ${listed(groups.map(item))}.` : ctx.pick('progression', [`Named progressions: ${listed(groups.map(item))}.`, `Familiar progressions turn up: ${listed(groups.map(item))}.`]);
    }
    case 'cadence': {
      const g = groups[groups.length - 1]!;
      const d = g.devices[g.devices.length - 1]!;
      const name = d.label.charAt(0).toLowerCase() + d.label.slice(1);
      return hedge ? `It seems to end on ${article(name)} ${name} at ${clock(d.start)}.` : ctx.pick('cadence', [`It closes with ${article(name)} ${name} at ${clock(d.start)}.`, `${capitalise(article(name))} ${name} at ${clock(d.start)} rounds it off.`]);
    }
  }
}

/** Past this many different key changes (a medley, a mix) the insight summarises them instead of telling each. */
const MAX_MODULATIONS_TOLD = 5;

/** Order in which device kinds are told (the rarer and more telling first). */
const KIND_ORDER: HarmonicDevice['kind'][] = ['modulation', 'modal-interchange', 'chromatic-mediant', 'secondary-dominant', 'tritone-substitution', 'pedal-point', 'progression', 'picardy-third', 'cadence'];

/**
 * One claim per kind of harmonic device, with every occurrence's time as evidence. Occurrences below
 * the device hedge threshold are left out; a named progression that is already the chord loop, and
 * cadences other than a closing one (within the last 15 % or 10 s), are not repeated.
 */
export function deviceClaims(ctx: WriterContext, loop: Loop | null): InsightClaim[] {
  const all = ctx.a.theory.devices.filter((d) => certainty(d.confidence, THRESHOLDS.device) !== 'omit' && Number.isFinite(d.start));
  const told = loop ? loopDevice(loop, all) : undefined;
  const out: InsightClaim[] = [];
  for (const kind of KIND_ORDER) {
    let ds = all.filter((d) => d.kind === kind);
    if (kind === 'progression' && told) ds = ds.filter((d) => d.label !== told.label);
    if (kind === 'cadence') {
      const closing = ds.filter((d) => d.end >= ctx.duration - Math.max(10, 0.15 * ctx.duration));
      const picardy = all.some((d) => d.kind === 'picardy-third');
      ds = picardy || closing.length === 0 ? [] : [closing[closing.length - 1]!];
    }
    if (ds.length === 0) continue;
    const groups = groupByLabel(ds).sort((x, y) => x.devices[0]!.start - y.devices[0]!.start);
    const confidence = Math.max(...groups.map((g) => g.confidence));
    const level = certainty(confidence, THRESHOLDS.device);
    const text = deviceSentence(kind, groups, level, ctx);
    if (text) out.push(makeClaim(ctx, 'middle', kind, text, confidence, groups.flatMap((g) => g.devices).map((d) => ({ start: d.start, end: d.end }))));
  }
  return out;
}

/** When nothing beyond the key's own chords is found, and the chords are sure enough to say so. */
export function diatonicClaim(ctx: WriterContext, steps: readonly Step[], told: readonly InsightClaim[]): InsightClaim[] {
  const colour = told.some((c) => ['modulation', 'modal-interchange', 'chromatic-mediant', 'secondary-dominant', 'tritone-substitution', 'picardy-third'].includes(c.topic));
  const flagged = ctx.a.theory.devices.some((d) => d.kind !== 'progression' && d.kind !== 'cadence' && d.kind !== 'pedal-point');
  if (colour || flagged || steps.length < 4) return [];
  const confidence = weightedMean(steps.map((s) => s.confidence), steps.map((s) => s.end - s.start));
  if (certainty(confidence, THRESHOLDS.chords) !== 'firm') return [];
  const text = ctx.pick('diatonic', ['The harmony stays inside the key: no borrowed chords, secondary dominants or key changes.', 'Everything stays diatonic, with no borrowed chords or key changes.']);
  return [makeClaim(ctx, 'middle', 'diatonic', text, confidence, [{ start: steps[0]!.start, end: steps[steps.length - 1]!.end }])];
}

/** The form as a summary of labelled sections, and where the chorus first arrives with its progression. */
export function formClaims(ctx: WriterContext): InsightClaim[] {
  const f = ctx.a.form;
  if (!f || f.sections.length === 0 || !f.summary) return [];
  const out: InsightClaim[] = [];
  const level = certainty(f.confidence, THRESHOLDS.form);
  if (level === 'omit') return [];
  const summary = formPhrase(f.sections.map((x) => x.label));
  const text =
    level === 'firm'
      ? ctx.pick('form', [`The form runs ${summary}.`, `It is laid out as ${summary}.`, `Structurally it goes ${summary}.`])
      : ctx.pick('form', [`The form seems to be ${summary}.`, `It probably follows ${summary}, though some section boundaries are uncertain.`]);
  out.push(makeClaim(ctx, 'middle', 'form', text, f.confidence, f.sections.map((s) => ({ start: s.start, end: s.end }))));
  const chorus: Section | undefined = f.sections.find((s) => s.label === 'chorus');
  if (chorus) {
    const cl = certainty(chorus.confidence, THRESHOLDS.form);
    const over = chorus.progression ? ` over ${chorus.progression}` : '';
    const repeats = f.sections.filter((s) => s.group === chorus.group).length;
    const times = repeats > 1 ? `, returning ${repeats - 1 === 1 ? 'once' : `${repeats - 1} times`}` : '';
    if (cl === 'firm') out.push(makeClaim(ctx, 'middle', 'chorus', ctx.pick('chorus', [`The chorus arrives at ${clock(chorus.start)}${over}${times}.`, `The chorus first lands at ${clock(chorus.start)}${over}${times}.`]), chorus.confidence, [chorus]));
    else if (cl === 'hedged') out.push(makeClaim(ctx, 'middle', 'chorus', `What seems to be the chorus arrives at ${clock(chorus.start)}${over}.`, chorus.confidence, [chorus]));
  }
  return out;
}

