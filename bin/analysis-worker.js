// Entry of the analysis worker process (started by app/worker with child_process.fork): runs the
// compiled worker from dist/ when fresh, else the TypeScript sources through tsx.
import { loadApp } from './load-app.js';

const { runNodeWorker } = await loadApp('worker/child');
runNodeWorker();
