// Each harmonic-device rule on synthesised progressions: where it must fire, and the near-misses where it must not.
import { describe, expect, it } from 'vitest';
import { analyseTheory, theoryAnalyser } from '../../../app/analysis/theory/index.ts';
import type { Analyser, DeviceKind, HarmonicDevice, TheoryResult } from '../../../app/analysis/types.ts';
import { progression, summary } from './helpers.ts';
import type { ProgressionOptions } from './helpers.ts';

function analyse(text: string, key: string, opts: Partial<ProgressionOptions> & { noRhythm?: boolean } = {}) {
  const built = progression(text, { key, ...opts });
  const result = analyseTheory(built.chords, built.key, opts.noRhythm ? undefined : built.rhythm);
  const of = (kind: DeviceKind) => result.devices.filter((d) => d.kind === kind);
  return { built, result, of, bars: (kind?: DeviceKind) => summary(result.devices, built, kind) };
}

const one = (ds: HarmonicDevice[]): HarmonicDevice => {
  expect(ds).toHaveLength(1);
  return ds[0]!;
};

describe('modal interchange', () => {
  it('groups ♭VI–♭VII borrowed from the parallel minor', () => {
    const a = analyse('C | Ab | Bb | C', 'C major');
    const d = one(a.of('modal-interchange'));
    expect(a.bars('modal-interchange')).toEqual(['modal-interchange@2-3']);
    expect(d.label).toBe('♭VI–♭VII borrowed from C minor');
    expect(d.chordIndices).toEqual([1, 2]);
    expect(d.detail).toMatchObject({ from: 'C minor', numerals: '♭VI–♭VII', chords: 'A♭–B♭' });
  });

  it.each([
    ['C | F | Fm | C', 'iv'],
    ['C | Eb | F | C', '♭III'],
    ['C | Gm | F | C', 'v'],
    ['C | Cm | F | C', 'i'],
    ['C | Dm7b5 | G7 | C', 'iiø7'],
    ['C | Ddim | G7 | C', 'ii°'],
    ['C | Bb7 | C | C', '♭VII7'],
  ])('%s: %s is borrowed', (text, numerals) => {
    expect(one(analyse(text, 'C major').of('modal-interchange')).detail?.numerals).toBe(numerals);
  });

  it('the Dorian IV in minor is borrowed', () => {
    const a = analyse('Am | D | Am | D', 'A minor');
    expect(a.bars('modal-interchange')).toEqual(['modal-interchange@2-2', 'modal-interchange@4-4']);
    expect(a.of('modal-interchange')[0]!.label).toBe('IV borrowed from A Dorian');
  });

  it('the Dorian IV in minor moving to ♭VII is borrowed and also V/♭VII', () => {
    const a = analyse('Am | D | G | Am', 'A minor');
    expect(a.bars('modal-interchange')).toEqual(['modal-interchange@2-2']);
    expect(a.of('modal-interchange')[0]!.label).toBe('IV borrowed from A Dorian');
    expect(a.bars('secondary-dominant')).toEqual(['secondary-dominant@2-3']);
  });

  describe('near-misses', () => {
    it('D7→G in C is a secondary dominant, not a borrowed chord', () => {
      const a = analyse('C | D7 | G | C', 'C major');
      expect(a.of('modal-interchange')).toEqual([]);
      expect(a.bars('secondary-dominant')).toEqual(['secondary-dominant@2-3']);
    });
    it('the major V in A minor is diatonic (harmonic minor), not borrowed', () => {
      const a = analyse('Am | Dm | E | Am | Am | Dm | E7 | Am', 'A minor');
      expect(a.result.devices.filter((d) => d.kind !== 'cadence')).toEqual([]);
    });
    it('B♭ in F major is the diatonic IV', () => {
      const a = analyse('F | Bb | C | F', 'F major');
      expect(a.of('modal-interchange')).toEqual([]);
      expect(a.result.romans.map((r) => r.numeral)).toEqual(['I', 'IV', 'V', 'I']);
    });
    it('a chromatic passing chord shorter than a beat is no evidence', () => {
      const a = analyse('C | F:3.5 Ab:0.5 | G | C', 'C major');
      expect(a.of('modal-interchange')).toEqual([]);
      expect(a.of('chromatic-mediant')).toEqual([]);
      // …but one lasting a beat is
      expect(analyse('C | F:3 Ab:1 | G | C', 'C major').bars('modal-interchange')).toEqual(['modal-interchange@2-2']);
    });
    it('without rhythm, only chords shorter than 0.25 s are left out', () => {
      expect(analyse('C | F:3.6 Ab:0.4 | G | C', 'C major', { noRhythm: true, bpm: 120 }).of('modal-interchange')).toEqual([]);
      expect(analyse('C | F:3.4 Ab:0.6 | G | C', 'C major', { noRhythm: true, bpm: 120 }).of('modal-interchange')).toHaveLength(1);
    });
    it('Gm7 in C before C7→F is ii7/IV of a tonicised IV, not a borrowed v7', () => {
      const a = analyse('C | Gm7 C7 | F | C', 'C major');
      expect(a.of('modal-interchange')).toEqual([]);
      expect(a.result.romans.map((r) => r.numeral)).toEqual(['I', 'ii7/IV', 'V7/IV', 'IV', 'I']);
    });
    it('Gm in C before A7→Dm is iv/ii of a tonicised ii, not a borrowed v', () => {
      const a = analyse('C | Gm | A7 | Dm | G7 | C', 'C major');
      expect(a.of('modal-interchange')).toEqual([]);
      expect(a.result.romans[1]).toMatchObject({ numeral: 'iv/ii', function: 'predominant' });
    });
    it('chords inside a passing key region (shorter than a modulation) belong to its tonicisation', () => {
      const a = analyse('C | F | G | C | Am | Bb | F | C | F | G | C | C', 'C major', { keys: [[5, 'F major'], [8, 'C major']] });
      expect(a.of('modal-interchange')).toEqual([]);
      expect(a.of('modulation')).toEqual([]);
      expect(a.result.romans[5]).toMatchObject({ numeral: 'IV/IV', key: { tonic: 0, mode: 'major' } });
    });
    it('a short parallel-minor region is still modal interchange, not a tonicisation', () => {
      const a = analyse('C | F | G | C | Ab | Bb | C | C | F | G | C | C', 'C major', { keys: [[5, 'C minor'], [7, 'C major']] });
      expect(a.bars('modal-interchange')).toEqual(['modal-interchange@5-6']);
    });
    it('a major tonic ending a minor piece is a Picardy third, not modal interchange', () => {
      const a = analyse('Am | Dm | E | A', 'A minor');
      expect(a.of('modal-interchange')).toEqual([]);
      expect(a.bars('picardy-third')).toEqual(['picardy-third@3-4']);
    });
    it('a major tonic in minor resolving to iv is V/iv, not borrowed or Picardy', () => {
      const a = analyse('Am | A | Dm | E7 | Am', 'A minor');
      expect(a.of('modal-interchange')).toEqual([]);
      expect(a.of('picardy-third')).toEqual([]);
      expect(a.bars('secondary-dominant')).toEqual(['secondary-dominant@2-3']);
      expect(a.result.romans[1]!.numeral).toBe('V/iv');
    });
  });
});

