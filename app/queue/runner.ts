// Runs the analysis queue: N worker processes, each taking the next runnable job, analysing its
// file in the worker and saving the result together with the job's 'done' mark in one
// transaction. Failures are retried with back-off, given up on, or — when a file crashes the
// worker (or overruns its time limit) twice — quarantined. One runner per database at a time.
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { ClaimedJob, RunnerLock, Store } from '../store/index.ts';
import type { TrackAnalysis } from '../analysis/types.ts';
import { saveAnalysis } from '../analysis/libraryAnalysis.ts';
import { AnalysisWorker } from '../worker/client.ts';
import { forkWorker, type SpawnWorker } from '../worker/transport.ts';
import { backoffDelay, classifyFailure, DEFAULT_RETRY, defaultTimeLimitMs, type RetryPolicy } from './policy.ts';
import { concurrency as storedConcurrency, isPaused } from './settings.ts';

export interface QueueRunnerOptions {
  /**
   * Versions of the current analysers (a failure is recorded against those its job lists); a function
   * is asked at each failure, as the set can change while the queue runs (note transcription on/off).
   */
  versions: Record<string, number> | (() => Record<string, number>);
  /** Starts a worker process (default: a Node child process). */
  spawn?: SpawnWorker;
  /** Worker processes (default: the stored setting, else cores − 1). */
  concurrency?: number;
  retry?: Partial<RetryPolicy>;
  /** Per-file time limit (default: a minute plus a second per 10 s of audio). */
  timeLimitMs?: (job: ClaimedJob) => number;
  /** The clock for retry times (injected by tests). */
  now?: () => number;
  /** How often idle workers look for new jobs, and running jobs are checked for cancellation. */
  pollMs?: number;
  /** Saves a result (default: saveAnalysis); runs inside the transaction that marks the job done. */
  save?: (store: Store, trackId: number, analysis: TrackAnalysis) => void;
}

export interface JobEvent {
  job: ClaimedJob;
  /** Worker time for a finished job. */
  ms?: number;
  /** The worker process that finished the job (job-done). */
  pid?: number;
  error?: Error & { code?: string };
  /** When a job that failed will be tried again. */
  retryAt?: number;
  /** True when a failure was final because the file crashed the worker (or overran its limit) too often. */
  quarantined?: boolean;
}

export interface RunSummary {
  done: number;
  failed: number;
  retried: number;
  cancelled: number;
  /** Why the run ended: nothing runnable left, the queue was paused, or stop() was called. */
  ended: 'idle' | 'paused' | 'stopped';
}

/** A runner's lock is stale when its heartbeat is older than this (its process was killed). */
const LOCK_STALE_MS = 20_000;
const HEARTBEAT_MS = 5_000;

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export class QueueLockedError extends Error {
  override name = 'QueueLockedError';
  readonly code = 'QUEUE_LOCKED';
  constructor(readonly holder: RunnerLock) {
    super(`the queue is being run by another Linernotes process (pid ${holder.pid})`);
  }
}

/**
 * Events: 'job-start', 'job-done', 'job-retry', 'job-failed', 'job-cancelled' (each with a JobEvent),
 * 'worker-restart' ({ slot, pid }), 'idle', 'error' (Error).
 */
export class QueueRunner extends EventEmitter {
  readonly owner = `${process.pid}:${randomUUID()}`;
  private readonly workers: AnalysisWorker[] = [];
  /** Running jobs by claim owner ('<runner owner>/<n>'): a job taken back and claimed again is a new claim. */
  private readonly running = new Map<string, { jobId: number; controller: AbortController }>();
  private claims = 0;
  private readonly policy: RetryPolicy;
  private readonly now: () => number;
  private readonly pollMs: number;
  private loops: Promise<void>[] = [];
  private timers: NodeJS.Timeout[] = [];
  private wakers = new Set<() => void>();
  private stopping = false;
  private stopped: Promise<void> | undefined;
  private started = false;
  private idleSlots = 0;
  private unavailableInARow = 0;
  private summary: RunSummary = { done: 0, failed: 0, retried: 0, cancelled: 0, ended: 'idle' };

