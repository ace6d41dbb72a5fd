// Note transcription of a clip with known notes: accuracy, derived facts, MIDI export, the analyser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transcribe } from '../../../app/analysis/notes/transcribe.ts';
import { notesToMidi, midiToNotes } from '../../../app/analysis/notes/midi.ts';
import { bassLine, beatGrid, melodyRange, pitchName } from '../../../app/analysis/notes/derived.ts';
import { createNotesAnalyser } from '../../../app/analysis/notes/analyser.ts';
import type { NotesResult, TranscribedNote } from '../../../app/analysis/notes/types.ts';
import { runPipeline } from '../../../app/analysis/pipeline.ts';
import { NOTES_ANALYSER_VERSION } from '../../../app/analysis/notes/version.ts';
import { releaseModelSessions } from '../../../app/models/session.ts';
import { synthTones, type KnownNote } from '../../models/tones.ts';

// 120 BPM, 8 beats: a bass line C2 G2 A2 F2 (two beats each) under a melody of quarter notes.
const BASS: KnownNote[] = [36, 43, 45, 41].map((midi, i) => ({ midi, start: i, duration: 0.95 }));
const MELODY: KnownNote[] = [64, 62, 60, 67, 69, 67, 65, 72].map((midi, i) => ({ midi, start: i * 0.5 + 0.02, duration: 0.45 }));
const KNOWN = [...BASS, ...MELODY];
const BEATS = Array.from({ length: 8 }, (_, i) => i * 0.5);
const SECONDS = 4.5;

/** Greedy one-to-one matching: same pitch, onset within 50 ms (mir_eval.transcription's onset criterion). */
function match(known: KnownNote[], found: TranscribedNote[]): { hits: number; missed: KnownNote[]; extra: TranscribedNote[] } {
  const used = new Set<number>();
  const missed: KnownNote[] = [];
  for (const k of known) {
    const j = found.findIndex((f, i) => !used.has(i) && f.pitch === k.midi && Math.abs(f.start - k.start) <= 0.05);
    if (j < 0) missed.push(k);
    else used.add(j);
  }
  return { hits: used.size, missed, extra: found.filter((_, i) => !used.has(i)) };
}

describe('note transcription', () => {
  let result: NotesResult;
  beforeAll(async () => {
    result = await transcribe(synthTones(KNOWN, SECONDS), { beats: BEATS, threads: 1, providers: ['cpu'], log: () => {} });
  });
  afterAll(releaseModelSessions);

  it('finds the known notes: right pitch, onset within 50 ms', () => {
    const m = match(KNOWN, result.notes);
    const recall = m.hits / KNOWN.length;
    const precision = m.hits / result.notes.length;
    console.log(`notes: ${result.notes.length} found, recall ${recall.toFixed(2)}, precision ${precision.toFixed(2)}`, { missed: m.missed, extra: m.extra });
    expect(recall).toBeGreaterThanOrEqual(0.9);
    expect(precision).toBeGreaterThanOrEqual(0.8);
    for (const n of result.notes) {
      expect(n.end).toBeGreaterThan(n.start);
      expect(n.velocity).toBeGreaterThan(0);
      expect(n.velocity).toBeLessThanOrEqual(1);
    }
    expect(result.model).toEqual({ name: 'basic-pitch', version: '1.0.1', provider: 'cpu' });
  });

  it('derives the bass line per beat and the melody range', () => {
    expect(result.bassGrid).toBe('beats');
    expect(result.bassLine.map((b) => b.pitch)).toEqual([36, 36, 43, 43, 45, 45, 41, 41]);
    expect(result.melodyRange).toMatchObject({ lowest: 60, highest: 72, lowestName: 'C4', highestName: 'C5', semitones: 12 });
  });

  it('exports MIDI that reads back with the same notes', () => {
    const bytes = notesToMidi(result.notes, { bpm: 120 });
    expect(Buffer.from(bytes.subarray(0, 4)).toString('latin1')).toBe('MThd');
    const back = midiToNotes(bytes);
    expect(back.map((n) => n.pitch)).toEqual(result.notes.map((n) => n.pitch));
    back.forEach((n, i) => {
      expect(Math.abs(n.start - result.notes[i]!.start)).toBeLessThan(0.002);
      expect(Math.abs(n.end - result.notes[i]!.end)).toBeLessThan(0.003);
    });
    expect(match(KNOWN, back).hits).toBe(match(KNOWN, result.notes).hits);
  });

  it('runs as the optional "notes" analyser over a decode pass', async () => {
    const audio = synthTones(KNOWN, SECONDS);
    async function* blocks() {
      for (let i = 0; i < audio.length; i += 10000) yield audio.subarray(i, i + 10000);
    }
    const rhythm = { name: 'rhythm', version: 1, dependsOn: [], finish: () => ({ beats: BEATS }) };
    const run = await runPipeline({ sampleRate: 22050, sourceSampleRate: 22050, sourceChannels: 1, durationHint: null }, blocks(), [rhythm, createNotesAnalyser({ threads: 1, providers: ['cpu'], log: () => {} })]);
    expect(run.versions.notes).toBe(NOTES_ANALYSER_VERSION);
    const notes = await (run.results.notes as Promise<NotesResult>);
    expect(notes.notes).toEqual(result.notes);
    expect(notes.bassGrid).toBe('beats');
  });

  it('handles silence, empty audio and bad samples without NaN or crash', async () => {
    const silent = await transcribe(new Float32Array(22050), { threads: 1, providers: ['cpu'], log: () => {} });
    expect(silent.notes).toEqual([]);
    expect(silent.melodyRange).toBeNull();
    expect(silent.bassGrid).toBe('fixed-0.5s');
    expect(silent.bassLine.every((b) => b.pitch === null)).toBe(true);
    const empty = await transcribe(new Float32Array(0), { threads: 1, providers: ['cpu'], log: () => {} });
    expect(empty.notes).toEqual([]);
    const bad = new Float32Array(1000);
    bad[10] = NaN;
    await expect(transcribe(bad, { threads: 1, providers: ['cpu'], log: () => {} })).rejects.toThrow(/sample 10 is not a finite number/);
  });
});

