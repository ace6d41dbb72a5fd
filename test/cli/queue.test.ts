// `linernotes queue …`, `scan` queuing new tracks, `analyze --all` running the queue in worker
// processes, and a `kill -9` of the process running the queue: no job lost, none done twice.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../app/cli/exitCodes.ts';
import { openStore } from '../../app/store/index.ts';
import { tempDir } from '../library/helpers.ts';
import { trackIdByName, writeSongs } from '../queue/helpers.ts';
import { writeToneWav } from '../worker/helpers.ts';
import { runInProcess, runLinernotes } from './run.ts';
import { encodedFixtures } from '../fixtures/encoded.ts';

let base: string;
beforeAll(async () => {
  base = await tempDir('ln-cli-queue-');
});
afterAll(async () => {
  await fs.rm(base, { recursive: true, force: true });
});

async function library(name: string, songs: number, seconds = 3): Promise<{ data: string; music: string }> {
  const dir = path.join(base, name);
  await writeSongs(dir, songs, [], seconds);
  return { data: path.join(dir, 'data'), music: path.join(dir, 'music') };
}

const json = async (args: string[]) => {
  const r = await runInProcess([...args, '--json']);
  return JSON.parse(r.stdout);
};

describe('linernotes queue', () => {
  it('scan queues new tracks; pause, resume, cancel, retry and status; analyze --all runs the queue', async () => {
    const { data, music } = await library('cmds', 3);
    const scan = await runInProcess(['--data-dir', data, 'scan', music]);
    expect(scan.code, scan.stderr).toBe(EXIT.OK);
    expect(scan.stdout).toMatch(/queued 3 track\(s\) for analysis/);
    let s = await json(['--data-dir', data, 'queue', 'status']);
    expect(s).toMatchObject({ paused: false, runner: null, runnable: 3, counts: { queued: 3, done: 0 } });
    expect(s.concurrency).toBeGreaterThanOrEqual(1);

    expect((await runInProcess(['--data-dir', data, 'queue', 'pause'])).stdout).toMatch(/paused/);
    const paused = await runInProcess(['--data-dir', data, 'analyze', '--all']);
    expect(paused.code).toBe(EXIT.OK);
    expect(paused.stderr).toMatch(/queue is paused with 3 track\(s\)/);
    expect((await runInProcess(['--data-dir', data, 'queue', 'resume'])).stdout).toMatch(/resumed/);

    // The scanner reads files in parallel, so ids follow no name order: cancel song-01's by its id.
    const store = openStore(data);
    const song1 = trackIdByName(store, 'song-01.wav');
    store.close();
    expect((await json(['--data-dir', data, 'queue', 'cancel', String(song1)])).cancelled).toBe(1);
    const run = await runInProcess(['--data-dir', data, 'analyze', '--all']);
    expect(run.code, run.stderr).toBe(EXIT.OK);
    expect(run.stdout).toMatch(/\[2\/2\] song-0[23]\.wav: \d+ BPM/);
    expect(run.stdout).toMatch(/analysed 2 track\(s\)/);
    s = await json(['--data-dir', data, 'queue', 'status']);
    expect(s.counts).toMatchObject({ done: 2, cancelled: 1, queued: 0 });

    expect((await json(['--data-dir', data, 'queue', 'retry'])).queue.counts).toMatchObject({ queued: 1, cancelled: 0 });
    const rest = await json(['--data-dir', data, 'analyze', '--all']);
    expect(rest).toMatchObject({ analysed: 1, failed: 0, ended: 'idle', queue: { counts: { done: 3, queued: 0 } } });
    expect((await runInProcess(['--data-dir', data, 'analyze'])).stdout).toMatch(/up to date/);

    expect((await json(['--data-dir', data, 'queue', 'concurrency', '2'])).concurrency).toBe(2);
    expect((await runInProcess(['--data-dir', data, 'queue', 'concurrency', '0'])).code).toBe(EXIT.USAGE);
    expect((await runInProcess(['--data-dir', data, 'queue', 'frobnicate'])).code).toBe(EXIT.USAGE);
    expect((await runInProcess(['--data-dir', data, 'queue', 'cancel', 'abc'])).code).toBe(EXIT.USAGE);
  }, 120_000);

  it('a file the decoder refuses fails at once with its error, shown by queue status; the rest are analysed (exit 3)', async () => {
    const { data, music } = await library('bad', 1);
    // The scanner reads an AAC-in-MP4 file's tags; with no ffmpeg to decode AAC the analysis refuses its codec (UNSUPPORTED_CODEC).
    await fs.copyFile((await encodedFixtures())['m4a-aac'], path.join(music, 'aac.m4a'));
    await runInProcess(['--data-dir', data, 'scan', music]);
    const savedFfmpeg = process.env.LINERNOTES_FFMPEG;
    process.env.LINERNOTES_FFMPEG = path.join(data, 'no-ffmpeg-here'); // inherited by the worker processes
    const run = await runInProcess(['--data-dir', data, 'analyze', '--all']).finally(() => {
      if (savedFfmpeg === undefined) delete process.env.LINERNOTES_FFMPEG;
      else process.env.LINERNOTES_FFMPEG = savedFfmpeg;
    });
    expect(run.code, run.stderr).toBe(EXIT.FILE_ERRORS);
    expect(run.stderr).toMatch(/! aac\.m4a: /);
    const status = await json(['--data-dir', data, 'queue', 'status']);
    expect(status.counts).toMatchObject({ done: 1, failed: 1 });
    expect(status.failed[0]).toMatchObject({ code: 'UNSUPPORTED_CODEC', attempts: 1, path: expect.stringMatching(/aac\.m4a$/) });
    expect((await runInProcess(['--data-dir', data, 'queue'])).stdout).toMatch(/! +\d+ aac\.m4a: .+/);
  }, 120_000);
});

