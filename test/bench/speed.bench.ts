// `npm run bench:speed`: whole-process analysis speed and memory, each run in a fresh process
// pinned to one core (taskset) and started with the analysis workers' V8 flags (WORKER_V8_FLAGS), on
// files made with ffmpeg from the demo songs.
//   - a 4-minute 192 kbps MP3, the whole analysis (engines I and II) including decoding: target ≤ 2 s
//     (issue 4), in a fresh process (as `linernotes analyze <file>` runs once) and then in the same
//     process warm (as the queue's long-lived workers analyse song after song)
//   - the same file, engine I alone (decoding, front end, rhythm, key, chords, theory) in a fresh
//     process: target ≤ 1.5 s (issue 3)
//   - a 10-minute MP3: peak RSS ≤ 300 MB
//   - a 60-minute MP3 "DJ mix": completes without running out of memory
//   - with --three-hours, a 3-hour MP3 too (issue 3's bad input): completes without running out of memory
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_SONGS } from '../../app/demo/songs.ts';
import { renderSong } from '../../app/demo/synth.ts';
import { encodeWav } from '../../app/demo/wav.ts';
import { WORKER_V8_FLAGS } from '../../app/worker/transport.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
const CACHE = path.join(process.env.LINERNOTES_BENCH_CACHE ?? path.join(os.homedir(), '.cache', 'linernotes-bench'), 'speed');

/** A long MP3 made by concatenating demo songs (different keys, tempi, meters) until `minutes`. */
function makeMp3(minutes: number): string {
  const out = path.join(CACHE, `demo-mix-${minutes}min.mp3`);
  if (fs.existsSync(out)) return out;
  fs.mkdirSync(CACHE, { recursive: true });
  const rate = 44100;
  const parts: string[] = [];
  for (const [i, song] of DEMO_SONGS.entries()) {
    const wav = path.join(CACHE, `song-${i}.wav`);
    if (!fs.existsSync(wav)) fs.writeFileSync(wav, encodeWav(renderSong(song, rate), rate, { title: song.title }));
    parts.push(wav);
  }
  const list = path.join(CACHE, `list-${minutes}.txt`);
  const seconds = minutes * 60;
  const lines: string[] = [];
  for (let i = 0; lines.length < 1000; i++) lines.push(`file '${parts[i % parts.length]}'`);
  fs.writeFileSync(list, lines.join('\n'));
  const tmp = out + '.part.mp3';
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-t', String(seconds), '-c:a', 'libmp3lame', '-b:a', '192k', tmp]);
  fs.renameSync(tmp, out);
  return out;
}

interface Once {
  analyseMs: number;
  processMs: number;
  durationSec: number;
  timings: Record<string, number>;
  maxRssKb: number;
  userCpuMs: number;
  systemCpuMs: number;
  compiled: boolean;
  /** Later analyses of the same file in the same process (--warm N), as a long-lived worker runs them. */
  warm: { wallMs: number; cpuMs: number }[];
}

function analyseOnce(file: string, warmRuns = 0, engineOne = false): Promise<{ r: Once; wallMs: number }> {
  const hasTaskset = (() => {
    try {
      execFileSync('taskset', ['-c', '0', 'true']);
      return true;
    } catch {
      return false;
    }
  })();
  // Started as the app starts its analysis worker processes: with the workers' V8 flags.
  const args = [...WORKER_V8_FLAGS, path.join(REPO, 'test/bench/analyzeOnce.js'), file, ...(warmRuns > 0 ? ['--warm', String(warmRuns)] : engineOne ? ['--engine-one'] : [])];
  const [cmd, argv] = hasTaskset ? ['taskset', ['-c', '0', process.execPath, ...args]] : [process.execPath, args];
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    // npm run bench:speed builds dist/ first: use it even if a source changes meanwhile (see analyzeOnce.js).
    const env = { ...process.env, LINERNOTES_BENCH_DIST: process.env.npm_lifecycle_event === 'bench:speed' ? '1' : '0' };
    const child = spawn(cmd, argv, { cwd: REPO, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    // The fresh process's wall time ends when its first result arrives (warm runs may follow).
    let firstMs = Number.NaN;
    child.stdout.on('data', (d) => {
      out += d;
      if (Number.isNaN(firstMs) && out.includes('ANALYZE_RESULT ') && out.slice(out.indexOf('ANALYZE_RESULT ')).includes('\n')) firstMs = performance.now() - t0;
    });
    child.on('close', (code) => {
      const lines = out.split('\n');
      const line = lines.find((l) => l.startsWith('ANALYZE_RESULT '));
      if (code !== 0 || !line) return reject(new Error(`analysis of ${file} exited with ${code}: ${out}`));
      const warm = lines.find((l) => l.startsWith('ANALYZE_WARM '));
      const r = { ...(JSON.parse(line.slice('ANALYZE_RESULT '.length)) as Omit<Once, 'warm'>), warm: warm ? (JSON.parse(warm.slice('ANALYZE_WARM '.length)) as Once['warm']) : [] };
      resolve({ r, wallMs: firstMs });
    });
  });
}

