import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Scanner } from '../../app/library/scanner.ts';
import { addRoot } from '../../app/library/roots.ts';
import { readTrack } from '../../app/library/readTrack.ts';
import type { Store } from '../../app/store/index.ts';
import { encodedFixtures, expectedTags, expectedFormat, FIXTURE_FORMATS, type FixtureFormat } from '../fixtures/encoded.ts';
import { hashTree, textAsAudio, truncated, unicodeNames, wrongExtension, zeroByte, UNICODE_NAMES } from '../fixtures/broken.ts';
import { memoryStore, statTree, tempDir } from './helpers.ts';

let fx: Record<FixtureFormat, string>;
const cleanups: string[] = [];

beforeAll(async () => {
  fx = await encodedFixtures();
});
afterEach(async () => {
  for (const d of cleanups.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

async function musicDir(): Promise<string> {
  const d = await tempDir('ln-music-');
  cleanups.push(d);
  return d;
}

async function scan(store: Store, dir: string, opts: ConstructorParameters<typeof Scanner>[1] = {}) {
  const root = await addRoot(store, dir);
  return new Scanner(store, opts).scanRoot(store.roots.byId(root.id)!);
}

describe('scanner', () => {
  it('reads format facts and tags of every supported format', async () => {
    const dir = await musicDir();
    for (const f of FIXTURE_FORMATS) await fs.copyFile(fx[f], path.join(dir, path.basename(fx[f])));
    const store = memoryStore();
    const r = await scan(store, dir);
    expect(r.outcome).toBe('completed');
    expect(r.issues).toEqual([]);
    expect(r.counts.added).toBe(FIXTURE_FORMATS.length);
    for (const f of FIXTURE_FORMATS) {
      const t = store.tracks.byPath(path.join(dir, path.basename(fx[f])))!;
      const want = expectedTags[f];
      const fmt = expectedFormat[f];
      expect(t, f).toMatchObject({ title: want.title, artist: want.artist, album: want.album, trackNo: want.track.no, year: want.year });
      expect(t.container, f).toBe(fmt.container);
      expect(t.codec, f).toBe(fmt.codec);
      expect(t.sampleRate, f).toBe(fmt.sampleRate);
      expect(t.channels, f).toBe(2);
      expect(t.duration!, f).toBeGreaterThan(1.4);
      expect(t.duration!, f).toBeLessThan(1.7);
      expect(t.hasArtwork, f).toBe(want.picture);
      if (want.bpm) expect(t.tagBpm, f).toBe(want.bpm);
      if (want.key) expect(t.tagKey, f).toBe(want.key);
      if (want.albumArtist) expect(t.albumArtist, f).toBe(want.albumArtist);
      if (want.composer) expect(t.composer, f).toBe(want.composer);
      expect(t.fingerprint).toMatch(/^[0-9a-f]{40}$/);
    }
  });

  it('recognises audio by content: a FLAC named .mp3 and an mp3 without extension', async () => {
    const dir = await musicDir();
    const w = await wrongExtension(dir);
    const store = memoryStore();
    const r = await scan(store, dir);
    expect(r.issues).toEqual([]);
    expect(store.tracks.byPath(w.flacAsMp3)!.codec).toBe('FLAC');
    expect(store.tracks.byPath(w.mp3NoExtension)!.codec).toBe('MPEG 1 Layer 3');
  });

  it('ignores non-audio files that have no audio extension, and pictures without opening them', async () => {
    const dir = await musicDir();
    await fs.writeFile(path.join(dir, 'README'), 'hello');
    await fs.writeFile(path.join(dir, 'cover.jpg'), 'not even a jpeg');
    await fs.copyFile(fx.mp3, path.join(dir, 'a.mp3'));
    const store = memoryStore();
    const r = await scan(store, dir);
    expect(r.issues).toEqual([]);
    expect(store.tracks.list()).toHaveLength(1);
  });

  it('rescans incrementally: unchanged files are skipped, changed ones re-read', async () => {
    const dir = await musicDir();
    await fs.copyFile(fx.mp3, path.join(dir, 'a.mp3'));
    await fs.copyFile(fx.flac, path.join(dir, 'b.flac'));
    const store = memoryStore();
    await scan(store, dir);
    let reads = 0;
    const counting = { readTrack: async (f: string) => (reads++, readTrack(f)) };
    const again = await scan(store, dir, counting);
    expect(again.counts).toMatchObject({ unchanged: 2, added: 0, updated: 0 });
    expect(reads).toBe(0);
    const id = store.tracks.byPath(path.join(dir, 'b.flac'))!.id;
    await fs.copyFile(fx['m4a-alac'], path.join(dir, 'b.flac')); // content replaced in place
    const third = await scan(store, dir, counting);
    expect(third.counts).toMatchObject({ unchanged: 1, updated: 1 });
    expect(reads).toBe(1);
    expect(store.tracks.byPath(path.join(dir, 'b.flac'))).toMatchObject({ id, codec: 'ALAC' });
  });

  it('keeps the track id of a moved or renamed file, and treats a copy as a new track', async () => {
    const dir = await musicDir();
    await fs.copyFile(fx.flac, path.join(dir, 'old name.flac'));
    const store = memoryStore();
    await scan(store, dir);
    const id = store.tracks.byPath(path.join(dir, 'old name.flac'))!.id;
    await fs.mkdir(path.join(dir, 'Sorted', 'Album'), { recursive: true });
    await fs.rename(path.join(dir, 'old name.flac'), path.join(dir, 'Sorted', 'Album', '01 new name.flac'));
    const r = await scan(store, dir);
    expect(r.counts).toMatchObject({ moved: 1, added: 0, missing: 0 });
    expect(store.tracks.byPath(path.join(dir, 'Sorted', 'Album', '01 new name.flac'))!.id).toBe(id);
    await fs.copyFile(path.join(dir, 'Sorted', 'Album', '01 new name.flac'), path.join(dir, 'copy.flac'));
    const r2 = await scan(store, dir);
    expect(r2.counts).toMatchObject({ moved: 0, added: 1 });
    expect(store.tracks.byPath(path.join(dir, 'copy.flac'))!.id).not.toBe(id);
  });

  it('keeps the id when a file moves between two music folders', async () => {
    const a = await musicDir();
    const b = await musicDir();
    await fs.copyFile(fx.ogg, path.join(a, 'x.ogg'));
    const store = memoryStore();
    await scan(store, a);
    await scan(store, b);
    const id = store.tracks.byPath(path.join(a, 'x.ogg'))!.id;
    await fs.copyFile(path.join(a, 'x.ogg'), path.join(b, 'x.ogg'));
    await fs.rm(path.join(a, 'x.ogg'));
    await scan(store, b);
    const moved = store.tracks.byPath(path.join(b, 'x.ogg'))!;
    expect(moved.id).toBe(id);
    expect(moved.rootId).toBe(store.roots.byPath(b)!.id);
    const ra = await scan(store, a);
    expect(ra.counts.missing).toBe(0);
  });

  it('marks a deleted file missing, not erased, and present again when it comes back', async () => {
    const dir = await musicDir();
    await fs.copyFile(fx.mp3, path.join(dir, 'a.mp3'));
    await fs.copyFile(fx.flac, path.join(dir, 'b.flac'));
    const store = memoryStore();
    await scan(store, dir);
    const backup = await fs.readFile(path.join(dir, 'a.mp3'));
    const st = await fs.stat(path.join(dir, 'a.mp3'));
    await fs.rm(path.join(dir, 'a.mp3'));
    const r = await scan(store, dir);
    expect(r.counts.missing).toBe(1);
    const t = store.tracks.byPath(path.join(dir, 'a.mp3'))!;
    expect(t.status).toBe('missing');
    expect(t.missingSince).toBeGreaterThan(0);
    await fs.writeFile(path.join(dir, 'a.mp3'), backup);
    await fs.utimes(path.join(dir, 'a.mp3'), st.atime, st.mtime);
    await scan(store, dir);
    expect(store.tracks.byPath(path.join(dir, 'a.mp3'))).toMatchObject({ id: t.id, status: 'present' });
  });

  it('marks a vanished root offline and touches nothing under it', async () => {
    const parent = await musicDir();
    const dir = path.join(parent, 'USB Drive');
    await fs.mkdir(dir);
    await fs.copyFile(fx.mp3, path.join(dir, 'a.mp3'));
    const store = memoryStore();
    await scan(store, dir);
    await fs.rename(dir, path.join(parent, 'elsewhere'));
    const root = store.roots.byPath(dir)!;
    const r = await new Scanner(store).scanRoot(root);
    expect(r.outcome).toBe('root-offline');
    expect(store.roots.byId(root.id)!.status).toBe('offline');
    expect(store.tracks.list()[0]!.status).toBe('present');
    expect(store.scanLog.errors()[0]).toMatchObject({ path: dir, code: 'ROOT_OFFLINE' });
  });

  it('treats an emptied mount point as offline, never as every track deleted', async () => {
    const dir = await musicDir();
    await fs.copyFile(fx.mp3, path.join(dir, 'a.mp3'));
    const store = memoryStore();
    await scan(store, dir);
    await fs.rm(path.join(dir, 'a.mp3'));
    const r = await new Scanner(store).scanRoot(store.roots.byPath(dir)!);
    expect(r.outcome).toBe('root-offline');
    expect(store.tracks.list()[0]!.status).toBe('present');
  });

  it('reads in worker threads with the same results (facts and errors) as on the main thread', async () => {
    const dir = await musicDir();
    for (let i = 0; i < 70; i++) {
      const f = FIXTURE_FORMATS[i % FIXTURE_FORMATS.length]!;
      await fs.copyFile(fx[f], path.join(dir, `${String(i).padStart(2, '0')}${path.extname(fx[f])}`));
    }
    await zeroByte(dir, 'empty.mp3');
    await textAsAudio(dir, 'text.flac');
    const threaded = memoryStore();
    const single = memoryStore();
    const a = await scan(threaded, dir, { readerThreads: 2 });
    const b = await scan(single, dir, { readerThreads: 0 });
    expect(a.counts).toEqual(b.counts);
    const strip = (s: Store) =>
      s.tracks
        .list()
        .map(({ id: _i, addedAt: _a, updatedAt: _u, ...t }) => t)
        .sort((x, y) => x.path.localeCompare(y.path));
    expect(strip(threaded)).toEqual(strip(single));
    const errs = (s: Store) => s.scanLog.errors().map((e) => [e.path, e.code, e.message]).sort();
    expect(errs(threaded)).toEqual(errs(single));
    expect(errs(single)).toHaveLength(2);
  });

  it('emits progress with rate and ETA', async () => {
    const dir = await musicDir();
    for (let i = 0; i < 5; i++) await fs.copyFile(fx.mp3, path.join(dir, `${i}.mp3`));
    const store = memoryStore();
    const events: { phase: string; filesDone: number; filesTotal: number }[] = [];
    await scan(store, dir, { onProgress: (p) => events.push(p) });
    expect(events.at(-1)).toMatchObject({ phase: 'done', filesDone: 5, filesTotal: 5 });
    expect(events.some((e) => e.phase === 'reading')).toBe(true);
  });
});

describe('scanner bad input: each ends as a scan_errors row, the scan completes', () => {
  async function scanOne(setup: (dir: string) => Promise<unknown>, opts: ConstructorParameters<typeof Scanner>[1] = {}, deletedByTest: string[] = []) {
    const dir = await musicDir();
    await fs.copyFile(fx.mp3, path.join(dir, 'good.mp3'));
    await setup(dir);
    const before = await hashTree(dir);
    const store = memoryStore();
    const r = await scan(store, dir, opts);
    for (const name of deletedByTest) before.delete(name);
    expect(await hashTree(dir)).toEqual(before);
    return { dir, store, r, errors: store.scanLog.errors() };
  }

  it('zero-byte file', async () => {
    const { r, errors, store } = await scanOne((d) => zeroByte(d, 'empty.mp3'));
    expect(r.outcome).toBe('completed');
    expect(errors).toMatchObject([{ code: 'EMPTY', message: expect.stringContaining('empty (0 bytes)') }]);
    expect(store.tracks.list()).toHaveLength(1);
  });

  it('truncated mp3', async () => {
    const size = (await fs.stat(fx.mp3)).size;
    const { errors } = await scanOne((d) => truncated(fx.mp3, d, 'cut.mp3', Math.floor(size * 0.4)));
    expect(errors).toMatchObject([{ code: 'TRUNCATED', message: expect.stringContaining('incomplete') }]);
  });

  it('truncated flac', async () => {
    const size = (await fs.stat(fx.flac)).size;
    const { errors } = await scanOne((d) => truncated(fx.flac, d, 'cut.flac', Math.floor(size * 0.4)));
    expect(errors).toMatchObject([{ code: 'TRUNCATED', message: expect.stringContaining('FLAC') }]);
  });

  it.each(['ogg', 'opus', 'm4a-aac', 'wav', 'aiff'] as const)('truncated %s', async (f) => {
    const size = (await fs.stat(fx[f])).size;
    const { errors } = await scanOne((d) => truncated(fx[f], d, 'cut' + path.extname(fx[f]), Math.floor(size * 0.5)));
    expect(errors).toHaveLength(1);
    expect(['TRUNCATED', 'CORRUPT']).toContain(errors[0]!.code);
  });

  it('a text file named .mp3', async () => {
    const { errors } = await scanOne((d) => textAsAudio(d, 'notes.mp3'));
    expect(errors).toMatchObject([{ code: 'NOT_AUDIO', message: expect.stringContaining('not an audio file') }]);
  });

  it('unicode, emoji, RTL and 250-byte names', async () => {
    const { store, errors, dir } = await scanOne((d) => unicodeNames(d));
    expect(errors).toEqual([]);
    for (const name of UNICODE_NAMES) expect(store.tracks.byPath(path.join(dir, name)), name).toBeDefined();
  });

  it('a symlink loop', async () => {
    const { errors, r } = await scanOne(async (d) => {
      await fs.mkdir(path.join(d, 'sub'));
      await fs.symlink('..', path.join(d, 'sub', 'loop'));
      await fs.symlink('self', path.join(d, 'self'));
    });
    expect(r.outcome).toBe('completed');
    expect(errors.map((e) => e.code).sort()).toEqual(['SYMLINK_LOOP', 'SYMLINK_LOOP']);
  });

  it('a file deleted between listing and reading', async () => {
    let victim = '';
    const { errors, r } = await scanOne(
      async (d) => {
        victim = path.join(d, 'doomed.flac');
        await fs.copyFile(fx.flac, victim);
      },
      { readTrack: async (f) => (f === victim && (await fs.rm(f)), readTrack(f)) },
      ['doomed.flac'],
    );
    expect(r.outcome).toBe('completed');
    expect(errors).toMatchObject([{ path: victim, code: 'VANISHED', message: expect.stringContaining('disappeared') }]);
  });

  it('a root that vanishes mid-scan: offline, nothing marked missing', async () => {
    const parent = await musicDir();
    const dir = path.join(parent, 'share');
    await fs.mkdir(dir);
    for (let i = 0; i < 4; i++) await fs.copyFile(fx.mp3, path.join(dir, `${i}.mp3`));
    const store = memoryStore();
    await scan(store, dir);
    for (let i = 0; i < 4; i++) await fs.appendFile(path.join(dir, `${i}.mp3`), ''); // unchanged size
    await fs.utimes(path.join(dir, '0.mp3'), new Date(), new Date(Date.now() + 5000));
    await fs.utimes(path.join(dir, '1.mp3'), new Date(), new Date(Date.now() + 5000));
    let vanished = false;
    const r = await new Scanner(store, {
      concurrency: 1,
      readTrack: async (f) => {
        if (!vanished) {
          vanished = true;
          await fs.rename(dir, path.join(parent, 'unmounted'));
        }
        return readTrack(f);
      },
    }).scanRoot(store.roots.byPath(dir)!);
    expect(r.outcome).toBe('root-offline');
    expect(store.tracks.list({ status: 'missing' })).toHaveLength(0);
    expect(store.scanLog.errors().map((e) => e.code)).toContain('ROOT_OFFLINE');
  });

  it('never opens a file for writing (stat and hash identical after scanning everything above)', async () => {
    const dir = await musicDir();
    for (const f of FIXTURE_FORMATS) await fs.copyFile(fx[f], path.join(dir, path.basename(fx[f])));
    await zeroByte(dir, 'z.mp3');
    await textAsAudio(dir);
    const before = { hash: await hashTree(dir), stat: await statTree(dir) };
    const store = memoryStore();
    await scan(store, dir);
    await scan(store, dir);
    expect(await hashTree(dir)).toEqual(before.hash);
    expect(await statTree(dir)).toEqual(before.stat);
  });
});
