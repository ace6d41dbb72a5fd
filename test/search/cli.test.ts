// `linernotes search` and `linernotes playlist` end to end on the analysed demo library.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../app/store/index.ts';
import { runInProcess } from '../cli/run.ts';
import { openDemoStore } from './demoFixture.ts';

let store: Store;
let dataDir: string;

beforeAll(async () => {
  ({ store, dataDir } = await openDemoStore());
  store.close();
}, 240_000);
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const cli = (...args: string[]) => runInProcess(['--data-dir', dataDir, ...args]);

describe('linernotes search', () => {
  it('prints ranked hits with a why line; --explain prints the parsed query', async () => {
    const r = await cli('search', 'modal interchange in a major key', '--explain');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('device modal interchange');
    expect(r.stdout).toContain('key mode major');
    expect(r.stdout).toMatch(/Borrowed Light/);
    expect(r.stdout).toMatch(/why: .*modal interchange: 4 ×/);
  });

  it('--json gives hits with evidence timestamps; --limit limits', async () => {
    const r = await cli('search', 'minor key', '--json', '--limit', '2');
    expect(r.code).toBe(0);
    const data = JSON.parse(r.stdout) as { total: number; hits: { evidence: { start: number; end: number }[] }[] };
    expect(data.total).toBe(4);
    expect(data.hits).toHaveLength(2);
    expect(data.hits[0]!.evidence.length).toBeGreaterThan(0);
  });

  it('--facets counts keys, tempo bands, devices, decades and genres', async () => {
    const r = await cli('search', 'without a key change', '--facets', '--json');
    const f = (JSON.parse(r.stdout) as { facets: { total: number; decade: { value: string; count: number }[]; device: { value: string }[] } }).facets;
    expect(f.total).toBe(10);
    expect(f.decade.reduce((a, d) => a + d.count, 0)).toBe(10);
    expect(f.device.map((d) => d.value)).toContain('modal interchange');
  });

  it('an empty query is a usage error with a hint', async () => {
    const r = await cli('search', '   ');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nothing to search for/);
  });

  it('exports a result as CSV', async () => {
    const r = await cli('search', 'waltz', '--format', 'csv');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\r\n')[1]).toMatch(/Waltz of the Lanterns/);
  });
});

describe('linernotes playlist', () => {
  it('saves a live query, lists it, exports it as M3U8 with relative paths, and follows library changes', async () => {
    expect((await cli('playlist', 'save', 'Jazzy', 'genre:jazz')).code).toBe(0);
    const list = await cli('playlist', 'list', '--json');
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ name: 'Jazzy', query: 'genre:jazz', matches: 1 })]);

    const outDir = fs.mkdtempSync(path.join(dataDir, 'lists-'));
    const out = path.join(outDir, 'jazzy.m3u8');
    const r = await cli('playlist', 'export', 'Jazzy', '--format', 'm3u8', '--relative-to', outDir, '--out', out);
    expect(r.code).toBe(0);
    const text = fs.readFileSync(out, 'utf8');
    expect(text.startsWith('#EXTM3U\n')).toBe(true);
    const lines = text.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('#EXTINF:'))).toHaveLength(1);
    const rel = lines.at(-1)!;
    expect(path.isAbsolute(rel)).toBe(false);
    expect(fs.existsSync(path.resolve(outDir, rel))).toBe(true);

    // A tag change (as a rescan would write it) shows up in the playlist: it is a live query.
    const { openStore } = await import('../../app/store/index.ts');
    const s = openStore(dataDir);
    s.db.prepare("UPDATE tracks SET genre = 'Jazz Ballad' WHERE title = 'Higher Still'").run();
    s.close();
    const again = await cli('playlist', 'show', 'Jazzy', '--json');
    expect((JSON.parse(again.stdout) as { total: number }).total).toBe(2);
  });

  it('refuses to write an export onto a music file, and unknown names and formats', async () => {
    const { openStore } = await import('../../app/store/index.ts');
    const s = openStore(dataDir);
    const track = s.tracks.list({ status: 'present' })[0]!;
    s.close();
    const before = fs.readFileSync(track.path);
    await cli('playlist', 'save', 'All minor', 'minor key');
    const r = await cli('playlist', 'export', 'All minor', '--out', track.path);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/never writes to music files/);
    expect(fs.readFileSync(track.path).equals(before)).toBe(true);
    expect((await cli('playlist', 'export', 'nope')).code).toBe(2);
    expect((await cli('playlist', 'export', 'All minor', '--format', 'wma')).code).toBe(2);
    expect((await cli('playlist', 'save', 'Empty', '')).code).toBe(2);
  });
});
