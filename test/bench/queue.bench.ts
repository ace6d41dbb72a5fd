/**
 * Queue benchmark (`npm run bench:queue [-- --songs N] [--workers 1,2] [--transcribe]`), issue 5.
 *
 * A generated library of N songs (default 200: the twelve demo songs at other tempi, 20–30 s each,
 * 44.1 kHz stereo MP3 made with ffmpeg, cached in ~/.cache/linernotes-bench/queue) is scanned into a
 * fresh store, then the real QueueRunner analyses it with real forked worker processes, once per
 * worker count. Printed per run: songs/min, × real time, the speed-up over 1 worker (target ≥ 1.8×
 * from 1 to 2 on a 2-core machine), each worker's peak RSS (VmHWM) and its RSS after song 20 and
 * after the last song (target: within 10 %), the workers' CPU seconds per song and the load
 * average (the machine may be shared). Then Basic Pitch's speed on the CPU provider (one thread,
 * 30 s of a demo song, as in bench:notes). Writes test/bench/results/queue.json.
 * `--prepare` only makes the songs (so that making them does not compete with a later measurement).
 * Exits 0 even when a target is missed (a benchmark, not a test); 1 when a run could not be made.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_SONGS, songDurationSeconds, type SongSpec } from '../../app/demo/songs.ts';
import { renderSong } from '../../app/demo/synth.ts';
import { encodeWav } from '../../app/demo/wav.ts';
import { analyserVersions } from '../../app/analysis/analyze.ts';
import { NOTES_ANALYSER_VERSION } from '../../app/analysis/notes/version.ts';
import { runBasicPitch } from '../../app/analysis/notes/basicPitch.ts';
import { noteFramesToTime, outputToNotesPoly } from '../../app/analysis/notes/postprocess.ts';
import { getModelSession, releaseModelSessions } from '../../app/models/session.ts';
import { openStore } from '../../app/store/index.ts';
import { addRoot } from '../../app/library/roots.ts';
import { Scanner } from '../../app/library/scanner.ts';
import { syncQueue } from '../../app/queue/enqueue.ts';
import { QueueRunner } from '../../app/queue/runner.ts';
// @ts-expect-error plain JS module of the launcher (no types): tells whether workers run compiled code
import { distIsFresh } from '../../bin/load-app.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const CACHE = path.join(process.env.LINERNOTES_BENCH_CACHE ?? path.join(os.homedir(), '.cache', 'linernotes-bench'), 'queue');
const RESULTS_FILE = path.join(REPO, 'test/bench/results/queue.json');
/** Bump when the way the songs are made changes, so cached files are not reused. */
const LIBRARY_FORMAT = 1;
const RATE = 44100;
const TARGET_SPEEDUP = 1.8;
const TARGET_RSS_GROWTH = 0.1;
/** The song after which a worker's RSS is the baseline of the growth check. */
const RSS_BASELINE_SONG = 20;

const log = (msg: string) => process.stderr.write(`[bench:queue] ${msg}\n`);

function options(): { songs: number; workers: number[]; transcribe: boolean; prepare: boolean } {
  const { values } = parseArgs({
    options: {
      songs: { type: 'string', default: '200' },
      workers: { type: 'string', default: '1,2' },
      transcribe: { type: 'boolean', default: false },
      prepare: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log('usage: npm run bench:queue -- [--songs N (default 200)] [--workers 1,2] [--transcribe (also Basic Pitch in every job)] [--prepare (only make and cache the songs)]');
    process.exit(0);
  }
  const songs = Number(values.songs);
  if (!Number.isInteger(songs) || songs < 1) throw new Error(`--songs must be a positive integer, not ${values.songs}`);
  const workers = values.workers.split(',').map(Number);
  if (workers.some((w) => !Number.isInteger(w) || w < 1)) throw new Error(`--workers must list positive integers, not ${values.workers}`);
  return { songs, workers, transcribe: values.transcribe, prepare: values.prepare };
}

// ---------------------------------------------------------------------------
// The library: demo songs at other tempi, cut to 20–30 s
// ---------------------------------------------------------------------------

interface GeneratedSong {
  file: string;
  seconds: number;
}

/** Song i: demo song i mod 12, sped up (at most 1.5×) towards a length of 20–30 s, then cut there. */
function songPlan(i: number): { spec: SongSpec; seconds: number } {
  const base = DEMO_SONGS[i % DEMO_SONGS.length]!;
  const target = 20 + ((i * 7) % 11);
  const factor = Math.min(1.5, Math.max(1, songDurationSeconds(base) / target));
  const spec: SongSpec = { ...base, id: `${base.id}-q${i}`, title: `${base.title} (take ${i + 1})`, tempo: base.tempo * factor };
  return { spec, seconds: Math.min(target, songDurationSeconds(spec)) };
}

/** The rendered song cut to `seconds`, with a 0.5 s fade at the cut. */
function renderCut(spec: SongSpec, seconds: number): Float32Array[] {
  const n = Math.round(seconds * RATE);
  const fade = Math.round(0.5 * RATE);
  return renderSong(spec, RATE).map((ch) => {
    const out = ch.slice(0, n);
    for (let k = 0; k < fade && k < n; k++) out[n - 1 - k]! *= k / fade;
    return out;
  });
}

function cachedSong(i: number): GeneratedSong {
  const dir = path.join(CACHE, `songs-v${LIBRARY_FORMAT}`);
  const file = path.join(dir, `song-${String(i + 1).padStart(3, '0')}.mp3`);
  const { spec, seconds } = songPlan(i);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    const wav = encodeWav(renderCut(spec, seconds), RATE, { title: spec.title, artist: spec.artist, album: spec.album, genre: spec.genre, year: spec.year });
    const tmp = `${file}.${process.pid}.part.mp3`;
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'wav', '-i', 'pipe:0', '-c:a', 'libmp3lame', '-b:a', '192k', tmp], { input: wav });
    fs.renameSync(tmp, file);
  }
  return { file, seconds };
}

