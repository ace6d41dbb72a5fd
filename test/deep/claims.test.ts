import { describe, expect, it } from 'vitest';
import { parseClaims, parseChordToken } from '../../app/deep/crosscheck/claims.ts';
import { crossCheck, keyRelation, type Measured } from '../../app/deep/crosscheck/compare.ts';

const measured: Measured = {
  durationSec: 200.4,
  rhythm: { bpm: 120.1, confidence: 0.93, tempoCurve: [], beats: [], downbeats: [], meter: '4/4', beatsPerBar: 4, meterConfidence: 0.8 },
  key: { global: { tonic: 9, mode: 'minor' }, confidence: 0.71, segments: [{ start: 0, end: 120, key: { tonic: 9, mode: 'minor' }, confidence: 0.7 }, { start: 120, end: 200, key: { tonic: 2, mode: 'minor' }, confidence: 0.6 }] },
  chords: {
    chords: [
      { start: 0, end: 4, root: 9, quality: 'min', bass: 9, confidence: 0.8, label: 'A:min' },
      { start: 4, end: 8, root: 5, quality: 'maj7', bass: 5, confidence: 0.7, label: 'F:maj7' },
      { start: 8, end: 12, root: 0, quality: 'maj', bass: 0, confidence: 0.9, label: 'C:maj' },
      { start: 12, end: 16, root: 7, quality: '7', bass: 7, confidence: 0.6, label: 'G:7' },
    ],
  },
  form: {
    sections: [
      { start: 0, end: 10, label: 'intro', group: 'A', confidence: 0.6, energy: 0.3, progression: '' },
      { start: 10, end: 60, label: 'verse', group: 'B', confidence: 0.7, energy: 0.5, progression: '' },
      { start: 60, end: 100, label: 'chorus', group: 'C', confidence: 0.8, energy: 0.9, progression: '' },
      { start: 100, end: 150, label: 'verse', group: 'B', confidence: 0.7, energy: 0.5, progression: '' },
      { start: 150, end: 190, label: 'chorus', group: 'C', confidence: 0.8, energy: 0.9, progression: '' },
      { start: 190, end: 200, label: 'outro', group: 'D', confidence: 0.5, energy: 0.2, progression: '' },
    ],
    summary: 'intro–verse–chorus–verse–chorus–outro',
    confidence: 0.65,
  },
};

const check = (text: string) => crossCheck(parseClaims(text), measured);
const one = (text: string) => {
  const r = check(text);
  expect(r, text).toHaveLength(1);
  return r[0]!;
};

