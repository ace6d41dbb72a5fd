#!/usr/bin/env node
// One scan in a process of its own, for scan.bench.ts:  node test/bench/scanOnce.js <musicDir> <dataDir>
// Runs the compiled app (dist/, as users run it; falls back to the sources through tsx when stale).
// Prints one line `SCAN_RESULT {json}` (shape: ScanOnceResult in scanOnce.ts); peak RSS is read at
// the very end, so it is this process's own peak.
import { performance } from 'node:perf_hooks';
import { loadApp, distIsFresh } from '../../bin/load-app.js';

const [musicDir, dataDir] = process.argv.slice(2);
if (!musicDir || !dataDir) {
  console.error('usage: node test/bench/scanOnce.js <musicDir> <dataDir>');
  process.exit(2);
}
const { openStore } = await loadApp('store/index');
const { addRoot } = await loadApp('library/roots');
const { Scanner } = await loadApp('library/scanner');
const store = openStore(dataDir);
let result;
let scanMs;
let startupMs;
try {
  const root = await addRoot(store, musicDir);
  const scanner = new Scanner(store);
  const t0 = performance.now();
  startupMs = t0;
  result = await scanner.scanRoot(root);
  scanMs = performance.now() - t0;
} finally {
  store.close();
}
const usage = process.resourceUsage();
const out = {
  outcome: result.outcome,
  counts: result.counts,
  scanMs,
  scannerDurationMs: result.durationMs,
  startupMs,
  maxRssKb: usage.maxRSS,
  userCpuMs: usage.userCPUTime / 1000,
  systemCpuMs: usage.systemCPUTime / 1000,
  issues: result.issues.slice(0, 5),
  issueCount: result.issues.length,
  compiled: distIsFresh(),
};
process.stdout.write('SCAN_RESULT ' + JSON.stringify(out) + '\n');
