// The demo library with its REAL analysis, built once and reused by every search test file (and
// every run until the analysers, the demo songs or the schema change): synthesised, scanned and
// analysed (as `linernotes demo` does) into a cached folder; each test gets its own copy of the database.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyserVersions, analyzeFile } from '../../app/analysis/analyze.ts';
import { analyseLibrary } from '../../app/analysis/libraryAnalysis.ts';
import { writeDemoLibrary } from '../../app/demo/library.ts';
import { addRoot } from '../../app/library/roots.ts';
import { Scanner } from '../../app/library/scanner.ts';
import { DEMO_SONGS } from '../../app/demo/songs.ts';
import { openStore, type Store } from '../../app/store/index.ts';
import { migrations } from '../../app/store/migrations/index.ts';

const READY = 'ready';

function cacheDir(): string {
  const hash = crypto
    .createHash('sha1')
    .update(JSON.stringify({ versions: analyserVersions(), songs: DEMO_SONGS, schema: migrations.length }))
    .digest('hex')
    .slice(0, 12);
  return path.join(os.tmpdir(), `linernotes-search-demo-${hash}`);
}

async function build(dir: string): Promise<void> {
  const lock = `${dir}.lock`;
  for (let waited = 0; !fs.existsSync(path.join(dir, READY)); waited += 500) {
    let mine = false;
    try {
      fs.mkdirSync(lock);
      mine = true;
    } catch {
      // Another test file is building it; a lock older than 5 minutes is from a killed run.
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 300_000) fs.rmSync(lock, { recursive: true, force: true });
    }
    if (mine) {
      try {
        fs.rmSync(dir, { recursive: true, force: true });
        // What `linernotes demo` does: synthesise, scan, analyse every track with the real analysers.
        const demoDir = path.join(dir, 'demo-library');
        await writeDemoLibrary(demoDir);
        const store = openStore(dir);
        const root = await addRoot(store, demoDir);
        await new Scanner(store).scanRoot(store.roots.byId(root.id)!);
        const { failed } = await analyseLibrary(store, (p) => analyzeFile(p), analyserVersions());
        if (failed > 0) throw new Error(`${failed} demo song(s) failed to analyse`);
        store.db.pragma('wal_checkpoint(TRUNCATE)');
        store.close();
        fs.writeFileSync(path.join(dir, READY), new Date().toISOString());
      } finally {
        fs.rmSync(lock, { recursive: true, force: true });
      }
      return;
    }
    if (waited > 240_000) throw new Error(`timed out waiting for ${lock}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** A private copy of the analysed demo library's store (the music files stay in the cache). */
export async function openDemoStore(): Promise<{ store: Store; dataDir: string; demoDir: string }> {
  const dir = cacheDir();
  await build(dir);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linernotes-search-'));
  fs.copyFileSync(path.join(dir, 'library.db'), path.join(dataDir, 'library.db'));
  const store = openStore(dataDir);
  return { store, dataDir, demoDir: path.join(dir, 'demo-library') };
}
