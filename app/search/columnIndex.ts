// An in-memory column copy of what search filters, ranks and counts on: one typed array per column
// of the tracks (presence, year, genre), their summary rows (key, tempo, meter, the descriptors of
// analysis II) and one strength array per evidence concept, row i = the i-th track by id. Tracks
// that are not present (missing files) have rows too, marked absent, so one coming back is a flag.
// A query then filters and scores by scanning arrays (columnScan.ts) instead of ranking tens of
// thousands of rows in SQL. Kept fresh by migration 011's counter, which triggers bump on every
// write to tracks, track_summaries and search_evidence from any process; it is read only after a
// write (this connection's total_changes() or another's data_version moved), like similarIndex.ts.
// When it moved, migration 012's change log names the tracks written since the copy was made: when
// they are few, only their rows are re-read and updated in place (new tracks appended, deleted or
// missing ones marked absent); otherwise the copy is loaded whole once writes pause.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/index.ts';
import type { DescriptorName } from './query.ts';

/**
 * The columns of the tracks, row i = ids[i] (ascending); NaN and -1 stand for NULL. Rows whose
 * present[i] is 0 are tracks that are not present (missing, or deleted since the load): scans skip
 * them. Arrays may be longer than `size` (room to append); only the first `size` entries are rows.
 */
export interface Columns {
  size: number;
  ids: Float64Array;
  /** 1 for a present track; 0 for a row whose track is missing or deleted. */
  present: Uint8Array;
  /** How many of the `size` rows have present 0. */
  absent: number;
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
  /** Ids of the present tracks whose title, lower-cased, is this printable-ASCII text (ascending). */
  idsWithTitle(lowerAsciiTitle: string): readonly number[];
}

/**
 * A stale copy that changes cannot update (too many tracks written, or the change log pruned past
 * it) is loaded whole once the store has had no such write for this long (seen by two searches);
 * until then search answers from SQL, always current, so a library being analysed is not copied
 * again on every search.
 */
export const QUIET_BEFORE_REBUILD_MS = 2000;

/** An update re-reads at most this many tracks, or this fraction of the rows if more; past that the copy is loaded whole. */
export const INCREMENTAL_MAX_TRACKS = 2000;
export const INCREMENTAL_MAX_FRACTION = 0.02;
/** Past this fraction of absent rows (deleted or missing tracks) the copy is loaded whole at the next change. */
export const MAX_ABSENT_FRACTION = 0.25;

/** How the copy has been kept current (for tests and benchmarks). */
export interface ColumnIndexCounts {
  /** Whole loads. */
  full: number;
  /** Updates from the change log. */
  incremental: number;
  /** Tracks those updates re-read. */
  tracks: number;
}

export class ColumnIndex {
  private data: ColumnData | null = null;
  private columns: Columns | null = null;
  private version: number | null = null;
  /** The newest change (migration 012's seq) the copy includes; null without migration 012. */
  private seq: number | null = null;
  /** Set when the changes after `seq` are too many to apply (or pruned): wait for a whole load. */
  private beyondChanges = false;
  /** The newest version seen while stale, and when it was first seen. */
  private pending: { version: number; since: number } | null = null;
  /** total_changes() and data_version at the last version check. */
  private writes: string | null = null;
  private readonly versionQuery: Statement | null;
  private readonly log: { seq: Statement; pruned: Statement; changes: Statement } | null;
  private writesQuery: Statement | null = null;
  /** Calls of current() before the first load. */
  private asked = 0;
  readonly counts: ColumnIndexCounts = { full: 0, incremental: 0, tracks: 0 };

