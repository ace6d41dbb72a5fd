// An in-memory column copy of what search filters, ranks and counts on: one typed array per column
// of the present tracks (year, genre), their summary rows (key, tempo, meter, the descriptors of
// analysis II) and one strength array per evidence concept, row i = the i-th present track by id.
// A query then filters and scores by scanning arrays (columnScan.ts) instead of ranking tens of
// thousands of rows in SQL. Kept fresh by migration 011's counter, which triggers bump on every
// write to tracks, track_summaries and search_evidence from any process; it is read only after a
// write (this connection's total_changes() or another's data_version moved), like similarIndex.ts.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/index.ts';
import type { DescriptorName } from './query.ts';

/** The columns of the present tracks, row i = ids[i] (ascending); NaN and -1 stand for NULL. */
export interface Columns {
  size: number;
  ids: Float64Array;
  /** 1 when the track has a track_summaries row. */
  hasSummary: Uint8Array;
  year: Float64Array;
  /** Index into `genres`; -1 for NULL. */
  genre: Int32Array;
  genres: string[];
  bpm: Float64Array;
  bpmConfidence: Float64Array;
  keyTonic: Float64Array;
  /** Index into `modes`; -1 for NULL. */
  keyMode: Int32Array;
  modes: string[];
  keyConfidence: Float64Array;
  /** Index into `meters`; -1 for NULL. */
  meter: Int32Array;
  meters: string[];
  /** Descriptor → its column of track_summaries. */
  descriptors: Partial<Record<DescriptorName, Float64Array>>;
  /** Concept → strength per row (NaN: no evidence row). */
  evidence: Map<string, Float64Array>;
  /** The row of a track id, -1 when it is not a present track. */
  rowOf(id: number): number;
  /** Ids of the present tracks whose title, lower-cased, is this printable-ASCII text. */
  idsWithTitle(lowerAsciiTitle: string): readonly number[];
}

/**
 * A stale copy is rebuilt once the store has had no such write for this long (seen by two searches);
 * until then search answers from SQL, always current, so a library being analysed is not copied
 * again on every search.
 */
export const QUIET_BEFORE_REBUILD_MS = 2000;

export class ColumnIndex {
  private columns: Columns | null = null;
  private version: number | null = null;
  /** The newest version seen while stale, and when it was first seen. */
  private pending: { version: number; since: number } | null = null;
  /** total_changes() and data_version at the last version check. */
  private writes: string | null = null;
  private readonly versionQuery: Statement | null;
  private writesQuery: Statement | null = null;
  /** Calls of current() before the first load. */
  private asked = 0;

  /**
   * `loadAfter`: how many calls of current() answer null (SQL) before the first load, so a one-off
   * query (the CLI, a chat tool) does not pay for a copy it would use once.
   */
  constructor(
    private readonly db: Db,
    private readonly descriptorColumns: Partial<Record<DescriptorName, string>>,
    private readonly now: () => number = () => performance.now(),
    private readonly loadAfter = 0,
  ) {
    const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_column_version'").get() !== undefined;
    this.versionQuery = has ? db.prepare('SELECT version FROM search_column_version WHERE id = 1').pluck() : null;
  }

  /**
   * The columns when they are current, else null (the caller answers from SQL): loaded on first use;
   * after the store changed, rebuilt once it has been quiet for QUIET_BEFORE_REBUILD_MS. Null also
   * without migration 011.
   */
  current(): Columns | null {
    if (!this.versionQuery) return null;
    if (!this.columns && this.asked++ < this.loadAfter) return null;
    this.writesQuery ??= this.db.prepare("SELECT total_changes() || '/' || (SELECT data_version FROM pragma_data_version)").pluck();
    const writes = this.writesQuery.get() as string;
    if (writes === this.writes && this.columns && this.pending === null) return this.columns;
    this.writes = writes;
    const version = this.versionQuery.get() as number;
    if (this.columns && version === this.version) return this.columns;
    if (this.columns) {
      const now = this.now();
      if (this.pending?.version !== version) this.pending = { version, since: now };
      if (now - this.pending.since < QUIET_BEFORE_REBUILD_MS) return null;
    }
    return this.rebuild();
  }

  /** Loads every column afresh, with the version they are at (one read transaction: one state of the store). */
  rebuild(): Columns {
    const load = this.db.transaction(() => ({ version: (this.versionQuery?.get() as number | undefined) ?? null, columns: loadColumns(this.db, this.descriptorColumns) }));
    const { version, columns } = load();
    this.columns = columns;
    this.version = version;
    this.pending = null;
    return columns;
  }
}

const shared = new WeakMap<Db, { key: string; index: ColumnIndex }>();

/**
 * The column index of a connection, shared by every search engine on it (engines are cheap and
 * some callers make one per question); the first query on a connection answers from SQL and the
 * index loads from the second on.
 */
export function sharedColumnIndex(db: Db, descriptorColumns: Partial<Record<DescriptorName, string>>): ColumnIndex {
  const key = JSON.stringify(descriptorColumns);
  let entry = shared.get(db);
  if (entry?.key !== key) shared.set(db, (entry = { key, index: new ColumnIndex(db, descriptorColumns, undefined, 1) }));
  return entry.index;
}

