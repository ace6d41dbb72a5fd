// The CLI's commands as plain functions over a Store: each returns an exit code.
import path from 'node:path';
import type { Store } from '../store/index.ts';
import { Scanner, type ScanResult } from '../library/scanner.ts';
import { addRoot, removeRoot, RootError } from '../library/roots.ts';
import { LibraryWatcher } from '../library/watcher.ts';
import { EXIT } from './exitCodes.ts';
import { formatDuration, type Output } from './output.ts';
import { queueVersions } from '../queue/settings.ts';
import { syncQueue } from '../queue/enqueue.ts';
import { QueueLockedError, QueueRunner, type JobEvent } from '../queue/runner.ts';
import { DeepBackground } from '../deep/background.ts';
import type { DeepOutcome } from '../deep/runner.ts';

export interface Context {
  store: Store;
  out: Output;
  dataDir: string;
}

function exitFor(results: ScanResult[]): number {
  if (results.some((r) => r.outcome === 'root-offline')) return EXIT.ROOT_OFFLINE;
  if (results.some((r) => r.counts.errors > 0)) return EXIT.FILE_ERRORS;
  return EXIT.OK;
}

function summary(r: ScanResult): string {
  const c = r.counts;
  if (r.outcome === 'root-offline') return `${r.rootPath}: offline — ${r.issues[0]?.message ?? ''}`;
  const rate = r.durationMs > 0 ? Math.round((c.filesSeen / r.durationMs) * 1000) : c.filesSeen;
  return (
    `${r.rootPath}: ${c.filesSeen} files in ${(r.durationMs / 1000).toFixed(1)} s (${rate} files/s) — ` +
    `${c.added} added, ${c.updated} updated, ${c.moved} moved, ${c.missing} missing, ${c.unchanged} unchanged, ${c.errors} errors`
  );
}

/** Adds the folders as roots (if new) and scans them; with none, scans every known root. */
export async function scanCommand(ctx: Context, folders: string[]): Promise<number> {
  const { store, out } = ctx;
  const roots = [];
  for (const f of folders) {
    try {
      roots.push(await addRoot(store, f));
    } catch (err) {
      if (err instanceof RootError) {
        out.err(`linernotes: ${err.message}`);
        return err.code === 'UNREADABLE' ? EXIT.ROOT_OFFLINE : EXIT.USAGE;
      }
      throw err;
    }
  }
  if (folders.length === 0) roots.push(...store.roots.list());
  if (roots.length === 0) {
    out.err('linernotes: no music folders yet. Try: linernotes scan ~/Music');
    return EXIT.USAGE;
  }
  const scanner = new Scanner(store, { onProgress: (p) => out.progress(p) });
  const results: ScanResult[] = [];
  for (const root of roots) {
    const r = await scanner.scanRoot(store.roots.byId(root.id)!);
    out.endProgress();
    results.push(r);
    out.out(summary(r));
    for (const issue of r.issues.slice(0, 10)) out.out(`  ! ${issue.code}: ${issue.message}`);
    if (r.issues.length > 10) out.out(`  … and ${r.issues.length - 10} more (linernotes errors)`);
  }
  const queued = queueForAnalysis(ctx, results);
  if (queued && !out.json) out.out(`queued ${queued} track(s) for analysis (linernotes analyze --all)`);
  if (out.json) out.data(results.map(({ changedTrackIds: _c, ...r }) => r));
  return exitFor(results);
}

/** Queues new and changed tracks (and any whose results are not current) for analysis; returns how many jobs were added or re-queued. */
function queueForAnalysis(ctx: Context, results: ScanResult[]): number {
  const r = syncQueue(ctx.store, queueVersions(ctx.store), { changedTrackIds: results.flatMap((x) => x.changedTrackIds) });
  return r.added + r.requeued;
}

/** Runs the analysis queue in the background of `watch`; undefined when another process runs it. */
function startQueue(ctx: Context): QueueRunner | undefined {
  const { store, out } = ctx;
  const runner = new QueueRunner(store, { versions: () => queueVersions(store) });
  const name = (e: JobEvent) => path.basename(e.job.path);
  runner.on('job-done', (e: JobEvent) => (out.json ? out.data({ event: 'analysed', trackId: e.job.trackId, path: e.job.path }) : out.out(`${new Date().toLocaleTimeString()} analysed ${name(e)}`)));
  runner.on('job-failed', (e: JobEvent) => out.err(`${new Date().toLocaleTimeString()} cannot analyse ${name(e)}: ${e.error?.message}`));
  runner.on('error', (e: Error) => out.err(`analysis queue: ${e.message}`));
  try {
    runner.start();
    return runner;
  } catch (err) {
    if (!(err instanceof QueueLockedError)) throw err;
    out.err(`note: ${err.message}; this watch only queues new tracks for it`);
    return undefined;
  }
}

