/**
 * Accuracy benchmark on POP909-CL (`npm run bench:accuracy [-- --subset every7|all|N|ids] [--format wav|mp3]`).
 *
 * 1. Picks the songs (default: every seventh of the 697, i.e. 100; see pop909/dataset.ts selectSubset).
 * 2. Renders each song's MIDI with fluidsynth (44.1 kHz WAV, optionally 192 kbps MP3) into the cache
 *    outside the repo (`$LINERNOTES_BENCH_CACHE` or ~/.cache/linernotes-bench/pop909), skipping what is cached.
 * 3. Analyses each file with analyzeFile() from app/analysis/analyze.ts in `--jobs` (default 2) forked
 *    workers (test/bench/accuracyWorker.js); a song that throws, crashes its worker or runs past
 *    `--timeout` seconds is recorded as failed and the run goes on.
 * 4. Scores against the ground truth with the mir_eval ports (accuracyScore.ts): chord WCSR
 *    (root, majmin, majmin_inv, sevenths, sevenths_inv, pooled over the set), key MIREX weighted score
 *    (against the longest key_mode value; also over the songs whose score's cadences support the annotated
 *    tonic, pop909/keyEvidence.ts), tempo Acc1/Acc2, beat F (±70 ms; also over the songs whose
 *    reference beat grid agrees with their own chord changes, pop909/gridCheck.ts), precision/recall of
 *    "uses modal interchange" (a 'modal-interchange' or 'picardy-third' device; also over the songs whose
 *    annotated borrowed chords can be heard, pop909/borrowedCheck.ts) and "modulates", and speed (× real time).
 * 5. Prints a table against the targets and essentia.js's numbers; writes every song's results to
 *    test/bench/results/accuracy.json (git-ignored).
 *
 * `--oracle` scores the ground truth dressed as an analysis instead (no rendering, no analysis): every
 * number must come out perfect, which checks the scoring itself. `--in-process` analyses in this
 * process, one song at a time (for debugging). Exits 0 even when targets are missed (a benchmark, not
 * a test); 1 when nothing could be analysed (e.g. analyzeFile is missing) or the tools are missing.
 */
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { HarmonyAnalysis, TrackAnalysis } from '../../app/analysis/types.ts';
import type { SetSummary, SongScore } from './accuracyScore.ts';
import { failedSongScore, scoreSong, summarise } from './accuracyScore.ts';
import type { ChordMetric, PrecisionRecall } from './mireval/index.ts';
import { REPO, datasetAvailable, datasetDir, listSongIds, selectSubset } from './pop909/dataset.ts';
import type { SongTruth } from './pop909/groundTruth.ts';
import { loadTruth, truthAsAnalysis } from './pop909/groundTruth.ts';
import type { AudioFormat } from './pop909/render.ts';
import { benchCacheDir, renderSongs, renderToolsProblem } from './pop909/render.ts';

const WORKER = path.join(REPO, 'test/bench/accuracyWorker.js');
const RESULTS_FILE = path.join(REPO, 'test/bench/results/accuracy.json');
const ANALYZE_MODULE = path.join(REPO, 'app/analysis/analyze.ts');

/** Our targets. */
const TARGETS = {
  key: 0.92,
  majmin: 0.8,
  sevenths: 0.7,
  tempoAcc1: 0.9,
  beatF: 0.9,
  miPrecision: 0.85,
  miRecall: 0.85,
} as const;

/** essentia.js's numbers on the same measurements, for reference. */
const ESSENTIA_JS = { key: 0.86, majmin: 0.71, sevenths: 0.67, tempoAcc1: 0.75, beatF: 0.83 } as const;

type AnalyzeFile = (file: string, opts?: { sampleRate?: number }) => Promise<TrackAnalysis>;

