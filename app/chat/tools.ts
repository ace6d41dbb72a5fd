// The chat's tools: plain typed functions over the library and its analyses, each returning facts,
// a readable text and citations; the same tools are described as JSON-schema function specs for a
// language model (TOOL_SPECS) and dispatched by name (runTool).
import { keyName } from '../analysis/key/names.ts';
import { configuredBackends } from '../deep/backends.ts';
import { captionSource } from '../deep/sources.ts';
import type { SectionLabel, TrackAnalysis } from '../analysis/types.ts';
import { SearchEngine } from '../search/engine.ts';
import { clock } from '../search/describe.ts';
import { PlaylistsRepo } from '../store/playlists.ts';
import type { Track } from '../store/index.ts';
import * as facts from './facts.ts';
import { GLOSSARY, findTerm } from './glossary.ts';
import { titleOf, type ChatLibrary } from './library.ts';
import type { Citation, ToolResult } from './types.ts';

const round1 = (x: number) => Math.round(x * 10) / 10;
const SECTIONS: SectionLabel[] = ['intro', 'verse', 'pre-chorus', 'chorus', 'bridge', 'instrumental', 'outro'];

function fail(text: string): ToolResult {
  return { ok: false, data: { error: text }, text, citations: [] };
}

function subject(t: Track) {
  return { trackId: t.id, title: titleOf(t) };
}

/** Finding and filtering: the search engine's ranked hits with why-lines and evidence times. */
export function searchTool(lib: ChatLibrary, args: { query: string; limit?: number }): ToolResult {
  const engine = new SearchEngine(lib.store.db);
  const result = engine.search(String(args.query ?? ''), { limit: Math.min(50, Math.max(1, args.limit ?? 10)) });
  const citations: Citation[] = result.hits.map((h) => {
    const e = h.evidence[0];
    const title = h.title ?? h.path;
    return e ? { trackId: h.trackId, title, start: e.start, end: e.end, what: e.label } : { trackId: h.trackId, title, what: 'match' };
  });
  const lines = result.hits.map((h, i) => `${i + 1}. “${h.title ?? h.path}”${h.artist ? ` by ${h.artist}` : ''} — ${h.why}`);
  const notes = result.notes.length ? ` (${result.notes.join('; ')})` : '';
  const text = result.total === 0 ? `No track in the library matches “${result.query.text}”${notes}.` : `${result.total} track${result.total === 1 ? " matches" : "s match"} “${result.query.text}”${notes}:\n${lines.join('\n')}`;
  return {
    ok: true,
    data: { query: result.query.text, total: result.total, notes: result.notes, hits: result.hits.map((h) => ({ trackId: h.trackId, title: h.title, artist: h.artist, bpm: h.bpm === null ? null : round1(h.bpm), key: h.key, meter: h.meter, why: h.why, evidence: h.evidence.slice(0, 3) })) },
    text,
    citations,
  };
}

export type TrackAspect = 'overview' | 'key' | 'key-change' | 'tempo' | 'meter' | 'chords' | 'form' | 'devices' | 'loudness' | 'mood';

/** One track's analysis, or one aspect of it, as readable facts with timestamps. */
export function trackAnalysisTool(lib: ChatLibrary, args: { track: string | number; aspect?: TrackAspect; section?: string; feeling?: string; meter?: string }): ToolResult {
  const track = typeof args.track === 'number' ? lib.track(args.track) : lib.resolve(String(args.track ?? ''));
  if (!track) return fail(`No track in the library matches “${args.track}”.`);
  const a = lib.analysis(track.id);
  if (!a) return { ok: false, data: { error: 'not analysed', trackId: track.id }, text: `“${titleOf(track)}” has not been analysed yet (run linernotes analyze).`, citations: [{ trackId: track.id, title: titleOf(track) }] };
  const s = subject(track);
  const section = SECTIONS.find((x) => x === args.section) ?? null;
  const f = (() => {
    switch (args.aspect ?? 'overview') {
      case 'key': return facts.keyFact(s, a);
      case 'key-change': return facts.keyChangeFact(s, a);
      case 'tempo': return facts.tempoFact(s, a);
      case 'meter': return facts.meterFact(s, a, args.meter);
      case 'chords': return facts.chordsFact(s, a, section);
      case 'form': return facts.formFact(s, a);
      case 'devices': return facts.devicesFact(s, a);
      case 'loudness': return facts.loudnessFact(s, a);
      case 'mood': return facts.moodFact(s, a, args.feeling ?? 'sad');
      default: return facts.overviewFact(s, a);
    }
  })();
  return { ok: true, data: { trackId: track.id, title: s.title, artist: track.artist, ...f.data }, text: f.text, citations: f.citations };
}