/** Deep analysis (opted-in tracks, a configured model server) whenever the measured queue is idle; silent without either. */
function startDeep(ctx: Context, runner: QueueRunner): DeepBackground {
  const { store, out } = ctx;
  const file = (trackId: number) => path.basename(store.tracks.byId(trackId)?.path ?? `track ${trackId}`);
  const deep = new DeepBackground(store, {
    onOutcome: (o: DeepOutcome) => {
      if (out.json) out.data({ event: `deep-${o.kind}`, trackId: o.trackId, ...(o.kind === 'done' ? {} : { code: o.code, error: o.error }) });
      else if (o.kind === 'done') out.out(`${new Date().toLocaleTimeString()} model caption of ${file(o.trackId)} (model text, checked against the measurements)`);
      else out.err(`${new Date().toLocaleTimeString()} deep analysis of ${file(o.trackId)} ${o.kind === 'failed' ? 'failed' : 'will be retried'}: ${o.error}`);
    },
    onStopped: (why) => out.err(`note: deep analysis paused: ${why}`),
  });
  runner.on('idle', () => void deep.kick().catch((err: Error) => out.err(`deep analysis: ${err.message}`)));
  return deep;
}

/** Scans every root once, then follows changes until interrupted; runs the analysis queue meanwhile unless `analyze` is false. */
export async function watchCommand(ctx: Context, opts: { signal?: AbortSignal; onReady?: () => void; analyze?: boolean } = {}): Promise<number> {
  const { store, out } = ctx;
  if (store.roots.list().length === 0) {
    out.err('linernotes: no music folders to watch. Add one: linernotes roots add ~/Music');
    return EXIT.USAGE;
  }
  const scanner = new Scanner(store, { onProgress: (p) => out.progress(p) });
  const first: ScanResult[] = [];
  for (const root of store.roots.list()) {
    first.push(await scanner.scanRoot(root));
    out.out(summary(first.at(-1)!));
    out.endProgress();
  }
  queueForAnalysis(ctx, first);
  const runner = opts.analyze === false ? undefined : startQueue(ctx);
  const deep = runner && startDeep(ctx, runner);
  const watcher = new LibraryWatcher(store, scanner);
  watcher.on('warning', (w: string) => out.err(`warning: ${w}`));
  watcher.on('error', (e: Error) => out.err(`watch error: ${e.message}`));
  watcher.on('batch', (results: ScanResult[]) => {
    for (const r of results) {
      if (out.json) out.data({ event: 'scan', ...r, changedTrackIds: undefined });
      else out.out(`${new Date().toLocaleTimeString()} ${summary(r)}`);
    }
    if (queueForAnalysis(ctx, results)) runner?.wake();
  });
  await watcher.start();
  out.out(`watching ${store.roots.list().filter((r) => r.status === 'online').length} music folder(s)${watcher.usingPolling ? ' (polling)' : ''}; Ctrl+C to stop`);
  opts.onReady?.();
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    opts.signal?.addEventListener('abort', stop, { once: true });
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await watcher.close();
  await deep?.stop();
  await runner?.stop();
  return EXIT.OK;
}

export async function rootsCommand(ctx: Context, action: string, arg: string | undefined): Promise<number> {
  const { store, out } = ctx;
  try {
    if (action === 'add') {
      if (!arg) return usage(out, 'roots add <folder>');
      const r = await addRoot(store, arg);
      if (out.json) out.data(r);
      out.out(`added music folder ${r.path} (id ${r.id}); scan it with: linernotes scan`);
      return EXIT.OK;
    }
    if (action === 'remove') {
      if (!arg) return usage(out, 'roots remove <folder|id>');
      const r = await removeRoot(store, arg);
      if (out.json) out.data(r);
      out.out(`removed music folder ${r.path}; its tracks are hidden, not deleted, and no file was touched`);
      return EXIT.OK;
    }
    if (action === 'list' || action === undefined) {
      const roots = store.roots.list();
      if (out.json) out.data(roots.map((r) => ({ ...r, tracks: store.tracks.list({ rootId: r.id }).length })));
      else if (roots.length === 0) out.out('no music folders yet. Add one: linernotes roots add ~/Music');
      for (const r of roots) {
        const n = store.tracks.list({ rootId: r.id }).length;
        out.out(`${String(r.id).padStart(3)}  ${r.status.padEnd(7)}  ${String(n).padStart(6)} tracks  ${r.path}`);
      }
      return EXIT.OK;
    }
  } catch (err) {
    if (err instanceof RootError) {
      out.err(`linernotes: ${err.message}`);
      return EXIT.USAGE;
    }
    throw err;
  }
  return usage(out, 'roots add|remove|list');
}

