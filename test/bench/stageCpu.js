#!/usr/bin/env node
// CPU time (user + system, process.cpuUsage) of each stage of whole analyses, for finding hot spots on a
// busy machine where the pipeline's wall-clock timings are mostly waiting:
//   taskset -c 0 node test/bench/stageCpu.js <audioFile> [runs]
// Run 1 is a fresh process's (cold JIT, as in bench:speed); later runs show the warm cost a worker
// process pays per track. 'decode' is what is left: decoding, resampling, downmix and the pipeline itself.
import { loadApp } from '../../bin/load-app.js';

const [file, runs = '1'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node test/bench/stageCpu.js <audioFile> [runs]');
  process.exit(2);
}
const { openAudio } = await loadApp('audio/decode');
const { runPipeline } = await loadApp('analysis/pipeline');
const { defaultAnalysers, assembleAnalysis, ANALYSIS_SAMPLE_RATE } = await loadApp('analysis/analyze');
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

for (let run = 1; run <= Number(runs); run++) {
  const stages = {};
  const add = (name, ms) => (stages[name] = (stages[name] ?? 0) + ms);
  const t0 = cpuMs();
  const stream = await openAudio(file, { sampleRate: ANALYSIS_SAMPLE_RATE });
  const analysers = defaultAnalysers();
  for (const a of analysers) {
    for (const method of ['begin', 'process', 'processSource', 'finish']) {
      const f = a[method];
      if (typeof f !== 'function') continue;
      a[method] = function (...args) {
        const t = cpuMs();
        try {
          return f.apply(this, args);
        } finally {
          add(method === 'processSource' ? `${a.name} (source)` : a.name, cpuMs() - t);
        }
      };
    }
  }
  const result = await runPipeline(stream.info, stream.blocks(), analysers, { tapSource: (sink) => stream.tapSource(sink) });
  const t1 = cpuMs();
  assembleAnalysis(result, stream.info.sampleRate);
  add('descriptors + insight', cpuMs() - t1);
  await stream.close();
  const total = cpuMs() - t0;
  stages.decode = total - Object.values(stages).reduce((s, v) => s + v, 0);
  const line = Object.entries(stages).map(([k, v]) => `${k} ${Math.round(v)}`).join(', ');
  console.log(`run ${run}: ${Math.round(total)} ms CPU (${line}); peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
}
