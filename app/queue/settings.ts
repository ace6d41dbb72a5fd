// The queue's persisted settings: paused, how many worker processes run at once, and whether notes are transcribed.
import os from 'node:os';
import type { Store } from '../store/index.ts';
import { analyserVersions } from '../analysis/analyze.ts';
import { NOTES_ANALYSER_VERSION } from '../analysis/notes/version.ts';

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

/** Whether the worker also transcribes notes (Basic Pitch; opt-in: ~2.3 s CPU per minute of audio). */
export function isTranscribing(store: Store): boolean {
  return store.jobs.getSetting('transcribe') === '1';
}

export function setTranscribing(store: Store, on: boolean): void {
  store.jobs.setSetting('transcribe', on ? '1' : '0');
}

/**
 * The analyser versions the queue works towards: the default analysis, plus 'notes' when
 * transcription is on (so turning it on queues only the tracks without current notes).
 */
export function queueVersions(store: Store, base: Record<string, number> = analyserVersions()): Record<string, number> {
  return isTranscribing(store) ? { ...base, notes: NOTES_ANALYSER_VERSION } : base;
}