/** A fresh folder holding the first `n` songs (hard links to the cache, copies across file systems). */
function libraryFolder(n: number, into: string): GeneratedSong[] {
  const t0 = performance.now();
  let made = 0;
  const songs: GeneratedSong[] = [];
  fs.mkdirSync(into, { recursive: true });
  for (let i = 0; i < n; i++) {
    const had = fs.existsSync(path.join(CACHE, `songs-v${LIBRARY_FORMAT}`, `song-${String(i + 1).padStart(3, '0')}.mp3`));
    const song = cachedSong(i);
    if (!had) made++;
    const link = path.join(into, path.basename(song.file));
    try {
      fs.linkSync(song.file, link);
    } catch {
      fs.copyFileSync(song.file, link);
    }
    songs.push({ file: link, seconds: song.seconds });
  }
  if (made) log(`made ${made} songs in ${((performance.now() - t0) / 1000).toFixed(1)} s (cached in ${CACHE})`);
  return songs;
}

// ---------------------------------------------------------------------------
// Process memory and CPU from /proc
// ---------------------------------------------------------------------------

/** VmRSS and VmHWM (peak) of a process in MB, or undefined when it has gone. */
function memoryOf(pid: number): { rssMb: number; peakMb: number } | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU seconds a process has used, from /proc/<pid>/stat (fields 14 and 15). */
function cpuSecondsOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------
// One queue run
// ---------------------------------------------------------------------------

interface WorkerMemory {
  pid: number;
  peakMb: number;
  /** This worker's RSS right after its first song at or after song RSS_BASELINE_SONG of the run, and after its last song. */
  rssAtBaselineMb: number | null;
  rssAtEndMb: number | null;
  /** RSS after each 20th song of the run that this worker finished (shows where it levels off). */
  rssCurveMb: number[];
  cpuSec: number | null;
}

interface QueueRun {
  workers: number;
  songs: number;
  done: number;
  failed: number;
  wallSec: number;
  audioSec: number;
  songsPerMin: number;
  realTime: number;
  workerCpuSecPerSong: number | null;
  perWorker: WorkerMemory[];
  restarts: number;
  /** CPU seconds of this (the runner's) process: scanning, queue bookkeeping, saving results. */
  runnerCpuSec: number;
  /** All CPU used (workers + runner) per second of wall time: how many cores the run kept busy. */
  coresBusy: number | null;
  loadBefore: number[];
  loadAfter: number[];
}

