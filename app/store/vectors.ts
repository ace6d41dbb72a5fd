import { statementCache, type Db } from './db.ts';

/** Length of the stored similarity vectors: migration 004's `float[58]` (VECTOR_LENGTH of app/analysis/vector). */
export const STORED_VECTOR_LENGTH = 58;

export interface Neighbour {
  trackId: number;
  /** Cosine distance, 0 (same direction) … 2. */
  distance: number;
}

/** Typed access to `track_vectors` (sqlite-vec vec0, cosine distance): one similarity vector per track. */
export class VectorsRepo {
  private readonly q: ReturnType<typeof statementCache>;
  constructor(db: Db) {
    this.q = statementCache(db);
  }

  private check(vector: Float32Array): void {
    if (vector.length !== STORED_VECTOR_LENGTH) throw new Error(`a similarity vector has ${STORED_VECTOR_LENGTH} values, not ${vector.length}`);
    if (!vector.every(Number.isFinite)) throw new Error('a similarity vector must hold finite numbers');
  }

  /** Stores (or replaces) a track's vector. */
  save(trackId: number, vector: Float32Array): void {
    this.check(vector);
    // vec0 takes no UPSERT: replace by delete + insert (callers batch in one transaction). Ids go in as BigInt:
    // vec0 refuses a primary key bound as a float.
    this.q('DELETE FROM track_vectors WHERE track_id = ?').run(BigInt(trackId));
    this.q('INSERT INTO track_vectors (track_id, embedding) VALUES (?, ?)').run(BigInt(trackId), Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength));
    this.bumpVersion();
  }

  delete(trackId: number): void {
    this.q('DELETE FROM track_vectors WHERE track_id = ?').run(BigInt(trackId));
    this.bumpVersion();
  }

  /** Tells in-process vector indexes (app/search/similarIndex.ts) that the vectors changed (migration 009's counter). */
  private bumpVersion(): void {
    this.q('UPDATE search_vector_version SET version = version + 1 WHERE id = 1').run();
  }

  get(trackId: number): Float32Array | undefined {
    const r = this.q('SELECT embedding FROM track_vectors WHERE track_id = ?').get(BigInt(trackId)) as { embedding: Buffer } | undefined;
    return r ? new Float32Array(r.embedding.buffer.slice(r.embedding.byteOffset, r.embedding.byteOffset + r.embedding.byteLength)) : undefined;
  }

  /** The k nearest tracks to `vector`, nearest first, leaving out `excludeId` (e.g. the query track itself). */
  knn(vector: Float32Array, k: number, excludeId?: number): Neighbour[] {
    this.check(vector);
    if (!(k >= 1)) return [];
    const want = Math.floor(k) + (excludeId === undefined ? 0 : 1);
    const rows = this.q('SELECT track_id, distance FROM track_vectors WHERE embedding MATCH ? AND k = ? ORDER BY distance').all(
      Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength),
      want,
    ) as { track_id: number | bigint; distance: number }[];
    return rows
      .map((r) => ({ trackId: Number(r.track_id), distance: r.distance }))
      .filter((r) => r.trackId !== excludeId)
      .slice(0, Math.floor(k));
  }

  count(): number {
    return (this.q('SELECT count(*) AS n FROM track_vectors').get() as { n: number }).n;
  }
}
