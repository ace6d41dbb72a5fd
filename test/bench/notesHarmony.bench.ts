/**
 * Do the transcribed notes improve the chords? (`node bin/run-ts.js test/bench/notesHarmony.bench.ts
 * [--subset 12]`, issue 5.) Each POP909 song of the subset (rendered as for bench:accuracy, cached)
 * is analysed once in this process with note transcription on; its chords are scored with the
 * accuracy scorer as analysed, and with their bass taken from the transcribed bass line
 * (app/analysis/notes/harmony.ts: one bass per chord — what analyzeFile does when it transcribes —
 * or the chord split where the bass moves).
 * Only the chord metrics with a bass (majmin_inv, sevenths_inv) can change. One song at a time, to
 * spare a shared machine.
 */
import { parseArgs } from 'node:util';
import { analyzeFile } from '../../app/analysis/analyze.ts';
import { chordsWithNotesBass } from '../../app/analysis/notes/harmony.ts';
import type { NotesResult } from '../../app/analysis/notes/types.ts';
import type { HarmonyAnalysis, TrackAnalysis } from '../../app/analysis/types.ts';
import { scoreSong, summarise, type SongScore } from './accuracyScore.ts';
import { CHORD_METRICS } from './mireval/index.ts';
import { datasetAvailable, listSongIds, selectSubset } from './pop909/dataset.ts';
import { loadTruth } from './pop909/groundTruth.ts';
import { renderSongs } from './pop909/render.ts';

const { values } = parseArgs({ options: { subset: { type: 'string', default: '12' } } });
if (!datasetAvailable()) {
  console.error('POP909 is not available (see test/bench/pop909/dataset.ts)');
  process.exit(1);
}
const ids = selectSubset(listSongIds(), values.subset!);
const rendered = await renderSongs(ids, { jobs: 1 });

const variants = ['as analysed', 'notes bass (one per chord)', 'notes bass (split where it moves)'] as const;
const scores: Record<(typeof variants)[number], SongScore[]> = { 'as analysed': [], 'notes bass (one per chord)': [], 'notes bass (split where it moves)': [] };
let audioSec = 0;
for (const r of rendered) {
  if (!r.path) {
    console.error(`${r.id}: not rendered (${r.error})`);
    continue;
  }
  const t0 = performance.now();
  const a: TrackAnalysis = await analyzeFile(r.path, { notes: true, harmonyFromNotes: false });
  const notes = a.notes;
  if (!notes || 'error' in notes) {
    console.error(`${r.id}: no transcription (${notes && 'error' in notes ? notes.error : 'none'})`);
    continue;
  }
  audioSec += a.durationSec;
  const truth = loadTruth(r.id);
  const withChords = (chords: TrackAnalysis['chords']['chords']): HarmonyAnalysis => ({ ...a, chords: { ...a.chords, chords } });
  const n = notes as NotesResult;
  scores['as analysed'].push(scoreSong(truth, a));
  scores['notes bass (one per chord)'].push(scoreSong(truth, withChords(chordsWithNotesBass(a.chords.chords, n.bassLine, a.key.global))));
  scores['notes bass (split where it moves)'].push(scoreSong(truth, withChords(chordsWithNotesBass(a.chords.chords, n.bassLine, a.key.global, { split: true }))));
  const last = (v: (typeof variants)[number]) => scores[v].at(-1)!.chords.majmin_inv.score.toFixed(3);
  console.error(`${r.id}: ${a.durationSec.toFixed(0)} s in ${((performance.now() - t0) / 1000).toFixed(1)} s; majmin_inv ${variants.map(last).join(' / ')}`);
}

console.log(`\nChords with the transcribed bass, POP909 subset ${values.subset} (${scores['as analysed'].length} songs, ${(audioSec / 60).toFixed(1)} min), pooled WCSR`);
console.log(['variant', ...CHORD_METRICS].join(' | '));
for (const v of variants) {
  const s = summarise(scores[v]);
  console.log([v, ...CHORD_METRICS.map((m) => s.chords[m].toFixed(3))].join(' | '));
}