  /**
   * `loadAfter`: how many calls of current() answer null (SQL) before the first load, so a one-off
   * query (the CLI, a chat tool) does not pay for a copy it would use once. `maxTracks`: the most
   * tracks an update re-reads (default: INCREMENTAL_MAX_TRACKS or INCREMENTAL_MAX_FRACTION of the rows).
   */
  constructor(
    private readonly db: Db,
    private readonly descriptorColumns: Partial<Record<DescriptorName, string>>,
    private readonly now: () => number = () => performance.now(),
    private readonly loadAfter = 0,
    private readonly maxTracks: number | null = null,
  ) {
    const has = (table: string) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
    this.versionQuery = has('search_column_version') ? db.prepare('SELECT version FROM search_column_version WHERE id = 1').pluck() : null;
    this.log = has('search_column_changes')
      ? {
          // The newest change, or the newest pruned one when the log is empty.
          seq: db.prepare('SELECT max(coalesce((SELECT max(seq) FROM search_column_changes), 0), (SELECT pruned_through FROM search_column_log WHERE id = 1))').pluck(),
          pruned: db.prepare('SELECT pruned_through FROM search_column_log WHERE id = 1').pluck(),
          changes: db.prepare('SELECT seq, track_id FROM search_column_changes WHERE seq > ? ORDER BY seq').raw(),
        }
      : null;
  }

  /**
   * The columns when they are current, else null (the caller answers from SQL): loaded on first use;
   * after the store changed, updated from the change log when few tracks changed, else loaded whole
   * once it has been quiet for QUIET_BEFORE_REBUILD_MS. Null also without migration 011.
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
      if (this.catchUp()) return this.columns;
      const now = this.now();
      if (this.pending?.version !== version) this.pending = { version, since: now };
      if (now - this.pending.since < QUIET_BEFORE_REBUILD_MS) return null;
    }
    return this.rebuild();
  }

  /** Loads every column afresh, with the version and change they are at (one read transaction: one state of the store). */
  rebuild(): Columns {
    const load = this.db.transaction(() => ({
      version: (this.versionQuery?.get() as number | undefined) ?? null,
      seq: (this.log?.seq.get() as number | undefined) ?? null,
      data: ColumnData.load(this.db, this.descriptorColumns),
    }));
    const { version, seq, data } = load();
    this.data = data;
    this.columns = data.snapshot();
    this.version = version;
    this.seq = seq;
    this.beyondChanges = false;
    this.pending = null;
    this.counts.full++;
    return this.columns;
  }

