// The deep-analysis queue runner: takes deep jobs (below the measured analysis: see
// DeepRepo.claim), runs one at a time per backend, saves caption + cross-check and marks the job
// done in one transaction. A server that is down, slow (time limit), answers 5xx, malformed JSON or
// nothing is retried later with exponential back-off (the job and any earlier caption are kept);
// a refused key, a refused request (4xx) or an unreadable file fails the job with its message
// (`linernotes deep retry` queues it again).
import { loadAnalysis } from '../analysis/libraryAnalysis.ts';
import { backoffDelay, classifyFailure, type RetryPolicy } from '../queue/policy.ts';
import type { Store } from '../store/index.ts';
import type { ClaimedDeepJob } from '../store/deepCaptions.ts';
import { AlmError, type AlmBackend } from '../models/alm/types.ts';
import { deepAnalyse, type DeepOptions, type DeepResult } from './caption.ts';
import { checkDeepText, type SourcedCheck } from './check.ts';

/** Deep jobs are slow and servers come and go: more tries, longer waits than the measured queue. */
export const DEEP_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 60_000, maxDelayMs: 6 * 3600_000, maxCrashes: 0 };

export type DeepOutcome =
  | { kind: 'done'; trackId: number; captionId: number; result: DeepResult; checks: SourcedCheck[] }
  | { kind: 'retry'; trackId: number; code: string; error: string; nextAttemptAt: number }
  | { kind: 'failed'; trackId: number; code: string; error: string };

export interface DeepRunSummary {
  done: number;
  retrying: number;
  failed: number;
  /** Why the run stopped early (server unreachable), or null when the queue ran dry. */
  stopped: string | null;
  outcomes: DeepOutcome[];
}

export interface DeepRunOptions {
  /** Backends by name; a job whose backend is not here waits for it. */
  backends: ReadonlyMap<string, AlmBackend>;
  owner?: string;
  policy?: RetryPolicy;
  now?: () => number;
  signal?: AbortSignal;
  /** At most this many jobs (default: until none is runnable). */
  limit?: number;
  deep?: Omit<DeepOptions, 'signal'>;
  onOutcome?: (o: DeepOutcome) => void;
}

const ownerPid = (owner: string | null) => Number(/^deep:(\d+):/.exec(owner ?? '')?.[1] ?? NaN);
const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Runs one claimed deep job to an outcome, saving what it produced. */
export async function runDeepJob(store: Store, job: ClaimedDeepJob, backend: AlmBackend | undefined, owner: string, opts: DeepRunOptions): Promise<DeepOutcome> {
  const policy = opts.policy ?? DEEP_RETRY;
  const now = opts.now ?? Date.now;
  const later = (code: string, error: string): DeepOutcome => {
    if (job.attempts >= policy.maxAttempts) {
      store.deep.markFailed(job.id, owner, `${error} (gave up after ${job.attempts} attempts)`, code, now());
      return { kind: 'failed', trackId: job.trackId, code, error };
    }
    const nextAttemptAt = now() + backoffDelay(job.attempts, policy);
    store.deep.retryLater(job.id, owner, nextAttemptAt, error, code, now());
    return { kind: 'retry', trackId: job.trackId, code, error, nextAttemptAt };
  };
  if (!backend) return later('NO_BACKEND', `no model server named '${job.backend}' is configured (linernotes models add)`);
  const analysis = loadAnalysis(store, job.trackId);
  const summary = store.analyses.summary(job.trackId);
  let result: DeepResult;
  try {
    result = await deepAnalyse(backend, job.path, { ...opts.deep, hasVocals: summary?.hasVocals ?? null, signal: opts.signal });
  } catch (err) {
    if (err instanceof AlmError) {
      if (err.retryable) return later(err.code, err.message);
      store.deep.markFailed(job.id, owner, err.message, err.code, now());
      return { kind: 'failed', trackId: job.trackId, code: err.code, error: err.message };
    }
    const code = (err as { code?: string }).code ?? 'ERROR';
    const message = (err as Error).message ?? String(err);
    if (opts.signal?.aborted) {
      store.deep.release(job.id, owner, now(), null, null, now());
      return { kind: 'retry', trackId: job.trackId, code: 'CANCELLED', error: 'stopped', nextAttemptAt: now() };
    }
    if (classifyFailure(code) === 'permanent') {
      store.deep.markFailed(job.id, owner, message, code, now());
      return { kind: 'failed', trackId: job.trackId, code, error: message };
    }
    return later(code, message);
  }
  const checks = checkDeepText(result.caption, result.answers, analysis);
  let captionId = 0;
  const saved = store.transaction(() => {
    if (!store.deep.markDone(job.id, owner, now())) return false; // cancelled meanwhile: drop the result
    captionId = store.deep.saveCaption({
      trackId: job.trackId,
      backend: backend.config.name,
      model: result.model,
      promptVersion: result.promptVersion,
      createdAt: now(),
      caption: result.caption,
      reasoning: result.reasoning,
      lyrics: result.lyrics,
      answers: result.answers,
      checks,
      analysisVersions: analysis?.versions ?? null,
      notices: result.notices,
      durationSec: result.durationSec,
      parts: result.parts,
    });
    return true;
  });
  if (!saved) return { kind: 'failed', trackId: job.trackId, code: 'CANCELLED', error: 'the job was cancelled while it ran' };
  return { kind: 'done', trackId: job.trackId, captionId, result, checks };
}

/**
 * Runs deep jobs one after another until none is runnable (or `limit`). Jobs left running by a
 * runner that is no longer alive are put back first. When a server cannot be reached the run stops
 * (the job waits for its retry time; the others are untouched).
 */
export async function runDeepQueue(store: Store, opts: DeepRunOptions): Promise<DeepRunSummary> {
  const owner = opts.owner ?? `deep:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  const now = opts.now ?? Date.now;
  for (const j of store.deep.jobs('running')) if (!isAlive(ownerPid(j.owner))) store.deep.requeueRunning(j.owner ?? undefined, now());
  const summary: DeepRunSummary = { done: 0, retrying: 0, failed: 0, stopped: null, outcomes: [] };
  while (!opts.signal?.aborted && (opts.limit === undefined || summary.outcomes.length < opts.limit)) {
    const job = store.deep.claim(owner, now());
    if (!job) break;
    const outcome = await runDeepJob(store, job, opts.backends.get(job.backend), owner, opts);
    summary.outcomes.push(outcome);
    opts.onOutcome?.(outcome);
    if (outcome.kind === 'done') summary.done++;
    else if (outcome.kind === 'failed') summary.failed++;
    else summary.retrying++;
    if (outcome.kind === 'retry' && (outcome.code === 'UNREACHABLE' || outcome.code === 'NO_BACKEND')) {
      summary.stopped = outcome.error;
      break;
    }
  }
  return summary;
}

/** Queues every opted-in track without a current caption by this backend's model. */
export function syncDeepQueue(store: Store, backendName: string, model: string, promptVersion: number, now = Date.now()): number {
  let added = 0;
  store.transaction(() => {
    for (const id of store.deep.tracksWanting(model, promptVersion)) {
      // A failed job stays failed (with its message) until the user retries it.
      const force = store.deep.jobForTrack(id)?.state === 'done';
      if (store.deep.enqueue(id, backendName, { force, now }) !== 'unchanged') added++;
    }
  });
  return added;
}
