// The analysis queue as the service runs it: one QueueRunner (worker processes) in the serve or
// Electron main process, its state shaped for the UI (progress, rate, ETA, failures with reasons),
// and the queue's commands. The runner is started lazily or by the transport at start-up.
import path from 'node:path';
import type { Store } from '../store/index.ts';
import { bump, syncQueue } from '../queue/enqueue.ts';
import { QueueLockedError, QueueRunner, type JobEvent } from '../queue/runner.ts';
import { concurrency as storedConcurrency, isPaused, isTranscribing, setConcurrency, setPaused } from '../queue/settings.ts';
import { switchTranscription } from '../queue/transcription.ts';
import type { RetryPolicy } from '../queue/policy.ts';
import type { SpawnWorker } from '../worker/transport.ts';
import { versionKey } from '../queue/versions.ts';
import type { QueueStatusView } from './api.ts';

export interface QueueControlOptions {
  /** The analyser versions the queue works towards, asked at each use: note transcription can be turned on or off while it runs. */
  versions: () => Record<string, number>;
  /** The default analysis's versions, without 'notes' (setTranscribe adds or removes it). */
  baseVersions?: Record<string, number>;
  /** Starts a worker process (default: a Node child process; Electron passes a utilityProcess). */
  spawn?: SpawnWorker;
  /** Worker processes (default: the stored setting, else cores − 1). */
  concurrency?: number;
  retry?: Partial<RetryPolicy>;
  pollMs?: number;
  now?: () => number;
  /** Called after every change the UI shows (job started, finished, failed; settings changed). */
  onChange: (status: QueueStatusView, libraryChanged: boolean) => void;
  /**
   * At most one onChange per this many ms (default 1000; the last change always follows): the status
   * counts the jobs table, 60–110 ms at 100,000 tracks on this project's machine — once a second, not per event.
   */
  progressIntervalMs?: number;
}

/** This process's run since the queue was last idle: what the rate and ETA are measured over. */
interface Session {
  startedAt: number;
  finished: number;
  failed: number;
}

const FAILURES_SHOWN = 200;

export class QueueControl {
  private runner: QueueRunner | undefined;
  /** Set when another process holds the queue (a `linernotes analyze --all` or `watch`). */
  private heldBy: number | null = null;
  private lastError: string | null = null;
  private session: Session | null = null;
  private lastRun: QueueStatusView['lastRun'] = null;
  private readonly current = new Map<number, { trackId: number; title: string }>();
  private readonly now: () => number;
  private lastNotice = 0;
  private noticeTimer: NodeJS.Timeout | undefined;
  private pendingLibraryChange = false;

  constructor(
    private readonly store: Store,
    private readonly opts: QueueControlOptions,
  ) {
    this.now = opts.now ?? Date.now;
  }

  /** Starts the worker processes unless they run already (here or in another process). */
  start(): void {
    if (this.runner) return;
    const runner = new QueueRunner(this.store, {
      versions: this.opts.versions,
      spawn: this.opts.spawn,
      concurrency: this.opts.concurrency,
      retry: this.opts.retry,
      pollMs: this.opts.pollMs,
    });
    runner.on('job-start', (e: JobEvent) => {
      if (!this.session) this.session = { startedAt: this.now(), finished: 0, failed: 0 };
      this.current.set(e.job.id, { trackId: e.job.trackId, title: this.titleOf(e.job.trackId, e.job.path) });
      this.changed(false);
    });
    const finished = (e: JobEvent) => {
      this.current.delete(e.job.id);
      if (this.session) this.session.finished++;
      this.changed(true);
    };
    runner.on('job-done', finished);
    runner.on('job-failed', (e: JobEvent) => {
      if (this.session) this.session.failed++;
      finished(e);
    });
    runner.on('job-retry', (e: JobEvent) => {
      this.current.delete(e.job.id);
      this.changed(false);
    });
    runner.on('job-cancelled', (e: JobEvent) => {
      this.current.delete(e.job.id);
      this.changed(false);
    });
    runner.on('idle', () => {
      const s = this.session;
      if (!s) return;
      this.lastRun = { analysed: s.finished - s.failed, failed: s.failed, seconds: Math.round((this.now() - s.startedAt) / 1000), endedAt: this.now() };
      this.session = null;
      this.changed(false);
    });
    runner.on('error', (err: Error) => {
      this.lastError = err.message;
      this.runner = undefined;
      this.current.clear();
      this.changed(false);
    });
    try {
      runner.start();
      this.runner = runner;
      this.heldBy = null;
      this.lastError = null;
    } catch (err) {
      if (!(err instanceof QueueLockedError)) throw err;
      this.heldBy = err.holder.pid;
    }
  }

  /** Stops the workers; running jobs go back in the queue. */
  async stop(): Promise<void> {
    clearTimeout(this.noticeTimer);
    this.noticeTimer = undefined;
    const r = this.runner;
    this.runner = undefined;
    this.current.clear();
    this.session = null;
    await r?.stop();
  }

  /** Queues new, changed (`changedTrackIds`) and out-of-date tracks, and wakes the workers. */
  sync(changedTrackIds?: readonly number[]): number {
    const r = syncQueue(this.store, this.opts.versions(), { changedTrackIds });
    this.start();
    this.runner?.wake();
    this.changed(false);
    return r.added + r.requeued;
  }