export type CompareAspect = 'tempo' | 'key' | 'meter' | 'loudness' | 'energy' | 'valence' | 'danceability' | 'duration' | 'devices' | 'all';

interface Measure {
  name: string;
  value: (a: TrackAnalysis) => number | null;
  show: (v: number, a: TrackAnalysis) => string;
  more: string;
  less: string;
}
const MEASURES: Partial<Record<CompareAspect, Measure>> = {
  tempo: { name: 'tempo', value: (a) => a.rhythm.bpm, show: (v) => `${round1(v)} BPM`, more: 'faster', less: 'slower' },
  loudness: { name: 'loudness', value: (a) => a.loudness.integratedLufs, show: (v) => `${round1(v)} LUFS`, more: 'louder', less: 'quieter' },
  energy: { name: 'energy', value: (a) => a.descriptors.energy.value, show: (v) => `${Math.round(v * 100)} %`, more: 'more energetic', less: 'calmer' },
  valence: { name: 'valence', value: (a) => a.descriptors.valence.value, show: (v) => `${Math.round(v * 100)} %`, more: 'happier (higher valence)', less: 'sadder (lower valence)' },
  danceability: { name: 'danceability', value: (a) => a.descriptors.danceability.value, show: (v) => `${Math.round(v * 100)} %`, more: 'more danceable', less: 'less danceable' },
  duration: { name: 'length', value: (a) => a.durationSec, show: (v) => clock(v), more: 'longer', less: 'shorter' },
};

/** Compares two or more tracks on one measure (which is faster, louder …) or on everything. */
export function compareTool(lib: ChatLibrary, args: { tracks: (string | number)[]; aspect?: CompareAspect; direction?: 'more' | 'less' }): ToolResult {
  const picked: { track: Track; a: TrackAnalysis }[] = [];
  for (const ref of args.tracks ?? []) {
    const track = typeof ref === 'number' ? lib.track(ref) : lib.resolve(String(ref));
    if (!track) return fail(`No track in the library matches “${ref}”.`);
    const a = lib.analysis(track.id);
    if (!a) return fail(`“${titleOf(track)}” has not been analysed yet.`);
    if (!picked.some((p) => p.track.id === track.id)) picked.push({ track, a });
  }
  if (picked.length < 2) return fail('Name two different tracks to compare.');
  const cites = picked.map((p) => ({ trackId: p.track.id, title: titleOf(p.track), what: args.aspect ?? 'comparison' }));
  const aspect = args.aspect ?? 'all';
  const m = MEASURES[aspect];
  if (m) {
    const vals = picked.map((p) => ({ ...p, v: m.value(p.a) }));
    if (vals.some((x) => x.v === null)) return { ok: false, data: { error: `${m.name} not measurable` }, text: `The ${m.name} of ${vals.filter((x) => x.v === null).map((x) => `“${titleOf(x.track)}”`).join(' and ')} could not be measured.`, citations: cites };
    const sorted = [...vals].sort((x, y) => (args.direction === 'less' ? x.v! - y.v! : y.v! - x.v!));
    const top = sorted[0]!;
    const word = args.direction === 'less' ? m.less : m.more;
    const tie = Math.abs(sorted[0]!.v! - sorted[1]!.v!) < 1e-6;
    const list = vals.map((x) => `“${titleOf(x.track)}” ${m.show(x.v!, x.a)}`).join(', ');
    return {
      ok: true,
      data: { aspect, values: vals.map((x) => ({ trackId: x.track.id, title: titleOf(x.track), value: round1(x.v! * (m.name === 'tempo' || m.name === 'loudness' || m.name === 'length' ? 1 : 100)) })), winner: tie ? null : top.track.id },
      text: tie ? `They are the same on ${m.name}: ${list}.` : `“${titleOf(top.track)}” is ${word}: ${list}.`,
      citations: cites,
    };
  }
  const rows = picked.map((p) => {
    const devices = [...new Set(p.a.theory.devices.map((d) => d.label.replace(/ at .*$/, '')))];
    return {
      trackId: p.track.id,
      title: titleOf(p.track),
      bpm: round1(p.a.rhythm.bpm),
      meter: p.a.rhythm.meter,
      key: keyName(p.a.key.global),
      keyChanges: p.a.key.segments.length - 1,
      loudnessLufs: p.a.loudness.integratedLufs === null ? null : round1(p.a.loudness.integratedLufs),
      energy: Math.round(p.a.descriptors.energy.value * 100),
      valence: Math.round(p.a.descriptors.valence.value * 100),
      form: p.a.form.summary,
      devices,
    };
  });
  const text = rows
    .map((r) => `“${r.title}”: ${r.bpm} BPM in ${r.meter}, ${r.key}${r.keyChanges ? ` (${r.keyChanges} key change${r.keyChanges > 1 ? 's' : ''})` : ''}, ${r.loudnessLufs ?? '—'} LUFS, energy ${r.energy} %, valence ${r.valence} %, form ${r.form || '—'}; devices: ${r.devices.join(', ') || 'none'}`)
    .join('\n');
  const faster = [...rows].sort((x, y) => y.bpm - x.bpm)[0]!;
  const sameKey = rows.every((r) => r.key === rows[0]!.key);
  return { ok: true, data: { tracks: rows }, text: `${text}\n“${faster.title}” is the faster one; ${sameKey ? `both are in ${rows[0]!.key}` : 'they are in different keys'}.`, citations: cites };
}