  constructor(
    private readonly store: Store,
    private readonly opts: QueueRunnerOptions,
  ) {
    super();
    this.policy = { ...DEFAULT_RETRY, ...opts.retry };
    this.now = opts.now ?? Date.now;
    this.pollMs = opts.pollMs ?? 500;
  }

  get concurrency(): number {
    return this.workers.length;
  }

  /** Process ids of the worker processes running now. */
  get workerPids(): number[] {
    return this.workers.map((w) => w.pid).filter((p): p is number => p !== undefined);
  }

  /**
   * Takes the queue (throws QueueLockedError if another live process runs it), puts back jobs left
   * running by a runner that was killed, and starts the workers.
   */
  start(): void {
    if (this.started) return;
    const { store } = this;
    const me = (): RunnerLock => ({ owner: this.owner, pid: process.pid, heartbeatAt: Date.now() });
    const holder = store.jobs.tryLock(me(), LOCK_STALE_MS, isAlive);
    if (holder) throw new QueueLockedError(holder);
    this.started = true;
    store.jobs.requeueRunning(undefined, this.now());
    this.timers.push(setInterval(() => store.jobs.tryLock(me(), LOCK_STALE_MS, isAlive), HEARTBEAT_MS));
    this.timers.push(setInterval(() => this.checkCancelled(), this.pollMs));
    const n = this.opts.concurrency ?? storedConcurrency(store);
    const spawn = this.opts.spawn ?? (() => forkWorker());
    for (let slot = 0; slot < n; slot++) {
      const worker = new AnalysisWorker(spawn);
      this.workers.push(worker);
      this.loops.push(this.slotLoop(slot, worker));
    }
  }

  /** Wakes idle workers now (after jobs were queued or bumped in this process). */
  wake(): void {
    for (const w of [...this.wakers]) w();
  }

  /** Runs until nothing is runnable (jobs waiting for a retry time stay queued) or the queue is paused; then stops. */
  async runUntilIdle(): Promise<RunSummary> {
    const ended = new Promise<RunSummary['ended']>((resolve) => {
      this.once('idle', () => resolve(isPaused(this.store) ? 'paused' : 'idle'));
      this.once('stopped', () => resolve('stopped'));
    });
    this.start();
    const why = await ended;
    await this.stop();
    return { ...this.summary, ended: why };
  }

  /** Cancels a running job of this runner (the job row is marked by the caller or by another process). */
  private checkCancelled(): void {
    for (const [claim, r] of this.running) if (!this.store.jobs.isRunningAs(r.jobId, claim)) r.controller.abort();
  }

  /** Cancels queued and running jobs (of these tracks, or all); running analyses are stopped. */
  cancel(trackIds?: readonly number[]): number {
    const n = this.store.jobs.cancel(trackIds, this.now());
    this.checkCancelled();
    return n;
  }

  /** Stops the workers and puts this runner's running jobs back in the queue; releases the queue. */
  stop(): Promise<void> {
    if (!this.started) return Promise.resolve();
    this.stopped ??= this.shutDown();
    return this.stopped;
  }

  private async shutDown(): Promise<void> {
    this.stopping = true;
    this.emit('stopped');
    this.wake();
    for (const r of this.running.values()) r.controller.abort();
    await Promise.all(this.workers.map((w) => w.stop(1000)));
    await Promise.all(this.loops);
    for (const t of this.timers) clearInterval(t);
    this.store.jobs.requeueRunning(this.owner, this.now());
    this.store.jobs.unlock(this.owner);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }

