// What the queue does when an analysis fails: give up, try again later, or count a crash.

export interface RetryPolicy {
  /** Attempts in all before a retryable failure is final. */
  maxAttempts: number;
  /** Delay before the first retry; each further retry waits twice as long. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Crashes or time-limit overruns on one file before it is quarantined as failed. */
  maxCrashes: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 30_000, maxDelayMs: 30 * 60_000, maxCrashes: 2 };

/** Exponential back-off: base × 2^(attempt − 1), capped. */
export function backoffDelay(attempt: number, policy: RetryPolicy): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
}

/**
 * - 'permanent': the file itself is the problem (not audio, damaged, empty, an unsupported codec);
 *   trying again gives the same answer.
 * - 'crash': the worker died or overran the time limit on this file.
 * - 'retry': anything else (the file could not be read just now, an unexpected error).
 */
export type FailureKind = 'permanent' | 'crash' | 'retry';

const PERMANENT = new Set(['UNSUPPORTED_FORMAT', 'UNSUPPORTED_CODEC', 'CORRUPT', 'EMPTY']);

export function classifyFailure(code: string | undefined): FailureKind {
  if (code && PERMANENT.has(code)) return 'permanent';
  if (code === 'WORKER_CRASHED' || code === 'TIMEOUT') return 'crash';
  return 'retry';
}

/** The time limit for analysing a file: a minute, plus a second per 10 s of audio (analysis runs at ~100× real time). */
export function defaultTimeLimitMs(durationSec: number | null): number {
  return 60_000 + Math.max(0, durationSec ?? 600) * 100;
}
