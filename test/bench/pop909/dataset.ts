/**
 * The POP909-CL development set (`../shared/datasets/pop909-dev/`, read-only; see its README.md):
 * where it lives, its song list and the fixed subsets the accuracy bench runs on.
 *
 * The folder can be moved with `$LINERNOTES_POP909_DIR`. Nothing here copies it into the repo.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** One line of the set's `index.json`. */
export interface Pop909IndexEntry {
  id: string;
  duration: number;
  tempo_bpm: number;
  key: string;
  time_signature: string;
  modal_interchange: boolean;
  modulation: boolean;
}

/** Root of the data set: `$LINERNOTES_POP909_DIR`, else `<repo>/../shared/datasets/pop909-dev`. */
export function datasetDir(): string {
  const env = process.env.LINERNOTES_POP909_DIR;
  return env ? path.resolve(env) : path.resolve(REPO, '../shared/datasets/pop909-dev');
}

export function midiPath(id: string, dir = datasetDir()): string {
  return path.join(dir, 'midi', `${id}.mid`);
}

export function jamsPath(id: string, dir = datasetDir()): string {
  return path.join(dir, 'jams', `${id}.jams`);
}

export function datasetAvailable(dir = datasetDir()): boolean {
  return existsSync(path.join(dir, 'midi')) && existsSync(path.join(dir, 'jams'));
}

/** All song ids ('001', '002', …) that have both a MIDI file and a JAMS file, sorted. */
export function listSongIds(dir = datasetDir()): string[] {
  const jams = new Set(
    readdirSync(path.join(dir, 'jams'))
      .filter((f) => f.endsWith('.jams'))
      .map((f) => f.slice(0, -'.jams'.length)),
  );
  return readdirSync(path.join(dir, 'midi'))
    .filter((f) => f.endsWith('.mid'))
    .map((f) => f.slice(0, -'.mid'.length))
    .filter((id) => jams.has(id))
    .sort();
}

export function readIndex(dir = datasetDir()): Pop909IndexEntry[] {
  return JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8')) as Pop909IndexEntry[];
}

/**
 * Picks the songs of a subset, from the sorted id list:
 * - `every7` (default): every seventh song, starting with the first (ids[0], ids[7], …: 100 of 697);
 * - `all`: every song;
 * - `N` (a positive integer): the first N songs of the `every7` subset, then of the rest, so small
 *   runs are a prefix of the everyday subset (and share its cache);
 * - a comma-separated list of ids (`001,008`; a single song needs the comma: `042,`).
 */
export function selectSubset(ids: readonly string[], subset: string): string[] {
  const every7 = ids.filter((_, i) => i % 7 === 0);
  if (subset === 'every7') return every7;
  if (subset === 'all') return [...ids];
  if (/^\d+$/.test(subset)) {
    const n = Number(subset);
    if (n < 1) throw new Error(`--subset N must be at least 1, not ${subset}`);
    const rest = ids.filter((_, i) => i % 7 !== 0);
    return [...every7, ...rest].slice(0, n);
  }
  const wanted = subset.split(',').map((s) => s.trim()).filter(Boolean);
  const missing = wanted.filter((id) => !ids.includes(id));
  if (missing.length) throw new Error(`unknown subset or song ids: ${missing.join(', ')} (use every7, all, N or ids like 001,008)`);
  return wanted;
}
