/**
 * JAMS (JSON Annotated Music Specification, version 0.3) export and import.
 *
 * `toJams` writes one track's analysis as a JAMS document with four annotations, in this order:
 * - `chord`:    one observation per chord segment, value = Harte label ('A:min7', 'G:7/3', 'N'),
 *               confidence = the segment's confidence;
 * - `key_mode`: one observation per local key segment, value = 'E:minor' / 'A:major';
 * - `beat`:     one observation per beat (duration 0), value = position in the bar (1 = downbeat,
 *               1..beatsPerBar), or null where no downbeat gives the bar's phase;
 * - `tempo`:    one observation over the whole track, value = BPM, confidence in [0, 1];
 * - `segment_open` (when the form was measured): one observation per section, value = its label
 *               ('intro', 'verse', 'chorus', …), confidence = the section's; the repetition group
 *               letters and the Roman-numeral progressions are in the annotation's sandbox.
 * Shapes follow jams_schema.json (file_metadata, annotations[] with annotation_metadata / namespace /
 * data / sandbox / time / duration, sparse observations {time, duration, value, confidence}) and the
 * namespace schemata (chord: the Harte pattern of namespaces/chord/chord.json; key_mode; beat; tempo;
 * segment_open: any string value).
 *
 * `parseJams` reads any JAMS 0.3 document (ours, or ground truth such as POP909's) into plain typed
 * data, checking the required keys, and has helpers for the common namespaces.
 */
import type { ChordSegment, FormResult, HarmonyAnalysis, Key, KeySegment, Mode, PitchClass } from './types.ts';

/** What the export reads: the engine-I results, and the form when there is one. */
export type JamsInput = HarmonyAnalysis & { form?: FormResult | null };

export const JAMS_VERSION = '0.3.4';
export const ANNOTATOR_NAME = 'linernotes';
export const DATA_SOURCE = 'linernotes analysis';

// ---------------------------------------------------------------------------
// Document shapes
// ---------------------------------------------------------------------------

export interface JamsObservation {
  time: number;
  duration: number;
  value: unknown;
  confidence: unknown;
}

export interface JamsAnnotationMetadata {
  curator?: { name: string; email: string };
  annotator?: Record<string, unknown>;
  version?: string | number;
  corpus?: string;
  annotation_tools?: string;
  annotation_rules?: string;
  validation?: string;
  data_source?: string;
  [key: string]: unknown;
}

export interface JamsAnnotation {
  annotation_metadata: JamsAnnotationMetadata;
  namespace: string;
  data: JamsObservation[];
  sandbox: Record<string, unknown>;
  time: number | null;
  duration: number | null;
}

export interface JamsFileMetadata {
  title: string;
  artist: string;
  release: string;
  duration: number | null;
  identifiers: Record<string, unknown>;
  jams_version: string;
}

export interface JamsDocument {
  file_metadata: JamsFileMetadata;
  annotations: JamsAnnotation[];
  sandbox: Record<string, unknown>;
}

export interface ToJamsMeta {
  title?: string;
  artist?: string;
  release?: string;
  durationSec: number;
  /** Analyser versions to record; default (and merged under these): `analysis.versions`. */
  analyserVersions?: Record<string, number>;
  /** `annotation_metadata.corpus` (e.g. the library or data set), default ''. */
  corpus?: string;
  /** `file_metadata.identifiers` (e.g. { musicbrainz: '…' }), default {}. */
  identifiers?: Record<string, unknown>;
}

// ---------------------------------------------------------------------------
// Spelling
// ---------------------------------------------------------------------------