describe('Picardy third', () => {
  it('fires on the major tonic ending a minor passage, with its dominant as evidence', () => {
    const d = one(analyse('Dm | Gm | A7 | D', 'D minor').of('picardy-third'));
    expect(d.chordIndices).toEqual([2, 3]);
    expect(d.detail?.numerals).toBe('V7–I');
  });
  it('fires before silence', () => {
    expect(analyse('Am | Dm | E | A | N', 'A minor').bars('picardy-third')).toEqual(['picardy-third@3-4']);
  });
  it('fires on a long major tonic closing a section before the next one starts elsewhere', () => {
    expect(analyse('Dm | Gm | A7 | D | D | Bb | A7 | Dm', 'D minor').of('picardy-third')).toHaveLength(1);
  });
  it('does not fire on a long major tonic that turns straight back into the minor tonic (I → i is colour, not a close)', () => {
    const a = analyse('Dm | Gm | A7 | D | D | Dm | A7 | Dm', 'D minor');
    expect(a.of('picardy-third')).toEqual([]);
    expect(a.of('modal-interchange')).toEqual([]);
  });
  it('does not fire on a major tonic in mid-phrase (nor is that chord modal interchange: only IV is borrowed into minor)', () => {
    const a = analyse('Am | A | F | E | Am', 'A minor');
    expect(a.of('picardy-third')).toEqual([]);
    expect(a.of('modal-interchange')).toEqual([]);
    expect(a.result.romans[1]).toMatchObject({ numeral: 'I', function: 'chromatic' });
  });
});

