// Roman numerals, inversion figures, applied numerals, diatonic membership, harmonic function and spelling.
import { describe, expect, it } from 'vitest';
import {
  analyseTheory,
  appliedNumeral,
  isDiatonic,
  romanNumeral,
  sounding,
  spellChord,
} from '../../../app/analysis/theory/index.ts';
import { keyOf, progression, segmentOf } from './helpers.ts';

const numeral = (symbol: string, key: string) => romanNumeral(segmentOf(symbol, 0, 1), keyOf(key));

describe('romanNumeral', () => {
  it.each([
    ['C', 'I'],
    ['Dm', 'ii'],
    ['Em', 'iii'],
    ['F', 'IV'],
    ['G', 'V'],
    ['G7', 'V7'],
    ['Am', 'vi'],
    ['Bdim', 'vii°'],
    ['Bm7b5', 'viiø7'],
    ['Cmaj7', 'Imaj7'],
    ['Dm7', 'ii7'],
    ['Gsus4', 'Vsus4'],
    ['Caug', 'I+'],
    // borrowed from C minor
    ['Cm', 'i'],
    ['Ddim', 'ii°'],
    ['Dm7b5', 'iiø7'],
    ['Eb', '♭III'],
    ['Fm', 'iv'],
    ['Gm', 'v'],
    ['Ab', '♭VI'],
    ['Bb', '♭VII'],
    ['Bb7', '♭VII7'],
    // other chromatic chords
    ['Db', '♭II'],
    ['Gb', '♭V'],
    ['F#dim', '♯iv°'],
    ['C#dim7', '♯i°7'],
    ['D7', 'II7'],
  ])('%s in C major is %s', (symbol, expected) => {
    expect(numeral(symbol, 'C major')).toBe(expected);
  });

  it.each([
    ['Am', 'i'],
    ['Bdim', 'ii°'],
    ['Bm7b5', 'iiø7'],
    ['C', 'III'],
    ['Dm', 'iv'],
    ['Em', 'v'],
    ['E', 'V'],
    ['E7', 'V7'],
    ['F', 'VI'],
    ['G', 'VII'],
    ['G#dim', 'vii°'],
    ['G#dim7', 'vii°7'],
    ['D', 'IV'],
    ['A', 'I'],
    ['Bb', '♭II'],
  ])('%s in A minor is %s (natural-minor reference, harmonic V and vii°)', (symbol, expected) => {
    expect(numeral(symbol, 'A minor')).toBe(expected);
  });

  it.each([
    ['C/E', 'I6'],
    ['C/G', 'I64'],
    ['Am/C', 'vi6'],
    ['Bdim/D', 'vii°6'],
    ['G7/B', 'V65'],
    ['G7/D', 'V43'],
    ['G7/F', 'V42'],
    ['Cmaj7/E', 'Imaj65'],
    ['Bm7b5/F', 'viiø43'],
    ['G/C', 'V'], // the bass is no chord tone (a pedal): no figure
  ])('figures the inversion of %s as %s', (symbol, expected) => {
    expect(numeral(symbol, 'C major')).toBe(expected);
  });

  it("writes 'N' for no chord", () => {
    expect(numeral('N', 'C major')).toBe('N');
  });

  it('writes applied numerals over the tonicised degree', () => {
    expect(appliedNumeral(segmentOf('D7', 0, 1), keyOf('G major'), keyOf('C major'))).toBe('V7/V');
    expect(appliedNumeral(segmentOf('A7/C#', 0, 1), keyOf('D minor'), keyOf('C major'))).toBe('V65/ii');
    expect(appliedNumeral(segmentOf('Em7b5', 0, 1), keyOf('D minor'), keyOf('F major'))).toBe('iiø7/vi');
    expect(appliedNumeral(segmentOf('C#dim7', 0, 1), keyOf('D minor'), keyOf('C major'))).toBe('vii°7/ii');
    expect(appliedNumeral(segmentOf('Eb7', 0, 1), keyOf('Ab major'), keyOf('C minor'))).toBe('V7/VI');
  });
});

