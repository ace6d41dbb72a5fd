#!/usr/bin/env node
// Analysis worker for accuracy.bench.ts: forked with an IPC channel, it analyses one file at a time
// with analyzeFile() from app/analysis/analyze (the compiled dist/ when fresh, else the sources
// through tsx, as bin/load-app.js decides) and answers with the TrackAnalysis.
//   parent → worker: { type: 'analyse', id, path, sampleRate? }
//   worker → parent: { type: 'ready', compiled } once loaded, or { type: 'fatal', error } if it cannot load;
//                    { type: 'result', id, ok: true, analysis, wallMs, cpuMs, rssMb } or { type: 'result', id, ok: false, error, wallMs }
import { performance } from 'node:perf_hooks';
import { distIsFresh, loadApp } from '../../bin/load-app.js';

const send = (msg) => new Promise((resolve) => process.send(msg, () => resolve()));
const describe = (err) => (err instanceof Error ? (err.stack ?? err.message) : String(err));

if (!process.send) {
  console.error('accuracyWorker.js runs as a forked child of test/bench/accuracy.bench.ts');
  process.exit(2);
}

let analyzeFile;
try {
  ({ analyzeFile } = await loadApp('analysis/analyze'));
  if (typeof analyzeFile !== 'function') throw new Error('app/analysis/analyze.ts exports no analyzeFile()');
} catch (err) {
  await send({ type: 'fatal', error: describe(err) });
  process.exit(1);
}

process.on('disconnect', () => process.exit(0));
process.on('message', async (msg) => {
  if (!msg || msg.type !== 'analyse') return;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  try {
    const analysis = await analyzeFile(msg.path, msg.sampleRate ? { sampleRate: msg.sampleRate } : undefined);
    const cpu = process.cpuUsage(cpu0);
    await send({
      type: 'result',
      id: msg.id,
      ok: true,
      analysis,
      wallMs: performance.now() - t0,
      cpuMs: (cpu.user + cpu.system) / 1000,
      rssMb: process.memoryUsage().rss / 2 ** 20,
    });
  } catch (err) {
    await send({ type: 'result', id: msg.id, ok: false, error: describe(err), wallMs: performance.now() - t0 });
  }
});
await send({ type: 'ready', compiled: distIsFresh() });
