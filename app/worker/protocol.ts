// The analysis worker's message protocol: what the parent asks (requests with ids) and what the
// worker answers (progress, results, errors). The same messages travel over a Node child process
// (child_process.fork, structured clone) and an Electron utilityProcess (postMessage).
import { DecodeError, type DecodeErrorCode } from '../audio/errors.ts';
import type { TrackAnalysis } from '../analysis/types.ts';

/** Parent → worker. */
export type WorkerRequest =
  | { type: 'analyse'; id: number; path: string; /** Analysers whose stored version is stale (the pipeline runs them all today). */ analysers?: string[] }
  | { type: 'cancel'; id: number }
  | { type: 'ping'; id: number }
  | { type: 'shutdown' };

/** Worker → parent. */
export type WorkerEvent =
  | { type: 'ready'; pid: number; versions: Record<string, number> }
  | { type: 'progress'; id: number; stage: 'started'; path: string }
  | { type: 'result'; id: number; analysis: TrackAnalysis; ms: number }
  | { type: 'error'; id: number; error: SerializedError }
  | { type: 'pong'; id: number };

/** An error as it crosses the process boundary. */
export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  /** The file a DecodeError is about. */
  file?: string;
  stack?: string;
}

/** An error from the worker, or about it (crash, time limit), rebuilt on the parent's side. */
export class WorkerError extends Error {
  readonly code: string;
  constructor(name: string, code: string, message: string) {
    super(message);
    this.name = name;
    this.code = code;
  }
}

/** The codes of errors the parent raises about the worker itself. */
export type WorkerFailureCode = 'WORKER_CRASHED' | 'TIMEOUT' | 'CANCELLED' | 'WORKER_UNAVAILABLE';

export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) {
    const e = err as Error & { code?: unknown; file?: unknown };
    return {
      name: e.name,
      message: e.message,
      code: typeof e.code === 'string' ? e.code : undefined,
      file: typeof e.file === 'string' ? e.file : undefined,
      stack: e.stack,
    };
  }
  return { name: 'Error', message: String(err) };
}

/** Rebuilds a worker's error: a DecodeError stays a DecodeError (with its code and file); others keep name, message and code. */
export function rebuildError(s: SerializedError): Error & { code: string } {
  let err: Error & { code: string };
  if (s.name === 'DecodeError' && s.code) err = new DecodeError(s.code as DecodeErrorCode, s.file ?? '', s.message);
  else err = new WorkerError(s.name, s.code ?? 'ANALYSIS_FAILED', s.message);
  if (s.stack) err.stack = s.stack;
  return err;
}

const REQUEST_TYPES = new Set(['analyse', 'cancel', 'ping', 'shutdown']);
const EVENT_TYPES = new Set(['ready', 'progress', 'result', 'error', 'pong']);

/** Whether a message received by the worker is a request (anything else is ignored). */
export function isWorkerRequest(m: unknown): m is WorkerRequest {
  return typeof m === 'object' && m !== null && REQUEST_TYPES.has((m as { type?: unknown }).type as string);
}

/** Whether a message received by the parent is a worker event. */
export function isWorkerEvent(m: unknown): m is WorkerEvent {
  return typeof m === 'object' && m !== null && EVENT_TYPES.has((m as { type?: unknown }).type as string);
}