interface Options {
  subset: string;
  format: AudioFormat;
  jobs: number;
  renderJobs: number;
  timeoutSec: number;
  sampleRate: number | undefined;
  oracle: boolean;
  inProcess: boolean;
  out: string;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      subset: { type: 'string', default: 'every7' },
      format: { type: 'string', default: 'wav' },
      jobs: { type: 'string', default: '2' },
      'render-jobs': { type: 'string', default: '2' },
      timeout: { type: 'string', default: '600' },
      'sample-rate': { type: 'string' },
      oracle: { type: 'boolean', default: false },
      'in-process': { type: 'boolean', default: false },
      out: { type: 'string', default: RESULTS_FILE },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(
      [
        'usage: npm run bench:accuracy -- [options]',
        '  --subset every7|all|N|ids  songs to run: every seventh (default, 100), all 697, the first N, or ids like 001,008',
        '  --format wav|mp3           audio to analyse (default wav; mp3 = 192 kbps from the same render)',
        '  --jobs N                   parallel analysis workers (default 2)',
        '  --render-jobs N            parallel fluidsynth renders (default 2)',
        '  --timeout S                seconds one song may take before its worker is killed (default 600)',
        '  --sample-rate HZ           passed to analyzeFile as opts.sampleRate',
        '  --oracle                   score the ground truth itself (checks the scoring; no audio)',
        '  --in-process               analyse in this process, one song at a time',
        `  --out FILE                 per-song results (default ${path.relative(REPO, RESULTS_FILE)})`,
      ].join('\n'),
    );
    process.exit(0);
  }
  const format = values.format as AudioFormat;
  if (format !== 'wav' && format !== 'mp3') throw new Error(`--format must be wav or mp3, not ${values.format}`);
  const int = (v: string, name: string, min: number): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}, not ${v}`);
    return n;
  };
  return {
    subset: values.subset,
    format,
    jobs: int(values.jobs, 'jobs', 1),
    renderJobs: int(values['render-jobs'], 'render-jobs', 1),
    timeoutSec: int(values.timeout, 'timeout', 1),
    sampleRate: values['sample-rate'] === undefined ? undefined : int(values['sample-rate'], 'sample-rate', 8000),
    oracle: values.oracle,
    inProcess: values['in-process'],
    out: path.resolve(values.out),
  };
}

const log = (msg: string) => process.stderr.write(`[bench:accuracy] ${msg}\n`);
const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

// ---------------------------------------------------------------------------
// Analysis in forked workers
// ---------------------------------------------------------------------------

interface Task {
  id: string;
  file: string;
}

type Outcome = { ok: true; analysis: HarmonyAnalysis; wallMs: number; cpuMs?: number; rssMb?: number } | { ok: false; error: string; wallMs: number };

type WorkerMessage =
  | { type: 'ready'; compiled: boolean }
  | { type: 'fatal'; error: string }
  | { type: 'result'; id: string; ok: true; analysis: TrackAnalysis; wallMs: number; cpuMs: number; rssMb: number }
  | { type: 'result'; id: string; ok: false; error: string; wallMs: number };

class Worker {
  private constructor(
    private readonly proc: ChildProcess,
    readonly compiled: boolean,
  ) {}

  /** Forks a worker and waits until it has loaded analyzeFile; throws (with the worker's reason) if it cannot. */
  static start(): Promise<Worker> {
    const proc = fork(WORKER, [], { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
    return new Promise((resolve, reject) => {
      const onMessage = (msg: WorkerMessage) => {
        if (msg.type === 'ready') {
          cleanup();
          resolve(new Worker(proc, msg.compiled));
        } else if (msg.type === 'fatal') {
          cleanup();
          proc.kill('SIGKILL');
          reject(new Error(msg.error));
        }
      };
      const onExit = (code: number | null, signal: string | null) => {
        cleanup();
        reject(new Error(`the analysis worker exited while loading (${signal ?? code})`));
      };
      const cleanup = () => {
        proc.off('message', onMessage);
        proc.off('exit', onExit);
      };
      proc.on('message', onMessage);
      proc.on('exit', onExit);
    });
  }

  /** Analyses one file. Resolves with a failure (and kills the worker: `alive` turns false) on a crash or timeout. */
  analyse(task: Task, timeoutMs: number, sampleRate: number | undefined): Promise<Outcome> {
    const t0 = performance.now();
    return new Promise((resolve) => {
      const done = (o: Outcome) => {
        clearTimeout(timer);
        this.proc.off('message', onMessage);
        this.proc.off('exit', onExit);
        resolve(o);
      };
      const onMessage = (msg: WorkerMessage) => {
        if (msg.type !== 'result' || msg.id !== task.id) return;
        if (msg.ok) done({ ok: true, analysis: msg.analysis, wallMs: msg.wallMs, cpuMs: msg.cpuMs, rssMb: msg.rssMb });
        else done({ ok: false, error: msg.error, wallMs: msg.wallMs });
      };
      const onExit = (code: number | null, signal: string | null) => done({ ok: false, error: `the analysis worker died (${signal ?? `exit code ${code}`})`, wallMs: performance.now() - t0 });
      const timer = setTimeout(() => {
        this.proc.kill('SIGKILL');
        done({ ok: false, error: `timed out after ${timeoutMs / 1000} s`, wallMs: performance.now() - t0 });
      }, timeoutMs);
      this.proc.on('message', onMessage);
      this.proc.on('exit', onExit);
      this.proc.send({ type: 'analyse', id: task.id, path: task.file, sampleRate });
    });
  }

  get alive(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null && this.proc.connected;
  }

  close(): void {
    if (this.alive) this.proc.disconnect();
  }
}

/**
 * Runs the tasks on `jobs` workers, calling `onOutcome` as each finishes. A worker that dies is replaced.
 * Returns the reason when no worker could load analyzeFile at all (then nothing was analysed).
 */
async function analyseInWorkers(tasks: readonly Task[], opts: Options, onOutcome: (task: Task, o: Outcome) => void): Promise<{ fatal: string | null; compiled: boolean | null }> {
  let next = 0;
  let fatal: string | null = null;
  let compiled: boolean | null = null;
  const loop = async (): Promise<void> => {
    let worker: Worker | null = null;
    try {
      while (next < tasks.length && fatal === null) {
        if (!worker?.alive) {
          try {
            worker = await Worker.start();
            compiled = worker.compiled;
          } catch (err) {
            fatal = errorText(err);
            return;
          }
        }
        const task = tasks[next++]!;
        onOutcome(task, await worker.analyse(task, opts.timeoutSec * 1000, opts.sampleRate));
      }
    } finally {
      worker?.close();
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.jobs, tasks.length) }, () => loop()));
  return { fatal, compiled };
}

async function analyseInProcess(tasks: readonly Task[], opts: Options, onOutcome: (task: Task, o: Outcome) => void): Promise<{ fatal: string | null; compiled: boolean | null }> {
  let analyzeFile: AnalyzeFile;
  try {
    const mod = (await import(pathToFileURL(ANALYZE_MODULE).href)) as { analyzeFile?: AnalyzeFile };
    if (typeof mod.analyzeFile !== 'function') throw new Error('app/analysis/analyze.ts exports no analyzeFile()');
    analyzeFile = mod.analyzeFile;
  } catch (err) {
    return { fatal: errorText(err), compiled: false };
  }
  for (const task of tasks) {
    const t0 = performance.now();
    try {
      const analysis = await analyzeFile(task.file, opts.sampleRate ? { sampleRate: opts.sampleRate } : undefined);
      onOutcome(task, { ok: true, analysis, wallMs: performance.now() - t0 });
    } catch (err) {
      onOutcome(task, { ok: false, error: errorText(err), wallMs: performance.now() - t0 });
    }
  }
  return { fatal: null, compiled: false };
}

// ---------------------------------------------------------------------------
// Per-song records and the report
// ---------------------------------------------------------------------------

interface SongRecord {
  id: string;
  file: string | null;
  durationSec: number | null;
  ok: boolean;
  error?: string;
  /** Wall-clock seconds analyzeFile took. */
  analyseSec: number | null;
  /** Audio seconds per analysis second (× real time). */
  speed: number | null;
  cpuSec?: number;
  rssMb?: number;
  versions?: Record<string, number>;
  timings?: Record<string, number>;
  /** The devices behind the "uses modal interchange" and "modulates" answers (for checking misses). */
  devices?: { kind: string; label: string; start: number; end: number; confidence: number }[];
  score: SongScore | null;
}

const SCORED_DEVICES: readonly string[] = ['modal-interchange', 'picardy-third', 'modulation'];
const round2 = (x: number): number => Math.round(x * 100) / 100;

const fmt = (x: number, digits = 3): string => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

function median(xs: number[]): number {
  if (!xs.length) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function table(headers: string[], rows: string[][], rightAligned: boolean[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (rightAligned[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

interface Row {
  metric: string;
  ours: number;
  target?: number;
  reference?: number;
  digits?: number;
}

/** Precision / recall for the table: n/a (NaN) when nothing was predicted / there was nothing to find. */
const precisionOrNaN = (p: PrecisionRecall): number => (p.truePositives + p.falsePositives > 0 ? p.precision : Number.NaN);
const recallOrNaN = (p: PrecisionRecall): number => (p.truePositives + p.falseNegatives > 0 ? p.recall : Number.NaN);

function rows(s: SetSummary, speedMedian: number): Row[] {
  const chord = (m: ChordMetric, label: string, target?: number, reference?: number): Row => ({ metric: `chords ${label} (WCSR)`, ours: s.chords[m], target, reference });
  return [
    { metric: 'key (MIREX weighted)', ours: s.key, target: TARGETS.key, reference: ESSENTIA_JS.key },
    { metric: `key, songs whose score's cadences support the annotated tonic (${s.tonicAgreesSongs})`, ours: s.keyTonicAgrees },
    chord('root', 'root'),
    chord('majmin', 'majmin', TARGETS.majmin, ESSENTIA_JS.majmin),
    chord('majmin_inv', 'majmin_inv'),
    chord('sevenths', 'sevenths', TARGETS.sevenths, ESSENTIA_JS.sevenths),
    chord('sevenths_inv', 'sevenths_inv'),
    { metric: 'tempo Acc1 (4 %)', ours: s.tempoAcc1, target: TARGETS.tempoAcc1, reference: ESSENTIA_JS.tempoAcc1 },
    { metric: 'tempo Acc2 (×2 ×3 ×½ ×⅓)', ours: s.tempoAcc2 },
    { metric: 'beat F (±70 ms)', ours: s.beatF, target: TARGETS.beatF, reference: ESSENTIA_JS.beatF },
    { metric: `beat F, songs whose grid agrees (${s.gridAgreesSongs})`, ours: s.beatFGridAgrees },
    { metric: 'modal interchange precision', ours: precisionOrNaN(s.modalInterchange), target: TARGETS.miPrecision },
    { metric: 'modal interchange recall', ours: recallOrNaN(s.modalInterchange), target: TARGETS.miRecall },
    { metric: `modal interchange precision, songs whose borrowed chords can be heard (${s.audibleSongs})`, ours: precisionOrNaN(s.modalInterchangeAudible) },
    { metric: `modal interchange recall, songs whose borrowed chords can be heard (${s.audibleSongs})`, ours: recallOrNaN(s.modalInterchangeAudible) },
    { metric: 'modulation precision', ours: precisionOrNaN(s.modulation) },
    { metric: 'modulation recall', ours: recallOrNaN(s.modulation) },
    { metric: 'modulation precision, chord-confirmed changes counted', ours: precisionOrNaN(s.modulationChordChecked) },
    { metric: 'modulation recall, chord-confirmed changes counted', ours: recallOrNaN(s.modulationChordChecked) },
    { metric: 'speed (median × real time)', ours: speedMedian, digits: 1 },
  ];
}

