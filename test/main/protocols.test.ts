import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleAppRequest, handleMediaRequest } from '../../main/protocols.ts';
import { testLibrary, type TestLibrary } from '../server/helpers.ts';
import { tempDir } from '../library/helpers.ts';

let lib: TestLibrary;
let rendererDir: string;

beforeAll(async () => {
  lib = await testLibrary(['One']);
  rendererDir = await tempDir('ln-app-');
  await fs.writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>x</title>');
});
afterAll(async () => {
  await lib.cleanup();
  await fs.rm(rendererDir, { recursive: true, force: true });
});

const media = (url: string, headers: Record<string, string> = {}) => handleMediaRequest(lib.store, new Request(url, { headers }));

describe('linernotes-media:// (audio in the desktop app)', () => {
  it('serves a track by id with byte ranges', async () => {
    const t = lib.store.tracks.list()[0]!;
    const bytes = await fs.readFile(t.path);
    const full = media(`linernotes-media://track/${t.id}`);
    expect(full.status).toBe(200);
    expect(Buffer.compare(Buffer.from(await full.arrayBuffer()), bytes)).toBe(0);
    const part = media(`linernotes-media://track/${t.id}`, { range: 'bytes=10-19' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 10-19/${bytes.length}`);
    expect(Buffer.compare(Buffer.from(await part.arrayBuffer()), bytes.subarray(10, 20))).toBe(0);
    expect(media(`linernotes-media://track/${t.id}`, { range: `bytes=${bytes.length + 1}-` }).status).toBe(416);
  });

  it('serves nothing but library tracks', () => {
    for (const url of ['linernotes-media://track/999', 'linernotes-media://track/..%2f..%2fetc%2fpasswd', 'linernotes-media://file/1', 'linernotes-media://track/abc']) {
      expect(media(url).status, url).toBe(404);
    }
  });
});

describe('linernotes-app:// (the renderer files)', () => {
  it('serves files of the renderer folder with the CSP, nothing outside it', async () => {
    const ok = handleAppRequest(rendererDir, new Request('linernotes-app://app/index.html'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toContain("script-src 'self'");
    for (const url of ['linernotes-app://app/../../etc/passwd', 'linernotes-app://app/%2e%2e/%2e%2e/etc/passwd', 'linernotes-app://other/index.html', 'linernotes-app://app/missing.js']) {
      expect(handleAppRequest(rendererDir, new Request(url)).status, url).toBe(404);
    }
  });
});
