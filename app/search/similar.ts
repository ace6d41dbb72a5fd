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

/**
 * The track "like …" names: among title matches (FTS) an exact title first, then the best; else the
 * best match in any field. `exactTitle` (the column index's present tracks by lower-cased ASCII
 * title) answers the common case without FTS5: see exactTitleSeed.
 */
export function resolveSeed(db: Db, words: string, exactTitle?: (lowerAsciiTitle: string) => readonly number[]): Seed | null {
  const exact = exactTitle ? exactTitleSeed(db, words, exactTitle) : null;
  if (exact) return exact;
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

/**
 * The seed when the words are exactly (ignoring ASCII case, as SQLite's lower()) the title of present
 * tracks, for printable-ASCII words only. Such titles tokenize to the words' own tokens, so each is a
 * title match, the exact ones rank first, and among them BM25 differs only by the row's length in
 * tokens (same phrase frequency and IDF; BM25 falls as the length grows): the shortest row wins,
 * then the smallest id, as resolveSeed's ORDER BY. Row lengths are FTS5's own counts
 * (search_text_docsize: one varint per column, the FTS5 file format).
 */
function exactTitleSeed(db: Db, words: string, exactTitle: (lowerAsciiTitle: string) => readonly number[]): Seed | null {
  const key = words.trim();
  if (!/^[\x20-\x7e]*$/.test(key) || ftsPhrase(key) === null) return null;
  const ids = exactTitle(key.toLowerCase());
  if (ids.length === 0) return null;
  let best = ids[0]!;
  if (ids.length > 1) {
    const sizes = db.prepare('SELECT id, sz FROM search_text_docsize WHERE id IN (SELECT value FROM json_each(?))').raw().all(JSON.stringify(ids)) as [number, Buffer][];
    if (sizes.length !== ids.length) return null;
    let bestLength = Infinity;
    for (const [id, sz] of sizes) {
      const length = varintSum(sz);
      if (length < bestLength || (length === bestLength && id < best)) [best, bestLength] = [id, length];
    }
  }
  return (db.prepare('SELECT id, title, artist, path FROM tracks WHERE id = ?').get(best) as Seed | undefined) ?? null;
}

/** The sum of a blob of SQLite varints (big-endian 7-bit groups; a 9th byte carries 8 bits). */
function varintSum(blob: Buffer): number {
  let sum = 0;
  for (let i = 0; i < blob.length; ) {
    let v = 0;
    for (let n = 0; i < blob.length; n++) {
      const b = blob[i++]!;
      if (n === 8) {
        v = v * 256 + b;
        break;
      }
      v = v * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
    sum += v;
  }
  return sum;
}

/** Loads the sqlite-vec extension into this connection unless it is there already. */
export function ensureVec(db: Db): void {
  try {
    db.prepare('SELECT vec_version()').get();
  } catch {
    sqliteVec.load(db);
  }
}