async function runQueue(songs: GeneratedSong[], musicDir: string, workers: number, transcribe: boolean): Promise<QueueRun> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ln-bench-queue-data-'));
  const store = openStore(dataDir);
  try {
    const root = await addRoot(store, musicDir);
    await new Scanner(store, { readerThreads: 0 }).scanRoot(root);
    const base = analyserVersions();
    const versions = transcribe ? { ...base, notes: NOTES_ANALYSER_VERSION } : base;
    syncQueue(store, versions);
    const audioSec = songs.reduce((s, x) => s + x.seconds, 0);
    const runner = new QueueRunner(store, { versions, concurrency: workers, pollMs: 100 });
    const memory = new Map<number, WorkerMemory>();
    const cpu = new Map<number, number>();
    const entry = (pid: number) => memory.get(pid) ?? memory.set(pid, { pid, peakMb: 0, rssAtBaselineMb: null, rssAtEndMb: null, rssCurveMb: [], cpuSec: null }).get(pid)!;
    /** Peak RSS and CPU of every worker (on a timer: the peak is VmHWM, so a late read still holds it). */
    const sampleAll = () => {
      for (const pid of runner.workerPids) {
        const m = memoryOf(pid);
        if (!m || !Number.isFinite(m.peakMb)) continue; // gone, or not yet readable
        const w = entry(pid);
        w.peakMb = Math.max(w.peakMb, m.peakMb);
        const c = cpuSecondsOf(pid);
        if (c !== undefined) cpu.set(pid, c);
      }
    };
    let done = 0;
    let failed = 0;
    let restarts = 0;
    // A worker's RSS is read when it has just finished a song (between songs: the runner sends the
    // next one after this event): its first song at or after song 20 of the run, and each later one.
    runner.on('job-done', (e: { pid?: number }) => {
      done++;
      if (e.pid !== undefined && done >= Math.min(RSS_BASELINE_SONG, songs.length)) {
        const m = memoryOf(e.pid);
        if (m && Number.isFinite(m.rssMb)) {
          const w = entry(e.pid);
          w.rssAtBaselineMb ??= m.rssMb;
          w.rssAtEndMb = m.rssMb;
          if (done % 20 === 0) w.rssCurveMb.push(m.rssMb);
        }
      }
      sampleAll();
      if (done % 25 === 0) log(`${workers} worker(s): ${done}/${songs.length}`);
    });
    runner.on('job-failed', (e: { job: { path: string }; error?: Error }) => {
      failed++;
      log(`failed: ${path.basename(e.job.path)}: ${e.error?.message}`);
    });
    runner.on('worker-restart', () => restarts++);
    const timer = setInterval(sampleAll, 250);
    const loadBefore = os.loadavg();
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const summary = await runner.runUntilIdle();
    const wallSec = (performance.now() - t0) / 1000;
    const cpuUsed = process.cpuUsage(cpu0);
    const runnerCpuSec = (cpuUsed.user + cpuUsed.system) / 1e6;
    clearInterval(timer);
    const loadAfter = os.loadavg();
    if (summary.ended !== 'idle') throw new Error(`the queue run ended '${summary.ended}'`);
    for (const [pid, c] of cpu) memory.get(pid)!.cpuSec = c;
    const perWorker = [...memory.values()];
    const cpuTotal = perWorker.every((w) => w.cpuSec !== null) ? perWorker.reduce((s, w) => s + w.cpuSec!, 0) : null;
    return {
      workers,
      songs: songs.length,
      done,
      failed,
      wallSec,
      audioSec,
      songsPerMin: (done / wallSec) * 60,
      realTime: audioSec / wallSec,
      workerCpuSecPerSong: cpuTotal === null || done === 0 ? null : cpuTotal / done,
      perWorker,
      restarts,
      runnerCpuSec,
      coresBusy: cpuTotal === null ? null : (cpuTotal + runnerCpuSec) / wallSec,
      loadBefore,
      loadAfter,
    };
  } finally {
    store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// Basic Pitch on the CPU provider (the measurement of bench:notes, on 30 s)
// ---------------------------------------------------------------------------

interface BasicPitchSpeed {
  provider: string;
  seconds: number;
  loadMs: number;
  wallMs: number;
  cpuMs: number;
  realTimeWall: number;
  realTimeCpu: number;
  notes: number;
}

async function basicPitchSpeed(seconds: number): Promise<BasicPitchSpeed> {
  const sr = 22050;
  const ch = renderSong(DEMO_SONGS[0]!, sr);
  const audio = new Float32Array(Math.min(ch[0]!.length, seconds * sr));
  for (let i = 0; i < audio.length; i++) audio[i] = (ch[0]![i]! + ch[1]![i]!) / 2;
  const opts = { threads: 1, providers: ['cpu' as const], batch: 1, log: () => {} };
  await releaseModelSessions();
  let t = performance.now();
  const model = await getModelSession('basic-pitch', opts);
  const loadMs = performance.now() - t;
  await runBasicPitch(audio.subarray(0, sr), opts); // warm-up
  const cpu0 = process.cpuUsage();
  t = performance.now();
  const pg = await runBasicPitch(audio, opts);
  const notes = noteFramesToTime(outputToNotesPoly(pg.frames, pg.onsets, pg.nFrames));
  const wallMs = performance.now() - t;
  const c = process.cpuUsage(cpu0);
  const cpuMs = (c.user + c.system) / 1000;
  await releaseModelSessions();
  const audioMs = (audio.length / sr) * 1000;
  return { provider: model.provider, seconds: audio.length / sr, loadMs, wallMs, cpuMs, realTimeWall: audioMs / wallMs, realTimeCpu: audioMs / cpuMs, notes: notes.length };
}

// ---------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------

const fmt = (x: number | null | undefined, digits = 1) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits));
const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');