/** A glossary entry, illustrated with examples from the user's own library (with timestamps). */
export function explainTool(lib: ChatLibrary, args: { concept: string }): ToolResult {
  const term = findTerm(String(args.concept ?? ''));
  if (!term) return fail(`“${args.concept}” is not in the glossary. Terms: ${GLOSSARY.map((t) => t.name).join(', ')}.`);
  const all = term.examples(lib.analysed());
  // At most three examples, from different tracks first.
  const picked: typeof all = [];
  for (const e of all) if (picked.length < 3 && !picked.some((p) => p.track.id === e.track.id)) picked.push(e);
  const citations: Citation[] = picked.map((e) => (e.start === undefined ? { trackId: e.track.id, title: titleOf(e.track), what: term.id } : { trackId: e.track.id, title: titleOf(e.track), what: term.id, start: Math.round(e.start * 100) / 100, end: Math.round((e.end ?? e.start) * 100) / 100 }));
  const ex = picked.map((e) => `“${titleOf(e.track)}”${e.start !== undefined ? ` at ${clock(e.start)}` : ''} (${e.detail})`);
  const tracksWith = new Set(all.map((e) => e.track.id)).size;
  const text = `${term.name[0]!.toUpperCase()}${term.name.slice(1)}: ${term.definition}${ex.length ? `\nIn your library: ${ex.join('; ')}${tracksWith > picked.length ? ` — ${tracksWith} tracks in all` : ''}.` : '\nNo example of it was measured in your library yet.'}`;
  return { ok: true, data: { term: term.id, name: term.name, definition: term.definition, examples: picked.map((e) => ({ trackId: e.track.id, title: titleOf(e.track), start: e.start ?? null, end: e.end ?? null, detail: e.detail })), tracksWithIt: tracksWith }, text, citations };
}