function report(summary: SetSummary, records: SongRecord[], opts: Options, extra: string[]): string {
  const speeds = records.filter((r) => r.speed !== null).map((r) => r.speed!);
  const body = rows(summary, median(speeds)).map((r) => {
    const pass = r.target === undefined ? '' : !Number.isFinite(r.ours) ? 'n/a' : r.ours >= r.target ? 'PASS' : 'FAIL';
    return [r.metric, fmt(r.ours, r.digits), r.target === undefined ? '' : `>= ${fmt(r.target, 2)}`, r.reference === undefined ? '' : fmt(r.reference, 2), pass];
  });
  const mi = summary.modalInterchange;
  const mod = summary.modulation;
  const failed = records.filter((r) => !r.ok);
  return [
    `POP909-CL dev, subset ${opts.subset}: ${summary.songs} songs (${summary.failed} failed, scored as 0), ${opts.oracle ? 'ORACLE (ground truth as the estimate)' : opts.format.toUpperCase()}`,
    '',
    table(['metric', 'ours', 'target', 'essentia.js', 'result'], body, [false, true, true, true, false]),
    '',
    `modal interchange: ${mi.truePositives} TP, ${mi.falsePositives} FP, ${mi.falseNegatives} FN, ${mi.trueNegatives} TN; modulation: ${mod.truePositives} TP, ${mod.falsePositives} FP, ${mod.falseNegatives} FN, ${mod.trueNegatives} TN`,
    `chords, mean of per-song scores: majmin ${fmt(summary.chordsSongMean.majmin)}, sevenths ${fmt(summary.chordsSongMean.sevenths)}`,
    ...(speeds.length ? [`speed: median ${fmt(median(speeds), 1)}×, slowest ${fmt(Math.min(...speeds), 1)}× real time (wall clock of analyzeFile, ${opts.jobs} in parallel)`] : []),
    ...extra,
    ...failed.slice(0, 10).map((r) => `FAILED ${r.id}: ${(r.error ?? '').split('\n')[0]}`),
    ...(failed.length > 10 ? [`… and ${failed.length - 10} more failures (see the results file)`] : []),
  ].join('\n');
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------

async function main(): Promise<number> {
  const opts = options();
  const dir = datasetDir();
  if (!datasetAvailable(dir)) {
    log(`the POP909 dev set is not at ${dir} (set $LINERNOTES_POP909_DIR)`);
    return 1;
  }
  const ids = selectSubset(listSongIds(dir), opts.subset);
  const t0 = performance.now();

  // Ground truth first: a song whose annotation cannot be read is reported and left out.
  const truths = new Map<string, SongTruth>();
  const records = new Map<string, SongRecord>();
  for (const id of ids) {
    try {
      truths.set(id, loadTruth(id, dir));
    } catch (err) {
      records.set(id, { id, file: null, durationSec: null, ok: false, error: `ground truth: ${errorText(err)}`, analyseSec: null, speed: null, score: null });
    }
  }

  const extra: string[] = [];
  const record = (id: string, file: string | null, o: Outcome): void => {
    const truth = truths.get(id)!;
    if (!o.ok) {
      records.set(id, { id, file, durationSec: truth.durationSec, ok: false, error: o.error, analyseSec: o.wallMs / 1000, speed: null, score: failedSongScore(truth) });
      log(`${id} FAILED: ${o.error.split('\n')[0]}`);
      return;
    }
    const durationSec = o.analysis.durationSec || truth.durationSec;
    try {
      const score = scoreSong(truth, o.analysis);
      records.set(id, {
        id,
        file,
        durationSec,
        ok: true,
        analyseSec: o.wallMs / 1000,
        speed: o.wallMs > 0 ? durationSec / (o.wallMs / 1000) : null,
        cpuSec: o.cpuMs === undefined ? undefined : o.cpuMs / 1000,
        rssMb: o.rssMb,
        versions: o.analysis.versions,
        timings: o.analysis.timings,
        devices: o.analysis.theory.devices
          .filter((d) => SCORED_DEVICES.includes(d.kind))
          .map((d) => ({ kind: d.kind, label: d.label, start: round2(d.start), end: round2(d.end), confidence: d.confidence })),
        score,
      });
      if (!opts.oracle) {
        log(
          `${id} key ${score.key.estimate} (${score.key.reference}) ${score.key.score}  majmin ${fmt(score.chords.majmin.score, 2)}  ` +
            `tempo ${fmt(score.tempo.estimate, 1)} (${fmt(score.tempo.reference, 1)})  beatF ${fmt(score.beat.f, 2)}${score.beat.grid.agrees ? "" : " (grid off)"}  ${fmt(durationSec / (o.wallMs / 1000), 1)}×`,
        );
      }
    } catch (err) {
      records.set(id, { id, file, durationSec, ok: false, error: `scoring: ${errorText(err)}`, analyseSec: o.wallMs / 1000, speed: null, score: failedSongScore(truth) });
      log(`${id} could not be scored: ${errorText(err)}`);
    }
  };

  const scorable = ids.filter((id) => truths.has(id));
  let analysedWith = 'oracle';
  if (opts.oracle) {
    for (const id of scorable) record(id, null, { ok: true, analysis: truthAsAnalysis(truths.get(id)!), wallMs: 0 });
  } else {
    const problem = renderToolsProblem(opts.format);
    if (problem) {
      log(problem);
      return 1;
    }
    const cache = benchCacheDir();
    log(`rendering ${scorable.length} songs (${opts.format}) into ${cache} if not cached …`);
    const r0 = performance.now();
    const rendered = await renderSongs(scorable, { format: opts.format, jobs: opts.renderJobs, datasetDir: dir });
    const renderSec = (performance.now() - r0) / 1000;
    const fresh = rendered.filter((r) => r.path && !r.cached).length;
    extra.push(`rendering: ${fresh} rendered, ${rendered.filter((r) => r.cached).length} cached, ${rendered.filter((r) => !r.path).length} failed, ${fmt(renderSec, 1)} s`);
    log(extra[extra.length - 1]!);
    const tasks: Task[] = [];
    for (const r of rendered) {
      if (r.path) tasks.push({ id: r.id, file: r.path });
      else record(r.id, null, { ok: false, error: `render: ${r.error ?? 'failed'}`, wallMs: 0 });
    }
    log(`analysing ${tasks.length} files ${opts.inProcess ? 'in this process' : `in ${opts.jobs} worker processes`} …`);
    const a0 = performance.now();
    const run = opts.inProcess ? analyseInProcess : analyseInWorkers;
    const { fatal, compiled } = await run(tasks, opts, (task, o) => record(task.id, task.file, o));
    if (fatal !== null) {
      log(`analyzeFile is not available: ${fatal.split('\n')[0]}`);
      log('(app/analysis/analyze.ts must export analyzeFile(path, opts?); `--oracle` checks the scoring without it)');
      return 1;
    }
    analysedWith = compiled ? 'dist (compiled)' : 'sources (tsx)';
    extra.push(`analysis: ${fmt((performance.now() - a0) / 1000, 1)} s wall for ${tasks.length} files, app loaded from ${analysedWith}`);
  }

  const all = ids.map((id) => records.get(id)!).filter(Boolean);
  const scored = all.filter((r) => r.score !== null);
  const summary = summarise(
    scored.map((r) => r.score!),
    scored.filter((r) => !r.ok).length,
  );
  const unscorable = all.filter((r) => r.score === null);
  if (unscorable.length) extra.push(`left out (unreadable ground truth): ${unscorable.map((r) => r.id).join(', ')}`);
  extra.push(`total ${fmt((performance.now() - t0) / 1000, 1)} s; results: ${path.relative(REPO, opts.out)}`);
  console.log(report(summary, all, opts, extra));

  await mkdir(path.dirname(opts.out), { recursive: true });
  await writeFile(
    opts.out,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        commit: gitCommit(),
        subset: opts.subset,
        format: opts.format,
        oracle: opts.oracle,
        analysedWith,
        jobs: opts.jobs,
        machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? null, node: process.version, platform: `${process.platform}-${process.arch}` },
        globalKeyRule: 'the key_mode value with the longest total duration (as index.json)',
        targets: TARGETS,
        essentiaJs: ESSENTIA_JS,
        summary,
        songs: all,
      },
      null,
      1,
    ) + '\n',
  );
  return scored.some((r) => r.ok) ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (err) {
  log(errorText(err));
  process.exitCode = 1;
}
