/**
 * Scanner benchmark (`npm run bench:scan [-- --files N] [--seed S] [--keep]`).
 *
 * Generates a tagged library of N files (default 10,000) in a temp folder, then measures, each in a
 * FRESH child process (`test/bench/scanOnce.ts`, so peak RSS is that scan's own):
 *   1. a full scan into an empty data dir,
 *   2. an incremental rescan with nothing changed,
 *   3. an incremental rescan after `touchFraction(files, 0.01, seed)`.
 * Prints a table and writes `test/bench/results/scan.json`. Exits 0 even when a target is missed
 * (it is a benchmark, not a test); exits 1 only if a scan could not be run at all.
 *
 * The library lives in `<tmpdir>/linernotes-bench-scan-n<N>-seed<S>/music`. With `--keep` it is
 * left there, and a later run with the same N and seed reuses it instead of generating it again.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_SEED, generateLibrary, planLibrary, touchFraction } from '../fixtures/library.ts';
import type { ScanOnceResult } from './scanOnce.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SCAN_ONCE = path.join(REPO, 'test/bench/scanOnce.js');
const RESULTS_FILE = path.join(REPO, 'test/bench/results/scan.json');
const RESULT_PREFIX = 'SCAN_RESULT ';

/** Bump when the way the library is generated changes, so a kept library is not reused. */
const LIBRARY_FORMAT = 1;
const TOUCH_FRACTION = 0.01;

const TARGETS = {
  fullFilesPerSec: 1000,
  incrementalMaxSec: 2,
  peakRssMaxMb: 300,
} as const;

// ---------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------

