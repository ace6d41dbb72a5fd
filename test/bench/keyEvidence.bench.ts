/**
 * Where our key is the annotated key's relative, what does the score say? (`node bin/run-ts.js
 * test/bench/keyEvidence.bench.ts [--results FILE]`, after `npm run bench:accuracy`.) For each song of a
 * bench:accuracy results file whose key we give as the annotation's relative, it reads the song's MIDI
 * and asks which of the two tonics the melody's phrase endings and the last bass note favour
 * (pop909/keyEvidence.ts); the songs we key like the annotation give the base rate (their annotated
 * tonic against its relative's). Prints a table.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseKeyName, relativeKey, sameKey } from '../../app/analysis/key/names.ts';
import { datasetAvailable, midiPath, REPO } from './pop909/dataset.ts';
import type { Side } from './pop909/keyEvidence.ts';
import { tonicEvidence } from './pop909/keyEvidence.ts';
import { readScoreNotes } from './pop909/scoreNotes.ts';

interface ResultSong {
  id: string;
  ok: boolean;
  score?: { key: { reference: string; estimate: string } };
}

const { values } = parseArgs({ options: { results: { type: 'string', default: path.join(REPO, 'test/bench/results/accuracy-all.json') } } });
if (!datasetAvailable()) {
  console.error('POP909 is not available (see test/bench/pop909/dataset.ts)');
  process.exit(1);
}
const songs = (JSON.parse(fs.readFileSync(values.results!, 'utf8')) as { songs: ResultSong[] }).songs;

type Tally = Record<Side, number>;
const tally = (): Tally => ({ tonic: 0, rival: 0, neither: 0 });
const groups = {
  relative: { songs: 0, phraseEnds: tally(), lastBass: tally() },
  agree: { songs: 0, phraseEnds: tally(), lastBass: tally() },
};
for (const s of songs) {
  if (!s.ok || !s.score) continue;
  const reference = parseKeyName(s.score.key.reference);
  const estimate = parseKeyName(s.score.key.estimate);
  // Songs keyed like the annotation: their annotated tonic against its relative's, as the "estimate" side.
  const group = sameKey(estimate, reference) ? groups.agree : sameKey(estimate, relativeKey(reference)) ? groups.relative : null;
  if (!group) continue;
  const rival = group === groups.agree ? relativeKey(reference) : estimate;
  const e = tonicEvidence(readScoreNotes(midiPath(s.id)), reference.tonic, rival.tonic);
  group.songs++;
  group.phraseEnds[e.phraseEnds]++;
  group.lastBass[e.lastBass]++;
}

const pct = (n: number, of: number) => (of > 0 ? `${n} (${Math.round((100 * n) / of)} %)` : '0');
console.log(`results: ${path.relative(REPO, values.results!)}\n`);
console.log('| songs | count | phrase endings favour the annotated tonic | … the other tonic | neither | last bass note the annotated tonic | … the other | neither |');
console.log('|---|---|---|---|---|---|---|---|');
for (const [name, g] of [
  ['we give the relative key (other tonic = ours)', groups.relative],
  ['we give the annotated key (other tonic = its relative)', groups.agree],
] as const) {
  console.log(
    `| ${name} | ${g.songs} | ${pct(g.phraseEnds.tonic, g.songs)} | ${pct(g.phraseEnds.rival, g.songs)} | ${pct(g.phraseEnds.neither, g.songs)} | ${pct(g.lastBass.tonic, g.songs)} | ${pct(g.lastBass.rival, g.songs)} | ${pct(g.lastBass.neither, g.songs)} |`,
  );
}