describe('claim parser and cross-check', () => {
  it('tempo: within 4 % agrees, half/double is an octave error, otherwise disagrees', () => {
    expect(one('The track moves at 122 BPM.').agreement).toBe('agrees');
    const far = one('A driving tempo of about 128 bpm.');
    expect(far.agreement).toBe('disagrees');
    expect(far.message).toBe('the model says 128 BPM; measured 120.1 BPM, confidence 0.93: disagrees');
    expect(one('It sits around 60 BPM.')).toMatchObject({ agreement: 'partial', relation: 'octave error (half or double tempo)' });
    expect(one('Tempo is 118–121 BPM.').agreement).toBe('agrees');
  });

  it('key: same, enharmonic, Camelot, relative, parallel, local, wrong', () => {
    expect(one('It is in A minor.').agreement).toBe('agrees');
    expect(one('The key is Camelot 8A.').agreement).toBe('agrees');
    expect(one('The song is in C major.')).toMatchObject({ agreement: 'partial', relation: 'relative key' });
    expect(one('Written in A major.')).toMatchObject({ agreement: 'partial', relation: 'parallel key' });
    expect(check('The bridge moves to D minor.').find((c) => c.kind === 'key')).toMatchObject({ agreement: 'agrees', relation: 'local key' });
    expect(one('A bright song in F# major.').agreement).toBe('disagrees');
    expect(one('In the key of G flat minor.').agreement).toBe('disagrees');
    expect(keyRelation({ tonic: 7, mode: 'major' }, { tonic: 0, mode: 'major' })).toBe('a fifth away');
    expect(one('The song uses a minor key throughout.')).toMatchObject({ kind: 'mode', agreement: 'agrees' });
  });

  it('enharmonic spellings are the same key', () => {
    const m2: Measured = { ...measured, key: { ...measured.key, global: { tonic: 6, mode: 'major' }, segments: [] } };
    const r = crossCheck(parseClaims('It is in F# major.'), m2)[0]!;
    expect(r).toMatchObject({ agreement: 'agrees', relation: 'enharmonic spelling' });
  });

  it('meter: time signatures and names', () => {
    expect(one('A steady 4/4 groove.').agreement).toBe('agrees');
    expect(one('It is in waltz time.').agreement).toBe('disagrees');
    expect(one('It has a 12/8 feel.')).toMatchObject({ agreement: 'partial' });
  });

  it('chords: plain lists and Harte labels', () => {
    const all = check('The progression cycles Am, F, C, G.').find((c) => c.kind === 'chords')!;
    expect(all.agreement).toBe('agrees');
    const some = check('The chords are Am – Dm – E7.').find((c) => c.kind === 'chords')!;
    expect(some.agreement).toBe('partial');
    expect(some.measured).toContain('not heard: Dm, E7');
    const none = check('Chords: Bbm, Ebm, Db.').find((c) => c.kind === 'chords')!;
    expect(none.agreement).toBe('disagrees');
    expect(check('It loops A:min F:maj7.').find((c) => c.kind === 'chords')!.agreement).toBe('agrees');
    expect(parseChordToken('F#m7/E')).toMatchObject({ root: 6, family: 'min' });
    expect(parseChordToken('house')).toBeNull();
  });

  it('sections and counts; unknown labels are unverifiable', () => {
    const r = check('After the intro, two choruses frame a bridge, and the drop hits hard.');
    const by = (label: string) => r.find((c) => c.kind === 'section' && c.claimed.endsWith(` ${label}`))!;
    expect(by('intro').agreement).toBe('agrees');
    expect(by('bridge').agreement).toBe('disagrees');
    expect(by('drop').agreement).toBe('unverifiable');
    expect(r.find((c) => c.kind === 'section-count')).toMatchObject({ claimed: '2 choruses', agreement: 'agrees' });
    expect(check('There are three verses.').find((c) => c.kind === 'section-count')!.agreement).toBe('disagrees');
  });

  it('duration: exact and approximate', () => {
    expect(one('The song lasts 3:20.').agreement).toBe('agrees');
    expect(one('The track runs about 5 minutes long.').agreement).toBe('disagrees');
    expect(one('The track is about 3 minutes and 15 seconds long.').agreement).toBe('agrees');
    expect(check('The vocals enter at 1:20.')).toHaveLength(0);
  });

  it('prose without checkable claims gives none; no measurement makes claims unverifiable', () => {
    expect(check('A warm, nostalgic mood with a hazy synth pad and airy female vocals.')).toHaveLength(0);
    expect(crossCheck(parseClaims('It is 128 BPM in A minor.'), undefined).every((c) => c.agreement === 'unverifiable')).toBe(true);
  });

  it('a caption in Music Flamingo\'s style: every checkable claim found, nothing invented', async () => {
    const { parseClaims } = await import('../../app/deep/crosscheck/claims.ts');
    const text = `This track is a high-energy electronic dance music (EDM) piece rooted in progressive house. The song is set in the key of F minor and keeps a steady tempo of 128 BPM throughout, in a 4/4 time signature.
The harmonic structure revolves around a repeating progression of Fm - Db - Ab - Eb, giving a melancholic yet euphoric feel.
The arrangement follows a build-and-drop structure: an atmospheric intro, a build-up, the drop, a breakdown, a second build-up and drop, and an outro.
A female vocalist sings about longing; her voice is drenched in reverb. The track's duration is approximately 3 minutes and 30 seconds.`;
    const claims = parseClaims(text);
    const summary = claims.map((c) => {
      switch (c.kind) {
        case 'tempo': return `tempo ${c.bpm}`;
        case 'key': return `key ${c.spelled}`;
        case 'meter': return `meter ${c.meter}`;
        case 'chords': return `chords ${c.chords.map((x) => x.symbol).join(' ')}`;
        case 'section': return `section ${c.label}`;
        case 'duration': return `duration ${c.seconds}${c.approximate ? '~' : ''}`;
        default: return c.kind;
      }
    });
    expect(summary).toEqual([
      'tempo 128',
      'key F minor',
      'meter 4/4',
      'chords Fm Db Ab Eb',
      'section drop', // "build-and-drop structure", read first
      'section intro',
      'section build-up',
      'section breakdown',
      'section outro',
      'duration 210~',
    ]);
  });
});