function options(): { files: number; seed: number; keep: boolean } {
  const { values } = parseArgs({
    options: {
      files: { type: 'string', default: '10000' },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log('usage: npm run bench:scan -- [--files N (default 10000)] [--seed S (default 1)] [--keep (keep the generated library for re-runs)]');
    process.exit(0);
  }
  const files = Number(values.files);
  const seed = Number(values.seed);
  if (!Number.isInteger(files) || files < 1) throw new Error(`--files must be a positive integer, not ${values.files}`);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, not ${values.seed}`);
  return { files, seed, keep: values.keep };
}

const log = (msg: string) => process.stderr.write(`[bench:scan] ${msg}\n`);

// ---------------------------------------------------------------------------
// The library (generated once, reused when kept)
// ---------------------------------------------------------------------------

interface LibraryInfo {
  dir: string;
  files: string[];
  mp3: number;
  flac: number;
  bytes: number;
  reused: boolean;
  generateSec: number | null;
}

interface LibraryMarker {
  format: number;
  count: number;
  seed: number;
}

async function prepareLibrary(base: string, count: number, seed: number): Promise<LibraryInfo> {
  const dir = path.join(base, 'music');
  const markerFile = path.join(base, 'library.json'); // outside music/: the scanner must not see it
  const plan = planLibrary(count, { seed });
  const files = plan.map((t) => path.join(dir, t.relPath));
  const summary = { dir, files, mp3: plan.filter((t) => t.format === 'mp3').length, flac: plan.filter((t) => t.format === 'flac').length };

  const marker = await readFile(markerFile, 'utf8')
    .then((s) => JSON.parse(s) as LibraryMarker)
    .catch(() => undefined);
  if (marker && marker.format === LIBRARY_FORMAT && marker.count === count && marker.seed === seed) {
    const sizes = await Promise.all(files.map((f) => stat(f).then((s) => s.size, () => -1)));
    if (sizes.every((s) => s > 0)) {
      log(`reusing the library in ${dir} (${count} files, seed ${seed})`);
      return { ...summary, bytes: sizes.reduce((a, b) => a + b, 0), reused: true, generateSec: null };
    }
    log(`the kept library in ${dir} is incomplete: generating it again`);
  }

  await rm(base, { recursive: true, force: true });
  await mkdir(base, { recursive: true });
  log(`generating ${count} tagged files in ${dir} …`);
  const t0 = performance.now();
  const written = await generateLibrary(dir, count, { seed });
  const generateSec = (performance.now() - t0) / 1000;
  if (written.length !== files.length || written.some((f, i) => f !== files[i])) throw new Error('generateLibrary wrote other files than planLibrary planned');
  await writeFile(markerFile, JSON.stringify({ format: LIBRARY_FORMAT, count, seed } satisfies LibraryMarker) + '\n');
  const sizes = await Promise.all(files.map((f) => stat(f).then((s) => s.size)));
  log(`generated in ${generateSec.toFixed(1)} s`);
  return { ...summary, bytes: sizes.reduce((a, b) => a + b, 0), reused: false, generateSec };
}

// ---------------------------------------------------------------------------
// One scan in a child process
// ---------------------------------------------------------------------------

async function scanInChild(musicDir: string, dataDir: string): Promise<{ child: ScanOnceResult; childSec: number }> {
  const t0 = performance.now();
  const proc = spawn(process.execPath, [SCAN_ONCE, musicDir, dataDir], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  proc.stdout.setEncoding('utf8');
  proc.stdout.on('data', (chunk: string) => (stdout += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    proc.on('error', reject);
    proc.on('close', (c, signal) => resolve(signal ? null : c));
  });
  const childSec = (performance.now() - t0) / 1000;
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (code !== 0 || !line) {
    throw new Error(`scanOnce.ts exited with ${code ?? 'a signal'}${line ? '' : ' and printed no result'}; its output:\n${stdout}`);
  }
  return { child: JSON.parse(line.slice(RESULT_PREFIX.length)) as ScanOnceResult, childSec };
}

// ---------------------------------------------------------------------------
// Rows, targets, table
// ---------------------------------------------------------------------------

type RowKind = 'full' | 'rescan-unchanged' | 'rescan-1pct';

interface Row {
  kind: RowKind;
  label: string;
  files: number;
  scanSec: number;
  childSec: number;
  startupSec: number;
  filesPerSec: number;
  added: number;
  updated: number;
  unchanged: number;
  moved: number;
  missing: number;
  errors: number;
  peakRssMb: number;
  cpuSec: number;
  outcome: string;
  target: string;
  pass: boolean;
  /** Why it failed (target missed, or counts that show the scan did not do what was measured). */
  failures: string[];
  issues: ScanOnceResult['issues'];
}

const LABELS: Record<RowKind, string> = {
  full: 'full scan (empty db)',
  'rescan-unchanged': 'rescan, nothing changed',
  'rescan-1pct': `rescan, ${TOUCH_FRACTION * 100}% changed`,
};

function makeRow(kind: RowKind, total: number, touched: number, { child, childSec }: { child: ScanOnceResult; childSec: number }): Row {
  const c = child.counts;
  const scanSec = child.scanMs / 1000;
  const peakRssMb = child.maxRssKb / 1024;
  const filesPerSec = c.filesSeen / scanSec;
  const failures: string[] = [];
  let target: string;
  if (kind === 'full') {
    target = `>= ${TARGETS.fullFilesPerSec} files/s, <= ${TARGETS.peakRssMaxMb} MB`;
    if (filesPerSec < TARGETS.fullFilesPerSec) failures.push(`${Math.round(filesPerSec)} files/s < ${TARGETS.fullFilesPerSec}`);
  } else {
    target = `<= ${TARGETS.incrementalMaxSec} s, <= ${TARGETS.peakRssMaxMb} MB`;
    if (scanSec > TARGETS.incrementalMaxSec) failures.push(`${scanSec.toFixed(2)} s > ${TARGETS.incrementalMaxSec} s`);
  }
  if (peakRssMb > TARGETS.peakRssMaxMb) failures.push(`peak RSS ${peakRssMb.toFixed(0)} MB > ${TARGETS.peakRssMaxMb} MB`);

  const expected: Partial<ScanOnceResult['counts']> =
    kind === 'full' ? { filesSeen: total, added: total, updated: 0, unchanged: 0 }
    : kind === 'rescan-unchanged' ? { filesSeen: total, added: 0, updated: 0, unchanged: total }
    : { filesSeen: total, added: 0, updated: touched, unchanged: total - touched };
  Object.assign(expected, { moved: 0, missing: 0, errors: 0 });
  const wrong = Object.entries(expected).filter(([k, v]) => c[k as keyof typeof c] !== v).map(([k, v]) => `${k} ${c[k as keyof typeof c]} (expected ${v})`);
  if (child.outcome !== 'completed') failures.push(`outcome ${child.outcome}`);
  if (wrong.length > 0) failures.push(`unexpected counts: ${wrong.join(', ')}`);

  return {
    kind,
    label: LABELS[kind],
    files: c.filesSeen,
    scanSec,
    childSec,
    startupSec: child.startupMs / 1000,
    filesPerSec,
    added: c.added,
    updated: c.updated,
    unchanged: c.unchanged,
    moved: c.moved,
    missing: c.missing,
    errors: c.errors,
    peakRssMb,
    cpuSec: (child.userCpuMs + child.systemCpuMs) / 1000,
    outcome: child.outcome,
    target,
    pass: failures.length === 0,
    failures,
    issues: child.issues,
  };
}

function table(headers: string[], rows: string[][], rightAligned: boolean[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (cells: string[]) =>
    cells
      .map((cell, i) => (rightAligned[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [fmt(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');

function render(rows: Row[], lib: LibraryInfo, seed: number): string {
  const headers = ['scan', 'files', 'scan s', 'child s', 'files/s', 'added', 'updated', 'unchanged', 'errors', 'peak RSS MB', 'target', 'result'];
  const right = [false, true, true, true, true, true, true, true, true, true, false, false];
  const body = rows.map((r) => [
    r.label,
    int(r.files),
    r.scanSec.toFixed(2),
    r.childSec.toFixed(2),
    int(r.filesPerSec),
    int(r.added),
    int(r.updated),
    int(r.unchanged),
    int(r.errors),
    r.peakRssMb.toFixed(0),
    r.target,
    r.pass ? 'PASS' : 'FAIL',
  ]);
  const cpu = os.cpus();
  const lines = [
    table(headers, body, right),
    '',
    ...rows.filter((r) => !r.pass).map((r) => `FAIL  ${r.label}: ${r.failures.join('; ')}`),
    ...rows.flatMap((r) => r.issues.map((i) => `  issue (${r.label}): ${i.code} ${i.path}: ${i.message}`)),
    ...(rows.some((r) => !r.pass) ? [''] : []),
    `library: ${int(lib.files.length)} files (${int(lib.mp3)} mp3, ${int(lib.flac)} flac), ${(lib.bytes / 1024 / 1024).toFixed(0)} MB, seed ${seed}, ` +
      (lib.reused ? 'reused from a kept earlier run' : `generated in ${lib.generateSec?.toFixed(1)} s`),
    `machine: ${cpu.length} x ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`,
    'notes: runs are WARM-CACHE: the library was just written (or stat-ed) and the OS page cache is not dropped,',
    '       so a first scan from a cold disk will be slower.',
    '       "scan s" is timed inside the child around scanner.scanRoot(); "child s" is spawn to exit',
    '       (Node start-up, loading the compiled app from dist/, store open/close, the scan). files/s = files / scan s.',
    '       Peak RSS is the child\'s process.resourceUsage().maxRSS at its end (Node + store + scan + reader threads).',
    '       Each row is one run: expect some noise.',
    `       Rescans reuse the data dir of the full scan; the ${TOUCH_FRACTION * 100}% row runs after touchFraction(files, ${TOUCH_FRACTION}, ${seed}).`,
  ];
  return lines.join('\n');
}

// ---------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------

async function main(): Promise<void> {
  const opts = options();
  const base = path.join(os.tmpdir(), `linernotes-bench-scan-n${opts.files}-seed${opts.seed}`);
  const dataDir = path.join(base, `data-${process.pid}`);
  try {
    const lib = await prepareLibrary(base, opts.files, opts.seed);
    await rm(dataDir, { recursive: true, force: true });

    const rows: Row[] = [];
    log(`1/3 full scan of ${int(opts.files)} files into an empty data dir …`);
    rows.push(makeRow('full', opts.files, 0, await scanInChild(lib.dir, dataDir)));
    log(`2/3 rescan, nothing changed …`);
    rows.push(makeRow('rescan-unchanged', opts.files, 0, await scanInChild(lib.dir, dataDir)));
    const touched = await touchFraction(lib.files, TOUCH_FRACTION, opts.seed);
    log(`3/3 rescan after changing ${touched.length} files …`);
    rows.push(makeRow('rescan-1pct', opts.files, touched.length, await scanInChild(lib.dir, dataDir)));

    console.log(render(rows, lib, opts.seed));

    const cpu = os.cpus();
    const json = {
      benchmark: 'scan',
      date: new Date().toISOString(),
      machine: { cpus: cpu.length, cpuModel: cpu[0]?.model.trim() ?? null, totalMemMb: Math.round(os.totalmem() / 1024 / 1024), node: process.version, platform: `${os.platform()} ${os.release()}` },
      cache: 'warm (OS page cache not dropped)',
      library: { files: lib.files.length, mp3: lib.mp3, flac: lib.flac, bytes: lib.bytes, seed: opts.seed, reused: lib.reused, generateSec: lib.generateSec },
      targets: TARGETS,
      rows,
      allPass: rows.every((r) => r.pass),
    };
    await mkdir(path.dirname(RESULTS_FILE), { recursive: true });
    const round = (_key: string, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1000) / 1000 : v);
    await writeFile(RESULTS_FILE, JSON.stringify(json, round, 2) + '\n');
    log(`results written to ${path.relative(REPO, RESULTS_FILE)}`);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
    if (opts.keep) log(`kept the library in ${path.join(base, 'music')} (a re-run with the same --files/--seed reuses it)`);
    else await rm(base, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (err) {
  console.error(`[bench:scan] could not run the benchmark: ${(err as Error).stack ?? err}`);
  process.exitCode = 1;
}