/** Saves a smart playlist (a live saved search, in the search helper's playlists table) and lists what it holds now. */
export function playlistTool(lib: ChatLibrary, args: { query: string; name?: string }): ToolResult {
  const query = String(args.query ?? '').trim();
  if (!query) return fail('Say what the playlist should hold, e.g. "make a playlist of upbeat minor-key songs".');
  const found = searchTool(lib, { query, limit: 50 });
  const total = (found.data as { total?: number }).total ?? 0;
  if (!found.ok || total === 0) return { ...found, ok: false, text: `No playlist was made: ${found.text}` };
  const name = (args.name?.trim() || query.replace(/^./, (c) => c.toUpperCase())).slice(0, 100);
  let saved;
  try {
    saved = new PlaylistsRepo(lib.store.db).save(name, query);
  } catch (err) {
    return fail(`The playlist could not be saved: ${(err as Error).message}`);
  }
  return {
    ok: true,
    data: { playlist: { id: saved.id, name: saved.name, query: saved.query }, ...(found.data as object) },
    text: `Saved the playlist “${saved.name}” (a live search for “${query}”) with ${total} track${total === 1 ? '' : 's'} now:\n${found.text.split('\n').slice(1).join('\n')}`,
    citations: found.citations,
  };
}

/** Library statistics: totals, keys, modes, meters, tempi, devices; or how many tracks match a search. */
export function statsTool(lib: ChatLibrary, args: { query?: string; measure?: 'key' | 'mode' | 'meter' | 'tempo' | 'device' | 'overview' }): ToolResult {
  if (args.query && args.query.trim()) {
    const engine = new SearchEngine(lib.store.db);
    const r = engine.search(args.query, { limit: 100 });
    const cites = r.hits.map((h) => ({ trackId: h.trackId, title: h.title ?? h.path, what: 'match' }));
    const notes = r.notes.length ? ` (${r.notes.join('; ')})` : '';
    return {
      ok: true,
      data: { query: r.query.text, count: r.total, tracks: r.hits.map((h) => ({ trackId: h.trackId, title: h.title })), notes: r.notes },
      text: `${r.total} track${r.total === 1 ? "" : "s"} of ${lib.tracks().length} ${r.total === 1 ? "matches" : "match"} “${r.query.text}”${notes}${r.total ? `: ${r.hits.map((h) => `“${h.title ?? h.path}”`).join(', ')}` : ''}.`,
      citations: cites,
    };
  }
  const analysed = lib.analysed();
  const cites = (ids: number[]) => ids.map((id) => ({ trackId: id, title: titleOf(lib.track(id)!), what: 'statistics' }));
  const countBy = (f: (a: TrackAnalysis) => string) => {
    const m = new Map<string, number[]>();
    for (const x of analysed) m.set(f(x.analysis), [...(m.get(f(x.analysis)) ?? []), x.track.id]);
    return [...m.entries()].map(([value, ids]) => ({ value, count: ids.length, ids })).sort((p, q) => q.count - p.count || p.value.localeCompare(q.value));
  };
  const measure = args.measure ?? 'overview';
  if (measure === 'key' || measure === 'mode' || measure === 'meter' || measure === 'device') {
    const groups =
      measure === 'device'
        ? (() => {
            const m = new Map<string, number[]>();
            for (const x of analysed) for (const k of new Set(x.analysis.theory.devices.filter((d) => d.kind !== 'cadence').map((d) => (d.kind === 'progression' ? d.label.replace(/\s*\(.*\)$/, '') : d.kind)))) m.set(k, [...(m.get(k) ?? []), x.track.id]);
            return [...m.entries()].map(([value, ids]) => ({ value, count: ids.length, ids })).sort((p, q) => q.count - p.count || p.value.localeCompare(q.value));
          })()
        : countBy((a) => (measure === 'key' ? keyName(a.key.global) : measure === 'mode' ? a.key.global.mode : a.rhythm.meter));
    if (!groups.length) return { ok: true, data: { measure, groups: [] }, text: `Nothing to count: no track is analysed yet.`, citations: [] };
    const top = groups[0]!;
    const tied = groups.filter((g) => g.count === top.count);
    const label = measure === 'device' ? 'harmonic device' : measure;
    return {
      ok: true,
      data: { measure, analysed: analysed.length, groups: groups.map((g) => ({ value: g.value, count: g.count })) },
      text: `${tied.length > 1 ? `The most common ${label}s are ${tied.map((g) => g.value).join(', ')} (${top.count} tracks each)` : `The most common ${label} is ${top.value} (${top.count} of ${analysed.length} analysed tracks)`}. All: ${groups.map((g) => `${g.value} ${g.count}`).join(', ')}.`,
      citations: cites(tied.flatMap((g) => g.ids)),
    };
  }
  if (measure === 'tempo') {
    if (!analysed.length) return { ok: true, data: { measure }, text: 'No track is analysed yet.', citations: [] };
    const bpms = analysed.map((x) => ({ id: x.track.id, bpm: x.analysis.rhythm.bpm })).sort((p, q) => p.bpm - q.bpm);
    const mean = bpms.reduce((s, x) => s + x.bpm, 0) / bpms.length;
    const lo = bpms[0]!;
    const hi = bpms.at(-1)!;
    return {
      ok: true,
      data: { measure, averageBpm: round1(mean), slowest: { trackId: lo.id, bpm: round1(lo.bpm) }, fastest: { trackId: hi.id, bpm: round1(hi.bpm) } },
      text: `The average tempo is ${round1(mean)} BPM over ${bpms.length} analysed tracks; the slowest is “${titleOf(lib.track(lo.id)!)}” (${round1(lo.bpm)} BPM), the fastest “${titleOf(lib.track(hi.id)!)}” (${round1(hi.bpm)} BPM).`,
      citations: cites([lo.id, hi.id]),
    };
  }
  const tracks = lib.tracks();
  const seconds = tracks.reduce((s, t) => s + (t.duration ?? 0), 0);
  const modes = countBy((a) => a.key.global.mode);
  return {
    ok: true,
    data: { tracks: tracks.length, analysed: analysed.length, seconds: Math.round(seconds), modes: modes.map((g) => ({ value: g.value, count: g.count })) },
    text: `Your library has ${tracks.length} track${tracks.length === 1 ? '' : 's'} (${clock(seconds)} in all), ${analysed.length} analysed: ${modes.map((g) => `${g.count} in ${g.value}`).join(', ') || 'none yet'}.`,
    citations: [],
  };
}