async function main(): Promise<void> {
  const opts = options();
  const compiled = distIsFresh() as boolean;
  log(`${opts.songs} songs, workers ${opts.workers.join(', ')}${opts.transcribe ? ', with note transcription' : ''}; worker code: ${compiled ? 'dist/ (compiled)' : 'TypeScript through tsx (dist/ is stale: npm run build)'}`);
  const musicDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ln-bench-queue-music-'));
  const runs: QueueRun[] = [];
  let pitch: BasicPitchSpeed;
  try {
    const songs = libraryFolder(opts.songs, musicDir);
    if (opts.prepare) return;
    for (const w of opts.workers) {
      log(`running the queue with ${w} worker(s) …`);
      runs.push(await runQueue(songs, musicDir, w, opts.transcribe));
    }
    log('Basic Pitch on the CPU provider …');
    pitch = await basicPitchSpeed(30);
  } finally {
    fs.rmSync(musicDir, { recursive: true, force: true });
  }

  const one = runs.find((r) => r.workers === 1);
  const audioMin = (runs[0]?.audioSec ?? 0) / 60;
  console.log(`\nQueue throughput: ${opts.songs} generated songs (${fmt(audioMin)} min of 44.1 kHz stereo MP3, 20–30 s each)${opts.transcribe ? ' with note transcription' : ''}, ${os.availableParallelism()} cores, worker code ${compiled ? 'compiled (dist/)' : 'through tsx'}`);
  const head = ['workers', 'songs/min', '× real time', 'speed-up', 'worker CPU s/song', 'peak RSS/worker MB', `RSS after song ${Math.min(RSS_BASELINE_SONG, opts.songs)} → ${opts.songs} MB`, 'growth', 'failed', 'load avg before → after'];
  console.log(head.join(' | '));
  const table: Record<string, unknown>[] = [];
  for (const r of runs) {
    const speedup = one && r !== one ? r.songsPerMin / one.songsPerMin : null;
    const growth = r.perWorker.map((w) => (w.rssAtBaselineMb && w.rssAtEndMb ? w.rssAtEndMb / w.rssAtBaselineMb - 1 : null));
    const worst = growth.every((g) => g === null) ? null : Math.max(...growth.filter((g): g is number => g !== null));
    const rssPair = r.perWorker.map((w) => `${fmt(w.rssAtBaselineMb, 0)} → ${fmt(w.rssAtEndMb, 0)}`).join(', ');
    console.log(
      [
        String(r.workers),
        fmt(r.songsPerMin),
        fmt(r.realTime),
        speedup === null ? '—' : `${speedup.toFixed(2)}×${speedup >= TARGET_SPEEDUP ? '' : ` (target ≥ ${TARGET_SPEEDUP})`}`,
        fmt(r.workerCpuSecPerSong, 2),
        r.perWorker.map((w) => fmt(w.peakMb, 0)).join(', '),
        rssPair,
        worst === null ? '—' : `${worst >= 0 ? '+' : ''}${(worst * 100).toFixed(1)} %${worst <= TARGET_RSS_GROWTH ? '' : ' (target ≤ 10 %)'}`,
        String(r.failed),
        `${load(r.loadBefore)} → ${load(r.loadAfter)}`,
      ].join(' | '),
    );
    table.push({ ...r, speedup, rssGrowthWorst: worst });
  }
  // Where the time and memory go: cores kept busy (a single worker uses more than one core through
  // V8's background threads: concurrent GC and compilation), and each worker's RSS every 20 songs.
  console.log('');
  for (const r of runs) {
    console.log(`${r.workers} worker(s): cores busy ${fmt(r.coresBusy, 2)} (workers ${fmt(r.perWorker.reduce((s, w) => s + (w.cpuSec ?? 0), 0), 1)} s CPU + runner ${fmt(r.runnerCpuSec, 1)} s CPU in ${fmt(r.wallSec, 1)} s)`);
    for (const w of r.perWorker) console.log(`  worker ${w.pid}: RSS every 20 songs of the run, MB: ${w.rssCurveMb.map((m) => fmt(m, 0)).join(' ')}`);
  }
  console.log(`\nBasic Pitch (ONNX Runtime, ${pitch.provider} provider, 1 thread, ${fmt(pitch.seconds, 0)} s of a demo song): load ${fmt(pitch.loadMs, 0)} ms, model + note decoding ${fmt(pitch.wallMs, 0)} ms wall / ${fmt(pitch.cpuMs, 0)} ms CPU → ${fmt(pitch.realTimeWall)}× real time (wall), ${fmt(pitch.realTimeCpu)}× (CPU), ${pitch.notes} notes; load average ${load(os.loadavg())}`);
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  fs.writeFileSync(RESULTS_FILE, JSON.stringify({ date: new Date().toISOString(), songs: opts.songs, transcribe: opts.transcribe, compiled, cores: os.availableParallelism(), runs: table, basicPitch: pitch }, null, 2) + '\n');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
