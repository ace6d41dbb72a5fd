// The parent's handle on one analysis worker process: starts it on first use, sends requests with
// ids, rebuilds errors, notices a crash (exit or signal) and starts a fresh process for the next
// request, and enforces each request's time limit by killing the process.
import path from 'node:path';
import type { TrackAnalysis } from '../analysis/types.ts';
import { isWorkerEvent, rebuildError, WorkerError, type WorkerEvent } from './protocol.ts';
import type { SpawnWorker, WorkerExit, WorkerTransport } from './transport.ts';

export interface AnalyseRequest {
  analysers?: string[];
  /** Kill the worker and fail with code 'TIMEOUT' after this long (after the worker is ready). */
  timeoutMs?: number;
  /** Aborting cancels the analysis (code 'CANCELLED'); a worker that doesn't stop soon is killed. */
  signal?: AbortSignal;
  onStarted?: () => void;
}

export interface AnalyseOutcome {
  analysis: TrackAnalysis;
  /** Time the worker spent, in milliseconds. */
  ms: number;
}

interface Pending {
  resolve: (e: WorkerEvent) => void;
  reject: (err: Error) => void;
  onStarted?: () => void;
  path?: string;
}

/** How long a cancelled analysis may take to stop before its process is killed. */
const CANCEL_GRACE_MS = 2000;

const describeExit = (e: WorkerExit) => (e.signal ? `signal ${e.signal}` : `exit code ${e.code}`);

export class AnalysisWorker {
  private transport: WorkerTransport | undefined;
  private ready: Promise<void> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Why we are killing the current process (a timeout or cancel), so its exit is not called a crash. */
  private killReason: Error | undefined;
  /** Processes started so far (1 + restarts). */
  started = 0;
  /** Versions of the analysers, as the worker reported them. */
  versions: Record<string, number> = {};

  constructor(
    private readonly spawn: SpawnWorker,
    private readonly opts: { readyTimeoutMs?: number } = {},
  ) {}

  get pid(): number | undefined {
    return this.transport?.pid;
  }

  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** Starts the process if none runs and waits until it says it is ready. */
  start(): Promise<void> {
    if (this.ready) return this.ready;
    const t = this.spawn();
    this.transport = t;
    this.started++;
    this.killReason = undefined;
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new WorkerError('WorkerError', 'WORKER_UNAVAILABLE', `the analysis worker did not start within ${(this.opts.readyTimeoutMs ?? 60_000) / 1000} s`));
        t.kill();
      }, this.opts.readyTimeoutMs ?? 60_000);
      t.onMessage((msg) => {
        if (!isWorkerEvent(msg)) return;
        if (msg.type === 'ready') {
          clearTimeout(timer);
          this.versions = msg.versions;
          resolve();
          return;
        }
        this.onEvent(msg);
      });
      t.onExit((exit) => {
        clearTimeout(timer);
        if (this.transport === t) {
          this.transport = undefined;
          this.ready = undefined;
        }
        const reason = this.killReason;
        this.killReason = undefined;
        reject(new WorkerError('WorkerError', 'WORKER_UNAVAILABLE', `the analysis worker stopped before it was ready (${describeExit(exit)})${exit.stderrTail ? `: ${exit.stderrTail}` : ''}`));
        for (const [id, p] of this.pending) {
          this.pending.delete(id);
          const where = p.path ? ` while analysing ${JSON.stringify(path.basename(p.path))}` : '';
          p.reject(reason ?? new WorkerError('WorkerError', 'WORKER_CRASHED', `the analysis worker crashed (${describeExit(exit)})${where}`));
        }
      });
    });
    // A failed start is reported to whoever awaits it; the next call starts afresh.
    this.ready.catch(() => {
      if (this.transport === t) {
        this.transport = undefined;
        this.ready = undefined;
      }
    });
    return this.ready;
  }

  private onEvent(msg: WorkerEvent): void {
    if (msg.type === 'ready') return;
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'progress') {
      p.onStarted?.();
      return;
    }
    this.pending.delete(msg.id);
    if (msg.type === 'error') p.reject(rebuildError(msg.error));
    else p.resolve(msg);
  }

  private request(msg: { type: 'analyse'; path: string; analysers?: string[] } | { type: 'ping' }, p: Omit<Pending, 'resolve' | 'reject'>): { id: number; done: Promise<WorkerEvent> } {
    const id = this.nextId++;
    const done = new Promise<WorkerEvent>((resolve, reject) => this.pending.set(id, { ...p, resolve, reject }));
    this.transport!.postMessage({ ...msg, id });
    return { id, done };
  }

  /** Analyses one file in the worker. */
  async analyse(file: string, req: AnalyseRequest = {}): Promise<AnalyseOutcome> {
    req.signal?.throwIfAborted();
    await this.start();
    const { id, done } = this.request({ type: 'analyse', path: file, analysers: req.analysers }, { path: file, onStarted: req.onStarted });
    const timers: NodeJS.Timeout[] = [];
    const onAbort = () => {
      this.transport?.postMessage({ type: 'cancel', id });
      timers.push(setTimeout(() => this.killFor(new WorkerError('WorkerError', 'CANCELLED', 'analysis cancelled')), CANCEL_GRACE_MS));
    };
    req.signal?.addEventListener('abort', onAbort, { once: true });
    if (req.timeoutMs !== undefined) {
      const limit = req.timeoutMs;
      timers.push(
        setTimeout(
          () => this.killFor(new WorkerError('WorkerError', 'TIMEOUT', `the analysis of ${JSON.stringify(path.basename(file))} took longer than its time limit (${(limit / 1000).toFixed(1)} s); the worker was stopped`)),
          limit,
        ),
      );
    }
    try {
      const msg = await done;
      if (msg.type !== 'result') throw new Error(`unexpected answer ${msg.type}`);
      return { analysis: msg.analysis, ms: msg.ms };
    } finally {
      for (const t of timers) clearTimeout(t);
      req.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Round trip to the worker, in milliseconds. */
  async ping(): Promise<number> {
    await this.start();
    const t0 = performance.now();
    await this.request({ type: 'ping' }, {}).done;
    return performance.now() - t0;
  }

  /** Kills the process; its pending requests fail with `reason`. */
  private killFor(reason: Error): void {
    if (!this.transport) return;
    this.killReason = reason;
    this.transport.kill();
  }

  /** Kills the process now (pending requests fail as crashed); the next request starts a fresh one. */
  kill(): void {
    this.transport?.kill();
  }

  /** Asks the process to exit, killing it if it hasn't after `graceMs`. */
  async stop(graceMs = 2000): Promise<void> {
    const t = this.transport;
    if (!t) return;
    const exited = new Promise<void>((resolve) => t.onExit(() => resolve()));
    this.killReason = new WorkerError('WorkerError', 'CANCELLED', 'the analysis worker was stopped');
    t.postMessage({ type: 'shutdown' });
    const timer = setTimeout(() => t.kill(), graceMs);
    await exited;
    clearTimeout(timer);
  }
}
