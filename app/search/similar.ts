// "like <title>": the seed track named by the words. Its nearest neighbours by the similarity vector
// of analysis II come from the in-process index of similarIndex.ts (exact cosine, as the vec0 table).
import * as sqliteVec from 'sqlite-vec';
import type { Db } from '../store/index.ts';
import { ftsColumn, ftsPhrase } from './fts.ts';

export interface Seed {
  id: number;
  title: string | null;
  artist: string | null;
  path: string;
}

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
