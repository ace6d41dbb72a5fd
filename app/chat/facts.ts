// Readable facts about one analysed track, each with the citations (and timestamps) it rests on.
// Pure functions of a TrackAnalysis; nothing here is guessed.
import { camelot, keyName, spellPitchClass } from '../analysis/key/names.ts';
import { tempoSpan } from '../analysis/rhythm/span.ts';
import type { ChordSegment, HarmonicDevice, Key, SectionLabel, TrackAnalysis } from '../analysis/types.ts';
import { clock } from '../search/describe.ts';
import type { Citation } from './types.ts';

export interface Fact {
  text: string;
  citations: Citation[];
  /** Machine-readable values (what a language model gets). */
  data: Record<string, unknown>;
}

interface Subject {
  trackId: number;
  title: string;
}

const cite = (s: Subject, what: string, start?: number, end?: number): Citation =>
  start === undefined ? { trackId: s.trackId, title: s.title, what } : { trackId: s.trackId, title: s.title, what, start: round2(start), end: round2(end ?? start) };
const round2 = (x: number) => Math.round(x * 100) / 100;
const pct = (x: number) => `${Math.round(x * 100)} %`;
const bpmText = (bpm: number) => `${Math.round(bpm * 10) / 10} BPM`;

const QUALITY_SUFFIX: Record<string, string> = { maj: '', min: 'm', '7': '7', maj7: 'maj7', min7: 'm7', dim: 'dim', aug: 'aug', sus2: 'sus2', sus4: 'sus4', hdim7: 'm7b5', dim7: 'dim7' };

/** A chord as a lead-sheet symbol spelled in its key ('Bbmaj7', 'F#m', 'G7/B'); 'N.C.' for no chord. */
export function chordSymbol(c: ChordSegment, key: Key): string {
  if (c.root === null || c.quality === 'N') return 'N.C.';
  const base = `${spellPitchClass(c.root, key)}${QUALITY_SUFFIX[c.quality] ?? c.quality}`;
  return c.bass !== null && c.bass !== c.root ? `${base}/${spellPitchClass(c.bass, key)}` : base;
}

/** The local key in force at a time. */
export function keyAt(a: TrackAnalysis, t: number): Key {
  return a.key.segments.find((s) => t >= s.start && t < s.end)?.key ?? a.key.global;
}

/** Chords between two times, repeats merged, as symbols with their start times. */
export function chordsBetween(a: TrackAnalysis, start: number, end: number): { symbol: string; start: number }[] {
  const out: { symbol: string; start: number }[] = [];
  for (const c of a.chords.chords) {
    if (c.end <= start + 0.05 || c.start >= end - 0.05 || c.quality === 'N') continue;
    const symbol = chordSymbol(c, keyAt(a, c.start));
    if (out.at(-1)?.symbol !== symbol) out.push({ symbol, start: Math.max(c.start, start) });
  }
  return out;
}

export function keyFact(s: Subject, a: TrackAnalysis): Fact {
  const k = a.key.global;
  const changes = a.key.segments.length - 1;
  const more = changes > 0 ? `; it changes key ${changes === 1 ? 'once' : `${changes} times`} (${a.key.segments.slice(1).map((g) => `to ${keyName(g.key)} at ${clock(g.start)}`).join(', ')})` : '';
  return {
    text: `“${s.title}” is in ${keyName(k)} (Camelot ${camelot(k)}, confidence ${pct(a.key.confidence)})${more}.`,
    citations: [cite(s, 'key'), ...a.key.segments.slice(1).map((g) => cite(s, `key change to ${keyName(g.key)}`, g.start, g.end))],
    data: { key: keyName(k), camelot: camelot(k), confidence: round2(a.key.confidence), segments: a.key.segments.map((g) => ({ key: keyName(g.key), start: round2(g.start), end: round2(g.end) })) },
  };
}

