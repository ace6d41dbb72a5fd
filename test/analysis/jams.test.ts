// JAMS export / import (app/analysis/jams.ts): schema shape, namespace value patterns, round trip.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type JamsInput,
  HARTE_CHORD_RE,
  JAMS_VERSION,
  JamsError,
  KEY_MODE_RE,
  beatPositions,
  findAnnotation,
  harteLabel,
  jamsBeats,
  jamsChords,
  jamsGlobalKey,
  jamsKeys,
  jamsSegments,
  jamsTempo,
  keyModeValue,
  parseJams,
  parseKeyMode,
  toJams,
} from '../../app/analysis/jams.ts';

function analysis(): JamsInput {
  // 4/4 at 120 BPM, an upbeat at 0.5 s, downbeats every 2 s from 1.0 s.
  const beats = Array.from({ length: 18 }, (_, i) => 0.5 + i * 0.5);
  return {
    durationSec: 9.25,
    sampleRate: 22050,
    versions: { frontend: 1, rhythm: 3, key: 2, chords: 5, theory: 1 },
    frontend: { tuningCents: -12, frameRate: 43.066 },
    rhythm: {
      bpm: 120,
      confidence: 0.87,
      tempoCurve: [],
      beats,
      downbeats: [1, 3, 5, 7, 9],
      meter: '4/4',
      beatsPerBar: 4,
      meterConfidence: 0.9,
    },
    key: {
      global: { tonic: 4, mode: 'minor' },
      confidence: 0.8,
      segments: [
        { start: 0, end: 6, key: { tonic: 4, mode: 'minor' }, confidence: 0.8 },
        { start: 6, end: 9.25, key: { tonic: 9, mode: 'major' }, confidence: 0.6 },
      ],
    },
    chords: {
      chords: [
        { start: 0, end: 1, root: null, quality: 'N', bass: null, confidence: 0.99, label: 'N' },
        { start: 1, end: 3, root: 4, quality: 'min', bass: 4, confidence: 0.7, label: 'E:min' },
        { start: 3, end: 5, root: 7, quality: '7', bass: 11, confidence: 0.55, label: 'G:7/3' },
        { start: 5, end: 7, root: 9, quality: 'min7', bass: 9, confidence: 0.6, label: 'A:min7' },
        // A label that is not Harte: spelled again from root / quality / bass.
        { start: 7, end: 9.25, root: 2, quality: 'maj', bass: 6, confidence: 0.5, label: 'D/F#' },
      ],
    },
    theory: { romans: [], devices: [] },
    form: {
      sections: [
        { start: 0, end: 1, label: 'intro', group: 'A', confidence: 0.6, energy: 0.3, progression: '' },
        { start: 1, end: 5, label: 'verse', group: 'B', confidence: 0.7, energy: 0.5, progression: 'i–V7' },
        { start: 5, end: 9.25, label: 'chorus', group: 'C', confidence: 0.8, energy: 0.9, progression: 'iv7–♭VII' },
      ],
      summary: 'intro–verse–chorus',
      confidence: 0.7,
    },
    timings: { decode: 10 },
  };
}

