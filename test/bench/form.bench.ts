// `node bin/run-ts.js test/bench/form.bench.ts [song-id …]`: section boundaries and labels of the form
// analyser on every synthesised song with known form (the twelve demo songs and the three form-test
// songs), scored with the mir_eval segment-detection port at ±3 s (with the track's ends, as mir_eval's
// default, and trimmed), plus the share of chorus/verse/bridge time labelled right. Prints a table.
// POP909-dev (../shared/datasets/pop909-dev) carries chord, key, beat and tempo annotations only, no
// sections, so there is no human-annotated form to score here.
import { FORM_TEST_SONGS } from '../../app/demo/formSongs.ts';
import { DEMO_SONGS } from '../../app/demo/songs.ts';
import { boundaryScores, labelAccuracy, runFormSong } from '../analysis/form/formRun.ts';

const wanted = process.argv.slice(2);
const songs = [...DEMO_SONGS, ...FORM_TEST_SONGS].filter((s) => wanted.length === 0 || wanted.includes(s.id));
const rows: { id: string; f: number; fTrim: number; labels: number; summary: string }[] = [];
for (const spec of songs) {
  const run = await runFormSong(spec);
  const { f, fTrim } = boundaryScores(run);
  rows.push({ id: spec.id, f, fTrim, labels: labelAccuracy(run, ['chorus', 'verse', 'bridge']), summary: run.form.summary });
}
const fmt = (x: number) => (Number.isNaN(x) ? '—' : x.toFixed(3));
console.log('| song | F ±3 s | F ±3 s trimmed | chorus/verse/bridge time right | found |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.id} | ${fmt(r.f)} | ${fmt(r.fTrim)} | ${fmt(r.labels)} | ${r.summary} |`);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const labelled = rows.map((r) => r.labels).filter((x) => !Number.isNaN(x));
console.log(`| **mean** (${rows.length} songs) | ${fmt(mean(rows.map((r) => r.f)))} | ${fmt(mean(rows.map((r) => r.fTrim)))} | ${fmt(mean(labelled))} | |`);
