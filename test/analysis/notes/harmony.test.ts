import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ANALYSIS_SAMPLE_RATE, analyzeFile, defaultAnalysers } from '../../../app/analysis/analyze.ts';
import { chordsWithNotesBass, harmonyWithNotes, NOTE_CHROMA_MIX, withNotesPedals } from '../../../app/analysis/notes/harmony.ts';
import { createNotesAnalyser } from '../../../app/analysis/notes/analyser.ts';
import { featuresWithNoteChroma } from '../../../app/analysis/notes/chroma.ts';
import { estimateChords } from '../../../app/analysis/chords/index.ts';
import { runPipeline } from '../../../app/analysis/pipeline.ts';
import { openAudio } from '../../../app/audio/decode.ts';
import { tempDir } from '../../library/helpers.ts';
import { writeToneWav } from '../../worker/helpers.ts';
import type { Analyser, ChordResult, ChordSegment, FrontEndFeatures, HarmonicDevice, KeyResult, RhythmResult, TheoryResult } from '../../../app/analysis/types.ts';
import type { BassBeat, NotesResult } from '../../../app/analysis/notes/types.ts';

const C = { tonic: 0, mode: 'major' as const };
const chord = (start: number, end: number, root: number, quality: 'maj' | 'min', bass = root): ChordSegment => ({ start, end, root, quality, bass, confidence: 0.8, label: 'x' });
const beats = (pitches: (number | null)[], from = 0): BassBeat[] => pitches.map((pitch, i) => ({ start: from + i * 0.5, end: from + (i + 1) * 0.5, pitch }));

describe('chord bass from the transcribed bass line', () => {
  it('names the chord tone the bass dwells on, as an inversion', () => {
    // C major over E (E2 = 40) for three of four beats, C once: C:maj/3.
    const [c] = chordsWithNotesBass([chord(0, 2, 0, 'maj')], beats([40, 40, 36, 40]), C);
    expect(c).toMatchObject({ root: 0, bass: 4, label: 'C:maj/3', start: 0, end: 2 });
  });

  it('leaves a chord alone when chord-tone bass notes cover less than half of it', () => {
    // D (not in C major) and silence most of the time.
    const input = chord(0, 2, 0, 'maj');
    expect(chordsWithNotesBass([input], beats([38, null, 38, 43]), C)).toEqual([input]);
  });

  it('with split, cuts the chord where the bass moves to another chord tone; non-chord tones keep the run', () => {
    // A minor: A, A, (B passing), C, C → A:min then A:min/b3 from 1.5 s.
    const out = chordsWithNotesBass([chord(0, 2.5, 9, 'min')], beats([45, 45, 47, 48, 48]), C, { split: true });
    expect(out.map((c) => [c.start, c.end, c.label])).toEqual([
      [0, 1.5, 'A:min'],
      [1.5, 2.5, 'A:min/b3'],
    ]);
  });

  it('passes no-chord segments through', () => {
    const n: ChordSegment = { start: 0, end: 1, root: null, quality: 'N', bass: null, confidence: 1, label: 'N' };
    expect(chordsWithNotesBass([n], beats([40, 40]), C)).toEqual([n]);
  });
});

describe("the notes' pedal points among the theory's devices", () => {
  // I – IV – V – I, a bar of 4 half-second beats each, over a C held in the bass for all 16 beats.
  const chords = [chord(0, 2, 0, 'maj'), chord(2, 4, 5, 'maj'), chord(4, 6, 7, 'maj'), chord(6, 8, 0, 'maj')];
  const romans = ['I', 'IV', 'V', 'I'].map((numeral, chordIndex) => ({ chordIndex, start: 2 * chordIndex, end: 2 * chordIndex + 2, key: C, numeral, function: 'tonic' as const }));
  const cadence: HarmonicDevice = { kind: 'cadence', label: 'Authentic cadence', start: 4, end: 8, chordIndices: [2, 3], confidence: 0.7 };
  const held = beats(new Array<number>(16).fill(36));

  it('adds a tonic pedal heard in the bass line, in time order', () => {
    const theory: TheoryResult = { romans, devices: [cadence] };
    const out = withNotesPedals(theory, chords, held, C);
    expect(out.devices.map((d) => [d.kind, d.start, d.end])).toEqual([
      ['pedal-point', 0, 8],
      ['cadence', 4, 8],
    ]);
    expect(out.devices[0]!.label).toBe('Tonic pedal on C under I–IV–V–I (transcribed bass, C2)');
    expect(out.romans).toBe(romans);
  });

  it('adds nothing where the chords already show that pedal, or where the bass walks', () => {
    const fromChords: HarmonicDevice = { kind: 'pedal-point', label: 'Tonic pedal on C under I–IV64–V–I', start: 0, end: 8, chordIndices: [0, 1, 2, 3], confidence: 0.8 };
    const theory: TheoryResult = { romans, devices: [fromChords, cadence] };
    expect(withNotesPedals(theory, chords, held, C)).toBe(theory);
    const plain: TheoryResult = { romans, devices: [cadence] };
    expect(withNotesPedals(plain, chords, beats([36, 38, 40, 41, 41, 43, 45, 47, 43, 45, 47, 48, 48, 47, 45, 43]), C)).toBe(plain);
  });
});

