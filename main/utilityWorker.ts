// The analysis worker in an Electron utilityProcess: a thin adapter giving the parent the same
// transport shape the worker client uses over a Node child process (postMessage / onMessage /
// onExit / kill), so the worker's client (restart after a crash, time limits) runs unchanged here.
// The shape is declared locally to match app/worker/transport.ts's WorkerTransport.
import { utilityProcess, type UtilityProcess } from 'electron';
import { WORKER_V8_FLAGS } from '../app/worker/transport.ts';

export interface WorkerExitInfo {
  code: number | null;
  signal: string | null;
}

export interface UtilityWorkerTransport {
  readonly pid: number | undefined;
  postMessage(msg: unknown): void;
  onMessage(fn: (msg: unknown) => void): void;
  onExit(fn: (exit: WorkerExitInfo) => void): void;
  kill(): void;
}

/** Starts one worker process running `entry` (the bundled analysis worker script). */
export function spawnUtilityWorker(entry: string, env: NodeJS.ProcessEnv = process.env): UtilityWorkerTransport {
  const child: UtilityProcess = utilityProcess.fork(entry, [], { serviceName: 'Linernotes analysis', stdio: 'ignore', env: { ...env }, execArgv: [...WORKER_V8_FLAGS] });
  let exited = false;
  return {
    get pid() {
      return child.pid;
    },
    postMessage: (msg) => {
      if (!exited) child.postMessage(msg);
    },
    onMessage: (fn) => void child.on('message', fn),
    onExit: (fn) =>
      void child.once('exit', (code: number) => {
        exited = true;
        fn({ code, signal: null });
      }),
    kill: () => void child.kill(),
  };
}