describe('secondary dominants', () => {
  it.each([
    ['C | A7 | Dm | G7 | C', 'V7/ii', 'C major'],
    ['C | B7 | Em | F', 'V7/iii', 'C major'],
    ['C | C7 | F | G', 'V7/IV', 'C major'],
    ['C | D7 | G | C', 'V7/V', 'C major'],
    ['C | E | Am | F', 'V/vi', 'C major'],
    ['Am | B7 | E | Am', 'V7/V', 'A minor'],
    ['Am | C7 | F | E', 'V7/VI', 'A minor'],
    ['Am | A7 | Dm | E', 'V7/iv', 'A minor'],
  ])('%s: %s resolving to its target', (text, numeral, key) => {
    const d = one(analyse(text, key).of('secondary-dominant'));
    expect(d.detail).toMatchObject({ numeral, resolution: 'regular' });
    expect(d.chordIndices).toEqual([1, 2]);
  });

  it('a deceptive resolution counts with lower confidence', () => {
    const regular = one(analyse('C | E7 | Am | G', 'C major').of('secondary-dominant'));
    const deceptive = one(analyse('C | E7 | F | G', 'C major').of('secondary-dominant'));
    expect(deceptive.detail).toMatchObject({ numeral: 'V7/vi', resolution: 'deceptive' });
    expect(deceptive.confidence).toBeLessThan(regular.confidence);
  });

  it('a leading-tone diminished seventh to its target is vii°7/x', () => {
    const d = one(analyse('C | C#dim7 | Dm | G7', 'C major').of('secondary-dominant'));
    expect(d.detail).toMatchObject({ numeral: 'vii°7/ii', chords: 'C♯dim7 → Dm' });
  });

  it('chains of dominants each count (E7→A7→D7→G7→C)', () => {
    expect(analyse('C | E7 | A7 | D7 | G7 | C', 'C major').bars('secondary-dominant')).toEqual([
      'secondary-dominant@2-3',
      'secondary-dominant@3-4',
      'secondary-dominant@4-5',
    ]);
  });

  describe('near-misses', () => {
    it('V7→I is the dominant itself, not V/x', () => {
      expect(analyse('C | F | G7 | C', 'C major').of('secondary-dominant')).toEqual([]);
    });
    it('a non-diatonic dominant that does not resolve is not a secondary dominant', () => {
      const a = analyse('C | D7 | F | C', 'C major');
      expect(a.of('secondary-dominant')).toEqual([]);
      expect(a.of('modal-interchange')).toEqual([]);
    });
    it('a diatonic chord a fifth above its successor is not V/x (C→F in C is I→IV; G7→C in A minor is VII7→III)', () => {
      expect(analyse('C | F | G | C', 'C major').of('secondary-dominant')).toEqual([]);
      expect(analyse('Am | G7 | C | E', 'A minor').of('secondary-dominant')).toEqual([]);
    });
    it('a secondary dominant shorter than a beat is no evidence', () => {
      expect(analyse('C | C:3.5 D7:0.5 | G | C', 'C major').of('secondary-dominant')).toEqual([]);
    });
    it('the V of a minor key is not a secondary dominant', () => {
      expect(analyse('Am | E | Am | E', 'A minor').of('secondary-dominant')).toEqual([]);
    });
  });
});