export function keyChangeFact(s: Subject, a: TrackAnalysis): Fact {
  const mods = a.theory.devices.filter((d) => d.kind === 'modulation');
  const segs = a.key.segments;
  if (segs.length < 2) {
    return {
      text: `“${s.title}” stays in ${keyName(a.key.global)} throughout: no key change was measured (passing tonicisations are not counted as key changes).`,
      citations: [cite(s, 'key')],
      data: { keyChanges: [] },
    };
  }
  const lines = segs.slice(1).map((g, i) => {
    const prev = segs[i]!;
    const dev = mods.find((d) => Math.abs(d.end - g.start) < 6 || (g.start >= d.start - 1 && g.start <= d.end + 1));
    const how = dev ? ` — ${dev.label}${dev.detail?.pivot ? ` (pivot chord ${dev.detail.pivot})` : ''}` : '';
    return { text: `at ${clock(g.start)} from ${keyName(prev.key)} to ${keyName(g.key)}${how}`, g, dev };
  });
  return {
    text: `“${s.title}” changes key ${lines.map((l) => l.text).join('; ')}.`,
    citations: lines.flatMap((l) => [cite(s, `key change to ${keyName(l.g.key)}`, l.g.start, l.g.end), ...(l.dev ? [cite(s, 'modulation', l.dev.start, l.dev.end)] : [])]),
    data: { keyChanges: lines.map((l) => ({ time: round2(l.g.start), from: keyName(segs[segs.indexOf(l.g) - 1]!.key), to: keyName(l.g.key), label: l.dev?.label ?? null })) },
  };
}

export function tempoFact(s: Subject, a: TrackAnalysis): Fact {
  const r = a.rhythm;
  const span = tempoSpan(r);
  const drift = span.kind === 'steady' ? '' : ` (it ${span.kind === 'changes' ? 'changes' : 'drifts'} between ${bpmText(span.lo)} and ${bpmText(span.hi)})`;
  return {
    text: `“${s.title}” runs at ${bpmText(r.bpm)} in ${r.meter} — ${a.descriptors.tempoClass}${drift} (confidence ${pct(r.confidence)}).`,
    citations: [cite(s, 'tempo')],
    data: { bpm: round2(r.bpm), meter: r.meter, tempoClass: a.descriptors.tempoClass, confidence: round2(r.confidence) },
  };
}

export function meterFact(s: Subject, a: TrackAnalysis, asked?: string): Fact {
  const r = a.rhythm;
  const answer = asked ? (asked === r.meter ? `Yes: “${s.title}” is in ${r.meter}` : `No: “${s.title}” is in ${r.meter}, not ${asked}`) : `“${s.title}” is in ${r.meter}`;
  const feel = r.meter === '3/4' ? ' (three beats a bar: a waltz feel)' : r.meter === '6/8' || r.meter === '12/8' ? ' (compound meter: beats divided in three)' : '';
  return {
    text: `${answer}${feel}, ${r.beatsPerBar} beats a bar at ${bpmText(r.bpm)} (meter confidence ${pct(r.meterConfidence)}).`,
    citations: [cite(s, 'meter', r.downbeats[0] ?? 0, r.downbeats[Math.min(3, r.downbeats.length - 1)] ?? 0)],
    data: { meter: r.meter, beatsPerBar: r.beatsPerBar, bpm: round2(r.bpm), confidence: round2(r.meterConfidence) },
  };
}

export function formFact(s: Subject, a: TrackAnalysis): Fact {
  const f = a.form;
  if (!f.sections.length) return { text: `No form was measured for “${s.title}”.`, citations: [cite(s, 'form')], data: { sections: [] } };
  return {
    text: `“${s.title}” has the form ${f.summary}: ${f.sections.map((x) => `${x.label} ${clock(x.start)}–${clock(x.end)}${x.progression ? ` (${x.progression})` : ''}`).join(', ')}.`,
    citations: f.sections.map((x) => cite(s, x.label, x.start, x.end)),
    data: { summary: f.summary, sections: f.sections.map((x) => ({ label: x.label, start: round2(x.start), end: round2(x.end), progression: x.progression })) },
  };
}

