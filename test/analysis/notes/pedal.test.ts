import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFile } from '../../../app/analysis/analyze.ts';
import { encodeWav } from '../../../app/demo/wav.ts';
import { tempDir } from '../../library/helpers.ts';
import { synthTones, type KnownNote } from '../../models/tones.ts';
import { notesPedalPoints, pedalDevices } from '../../../app/analysis/notes/pedal.ts';
import type { BassBeat } from '../../../app/analysis/notes/types.ts';
import type { ChordSegment, RomanChord } from '../../../app/analysis/types.ts';

const C = { tonic: 0, mode: 'major' as const };
const beats = (pitches: (number | null)[]): BassBeat[] => pitches.map((pitch, i) => ({ start: i * 0.5, end: (i + 1) * 0.5, pitch }));
const chord = (start: number, end: number, root: number, quality: 'maj' | 'min' | '7', label: string): ChordSegment => ({ start, end, root, quality, bass: root, confidence: 0.8, label });
// I – IV – V7 – I, a bar (2 s) each.
const I_IV_V_I = [chord(0, 2, 0, 'maj', 'C:maj'), chord(2, 4, 5, 'maj', 'F:maj'), chord(4, 6, 7, '7', 'G:7'), chord(6, 8, 0, 'maj', 'C:maj')];
const romans: RomanChord[] = ['I', 'IV', 'V7', 'I'].map((numeral, chordIndex) => ({ chordIndex, start: 2 * chordIndex, end: 2 * chordIndex + 2, key: C, numeral, function: 'tonic' }));

describe('pedal points from the transcribed bass line', () => {
  it('finds a tonic pedal: C held and repeated in two octaves under I–IV–V7–I', () => {
    const bass = beats([36, 36, 36, 48, 36, 36, 36, 36, 36, 48, 36, 36, 36, 36, 36, 36]);
    const [p, ...more] = notesPedalPoints(bass, I_IV_V_I);
    expect(more).toEqual([]);
    expect(p).toMatchObject({ start: 0, end: 8, pitchClass: 0, lowestName: 'C2', beats: 16, spanBeats: 16, chordIndices: [0, 1, 2, 3] });
    const [d] = pedalDevices([p!], I_IV_V_I, romans, C);
    expect(d).toMatchObject({ kind: 'pedal-point', label: 'Tonic pedal on C under I–IV–V7–I (transcribed bass, C2)', start: 0, end: 8, chordIndices: [0, 1, 2, 3], confidence: 0.8 });
    expect(d!.detail).toMatchObject({ bass: 'C', from: 'notes', key: 'C major', beats: 16 });
  });

  it('a repeated pedal may rest one beat at a time, which lowers its confidence; two rests in a row end it', () => {
    const repeated = beats([43, null, 43, null, 43, null, 43, null, 43, null, 43, null, 43, null, 43, 43]);
    const [p] = notesPedalPoints(repeated, I_IV_V_I);
    expect(p).toMatchObject({ pitchClass: 7, beats: 9, spanBeats: 16 });
    const [d] = pedalDevices([p!], I_IV_V_I, romans, C);
    expect(d!.label.startsWith('Dominant pedal on G')).toBe(true);
    expect(d!.confidence).toBeCloseTo(0.8 * (9 / 16), 3);
    expect(notesPedalPoints(beats([43, 43, 43, 43, null, null, 43, 43, 43, 43, 43, 43, 43, 43, 43, 43]), I_IV_V_I).map((x) => [x.start, x.end])).toEqual([[3, 8]]);
  });

  it('a walking bass under the same chords is no pedal', () => {
    // Quarter notes up and down the scale, one per beat: no pitch class twice in a row.
    const walking = beats([36, 38, 40, 43, 41, 43, 45, 47, 43, 45, 47, 50, 48, 47, 45, 43]);
    expect(notesPedalPoints(walking, I_IV_V_I)).toEqual([]);
  });

  it('a held bass under fewer than three chord roots, or shorter than two bars, is no pedal', () => {
    const held = beats(new Array(16).fill(36));
    // C and F only: two roots.
    const twoRoots = [chord(0, 4, 0, 'maj', 'C:maj'), chord(4, 8, 5, 'maj', 'F:maj')];
    expect(notesPedalPoints(held, twoRoots)).toEqual([]);
    // Three roots, but the held C lasts 7 beats before the bass moves.
    const short = beats([36, 36, 36, 36, 36, 36, 36, 43, 43, 41, 40, 38, 36, 36, 36, 36]);
    const quick = [chord(0, 1, 0, 'maj', 'C:maj'), chord(1, 2, 5, 'maj', 'F:maj'), chord(2, 3.5, 7, 'maj', 'G:maj'), chord(3.5, 8, 0, 'maj', 'C:maj')];
    expect(notesPedalPoints(short, quick)).toEqual([]);
    // A chord grazing the run for less than half a beat does not count as a third root.
    const grazing = [chord(0, 4, 0, 'maj', 'C:maj'), chord(4, 7.9, 5, 'maj', 'F:maj'), chord(7.9, 9, 7, 'maj', 'G:maj')];
    expect(notesPedalPoints(held, grazing)).toEqual([]);
  });

  it('nothing from an empty bass line or no chords', () => {
    expect(notesPedalPoints([], I_IV_V_I)).toEqual([]);
    expect(notesPedalPoints(beats(new Array(16).fill(36)), [])).toEqual([]);
    expect(notesPedalPoints(beats(new Array(16).fill(null)), I_IV_V_I)).toEqual([]);
  });
});

describe('pedal points in a transcribed track', () => {
  // 120 BPM, 16 s: chord stabs on every beat, two bars each of C, F, G7, C, over a bass note on every
  // beat: a repeated C2 (a tonic pedal; C is no tone of G7, so the chords' own bass cannot show it),
  // or a walking bass (no pedal).
  const triads = [
    [60, 64, 67],
    [60, 65, 69],
    [55, 59, 62, 65],
    [60, 64, 67],
  ];
  const stabs: KnownNote[] = triads.flatMap((t, c) => Array.from({ length: 8 }, (_, b) => t.map((midi) => ({ midi, start: c * 4 + b * 0.5, duration: 0.45 }))).flat());
  const walk = [36, 38, 40, 41, 43, 45, 47, 48];
  const track = (bass: (beat: number) => number) => encodeWav([synthTones([...stabs, ...Array.from({ length: 32 }, (_, b) => ({ midi: bass(b), start: b * 0.5, duration: 0.45 }))], 16)], 22050, {});

  it('a repeated C2 under C–F–G7–C is reported as a tonic pedal from the transcribed bass; a walking bass under the same chords is not', async () => {
    const dir = await tempDir('ln-notes-pedal-');
    try {
      const pedalFile = path.join(dir, 'pedal.wav');
      const walkingFile = path.join(dir, 'walking.wav');
      await fs.writeFile(pedalFile, track(() => 36));
      await fs.writeFile(walkingFile, track((b) => walk[b % 8]!));
      const pedal = await analyzeFile(pedalFile, { notes: true });
      const fromNotes = pedal.theory.devices.filter((d) => d.kind === 'pedal-point' && d.detail?.from === 'notes');
      expect(fromNotes).toHaveLength(1);
      expect(fromNotes[0]!.label).toBe('Tonic pedal on C under I–IV64–V7–I (transcribed bass, C2)');
      expect(fromNotes[0]!.start).toBeLessThan(1);
      expect(fromNotes[0]!.end).toBeGreaterThan(15);
      const walking = await analyzeFile(walkingFile, { notes: true });
      expect(walking.theory.devices.filter((d) => d.kind === 'pedal-point')).toEqual([]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