describe('derived facts', () => {
  const n = (pitch: number, start: number, end: number): TranscribedNote => ({ pitch, start, end, velocity: 0.5 });

  it('bass line ignores notes that only touch a beat', () => {
    const grid = beatGrid([0, 1, 2], 3);
    expect(grid).toEqual([{ start: 0, end: 1 }, { start: 1, end: 2 }, { start: 2, end: 3 }]);
    expect(bassLine([n(40, 0, 1.1), n(50, 0, 3), n(38, 2.9, 3)], grid).map((b) => b.pitch)).toEqual([40, 50, 50]);
  });

  it('melody range follows the top line and ignores blips', () => {
    expect(melodyRange([n(60, 0, 1), n(72, 1, 2), n(48, 0, 2), n(90, 1.5, 1.55)])).toMatchObject({ lowest: 60, highest: 72, semitones: 12 });
    // Tessitura: the middle 80 % of the top line's time. C4 and C5 for 0.5 s each, E4 and G4 4.5 s each.
    const tune = [n(60, 0, 0.5), n(64, 0.5, 5), n(67, 5, 9.5), n(72, 9.5, 10), n(43, 0, 10)];
    expect(melodyRange(tune)).toMatchObject({ lowest: 60, highest: 72, tessitura: { low: 64, high: 67, lowName: 'E4', highName: 'G4' } });
    expect(melodyRange([n(62, 0, 2)])).toMatchObject({ lowest: 62, highest: 62, semitones: 0, tessitura: { low: 62, high: 62 } });
    expect(melodyRange([])).toBeNull();
    expect(pitchName(60)).toBe('C4');
    expect(pitchName(21)).toBe('A0');
  });
});

describe('notes analyser limits', () => {
  it('refuses a track longer than maxSeconds with a clear error instead of a partial result', async () => {
    const analyser = createNotesAnalyser({ useBeats: false, maxSeconds: 1, threads: 1, providers: ['cpu'], log: () => {} });
    async function* blocks() {
      for (let i = 0; i < 3; i++) yield new Float32Array(22050);
    }
    // The pipeline awaits the analyser's asynchronous finish, so the run itself fails with the reason.
    await expect(runPipeline({ sampleRate: 22050, sourceSampleRate: 22050, sourceChannels: 1, durationHint: null }, blocks(), [analyser])).rejects.toThrow(/analyser 'notes' failed: .*handles tracks up to 1 s; this one is 3 s/);
  });
});
