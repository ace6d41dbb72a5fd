#!/usr/bin/env node
// One whole analysis in a process of its own, for speed.bench.ts:  node test/bench/analyzeOnce.js <audioFile>
// Runs the compiled app (dist/) when fresh, or whenever LINERNOTES_BENCH_DIST=1 (speed.bench.ts has just
// built it; on a shared working tree a source edited during the bench must not switch later runs to tsx). Prints `ANALYZE_RESULT {json}` with wall time, peak RSS
// and the per-stage timings the pipeline measured.
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadApp, distIsFresh } from '../../bin/load-app.js';

const DIST_ANALYZE = new URL('../../dist/app/analysis/analyze.js', import.meta.url);
const useBuiltDist = process.env.LINERNOTES_BENCH_DIST === '1' && fs.existsSync(DIST_ANALYZE);

const [file] = process.argv.slice(2);
if (!file) {
  console.error('usage: node test/bench/analyzeOnce.js <audioFile>');
  process.exit(2);
}
const { analyzeFile } = useBuiltDist ? await import(DIST_ANALYZE.href) : await loadApp('analysis/analyze');
const t0 = performance.now();
const analysis = await analyzeFile(file);
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
process.stdout.write('ANALYZE_RESULT ' + JSON.stringify(out) + '\n');
