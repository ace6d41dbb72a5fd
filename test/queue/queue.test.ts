// The analysis queue with workers running in this process (fast, scripted outcomes): what gets
// queued, priority, pause/resume, cancel, retries with back-off on an injected clock, permanent
// failures, and taking over from a runner that was killed.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { analyzeFile, analyserVersions } from '../../app/analysis/analyze.ts';
import type { TrackAnalysis } from '../../app/analysis/types.ts';
import { DecodeError } from '../../app/audio/errors.ts';
import { bump, syncQueue } from '../../app/queue/enqueue.ts';
import { QueueLockedError, QueueRunner, type JobEvent, type QueueRunnerOptions } from '../../app/queue/runner.ts';
import { isPaused, setPaused } from '../../app/queue/settings.ts';
import { staleAnalysers, versionKey } from '../../app/queue/versions.ts';
import { backoffDelay, DEFAULT_RETRY } from '../../app/queue/policy.ts';
import type { Store } from '../../app/store/index.ts';
import { tempDir } from '../library/helpers.ts';
import { inProcessTransport } from '../worker/helpers.ts';
import { scannedStore, trackIdByName, writeSongs } from './helpers.ts';

const versions = analyserVersions();
let base: string;
let real: TrackAnalysis;
let n = 0;

beforeAll(async () => {
  base = await tempDir('ln-queue-');
  const [one] = await writeSongs(path.join(base, 'probe'), 1);
  real = await analyzeFile(one!); // a real result the scripted workers hand back
});
afterAll(async () => {
  await fs.rm(base, { recursive: true, force: true });
});

