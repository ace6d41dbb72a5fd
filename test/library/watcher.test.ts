import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import { Scanner } from '../../app/library/scanner.ts';
import { addRoot } from '../../app/library/roots.ts';
import { LibraryWatcher, chokidarWatcher, type CreateFsWatcher, type FsWatcherLike } from '../../app/library/watcher.ts';
import type { Store } from '../../app/store/index.ts';
import { encodedFixtures, type FixtureFormat } from '../fixtures/encoded.ts';
import { hashTree } from '../fixtures/broken.ts';
import { memoryStore, tempDir } from './helpers.ts';

let fx: Record<FixtureFormat, string>;
const cleanups: (() => Promise<void>)[] = [];
beforeAll(async () => {
  fx = await encodedFixtures();
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function waitFor(cond: () => boolean, timeoutMs = 20_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function watched(opts: { createWatcher?: CreateFsWatcher } = {}): Promise<{ dir: string; store: Store; watcher: LibraryWatcher }> {
  const dir = await tempDir('ln-watch-');
  const store = memoryStore();
  const root = await addRoot(store, dir);
  const scanner = new Scanner(store);
  await scanner.scanRoot(root);
  const watcher = new LibraryWatcher(store, scanner, { debounceMs: 100, stabilityMs: 300, createWatcher: opts.createWatcher });
  await watcher.start();
  cleanups.push(async () => {
    await watcher.close();
    await fs.rm(dir, { recursive: true, force: true });
  });
  return { dir: await fs.realpath(dir), store, watcher };
}

describe('watcher', () => {
  it('picks up added, renamed (same id) and deleted files', async () => {
    const { dir, store } = await watched();
    await fs.copyFile(fx.flac, path.join(dir, 'new.flac'));
    await waitFor(() => store.tracks.byPath(path.join(dir, 'new.flac')) !== undefined);
    const id = store.tracks.byPath(path.join(dir, 'new.flac'))!.id;
    await fs.mkdir(path.join(dir, 'Album'));
    await fs.rename(path.join(dir, 'new.flac'), path.join(dir, 'Album', 'renamed.flac'));
    await waitFor(() => store.tracks.byPath(path.join(dir, 'Album', 'renamed.flac')) !== undefined);
    expect(store.tracks.byPath(path.join(dir, 'Album', 'renamed.flac'))!.id).toBe(id);
    expect(store.tracks.list()).toHaveLength(1);
    await fs.rm(path.join(dir, 'Album', 'renamed.flac'));
    await waitFor(() => store.tracks.byId(id)!.status === 'missing');
  });

  it('waits for a file that is still being copied', async () => {
    const { dir, store, watcher } = await watched();
    const data = await fs.readFile(fx.flac);
    const target = path.join(dir, 'slow copy.flac');
    const fh = await fs.open(target, 'w');
    for (let i = 0; i < 8; i++) {
      await fh.write(data.subarray(Math.floor((i * data.length) / 8), Math.floor(((i + 1) * data.length) / 8)));
      await new Promise((r) => setTimeout(r, 150));
    }
    await fh.close();
    await waitFor(() => store.tracks.byPath(target) !== undefined);
    await watcher.idle();
    expect(store.scanLog.errors()).toEqual([]);
    expect(store.tracks.byPath(target)!.codec).toBe('FLAC');
  });

  it('survives a burst of 10,000 file events with bounded memory', async () => {
    const { dir, store, watcher } = await watched();
    const wav = await fs.readFile(fx.wav);
    const small = wav.subarray(0, 44 + 4 * 2000); // header of a tiny WAV: data chunk sized below
    const header = Buffer.from(small);
    header.writeUInt32LE(small.length - 8, 4);
    // find the data chunk and fix its size
    const dataAt = header.indexOf('data');
    header.writeUInt32LE(small.length - dataAt - 8, dataAt + 4);
    const heapBefore = process.memoryUsage().heapUsed;
    let peakHeap = heapBefore;
    const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 100);
    for (let d = 0; d < 100; d++) {
      const sub = path.join(dir, `folder ${d}`);
      await fs.mkdir(sub);
      await Promise.all(
        Array.from({ length: 100 }, (_, i) => {
          const distinct = Buffer.from(header);
          distinct.writeUInt32LE(d * 100 + i, dataAt + 8); // different audio in every file
          return fs.writeFile(path.join(sub, `${i}.wav`), distinct);
        }),
      );
    }
    await waitFor(() => store.tracks.count() === 10_000, 120_000);
    await watcher.idle();
    clearInterval(sampler);
    expect(store.tracks.count()).toBe(10_000);
    expect(watcher.pendingCount).toBe(0);
    expect(peakHeap - heapBefore).toBeLessThan(300 * 1024 * 1024);
  }, 180_000);

  it('falls back to polling with a clear warning when the OS watch limit is hit', async () => {
    const made: { usePolling: boolean }[] = [];
    const create: CreateFsWatcher = (paths, opts) => {
      made.push(opts);
      if (!opts.usePolling) {
        const fake = new EventEmitter() as EventEmitter & FsWatcherLike;
        fake.close = async () => {};
        setTimeout(() => {
          fake.emit('ready');
          fake.emit('error', Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), { code: 'ENOSPC' }));
        }, 10);
        return fake;
      }
      return chokidarWatcher(paths, { ...opts, interval: 100 });
    };
    const { dir, store, watcher } = await watched({ createWatcher: create });
    const warnings: string[] = [];
    watcher.on('warning', (w: string) => warnings.push(w));
    await waitFor(() => watcher.usingPolling);
    expect(made.map((m) => m.usePolling)).toEqual([false, true]);
    await waitFor(() => warnings.length > 0 || made.length === 2);
    await fs.copyFile(fx.mp3, path.join(dir, 'polled.mp3'));
    await waitFor(() => store.tracks.byPath(path.join(dir, 'polled.mp3')) !== undefined);
  });

  it('never writes to music files during a watch session', async () => {
    const { dir, store, watcher } = await watched();
    await fs.copyFile(fx.mp3, path.join(dir, 'a.mp3'));
    await fs.copyFile(fx['m4a-aac'], path.join(dir, 'b.m4a'));
    await waitFor(() => store.tracks.count() === 2);
    const before = await hashTree(dir);
    await fs.rename(path.join(dir, 'a.mp3'), path.join(dir, 'c.mp3'));
    await waitFor(() => store.tracks.byPath(path.join(dir, 'c.mp3')) !== undefined);
    await watcher.idle();
    const after = await hashTree(dir);
    expect(after.get('c.mp3')).toBe(before.get('a.mp3'));
    expect(after.get('b.m4a')).toBe(before.get('b.m4a'));
  });
});