describe('isDiatonic', () => {
  const d = (symbol: string, key: string) => isDiatonic(sounding(segmentOf(symbol, 0, 1))!, keyOf(key));
  it('accepts the scale chords and the harmonic-minor V and vii°', () => {
    for (const s of ['C', 'Dm7', 'Em', 'Fmaj7', 'G7', 'Am', 'Bm7b5']) expect(d(s, 'C major')).toBe(true);
    for (const s of ['Am', 'Bdim', 'C', 'Dm', 'Em', 'E', 'E7', 'F', 'G', 'G7', 'G#dim', 'G#dim7']) expect(d(s, 'A minor')).toBe(true);
  });
  it('rejects chromatic chords', () => {
    for (const s of ['D7', 'E', 'Fm', 'Ab', 'Bb', 'C7']) expect(d(s, 'C major')).toBe(false);
    for (const s of ['D', 'A', 'B7', 'Bb7']) expect(d(s, 'A minor')).toBe(false);
  });
  it('B♭ is the diatonic IV of F major', () => {
    expect(d('Bb', 'F major')).toBe(true);
    expect(numeral('Bb', 'F major')).toBe('IV');
  });
});

describe('spellChord', () => {
  const s = (symbol: string, key: string) => spellChord(segmentOf(symbol, 0, 1), keyOf(key));
  it('spells roots by scale degree and basses by chord tone', () => {
    expect(s('Ab', 'C major')).toBe('A♭');
    expect(s('G#', 'C major')).toBe('A♭'); // ♭VI of C, whatever the input spelling
    expect(s('D/F#', 'C major')).toBe('D/F♯');
    expect(s('E/G#', 'A major')).toBe('E/G♯');
    expect(s('F#7', 'B minor')).toBe('F♯7');
    expect(s('Bb', 'F major')).toBe('B♭');
    expect(s('Em7b5', 'F major')).toBe('Em7♭5');
    expect(s('C#dim7', 'D minor')).toBe('C♯dim7');
  });
});

describe('harmonic function', () => {
  const fns = (text: string, key: string) => {
    const b = progression(text, { key });
    return analyseTheory(b.chords, b.key, b.rhythm).romans.map((r) => `${r.numeral}:${r.function}`);
  };
  it('major: tonic, predominant, dominant', () => {
    expect(fns('C | Am | Dm | G7 | Em | F | Bdim | C', 'C major')).toEqual([
      'I:tonic',
      'vi:tonic',
      'ii:predominant',
      'V7:dominant',
      'iii:tonic',
      'IV:predominant',
      'vii°:dominant',
      'I:tonic',
    ]);
  });
  it('minor: VI is predominant before V, III is tonic', () => {
    expect(fns('Am | C | F | E | Am | F | C | Am', 'A minor')).toEqual([
      'i:tonic',
      'III:tonic',
      'VI:predominant',
      'V:dominant',
      'i:tonic',
      'VI:tonic',
      'III:tonic',
      'i:tonic',
    ]);
  });
  it('borrowed iv and ♭VI→V are predominant, ♭VII is chromatic; applied chords are chromatic; N has none', () => {
    expect(fns('C | Fm | Ab | G | C | Bb | C | D7 | G | N', 'C major')).toEqual([
      'I:tonic',
      'iv:predominant',
      '♭VI:predominant',
      'V:dominant',
      'I:tonic',
      '♭VII:chromatic',
      'I:tonic',
      'V7/V:chromatic',
      'V:dominant',
      'N:none',
    ]);
  });
  it('numbers every chord, also the ones too short to be evidence', () => {
    const b = progression('C | F:3.5 Ab:0.5 | G | C', { key: 'C major' });
    const r = analyseTheory(b.chords, b.key, b.rhythm);
    expect(r.romans.map((x) => x.chordIndex)).toEqual([0, 1, 2, 3, 4]);
    expect(r.romans[2]).toMatchObject({ numeral: '♭VI', function: 'chromatic', key: keyOf('C major') });
  });
});