const open: Store[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

async function library(songs: number, extra: string[] = []): Promise<Store> {
  const dir = path.join(base, `lib-${++n}`);
  await writeSongs(dir, songs, extra);
  const store = await scannedStore(dir);
  open.push(store);
  return store;
}

type Script = (file: string, signal: AbortSignal) => Promise<TrackAnalysis>;

function runner(store: Store, script: Script = async () => real, opts: Partial<QueueRunnerOptions> = {}): QueueRunner & { log: string[] } {
  const r = new QueueRunner(store, { versions, spawn: () => inProcessTransport(script), concurrency: 1, pollMs: 20, ...opts }) as QueueRunner & { log: string[] };
  r.log = [];
  for (const ev of ['job-start', 'job-done', 'job-retry', 'job-failed', 'job-cancelled']) {
    r.on(ev, (e: JobEvent) => r.log.push(`${ev.slice(4)} ${path.basename(e.job.path)}`));
  }
  return r;
}

const stateOf = (store: Store, name: string) => store.jobs.forTrack(trackIdByName(store, name))[0]?.state;

describe('what gets queued', () => {
  it('queues tracks without current results, and a version bump re-queues only the tracks it affects, listing only that analyser', async () => {
    const store = await library(3);
    expect(syncQueue(store, versions)).toEqual({ added: 3, requeued: 0 });
    expect(syncQueue(store, versions)).toEqual({ added: 0, requeued: 0 });
    expect(store.jobs.list()[0]!.analysers).toEqual(Object.keys(versions).sort());
    const r = runner(store);
    expect(await r.runUntilIdle()).toMatchObject({ done: 3, failed: 0, ended: 'idle' });
    expect(store.analyses.tracksNeeding(versions)).toEqual([]);
    expect(store.jobs.counts().done).toBe(3);
    expect(syncQueue(store, versions)).toEqual({ added: 0, requeued: 0 });

    // The key analyser's version goes up; one track already has a key result at the new version.
    const bumped = { ...versions, key: versions.key! + 1 };
    const upToDate = trackIdByName(store, 'song-02.wav');
    store.analyses.save(upToDate, 'key', bumped.key, { stub: 'stored by a newer key analyser' });
    expect(syncQueue(store, bumped)).toEqual({ added: 2, requeued: 0 });
    const queued = store.jobs.list({ state: 'queued' });
    expect(queued.map((j) => j.trackId)).not.toContain(upToDate);
    expect(queued.every((j) => j.versionKey === versionKey(bumped) && j.analysers.join() === 'key')).toBe(true);
    expect(staleAnalysers({ a: 1, b: 2 }, { a: 1, b: 3, c: 1 })).toEqual(['b', 'c']);

    // A changed file runs everything again, even when its results are current.
    const changed = trackIdByName(store, 'song-01.wav');
    syncQueue(store, bumped, { changedTrackIds: [changed] });
    expect(store.jobs.forTrack(changed)[0]!.analysers).toEqual(Object.keys(versions).sort());
  });
});

describe('running the queue', () => {
  it('a bumped track jumps the queue', async () => {
    const store = await library(4);
    syncQueue(store, versions);
    expect(bump(store, trackIdByName(store, 'song-03.wav'), versions)).toBe(true);
    const r = runner(store);
    await r.runUntilIdle();
    // The bumped one first, then the others oldest job first.
    const name = (trackId: number) => path.basename(store.tracks.byId(trackId)!.path);
    const others = store.jobs.list().filter((j) => name(j.trackId) !== 'song-03.wav').sort((a, b) => a.id - b.id);
    expect(r.log.filter((l) => l.startsWith('start'))).toEqual(['start song-03.wav', ...others.map((j) => `start ${name(j.trackId)}`)]);
    expect(others.length).toBe(3);
  });

  it('pause stops new jobs (persisted, seen by a running runner); resume carries on', async () => {
    const store = await library(3);
    syncQueue(store, versions);
    setPaused(store, true);
    expect(await runner(store).runUntilIdle()).toMatchObject({ done: 0, ended: 'paused' });
    setPaused(store, false);
    // Paused from "another process" after the first job: the running one finishes, no new one starts.
    const r = runner(store, async () => {
      setPaused(store, true);
      return real;
    });
    expect(await r.runUntilIdle()).toMatchObject({ done: 1, ended: 'paused' });
    expect(isPaused(store)).toBe(true);
    setPaused(store, false);
    expect(await runner(store).runUntilIdle()).toMatchObject({ done: 2, ended: 'idle' });
  });

  it('cancel stops a running analysis and drops queued ones; nothing is saved for them', async () => {
    const store = await library(3);
    syncQueue(store, versions);
    store.jobs.cancel([trackIdByName(store, 'song-03.wav')]);
    const r = runner(store, (file, signal) =>
      file.endsWith('song-01.wav')
        ? new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))))
        : Promise.resolve(real),
    );
    r.once('job-start', () => setTimeout(() => r.cancel([trackIdByName(store, 'song-01.wav')]), 50));
    expect(await r.runUntilIdle()).toMatchObject({ done: 1, cancelled: 1 });
    expect(stateOf(store, 'song-01.wav')).toBe('cancelled');
    expect(stateOf(store, 'song-02.wav')).toBe('done');
    expect(stateOf(store, 'song-03.wav')).toBe('cancelled');
    expect(store.analyses.forTrack(trackIdByName(store, 'song-01.wav'))).toEqual([]);
    // Cancelled jobs stay cancelled on the next sync, until retried.
    expect(syncQueue(store, versions)).toEqual({ added: 0, requeued: 0 });
    expect(store.jobs.retry()).toBe(2);
    expect(await runner(store).runUntilIdle()).toMatchObject({ done: 2 });
  });

  it('a file that changes while it is analysed is analysed again: the stale run is stopped and its result dropped', async () => {
    const store = await library(1);
    syncQueue(store, versions);
    const id = trackIdByName(store, 'song-01.wav');
    let runs = 0;
    const r = runner(store, (_file, signal) =>
      ++runs === 1 ? new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))) : Promise.resolve(real),
      { concurrency: 2 }, // the other worker may take the job again before the stale run has stopped
    );
    r.once('job-start', () => setTimeout(() => syncQueue(store, versions, { changedTrackIds: [id] }), 50));
    expect(await r.runUntilIdle()).toMatchObject({ done: 1, cancelled: 1 });
    expect(runs).toBe(2);
    expect(store.jobs.forTrack(id)).toMatchObject([{ state: 'done', attempts: 1 }]);
  });

  it('retries a failing file with exponential back-off (persisted retry time, injected clock), then succeeds', async () => {
    const store = await library(2);
    syncQueue(store, versions);
    let clock = 1_000_000;
    let failures = 0;
    const flaky: Script = async (file) => {
      if (file.endsWith('song-02.wav') && failures < 2) {
        failures++;
        throw new DecodeError('UNREADABLE', file, `Can't read "song-02.wav": too many open files`);
      }
      return real;
    };
    const retry = { baseDelayMs: 1000, maxAttempts: 4 };
    const id = trackIdByName(store, 'song-02.wav');
    const opts = { now: () => clock, retry };
    expect(await runner(store, flaky, opts).runUntilIdle()).toMatchObject({ done: 1, retried: 1, ended: 'idle' });
    let job = store.jobs.forTrack(id)[0]!;
    expect(job).toMatchObject({ state: 'queued', attempts: 1, nextAttemptAt: clock + 1000, errorCode: 'UNREADABLE' });
    expect(store.jobs.counts(clock).waiting).toBe(1);
    // Not due yet: nothing runs.
    expect(await runner(store, flaky, opts).runUntilIdle()).toMatchObject({ done: 0, retried: 0 });
    clock += 1000;
    expect(await runner(store, flaky, opts).runUntilIdle()).toMatchObject({ retried: 1 });
    job = store.jobs.forTrack(id)[0]!;
    expect(job).toMatchObject({ attempts: 2, nextAttemptAt: clock + 2000 });
    clock += 2000;
    expect(await runner(store, flaky, opts).runUntilIdle()).toMatchObject({ done: 1 });
    expect(store.jobs.forTrack(id)[0]).toMatchObject({ state: 'done', attempts: 3, error: null });
    expect(backoffDelay(1, DEFAULT_RETRY)).toBe(30_000);
    expect(backoffDelay(3, DEFAULT_RETRY)).toBe(120_000);
    expect(backoffDelay(30, DEFAULT_RETRY)).toBe(DEFAULT_RETRY.maxDelayMs);
  });

  it('gives up after the last attempt; a damaged file fails at once, its error recorded so it is not re-queued', async () => {
    const store = await library(2);
    syncQueue(store, versions);
    let clock = 5_000;
    const script: Script = async (file) => {
      if (file.endsWith('song-01.wav')) throw new DecodeError('CORRUPT', file, `"song-01.wav" is damaged: no audio frames`);
      throw new Error('something odd');
    };
    const opts = { now: () => clock, retry: { baseDelayMs: 10, maxAttempts: 2 } };
    expect(await runner(store, script, opts).runUntilIdle()).toMatchObject({ failed: 1, retried: 1 });
    expect(store.jobs.forTrack(trackIdByName(store, 'song-01.wav'))[0]).toMatchObject({ state: 'failed', attempts: 1, errorCode: 'CORRUPT' });
    clock += 10;
    expect(await runner(store, script, opts).runUntilIdle()).toMatchObject({ failed: 1 });
    expect(store.jobs.forTrack(trackIdByName(store, 'song-02.wav'))[0]).toMatchObject({ state: 'failed', attempts: 2, error: 'something odd' });
    expect(store.analyses.forTrack(trackIdByName(store, 'song-01.wav')).every((a) => a.error?.includes('damaged'))).toBe(true);
    expect(store.analyses.tracksNeeding(versions)).toEqual([]);
    expect(syncQueue(store, versions)).toEqual({ added: 0, requeued: 0 });
    expect(store.jobs.retry()).toBe(2);
    expect(store.jobs.counts()).toMatchObject({ queued: 2, failed: 0 });
  });

  it('takes over from a killed runner: its running jobs go back to the queue, unless its process is alive', async () => {
    const store = await library(2);
    syncQueue(store, versions);
    const orphan = store.jobs.claim('99999999:dead/1')!;
    expect(orphan.state).toBe('running');
    store.jobs.tryLock({ owner: '99999999:dead', pid: 99999999, heartbeatAt: Date.now() }, 20_000, () => true);
    expect(await runner(store).runUntilIdle()).toMatchObject({ done: 2 });
    expect(store.jobs.forTrack(orphan.trackId)[0]).toMatchObject({ state: 'done', attempts: 1 });
    // A live holder (this very process, another runner) keeps the queue.
    store.jobs.tryLock({ owner: 'other', pid: process.pid, heartbeatAt: Date.now() }, 20_000, () => true);
    expect(() => runner(store).start()).toThrow(QueueLockedError);
    store.jobs.unlock('other');
  });
});
