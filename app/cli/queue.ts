// `linernotes queue [status|pause|resume|retry|cancel|bump|concurrency|transcribe]` and running the analysis
// queue to completion with a live progress line (`linernotes analyze --all`).
import path from 'node:path';
import { loadAnalysis } from '../analysis/libraryAnalysis.ts';
import { bump, syncQueue } from '../queue/enqueue.ts';
import { QueueLockedError, QueueRunner, type JobEvent, type RunSummary } from '../queue/runner.ts';
import { concurrency, isPaused, isTranscribing, queueVersions, setConcurrency, setPaused } from '../queue/settings.ts';
import { switchTranscription } from '../queue/transcription.ts';
import type { Store } from '../store/index.ts';
import { EXIT } from './exitCodes.ts';
import { formatDuration } from './output.ts';
import type { Context } from './commands.ts';
import { oneLine } from './analyze.ts';

/** A runner is alive when its heartbeat is recent and its process exists. */
function liveRunner(store: Store): { pid: number; heartbeatAt: number } | null {
  const lock = store.jobs.runnerLock();
  if (!lock || Date.now() - lock.heartbeatAt > 20_000) return null;
  try {
    process.kill(lock.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return null;
  }
  return { pid: lock.pid, heartbeatAt: lock.heartbeatAt };
}

export interface QueueStatus {
  paused: boolean;
  concurrency: number;
  /** Whether the worker also transcribes notes (opt-in). */
  transcribe: boolean;
  runner: { pid: number; heartbeatAt: number } | null;
  counts: ReturnType<Store['jobs']['counts']>;
  runnable: number;
  nextRetryAt: string | null;
  failed: { trackId: number; path: string | null; code: string | null; error: string | null; attempts: number }[];
}

export function queueStatus(store: Store): QueueStatus {
  const next = store.jobs.nextRetryAt();
  return {
    paused: isPaused(store),
    concurrency: concurrency(store),
    transcribe: isTranscribing(store),
    runner: liveRunner(store),
    counts: store.jobs.counts(),
    runnable: store.jobs.runnableCount(),
    nextRetryAt: next === null ? null : new Date(next).toISOString(),
    failed: store.jobs.list({ state: 'failed' }).map((j) => ({
      trackId: j.trackId,
      path: store.tracks.byId(j.trackId)?.path ?? null,
      code: j.errorCode,
      error: j.error,
      attempts: j.attempts,
    })),
  };
}

const trackIds = (args: string[]): number[] | string => {
  const bad = args.find((a) => !/^\d+$/.test(a));
  return bad === undefined ? args.map(Number) : `not a track id: ${bad}`;
};

export function queueCommand(ctx: Context, action: string, args: string[]): number {
  const { store, out } = ctx;
  const ids = trackIds(action === 'transcribe' ? [] : args);
  if (typeof ids === 'string') {
    out.err(`linernotes: ${ids}`);
    return EXIT.USAGE;
  }
  const some = ids.length ? ids : undefined;
  const report = (what: string, n: number) => {
    if (out.json) out.data({ [what]: n, queue: queueStatus(store) });
    else out.out(`${n} job(s) ${what}`);
    return EXIT.OK;
  };
  switch (action) {
    case 'status': {
      // Bring the queue up to date first, so it shows what a run would do.
      syncQueue(store, queueVersions(store));
      const s = queueStatus(store);
      if (out.json) {
        out.data(s);
        return EXIT.OK;
      }
      const c = s.counts;
      const state = s.paused ? 'paused' : s.runner ? `running in process ${s.runner.pid}` : 'not running (linernotes analyze --all runs it)';
      out.out(`analysis queue: ${state}; ${s.concurrency} worker(s)${s.transcribe ? '; note transcription on' : ''}`);
      out.out(`queued ${c.queued} (${s.runnable} ready${c.waiting ? `, ${c.waiting} waiting to retry, next at ${new Date(s.nextRetryAt!).toLocaleTimeString()}` : ''}${c.blocked ? `, ${c.blocked} whose file is missing or folder offline` : ''})`);
      out.out(`running ${c.running} · done ${c.done} · failed ${c.failed} · cancelled ${c.cancelled}`);
      for (const f of s.failed.slice(0, 20)) out.out(`  ! ${String(f.trackId).padStart(6)} ${f.path ? path.basename(f.path) : '?'}: ${f.error}`);
      if (s.failed.length > 20) out.out(`  … and ${s.failed.length - 20} more (linernotes queue status --json)`);
      if (s.failed.length) out.out('retry them with: linernotes queue retry [track id…]');
      return EXIT.OK;
    }
    case 'pause':
      setPaused(store, true);
      if (out.json) out.data(queueStatus(store));
      else out.out('analysis queue paused: running analyses finish, no new ones start (linernotes queue resume)');
      return EXIT.OK;
    case 'resume':
      setPaused(store, false);
      if (out.json) out.data(queueStatus(store));
      else out.out('analysis queue resumed');
      return EXIT.OK;
    case 'retry':
      return report('queued again', store.jobs.retry(some));
    case 'cancel':
      return report('cancelled', store.jobs.cancel(some));
    case 'bump': {
      if (!ids.length) return usage(ctx, 'queue bump <track id…>');
      const versions = queueVersions(store);
      return report('moved to the front', ids.filter((id) => bump(store, id, versions)).length);
    }
    case 'concurrency': {
      if (args.length) {
        const n = Number(args[0]);
        if (!Number.isInteger(n) || n < 1) return usage(ctx, 'queue concurrency <number of workers, 1 or more>');
        setConcurrency(store, n);
      }
      if (out.json) out.data({ concurrency: concurrency(store) });
      else out.out(`${concurrency(store)} worker process(es)`);
      return EXIT.OK;
    }
    case 'transcribe': {
      if (args.length && args[0] !== 'on' && args[0] !== 'off') return usage(ctx, 'queue transcribe [on|off]');
      // On queues the tracks without current notes (notes only for those analysed already); off drops
      // the queued transcriptions. A running `serve` or `watch` picks the change up from the store.
      const sync = () => syncQueue(store, queueVersions(store));
      const queued = args.length ? switchTranscription(store, args[0] === 'on').queued : isTranscribing(store) ? ((r) => r.added + r.requeued)(sync()) : 0;
      if (out.json) out.data({ transcribe: isTranscribing(store), queued });
      else out.out(isTranscribing(store) ? `note transcription on (Basic Pitch, ~2.3 s CPU per minute of audio); ${queued} track(s) queued` : 'note transcription off');
      return EXIT.OK;
    }
    default:
      return usage(ctx, 'queue [status|pause|resume|retry|cancel|bump|concurrency|transcribe] [track id…|on|off]');
  }
}

function usage(ctx: Context, text: string): number {
  ctx.out.err(`usage: linernotes ${text}`);
  return EXIT.USAGE;
}

export interface RunQueueOptions {
  force?: boolean;
  workers?: number;
  signal?: AbortSignal;
}

/**
 * `linernotes analyze --all`: queues what needs analysing and runs the queue until nothing is
 * runnable, printing a line per track and a live progress line (tracks/min, ETA).
 */
export async function runQueueCommand(ctx: Context, opts: RunQueueOptions): Promise<number> {
  const { store, out } = ctx;
  const versions = queueVersions(store);
  syncQueue(store, versions, { force: opts.force });
  const total = store.jobs.runnableCount();
  if (total === 0) {
    const c = store.jobs.counts();
    if (store.tracks.count() === 0) out.out('the library is empty. Add music: linernotes scan ~/Music');
    else if (c.waiting) out.out(`nothing to analyse now; ${c.waiting} track(s) wait to retry (linernotes queue status)`);
    else out.out('every track is analysed and up to date');
    if (out.json) out.data({ analysed: 0, failed: 0, queue: queueStatus(store) });
    return EXIT.OK;
  }
  if (isPaused(store)) {
    out.err(`linernotes: the analysis queue is paused with ${total} track(s) to analyse (linernotes queue resume)`);
    if (out.json) out.data({ analysed: 0, failed: 0, queue: queueStatus(store) });
    return EXIT.OK;
  }
  const runner = new QueueRunner(store, { versions, concurrency: opts.workers });
  const started = Date.now();
  let finished = 0;
  const progress = () => {
    const mins = (Date.now() - started) / 60_000;
    const rate = mins > 0 ? finished / mins : 0;
    const left = Math.max(0, total - finished);
    const eta = rate > 0 ? ` · ETA ${formatDuration((left / rate) * 60)}` : '';
    out.status(`analysing ${finished}/${total} · ${rate.toFixed(1)} tracks/min · ${runner.concurrency} worker(s)${eta}`);
  };
  const name = (e: JobEvent) => path.basename(e.job.path);
  runner.on('job-start', progress);
  runner.on('job-done', (e: JobEvent) => {
    finished++;
    if (!out.json) {
      out.endProgress();
      out.out(`[${finished}/${total}] ${name(e)}: ${oneLine(loadAnalysis(store, e.job.trackId))}`);
    }
    progress();
  });
  runner.on('job-failed', (e: JobEvent) => {
    finished++;
    out.err(`  ! ${name(e)}: ${store.jobs.byId(e.job.id)?.error ?? e.error?.message}`);
  });
  runner.on('job-retry', (e: JobEvent) => out.err(`  ~ ${name(e)}: ${e.error?.message}; trying again${e.retryAt && e.retryAt > Date.now() + 1000 ? ` at ${new Date(e.retryAt).toLocaleTimeString()}` : ''}`));
  runner.on('error', (err: Error) => out.err(`linernotes: ${err.message}`));
  const stop = () => void runner.stop();
  opts.signal?.addEventListener('abort', stop, { once: true });
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let summary: RunSummary;
  try {
    summary = await runner.runUntilIdle();
  } catch (err) {
    if (err instanceof QueueLockedError) {
      out.err(`linernotes: ${err.message}; it will analyse these tracks (linernotes queue status)`);
      return EXIT.OK;
    }
    throw err;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    opts.signal?.removeEventListener('abort', stop);
    out.endProgress();
  }
  const secs = (Date.now() - started) / 1000;
  const left = store.jobs.counts();
  if (out.json) out.data({ analysed: summary.done, failed: summary.failed, retried: summary.retried, ended: summary.ended, seconds: secs, queue: queueStatus(store) });
  else {
    out.out(`analysed ${summary.done} track(s) in ${secs.toFixed(1)} s${summary.failed ? `, ${summary.failed} failed (linernotes queue status shows why)` : ''}`);
    if (summary.ended === 'stopped') out.out(`stopped; ${left.queued} track(s) stay queued (linernotes analyze --all carries on)`);
    else if (summary.ended === 'paused') out.out(`the queue was paused; ${left.queued} track(s) stay queued (linernotes queue resume)`);
    else if (left.waiting) out.out(`${left.waiting} track(s) wait to retry (linernotes queue status)`);
  }
  return summary.failed > 0 ? EXIT.FILE_ERRORS : EXIT.OK;
}