  /** Queues these tracks for a full analysis again (whatever they have), ahead of everything else. */
  analyseAgain(trackIds: readonly number[]): number {
    const versions = this.opts.versions();
    const key = versionKey(versions);
    const all = Object.keys(versions).sort();
    let n = 0;
    this.store.transaction(() => {
      for (const id of trackIds) {
        if (this.store.jobs.enqueue(id, key, all, { force: true, now: this.now() }) !== 'unchanged') n++;
        this.store.jobs.bump(id, this.now());
      }
    });
    this.start();
    this.runner?.wake();
    this.changed(false);
    return n;
  }

  /** Moves a track to the front (queuing it if it needs analysing); false when there is nothing to do. */
  bump(trackId: number): boolean {
    const moved = bump(this.store, trackId, this.opts.versions());
    if (moved) {
      this.start();
      this.runner?.wake();
      this.changed(false);
    }
    return moved;
  }

  pause(): QueueStatusView {
    setPaused(this.store, true);
    this.changed(false);
    return this.status();
  }

  resume(): QueueStatusView {
    setPaused(this.store, false);
    this.start();
    this.runner?.wake();
    this.changed(false);
    return this.status();
  }

  retry(trackIds?: readonly number[]): number {
    const n = this.store.jobs.retry(trackIds, this.now());
    this.start();
    this.runner?.wake();
    this.changed(false);
    return n;
  }

  cancel(trackIds?: readonly number[]): number {
    const n = this.runner ? this.runner.cancel(trackIds) : this.store.jobs.cancel(trackIds, this.now());
    this.changed(false);
    return n;
  }

  /** Stores the number of worker processes and restarts the workers with it (running jobs are queued again). */
  async setConcurrency(n: number): Promise<QueueStatusView> {
    setConcurrency(this.store, n);
    if (this.runner) {
      await this.stop();
      this.opts.concurrency = undefined;
      this.start();
    } else this.opts.concurrency = undefined;
    this.changed(false);
    return this.status();
  }

  /**
   * Turns note transcription on or off for the running queue: on, every track without current notes
   * is queued (notes only for those analysed already); off, queued transcriptions are dropped. Jobs
   * claimed from now on follow the new setting; one running now finishes as it started.
   */
  setTranscribe(on: boolean): QueueStatusView {
    switchTranscription(this.store, on, this.opts.baseVersions);
    this.start();
    this.runner?.wake();
    this.changed(false);
    return this.status();
  }

  status(): QueueStatusView {
    const { store } = this;
    const now = this.now();
    const counts = store.jobs.counts(now);
    const runnable = store.jobs.runnableCount(now);
    const s = this.session;
    const elapsedMin = s ? (now - s.startedAt) / 60_000 : 0;
    const perMinute = s && s.finished > 0 && elapsedMin > 0 ? s.finished / elapsedMin : null;
    const remaining = runnable + counts.running;
    const failedJobs = store.jobs.list({ state: 'failed', limit: FAILURES_SHOWN });
    return {
      state: this.runner ? (isPaused(store) ? 'paused' : s ? 'running' : 'idle') : this.heldBy !== null ? 'elsewhere' : 'stopped',
      paused: isPaused(store),
      heldByPid: this.heldBy,
      problem: this.lastError,
      workers: this.runner?.concurrency ?? 0,
      concurrency: this.opts.concurrency ?? storedConcurrency(store),
      transcribe: isTranscribing(store),
      counts,
      runnable,
      nextRetryAt: store.jobs.nextRetryAt(now),
      done: s?.finished ?? 0,
      total: (s?.finished ?? 0) + remaining,
      tracksPerMinute: perMinute,
      etaSeconds: perMinute ? Math.round((remaining / perMinute) * 60) : null,
      current: [...this.current.values()],
      lastRun: this.lastRun,
      failures: failedJobs.map((j) => {
        const t = store.tracks.byId(j.trackId);
        return { trackId: j.trackId, title: t ? this.titleOf(t.id, t.path) : `track ${j.trackId}`, path: t?.path ?? null, code: j.errorCode, reason: j.error ?? 'unknown error', attempts: j.attempts, at: j.finishedAt };
      }),
    };
  }

  private titleOf(trackId: number, file: string): string {
    return this.store.tracks.byId(trackId)?.title ?? path.basename(file);
  }

  /** Tells the UI about a change (throttled); commands get the fresh status back at once. */
  private changed(libraryChanged: boolean): void {
    this.pendingLibraryChange ||= libraryChanged;
    const interval = this.opts.progressIntervalMs ?? 1000;
    const wait = this.lastNotice + interval - Date.now();
    if (wait <= 0) {
      clearTimeout(this.noticeTimer);
      this.noticeTimer = undefined;
      this.notify();
      return;
    }
    this.noticeTimer ??= setTimeout(() => {
      this.noticeTimer = undefined;
      this.notify();
    }, wait);
  }

  private notify(): void {
    const s = this.status();
    const lib = this.pendingLibraryChange;
    this.pendingLibraryChange = false;
    this.lastNotice = Date.now();
    this.opts.onChange(s, lib);
  }
}
