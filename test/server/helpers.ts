// Shared set-up for service and server tests: a temporary library of small tagged WAV files, scanned.
import fs from 'node:fs/promises';
import path from 'node:path';
import http from 'node:http';
import { openStore, type Store } from '../../app/store/index.ts';
import { Scanner } from '../../app/library/scanner.ts';
import { addRoot } from '../../app/library/roots.ts';
import { encodeWav } from '../../app/demo/wav.ts';
import { tempDir } from '../library/helpers.ts';

/** One second of a sine at `hz`, as a 16-bit mono WAV. */
export function sineWav(hz: number, title: string, artist: string): Uint8Array {
  const rate = 8000;
  const samples = new Float32Array(rate);
  for (let i = 0; i < samples.length; i++) samples[i] = 0.3 * Math.sin((2 * Math.PI * hz * i) / rate);
  return encodeWav([samples], rate, { title, artist, album: 'Tests', genre: 'Test', year: 2024, track: 1, comment: '' });
}

export interface TestLibrary {
  dataDir: string;
  musicDir: string;
  store: Store;
  cleanup(): Promise<void>;
}

/** A data folder with a store, and a music folder of `titles.length` WAV files, added and scanned. */
export async function testLibrary(titles: string[] = ['Alpha', 'Beta', 'Gamma']): Promise<TestLibrary> {
  const base = await tempDir('ln-srv-');
  const dataDir = path.join(base, 'data');
  const musicDir = path.join(base, 'music');
  await fs.mkdir(musicDir, { recursive: true });
  for (const [i, t] of titles.entries()) await fs.writeFile(path.join(musicDir, `${t}.wav`), sineWav(220 + 110 * i, t, `Artist ${i}`));
  const store = openStore(dataDir);
  const root = await addRoot(store, musicDir);
  await new Scanner(store, { readerThreads: 0 }).scanRoot(root);
  return { dataDir, musicDir: root.path, store, cleanup: async () => { store.close(); await fs.rm(base, { recursive: true, force: true }); } };
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A raw HTTP request (no URL normalisation, any Host/Origin header). */
export function raw(port: number, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}
