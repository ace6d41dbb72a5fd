// "like <title>": the seed track named by the words, and its nearest neighbours by the similarity
// vector of analysis II (sqlite-vec vec0 brute-force KNN, combinable with filters by the caller).
import * as sqliteVec from 'sqlite-vec';
import type { Db } from '../store/index.ts';
import type { VectorTable } from './capabilities.ts';
import { ftsColumn, ftsPhrase } from './fts.ts';

export interface Seed {
  id: number;
  title: string | null;
  artist: string | null;
  path: string;
}

/** sqlite-vec's largest k for one KNN query. */
export const MAX_K = 4096;

/** The track "like …" names: among title matches (FTS) an exact title first, then the best; else the best match in any field. */
export function resolveSeed(db: Db, words: string): Seed | null {
  const cols = "t.id, t.title, t.artist, t.path";
  for (const q of [ftsColumn('title', words), ftsPhrase(words)]) {
    if (!q) continue;
    const hit = db
      .prepare(
        `SELECT ${cols} FROM search_text f JOIN tracks t ON t.id = f.rowid WHERE search_text MATCH ? AND t.status = 'present'
         ORDER BY lower(t.title) = lower(?) DESC, bm25(search_text, 10.0, 4.0, 2.0, 1.0, 1.0, 0.5), t.id LIMIT 1`,
      )
      .get(q, words.trim()) as Seed | undefined;
    if (hit) return hit;
  }
  return null;
}

/** Loads the sqlite-vec extension into this connection unless it is there already. */
export function ensureVec(db: Db): void {
  try {
    db.prepare('SELECT vec_version()').get();
  } catch {
    sqliteVec.load(db);
  }
}

/** The k nearest tracks to the seed (the seed itself left out), closest first. */
export function nearestTracks(db: Db, v: VectorTable, seedId: number, k: number): { neighbours: { id: number; distance: number }[]; exhausted: boolean; seedHasVector: boolean } {
  ensureVec(db);
  const kk = Math.min(MAX_K, Math.max(1, Math.floor(k)) + 1);
  const vector = db.prepare(`SELECT "${v.column}" AS v FROM "${v.table}" WHERE ${v.idColumn} = ?`).get(seedId) as { v: Buffer } | undefined;
  if (!vector) return { neighbours: [], exhausted: true, seedHasVector: false };
  const rows = db
    .prepare(`SELECT ${v.idColumn} AS id, distance FROM "${v.table}" WHERE "${v.column}" MATCH ? AND k = ? ORDER BY distance`)
    .all(vector.v, kk) as { id: number; distance: number }[];
  return { neighbours: rows.filter((r) => r.id !== seedId), exhausted: rows.length < kk || kk >= MAX_K, seedHasVector: true };
}
