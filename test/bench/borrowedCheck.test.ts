import { describe, expect, it } from 'vitest';
import { checkBorrowedChords, chordPitchClasses, outOfScaleTones, soundingSeconds } from './pop909/borrowedCheck.ts';
import type { RomanNumeral, SongTruth } from './pop909/groundTruth.ts';
import type { ScoreNote } from './pop909/keyEvidence.ts';

const C_MAJOR = { tonic: 0, mode: 'major' } as const;
const C_MINOR = { tonic: 0, mode: 'minor' } as const;
const note = (midi: number, time: number, duration: number): ScoreNote => ({ midi, time, duration });

/** A song in `key` whose one borrowed chord `label` lasts [4, 6) s between diatonic chords. */
function song(key: typeof C_MAJOR | typeof C_MINOR, label: string): Pick<SongTruth, 'keySegments' | 'key' | 'romans'> {
  const romans: RomanNumeral[] = [
    { time: 0, duration: 4, label: 'C:maj', roman: 'I', flags: [] },
    { time: 4, duration: 2, label, roman: 'x', flags: ['modal_interchange'] },
    { time: 6, duration: 2, label: 'G:maj', roman: 'V', flags: [] },
  ];
  return { key: { value: '', mirEval: '', key }, keySegments: [{ start: 0, end: 8, value: '', key }], romans };
}

describe('borrowedCheck: can an annotated borrowed chord be heard in the score?', () => {
  it('reads chord tones and the ones outside a key', () => {
    expect(chordPitchClasses('Ab:maj').sort((a, b) => a - b)).toEqual([0, 3, 8]);
    expect(chordPitchClasses('N')).toEqual([]);
    expect(outOfScaleTones('Ab:maj', C_MAJOR).sort((a, b) => a - b)).toEqual([3, 8]);
    expect(outOfScaleTones('F:min', C_MAJOR)).toEqual([8]);
    expect(outOfScaleTones('F:maj', C_MINOR)).toEqual([9]);
    expect(outOfScaleTones('F:min', C_MINOR)).toEqual([]);
  });

  it('counts the seconds a pitch class sounds inside a span', () => {
    expect(soundingSeconds([note(68, 3.5, 1), note(80, 5.5, 2), note(67, 4, 2)], [8], 4, 6)).toBeCloseTo(1, 12);
  });

  it('a ♭VI whose A♭ or E♭ is played is audible; one played as C and G only is not', () => {
    const played = [note(56, 4, 2), note(60, 4, 2), note(63, 4, 2)];
    expect(checkBorrowedChords(song(C_MAJOR, 'Ab:maj'), played)).toEqual({ borrowed: 1, audible: 1, agrees: true });
    const hollow = [note(48, 4, 2), note(60, 4, 2), note(67, 4, 2), note(68, 6.5, 1)];
    expect(checkBorrowedChords(song(C_MAJOR, 'Ab:maj'), hollow)).toEqual({ borrowed: 1, audible: 0, agrees: false });
  });

  it('a major IV in minor needs its raised sixth; a grace note of it (under a tenth of the chord) is not enough', () => {
    expect(checkBorrowedChords(song(C_MINOR, 'F:maj'), [note(53, 4, 2), note(57, 4.5, 1), note(60, 4, 2)]).agrees).toBe(true);
    expect(checkBorrowedChords(song(C_MINOR, 'F:maj'), [note(53, 4, 2), note(57, 5, 0.1), note(60, 4, 2)]).agrees).toBe(false);
  });

  it('cannot say anything without notes or borrowed chords', () => {
    expect(checkBorrowedChords(song(C_MAJOR, 'Ab:maj'), null).agrees).toBe(true);
    const plain = song(C_MAJOR, 'F:maj');
    plain.romans[1]!.flags = [];
    expect(checkBorrowedChords(plain, [note(60, 0, 8)])).toEqual({ borrowed: 0, audible: 0, agrees: true });
  });
});