  private async slotLoop(slot: number, worker: AnalysisWorker): Promise<void> {
    while (!this.stopping) {
      const job = isPaused(this.store) ? undefined : this.store.jobs.claim(`${this.owner}/${++this.claims}`, this.now());
      if (!job) {
        this.idleSlots++;
        if (this.idleSlots === this.workers.length && this.running.size === 0) this.emit('idle');
        await this.sleep(this.pollMs);
        this.idleSlots--;
        continue;
      }
      const startedBefore = worker.started;
      await this.runJob(worker, job);
      if (startedBefore > 0 && worker.started > startedBefore) this.emit('worker-restart', { slot, pid: worker.pid });
    }
  }

  private async runJob(worker: AnalysisWorker, job: ClaimedJob): Promise<void> {
    const { store } = this;
    const claim = job.owner!;
    const controller = new AbortController();
    this.running.set(claim, { jobId: job.id, controller });
    this.emit('job-start', { job } satisfies JobEvent);
    try {
      const { analysis, ms } = await worker.analyse(job.path, {
        analysers: job.analysers,
        timeoutMs: (this.opts.timeLimitMs ?? ((j: ClaimedJob) => defaultTimeLimitMs(j.duration)))(job),
        signal: controller.signal,
      });
      this.unavailableInARow = 0;
      const save = this.opts.save ?? saveAnalysis;
      const saved = store.transaction(() => {
        if (!store.jobs.markDone(job.id, claim, this.now())) return false;
        save(store, job.trackId, analysis);
        return true;
      });
      if (saved) {
        this.summary.done++;
        this.emit('job-done', { job, ms, pid: worker.pid } satisfies JobEvent);
      } else {
        this.summary.cancelled++;
        this.emit('job-cancelled', { job } satisfies JobEvent);
      }
    } catch (e) {
      this.onFailure(job, e as Error & { code?: string }, controller.signal.aborted);
    } finally {
      this.running.delete(claim);
    }
  }

  private onFailure(job: ClaimedJob, error: Error & { code?: string }, aborted: boolean): void {
    const { store } = this;
    const now = this.now();
    if (this.stopping) return; // stop() puts the job back
    if (aborted) {
      this.summary.cancelled++;
      this.emit('job-cancelled', { job, error } satisfies JobEvent);
      return;
    }
    if (error.code === 'WORKER_UNAVAILABLE') {
      // Not the file's fault: put it back untouched; give up the run if the worker never starts.
      store.jobs.release(job.id, job.owner!, now);
      if (++this.unavailableInARow >= 3) {
        this.emit('error', error);
        void this.stop();
      }
      return;
    }
    this.unavailableInARow = 0;
    const kind = classifyFailure(error.code);
    const code = error.code ?? 'ANALYSIS_FAILED';
    const crashed = kind === 'crash';
    const quarantined = crashed && job.crashes + 1 >= this.policy.maxCrashes;
    const final = kind === 'permanent' || quarantined || job.attempts >= this.policy.maxAttempts;
    if (final) {
      const message = quarantined
        ? `quarantined: this file stopped the analysis worker ${job.crashes + 1} times; last time: ${error.message}`
        : error.message;
      const failed = store.transaction(() => {
        if (!store.jobs.markFailed(job.id, job.owner!, message, code, { crashed, now })) return false;
        // Only what the job was to bring up to date: a notes-only job that fails keeps the track's analysis.
        const versions = typeof this.opts.versions === 'function' ? this.opts.versions() : this.opts.versions;
        for (const name of job.analysers) if (name in versions) store.analyses.saveError(job.trackId, name, versions[name]!, message, now);
        return true;
      });
      if (failed) {
        this.summary.failed++;
        this.emit('job-failed', { job, error, quarantined } satisfies JobEvent);
      }
      return;
    }
    // A crash is retried at once (in a fresh worker); other failures back off.
    const retryAt = crashed ? now : now + backoffDelay(job.attempts, this.policy);
    if (store.jobs.retryLater(job.id, job.owner!, retryAt, error.message, code, { crashed, now })) {
      this.summary.retried++;
      this.emit('job-retry', { job, error, retryAt } satisfies JobEvent);
    }
  }
}
