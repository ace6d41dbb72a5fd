/**
 * POP909-CL ground truth for one song, read from its JAMS file with app/analysis/jams.ts, in the
 * shapes the scoring needs. Also `truthAsAnalysis`, which dresses the ground truth up as a
 * HarmonyAnalysis (an "oracle" analyser: scoring it must give perfect marks, which checks the scoring
 * end to end without audio).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { ChordQuality, ChordSegment, HarmonicDevice, Key, KeySegment, Meter, HarmonyAnalysis } from '../../../app/analysis/types.ts';
import { jamsBeats, jamsChords, jamsGlobalKey, jamsKeys, jamsTempo, parseJams, pitchClassOf } from '../../../app/analysis/jams.ts';
import type { Interval } from '../mireval/index.ts';
import { jamsKeyToMirEval } from '../mireval/index.ts';
import { jamsPath, midiPath } from './dataset.ts';
import type { ScoreNote } from './keyEvidence.ts';
import { readScoreNotes } from './scoreNotes.ts';

export interface Concept {
  present: boolean;
  count: number;
  seconds: number;
}

export interface RomanNumeral {
  time: number;
  duration: number;
  label: string;
  roman: string;
  flags: string[];
}

export interface SongTruth {
  id: string;
  durationSec: number;
  chords: { intervals: Interval[]; labels: string[] };
  /**
   * The song's global key: the `key_mode` value with the longest total duration (the key index.json
   * lists). `value` as in JAMS ('Gb:major'), `mirEval` as mir_eval.key wants it ('Gb major').
   */
  key: { value: string; mirEval: string; key: Key | null };
  keySegments: { start: number; end: number; value: string; key: Key | null }[];
  beats: number[];
  /** Beats whose position in the bar is 1. */
  downbeats: number[];
  tempoBpm: number;
  timeSignature: string;
  concepts: Record<string, Concept>;
  romans: RomanNumeral[];
  /** The score's notes (its MIDI file), where loaded: for the annotation checks (keyEvidence.ts, borrowedCheck.ts). */
  scoreNotes: ScoreNote[] | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function concepts(sandbox: Record<string, unknown>): Record<string, Concept> {
  const out: Record<string, Concept> = {};
  const raw = sandbox.concepts;
  if (!isObject(raw)) return out;
  for (const [name, c] of Object.entries(raw)) {
    if (!isObject(c)) continue;
    out[name] = { present: c.present === true, count: typeof c.count === 'number' ? c.count : 0, seconds: typeof c.seconds === 'number' ? c.seconds : 0 };
  }
  return out;
}

/** Parses one song's JAMS document (string or object) into its ground truth. */
export function truthFromJams(id: string, json: string | unknown): SongTruth {
  const doc = parseJams(json);
  const chords = jamsChords(doc);
  if (chords.length === 0) throw new Error(`${id}: no chord annotation`);
  const global = jamsGlobalKey(doc);
  if (!global) throw new Error(`${id}: no key_mode annotation`);
  const tempo = jamsTempo(doc);
  if (!tempo) throw new Error(`${id}: no tempo annotation`);
  const beats = jamsBeats(doc);
  const sandbox = doc.sandbox;
  const romans = Array.isArray(sandbox.roman_numerals) ? (sandbox.roman_numerals as RomanNumeral[]) : [];
  return {
    id,
    durationSec: doc.file_metadata.duration ?? Math.max(...chords.map((c) => c.end)),
    chords: { intervals: chords.map((c) => [c.start, c.end] as const), labels: chords.map((c) => c.label) },
    key: { value: global.label, mirEval: jamsKeyToMirEval(global.label), key: global.key },
    keySegments: jamsKeys(doc).map((k) => ({ start: k.start, end: k.end, value: k.label, key: k.key })),
    beats: beats.map((b) => b.time),
    downbeats: beats.filter((b) => b.position === 1).map((b) => b.time),
    tempoBpm: tempo.bpm,
    timeSignature: typeof sandbox.time_signature === 'string' ? sandbox.time_signature : '4/4',
    concepts: concepts(sandbox),
    romans,
    scoreNotes: null,
  };
}