describe('tritone substitution', () => {
  it('♭II7 → I substitutes for V7', () => {
    const a = analyse('C | Dm7 | Db7 | C', 'C major');
    const d = one(a.of('tritone-substitution'));
    expect(d.detail).toMatchObject({ numeral: '♭II7', substitutesFor: 'G7', chords: 'D♭7 → C' });
    expect(a.result.romans[2]).toMatchObject({ numeral: '♭II7', function: 'dominant' });
    expect(a.of('modal-interchange')).toEqual([]);
  });
  it('♭VI7 → V substitutes for V7/V', () => {
    const d = one(analyse('C | Ab7 | G | C', 'C major').of('tritone-substitution'));
    expect(d.detail).toMatchObject({ numeral: 'subV7/V', substitutesFor: 'D7' });
  });
  it('a tritone substitute for V7/vi is not taken for a borrowed ♭VII7', () => {
    const a = analyse('C | Bb7 | Am | F', 'C major');
    expect(one(a.of('tritone-substitution')).detail?.substitutesFor).toBe('E7');
    expect(a.of('modal-interchange')).toEqual([]);
  });
  describe('near-misses', () => {
    it('a Neapolitan triad (no seventh) is no tritone substitute', () => {
      expect(analyse('C | Db | C | C', 'C major').of('tritone-substitution')).toEqual([]);
    });
    it('♭II7 that does not resolve down a semitone is none', () => {
      expect(analyse('C | Db7 | F | C', 'C major').of('tritone-substitution')).toEqual([]);
    });
  });
});

describe('modulation', () => {
  const pivotSong = 'C | F | G | C | C | F | Am | D7 | G | C | D | G | Em | Am | D7 | G';
  it('finds the pivot chord diatonic in both keys', () => {
    const a = analyse(pivotSong, 'C major', { keys: [[9, 'G major']] });
    const d = one(a.of('modulation'));
    expect(a.bars('modulation')).toEqual(['modulation@7-8']);
    expect(d.detail).toMatchObject({ from: 'C major', to: 'G major', type: 'pivot', pivot: 'Am', pivotNumerals: 'vi = ii', interval: 'up a perfect fifth', relation: 'dominant' });
    // D7 just before the boundary announces G major and is numbered in it.
    expect(a.result.romans[7]).toMatchObject({ numeral: 'V7', key: { tonic: 7, mode: 'major' } });
  });
  it('tolerates an approximate key boundary', () => {
    // A bar early: the same pivot.
    expect(one(analyse(pivotSong, 'C major', { keys: [[8, 'G major']] }).of('modulation')).detail).toMatchObject({ type: 'pivot', pivot: 'Am' });
    // A bar late (the region starts on C): D7→G stays V7/V of C, and C (I = IV) before D is the pivot.
    const late = analyse(pivotSong, 'C major', { keys: [[10, 'G major']] });
    expect(one(late.of('modulation')).detail).toMatchObject({ type: 'pivot', pivot: 'C', pivotNumerals: 'I = IV' });
  });
  it('calls an unprepared change a direct modulation', () => {
    const a = analyse('C | F | G | C | C | F | G | C | D | G | A | D | G | A | D | D', 'C major', { keys: [[9, 'D major']] });
    const d = one(a.of('modulation'));
    expect(a.bars('modulation')).toEqual(['modulation@8-9']);
    expect(d.detail).toMatchObject({ type: 'direct', interval: 'up a whole step', semitones: 2 });
    expect(d.detail?.pivot).toBeUndefined();
  });
  it('finds a return modulation too', () => {
    const text = 'C | F | G | C | D7 | G | C | G | Am | D7 | G | G | G7 | C | F | C';
    const a = analyse(text, 'C major', { keys: [[5, 'G major'], [13, 'C major']] });
    expect(a.of('modulation').map((d) => `${d.detail?.from} → ${d.detail?.to}`)).toEqual(['C major → G major', 'G major → C major']);
  });
  describe('near-misses', () => {
    it('a two-chord tonicisation of V (even if the key track reports it) is no modulation', () => {
      const a = analyse('C | F | G | C | Am | D7 | G | C | F | G | C | C', 'C major', { keys: [[6, 'G major'], [8, 'C major']] });
      expect(a.of('modulation')).toEqual([]);
      expect(a.bars('secondary-dominant')).toEqual(['secondary-dominant@6-7']);
      expect(a.result.romans.every((r) => r.key.tonic === 0)).toBe(true);
    });
    it('without rhythm a new key must last 8 s', () => {
      // 120 BPM: 2 s a bar. Three bars in G (6 s) is a tonicisation; five (10 s) a modulation.
      const short = analyse('C | F | G | C | D7 | G | G | C | F | G7 | C | C', 'C major', { keys: [[5, 'G major'], [8, 'C major']], noRhythm: true });
      expect(short.of('modulation')).toEqual([]);
      const long = analyse('C | F | G | C | D7 | G | C | D | G | C | F | G7 | C | C', 'C major', { keys: [[5, 'G major'], [10, 'C major']], noRhythm: true });
      expect(long.of('modulation')).toHaveLength(2);
    });
  });
});

