// The queue's persisted settings: paused, and how many worker processes run at once.
import os from 'node:os';
import type { Store } from '../store/index.ts';

/** Cores − 1, at least 1: leaves a core for the rest of the machine. */
export function defaultConcurrency(): number {
  return Math.max(1, os.availableParallelism() - 1);
}

export function isPaused(store: Store): boolean {
  return store.jobs.getSetting('paused') === '1';
}

export function setPaused(store: Store, paused: boolean): void {
  store.jobs.setSetting('paused', paused ? '1' : '0');
}

export function concurrency(store: Store): number {
  const n = Number(store.jobs.getSetting('concurrency'));
  return Number.isInteger(n) && n >= 1 ? n : defaultConcurrency();
}

export function setConcurrency(store: Store, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`concurrency must be a whole number ≥ 1, not ${n}`);
  store.jobs.setSetting('concurrency', String(n));
}