// 'process CPU s' (user + system, all threads) is the steadier number on a busy machine, where wall time
// includes waiting for the core; the targets are checked on wall time.
const rows: string[][] = [['file', 'audio', 'process wall s', 'process CPU s', 'analysis s', '× real time', 'peak RSS MB', 'target', 'result']];
// The timed 4-minute cases run in 5 fresh processes each and report the median one (by wall time): on a
// shared machine one process in a few runs a quarter slower (the first after a build most of all).
const cases: { minutes: number; target: string; pass: (wallS: number, rssMb: number) => boolean; warmRuns?: number; engineOne?: boolean; processes?: number }[] = [
  // Then 4 more analyses in the same process: what a long-lived analysis worker pays per song.
  { minutes: 4, target: '≤ 2 s (engines I + II)', pass: (w) => w <= 2, warmRuns: 4, processes: 5 },
  { minutes: 4, target: '≤ 1.5 s (engine I)', pass: (w) => w <= 1.5, engineOne: true, processes: 5 },
  { minutes: 10, target: 'peak RSS ≤ 300 MB', pass: (_w, rss) => rss <= 300 },
  { minutes: 60, target: 'completes, no OOM', pass: () => true },
  // Issue 3's bad-input list has a 3-hour file: `npm run bench:speed -- --three-hours` adds it (≈ 1.5 min, a 260 MB MP3).
  ...(process.argv.includes('--three-hours') ? [{ minutes: 180, target: 'completes, no OOM', pass: () => true }] : []),
];
/**
 * The core's speed just now: wall time of a fixed CPU workload (a float loop, no I/O, no allocation;
 * ≈ 0.55 s on this project's machine at its usual speed) in a fresh process on the same core. On a shared virtual machine
 * the same analysis runs a quarter to a half slower in some spells; this says whether a row fell in one.
 */
function calibrate(): number {
  const code = 'let a=0,b=1;const t=performance.now();for(let i=0;i<2e7;i++){a+=Math.sqrt(b);b=(b*1.0000001)%7+1}if(a<0)console.log(a);console.log(performance.now()-t)';
  const cmd = ['taskset', '-c', '0', process.execPath, '-e', code];
  try {
    return Number(execFileSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8' }).trim());
  } catch {
    return Number(execFileSync(process.execPath, ['-e', code], { encoding: 'utf8' }).trim());
  }
}

const stages: string[] = [];
const calibrations: string[] = [];
for (const c of cases) {
  calibrations.push(`${calibrate().toFixed(0)} ms`);
  const file = makeMp3(c.minutes);
  const runs: { r: Once; wallMs: number }[] = [];
  for (let i = 0; i < (c.processes ?? 1); i++) runs.push(await analyseOnce(file, c.warmRuns, c.engineOne));
  runs.sort((a, b) => a.wallMs - b.wallMs);
  const { r, wallMs } = runs[Math.floor(runs.length / 2)]!;
  const wallS = wallMs / 1000;
  const rssMb = r.maxRssKb / 1024;
  rows.push([
    path.basename(file) + (c.engineOne ? ', engine I alone' : '') + (runs.length > 1 ? ` (median of ${runs.length} processes: ${runs.map((x) => (x.wallMs / 1000).toFixed(2)).join(', ')} s)` : ''),
    `${(r.durationSec / 60).toFixed(1)} min`,
    wallS.toFixed(2),
    ((r.userCpuMs + r.systemCpuMs) / 1000).toFixed(2),
    (r.analyseMs / 1000).toFixed(2),
    `${Math.round(r.durationSec / wallS)}×`,
    rssMb.toFixed(0),
    c.target,
    c.pass(wallS, rssMb) ? 'PASS' : 'FAIL',
  ]);
  if (r.warm.length > 0) {
    // The median of the later runs in the same process: each analysis alone, the process already started and warm.
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const w = med(r.warm.map((x) => x.wallMs)) / 1000;
    rows.push([
      `  same file in a warm worker (median of ${r.warm.length} later runs)`,
      `${(r.durationSec / 60).toFixed(1)} min`,
      '',
      (med(r.warm.map((x) => x.cpuMs)) / 1000).toFixed(2),
      w.toFixed(2),
      `${Math.round(r.durationSec / w)}×`,
      '',
      c.target,
      c.pass(w, 0) ? 'PASS' : 'FAIL',
    ]);
  }
  stages.push(`${path.basename(file)}${c.engineOne ? ' (engine I alone)' : ''}: ${Object.entries(r.timings).map(([k, v]) => `${k} ${Math.round(v)} ms`).join(', ')}${r.compiled ? '' : ' (SOURCES via tsx: run npm run build)'}`);
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
for (const [i, row] of rows.entries()) {
  console.log(row.map((cell, j) => cell.padEnd(widths[j]!)).join('  '));
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}
console.log('\nstages (ms, inside the process):');
for (const s of stages) console.log('  ' + s);
console.log(`\ncore speed before each row (a fixed workload, lower is faster; compare runs by it): ${calibrations.join(', ')}`);
console.log(`\nmachine: ${os.cpus()[0]?.model.trim()}, pinned to one core with taskset; Node ${process.version}; files cached in ${CACHE}`);