  /**
   * Applies the changes logged since the copy was made, when they name few enough tracks: re-reads
   * those tracks' rows (one read transaction) and updates the copy. False when they cannot be
   * applied (too many, pruned from the log, a track to insert between rows, no migration 012), or
   * when more than MAX_ABSENT_FRACTION of the rows are absent (scans would read them for nothing).
   */
  private catchUp(): boolean {
    const log = this.log;
    const data = this.data;
    if (!log || !data || this.seq === null || this.beyondChanges || data.absent > MAX_ABSENT_FRACTION * data.size) return false;
    const since = this.seq;
    const limit = this.maxTracks ?? Math.max(INCREMENTAL_MAX_TRACKS, Math.floor(INCREMENTAL_MAX_FRACTION * data.size));
    const read = this.db.transaction(() => {
      if ((log.pruned.get() as number) > since) return null;
      const ids = new Set<number>();
      let seq = since;
      for (const [s, id] of log.changes.iterate(since) as IterableIterator<[number, number]>) {
        if (!ids.has(id)) {
          if (ids.size >= limit) return null;
          ids.add(id);
        }
        seq = s;
      }
      return { version: this.versionQuery!.get() as number, seq, ids, ...data.read(this.db, ids) };
    });
    const changes = read();
    if (!changes || !data.apply(changes.ids, changes.rows, changes.evidence)) {
      this.beyondChanges = true;
      return false;
    }
    this.columns = data.snapshot();
    this.version = changes.version;
    this.seq = changes.seq;
    this.pending = null;
    this.counts.incremental++;
    this.counts.tracks += changes.ids.size;
    return true;
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

/** The columns a track row is read with, in this order (then one per descriptor). */
const TRACK_COLUMNS = "t.id, t.year, t.genre, s.track_id, s.bpm, s.bpm_confidence, s.key_tonic, s.key_mode, s.key_confidence, s.meter, t.title, t.status = 'present'";
const FIRST_DESCRIPTOR = 12;

type Evidence = [concept: string, trackId: number, strength: number];

/**
 * The arrays behind the columns and what updates them: dictionaries of the text columns, the titles,
 * the id → row lookup. Each update hands out a new Columns object (snapshot()) over the same arrays,
 * so what callers cache per Columns object (scan buffers, the genre table) is made again.
 */
class ColumnData {
  private capacity: number;
  size = 0;
  absent = 0;
  ids: Float64Array;
  present: Uint8Array;
  hasSummary: Uint8Array;
  year: Float64Array;
  genre: Int32Array;
  bpm: Float64Array;
  bpmConfidence: Float64Array;
  keyTonic: Float64Array;
  keyMode: Int32Array;
  keyConfidence: Float64Array;
  meter: Int32Array;
  readonly genres: string[] = [];
  readonly modes: string[] = [];
  readonly meters: string[] = [];
  private readonly genreCode = dictionary(this.genres);
  private readonly modeCode = dictionary(this.modes);
  private readonly meterCode = dictionary(this.meters);
  private descriptorArrays: Float64Array[];
  readonly evidence = new Map<string, Float64Array>();
  private readonly titles: unknown[] = [];
  /** Present rows by lower-cased printable-ASCII title, made on the first "like …". */
  private byTitle: Map<string, number[]> | null = null;
  private readonly rows = new RowLookup();
  private readonly rowsQuery: string;

  private constructor(
    private readonly descriptorNames: DescriptorName[],
    descriptorColumns: Partial<Record<DescriptorName, string>>,
    capacity: number,
  ) {
    this.capacity = capacity;
    this.ids = new Float64Array(capacity);
    this.present = new Uint8Array(capacity);
    this.hasSummary = new Uint8Array(capacity);
    this.year = new Float64Array(capacity);
    this.genre = new Int32Array(capacity);
    this.bpm = new Float64Array(capacity);
    this.bpmConfidence = new Float64Array(capacity);
    this.keyTonic = new Float64Array(capacity);
    this.keyMode = new Int32Array(capacity);
    this.keyConfidence = new Float64Array(capacity);
    this.meter = new Int32Array(capacity);
    this.descriptorArrays = descriptorNames.map(() => new Float64Array(capacity));
    const extra = descriptorNames.map((d) => `, s."${descriptorColumns[d]}"`).join('');
    this.rowsQuery = `SELECT ${TRACK_COLUMNS}${extra} FROM tracks t LEFT JOIN track_summaries s ON s.track_id = t.id`;
  }

  /** Every track, with room to append a few more. */
  static load(db: Db, descriptorColumns: Partial<Record<DescriptorName, string>>): ColumnData {
    // Counted first so the arrays are made once; rows are then streamed (no array of 100,000 rows to collect).
    const n = db.prepare('SELECT count(*) FROM tracks').pluck().get() as number;
    const data = new ColumnData(Object.keys(descriptorColumns) as DescriptorName[], descriptorColumns, n + 1024 + (n >> 5));
    const select = db.prepare(`${data.rowsQuery} ORDER BY t.id`).raw();
    for (const r of select.iterate() as IterableIterator<unknown[]>) {
      if (data.size === n) break;
      const row = data.size++;
      data.writeRow(row, r);
      data.rows.set(data.ids[row]!, row);
      if (data.present[row] === 0) data.absent++;
    }
    // In primary-key order (concept, track): one array per run of a concept.
    const evidence = db.prepare('SELECT concept, track_id, strength FROM search_evidence ORDER BY concept, track_id').raw().iterate() as IterableIterator<Evidence>;
    let concept: string | null = null;
    let strengths: Float64Array = new Float64Array(0);
    for (const [name, trackId, strength] of evidence) {
      if (name !== concept) {
        concept = name;
        strengths = data.concept(name);
      }
      const row = data.rows.get(trackId);
      if (row >= 0) strengths[row] = strength;
    }
    return data;
  }

  /** The tracks among `ids` that exist (ascending) and their evidence rows, as load() reads them. */
  read(db: Db, ids: Set<number>): { rows: unknown[][]; evidence: Evidence[] } {
    const list = JSON.stringify([...ids]);
    return {
      rows: db.prepare(`${this.rowsQuery} WHERE t.id IN (SELECT value FROM json_each(?)) ORDER BY t.id`).raw().all(list) as unknown[][],
      evidence: db.prepare('SELECT concept, track_id, strength FROM search_evidence WHERE track_id IN (SELECT value FROM json_each(?))').raw().all(list) as Evidence[],
    };
  }

  /**
   * Brings the rows of the changed tracks `ids` up to date: `rows` are those that still exist (as
   * read()), `evidence` their evidence rows. A track with a row is rewritten, one without is
   * appended, a row whose track is not in `rows` (deleted) is marked absent. False, changing nothing,
   * when a new track's id is below the last row's (it would go between rows; SQLite gives new rows
   * ids above every existing one, so only an explicit id does that; the caller loads whole instead).
   */
  apply(ids: Set<number>, rows: unknown[][], evidence: Evidence[]): boolean {
    const last = this.size > 0 ? this.ids[this.size - 1]! : -Infinity;
    let added = 0;
    for (const r of rows) {
      const id = Number(r[0]);
      if (this.rows.get(id) >= 0) continue;
      if (!(id > last)) return false;
      added++;
    }
    if (this.size + added > this.capacity) this.grow(this.size + added + 1024 + (this.size >> 3));
    const exists = new Set<number>();
    for (const r of rows) {
      const id = Number(r[0]);
      exists.add(id);
      let row = this.rows.get(id);
      if (row < 0) {
        row = this.size++;
        this.rows.set(id, row);
        this.present[row] = 1; // counted as present until writeRow says otherwise
      }
      this.forgetTitle(row);
      const was = this.present[row];
      this.writeRow(row, r);
      this.absent += was! - this.present[row]!;
      for (const strengths of this.evidence.values()) strengths[row] = NaN;
      this.rememberTitle(row);
    }
    for (const id of ids) {
      const row = this.rows.get(id);
      if (row < 0 || exists.has(id) || this.present[row] === 0) continue;
      this.forgetTitle(row);
      this.present[row] = 0;
      this.absent++;
      for (const strengths of this.evidence.values()) strengths[row] = NaN;
    }
    for (const [concept, trackId, strength] of evidence) {
      const row = this.rows.get(trackId);
      if (row >= 0) this.concept(concept)[row] = strength;
    }
    return true;
  }

  /** The columns as they are now, as a new object. */
  snapshot(): Columns {
    const descriptors: Partial<Record<DescriptorName, Float64Array>> = {};
    this.descriptorNames.forEach((d, k) => (descriptors[d] = this.descriptorArrays[k]));
    const { rows, present } = this;
    return {
      size: this.size,
      ids: this.ids,
      present,
      absent: this.absent,
      hasSummary: this.hasSummary,
      year: this.year,
      genre: this.genre,
      genres: this.genres,
      bpm: this.bpm,
      bpmConfidence: this.bpmConfidence,
      keyTonic: this.keyTonic,
      keyMode: this.keyMode,
      modes: this.modes,
      keyConfidence: this.keyConfidence,
      meter: this.meter,
      meters: this.meters,
      descriptors,
      evidence: this.evidence,
      rowOf: (id) => {
        const row = rows.get(id);
        return row >= 0 && present[row] === 1 ? row : -1;
      },
      idsWithTitle: (key) => this.titleIndex().get(key) ?? [],
    };
  }

  /** Row `row` from a track row read as TRACK_COLUMNS (+ descriptors). */
  private writeRow(row: number, r: unknown[]): void {
    this.ids[row] = Number(r[0]);
    this.present[row] = r[11] === 1 ? 1 : 0;
    this.year[row] = real(r[1]);
    this.genre[row] = this.genreCode(r[2]);
    this.hasSummary[row] = r[3] === null ? 0 : 1;
    this.bpm[row] = real(r[4]);
    this.bpmConfidence[row] = real(r[5]);
    this.keyTonic[row] = real(r[6]);
    this.keyMode[row] = this.modeCode(r[7]);
    this.keyConfidence[row] = real(r[8]);
    this.meter[row] = this.meterCode(r[9]);
    this.titles[row] = r[10];
    for (let k = 0; k < this.descriptorArrays.length; k++) this.descriptorArrays[k]![row] = real(r[FIRST_DESCRIPTOR + k]);
  }

  /** The strength array of a concept, made (all NaN) on first use. */
  private concept(name: string): Float64Array {
    let strengths = this.evidence.get(name);
    if (!strengths) this.evidence.set(name, (strengths = new Float64Array(this.capacity).fill(NaN)));
    return strengths;
  }

  /** Moves every array into a longer one (appending past the room left at load). */
  private grow(capacity: number): void {
    const longer = <T extends Float64Array | Int32Array | Uint8Array>(a: T, fill = 0): T => {
      const b = new (a.constructor as new (n: number) => T)(capacity);
      b.set(a);
      if (fill !== 0) b.fill(fill, a.length);
      return b;
    };
    this.ids = longer(this.ids);
    this.present = longer(this.present);
    this.hasSummary = longer(this.hasSummary);
    this.year = longer(this.year);
    this.genre = longer(this.genre);
    this.bpm = longer(this.bpm);
    this.bpmConfidence = longer(this.bpmConfidence);
    this.keyTonic = longer(this.keyTonic);
    this.keyMode = longer(this.keyMode);
    this.keyConfidence = longer(this.keyConfidence);
    this.meter = longer(this.meter);
    this.descriptorArrays = this.descriptorArrays.map((a) => longer(a));
    for (const [name, strengths] of this.evidence) this.evidence.set(name, longer(strengths, NaN));
    this.capacity = capacity;
  }

  private titleIndex(): Map<string, number[]> {
    if (!this.byTitle) {
      this.byTitle = new Map();
      for (let row = 0; row < this.size; row++) this.rememberTitle(row);
    }
    return this.byTitle;
  }

  /** Printable-ASCII titles by their lower case (the only ones "like …" looks up here). */
  private titleKey(row: number): string | null {
    const title = this.titles[row];
    return typeof title === 'string' && /^[\x20-\x7e]*$/.test(title) ? title.toLowerCase() : null;
  }

  /** Adds a present row's id under its title, keeping each list ascending (when the title index exists). */
  private rememberTitle(row: number): void {
    const key = this.byTitle && this.present[row] === 1 ? this.titleKey(row) : null;
    if (key === null) return;
    const id = this.ids[row]!;
    const ids = this.byTitle!.get(key);
    if (!ids) this.byTitle!.set(key, [id]);
    else if (ids[ids.length - 1]! < id) ids.push(id);
    else if (!ids.includes(id)) {
      ids.push(id);
      ids.sort((a, b) => a - b);
    }
  }

  /** Removes a row's id from the title index (before its title or presence changes). */
  private forgetTitle(row: number): void {
    const key = this.byTitle && this.present[row] === 1 ? this.titleKey(row) : null;
    if (key === null) return;
    const ids = this.byTitle!.get(key);
    if (!ids) return;
    const at = ids.indexOf(this.ids[row]!);
    if (at >= 0) ids.splice(at, 1);
    if (ids.length === 0) this.byTitle!.delete(key);
  }
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

/** id → row: a dense table while ids are compact non-negative integers (the usual case), else a Map. */
class RowLookup {
  private table: Int32Array | null = new Int32Array(1024).fill(-1);
  private map: Map<number, number> | null = null;
  private count = 0;

  get(id: number): number {
    if (this.table) return Number.isInteger(id) && id >= 0 && id < this.table.length ? this.table[id]! : -1;
    return this.map!.get(id) ?? -1;
  }

  set(id: number, row: number): void {
    this.count++;
    if (this.table && Number.isInteger(id) && id >= 0 && id <= 8 * this.count + 65536) {
      if (id >= this.table.length) {
        const longer = new Int32Array(Math.max(id + 1, this.table.length * 2)).fill(-1);
        longer.set(this.table);
        this.table = longer;
      }
      this.table[id] = row;
      return;
    }
    if (this.table) {
      this.map = new Map();
      this.table.forEach((r, i) => {
        if (r >= 0) this.map!.set(i, r);
      });
      this.table = null;
    }
    this.map!.set(id, row);
  }
}
