// The analysis worker: decodes and analyses the files its parent sends, one request at a time per
// id, and answers with results or errors. It never opens the library database.
import path from 'node:path';
import { analyzeFile, analyserVersions } from '../analysis/analyze.ts';
import type { TrackAnalysis } from '../analysis/types.ts';
import { isWorkerRequest, serializeError, type WorkerRequest } from './protocol.ts';
import { nodeChildPort, type WorkerPort } from './transport.ts';

/** Analyses a file; `notes`: also transcribe notes (the job lists the 'notes' analyser). */
export type AnalyseFile = (file: string, signal: AbortSignal, opts?: { notes?: boolean }) => Promise<TrackAnalysis>;

/**
 * Faults the tests inject through the environment variable LINERNOTES_TEST_WORKER_FAULTS (JSON):
 * `crashOn` kills the worker and `hangOn` blocks it forever when the file's base name contains the
 * string. Nothing in a music file can trigger them.
 */
export interface TestFaults {
  crashOn?: string;
  hangOn?: string;
}

export function testFaultsFromEnv(env: NodeJS.ProcessEnv = process.env): TestFaults {
  const raw = env.LINERNOTES_TEST_WORKER_FAULTS;
  if (!raw) return {};
  try {
    return JSON.parse(raw) as TestFaults;
  } catch {
    return {};
  }
}

function injectFault(file: string, faults: TestFaults): void {
  const name = path.basename(file);
  if (faults.crashOn && name.includes(faults.crashOn)) process.kill(process.pid, 'SIGKILL');
  if (faults.hangOn && name.includes(faults.hangOn)) for (;;);
}

/** Serves requests arriving on `port` until told to shut down or the parent goes away. */
export function runWorker(port: WorkerPort, opts: { analyse?: AnalyseFile; faults?: TestFaults; exit?: (code: number) => void } = {}): void {
  const analyse: AnalyseFile = opts.analyse ?? ((file, signal, o) => analyzeFile(file, { signal, notes: o?.notes }));
  const faults = opts.faults ?? {};
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const running = new Map<number, AbortController>();

  const handle = async (req: WorkerRequest): Promise<void> => {
    switch (req.type) {
      case 'ping':
        port.post({ type: 'pong', id: req.id });
        return;
      case 'cancel':
        running.get(req.id)?.abort(new Error('cancelled'));
        return;
      case 'shutdown':
        for (const c of running.values()) c.abort(new Error('shutting down'));
        exit(0);
        return;
      case 'analyse': {
        const controller = new AbortController();
        running.set(req.id, controller);
        const t0 = performance.now();
        try {
          port.post({ type: 'progress', id: req.id, stage: 'started', path: req.path });
          injectFault(req.path, faults);
          const analysis = await analyse(req.path, controller.signal, { notes: req.analysers?.includes('notes') ?? false });
          port.post({ type: 'result', id: req.id, analysis, ms: performance.now() - t0 });
        } catch (err) {
          const error = controller.signal.aborted ? { name: 'WorkerError', code: 'CANCELLED', message: 'analysis cancelled' } : serializeError(err);
          port.post({ type: 'error', id: req.id, error });
        } finally {
          running.delete(req.id);
        }
      }
    }
  };

  port.onMessage((msg) => {
    if (isWorkerRequest(msg)) void handle(msg);
  });
  port.onParentGone(() => exit(0));
}

/** The worker as a Node child process: say ready, then serve. */
export function runNodeWorker(): void {
  const port = nodeChildPort();
  runWorker(port, { faults: testFaultsFromEnv() });
  port.post({ type: 'ready', pid: process.pid, versions: analyserVersions() });
}