describe('chromatic mediants', () => {
  it.each([
    ['C | E | C | C', 'C major', ['chromatic-mediant@1-2', 'chromatic-mediant@2-3']],
    ['C | Ab | C | C', 'C major', ['chromatic-mediant@1-2', 'chromatic-mediant@2-3']],
    ['C | Eb | C | C', 'C major', ['chromatic-mediant@1-2', 'chromatic-mediant@2-3']],
    ['Am | C#m | Am | Am', 'A minor', ['chromatic-mediant@1-2', 'chromatic-mediant@2-3']],
  ])('%s', (text, key, expected) => {
    expect(analyse(text, key).bars('chromatic-mediant')).toEqual(expected);
  });
  it('shares one common tone and names the relation', () => {
    const d = analyse('C | Ab | C | C', 'C major').of('chromatic-mediant')[0]!;
    expect(d.detail).toMatchObject({ chords: 'C → A♭', numerals: 'I → ♭VI', relation: 'down a major third' });
  });
  describe('near-misses', () => {
    it.each([
      ['C | Am | C | C', 'relative minor (different quality, diatonic)'],
      ['C | Em | C | C', 'diatonic third relation'],
      ['C | E | Am | Am', 'E is V/vi'],
      ['C | E7 | Am | Am', 'E7 is V7/vi'],
      ['C | Cm | C | C', 'same root'],
      ['C | D | C | C', 'a step, not a third'],
    ])('%s (%s)', (text) => {
      expect(analyse(text, 'C major').of('chromatic-mediant')).toEqual([]);
    });
  });
});

describe('pedal points', () => {
  it('a tonic pedal under I–IV64–V–I', () => {
    const a = analyse('C | F/C | G/C | C', 'C major');
    const d = one(a.of('pedal-point'));
    expect(d.label).toBe('Tonic pedal on C under I–IV64–V–I');
    expect(d.chordIndices).toEqual([0, 1, 2, 3]);
  });
  it('a dominant pedal', () => {
    const d = one(analyse('C | G | C/G | Dm/G | G7 | C', 'C major').of('pedal-point'));
    expect(d.detail?.bass).toBe('G');
    expect(d.label.startsWith('Dominant pedal on G')).toBe(true);
  });
  describe('near-misses', () => {
    it('only two different chords over the bass', () => {
      expect(analyse('C | F/C | C | F/C', 'C major').of('pedal-point')).toEqual([]);
    });
    it('V and V7 over their own root are one chord (the cadential 6-4 is no pedal)', () => {
      expect(analyse('C | Dm | G7 | C/G G | C', 'C major').of('pedal-point')).toEqual([]);
    });
    it('shorter than two bars', () => {
      expect(analyse('C F/C G/C C | Am | F | G', 'C major').of('pedal-point')).toEqual([]);
    });
    it('all in root position', () => {
      expect(analyse('C | F | G | C', 'C major').of('pedal-point')).toEqual([]);
    });
  });
});

