#!/usr/bin/env node
// One whole analysis in a process of its own, for speed.bench.ts:  node test/bench/analyzeOnce.js <audioFile> [--warm N | --engine-one]
// Runs the compiled app (dist/) when fresh, or whenever LINERNOTES_BENCH_DIST=1 (speed.bench.ts has just
// built it; on a shared working tree a source edited during the bench must not switch later runs to tsx). Prints `ANALYZE_RESULT {json}` with wall time, peak RSS
// and the per-stage timings the pipeline measured. With --warm N the same process then analyses the file N more times,
// as a long-lived analysis worker does song after song, and prints each of those runs' wall and CPU time on a line `ANALYZE_WARM [...]`.
// With --engine-one the process runs only engine I (issue 3: decoding, front end, rhythm, key, chords, theory).
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadApp, distIsFresh } from '../../bin/load-app.js';

const DIST_ANALYZE = new URL('../../dist/app/analysis/analyze.js', import.meta.url);
const useBuiltDist = process.env.LINERNOTES_BENCH_DIST === '1' && fs.existsSync(DIST_ANALYZE);

const [file, flag, warmCount] = process.argv.slice(2);
const warmRuns = flag === '--warm' ? Number(warmCount) : 0;
const engineOne = flag === '--engine-one';
if (!file) {
  console.error('usage: node test/bench/analyzeOnce.js <audioFile> [--warm N | --engine-one]');
  process.exit(2);
}
const load = (name) => (useBuiltDist ? import(new URL(`../../dist/app/${name}.js`, import.meta.url).href) : loadApp(name));
const { analyzeFile, engineOneAnalysers, ANALYSIS_SAMPLE_RATE } = await load('analysis/analyze');

/** Engine I alone, from the same decode pass: what `analysis` holds then is its pipeline run. */
async function analyseEngineOne(path) {
  const [{ openAudio }, { runPipeline }] = await Promise.all([load('audio/decode'), load('analysis/pipeline')]);
  const stream = await openAudio(path, { sampleRate: ANALYSIS_SAMPLE_RATE });
  const run = await runPipeline(stream.info, stream.blocks(), engineOneAnalysers());
  await stream.close();
  return { durationSec: run.samples / stream.info.sampleRate, timings: run.timings, rhythm: run.results.rhythm, chords: run.results.chords };
}

const t0 = performance.now();
const analysis = engineOne ? await analyseEngineOne(file) : await analyzeFile(file);
const analyseMs = performance.now() - t0;
const usage = process.resourceUsage();
const out = {
  analyseMs,
  processMs: performance.now(),
  durationSec: analysis.durationSec,
  timings: analysis.timings,
  bpm: analysis.rhythm.bpm,
  chords: analysis.chords.chords.length,
  maxRssKb: usage.maxRSS,
  userCpuMs: usage.userCPUTime / 1000,
  systemCpuMs: usage.systemCPUTime / 1000,
  compiled: useBuiltDist || distIsFresh(),
};
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
// The first result goes out at once: the bench takes the process's wall time when it arrives.
process.stdout.write('ANALYZE_RESULT ' + JSON.stringify(out) + '\n');
const warm = [];
for (let i = 0; i < warmRuns; i++) {
  const w0 = performance.now();
  const c0 = cpuMs();
  await analyzeFile(file);
  warm.push({ wallMs: performance.now() - w0, cpuMs: cpuMs() - c0 });
}
if (warmRuns > 0) process.stdout.write('ANALYZE_WARM ' + JSON.stringify(warm) + '\n');
