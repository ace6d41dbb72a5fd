// Songs with a known form for testing form analysis: longer than the demo songs (about 70–85 s) so
// that sections repeat the way they do in real songs. Their ground truth is the form (sections with
// labels, chords and arrangement); their device lists are not annotated (`devices` is left empty), so
// they are not used to score harmonic devices.
import { key } from './songs.ts';
import type { BarChords, SectionLabel, SectionArrangement, SectionSpec, SongSpec } from './songs.ts';

/** A section playing a chord loop `times` times (`bars` = loop length × times). */
function loop(label: SectionLabel, chords: BarChords[], times: number, arrangement?: SectionArrangement): SectionSpec {
  const all = Array.from({ length: times }, () => chords).flat();
  return { label, bars: all.length, chords: all, ...(arrangement ? { arrangement } : {}) };
}

const base = { artist: 'Linernotes Test Band', album: 'Forms', genre: 'Test', year: 2026, devices: [] };

export const FORM_TEST_SONGS: readonly SongSpec[] = [
  {
    // Verse–pre-chorus–chorus twice, a bridge, a last chorus; drumless intro and outro.
    ...base,
    id: 'form-pop',
    title: 'Form: Pop',
    trackNo: 1,
    tempo: 150,
    meter: '4/4',
    key: key('G', 'major'),
    timbre: { pad: 'organ', melody: 'piano' },
    sections: [
      loop('intro', ['G', 'C'], 1, { drums: false }),
      loop('verse', ['G', 'D', 'Em', 'C'], 2),
      loop('pre-chorus', ['Am', 'D'], 2),
      loop('chorus', ['C', 'D', 'Bm', 'Em'], 2),
      loop('verse', ['G', 'D', 'Em', 'C'], 2),
      loop('pre-chorus', ['Am', 'D'], 2),
      loop('chorus', ['C', 'D', 'Bm', 'Em'], 2),
      loop('bridge', ['Em', 'Bm', 'C', 'B7'], 1),
      loop('chorus', ['C', 'D', 'Bm', 'Em'], 2),
      loop('outro', ['C', 'G'], 1, { drums: false }),
    ],
  },
  {
    // No chorus (AABA with a solo): verse, an instrumental on the verse's chords, a bridge, a last verse.
    ...base,
    id: 'form-aaba',
    title: 'Form: AABA',
    trackNo: 2,
    tempo: 120,
    meter: '4/4',
    key: key('F', 'major'),
    timbre: { pad: 'strings', melody: 'pluck' },
    sections: [
      loop('intro', ['F', 'Bb'], 1, { drums: false }),
      loop('verse', ['F', 'Dm', 'Bb', 'C'], 2),
      loop('instrumental', ['F', 'Dm', 'Bb', 'C'], 2),
      loop('bridge', ['Gm', 'C', 'Am', 'Dm'], 2),
      loop('verse', ['F', 'Dm', 'Bb', 'C'], 2),
      loop('outro', ['Bb', 'F'], 1, { drums: false }),
    ],
  },
  {
    // Through-composed: five different passages, none repeated, all arranged alike (no chorus to find).
    ...base,
    id: 'form-through',
    title: 'Form: Through-Composed',
    trackNo: 3,
    tempo: 140,
    meter: '4/4',
    key: key('A', 'minor'),
    timbre: { pad: 'piano', melody: 'organ' },
    sections: [
      loop('verse', ['Am', 'F', 'C', 'G'], 2),
      loop('verse', ['Dm', 'Am', 'E', 'Am'], 2),
      loop('verse', ['F', 'G', 'Em', 'Am'], 2),
      loop('verse', ['C', 'E7', 'Am', 'G'], 2),
      loop('verse', ['Dm', 'G', 'C', 'F'], 2),
    ],
  },
];
