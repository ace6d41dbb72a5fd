import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { EXIT } from '../../app/cli/exitCodes.ts';
import { encodedFixtures, type FixtureFormat } from '../fixtures/encoded.ts';
import { hashTree, zeroByte } from '../fixtures/broken.ts';
import { generateLibrary } from '../fixtures/library.ts';
import { tempDir } from '../library/helpers.ts';
import { runInProcess, runLinernotes } from './run.ts';

let fx: Record<FixtureFormat, string>;
const cleanups: string[] = [];
beforeAll(async () => {
  fx = await encodedFixtures();
});
afterEach(async () => {
  for (const d of cleanups.splice(0)) {
    await fs.chmod(d, 0o755).catch(() => {});
    await fs.rm(d, { recursive: true, force: true });
  }
});

async function dir(prefix: string): Promise<string> {
  const d = await tempDir(prefix);
  cleanups.push(d);
  return d;
}

const cli = runInProcess;

describe('linernotes CLI', () => {
  it('scan, list --json, stats --json, roots list', async () => {
    const data = await dir('ln-data-');
    const music = await dir('ln-music-');
    await fs.copyFile(fx.mp3, path.join(music, 'a.mp3'));
    await fs.copyFile(fx.flac, path.join(music, 'b.flac'));
    const scan = await cli(['--data-dir', data, 'scan', music]);
    expect(scan.code).toBe(EXIT.OK);
    expect(scan.stdout).toMatch(/2 added/);
    const list = await cli(['--data-dir', data, 'list', '--json']);
    const tracks = JSON.parse(list.stdout) as { title: string; codec: string }[];
    expect(tracks.map((t) => t.codec).sort()).toEqual(['FLAC', 'MPEG 1 Layer 3']);
    const stats = JSON.parse((await cli(['--data-dir', data, 'stats', '--json'])).stdout);
    expect(stats).toMatchObject({ tracks: 2, missing: 0, roots: { online: 1, offline: 0 }, scanErrors: 0 });
    const roots = await cli(['--data-dir', data, 'roots', 'list']);
    expect(roots.stdout).toContain(await fs.realpath(music));
    const json = JSON.parse((await cli(['--data-dir', data, 'scan', '--json'])).stdout);
    expect(json[0].counts).toMatchObject({ unchanged: 2 });
  });

  it('roots add / remove keep tracks for when the folder comes back', async () => {
    const data = await dir('ln-data-');
    const music = await dir('ln-music-');
    await fs.copyFile(fx.ogg, path.join(music, 'a.ogg'));
    expect((await cli(['--data-dir', data, 'roots', 'add', music])).code).toBe(EXIT.OK);
    expect((await cli(['--data-dir', data, 'scan'])).code).toBe(EXIT.OK);
    const id = JSON.parse((await cli(['--data-dir', data, 'list', '--json'])).stdout)[0].id;
    expect((await cli(['--data-dir', data, 'roots', 'remove', music])).code).toBe(EXIT.OK);
    expect(JSON.parse((await cli(['--data-dir', data, 'list', '--json'])).stdout)).toEqual([]);
    expect((await cli(['--data-dir', data, 'roots', 'add', music])).code).toBe(EXIT.OK);
    expect(JSON.parse((await cli(['--data-dir', data, 'list', '--json'])).stdout)[0].id).toBe(id);
    const inner = path.join(music, 'sub');
    await fs.mkdir(inner);
    const nested = await cli(['--data-dir', data, 'roots', 'add', inner]);
    expect(nested.code).toBe(EXIT.USAGE);
    expect(nested.stderr).toMatch(/already part of the music folder/);
  });

  it('exit codes: usage 2, file errors 3, offline root 4, newer database 5', async () => {
    const data = await dir('ln-data-');
    const music = await dir('ln-music-');
    expect((await cli(['--data-dir', data, 'frobnicate'])).code).toBe(EXIT.USAGE);
    const missing = await cli(['--data-dir', data, 'scan', path.join(music, 'nope')]);
    expect(missing.code).toBe(EXIT.USAGE);
    expect(missing.stderr).toMatch(/folder not found/);
    await fs.copyFile(fx.mp3, path.join(music, 'a.mp3'));
    await zeroByte(music, 'empty.flac');
    const withErrors = await cli(['--data-dir', data, 'scan', music]);
    expect(withErrors.code).toBe(EXIT.FILE_ERRORS);
    const errors = JSON.parse((await cli(['--data-dir', data, 'errors', '--json'])).stdout);
    expect(errors).toMatchObject([{ code: 'EMPTY' }]);
    await fs.rename(music, music + '-unplugged');
    cleanups.push(music + '-unplugged');
    const offline = await cli(['--data-dir', data, 'scan']);
    expect(offline.code).toBe(EXIT.ROOT_OFFLINE);
    expect(offline.stdout).toMatch(/offline/);
    const db = new Database(path.join(data, 'library.db'));
    db.pragma('user_version = 999');
    db.close();
    const newer = await cli(['--data-dir', data, 'stats']);
    expect(newer.code).toBe(EXIT.DATABASE);
    expect(newer.stderr).toMatch(/newer than this Linernotes/);
  });

  it('help exits 0', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(EXIT.OK);
    expect(help.stdout).toMatch(/scan/);
  });
});