function usage(out: Output, text: string): number {
  out.err(`usage: linernotes ${text}`);
  return EXIT.USAGE;
}

export function listCommand(ctx: Context, opts: { missing?: boolean; limit?: number }): number {
  const { store, out } = ctx;
  const tracks = store.tracks.list({ status: opts.missing ? 'missing' : undefined, limit: opts.limit });
  if (out.json) {
    out.data(tracks);
    return EXIT.OK;
  }
  if (tracks.length === 0) out.out(opts.missing ? 'no missing tracks' : 'the library is empty. Add music: linernotes scan ~/Music');
  for (const t of tracks) {
    const name = t.title ?? path.basename(t.path);
    const flag = t.status === 'missing' ? ' [missing]' : '';
    out.out(`${String(t.id).padStart(6)}  ${formatDuration(t.duration).padStart(7)}  ${(t.artist ?? '–').slice(0, 28).padEnd(28)}  ${name.slice(0, 40).padEnd(40)}  ${(t.album ?? '').slice(0, 30)}${flag}`);
  }
  return EXIT.OK;
}

export interface LibraryStats {
  tracks: number;
  missing: number;
  roots: { online: number; offline: number };
  totalDurationSeconds: number;
  totalBytes: number;
  formats: Record<string, number>;
  scanErrors: number;
  lastScanAt: string | null;
}

export function libraryStats(store: Store): LibraryStats {
  const db = store.db;
  const agg = db
    .prepare(
      `SELECT count(*) n, coalesce(sum(t.duration),0) d, coalesce(sum(t.size),0) b FROM tracks t JOIN roots r ON r.id = t.root_id
       WHERE r.status != 'removed' AND t.status = 'present'`,
    )
    .get() as { n: number; d: number; b: number };
  const formats = db
    .prepare(
      `SELECT coalesce(t.codec, t.container, '?') f, count(*) n FROM tracks t JOIN roots r ON r.id = t.root_id
       WHERE r.status != 'removed' AND t.status = 'present' GROUP BY f ORDER BY n DESC`,
    )
    .all() as { f: string; n: number }[];
  const roots = store.roots.list();
  const last = Math.max(0, ...roots.map((r) => r.lastScanAt ?? 0));
  return {
    tracks: agg.n,
    missing: store.tracks.count({ status: 'missing' }),
    roots: { online: roots.filter((r) => r.status === 'online').length, offline: roots.filter((r) => r.status === 'offline').length },
    totalDurationSeconds: Math.round(agg.d),
    totalBytes: agg.b,
    formats: Object.fromEntries(formats.map((f) => [f.f, f.n])),
    scanErrors: store.scanLog.errorCount(),
    lastScanAt: last ? new Date(last).toISOString() : null,
  };
}

export function statsCommand(ctx: Context): number {
  const s = libraryStats(ctx.store);
  if (ctx.out.json) {
    ctx.out.data(s);
    return EXIT.OK;
  }
  const o = ctx.out;
  o.out(`tracks          ${s.tracks}${s.missing ? ` (+${s.missing} missing)` : ''}`);
  o.out(`total length    ${formatDuration(s.totalDurationSeconds)}`);
  o.out(`total size      ${(s.totalBytes / 1e9).toFixed(2)} GB`);
  o.out(`music folders   ${s.roots.online} online${s.roots.offline ? `, ${s.roots.offline} offline` : ''}`);
  o.out(`formats         ${Object.entries(s.formats).map(([f, n]) => `${f} ${n}`).join(', ') || '–'}`);
  o.out(`scan errors     ${s.scanErrors}${s.scanErrors ? ' (linernotes errors)' : ''}`);
  o.out(`last scan       ${s.lastScanAt ?? 'never'}`);
  o.out(`data folder     ${ctx.dataDir}`);
  return EXIT.OK;
}

export function errorsCommand(ctx: Context): number {
  const errors = ctx.store.scanLog.errors();
  if (ctx.out.json) ctx.out.data(errors);
  else if (errors.length === 0) ctx.out.out('no scan errors');
  for (const e of errors) ctx.out.out(`${e.code.padEnd(17)} ${e.path}\n${' '.repeat(18)}${e.message}`);
  return EXIT.OK;
}
