// The labelled query set over the demo library: each query with the songs it must return, derived
// from the songs' ground truth in app/demo/songs.ts (never from our own analysis output).
import { sectionTimeline, type DeviceKind, type SongSpec } from '../../app/demo/songs.ts';

export interface LabelledQuery {
  q: string;
  /** True for the songs the query must return. */
  relevant: (s: SongSpec) => boolean;
  /** Needs a part of analysis II (skipped, and reported, while the library lacks it). */
  needs?: 'form';
}

const has = (kind: DeviceKind) => (s: SongSpec) => s.devices.some((d) => d.kind === kind);
const key = (tonic: number | null, mode: 'major' | 'minor' | null) => (s: SongSpec) =>
  (tonic === null || s.key.tonic === tonic) && (mode === null || s.key.mode === mode);
const bpm = (lo: number, hi: number) => (s: SongSpec) => s.tempo >= lo && s.tempo <= hi;
const year = (lo: number, hi: number) => (s: SongSpec) => s.year >= lo && s.year <= hi;
const words = (field: 'genre' | 'artist' | 'album' | 'title', w: string) => (s: SongSpec) =>
  s[field]
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .some((x) => x.startsWith(w));
const section = (label: string) => (s: SongSpec) => sectionTimeline(s).some((x) => x.label === label);
const and = (...fs: ((s: SongSpec) => boolean)[]) => (s: SongSpec) => fs.every((f) => f(s));
const not = (f: (s: SongSpec) => boolean) => (s: SongSpec) => !f(s);
const modulates = (s: SongSpec) => s.keyChange !== undefined;

export const LABELLED_QUERIES: LabelledQuery[] = [
  // Harmonic devices and their synonyms.
  { q: 'find songs with modal interchange', relevant: has('modal-interchange') },
  { q: 'borrowed chords', relevant: has('modal-interchange') },
  { q: 'mode mixture', relevant: has('modal-interchange') },
  { q: 'songs that use modal borrowing', relevant: has('modal-interchange') },
  { q: 'key change', relevant: modulates },
  { q: 'songs that modulate', relevant: modulates },
  { q: 'modulation', relevant: modulates },
  { q: 'secondary dominants', relevant: has('secondary-dominant') },
  { q: 'applied dominants', relevant: has('secondary-dominant') },
  { q: 'ii-V-I', relevant: has('ii-V-I') },
  { q: '2-5-1 progressions', relevant: has('ii-V-I') },
  { q: 'Andalusian cadence', relevant: has('andalusian-cadence') },
  { q: 'flamenco cadence', relevant: has('andalusian-cadence') },
  { q: 'four-chord song', relevant: has('I-V-vi-IV') },
  { q: 'I–V–vi–IV', relevant: has('I-V-vi-IV') },
  { q: '50s progression', relevant: has('fifties-progression') },
  { q: 'doo-wop progression', relevant: has('fifties-progression') },
  { q: 'picardy third', relevant: has('picardy-third') },
  { q: 'plagal cadence', relevant: has('plagal-cadence') },
  { q: 'amen cadence', relevant: has('plagal-cadence') },
  { q: 'tritone substitution', relevant: () => false },
  // Keys.
  { q: 'in D minor', relevant: key(2, 'minor') },
  { q: 'songs in A minor', relevant: key(9, 'minor') },
  { q: 'minor key', relevant: key(null, 'minor') },
  { q: 'songs in a minor key', relevant: key(null, 'minor') },
  { q: 'major key', relevant: key(null, 'major') },
  { q: '8A', relevant: key(9, 'minor') },
  { q: '9B', relevant: key(7, 'major') },
  { q: 'key:5A', relevant: key(0, 'minor') },
  { q: 'F major', relevant: key(5, 'major') },
  { q: 'B flat major', relevant: key(10, 'major') },
  { q: 'in B♭', relevant: key(10, null) },
  { q: 'E major', relevant: key(4, 'major') },
  { q: 'in C', relevant: key(0, null) },
  { q: 'G major', relevant: key(7, 'major') },
  // Tempo.
  { q: 'around 90 bpm', relevant: bpm(84, 96) },
  { q: '120-130 bpm', relevant: bpm(120, 130) },
  { q: 'between 100 and 110 bpm', relevant: bpm(100, 110) },
  { q: 'fast songs', relevant: bpm(110, 1000) },
  { q: 'slow', relevant: bpm(0, 84.99) },
  { q: 'faster than 125 bpm', relevant: bpm(125, 1000) },
  { q: 'bpm:70', relevant: bpm(67, 73) },
  { q: 'mid-tempo', relevant: bpm(85, 109.99) },
  // Meter.
  { q: 'waltz', relevant: (s) => s.meter === '3/4' },
  { q: 'in 3/4', relevant: (s) => s.meter === '3/4' },
  { q: '6/8', relevant: (s) => s.meter === '6/8' },
  { q: 'not in 3/4', relevant: (s) => s.meter !== '3/4' },
  // Fields and free text.
  { q: 'artist:"Neon Harbor"', relevant: words('artist', 'neon') },
  { q: 'artist:lucia', relevant: words('artist', 'lucia') },
  { q: 'album:"Late Set"', relevant: (s) => s.album === 'Late Set' },
  { q: 'genre:rock', relevant: words('genre', 'rock') },
  { q: '-genre:rock', relevant: not(words('genre', 'rock')) },
  { q: 'genre:jazz', relevant: words('genre', 'jazz') },
  { q: 'year:1990..1999', relevant: year(1990, 1999) },
  { q: 'from the 60s', relevant: year(1960, 1969) },
  { q: 'before 1970', relevant: year(0, 1969) },
  { q: 'title:ferry', relevant: words('title', 'ferry') },
  { q: '"Night Ferry"', relevant: (s) => s.title === 'Night Ferry' },
  { q: 'marigold', relevant: words('artist', 'marigold') },
  { q: 'harb', relevant: (s) => words('artist', 'harb')(s) || words('title', 'harb')(s) },
  // Negation and combinations.
  { q: 'without a key change', relevant: not(modulates) },
  { q: 'no modal interchange', relevant: not(has('modal-interchange')) },
  { q: 'minor key without a key change', relevant: and(key(null, 'minor'), not(modulates)) },
  { q: 'fast songs in a major key', relevant: and(bpm(110, 1000), key(null, 'major')) },
  { q: 'modal interchange in E major', relevant: and(has('modal-interchange'), key(4, 'major')) },
  { q: 'secondary dominants in 6/8', relevant: and(has('secondary-dominant'), (s) => s.meter === '6/8') },
  { q: 'jazz with a ii-V-I', relevant: and(words('genre', 'jazz'), has('ii-V-I')) },
  { q: 'major key songs with a key change', relevant: and(key(null, 'major'), modulates) },
  { q: 'waltz in D minor', relevant: and((s) => s.meter === '3/4', key(2, 'minor')) },
  { q: 'slow songs in major', relevant: and(bpm(0, 84.99), key(null, 'major')) },
  { q: 'secondary dominants -genre:soul', relevant: and(has('secondary-dominant'), not(words('genre', 'soul'))) },
  { q: 'borrowed chords from the 2010s', relevant: and(has('modal-interchange'), year(2010, 2019)) },
  // Form (needs the form analysis of analysis II).
  { q: 'has a bridge', relevant: section('bridge'), needs: 'form' },
  { q: 'no chorus', relevant: not(section('chorus')), needs: 'form' },
  { q: 'songs with a pre-chorus', relevant: section('pre-chorus'), needs: 'form' },
];