describe('analyzeFile with note transcription', () => {
  it("takes the chords' bass from the notes and redoes the theory from those chords; without notes, or asked not to, it does not", async () => {
    const dir = await tempDir('ln-notes-harmony-');
    try {
      const file = await writeToneWav(path.join(dir, 'arp.wav'), 4);
      const plain = await analyzeFile(file);
      const withNotes = await analyzeFile(file, { notes: true });
      const measured = await analyzeFile(file, { notes: true, harmonyFromNotes: false });
      expect(plain.chords.bassFrom).toBeUndefined();
      expect(measured.chords).toEqual(plain.chords);
      expect(plain.chords.chromaFrom).toBeUndefined();
      expect(withNotes.chords.bassFrom).toBe('notes');
      expect(withNotes.chords.chromaFrom).toBe('audio+notes');
      expect(withNotes.timings.notesHarmony).toBeGreaterThanOrEqual(0);
      // The chords still cover the track; their bass is the notes' (applying it again changes nothing),
      // and the numerals are those chords'.
      expect(withNotes.chords.chords[0]!.start).toBe(plain.chords.chords[0]!.start);
      expect(withNotes.chords.chords.at(-1)!.end).toBe(plain.chords.chords.at(-1)!.end);
      for (const [i, c] of withNotes.chords.chords.entries()) if (i > 0) expect(c.start).toBe(withNotes.chords.chords[i - 1]!.end);
      for (const r of withNotes.theory.romans) expect(r.chordIndex).toBeLessThan(withNotes.chords.chords.length);
      if (!withNotes.notes || 'error' in withNotes.notes) throw new Error('no transcription');
      expect(chordsWithNotesBass(withNotes.chords.chords, withNotes.notes.bassLine, withNotes.key.global)).toEqual(withNotes.chords.chords);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('harmonyWithNotes', () => {
  it("recognises the chords again from the audio chroma mixed with the notes' chroma, then takes their bass from the notes", async () => {
    const dir = await tempDir('ln-notes-chroma-');
    try {
      const file = await writeToneWav(path.join(dir, 'arp.wav'), 4);
      const stream = await openAudio(file, { sampleRate: ANALYSIS_SAMPLE_RATE });
      const run = await runPipeline(stream.info, stream.blocks(), [...defaultAnalysers(), createNotesAnalyser({ log: () => {} }) as Analyser<unknown>], { tapSource: (sink) => stream.tapSource(sink) }).finally(() => stream.close());
      const notes = await (run.results.notes as Promise<NotesResult>);
      const key = run.results.key as KeyResult;
      const features = run.results.frontend as FrontEndFeatures;
      const mixed = estimateChords(featuresWithNoteChroma(features, notes.notes, NOTE_CHROMA_MIX), run.results.rhythm as RhythmResult, key);
      const out = harmonyWithNotes(run.results, notes);
      expect(out.chords.chromaFrom).toBe('audio+notes');
      expect(out.chords.chords).toEqual(chordsWithNotesBass(mixed.chords, notes.bassLine, key.global));
      // The measured chords in the run's results are left as they were.
      expect((run.results.chords as ChordResult).chromaFrom).toBeUndefined();
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