describe('toJams', () => {
  const a = analysis();
  const doc = toJams(a, { title: 'Song', artist: 'Band', durationSec: 9.25, analyserVersions: { chords: 6 } });
  const json = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;

  it('has the JAMS top level and file metadata', () => {
    expect(Object.keys(json).sort()).toEqual(['annotations', 'file_metadata', 'sandbox']);
    expect(doc.file_metadata).toEqual({ title: 'Song', artist: 'Band', release: '', duration: 9.25, identifiers: {}, jams_version: JAMS_VERSION });
    expect(JAMS_VERSION).toBe('0.3.4');
    expect(doc.sandbox).toMatchObject({ linernotes: { versions: { chords: 6, rhythm: 3 }, sample_rate: 22050, tuning_cents: -12 } });
  });

  it('has the required keys in every annotation and observation', () => {
    expect(doc.annotations.map((x) => x.namespace)).toEqual(['chord', 'key_mode', 'beat', 'tempo', 'segment_open']);
    for (const ann of doc.annotations) {
      for (const k of ['annotation_metadata', 'namespace', 'data', 'sandbox', 'time', 'duration']) expect(ann, `${ann.namespace}.${k}`).toHaveProperty(k);
      expect(typeof ann.sandbox).toBe('object');
      expect(ann.time).toBe(0);
      expect(ann.duration).toBe(9.25);
      expect(ann.annotation_metadata).toMatchObject({ annotator: { name: 'linernotes' }, data_source: 'linernotes analysis', corpus: '' });
      expect(ann.annotation_metadata.curator).toEqual({ name: '', email: '' });
      for (const o of ann.data) {
        expect(Object.keys(o).sort()).toEqual(['confidence', 'duration', 'time', 'value']);
        expect(o.time).toBeGreaterThanOrEqual(0);
        expect(o.duration).toBeGreaterThanOrEqual(0);
      }
    }
    expect(findAnnotation(doc, 'chord')!.annotation_metadata.annotator).toEqual({ name: 'linernotes', version: 6, analyser: 'chords' });
    expect(findAnnotation(doc, 'key_mode')!.annotation_metadata.annotator).toMatchObject({ version: 2 });
  });

  it('writes chord labels in Harte notation with confidences', () => {
    const chord = findAnnotation(doc, 'chord')!;
    expect(chord.data.map((o) => o.value)).toEqual(['N', 'E:min', 'G:7/3', 'A:min7', 'D:maj/3']);
    expect(chord.data.map((o) => o.confidence)).toEqual([0.99, 0.7, 0.55, 0.6, 0.5]);
    expect(chord.data[2]).toEqual({ time: 3, duration: 2, value: 'G:7/3', confidence: 0.55 });
    for (const o of chord.data) expect(HARTE_CHORD_RE.test(String(o.value))).toBe(true);
  });

  it('writes key segments as key_mode values', () => {
    const keys = findAnnotation(doc, 'key_mode')!;
    expect(keys.data).toEqual([
      { time: 0, duration: 6, value: 'E:minor', confidence: 0.8 },
      { time: 6, duration: 3.25, value: 'A:major', confidence: 0.6 },
    ]);
    for (const o of keys.data) expect(KEY_MODE_RE.test(String(o.value))).toBe(true);
    expect(keys.sandbox).toMatchObject({ global: 'E:minor' });
  });

  it('writes beats with their position in the bar', () => {
    const beat = findAnnotation(doc, 'beat')!;
    expect(beat.data.slice(0, 6)).toEqual([
      { time: 0.5, duration: 0, value: 4, confidence: null },
      { time: 1, duration: 0, value: 1, confidence: null },
      { time: 1.5, duration: 0, value: 2, confidence: null },
      { time: 2, duration: 0, value: 3, confidence: null },
      { time: 2.5, duration: 0, value: 4, confidence: null },
      { time: 3, duration: 0, value: 1, confidence: null },
    ]);
    expect(beat.data).toHaveLength(18);
    expect(beat.sandbox).toMatchObject({ meter: '4/4', beats_per_bar: 4 });
  });

  it('writes the tempo with a confidence in [0, 1]', () => {
    expect(findAnnotation(doc, 'tempo')!.data).toEqual([{ time: 0, duration: 9.25, value: 120, confidence: 0.87 }]);
  });

  it('writes the form as segment_open sections with their groups and progressions', () => {
    const seg = findAnnotation(doc, 'segment_open')!;
    expect(seg.data).toEqual([
      { time: 0, duration: 1, value: 'intro', confidence: 0.6 },
      { time: 1, duration: 4, value: 'verse', confidence: 0.7 },
      { time: 5, duration: 4.25, value: 'chorus', confidence: 0.8 },
    ]);
    expect(seg.sandbox).toEqual({ summary: 'intro–verse–chorus', confidence: 0.7, groups: ['A', 'B', 'C'], progressions: ['', 'i–V7', 'iv7–♭VII'] });
    expect(seg.annotation_metadata.annotator).toMatchObject({ analyser: 'form' });
  });

  it('uses the global key when there are no key segments', () => {
    const b = analysis();
    b.key.segments = [];
    expect(findAnnotation(toJams(b, { durationSec: 9.25 }), 'key_mode')!.data).toEqual([{ time: 0, duration: 9.25, value: 'E:minor', confidence: 0.8 }]);
  });

  it('round-trips through JSON and parseJams', () => {
    const back = parseJams(JSON.stringify(doc));
    expect(back).toEqual(doc);
    expect(jamsChords(back).map((c) => [c.start, c.end, c.label])).toEqual(a.chords.chords.map((c, i) => [c.start, c.end, i === 4 ? 'D:maj/3' : c.label]));
    expect(jamsKeys(back).map((k) => k.key)).toEqual(a.key.segments.map((s) => s.key));
    expect(jamsGlobalKey(back)!.key).toEqual({ tonic: 4, mode: 'minor' });
    expect(jamsBeats(back).map((b) => b.time)).toEqual(a.rhythm.beats);
    expect(jamsBeats(back).filter((b) => b.position === 1).map((b) => b.time)).toEqual(a.rhythm.downbeats);
    expect(jamsTempo(back)).toEqual({ bpm: 120, confidence: 0.87 });
    expect(jamsSegments(back).map((x) => [x.start, x.end, x.label])).toEqual(a.form!.sections.map((x) => [x.start, x.end, x.label]));
  });
});

