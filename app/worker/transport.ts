// How the parent talks to one worker process, whatever starts it: a Node child process here, an
// Electron utilityProcess in main/ (its postMessage / on('message') / on('exit') / kill() fit this
// interface with a thin adapter), or an in-memory fake in tests.
import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkerEvent, WorkerRequest } from './protocol.ts';

export interface WorkerExit {
  code: number | null;
  signal: string | null;
  /** The end of what the worker wrote to stderr, if the transport keeps it. */
  stderrTail?: string;
}

/** The parent's end of one worker process. */
export interface WorkerTransport {
  readonly pid: number | undefined;
  postMessage(msg: WorkerRequest): void;
  onMessage(fn: (msg: unknown) => void): void;
  /** Called once when the process has ended, for any reason. */
  onExit(fn: (exit: WorkerExit) => void): void;
  /** Ends the process now (SIGKILL for a Node child). */
  kill(): void;
}

/** Starts a fresh worker process. */
export type SpawnWorker = () => WorkerTransport;

/** The worker's end: how it answers and hears its parent. */
export interface WorkerPort {
  post(msg: WorkerEvent): void;
  onMessage(fn: (msg: unknown) => void): void;
  /** Called when the parent is gone (the worker should exit). */
  onParentGone(fn: () => void): void;
}

const STDERR_TAIL = 4000;

/** The worker entry script (bin/analysis-worker.js), found from here in app/ or in dist/app/. */
export function workerEntryPath(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'bin', 'analysis-worker.js');
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('cannot find bin/analysis-worker.js next to the app');
}

/**
 * V8 flags of every analysis worker:
 * - `--min-semi-space-size=16`: the young generation starts at the size V8 grows it to anyway within
 *   the first few dozen songs (16 MB semi-spaces, V8's 64-bit maximum), so a worker's memory is flat
 *   from the first songs on instead of stepping up while V8 sizes its heap, with fewer scavenges.
 * - `--single-threaded`: no V8 background threads (concurrent marking, sweeping and optimising
 *   compilation run on the worker's own thread). A worker is one of N processes sized to the cores;
 *   its V8 helper threads only competed with the other workers: with them, one worker kept 1.3 cores
 *   busy and two workers reached 1.4× of one; without them one worker is as fast (256 songs/min) and
 *   two reach 1.98× (bench:queue prints cores busy, CPU per song and RSS every 20 songs).
 */
export const WORKER_V8_FLAGS: readonly string[] = ['--min-semi-space-size=16', '--single-threaded'];

/** A Node child process (child_process.fork) running the worker entry, messages as structured clones. */
export function forkWorker(opts: { entry?: string; env?: NodeJS.ProcessEnv } = {}): WorkerTransport {
  const child = fork(opts.entry ?? workerEntryPath(), [], {
    serialization: 'advanced',
    execArgv: [...process.execArgv, ...WORKER_V8_FLAGS],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: { ...process.env, ...opts.env },
  });
  let stderrTail = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderrTail = (stderrTail + d.toString('utf8')).slice(-STDERR_TAIL);
  });
  // A send to a process that just died fails; its exit is reported through onExit.
  child.on('error', () => {});
  return {
    get pid() {
      return child.pid;
    },
    postMessage: (msg) => {
      if (child.connected) child.send(msg, (err) => void err);
    },
    onMessage: (fn) => void child.on('message', fn),
    onExit: (fn) => void child.once('exit', (code, signal) => fn({ code, signal, stderrTail: stderrTail.trim() || undefined })),
    kill: () => void child.kill('SIGKILL'),
  };
}

/** The worker's end of a Node child process (process.send / process.on('message')). */
export function nodeChildPort(): WorkerPort {
  if (!process.send) throw new Error('the analysis worker must be started by its parent (child_process.fork)');
  return {
    post: (msg) => void process.send!(msg, (err: Error | null) => void err),
    onMessage: (fn) => void process.on('message', fn),
    onParentGone: (fn) => void process.on('disconnect', fn),
  };
}

/** What an Electron utilityProcess offers, described structurally (app/ never imports electron). */
export interface UtilityProcessLike {
  readonly pid: number | undefined;
  postMessage(message: unknown): void;
  on(event: 'message', fn: (message: unknown) => void): unknown;
  on(event: 'exit', fn: (code: number) => void): unknown;
  kill(): boolean;
}

/** The parent's end of an Electron utilityProcess (main/ forks it with `utilityProcess.fork(workerEntryPath())`). */
export function utilityProcessTransport(p: UtilityProcessLike): WorkerTransport {
  return {
    get pid() {
      return p.pid;
    },
    postMessage: (msg) => p.postMessage(msg),
    onMessage: (fn) => void p.on('message', fn),
    onExit: (fn) => void p.on('exit', (code) => fn({ code, signal: null })),
    kill: () => void p.kill(),
  };
}

/** What `process.parentPort` offers inside an Electron utilityProcess. */
export interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', fn: (e: { data: unknown }) => void): unknown;
}

/** The worker's end inside an Electron utilityProcess (its parent going away ends the process). */
export function parentPortWorkerPort(port: ParentPortLike): WorkerPort {
  return {
    post: (msg) => port.postMessage(msg),
    onMessage: (fn) => void port.on('message', (e) => fn(e.data)),
    onParentGone: () => {},
  };
}