/** Said with every model caption: it is the model's text, not a measurement. */
export const CAPTION_NOTICE = 'Model captions are unverified: written by an audio-language model, not measured. Where a claim disagrees with the measurements, trust the measurements.';

/**
 * A track's newest caption by an audio-language model (Music Flamingo, app/deep): its text with how
 * its checkable claims fared against the measurements, cited as unverified. Says plainly when there
 * is none, and when no model server is configured.
 */
export function modelCaptionTool(lib: ChatLibrary, args: { track: string | number }, env: NodeJS.ProcessEnv = process.env): ToolResult {
  const track = typeof args.track === 'number' ? lib.track(args.track) : lib.resolve(String(args.track ?? ''));
  if (!track) return fail(`No track in the library matches “${args.track}”.`);
  const title = titleOf(track);
  const source = captionSource(lib.store, track.id);
  if (!source) {
    const tables = lib.store.deep.available();
    const configured = tables && configuredBackends(lib.store, env).length > 0;
    const text = !tables
      ? `There is no model caption of “${title}”: this library has no deep-analysis tables yet (open it with this version of Linernotes to add them).`
      : configured
        ? `There is no model caption of “${title}” yet. Deep analysis runs only for songs or folders you opt in: linernotes deep enable track ${track.id}, then linernotes deep queue.`
        : `There is no model caption of “${title}”: no audio-language model is configured (add your Music Flamingo server with linernotes models add, or set LINERNOTES_ALM_URL).`;
    return { ok: false, data: { error: 'no caption', trackId: track.id, modelConfigured: configured }, text, citations: [{ trackId: track.id, title }] };
  }
  return {
    ok: true,
    data: {
      trackId: track.id,
      title,
      model: source.model,
      unverified: true,
      notice: CAPTION_NOTICE,
      caption: source.caption,
      lyrics: source.lyrics,
      answers: source.answers,
      claims: source.tally,
      disagreements: source.disagreements,
      createdAt: new Date(source.createdAt).toISOString(),
    },
    text: `${source.text}
(${CAPTION_NOTICE})`,
    citations: [source.citation],
  };
}

