// An in-process copy of the similarity vectors for "like …": every vector of the vec0 table in one
// Float32Array, scaled to unit length once, so a query is one pass of dot products (exact cosine
// distance, 1 − a·b / (|a| |b|), the vec0 table's own metric) and a partial top-k selection —
// about 5× cheaper than sqlite-vec's brute-force KNN, and widening to more neighbours costs no
// second scan. The dot products run in WebAssembly SIMD (cosineKernel.ts). Loaded lazily on the first
// "like …" and reloaded when the vectors change. Checked only after a write (this connection's
// total_changes() or another's data_version moved): the stamp is migration 009's counter
// (VectorsRepo bumps it on every save and delete, in any process) plus the row count and largest id
// of the vec0 table's rowid list (catches inserts and deletes that bypass the repo).
import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/index.ts';
import type { VectorTable } from './capabilities.ts';
import { CosineMatrix } from './cosineKernel.ts';
import { ensureVec } from './similar.ts';

export interface Neighbour {
  id: number;
  /** Cosine distance, 0 (same direction) … 2. */
  distance: number;
}

export class SimilarityIndex {
  private ids = new Float64Array(0);
  /** Row i = the unit vector of ids[i]; a zero vector (no direction) is left out. */
  private matrix = new CosineMatrix(0, 0);
  private row = new Map<number, number>();
  private stamp: string | null = null;
  /** total_changes() and data_version at the last stamp check. */
  private writes: string | null = null;
  private writesQuery: Statement | null = null;

  constructor(
    private readonly db: Db,
    private readonly table: VectorTable,
  ) {}

  /** How many vectors the index holds (after bringing it up to date). */
  get size(): number {
    this.refresh();
    return this.ids.length;
  }

  /** Reloads the vectors when the stamp says they changed since the last load. */
  refresh(): void {
    // Nothing was written since the last check, by this connection or another: nothing to look at.
    this.writesQuery ??= this.db.prepare("SELECT total_changes() || '/' || (SELECT data_version FROM pragma_data_version)").pluck();
    const writes = this.writesQuery.get() as string;
    if (writes === this.writes) return;
    const stamp = this.currentStamp();
    this.writes = writes;
    if (stamp === this.stamp) return;
    ensureVec(this.db);
    const rows = this.db.prepare(`SELECT ${this.table.idColumn} AS id, "${this.table.column}" AS v FROM "${this.table.table}"`).raw().all() as [number | bigint, Buffer][];
    const dims = rows.length ? rows[0]![1].byteLength / 4 : 0;
    const kept = rows.filter(([, blob]) => norm(new Float32Array(blob.buffer, blob.byteOffset, dims)) > 0);
    const matrix = new CosineMatrix(kept.length, dims);
    const ids = new Float64Array(kept.length);
    const row = new Map<number, number>();
    kept.forEach(([id, blob], i) => {
      const v = new Float32Array(blob.buffer, blob.byteOffset, dims);
      const inv = 1 / norm(v);
      const unit = matrix.row(i);
      for (let d = 0; d < dims; d++) unit[d] = v[d]! * inv;
      ids[i] = Number(id);
      row.set(Number(id), i);
    });
    this.ids = ids;
    this.matrix = matrix;
    this.row = row;
    this.stamp = stamp;
  }

  /** True when the track has a (non-zero) vector. */
  has(id: number): boolean {
    this.refresh();
    return this.row.has(id);
  }

  /** Cosine distance of every indexed track to the seed (index order; valid until the next call), or null when the seed has no vector. */
  distancesTo(seedId: number): Float32Array | null {
    this.refresh();
    const s = this.row.get(seedId);
    if (s === undefined) return null;
    return this.matrix.oneMinusDots(s);
  }

  /**
   * The k nearest of `distances` (from distancesTo), closest first, ties by id, skipping `skipId`
   * (the seed): a bounded max-heap of k entries over one pass.
   */
  nearest(distances: Float32Array, k: number, skipId: number): Neighbour[] {
    const want = Math.max(0, Math.min(Math.floor(k), this.ids.length));
    if (want === 0) return [];
    const ids = this.ids;
    // heap[0] is the worst kept candidate (largest distance, then largest id).
    const heap = new Int32Array(want);
    let size = 0;
    const worse = (a: number, b: number) => distances[a]! > distances[b]! || (distances[a] === distances[b] && ids[a]! > ids[b]!);
    const siftDown = (i: number) => {
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < size && worse(heap[l]!, heap[m]!)) m = l;
        if (r < size && worse(heap[r]!, heap[m]!)) m = r;
        if (m === i) return;
        const t = heap[i]!;
        heap[i] = heap[m]!;
        heap[m] = t;
        i = m;
      }
    };
    // The worst kept distance (Infinity until the heap is full).
    let bar = Infinity;
    const n = ids.length;
    for (let i = 0; i < n; i++) {
      // Most rows are farther than the worst kept one: one comparison, no heap work.
      if (distances[i]! > bar) continue;
      if (ids[i] === skipId) continue;
      if (size < want) {
        heap[size] = i;
        for (let c = size++; c > 0; ) {
          const p = (c - 1) >> 1;
          if (!worse(heap[c]!, heap[p]!)) break;
          const t = heap[c]!;
          heap[c] = heap[p]!;
          heap[p] = t;
          c = p;
        }
        if (size === want) bar = distances[heap[0]!]!;
      } else if (worse(heap[0]!, i)) {
        heap[0] = i;
        siftDown(0);
        bar = distances[heap[0]!]!;
      }
    }
    const out = Array.from(heap.subarray(0, size), (i) => ({ id: ids[i]!, distance: distances[i]! }));
    return out.sort((a, b) => a.distance - b.distance || a.id - b.id);
  }

  /** Every indexed track but the seed with its distance, closest first. */
  all(distances: Float32Array, skipId: number): Neighbour[] {
    const out: Neighbour[] = [];
    for (let i = 0; i < this.ids.length; i++) if (this.ids[i] !== skipId) out.push({ id: this.ids[i]!, distance: distances[i]! });
    return out.sort((a, b) => a.distance - b.distance || a.id - b.id);
  }

  private stampQuery: Statement | null | undefined;

  private currentStamp(): string {
    if (this.stampQuery === undefined) {
      const has = (name: string) => this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
      const rowids = `${this.table.table}_rowids`;
      const parts = [
        has('search_vector_version') ? '(SELECT version FROM search_vector_version WHERE id = 1)' : "''",
        has(rowids) ? `(SELECT count(*) || ':' || coalesce(max(rowid), 0) FROM "${rowids}")` : "''",
      ];
      this.stampQuery = this.db.prepare(`SELECT ${parts.join(" || '/' || ")}`).pluck();
    }
    return String(this.stampQuery!.get());
  }
}

function norm(v: Float32Array): number {
  let sum = 0;
  for (let d = 0; d < v.length; d++) sum += v[d]! * v[d]!;
  return Math.sqrt(sum);
}
