// Cost of the loudness analyser (K-weighting of every source sample, true peak, gating), in ms of one
// core for 4 minutes of 44.1 kHz stereo: `node bin/run-ts.js test/bench/loudness.bench.ts [file]`.
// Prints a table; no assertion (the 2 s budget is for the whole analysis, see speed.bench.ts).
//   - the demo mix MP3 that speed.bench.ts makes (or any file given), decoded once into memory first
//   - that mix made loud (+10 dB into ffmpeg's brickwall limiter at −1 dBFS), as modern masters are
//   - a synthetic "loud master": broadband material soft-clipped to about −0.5 dBFS, the worst case
//     for the true-peak shortcut (most stretches come near the peak)
// Each is timed for the whole analyser and for true peak alone, with and without the shortcut.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { openAudio } from '../../app/audio/decode.ts';
import { createLoudnessAnalyser } from '../../app/analysis/loudness/index.ts';
import { TruePeakMeter } from '../../app/analysis/loudness/truePeak.ts';

interface Chunked {
  name: string;
  rate: number;
  chunks: Float32Array[][];
  frames: number;
}

async function decodeToChunks(file: string): Promise<Chunked> {
  const chunks: Float32Array[][] = [];
  let rate = 0;
  let frames = 0;
  const stream = await openAudio(file, {
    onSource: (ch, length, r) => {
      rate = r;
      frames += length;
      chunks.push(ch.map((c) => c.slice(0, length)));
    },
  });
  for await (const _ of stream.blocks());
  return { name: path.basename(file), rate, chunks, frames };
}

function loudMaster(seconds: number, rate: number): Chunked {
  let s = 12345;
  const rnd = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2147483648 - 1;
  };
  const chunks: Float32Array[][] = [];
  const chunk = 16384;
  const total = seconds * rate;
  let lp = 0;
  for (let i0 = 0; i0 < total; i0 += chunk) {
    const n = Math.min(chunk, total - i0);
    const l = new Float32Array(n);
    const r = new Float32Array(n);
    for (let j = 0; j < n; j++) {
      const t = (i0 + j) / rate;
      lp = 0.97 * lp + 0.03 * rnd();
      const kick = Math.exp(-((t * 2) % 1) * 12) * Math.sin(2 * Math.PI * 55 * t);
      const body = 0.5 * kick + 0.3 * Math.sin(2 * Math.PI * 220 * t) + 2 * lp + 0.15 * rnd();
      l[j] = 0.95 * Math.tanh(2.5 * body);
      r[j] = 0.95 * Math.tanh(2.5 * (body + 0.1 * rnd()));
    }
    chunks.push([l, r]);
  }
  return { name: 'synthetic loud master', rate, chunks, frames: total };
}

/** Least CPU time (user + system, ms) of `runs` runs: on a shared machine wall time would count other processes' turns, and the least is the least disturbed. */
function time(fn: () => void, runs = 5): number {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.cpuUsage();
    fn();
    const d = process.cpuUsage(t0);
    t.push((d.user + d.system) / 1000);
  }
  return Math.min(...t);
}

const file = process.argv[2] ?? path.join(process.env.LINERNOTES_BENCH_CACHE ?? path.join(os.homedir(), '.cache', 'linernotes-bench'), 'speed', 'demo-mix-4min.mp3');
const inputs: Chunked[] = [];
if (fs.existsSync(file)) {
  inputs.push(await decodeToChunks(file));
  // The same music made loud the way masters are: +10 dB into a brickwall limiter at −1 dBFS.
  const limited = path.join(path.dirname(file), `${path.basename(file, path.extname(file))}-limited.wav`);
  if (!fs.existsSync(limited)) execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', file, '-af', 'volume=10dB,alimiter=limit=0.89:level=false', '-c:a', 'pcm_s16le', limited]);
  inputs.push(await decodeToChunks(limited));
} else console.log(`(no ${file}: run npm run bench:speed once to make it, or pass a file)`);
inputs.push(loudMaster(240, 44100));

console.log('CPU ms, least of 5 runs (true peak without the shortcut: 1 run)');
console.log('input | duration | loudness ms | per 4 min | true peak ms (shortcut) | true peak ms (every sample) | I LUFS | TP dBTP');
for (const x of inputs) {
  let last: ReturnType<ReturnType<typeof createLoudnessAnalyser>['finish']> | null = null;
  const whole = time(() => {
    const a = createLoudnessAnalyser();
    for (const c of x.chunks) a.processSource!(c, c[0]!.length, x.rate);
    last = a.finish({});
  });
  const tpFast = time(() => {
    const m = new TruePeakMeter(x.rate);
    for (const c of x.chunks) m.process(c, c[0]!.length);
  });
  const tpFull = time(() => {
    const m = new TruePeakMeter(x.rate, false);
    for (const c of x.chunks) m.process(c, c[0]!.length);
  }, 1);
  const sec = x.frames / x.rate;
  const r = last!;
  console.log(`${x.name} | ${sec.toFixed(1)} s | ${whole.toFixed(0)} | ${((whole * 240) / sec).toFixed(0)} | ${tpFast.toFixed(0)} | ${tpFull.toFixed(0)} | ${r.integratedLufs} | ${r.truePeakDbtp}`);
}
