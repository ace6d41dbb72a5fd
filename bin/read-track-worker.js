// Worker thread for the scanner's ReadTrackPool: reads audio files' facts off the main thread.
// Messages in: { id, path }. Out: { id, facts } or { id, error: { name, code, message } }.
import { parentPort } from 'node:worker_threads';
import { loadApp } from './load-app.js';

const { readTrack, openSync } = await loadApp('library/readTrack');
parentPort.on('message', async ({ id, path }) => {
  try {
    parentPort.postMessage({ id, facts: await readTrack(path, openSync) });
  } catch (err) {
    parentPort.postMessage({ id, error: { name: err?.name ?? 'Error', code: err?.code ?? 'IO_ERROR', message: err?.message ?? String(err) } });
  }
});
parentPort.postMessage({ ready: true });
