/**
 * Do the transcribed notes improve the chords? (`node bin/run-ts.js test/bench/notesHarmony.bench.ts
 * [--subset 12] [--mixes 0/0,0.5/0.5,0.5/0.5/36/55/0,…]`, issue 5.) Each POP909 song of the subset (rendered as for
 * bench:accuracy, cached) is analysed once in this process with note transcription on (the notes are
 * cached beside the renders, `<cache>/notes/<id>.json`, so a second run does not transcribe again);
 * its chords are scored with the accuracy scorer:
 *  - as analysed (audio chroma only);
 *  - with their bass taken from the transcribed bass line (app/analysis/notes/harmony.ts: one bass per
 *    chord, or the chord split where the bass moves);
 *  - re-recognised from chroma with the notes' chroma mixed in (notes/chroma.ts; `--mixes` lists
 *    treble/bass weights, default a grid,
 *    optionally with the note chroma's trebleFrom/bassBelow/byVelocity), then with the notes' bass;
 *  - as analyzeFile does with notes (harmonyWithNotes: NOTE_CHROMA_MIX, then the notes' bass).
 * One song at a time, to spare a shared machine.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openAudio } from '../../app/audio/decode.ts';
import { ANALYSIS_SAMPLE_RATE, assembleAnalysis, defaultAnalysers } from '../../app/analysis/analyze.ts';
import { runPipeline } from '../../app/analysis/pipeline.ts';
import { analyseChords } from '../../app/analysis/chords/index.ts';
import { createNotesAnalyser } from '../../app/analysis/notes/analyser.ts';
import { featuresWithNoteChroma } from '../../app/analysis/notes/chroma.ts';
import { bassLine, beatGrid } from '../../app/analysis/notes/derived.ts';
import { chordsWithNotesBass, harmonyWithNotes } from '../../app/analysis/notes/harmony.ts';
import { notesPedalPoints, type NotesPedal, type NotesPedalOptions } from '../../app/analysis/notes/pedal.ts';
import type { NotesResult, TranscribedNote } from '../../app/analysis/notes/types.ts';
import type { Analyser, ChordSegment, FrontEndFeatures, HarmonyAnalysis, KeyResult, RhythmResult, TrackAnalysis } from '../../app/analysis/types.ts';
import { scoreSong, summarise, type SongScore } from './accuracyScore.ts';
import { CHORD_METRICS } from './mireval/index.ts';
import { datasetAvailable, listSongIds, selectSubset } from './pop909/dataset.ts';
import { loadTruth, truthAsAnalysis } from './pop909/groundTruth.ts';
import { benchCacheDir, renderSongs } from './pop909/render.ts';

const DEFAULT_MIXES = '0/0,0.25/0,0.5/0,0.75/0,1/0,0/0.5,0/1,0.25/0.5,0.5/0.5,0.75/0.5,0.5/1,0.75/1,1/1';
const { values } = parseArgs({ options: { subset: { type: 'string', default: '12' }, mixes: { type: 'string', default: DEFAULT_MIXES } } });
if (!datasetAvailable()) {
  console.error('POP909 is not available (see test/bench/pop909/dataset.ts)');
  process.exit(1);
}
// A mix: 'treble/bass' weights, optionally '/trebleFrom/bassBelow/byVelocity(1|0)' (NoteChromaOptions).
const mixes = values.mixes!.split(',').map((m) => {
  const [treble, bass, trebleFrom, bassBelow, byVelocity] = m.split('/').map(Number);
  if (!(treble! >= 0 && treble! <= 1 && bass! >= 0 && bass! <= 1)) throw new Error(`--mixes wants treble/bass weights in 0..1, not ${m}`);
  const chroma = trebleFrom === undefined ? undefined : { trebleFrom, bassBelow, byVelocity: byVelocity !== 0 };
  return { name: `note chroma ${m} + notes bass`, treble: treble!, bass: bass!, chroma };
});
const ids = selectSubset(listSongIds(), values.subset!);
const rendered = await renderSongs(ids, { jobs: 1 });
const notesCache = path.join(benchCacheDir(), 'notes');
fs.mkdirSync(notesCache, { recursive: true });

const WIRED = 'with notes, as analyzeFile (harmonyWithNotes)';
const variants = ['as analysed', 'notes bass (one per chord)', 'notes bass (split where it moves)', ...mixes.map((m) => m.name), WIRED];
const scores: Record<string, SongScore[]> = Object.fromEntries(variants.map((v) => [v, []]));
let audioSec = 0;
/** Pedal points the wired analysis reports (POP909 has no pedal annotations: listed for a look). */
const pedals: string[] = [];
// Pedals from the notes' bass line under our chords, checked against the same rule applied to the
// notes' bass line under the reference chords (POP909 annotates no pedals; this measures how often
// chord errors make or miss one). A detection matches when half of it overlaps a reference pedal.
const PEDAL_VARIANTS: Record<string, Partial<NotesPedalOptions>> = {
  'default (chords ≥ 1 beat)': {},
  'chords ≥ 0.5 beat': { chordBeats: 0.5 },
  'chords ≥ 2 beats': { chordBeats: 2 },
  '≥ 12 beats': { minBeats: 12 },
  '≥ 4 roots': { minRoots: 4 },
};
const pedalCounts = Object.fromEntries(Object.keys(PEDAL_VARIANTS).map((v) => [v, { found: 0, matched: 0, reference: 0, recalled: 0 }]));
for (const r of rendered) {
  if (!r.path) {
    console.error(`${r.id}: not rendered (${r.error})`);
    continue;
  }
  const t0 = performance.now();
  const cacheFile = path.join(notesCache, `${r.id}.json`);
  const cached = fs.existsSync(cacheFile) ? (JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as TranscribedNote[]) : null;
  const stream = await openAudio(r.path, { sampleRate: ANALYSIS_SAMPLE_RATE });
  let run;
  try {
    const analysers = cached ? defaultAnalysers() : [...defaultAnalysers(), createNotesAnalyser({ log: () => {} }) as Analyser<unknown>];
    run = await runPipeline(stream.info, stream.blocks(), analysers, { tapSource: (sink) => stream.tapSource(sink) });
  } finally {
    await stream.close();
  }
  const notes = cached ?? (await (run.results.notes as Promise<NotesResult>)).notes;
  if (!cached) fs.writeFileSync(cacheFile, JSON.stringify(notes));
  const a: TrackAnalysis = assembleAnalysis(run, ANALYSIS_SAMPLE_RATE);
  audioSec += a.durationSec;
  const fe = run.results.frontend as FrontEndFeatures;
  const rhythm = run.results.rhythm as RhythmResult;
  const key = run.results.key as KeyResult;
  const bass = bassLine(notes, beatGrid(rhythm.beats, a.durationSec));
  const truth = loadTruth(r.id);
  const withChords = (chords: ChordSegment[]): HarmonyAnalysis => ({ ...a, chords: { ...a.chords, chords } });
  scores['as analysed']!.push(scoreSong(truth, a));
  scores['notes bass (one per chord)']!.push(scoreSong(truth, withChords(chordsWithNotesBass(a.chords.chords, bass, key.global))));
  scores['notes bass (split where it moves)']!.push(scoreSong(truth, withChords(chordsWithNotesBass(a.chords.chords, bass, key.global, { split: true }))));
  for (const m of mixes) {
    const chords = analyseChords(featuresWithNoteChroma(fe, notes, m), rhythm, key).result.chords;
    scores[m.name]!.push(scoreSong(truth, withChords(chordsWithNotesBass(chords, bass, key.global))));
  }
  const notesResult: NotesResult = { model: { name: 'basic-pitch', version: cached ? 'cached' : 'run', provider: 'cpu' }, notes, bassLine: bass, bassGrid: 'beats', melodyRange: null, durationSec: a.durationSec };
  const wired = harmonyWithNotes(run.results, notesResult);
  scores[WIRED]!.push(scoreSong(truth, withChords(wired.chords.chords)));
  for (const d of wired.theory.devices) if (d.kind === 'pedal-point') pedals.push(`${r.id} ${d.start.toFixed(1)}–${d.end.toFixed(1)} s: ${d.label}${d.detail?.from === 'notes' ? '' : ' (from the chords)'}`);
  const refChords = truthAsAnalysis(truth).chords.chords;
  for (const [v, o] of Object.entries(PEDAL_VARIANTS)) {
    const ours = notesPedalPoints(bass, wired.chords.chords, o);
    const ref = notesPedalPoints(bass, refChords);
    if (o === PEDAL_VARIANTS['default (chords ≥ 1 beat)']) for (const q of ref) pedals.push(`${r.id} ${q.start.toFixed(1)}–${q.end.toFixed(1)} s: reference chords ${q.chordIndices.map((k) => refChords[k]!.label).join(' ')} over ${q.lowestName}`);
    const overlap = (p: NotesPedal, q: NotesPedal) => Math.max(0, Math.min(p.end, q.end) - Math.max(p.start, q.start));
    const c = pedalCounts[v]!;
    c.found += ours.length;
    c.reference += ref.length;
    c.matched += ours.filter((p) => ref.some((q) => q.pitchClass === p.pitchClass && overlap(p, q) >= 0.5 * (p.end - p.start))).length;
    c.recalled += ref.filter((q) => ours.some((p) => q.pitchClass === p.pitchClass && overlap(p, q) >= 0.5 * (q.end - q.start))).length;
  }
  const last = (v: string) => scores[v]!.at(-1)!.chords.majmin.score.toFixed(3);
  console.error(`${r.id}: ${a.durationSec.toFixed(0)} s in ${((performance.now() - t0) / 1000).toFixed(1)} s${cached ? ' (cached notes)' : ''}; majmin ${variants.map(last).join(' / ')}`);
}

console.log(`\nChords with the transcribed notes, POP909 subset ${values.subset} (${scores['as analysed']!.length} songs, ${(audioSec / 60).toFixed(1)} min), pooled WCSR`);
console.log(['variant', ...CHORD_METRICS].join(' | '));
for (const v of variants) {
  const s = summarise(scores[v]!);
  console.log([v, ...CHORD_METRICS.map((m) => s.chords[m].toFixed(3))].join(' | '));
}
console.log(`\nPedal points with notes (${pedals.length}):${pedals.map((p) => `\n  ${p}`).join('')}`);
console.log('\nNotes pedals under our chords vs under the reference chords (same bass line, default rule on the reference)');
console.log('rule | found | matching a reference pedal | reference pedals | found again');
for (const [v, c] of Object.entries(pedalCounts)) console.log(`${v} | ${c.found} | ${c.matched} | ${c.reference} | ${c.recalled}`);