describe('linernotes CLI as a real process', () => {
  it('demo synthesises a library, scans it, analyses it and searches it', async () => {
    const data = await dir('ln-data-');
    const r = await runLinernotes(['--data-dir', data, 'demo']);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/12 synthesised songs/);
    expect(r.stdout).toMatch(/analysed 12 track\(s\)/);
    // The search step: the demo song built with borrowed chords is found, with its evidence times.
    const modal = r.stdout.slice(r.stdout.indexOf('linernotes search "modal interchange"'));
    expect(modal).toMatch(/^\s+1\. .*Borrowed Light/m);
    expect(modal).toMatch(/why: modal interchange: .*\d:\d\d–\d:\d\d/);
    const waltz = r.stdout.slice(r.stdout.indexOf('linernotes search "waltz"'));
    expect(waltz).toMatch(/^\s+1\. .*Waltz of the Lanterns/m);
  });

  it('files and folders without read permission end as scan errors (permission bits honoured even as root)', async () => {
    const base = await dir('ln-perm-');
    await fs.chmod(base, 0o755);
    const music = path.join(base, 'music');
    const data = path.join(base, 'data');
    await fs.mkdir(music);
    await fs.mkdir(data);
    await fs.copyFile(fx.mp3, path.join(music, 'ok.mp3'));
    await fs.copyFile(fx.flac, path.join(music, 'secret.flac'));
    await fs.mkdir(path.join(music, 'Locked Album'));
    await fs.copyFile(fx.mp3, path.join(music, 'Locked Album', 'x.mp3'));
    await fs.chmod(path.join(music, 'secret.flac'), 0o000);
    await fs.chmod(path.join(music, 'Locked Album'), 0o000);
    const r = await runLinernotes(['--data-dir', data, 'scan', music, '--json'], { honourPermissions: true });
    expect(r.code, r.stderr).toBe(EXIT.FILE_ERRORS);
    const [result] = JSON.parse(r.stdout);
    expect(result.outcome).toBe('completed');
    expect(result.counts.added).toBe(1);
    const codes = Object.fromEntries(result.issues.map((i: { path: string; code: string }) => [path.basename(i.path), i.code]));
    expect(codes).toEqual({ 'secret.flac': 'UNREADABLE', 'Locked Album': 'FOLDER_UNREADABLE' });
    await fs.chmod(path.join(music, 'Locked Album'), 0o755);
    await fs.chmod(path.join(music, 'secret.flac'), 0o644);
  });

  it('watch follows changes until SIGTERM, then exits 0', async () => {
    const data = await dir('ln-data-');
    const music = await dir('ln-music-');
    await fs.copyFile(fx.mp3, path.join(music, 'a.mp3'));
    expect((await runLinernotes(['--data-dir', data, 'roots', 'add', music])).code).toBe(0);
    let pid = 0;
    const watching = runLinernotes(['--data-dir', data, 'watch'], { onSpawn: (p) => (pid = p) });
    const stats = async () => JSON.parse((await runLinernotes(['--data-dir', data, 'stats', '--json'])).stdout) as { tracks: number };
    const until = async (n: number) => {
      for (let i = 0; i < 200 && (await stats()).tracks !== n; i++) await new Promise((r) => setTimeout(r, 100));
    };
    await until(1);
    await new Promise((r) => setTimeout(r, 1500)); // the watcher is up once the first scan is done
    await fs.copyFile(fx.flac, path.join(music, 'b.flac'));
    await until(2);
    expect((await stats()).tracks).toBe(2);
    process.kill(pid, 'SIGTERM');
    const r = await watching;
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/watching 1 music folder/);
    expect(r.stdout).toMatch(/1 added/);
  }, 60_000);

  it('a scan killed with SIGKILL mid-write loses nothing: the database is intact and the next scan completes', async () => {
    const data = await dir('ln-data-');
    const music = await dir('ln-music-');
    const files = await generateLibrary(music, 1500, { seed: 7 });
    const before = await hashTree(music);
    let pid = 0;
    const killer = setInterval(async () => {
      // kill once some tracks have been committed
      try {
        const db = new Database(path.join(data, 'library.db'), { readonly: true, fileMustExist: true });
        const n = (db.prepare('SELECT count(*) n FROM tracks').get() as { n: number }).n;
        db.close();
        if (n > 0 && pid) {
          process.kill(pid, 'SIGKILL');
          clearInterval(killer);
        }
      } catch {
        /* not created yet */
      }
    }, 20);
    const killed = await runLinernotes(['--data-dir', data, 'scan', music], { onSpawn: (p) => (pid = p) });
    clearInterval(killer);
    expect(killed.signal).toBe('SIGKILL');
    const db = new Database(path.join(data, 'library.db'));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const partial = (db.prepare('SELECT count(*) n FROM tracks').get() as { n: number }).n;
    db.close();
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(files.length);
    const again = await runLinernotes(['--data-dir', data, 'scan', '--json']);
    expect(again.code, again.stderr).toBe(0);
    const stats = JSON.parse((await runLinernotes(['--data-dir', data, 'stats', '--json'])).stdout);
    expect(stats.tracks).toBe(files.length);
    expect(await hashTree(music)).toEqual(before);
  }, 120_000);
});
