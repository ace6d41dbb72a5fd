// Entry of the analysis worker inside an Electron utilityProcess (bundled as
// dist/electron/analysis-worker.js): the same worker as `linernotes serve` forks, heard through
// process.parentPort instead of a Node IPC channel.
import { analyserVersions } from '../app/analysis/analyze.ts';
import { runWorker, type AnalyseFile } from '../app/worker/child.ts';
import { parentPortWorkerPort, type ParentPortLike } from '../app/worker/transport.ts';

/** Serves analysis requests arriving on `parentPort`, after saying ready with this process's analyser versions. */
export function serveUtilityWorker(parentPort: ParentPortLike, opts: { analyse?: AnalyseFile; pid?: number; exit?: (code: number) => void } = {}): void {
  const port = parentPortWorkerPort(parentPort);
  runWorker(port, { analyse: opts.analyse, exit: opts.exit });
  port.post({ type: 'ready', pid: opts.pid ?? process.pid, versions: analyserVersions() });
}

// In a utilityProcess, Electron gives the process a parentPort; imported elsewhere (tests) this does nothing.
const parentPort = (process as NodeJS.Process & { parentPort?: ParentPortLike }).parentPort;
if (parentPort) serveUtilityWorker(parentPort);
