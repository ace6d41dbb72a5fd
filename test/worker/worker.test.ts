// The analysis worker: the message protocol (round trip, errors rebuilt with name, message and
// code), a real child process analysing a file, crash detection and restart, the time limit, cancel.
import { EventEmitter } from 'node:events';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecodeError } from '../../app/audio/errors.ts';
import { AnalysisWorker } from '../../app/worker/client.ts';
import { rebuildError, serializeError, isWorkerEvent, isWorkerRequest, WorkerError } from '../../app/worker/protocol.ts';
import { forkWorker, parentPortWorkerPort, utilityProcessTransport } from '../../app/worker/transport.ts';
import { runWorker } from '../../app/worker/child.ts';
import type { TrackAnalysis } from '../../app/analysis/types.ts';
import { tempDir } from '../library/helpers.ts';
import { inProcessTransport, writeToneWav } from './helpers.ts';

let dir: string;
let tone: string;
let crashing: string;
let hanging: string;
let notAudio: string;

beforeAll(async () => {
  dir = await tempDir('ln-worker-');
  tone = await writeToneWav(path.join(dir, 'tone.wav'), 6);
  crashing = await writeToneWav(path.join(dir, 'boom-crash.wav'), 2);
  hanging = await writeToneWav(path.join(dir, 'stuck-hang.wav'), 2);
  notAudio = path.join(dir, 'text.mp3');
  await fs.writeFile(notAudio, 'this is not audio');
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const FAULTS = { LINERNOTES_TEST_WORKER_FAULTS: JSON.stringify({ crashOn: 'crash', hangOn: 'hang' }) };

describe('protocol', () => {
  it('serialises errors and rebuilds them with name, message and code; a DecodeError stays a DecodeError', () => {
    const decode = rebuildError(structuredClone(serializeError(new DecodeError('CORRUPT', '/m/a.flac', 'Can\'t decode "a.flac": bad frame'))));
    expect(decode).toBeInstanceOf(DecodeError);
    expect(decode).toMatchObject({ name: 'DecodeError', code: 'CORRUPT', message: 'Can\'t decode "a.flac": bad frame', file: '/m/a.flac' });
    const plain = rebuildError(structuredClone(serializeError(new RangeError('too far'))));
    expect(plain).toBeInstanceOf(WorkerError);
    expect(plain).toMatchObject({ name: 'RangeError', message: 'too far', code: 'ANALYSIS_FAILED' });
    expect(rebuildError(serializeError('a string'))).toMatchObject({ name: 'Error', message: 'a string' });
  });

  it('recognises requests and events by type and ignores anything else', () => {
    expect(isWorkerRequest({ type: 'analyse', id: 1, path: '/x' })).toBe(true);
    expect(isWorkerRequest({ type: 'result', id: 1 })).toBe(false);
    expect(isWorkerRequest(null)).toBe(false);
    expect(isWorkerEvent({ type: 'pong', id: 2 })).toBe(true);
    expect(isWorkerEvent('pong')).toBe(false);
  });

  it('round trip through the client: results, rebuilt errors, cancel', async () => {
    const fake = { durationSec: 1 } as TrackAnalysis;
    const worker = new AnalysisWorker(() =>
      inProcessTransport(async (file, signal) => {
        if (file.endsWith('bad')) throw new DecodeError('UNSUPPORTED_FORMAT', file, 'not audio');
        if (file.endsWith('slow')) {
          await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
        }
        return fake;
      }),
    );
    expect((await worker.analyse('/m/good')).analysis).toEqual(fake);
    await expect(worker.analyse('/m/bad')).rejects.toMatchObject({ name: 'DecodeError', code: 'UNSUPPORTED_FORMAT' });
    const ac = new AbortController();
    const slow = worker.analyse('/m/slow', { signal: ac.signal });
    setTimeout(() => ac.abort(), 20);
    await expect(slow).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(await worker.ping()).toBeGreaterThanOrEqual(0);
    expect(worker.started).toBe(1);
  });
});

describe('a real worker process', () => {
  it('analyses a file, reports analyser versions, and rebuilds a DecodeError from the child', async () => {
    const worker = new AnalysisWorker(() => forkWorker());
    try {
      const { analysis, ms } = await worker.analyse(tone);
      expect(analysis.durationSec).toBeCloseTo(6, 1);
      expect(analysis.rhythm.bpm).toBeGreaterThan(0);
      expect(ms).toBeGreaterThan(0);
      expect(Object.keys(worker.versions)).toContain('chords');
      const err = await worker.analyse(notAudio).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DecodeError);
      expect(err).toMatchObject({ name: 'DecodeError', code: 'UNSUPPORTED_FORMAT' });
      expect(worker.started).toBe(1);
    } finally {
      await worker.stop();
    }
  });

  it('notices a crash (killed by a signal), fails that request with WORKER_CRASHED and restarts for the next', async () => {
    const worker = new AnalysisWorker(() => forkWorker({ env: FAULTS }));
    try {
      await worker.ping();
      const firstPid = worker.pid;
      const err = await worker.analyse(crashing).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'WORKER_CRASHED' });
      expect((err as Error).message).toMatch(/signal SIGKILL.*boom-crash\.wav/);
      const { analysis } = await worker.analyse(tone);
      expect(analysis.durationSec).toBeCloseTo(6, 1);
      expect(worker.started).toBe(2);
      expect(worker.pid).not.toBe(firstPid);
    } finally {
      await worker.stop();
    }
  });

  it('kills a worker that overruns the time limit (TIMEOUT) and restarts it; cancel of a stuck worker kills it too', async () => {
    const worker = new AnalysisWorker(() => forkWorker({ env: FAULTS }));
    try {
      await worker.ping();
      const t0 = Date.now();
      await expect(worker.analyse(hanging, { timeoutMs: 300 })).rejects.toMatchObject({ code: 'TIMEOUT' });
      expect(Date.now() - t0).toBeLessThan(5000);
      expect((await worker.analyse(tone, { timeoutMs: 30_000 })).analysis.durationSec).toBeGreaterThan(5);
      const ac = new AbortController();
      const stuck = worker.analyse(hanging, { signal: ac.signal });
      setTimeout(() => ac.abort(), 200);
      await expect(stuck).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(worker.pid).toBeUndefined(); // killed; the next request starts a fresh process
      await worker.ping();
      expect(worker.started).toBe(3);
    } finally {
      await worker.stop();
    }
  });
});