/** The chords of one kind of section (every occurrence), or of the whole song when none is named. */
export function chordsFact(s: Subject, a: TrackAnalysis, section: SectionLabel | null): Fact {
  if (section) {
    const secs = a.form.sections.filter((x) => x.label === section);
    if (!secs.length) {
      const have = [...new Set(a.form.sections.map((x) => x.label))].join(', ');
      return { text: `No ${section} was found in “${s.title}” (its sections: ${have || 'none measured'}).`, citations: [cite(s, 'form')], data: { section, found: false } };
    }
    const parts = secs.map((x) => ({ x, chords: chordsBetween(a, x.start, x.end) }));
    return {
      text: `The ${section} of “${s.title}” ${parts.length > 1 ? `(${parts.length} times) ` : ''}${parts
        .map((p) => `at ${clock(p.x.start)}–${clock(p.x.end)} plays ${p.chords.map((c) => c.symbol).join(' – ') || 'no chords'}${p.x.progression ? ` (${p.x.progression} in ${keyName(keyAt(a, p.x.start))})` : ''}`)
        .join('; ')}.`,
      citations: parts.map((p) => cite(s, `${section} chords`, p.x.start, p.x.end)),
      data: { section, occurrences: parts.map((p) => ({ start: round2(p.x.start), end: round2(p.x.end), chords: p.chords.map((c) => c.symbol), numerals: p.x.progression })) },
    };
  }
  const all = chordsBetween(a, 0, a.durationSec + 1);
  const distinct = [...new Set(all.map((c) => c.symbol))];
  const loops = a.form.sections.filter((x) => x.progression).map((x) => `${x.label} ${x.progression}`);
  return {
    text: `“${s.title}” uses ${distinct.length} chords: ${distinct.join(', ')}.${loops.length ? ` In Roman numerals: ${loops.join('; ')}.` : ''}`,
    citations: [cite(s, 'chords', 0, a.durationSec)],
    data: { chords: distinct, sequence: all.map((c) => ({ symbol: c.symbol, start: round2(c.start) })), sections: a.form.sections.map((x) => ({ label: x.label, progression: x.progression })) },
  };
}

/** Readable one-liner of a device with its time. */
export function deviceLine(d: HarmonicDevice): string {
  return `${d.label} at ${clock(d.start)}`;
}

export function devicesFact(s: Subject, a: TrackAnalysis): Fact {
  const ds = a.theory.devices;
  if (!ds.length) return { text: `No harmonic device was detected in “${s.title}”: its harmony stays diatonic in ${keyName(a.key.global)}.`, citations: [cite(s, 'harmony')], data: { devices: [] } };
  return {
    text: `Harmonic devices in “${s.title}”: ${ds.map(deviceLine).join('; ')}.`,
    citations: ds.map((d) => cite(s, d.kind, d.start, d.end)),
    data: { devices: ds.map((d) => ({ kind: d.kind, label: d.label, start: round2(d.start), end: round2(d.end), confidence: round2(d.confidence) })) },
  };
}

export function loudnessFact(s: Subject, a: TrackAnalysis): Fact {
  const l = a.loudness;
  const f = (x: number | null, unit: string) => (x === null ? 'not measurable' : `${Math.round(x * 10) / 10} ${unit}`);
  return {
    text: `“${s.title}”: integrated loudness ${f(l.integratedLufs, 'LUFS')}, loudness range ${f(l.loudnessRangeLu, 'LU')}, true peak ${f(l.truePeakDbtp, 'dBTP')}, energy ${pct(a.descriptors.energy.value)}.`,
    citations: [cite(s, 'loudness')],
    data: { integratedLufs: l.integratedLufs, loudnessRangeLu: l.loudnessRangeLu, truePeakDbtp: l.truePeakDbtp, energy: round2(a.descriptors.energy.value) },
  };
}