/** A song's ground truth with its score's notes (when its MIDI file is there). */
export function loadTruth(id: string, dir?: string): SongTruth {
  const truth = truthFromJams(id, readFileSync(jamsPath(id, dir), 'utf8'));
  const midi = midiPath(id, dir);
  return existsSync(midi) ? { ...truth, scoreNotes: readScoreNotes(midi) } : truth;
}

/** Whether the ground truth says the song uses a concept (modal_interchange, modulation, …). */
export function hasConcept(truth: SongTruth, concept: string): boolean {
  return truth.concepts[concept]?.present === true;
}

const QUALITIES: readonly ChordQuality[] = ['maj', 'min', '7', 'maj7', 'min7', 'dim', 'aug', 'sus2', 'sus4', 'hdim7', 'dim7'];
const BASS_SEMITONES: Record<string, number> = { '1': 0, b2: 1, '2': 2, b3: 3, '3': 4, '4': 5, b5: 6, '5': 7, '#5': 8, '6': 9, b7: 10, '7': 11 };

/** Root / quality / bass of a Harte label, as far as ChordSegment can say it (other qualities become 'maj'). */
function chordSegment(start: number, end: number, label: string): ChordSegment {
  if (label === 'N' || label === 'X') return { start, end, root: null, quality: 'N', bass: null, confidence: 1, label };
  const m = /^([A-G][b#]*)(?::([a-z0-9]*))?(?:\([^)]*\))?(?:\/(.+))?$/.exec(label);
  const root = m ? pitchClassOf(m[1]!) : null;
  if (root === null) return { start, end, root: null, quality: 'N', bass: null, confidence: 1, label };
  const q = (m?.[2] ?? 'maj') as ChordQuality;
  const quality: ChordQuality = QUALITIES.includes(q) ? q : 'maj';
  const bassDegree = m?.[3];
  const bass = bassDegree !== undefined && BASS_SEMITONES[bassDegree] !== undefined ? (root + BASS_SEMITONES[bassDegree]!) % 12 : root;
  return { start, end, root, quality, bass, confidence: 1, label };
}

const METERS: readonly string[] = ['4/4', '3/4', '6/8', '2/4', '12/8'];

/**
 * The ground truth as a HarmonyAnalysis: chords with the reference labels, the global key (and the key
 * segments), beats, downbeats and tempo, and one device per concept the song has (modal interchange,
 * secondary dominant, tritone substitution, modulation). Scoring it must give 1 on every metric.
 */
export function truthAsAnalysis(truth: SongTruth): HarmonyAnalysis {
  const [num] = truth.timeSignature.split('/');
  const beatsPerBar = Number(num) || 4;
  const segments: KeySegment[] = truth.keySegments
    .filter((k): k is typeof k & { key: Key } => k.key !== null)
    .map((k) => ({ start: k.start, end: k.end, key: k.key, confidence: 1 }));
  const kinds: Record<string, HarmonicDevice['kind']> = {
    modal_interchange: 'modal-interchange',
    secondary_dominant: 'secondary-dominant',
    tritone_substitution: 'tritone-substitution',
    modulation: 'modulation',
  };
  const devices: HarmonicDevice[] = Object.entries(kinds)
    .filter(([concept]) => hasConcept(truth, concept))
    .map(([concept, kind]) => ({ kind, label: concept, start: 0, end: truth.durationSec, chordIndices: [], confidence: 1 }));
  return {
    durationSec: truth.durationSec,
    sampleRate: 44100,
    versions: { oracle: 1 },
    frontend: { tuningCents: 0, frameRate: 0 },
    rhythm: {
      bpm: truth.tempoBpm,
      confidence: 1,
      tempoCurve: [],
      beats: [...truth.beats],
      downbeats: [...truth.downbeats],
      meter: (METERS.includes(truth.timeSignature) ? truth.timeSignature : '4/4') as Meter,
      beatsPerBar,
      meterConfidence: 1,
    },
    key: { global: truth.key.key ?? { tonic: 0, mode: 'major' }, confidence: 1, segments },
    chords: { chords: truth.chords.intervals.map((iv, i) => chordSegment(iv[0], iv[1], truth.chords.labels[i]!)) },
    theory: { romans: [], devices },
    timings: {},
  };
}