describe('linernotes watch', () => {
  it('queues a file added while watching and analyses it in the background; SIGTERM stops cleanly', async () => {
    const { data, music } = await library('watch', 1);
    expect((await runInProcess(['--data-dir', data, 'roots', 'add', music])).code).toBe(EXIT.OK);
    let pid = 0;
    const watching = runLinernotes(['--data-dir', data, 'watch'], { onSpawn: (p) => (pid = p) });
    const done = async () => {
      const s = await json(['--data-dir', data, 'queue', 'status']).catch(() => undefined);
      return (s?.counts.done as number | undefined) ?? 0;
    };
    const until = async (n: number) => {
      for (let i = 0; i < 300 && (await done()) < n; i++) await new Promise((r) => setTimeout(r, 200));
    };
    await until(1);
    await writeToneWav(path.join(music, 'added-later.wav'), 3);
    await until(2);
    process.kill(pid, 'SIGTERM');
    const r = await watching;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/analysed song-01\.wav/);
    expect(r.stdout).toMatch(/analysed added-later\.wav/);
    const store = openStore(data);
    try {
      expect(store.analyses.analysedCount()).toBe(2);
      expect(store.jobs.counts()).toMatchObject({ done: 2, running: 0, queued: 0 });
      expect(store.jobs.runnerLock()).toBeUndefined();
    } finally {
      store.close();
    }
  }, 180_000);
});

describe('kill -9 of the process running the queue', () => {
  it('loses no job and does none twice; the database passes integrity_check', async () => {
    const { data, music } = await library('kill', 8, 4);
    expect((await runInProcess(['--data-dir', data, 'scan', music])).code).toBe(EXIT.OK);
    const dbFile = path.join(data, 'library.db');
    const doneCount = () => {
      const db = new Database(dbFile, { readonly: true, fileMustExist: true });
      try {
        return (db.prepare(`SELECT count(*) AS n FROM jobs WHERE state = 'done'`).get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    let pid = 0;
    const running = runLinernotes(['--data-dir', data, 'analyze', '--all', '--workers', '1'], { onSpawn: (p) => (pid = p) });
    let killedAt = -1;
    let workers: number[] = [];
    for (let i = 0; i < 600; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const n = doneCount();
      if (n >= 3) {
        workers = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' })
          .split('\n')
          .filter((line) => line.includes('analysis-worker.js'))
          .map((line) => parseInt(line, 10));
        process.kill(pid, 'SIGKILL');
        killedAt = n;
        break;
      }
    }
    const killed = await running;
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    expect(killedAt).toBeGreaterThanOrEqual(3);
    // Its worker process notices the parent is gone and exits.
    expect(workers.length).toBe(1);
    const alive = (p: number) => {
      try {
        process.kill(p, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 100 && workers.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
    expect(workers.filter(alive)).toEqual([]);

    // What was saved before the kill, and when.
    const before = openStore(data);
    const doneBefore = new Map(before.jobs.list({ state: 'done' }).map((j) => [j.trackId, before.analyses.summary(j.trackId)!.analysedAt]));
    expect(before.jobs.counts().running + before.jobs.counts().queued + doneBefore.size).toBe(8);
    expect(before.jobs.counts().done).toBe(doneBefore.size);
    before.close();

    const rerun = await runLinernotes(['--data-dir', data, 'analyze', '--all']);
    expect(rerun.code, rerun.stderr).toBe(EXIT.OK);
    expect(rerun.stdout).toMatch(new RegExp(`analysed ${8 - doneBefore.size} track\\(s\\)`));

    const after = openStore(data);
    try {
      const jobs = after.jobs.list();
      expect(jobs.length).toBe(8);
      expect(jobs.every((j) => j.state === 'done' && j.attempts === 1)).toBe(true);
      expect(after.analyses.analysedCount()).toBe(8);
      for (const [trackId, at] of doneBefore) expect(after.analyses.summary(trackId)!.analysedAt).toBe(at);
      expect(after.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(after.jobs.runnerLock()).toBeUndefined();
    } finally {
      after.close();
    }
  }, 180_000);
});