function loadColumns(db: Db, descriptorColumns: Partial<Record<DescriptorName, string>>): Columns {
  const descriptorNames = Object.keys(descriptorColumns) as DescriptorName[];
  const extra = descriptorNames.map((d) => `, s."${descriptorColumns[d]}"`).join('');
  const select = db
    .prepare(
      `SELECT t.id, t.year, t.genre, s.track_id, s.bpm, s.bpm_confidence, s.key_tonic, s.key_mode, s.key_confidence, s.meter, t.title${extra}
         FROM tracks t LEFT JOIN track_summaries s ON s.track_id = t.id WHERE t.status = 'present' ORDER BY t.id`,
    )
    .raw();
  // Counted first so the arrays are made once; rows are then streamed (no array of 100,000 rows to collect).
  const n = db.prepare("SELECT count(*) FROM tracks WHERE status = 'present'").pluck().get() as number;
  const c: Columns = {
    size: n,
    ids: new Float64Array(n),
    hasSummary: new Uint8Array(n),
    year: new Float64Array(n),
    genre: new Int32Array(n),
    genres: [],
    bpm: new Float64Array(n),
    bpmConfidence: new Float64Array(n),
    keyTonic: new Float64Array(n),
    keyMode: new Int32Array(n),
    modes: [],
    keyConfidence: new Float64Array(n),
    meter: new Int32Array(n),
    meters: [],
    descriptors: {},
    evidence: new Map(),
    rowOf: () => -1,
    idsWithTitle: () => [],
  };
  const genreCode = dictionary(c.genres);
  const modeCode = dictionary(c.modes);
  const meterCode = dictionary(c.meters);
  const descriptorArrays = descriptorNames.map((d) => (c.descriptors[d] = new Float64Array(n)));
  const titles: unknown[] = new Array(n);
  let i = 0;
  for (const r of select.iterate() as IterableIterator<unknown[]>) {
    if (i === n) break;
    c.ids[i] = Number(r[0]);
    c.year[i] = real(r[1]);
    c.genre[i] = genreCode(r[2]);
    c.hasSummary[i] = r[3] === null ? 0 : 1;
    c.bpm[i] = real(r[4]);
    c.bpmConfidence[i] = real(r[5]);
    c.keyTonic[i] = real(r[6]);
    c.keyMode[i] = modeCode(r[7]);
    c.keyConfidence[i] = real(r[8]);
    c.meter[i] = meterCode(r[9]);
    titles[i] = r[10];
    for (let k = 0; k < descriptorArrays.length; k++) descriptorArrays[k]![i] = real(r[11 + k]);
    i++;
  }
  c.rowOf = rowLookup(c.ids);
  // Printable-ASCII titles by their lower case, made on the first "like …".
  let byTitle: Map<string, number[]> | null = null;
  c.idsWithTitle = (key) => {
    if (!byTitle) {
      byTitle = new Map();
      for (let i = 0; i < n; i++) {
        const title = titles[i];
        if (typeof title !== 'string' || !/^[\x20-\x7e]*$/.test(title)) continue;
        const k = title.toLowerCase();
        const ids = byTitle.get(k);
        if (ids) ids.push(c.ids[i]!);
        else byTitle.set(k, [c.ids[i]!]);
      }
    }
    return byTitle.get(key) ?? [];
  };
  // In primary-key order (concept, track): one array per run of a concept.
  const evidence = db.prepare('SELECT concept, track_id, strength FROM search_evidence ORDER BY concept, track_id').raw().iterate() as IterableIterator<[string, number, number]>;
  let concept: string | null = null;
  let strengths = new Float64Array(0);
  for (const [name, trackId, strength] of evidence) {
    if (name !== concept) {
      concept = name;
      strengths = new Float64Array(n).fill(NaN);
      c.evidence.set(name, strengths);
    }
    const row = c.rowOf(trackId);
    if (row >= 0) strengths[row] = strength;
  }
  return c;
}

/** A number column value, NaN for NULL (and for text that is not a number). */
function real(v: unknown): number {
  return v === null || v === undefined ? NaN : Number(v);
}

/** Codes for the distinct values of a text column (NULL → -1), appending new ones to `values`. */
function dictionary(values: string[]): (v: unknown) => number {
  const codes = new Map<string, number>();
  return (v) => {
    if (v === null || v === undefined) return -1;
    const s = String(v);
    let code = codes.get(s);
    if (code === undefined) {
      code = values.length;
      values.push(s);
      codes.set(s, code);
    }
    return code;
  };
}

/** id → row: a dense table when ids are compact (the usual case), else a Map. */
function rowLookup(ids: Float64Array): (id: number) => number {
  const max = ids.length ? ids[ids.length - 1]! : 0;
  if (max >= 0 && max <= 8 * ids.length + 65536 && ids.every((id) => Number.isInteger(id) && id >= 0)) {
    const table = new Int32Array(max + 1).fill(-1);
    ids.forEach((id, i) => (table[id] = i));
    return (id) => (Number.isInteger(id) && id >= 0 && id <= max ? table[id]! : -1);
  }
  const map = new Map<number, number>();
  ids.forEach((id, i) => map.set(id, i));
  return (id) => map.get(id) ?? -1;
}