/** The tools as OpenAI-style function specs (JSON Schema parameters). */
export const TOOL_SPECS = [
  { type: 'function', function: { name: 'search', description: 'Find tracks in the user\'s library in plain English (key, tempo, meter, harmonic devices, sections, mood words, artist). Returns ranked hits with why they matched and evidence times.', parameters: { type: 'object', properties: { query: { type: 'string' }, limit: { type: 'integer', minimum: 1, maximum: 50 } }, required: ['query'] } } },
  { type: 'function', function: { name: 'get_track_analysis', description: 'Measured facts about one track: overview, key, key-change, tempo, meter, chords (optionally of one section), form, devices, loudness, or why it sounds a way (mood).', parameters: { type: 'object', properties: { track: { type: 'string', description: 'title or track id' }, aspect: { type: 'string', enum: ['overview', 'key', 'key-change', 'tempo', 'meter', 'chords', 'form', 'devices', 'loudness', 'mood'] }, section: { type: 'string', enum: SECTIONS }, feeling: { type: 'string', description: 'for mood: e.g. sad, happy' } }, required: ['track'] } } },
  { type: 'function', function: { name: 'compare_tracks', description: 'Compare tracks on one measure (which is faster, louder, happier …) or on everything.', parameters: { type: 'object', properties: { tracks: { type: 'array', items: { type: 'string' }, minItems: 2 }, aspect: { type: 'string', enum: ['tempo', 'key', 'meter', 'loudness', 'energy', 'valence', 'danceability', 'duration', 'devices', 'all'] }, direction: { type: 'string', enum: ['more', 'less'] } }, required: ['tracks'] } } },
  { type: 'function', function: { name: 'explain_concept', description: 'Explain a music term we measure (harmonic devices, form sections, rhythm, key, sound measures) with examples from the user\'s library.', parameters: { type: 'object', properties: { concept: { type: 'string' } }, required: ['concept'] } } },
  { type: 'function', function: { name: 'make_playlist', description: 'Save a smart playlist (a live search) and list its tracks.', parameters: { type: 'object', properties: { query: { type: 'string' }, name: { type: 'string' } }, required: ['query'] } } },
  { type: 'function', function: { name: 'get_model_caption', description: 'What the audio-language model (Music Flamingo) wrote about one track: its caption, lyric sheet and answers, with how its checkable claims compare with the measurements. Model text, unverified: never state it as a measured fact.', parameters: { type: 'object', properties: { track: { type: 'string', description: 'title or track id' } }, required: ['track'] } } },
  { type: 'function', function: { name: 'library_stats', description: 'Library statistics: overview, most common key/mode/meter/device, tempo range; or how many tracks match a search query.', parameters: { type: 'object', properties: { query: { type: 'string' }, measure: { type: 'string', enum: ['overview', 'key', 'mode', 'meter', 'tempo', 'device'] } } } } },
] as const;

export type ToolName = (typeof TOOL_SPECS)[number]['function']['name'];

/** Runs a tool by its spec name with arguments from a model (checked here, never trusted). */
export function runTool(lib: ChatLibrary, name: string, args: unknown): ToolResult {
  const a = (args && typeof args === 'object' ? args : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
  switch (name) {
    case 'search':
      return searchTool(lib, { query: str(a.query), limit: typeof a.limit === 'number' ? a.limit : undefined });
    case 'get_track_analysis':
      return trackAnalysisTool(lib, { track: str(a.track), aspect: str(a.aspect) as TrackAspect, section: str(a.section), feeling: str(a.feeling) || undefined });
    case 'compare_tracks':
      return compareTool(lib, { tracks: Array.isArray(a.tracks) ? a.tracks.map(str) : [], aspect: (str(a.aspect) || undefined) as CompareAspect | undefined, direction: a.direction === 'less' ? 'less' : 'more' });
    case 'explain_concept':
      return explainTool(lib, { concept: str(a.concept) });
    case 'make_playlist':
      return playlistTool(lib, { query: str(a.query), name: str(a.name) || undefined });
    case 'get_model_caption':
      return modelCaptionTool(lib, { track: str(a.track) });
    case 'library_stats':
      return statsTool(lib, { query: str(a.query) || undefined, measure: (str(a.measure) || undefined) as 'overview' | undefined });
    default:
      return fail(`unknown tool “${name}”`);
  }
}