/** The Harte pattern of the JAMS `chord` namespace (namespaces/chord/chord.json; the same grammar as mir_eval.chord). */
export const HARTE_CHORD_RE =
  /^((N|X)|(([A-G](b*|#*))((:(maj|min|dim|aug|1|5|sus2|sus4|maj6|min6|7|maj7|min7|dim7|hdim7|minmaj7|aug7|9|maj9|min9|11|maj11|min11|13|maj13|min13)(\((\*?((b*|#*)([1-9]|1[0-3]?))(,\*?((b*|#*)([1-9]|1[0-3]?)))*)\))?)|(:\((\*?((b*|#*)([1-9]|1[0-3]?))(,\*?((b*|#*)([1-9]|1[0-3]?)))*)\)))?((\/((b*|#*)([1-9]|1[0-3]?)))?)?))$/;

/** The `key_mode` namespace pattern, anchored at both ends. */
export const KEY_MODE_RE = /^(N|([A-G][b#]?)(:(major|minor|ionian|dorian|phrygian|lydian|mixolydian|aeolian|locrian))?)$/;

const CHORD_ROOT_NAMES = ['C', 'Db', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'];
const MAJOR_KEY_NAMES = ['C', 'Db', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'];
const MINOR_KEY_NAMES = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'G#', 'A', 'Bb', 'B'];
/** Bass degree (semitones above the root) in Harte notation. */
const BASS_DEGREES = ['1', 'b2', '2', 'b3', '3', '4', 'b5', '5', '#5', '6', 'b7', '7'];
const LETTER_PC: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };

const pc = (n: number): PitchClass => ((Math.round(n) % 12) + 12) % 12;

/** 'E:minor' for { tonic: 4, mode: 'minor' }. */
export function keyModeValue(key: Key): string {
  const names = key.mode === 'minor' ? MINOR_KEY_NAMES : MAJOR_KEY_NAMES;
  return `${names[pc(key.tonic)]!}:${key.mode}`;
}

/** Pitch class of a note name ('F#' → 6, 'Cb' → 11), or null if it is not one. */
export function pitchClassOf(name: string): PitchClass | null {
  const m = /^([A-G])([b#]*)$/.exec(name);
  if (!m) return null;
  let v = LETTER_PC[m[1]!]!;
  for (const ch of m[2]!) v += ch === '#' ? 1 : -1;
  return pc(v);
}

/** Parses a `key_mode` value: 'E:minor' → { tonic: 4, mode: 'minor' }; 'N', a bare tonic or a church mode → null key. */
export function parseKeyMode(value: string): { tonic: PitchClass | null; mode: string | null; key: Key | null } {
  if (!KEY_MODE_RE.test(value) || value === 'N') return { tonic: null, mode: null, key: null };
  const [tonicName, modeName] = value.split(':') as [string, string | undefined];
  const tonic = pitchClassOf(tonicName);
  const mode = modeName ?? null;
  const normalized: Mode | null = mode === 'major' || mode === 'ionian' ? 'major' : mode === 'minor' || mode === 'aeolian' ? 'minor' : null;
  return { tonic, mode, key: tonic !== null && normalized ? { tonic, mode: normalized } : null };
}

/** A chord segment's Harte label: its own `label` when that is valid Harte, else spelled from root / quality / bass. */
export function harteLabel(seg: Pick<ChordSegment, 'label' | 'root' | 'quality' | 'bass'>): string {
  if (typeof seg.label === 'string' && HARTE_CHORD_RE.test(seg.label)) return seg.label;
  if (seg.quality === 'N' || seg.root === null) return 'N';
  let label = `${CHORD_ROOT_NAMES[pc(seg.root)]!}:${seg.quality}`;
  if (seg.bass !== null && pc(seg.bass) !== pc(seg.root)) label += `/${BASS_DEGREES[pc(seg.bass - seg.root)]!}`;
  return HARTE_CHORD_RE.test(label) ? label : 'X';
}

/**
 * Position in the bar of each beat (1 = downbeat), from the downbeats: beats after a downbeat count
 * 2, 3, … (wrapping after beatsPerBar if a downbeat is missing); beats before the first downbeat count
 * backwards from it (an upbeat in 4/4 is 4). Null for every beat when there is no downbeat.
 * A beat is a downbeat when a downbeat lies within `tolerance` seconds of it.
 */
export function beatPositions(beats: readonly number[], downbeats: readonly number[], beatsPerBar: number, tolerance = 0.001): (number | null)[] {
  const bpb = Math.max(1, Math.round(beatsPerBar));
  const sortedDown = [...downbeats].sort((a, b) => a - b);
  let d = 0;
  const isDown = beats.map((t) => {
    while (d < sortedDown.length && sortedDown[d]! < t - tolerance) d++;
    return d < sortedDown.length && Math.abs(sortedDown[d]! - t) <= tolerance;
  });
  const first = isDown.indexOf(true);
  if (first < 0) return beats.map(() => null);
  const out: (number | null)[] = new Array<number | null>(beats.length).fill(null);
  let count = 0;
  for (let i = first; i < beats.length; i++) {
    count = isDown[i] ? 0 : count + 1;
    out[i] = (count % bpb) + 1;
  }
  for (let i = first - 1; i >= 0; i--) out[i] = ((((i - first) % bpb) + bpb) % bpb) + 1;
  return out;
}

// ---------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------

/** Seconds rounded to the microsecond and never negative (JAMS times and durations have minimum 0). */
const sec = (x: number): number => Math.max(0, Math.round(x * 1e6) / 1e6);
const conf = (x: number): number => (Number.isFinite(x) ? Math.min(1, Math.max(0, Math.round(x * 1e4) / 1e4)) : 0);

function metadata(analyser: string, versions: Record<string, number>, corpus: string, rules: string): JamsAnnotationMetadata {
  const version = versions[analyser] ?? null;
  return {
    curator: { name: '', email: '' },
    annotator: { name: ANNOTATOR_NAME, version, analyser },
    version: version === null ? analyser : `${analyser} v${version}`,
    corpus,
    annotation_tools: `${ANNOTATOR_NAME} ${analyser} analyser`,
    annotation_rules: rules,
    validation: '',
    data_source: DATA_SOURCE,
  };
}

function keySegments(analysis: JamsInput, duration: number): KeySegment[] {
  if (analysis.key.segments.length > 0) return analysis.key.segments;
  return [{ start: 0, end: duration, key: analysis.key.global, confidence: analysis.key.confidence }];
}

/**
 * One track's analysis as a JAMS 0.3 document (a plain JSON-serialisable object; see the module
 * comment for the annotations). `meta.durationSec` is the file's duration; every annotation spans
 * [0, durationSec].
 */
export function toJams(analysis: JamsInput, meta: ToJamsMeta): JamsDocument {
  const duration = sec(meta.durationSec);
  const versions: Record<string, number> = { ...analysis.versions, ...(meta.analyserVersions ?? {}) };
  const corpus = meta.corpus ?? '';
  const span = { time: 0, duration };

  const chord: JamsAnnotation = {
    annotation_metadata: metadata('chords', versions, corpus, 'Harte chord labels, one observation per chord segment'),
    namespace: 'chord',
    data: analysis.chords.chords.map((c) => ({
      time: sec(c.start),
      duration: sec(c.end - c.start),
      value: harteLabel(c),
      confidence: conf(c.confidence),
    })),
    sandbox: {},
    ...span,
  };

  const keyMode: JamsAnnotation = {
    annotation_metadata: metadata('key', versions, corpus, 'local keys; the global key is in sandbox.global'),
    namespace: 'key_mode',
    data: keySegments(analysis, duration).map((k) => ({
      time: sec(k.start),
      duration: sec(k.end - k.start),
      value: keyModeValue(k.key),
      confidence: conf(k.confidence),
    })),
    sandbox: { global: keyModeValue(analysis.key.global), global_confidence: conf(analysis.key.confidence) },
    ...span,
  };

  const r = analysis.rhythm;
  const positions = beatPositions(r.beats, r.downbeats, r.beatsPerBar);
  const beat: JamsAnnotation = {
    annotation_metadata: metadata('rhythm', versions, corpus, 'beat times; value = position in the bar (1 = downbeat)'),
    namespace: 'beat',
    data: r.beats.map((t, i) => ({ time: sec(t), duration: 0, value: positions[i] ?? null, confidence: null })),
    sandbox: { meter: r.meter, beats_per_bar: r.beatsPerBar, meter_confidence: conf(r.meterConfidence), downbeats: r.downbeats.map(sec) },
    ...span,
  };

  const tempo: JamsAnnotation = {
    annotation_metadata: metadata('rhythm', versions, corpus, 'global tempo of the beat level in the beat annotation'),
    namespace: 'tempo',
    data: [{ time: 0, duration, value: Math.max(0, r.bpm), confidence: conf(r.confidence) }],
    sandbox: { tempo_curve: r.tempoCurve.map((p) => ({ time: sec(p.time), bpm: p.bpm })) },
    ...span,
  };

  const annotations = [chord, keyMode, beat, tempo];
  if (analysis.form) {
    const sections = analysis.form.sections;
    annotations.push({
      annotation_metadata: metadata('form', versions, corpus, 'sections labelled intro/verse/pre-chorus/chorus/bridge/instrumental/outro; repeated material shares a group letter (sandbox.groups)'),
      namespace: 'segment_open',
      data: sections.map((x) => ({ time: sec(x.start), duration: sec(x.end - x.start), value: x.label, confidence: conf(x.confidence) })),
      sandbox: { summary: analysis.form.summary, confidence: conf(analysis.form.confidence), groups: sections.map((x) => x.group), progressions: sections.map((x) => x.progression) },
      ...span,
    });
  }

  return {
    file_metadata: {
      title: meta.title ?? '',
      artist: meta.artist ?? '',
      release: meta.release ?? '',
      duration,
      identifiers: meta.identifiers ?? {},
      jams_version: JAMS_VERSION,
    },
    annotations,
    sandbox: {
      linernotes: {
        versions,
        sample_rate: analysis.sampleRate,
        analysed_duration: sec(analysis.durationSec),
        tuning_cents: analysis.frontend?.tuningCents ?? null,
      },
    },
  };
}

// ---------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------

export class JamsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JamsError';
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function num(v: unknown, where: string, nullable = false): number | null {
  if (v === null && nullable) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new JamsError(`${where}: expected a number, got ${JSON.stringify(v)}`);
  if (v < 0) throw new JamsError(`${where}: must be >= 0, got ${v}`);
  return v;
}

function parseData(data: unknown, where: string): JamsObservation[] {
  if (Array.isArray(data)) {
    return data.map((o, i) => {
      const w = `${where}[${i}]`;
      if (!isObject(o)) throw new JamsError(`${w}: expected an observation object`);
      for (const k of ['time', 'duration', 'value', 'confidence']) if (!(k in o)) throw new JamsError(`${w}: missing '${k}'`);
      return { time: num(o.time, `${w}.time`)!, duration: num(o.duration, `${w}.duration`)!, value: o.value, confidence: o.confidence };
    });
  }
  if (isObject(data)) {
    // Dense form: parallel arrays.
    const { time, duration, value, confidence } = data;
    if (!Array.isArray(time) || !Array.isArray(duration) || !Array.isArray(value) || !Array.isArray(confidence)) {
      throw new JamsError(`${where}: dense data needs time, duration, value and confidence arrays`);
    }
    if (duration.length !== time.length || value.length !== time.length || confidence.length !== time.length) {
      throw new JamsError(`${where}: dense arrays differ in length`);
    }
    return time.map((t: unknown, i) => ({
      time: num(t, `${where}.time[${i}]`)!,
      duration: num(duration[i], `${where}.duration[${i}]`)!,
      value: value[i],
      confidence: confidence[i],
    }));
  }
  throw new JamsError(`${where}: expected an array of observations`);
}

/**
 * Reads a JAMS document (a JSON string or the parsed object). Checks what jams_schema.json requires:
 * annotations[] with annotation_metadata, namespace and data; observations with time, duration (>= 0),
 * value and confidence. Missing optional parts get their JAMS defaults. Throws JamsError.
 */
export function parseJams(json: string | unknown): JamsDocument {
  let doc: unknown = json;
  if (typeof json === 'string') {
    try {
      doc = JSON.parse(json);
    } catch (err) {
      throw new JamsError(`not JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (!isObject(doc)) throw new JamsError('a JAMS document is a JSON object');
  const fm = doc.file_metadata === undefined ? {} : doc.file_metadata;
  if (!isObject(fm)) throw new JamsError('file_metadata: expected an object');
  const str = (v: unknown, where: string): string => {
    if (v === undefined || v === null) return '';
    if (typeof v !== 'string') throw new JamsError(`${where}: expected a string`);
    return v;
  };
  const file_metadata: JamsFileMetadata = {
    title: str(fm.title, 'file_metadata.title'),
    artist: str(fm.artist, 'file_metadata.artist'),
    release: str(fm.release, 'file_metadata.release'),
    duration: fm.duration === undefined ? null : num(fm.duration, 'file_metadata.duration', true),
    identifiers: isObject(fm.identifiers) ? fm.identifiers : {},
    jams_version: str(fm.jams_version, 'file_metadata.jams_version'),
  };
  if (!Array.isArray(doc.annotations)) throw new JamsError('annotations: expected an array');
  const annotations = doc.annotations.map((a: unknown, i): JamsAnnotation => {
    const w = `annotations[${i}]`;
    if (!isObject(a)) throw new JamsError(`${w}: expected an object`);
    if (typeof a.namespace !== 'string' || !a.namespace) throw new JamsError(`${w}.namespace: expected a string`);
    if (!isObject(a.annotation_metadata)) throw new JamsError(`${w}.annotation_metadata: expected an object`);
    if (a.data === undefined) throw new JamsError(`${w}: missing 'data'`);
    return {
      annotation_metadata: a.annotation_metadata as JamsAnnotationMetadata,
      namespace: a.namespace,
      data: parseData(a.data, `${w}.data`),
      sandbox: isObject(a.sandbox) ? a.sandbox : {},
      time: a.time === undefined ? null : num(a.time, `${w}.time`, true),
      duration: a.duration === undefined ? null : num(a.duration, `${w}.duration`, true),
    };
  });
  return { file_metadata, annotations, sandbox: isObject(doc.sandbox) ? doc.sandbox : {} };
}

/** The first annotation of a namespace, or undefined. */
export function findAnnotation(doc: JamsDocument, namespace: string): JamsAnnotation | undefined {
  return doc.annotations.find((a) => a.namespace === namespace);
}

export interface LabeledSegment {
  start: number;
  end: number;
  label: string;
  confidence: number | null;
}

const confidenceOf = (c: unknown): number | null => (typeof c === 'number' && Number.isFinite(c) ? c : null);

/** The first `chord` annotation as labelled segments, in time order. Throws if a value is not Harte. */
export function jamsChords(doc: JamsDocument): LabeledSegment[] {
  const a = findAnnotation(doc, 'chord');
  if (!a) return [];
  return a.data
    .map((o, i) => {
      if (typeof o.value !== 'string' || !HARTE_CHORD_RE.test(o.value)) throw new JamsError(`chord data[${i}]: '${String(o.value)}' is not a Harte chord label`);
      return { start: o.time, end: o.time + o.duration, label: o.value, confidence: confidenceOf(o.confidence) };
    })
    .sort((x, y) => x.start - y.start);
}

export interface JamsKeySegment extends LabeledSegment {
  key: Key | null;
}

/** The first `key_mode` annotation's segments, in time order; `key` is null for 'N', bare tonics and church modes. */
export function jamsKeys(doc: JamsDocument): JamsKeySegment[] {
  const a = findAnnotation(doc, 'key_mode');
  if (!a) return [];
  return a.data
    .map((o, i) => {
      if (typeof o.value !== 'string' || !KEY_MODE_RE.test(o.value)) throw new JamsError(`key_mode data[${i}]: '${String(o.value)}' is not a key_mode value`);
      return { start: o.time, end: o.time + o.duration, label: o.value, confidence: confidenceOf(o.confidence), key: parseKeyMode(o.value).key };
    })
    .sort((x, y) => x.start - y.start);
}

/**
 * The track's global key from `key_mode`: the value with the longest total duration over all its
 * segments (the first to appear wins a tie). For POP909 this is the key `index.json` lists.
 */
export function jamsGlobalKey(doc: JamsDocument): JamsKeySegment | null {
  const segs = jamsKeys(doc);
  const total = new Map<string, number>();
  for (const s of segs) total.set(s.label, (total.get(s.label) ?? 0) + (s.end - s.start));
  let best: JamsKeySegment | null = null;
  for (const s of segs) if (!best || total.get(s.label)! > total.get(best.label)!) best = s;
  return best;
}

/** The first `segment_open` annotation's sections (value = label), in time order. */
export function jamsSegments(doc: JamsDocument): LabeledSegment[] {
  const a = findAnnotation(doc, 'segment_open');
  if (!a) return [];
  return a.data
    .map((o, i) => {
      if (typeof o.value !== 'string') throw new JamsError(`segment_open data[${i}]: '${String(o.value)}' is not a string`);
      return { start: o.time, end: o.time + o.duration, label: o.value, confidence: confidenceOf(o.confidence) };
    })
    .sort((x, y) => x.start - y.start);
}

/** The first `beat` annotation: times and positions in the bar (null when not given), in time order. */
export function jamsBeats(doc: JamsDocument): { time: number; position: number | null }[] {
  const a = findAnnotation(doc, 'beat');
  if (!a) return [];
  return a.data.map((o) => ({ time: o.time, position: typeof o.value === 'number' ? o.value : null })).sort((x, y) => x.time - y.time);
}

/** The first `tempo` annotation's most confident observation (the first on a tie), or null. */
export function jamsTempo(doc: JamsDocument): { bpm: number; confidence: number | null } | null {
  const a = findAnnotation(doc, 'tempo');
  if (!a) return null;
  let best: { bpm: number; confidence: number | null } | null = null;
  for (const o of a.data) {
    if (typeof o.value !== 'number') continue;
    const c = confidenceOf(o.confidence);
    if (!best || (c ?? 0) > (best.confidence ?? 0)) best = { bpm: o.value, confidence: c };
  }
  return best;
}