describe('named progressions', () => {
  const names = (text: string, key: string) =>
    analyse(text, key).of('progression').map((d) => `${d.detail?.name}@${d.detail?.occurrence}/${d.detail?.occurrences}`);

  it('I–V–vi–IV, one device per occurrence', () => {
    const a = analyse('C | G | Am | F | C | G | Am | F', 'C major');
    expect(a.bars('progression')).toEqual(['progression@1-4', 'progression@5-8']);
    expect(names('C | G | Am | F | C | G | Am | F', 'C major')).toEqual(['I–V–vi–IV@1/2', 'I–V–vi–IV@2/2']);
  });
  it('rotations keep the name they start with', () => {
    expect(names('Am | F | C | G | Am | F | C | G', 'C major')).toEqual(['vi–IV–I–V@1/2', 'vi–IV–I–V@2/2']);
    expect(names('G | Am | F | C', 'C major')).toEqual(['V–vi–IV–I@1/1']);
    expect(names('F | C | G | Am', 'C major')).toEqual(['IV–I–V–vi@1/1']);
    expect(names('Am | F | C | G', 'A minor')).toEqual(['i–VI–III–VII@1/1']);
  });
  it('a pickup before the loop does not shift it', () => {
    expect(analyse('G | C | Am | F | G', 'C major').bars('progression')).toEqual(['progression@2-5']);
  });
  it('the 50s progression I–vi–IV–V', () => {
    expect(names('C | Am | F | G | C | Am | F | G7', 'C major')).toEqual(['I–vi–IV–V@1/2', 'I–vi–IV–V@2/2']);
  });
  it('the Andalusian cadence i–♭VII–♭VI–V', () => {
    const a = analyse('Am | G | F | E | Am | G | F | E7', 'A minor');
    expect(a.bars('progression')).toEqual(['progression@1-4', 'progression@5-8']);
    expect(a.of('progression')[0]!.label).toBe('Andalusian cadence');
  });
  it('ii–V–I in major, ii–V–i in minor, and a ii–V–i tonicising vi', () => {
    expect(analyse('Dm7 | G7 | Cmaj7 | Cmaj7', 'C major').of('progression')[0]!.detail).toMatchObject({ name: 'ii–V–I', target: 'I', numerals: 'ii7–V7–Imaj7' });
    expect(analyse('Bm7b5 | E7 | Am | Am', 'A minor').of('progression')[0]!.detail).toMatchObject({ name: 'ii–V–i', target: 'i', numerals: 'iiø7–V7–i' });
    expect(analyse('Fmaj7 | Em7b5 | A7 | Dm7', 'F major').of('progression')[0]!.detail).toMatchObject({ name: 'ii–V–i', target: 'vi', numerals: 'iiø7/vi–V7/vi–vi7' });
  });
  describe('near-misses', () => {
    it.each([
      ['C | G | F | Am', 'C major', 'I–V–IV–vi is no rotation of the axis'],
      ['C | Am | Dm | G', 'C major', 'I–vi–ii–V is not the 50s progression'],
      ['Am | G | F | Em', 'A minor', 'the Andalusian cadence needs the major V'],
      ['Dm | E | Am | Am', 'A minor', 'iv–V–i is not ii–V–i'],
      ['Gm7 | C7 | F7 | F7', 'Bb major', 'a ii–V landing on a dominant seventh is no ii–V–I'],
      ['Dm7 | G7 | C/G | G7', 'C major', 'landing on the cadential 6-4 is no ii–V–I'],
    ])('%s (%s)', (text, key) => {
      expect(analyse(text, key).of('progression')).toEqual([]);
    });
  });
});

