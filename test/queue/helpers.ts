// A library of short synthesised songs, scanned into a store, for the queue tests.
import path from 'node:path';
import { openStore, type Store } from '../../app/store/index.ts';
import { Scanner } from '../../app/library/scanner.ts';
import { addRoot } from '../../app/library/roots.ts';
import { writeToneWav } from '../worker/helpers.ts';

/** Writes `n` short WAVs (names song-01.wav …, plus `extra` names) under `dir/music`. */
export async function writeSongs(dir: string, n: number, extra: string[] = [], seconds = 3): Promise<string[]> {
  const names = [...Array.from({ length: n }, (_, i) => `song-${String(i + 1).padStart(2, '0')}.wav`), ...extra];
  return Promise.all(names.map((name, i) => writeToneWav(path.join(dir, 'music', name), seconds, { seed: i % 5 })));
}

/** Opens the store in `dir/data` and scans `dir/music` into it. */
export async function scannedStore(dir: string): Promise<Store> {
  const store = openStore(path.join(dir, 'data'));
  const root = await addRoot(store, path.join(dir, 'music'));
  await new Scanner(store, { readerThreads: 0 }).scanRoot(root);
  return store;
}

export const trackIdByName = (store: Store, name: string): number => store.tracks.list().find((t) => path.basename(t.path) === name)!.id;
