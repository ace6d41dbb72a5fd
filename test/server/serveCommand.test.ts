import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import { runCli } from '../../app/cli/main.ts';
import { tempDir } from '../library/helpers.ts';
import { raw } from './helpers.ts';

let dataDir: string;
afterAll(async () => fs.rm(dataDir, { recursive: true, force: true }));

describe('linernotes serve (command)', () => {
  it('prints a 127.0.0.1 URL with a token, refuses requests without it, and stops on abort', async () => {
    dataDir = await tempDir('ln-serve-');
    const stdout = new PassThrough();
    let out = '';
    const printed = new Promise<string>((resolve) =>
      stdout.on('data', (d) => {
        out += String(d);
        const m = /"url":\s*"([^"]+)"/.exec(out);
        if (m) resolve(m[1]!);
      }),
    );
    const abort = new AbortController();
    const done = runCli(['--data-dir', dataDir, 'serve', '--json'], { stdout: stdout as unknown as NodeJS.WriteStream, stderr: new PassThrough() as unknown as NodeJS.WriteStream, signal: abort.signal });
    const url = new URL(await printed);
    expect(url.hostname).toBe('127.0.0.1');
    const token = url.searchParams.get('token')!;
    expect(token.length).toBeGreaterThanOrEqual(40);
    const port = Number(url.port);
    const host = `127.0.0.1:${port}`;
    expect((await raw(port, { path: '/', headers: { host } })).status).toBe(401);
    const api = await raw(port, { method: 'POST', path: '/api/library.stats', headers: { host, 'x-linernotes-token': token, 'content-type': 'application/json' }, body: '{}' });
    expect(JSON.parse(api.body.toString())).toEqual({ ok: true, result: { tracks: 0, analysed: 0, roots: 0, offlineRoots: 0 } });
    abort.abort();
    expect(await done).toBe(0);
    await expect(raw(port, { path: '/', headers: { host } })).rejects.toThrow();
  });

  it('refuses a bad port with a usage error', async () => {
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (d) => (err += String(d)));
    const code = await runCli(['--data-dir', dataDir, 'serve', '--port', '70000'], { stdout: new PassThrough() as unknown as NodeJS.WriteStream, stderr: stderr as unknown as NodeJS.WriteStream });
    expect(code).toBe(2);
    expect(err).toMatch(/--port/);
  });
});
