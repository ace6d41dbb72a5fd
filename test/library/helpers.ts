import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openStore, type Store } from '../../app/store/index.ts';

/** A fresh temporary folder; removed by the returned cleanup. */
export async function tempDir(prefix = 'ln-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

export function memoryStore(): Store {
  return openStore(':memory:');
}

/** mtime and hash check helper: every file's stat, to prove nothing was written. */
export async function statTree(dir: string): Promise<Map<string, { size: number; mtimeMs: number }>> {
  const out = new Map<string, { size: number; mtimeMs: number }>();
  async function walk(d: string) {
    for (const e of await fs.readdir(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) {
        const st = await fs.stat(p);
        out.set(p, { size: st.size, mtimeMs: st.mtimeMs });
      }
    }
  }
  await walk(dir);
  return out;
}