describe('spelling helpers', () => {
  it('keyModeValue / parseKeyMode', () => {
    expect(keyModeValue({ tonic: 6, mode: 'major' })).toBe('F#:major');
    expect(keyModeValue({ tonic: 1, mode: 'major' })).toBe('Db:major');
    expect(keyModeValue({ tonic: 1, mode: 'minor' })).toBe('C#:minor');
    expect(keyModeValue({ tonic: 10, mode: 'minor' })).toBe('Bb:minor');
    for (let t = 0; t < 12; t++) {
      for (const mode of ['major', 'minor'] as const) expect(parseKeyMode(keyModeValue({ tonic: t, mode })).key).toEqual({ tonic: t, mode });
    }
    expect(parseKeyMode('Gb:major').key).toEqual({ tonic: 6, mode: 'major' });
    expect(parseKeyMode('N').key).toBeNull();
    expect(parseKeyMode('D:dorian')).toEqual({ tonic: 2, mode: 'dorian', key: null });
  });

  it('harteLabel spells inversions as scale degrees', () => {
    const seg = (root: number | null, quality: 'maj' | 'min' | 'min7' | 'N', bass: number | null) => ({ root, quality, bass, label: '' });
    expect(harteLabel(seg(0, 'maj', 4))).toBe('C:maj/3');
    expect(harteLabel(seg(9, 'min', 0))).toBe('A:min/b3');
    expect(harteLabel(seg(2, 'min7', 0))).toBe('D:min7/b7');
    expect(harteLabel(seg(7, 'maj', 7))).toBe('G:maj');
    expect(harteLabel(seg(null, 'N', null))).toBe('N');
  });

  it('beatPositions counts from the downbeats, wrapping and counting back', () => {
    expect(beatPositions([0, 1, 2, 3, 4, 5], [1, 4], 3)).toEqual([3, 1, 2, 3, 1, 2]);
    expect(beatPositions([0, 1, 2, 3, 4, 5, 6], [2], 2)).toEqual([1, 2, 1, 2, 1, 2, 1]);
    expect(beatPositions([0, 1, 2], [], 4)).toEqual([null, null, null]);
    expect(beatPositions([0, 1.0004, 2], [1], 4)).toEqual([4, 1, 2]);
  });
});

describe('parseJams', () => {
  it('rejects documents without the required keys', () => {
    expect(() => parseJams('not json')).toThrow(JamsError);
    expect(() => parseJams({ file_metadata: {} })).toThrow(/annotations/);
    expect(() => parseJams({ annotations: [{ namespace: 'chord', data: [] }] })).toThrow(/annotation_metadata/);
    expect(() => parseJams({ annotations: [{ annotation_metadata: {}, data: [] }] })).toThrow(/namespace/);
    expect(() => parseJams({ annotations: [{ annotation_metadata: {}, namespace: 'beat' }] })).toThrow(/data/);
    expect(() => parseJams({ annotations: [{ annotation_metadata: {}, namespace: 'beat', data: [{ time: 1, duration: 0, value: 1 }] }] })).toThrow(/confidence/);
    expect(() => parseJams({ annotations: [{ annotation_metadata: {}, namespace: 'beat', data: [{ time: -1, duration: 0, value: 1, confidence: null }] }] })).toThrow(/>= 0/);
    expect(() => parseJams({ file_metadata: { duration: 'long' }, annotations: [] })).toThrow(/duration/);
  });

  it('reads dense data and fills defaults', () => {
    const doc = parseJams({ annotations: [{ annotation_metadata: {}, namespace: 'tempo', data: { time: [0], duration: [5], value: [90], confidence: [0.5] } }] });
    expect(doc.file_metadata.duration).toBeNull();
    expect(doc.annotations[0]).toMatchObject({ sandbox: {}, time: null, duration: null, data: [{ time: 0, duration: 5, value: 90, confidence: 0.5 }] });
    expect(jamsTempo(doc)).toEqual({ bpm: 90, confidence: 0.5 });
  });

  it('throws on chord values that are not Harte', () => {
    const doc = parseJams({ annotations: [{ annotation_metadata: {}, namespace: 'chord', data: [{ time: 0, duration: 1, value: 'Cmaj7', confidence: null }] }] });
    expect(() => jamsChords(doc)).toThrow(/not a Harte/);
  });

  it('takes the longest key (by total duration) as the global key', () => {
    const seg = (time: number, duration: number, value: string) => ({ time, duration, value, confidence: null });
    const doc = parseJams({ annotations: [{ annotation_metadata: {}, namespace: 'key_mode', data: [seg(0, 10, 'C:major'), seg(10, 15, 'D:major'), seg(25, 10, 'C:major')] }] });
    expect(jamsGlobalKey(doc)!.label).toBe('C:major');
  });

  const pop909 = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/datasets/pop909-dev/jams/001.jams');
  it.skipIf(!existsSync(pop909))('reads a POP909 ground-truth file', () => {
    const doc = parseJams(readFileSync(pop909, 'utf8'));
    expect(doc.file_metadata.jams_version).toBe('0.3.4');
    expect(doc.file_metadata.duration).toBeGreaterThan(0);
    expect(jamsChords(doc).length).toBeGreaterThan(10);
    expect(jamsGlobalKey(doc)!.key).not.toBeNull();
    expect(jamsBeats(doc).some((b) => b.position === 1)).toBe(true);
    expect(jamsTempo(doc)!.bpm).toBeGreaterThan(0);
    expect(doc.sandbox).toHaveProperty('concepts');
  });
});