const SAD_WORDS = /sad|dark|melanchol|gloomy|moody|somb|minor|down/;

/** Why a track sounds the way it is asked about (sad, happy, dark, energetic …): the measured reasons. */
export function moodFact(s: Subject, a: TrackAnalysis, feeling: string): Fact {
  const d = a.descriptors;
  const sadAsked = SAD_WORDS.test(feeling);
  const reasons: string[] = [];
  const citations: Citation[] = [cite(s, 'mood')];
  const minor = a.key.global.mode === 'minor';
  if (sadAsked) {
    if (minor) reasons.push(`it is in a minor key (${keyName(a.key.global)})`);
    if (d.valence.value <= 0.4) reasons.push(`its valence (musical positivity) measures low, ${pct(d.valence.value)}`);
    if (a.rhythm.bpm < 95) reasons.push(`it is ${d.tempoClass} (${bpmText(a.rhythm.bpm)})`);
    if (d.energy.value < 0.4) reasons.push(`its energy is low (${pct(d.energy.value)})`);
    for (const dev of a.theory.devices.filter((x) => x.kind === 'modal-interchange' && /iv|♭VI/.test(x.label))) {
      reasons.push(`a chord borrowed from the minor: ${deviceLine(dev)}`);
      citations.push(cite(s, dev.kind, dev.start, dev.end));
    }
    for (const seg of a.key.segments.slice(1).filter((g) => g.key.mode === 'minor')) {
      reasons.push(`it moves to ${keyName(seg.key)} at ${clock(seg.start)}`);
      citations.push(cite(s, 'key change', seg.start, seg.end));
    }
  } else {
    if (!minor) reasons.push(`it is in a major key (${keyName(a.key.global)})`);
    if (d.valence.value >= 0.6) reasons.push(`its valence (musical positivity) measures high, ${pct(d.valence.value)}`);
    if (a.rhythm.bpm >= 115) reasons.push(`it is ${d.tempoClass} (${bpmText(a.rhythm.bpm)})`);
    if (d.danceability.value >= 0.6) reasons.push(`it is danceable (${pct(d.danceability.value)})`);
    if (d.energy.value >= 0.6) reasons.push(`its energy is high (${pct(d.energy.value)})`);
    const pic = a.theory.devices.find((x) => x.kind === 'picardy-third');
    if (pic) {
      reasons.push(`it ends on a Picardy third: ${deviceLine(pic)}`);
      citations.push(cite(s, pic.kind, pic.start, pic.end));
    }
  }
  const mood = sadAsked ? 'sad or dark' : 'bright or upbeat';
  const text = reasons.length
    ? `“${s.title}” sounds ${mood} because ${reasons.join('; ')}.`
    : `The measurements don't explain “${s.title}” as ${mood}: it is in ${keyName(a.key.global)} at ${bpmText(a.rhythm.bpm)} with valence ${pct(d.valence.value)} and energy ${pct(d.energy.value)}.`;
  return { text, citations, data: { mode: a.key.global.mode, key: keyName(a.key.global), valence: round2(d.valence.value), energy: round2(d.energy.value), bpm: round2(a.rhythm.bpm), reasons } };
}

export function overviewFact(s: Subject, a: TrackAnalysis): Fact {
  const claims = a.insight.claims;
  const text = a.insight.paragraphs.length ? a.insight.paragraphs.join(' ') : [tempoFact(s, a).text, keyFact(s, a).text, formFact(s, a).text].join(' ');
  return {
    text: `About “${s.title}”: ${text}`,
    citations: [cite(s, 'insight'), ...claims.flatMap((c) => c.evidence.slice(0, 1).map((e) => cite(s, c.topic, e.start, e.end)))],
    data: { paragraphs: a.insight.paragraphs, bpm: round2(a.rhythm.bpm), meter: a.rhythm.meter, key: keyName(a.key.global), form: a.form.summary, tags: a.descriptors.tags.map((t) => t.tag) },
  };
}
