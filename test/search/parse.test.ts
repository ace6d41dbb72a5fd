// The query parser: keys, tempos, meters, devices, form, moods, fields, negation, similarity.
import { describe, expect, it } from 'vitest';
import { camelotToKey, parseQuery } from '../../app/search/parse.ts';
import type { Clause } from '../../app/search/query.ts';

const clauses = (q: string) => parseQuery(q).clauses.map(({ source: _s, ...c }) => c);
const one = (q: string): Omit<Clause, 'source'> => {
  const c = clauses(q);
  expect(c, q).toHaveLength(1);
  return c[0]!;
};

describe('keys', () => {
  it.each([
    ['in D minor', 2, 'minor'],
    ['F# major', 6, 'major'],
    ['B flat', 10, null],
    ['in B♭ major', 10, 'major'],
    ['E flat minor', 3, 'minor'],
    ['Am', 9, 'minor'],
    ['C#m', 1, 'minor'],
    ['key of G', 7, null],
    ['minor key', null, 'minor'],
    ['songs in a minor key', null, 'minor'],
    ['songs in A minor', 9, 'minor'],
    ['8A', 9, 'minor'],
    ['8B', 0, 'major'],
    ['key:5A', 0, 'minor'],
    ['key:"D minor"', 2, 'minor'],
  ])('%s', (q, tonic, mode) => {
    expect(one(q)).toEqual({ kind: 'key', tonic, mode, negate: false });
  });

  it('maps every Camelot code to the right key (one step = one fifth, A = relative minor)', () => {
    expect(camelotToKey('9B')).toEqual({ tonic: 7, mode: 'major' });
    expect(camelotToKey('9A')).toEqual({ tonic: 4, mode: 'minor' });
    expect(camelotToKey('12B')).toEqual({ tonic: 4, mode: 'major' });
    expect(camelotToKey('1A')).toEqual({ tonic: 8, mode: 'minor' });
    expect(camelotToKey('13A')).toBeNull();
  });

  it('does not read the article "a" or a lone letter as a key', () => {
    expect(clauses('find a waltz')).toEqual([{ kind: 'meter', meters: ['3/4'], negate: false }]);
    expect(clauses('plan b').map((c) => c.kind)).toEqual(['text', 'text']);
  });
});

describe('tempo', () => {
  it.each([
    ['90 bpm', 87, 93, 90],
    ['around 90 bpm', 84, 96, 90],
    ['~90bpm', 84, 96, 90],
    ['120-130 bpm', 119.5, 130.5, 125],
    ['between 80 and 100 bpm', 79.5, 100.5, 90],
    ['bpm:120..130', 119.5, 130.5, 125],
    ['faster than 120 bpm', 120, 1000, null],
    ['under 90 bpm', 0, 90, null],
    ['fast', 110, 1000, null],
    ['slow', 0, 85, null],
  ])('%s', (q, min, max, target) => {
    expect(one(q)).toEqual({ kind: 'tempo', min, max, target, negate: false });
  });
});

describe('meter', () => {
  it.each([
    ['waltz', ['3/4']],
    ['in 3/4', ['3/4']],
    ['6/8', ['6/8', '12/8']],
    ['common time', ['4/4']],
  ])('%s', (q, meters) => expect(one(q)).toEqual({ kind: 'meter', meters, negate: false }));

  it('not in 3/4', () => expect(one('not in 3/4')).toEqual({ kind: 'meter', meters: ['3/4'], negate: true }));
});

describe('harmonic devices', () => {
  it.each([
    ['modal interchange', 'modal-interchange'],
    ['borrowed chords', 'modal-interchange'],
    ['mode mixture', 'modal-interchange'],
    ['key change', 'modulation'],
    ['modulates', 'modulation'],
    ['secondary dominants', 'secondary-dominant'],
    ['ii-V-I', 'ii-V-I'],
    ['ii–V–I', 'ii-V-I'],
    ['Andalusian cadence', 'andalusian'],
    ['four-chord song', 'four-chord'],
    ['four chord song', 'four-chord'],
    ['tritone substitution', 'tritone-substitution'],
    ['pedal point', 'pedal-point'],
    ['chromatic mediant', 'chromatic-mediant'],
    ['Picardy third', 'picardy-third'],
    ['plagal cadence', 'plagal-cadence'],
  ])('%s', (q, concept) => expect(one(q)).toEqual({ kind: 'device', concept, negate: false }));

  it('negates with without / no / not', () => {
    expect(one('without a key change')).toEqual({ kind: 'device', concept: 'modulation', negate: true });
    expect(one('songs with no modal interchange')).toEqual({ kind: 'device', concept: 'modal-interchange', negate: true });
  });
});

describe('form, sound and mood', () => {
  it('has a bridge / no chorus', () => {
    expect(one('has a bridge')).toEqual({ kind: 'section', section: 'bridge', negate: false });
    expect(one('no chorus')).toEqual({ kind: 'section', section: 'chorus', negate: true });
  });
  it.each([
    ['loud', 'loudness', 'high'],
    ['quiet', 'loudness', 'low'],
    ['acoustic', 'acousticness', 'high'],
    ['electronic', 'acousticness', 'low'],
    ['danceable', 'danceability', 'high'],
    ['sad', 'valence', 'low'],
    ['happy', 'valence', 'high'],
    ['energetic', 'energy', 'high'],
    ['calm', 'arousal', 'low'],
    ['instrumental', 'vocals', 'low'],
    ['with vocals', 'vocals', 'high'],
  ])('%s', (q, descriptor, direction) => expect(one(q)).toEqual({ kind: 'descriptor', descriptor, direction, negate: false }));
});

describe('fields, years and free text', () => {
  it('field:value, quoted values and -negation', () => {
    expect(one('artist:"Neon Harbor"')).toEqual({ kind: 'field', field: 'artist', value: 'Neon Harbor', negate: false });
    expect(one('-genre:rock')).toEqual({ kind: 'field', field: 'genre', value: 'rock', negate: true });
    expect(one('year:1990..1999')).toEqual({ kind: 'year', min: 1990, max: 1999, negate: false });
    expect(one('90s')).toEqual({ kind: 'year', min: 1990, max: 1999, negate: false });
    expect(one('before 1970')).toEqual({ kind: 'year', min: 0, max: 1969, negate: false });
  });
  it('unknown words are free text; quoted text is a phrase; -word excludes it', () => {
    expect(clauses('velvet "night ferry" -remix')).toEqual([
      { kind: 'text', value: 'velvet', phrase: false, negate: false },
      { kind: 'text', value: 'night ferry', phrase: true, negate: false },
      { kind: 'text', value: 'remix', phrase: false, negate: true },
    ]);
  });
  it('combines clauses', () => {
    expect(clauses('minor key waltzes with a key change from the 60s').map((c) => c.kind)).toEqual(['key', 'meter', 'device', 'year']);
  });
});

describe('similarity', () => {
  it('like <title> and similar to <title>, with filters after it', () => {
    const q = parseQuery('like Night Ferry in a minor key');
    expect(q.similarTo).toBe('Night Ferry');
    expect(q.clauses.map((c) => c.kind)).toEqual(['key']);
    expect(parseQuery('similar to "Blue Corner", fast').similarTo).toBe('Blue Corner');
    expect(parseQuery('songs like').notes.join()).toMatch(/needs the title/);
  });
});
