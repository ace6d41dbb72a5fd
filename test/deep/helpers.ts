// A library with one analysed demo song, plus migration 8 applied when the store's migration list
// does not reach it yet (migrations 6 and 7 are registered by other work first).
import fs from 'node:fs/promises';
import path from 'node:path';
import { analyzeFile } from '../../app/analysis/analyze.ts';
import { saveAnalysis } from '../../app/analysis/libraryAnalysis.ts';
import type { TrackAnalysis } from '../../app/analysis/types.ts';
import { DEMO_SONGS } from '../../app/demo/songs.ts';
import { demoSongWav } from '../../app/demo/library.ts';
import { encodeWav } from '../../app/demo/wav.ts';
import { addRoot } from '../../app/library/roots.ts';
import { Scanner } from '../../app/library/scanner.ts';
import { migration008 } from '../../app/store/migrations/008_deep.ts';
import { openStore, type Store } from '../../app/store/index.ts';

export function ensureDeepSchema(store: Store): void {
  if (!store.deep.available()) store.db.transaction(() => store.db.exec(migration008.up))();
}

/** 'Second Wind' from the demo library: 120 BPM, G major, 4/4. */
export const SONG = DEMO_SONGS.find((s) => s.id === 'second-wind') ?? DEMO_SONGS[1]!;

export async function writeSong(dir: string): Promise<string> {
  const file = path.join(dir, 'music', 'song.wav');
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, demoSongWav(SONG, 22050));
  return file;
}

/** A cheap long signal: a quiet 440 Hz tone at 8 kHz (resampled to 16 kHz on reading). */
export async function writeTone(file: string, seconds: number, rate = 8000): Promise<string> {
  const x = new Float32Array(Math.round(seconds * rate));
  for (let i = 0; i < x.length; i++) x[i] = 0.3 * Math.sin((2 * Math.PI * 440 * i) / rate);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, encodeWav([x], rate, {}));
  return file;
}

/** Opens a store in `dir/data`, scans `dir/music`, saves `analysis` for the song (if given). */
export async function libraryWith(dir: string, analysis?: TrackAnalysis): Promise<{ store: Store; trackId: number; rootId: number }> {
  const store = openStore(path.join(dir, 'data'));
  ensureDeepSchema(store);
  const root = await addRoot(store, path.join(dir, 'music'));
  await new Scanner(store, { readerThreads: 0 }).scanRoot(root);
  const track = store.tracks.list().find((t) => path.basename(t.path) === 'song.wav')!;
  if (analysis) saveAnalysis(store, track.id, analysis);
  return { store, trackId: track.id, rootId: root.id };
}

export { analyzeFile };
