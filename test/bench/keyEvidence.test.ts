import { describe, expect, it } from 'vitest';
import { checkAnnotatedTonic, lastBassPitchClass, melodySkyline, phraseEndings, tonicEvidence } from './pop909/keyEvidence.ts';
import type { ScoreNote } from './pop909/keyEvidence.ts';

const note = (midi: number, time: number, duration = 0.4): ScoreNote => ({ midi, time, duration });

/** A four-bar phrase over block chords: melody on top, chord tones below, a bass note per bar; the melody ends on `lastMelody`, the bass on `lastBass`. */
function phrase(start: number, melody: number[], lastBass: number, bass: number[] = [45, 41, 43]): ScoreNote[] {
  const out: ScoreNote[] = [];
  melody.forEach((m, i) => {
    out.push(note(m, start + i * 0.5, i === melody.length - 1 ? 1.2 : 0.45));
    // An inner voice starting with each melody note, and one just after.
    out.push(note(m - 7, start + i * 0.5, 0.45), note(m - 12, start + i * 0.5 + 0.02, 0.45));
  });
  [...bass, lastBass].forEach((b, i) => out.push(note(b, start + i * 1, 0.9)));
  return out;
}

describe('keyEvidence: what a score says about its tonic', () => {
  it('the skyline keeps the top note of each onset, from middle C up', () => {
    const notes = [note(72, 0), note(64, 0.01), note(48, 0), note(74, 0.5), note(55, 0.52), note(59, 1.5)];
    expect(melodySkyline(notes).map((n) => n.midi)).toEqual([72, 74]);
  });

  it('a phrase ends on a note followed by a rest, or held, and on the last note', () => {
    const melody = [note(72, 0, 0.4), note(74, 0.5, 0.4), note(76, 1.0, 1.1), note(77, 2.2, 0.3), note(79, 3.5, 0.3), note(81, 3.9, 0.3)];
    const ends = phraseEndings(melody);
    // 76 is held, 77 is followed by a rest of 1 s, 81 is the last; 72, 74 and 79 run on.
    expect(ends[76 % 12]).toBe(1);
    expect(ends[77 % 12]).toBe(1);
    expect(ends[81 % 12]).toBe(1);
    expect(ends.reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('the last bass note is the last to start below G3', () => {
    expect(lastBassPitchClass([note(45, 0), note(40, 3), note(72, 4)])).toBe(4);
    expect(lastBassPitchClass([note(72, 0)])).toBeNull();
  });

  it('favours A over C for phrases in A minor (ending on A over an A bass), and C in C major', () => {
    const aMinor = [...phrase(0, [76, 74, 72, 71, 69], 45), ...phrase(4, [72, 74, 76, 72, 69], 45)];
    expect(tonicEvidence(aMinor, 9, 0)).toEqual({ phraseEnds: 'tonic', lastBass: 'tonic' });
    expect(tonicEvidence(aMinor, 0, 9)).toEqual({ phraseEnds: 'rival', lastBass: 'rival' });
    const cMajor = [...phrase(0, [76, 74, 72, 71, 72], 48, [48, 41, 43]), ...phrase(4, [79, 77, 76, 74, 72], 48, [48, 41, 43])];
    expect(tonicEvidence(cMajor, 9, 0)).toEqual({ phraseEnds: 'rival', lastBass: 'rival' });
    // Neither tonic: phrases ending on E over a G bass.
    const neither = phrase(0, [72, 74, 76], 43);
    expect(tonicEvidence(neither, 9, 0)).toEqual({ phraseEnds: 'neither', lastBass: 'neither' });
  });

  it('checkAnnotatedTonic doubts an annotated key only when both the phrase endings and the last bass favour its relative', () => {
    const aMinor = [...phrase(0, [76, 74, 72, 71, 69], 45), ...phrase(4, [72, 74, 76, 72, 69], 45)];
    expect(checkAnnotatedTonic(aMinor, { tonic: 9, mode: 'minor' }).agrees).toBe(true);
    expect(checkAnnotatedTonic(aMinor, { tonic: 0, mode: 'major' })).toEqual({ phraseEnds: 'rival', lastBass: 'rival', agrees: false });
    // Phrases ending on A, but the last bass note C: one sign is not enough.
    const mixed = [...phrase(0, [76, 74, 72, 71, 69], 45), ...phrase(4, [72, 74, 76, 72, 69], 48)];
    expect(checkAnnotatedTonic(mixed, { tonic: 0, mode: 'major' }).agrees).toBe(true);
    expect(checkAnnotatedTonic(null, { tonic: 0, mode: 'major' }).agrees).toBe(true);
  });
});
