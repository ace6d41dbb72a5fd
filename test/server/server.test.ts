import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createLibraryService, type LibraryService } from '../../app/service/service.ts';
import { startServer, type RunningServer } from '../../app/server/server.ts';
import { tempDir } from '../library/helpers.ts';
import { raw, testLibrary, type TestLibrary } from './helpers.ts';
import { inProcessTransport } from '../worker/helpers.ts';

let lib: TestLibrary;
let server: RunningServer;
let service: LibraryService;
let rendererDir: string;
let host: string;
const TOKEN = 'test-token-0123456789';

beforeAll(async () => {
  lib = await testLibrary();
  rendererDir = await tempDir('ln-ui-');
  await fs.mkdir(path.join(rendererDir, 'assets'));
  await fs.writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Linernotes</title>');
  await fs.writeFile(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  // A scan queues analysis: the queue's worker runs in this process here and declines every file.
  service = createLibraryService(lib.store, {
    dataDir: lib.dataDir,
    appVersion: 'test',
    queue: { concurrency: 1, pollMs: 20, spawn: () => inProcessTransport(async () => Promise.reject(Object.assign(new Error('not analysed in this test'), { code: 'CORRUPT' }))) },
  });
  server = await startServer({ store: lib.store, service, rendererDir, token: TOKEN });
  host = `127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server.close();
  await service.close();
  await lib.cleanup();
  await fs.rm(rendererDir, { recursive: true, force: true });
});

const auth = () => ({ host, 'x-linernotes-token': TOKEN });
const call = (method: string, args: unknown, headers: Record<string, string> = {}) =>
  raw(server.port, { method: 'POST', path: `/api/${method}`, headers: { ...auth(), 'content-type': 'application/json', ...headers }, body: JSON.stringify(args) });
const firstTrackId = () => (lib.store.tracks.list()[0]!).id;

describe('linernotes serve: who may ask', () => {
  it('listens on 127.0.0.1 only and prints a URL with the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${TOKEN}`);
  });

  it('refuses requests without the token, or with a wrong one (401)', async () => {
    expect((await raw(server.port, { path: '/', headers: { host } })).status).toBe(401);
    expect((await raw(server.port, { path: '/?token=nope', headers: { host } })).status).toBe(401);
    expect((await raw(server.port, { path: `/audio/${firstTrackId()}`, headers: { host } })).status).toBe(401);
    const api = await raw(server.port, { method: 'POST', path: '/api/roots.list', headers: { host, 'content-type': 'application/json', 'x-linernotes-token': 'wrong' }, body: '{}' });
    expect(api.status).toBe(401);
  });

  it('refuses a foreign Origin and a foreign Host even with the token (403)', async () => {
    expect((await call('roots.list', {}, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await call('roots.list', {}, { origin: `http://127.0.0.1:${server.port + 1}` })).status).toBe(403);
    expect((await raw(server.port, { path: `/?token=${TOKEN}`, headers: { host: `evil.example:${server.port}` } })).status).toBe(403);
    expect((await call('roots.list', {}, { origin: `http://${host}` })).status).toBe(200);
  });

  it('trades the URL token for a SameSite=Strict HttpOnly cookie and serves the page with a CSP', async () => {
    const first = await raw(server.port, { path: `/?token=${TOKEN}`, headers: { host } });
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe('/');
    const cookie = first.headers['set-cookie']![0]!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await raw(server.port, { path: '/', headers: { host, cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(page.body.toString()).toContain('<title>Linernotes</title>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('answers API calls as JSON and refuses the wrong method, content type or name', async () => {
    const ok = await call('roots.list', {});
    expect(ok.status).toBe(200);
    const roots = JSON.parse(ok.body.toString()) as { ok: boolean; result: { path: string; status: string; trackCount: number }[] };
    expect(roots.result).toEqual([expect.objectContaining({ path: lib.musicDir, status: 'online', trackCount: 3 })]);
    expect((await raw(server.port, { path: '/api/roots.list', headers: auth() })).status).toBe(405);
    expect((await call('roots.list', {}, { 'content-type': 'text/plain' })).status).toBe(415);
    const unknown = await call('constructor', {});
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body.toString()).error.code).toBe('UNKNOWN_METHOD');
    const bad = await call('tracks.get', { id: 'x' });
    expect(bad.status).toBe(400);
    expect((await call('tracks.get', { id: 99999 })).status).toBe(404);
  });
});

describe('linernotes serve: files', () => {
  it('serves audio by track id with byte ranges (206, Content-Range) and 416 past the end', async () => {
    const id = firstTrackId();
    const file = lib.store.tracks.byId(id)!.path;
    const bytes = await fs.readFile(file);
    const full = await raw(server.port, { path: `/audio/${id}`, headers: auth() });
    expect(full.status).toBe(200);
    expect(full.headers['accept-ranges']).toBe('bytes');
    expect(full.headers['content-type']).toBe('audio/wav');
    expect(Buffer.compare(full.body, bytes)).toBe(0);

    const part = await raw(server.port, { path: `/audio/${id}`, headers: { ...auth(), range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-199/${bytes.length}`);
    expect(Buffer.compare(part.body, bytes.subarray(100, 200))).toBe(0);

    const open = await raw(server.port, { path: `/audio/${id}`, headers: { ...auth(), range: `bytes=${bytes.length - 5}-` } });
    expect(open.status).toBe(206);
    expect(Buffer.compare(open.body, bytes.subarray(bytes.length - 5))).toBe(0);

    const suffix = await raw(server.port, { path: `/audio/${id}`, headers: { ...auth(), range: 'bytes=-10' } });
    expect(suffix.headers['content-range']).toBe(`bytes ${bytes.length - 10}-${bytes.length - 1}/${bytes.length}`);

    const past = await raw(server.port, { path: `/audio/${id}`, headers: { ...auth(), range: `bytes=${bytes.length}-` } });
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${bytes.length}`);
  });

  it('serves only files that are tracks of the library: no paths, no traversal', async () => {
    for (const p of ['/audio/../../etc/passwd', '/audio/..%2f..%2fetc%2fpasswd', '/audio/%2fetc%2fpasswd', '/audio/0', '/audio/01', '/audio/99999', '/audio/1.0', `/audio/${encodeURIComponent(lib.musicDir + '/Alpha.wav')}`]) {
      expect((await raw(server.port, { path: p, headers: auth() })).status, p).toBe(404);
    }
    for (const p of ['/assets/../../package.json', '/assets/..%2f..%2fpackage.json', '/assets/%2e%2e/%2e%2e/package.json', '/assets/missing.js']) {
      const res = await raw(server.port, { path: p, headers: auth() });
      expect(res.body.toString(), p).not.toContain('"name"');
      expect([200, 404], p).toContain(res.status);
      if (p.startsWith('/assets/')) expect(res.status, p).toBe(404);
    }
    expect((await raw(server.port, { path: '/assets/app.js', headers: auth() })).status).toBe(200);
  });

  it('stops serving a track once its music folder is removed', async () => {
    const id = firstTrackId();
    expect((await raw(server.port, { method: 'HEAD', path: `/audio/${id}`, headers: auth() })).status).toBe(200);
    const rootId = lib.store.roots.list()[0]!.id;
    lib.store.roots.setStatus(rootId, 'removed');
    try {
      expect((await raw(server.port, { path: `/audio/${id}`, headers: auth() })).status).toBe(404);
    } finally {
      lib.store.roots.setStatus(rootId, 'online');
    }
  });
});

describe('linernotes serve: events', () => {
  it('refuses a WebSocket without the token or from a foreign origin', async () => {
    const refused = (url: string, headers: Record<string, string> = {}) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url, { headers });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => resolve(101));
        ws.on('error', () => undefined);
      });
    expect(await refused(`ws://${host}/events`)).toBe(401);
    expect(await refused(`ws://${host}/events`, { 'x-linernotes-token': TOKEN, origin: 'http://evil.example' })).toBe(403);
  });

  it('pushes service events to a connected page', async () => {
    const ws = new WebSocket(`ws://${host}/events`, { headers: { 'x-linernotes-token': TOKEN, origin: `http://${host}` } });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const events: { event: string; payload: unknown }[] = [];
    ws.on('message', (m) => events.push(JSON.parse(String(m))));
    const res = await call('scan.start', {});
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    ws.close();
    expect(events.map((e) => e.event)).toContain('scan.done');
    expect(events.map((e) => e.event)).toContain('library.changed');
  });
});