describe('cadences', () => {
  const types = (text: string, key: string) => analyse(text, key).of('cadence').map((d) => `${d.detail?.type}@${summary([d], analyse(text, key).built)[0]}`);
  it('plagal IV–I and minor plagal iv–I at the end', () => {
    expect(types('C | G | F | C', 'C major')).toEqual(['plagal@cadence@3-4']);
    expect(types('C | G | Fm | C', 'C major')).toEqual(['minor-plagal@cadence@3-4']);
    expect(types('Am | E | Dm | Am', 'A minor')).toEqual(['plagal@cadence@3-4']);
  });
  it('authentic V–I at the end, before silence, or on a held arrival', () => {
    expect(types('C | F | G | C', 'C major')).toEqual(['authentic@cadence@3-4']);
    expect(types('C | F | G7 | C | N | Am | F | G', 'C major')).toEqual(['authentic@cadence@3-4']);
    expect(types('C | Dm | G | C | C | F | G | Am', 'C major')).toEqual(['authentic@cadence@3-4']);
  });
  it('an inverted dominant makes an imperfect authentic cadence', () => {
    expect(analyse('A | D | E/G# | A', 'A major').of('cadence')[0]!.detail).toMatchObject({ type: 'authentic', position: 'inverted (imperfect)' });
  });
  describe('near-misses', () => {
    it('IV–I inside a looping progression is no plagal cadence', () => {
      expect(analyse('C | G | Am | F | C | G | Am | F', 'C major').of('cadence')).toEqual([]);
    });
    it('V–I whose I starts the next phrase (intro → verse) is no cadence', () => {
      const a = analyse('D | A | D | A | Bm | G | A | D', 'D major');
      expect(a.bars('cadence')).toEqual(['cadence@7-8']);
    });
    it('a dominant over a tonic pedal does not cadence', () => {
      expect(analyse('C | F/C | G/C | C', 'C major').of('cadence')).toEqual([]);
    });
  });
});

describe('evidence and confidence', () => {
  it('every device names its chords and spans them', () => {
    const a = analyse('C | Ab | Bb | C | C | D7 | G | C', 'C major');
    for (const d of a.result.devices) {
      const segs = d.chordIndices.map((i) => a.built.chords.chords[i]!);
      expect(d.start).toBe(Math.min(...segs.map((s) => s.start)));
      expect(d.end).toBe(Math.max(...segs.map((s) => s.end)));
      expect(d.confidence).toBeGreaterThan(0);
      expect(d.confidence).toBeLessThanOrEqual(1);
    }
  });
  it('confidence follows the chords’ confidence and length', () => {
    const full = one(analyse('C | Fm | C | C', 'C major').of('modal-interchange')).confidence;
    const unsure = one(analyse('C | Fm | C | C', 'C major', { confidence: 0.5 }).of('modal-interchange')).confidence;
    const oneBeat = one(analyse('C | C:3 Fm:1 | C | C', 'C major').of('modal-interchange')).confidence;
    expect(unsure).toBeLessThan(full);
    expect(oneBeat).toBeLessThan(full);
    expect(full).toBeCloseTo(0.9, 5);
  });
});

describe('theoryAnalyser', () => {
  it('is the finish-only analyser named theory', () => {
    const a: Analyser<TheoryResult> = theoryAnalyser;
    expect(a.name).toBe('theory');
    expect(a.version).toBe(3);
    expect([...a.dependsOn]).toEqual(['chords', 'key', 'rhythm']);
    expect(a.process).toBeUndefined();
    const b = progression('C | Ab | Bb | C', { key: 'C major' });
    expect(theoryAnalyser.finish({ chords: b.chords, key: b.key, rhythm: b.rhythm })).toEqual(analyseTheory(b.chords, b.key, b.rhythm));
  });
  it('refuses missing inputs', () => {
    expect(() => (theoryAnalyser as Analyser<TheoryResult>).finish({})).toThrow(/chords/);
  });
  it('copes with no chords and no key segments', () => {
    expect(analyseTheory({ chords: [] }, { global: { tonic: 0, mode: 'major' }, confidence: 0, segments: [] })).toEqual({ romans: [], devices: [] });
  });
});