describe('the Electron utilityProcess shape', () => {
  it('the same client and worker run over postMessage / on("message") / on("exit") / kill()', async () => {
    const spawn = () => {
      const child = new EventEmitter();
      const parentPort = new EventEmitter();
      const proc = Object.assign(child, {
        pid: 42,
        postMessage: (m: unknown) => queueMicrotask(() => parentPort.emit('message', { data: structuredClone(m) })),
        kill: () => (child.emit('exit', 15), true),
      });
      const port = parentPortWorkerPort(Object.assign(parentPort, { postMessage: (m: unknown) => queueMicrotask(() => child.emit('message', structuredClone(m))) }));
      runWorker(port, { analyse: async () => ({ durationSec: 2 }) as TrackAnalysis, exit: () => child.emit('exit', 0) });
      port.post({ type: 'ready', pid: 42, versions: {} });
      return utilityProcessTransport(proc);
    };
    const worker = new AnalysisWorker(spawn);
    expect((await worker.analyse('/m/a.flac')).analysis.durationSec).toBe(2);
    expect(worker.pid).toBe(42);
    worker.kill();
    expect(worker.pid).toBeUndefined();
    expect((await worker.analyse('/m/b.flac')).analysis.durationSec).toBe(2);
    expect(worker.started).toBe(2);
  });
});
