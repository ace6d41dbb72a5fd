// One page of the library table in one query: tracks joined with their analysis summary, sorted and
// filtered in SQLite (the table asks for blocks of rows, never one row at a time).
import type { Db } from '../store/index.ts';
import { camelot, keyName } from '../analysis/key/names.ts';
import type { TrackPage, TrackPageQuery, TrackRow, TrackSortKey } from './api.ts';
import { ServiceError } from './errors.ts';

export const MAX_PAGE = 1000;

/** SQL columns for each sort key (NOCASE for text; `flip` sorts that column the other way); nulls sort last. */
const SORT_SQL: Record<TrackSortKey, { col: string; text?: boolean; flip?: boolean }[]> = {
  title: [{ col: 'coalesce(t.title, t.path)', text: true }],
  artist: [{ col: 't.artist', text: true }],
  album: [{ col: 't.album', text: true }],
  year: [{ col: 't.year' }],
  genre: [{ col: 't.genre', text: true }],
  duration: [{ col: 't.duration' }],
  bpm: [{ col: 's.bpm' }],
  key: [{ col: 's.key_mode', flip: true }, { col: 's.key_tonic' }],
  added: [{ col: 't.added_at' }],
  path: [{ col: 't.path' }],
};

interface PageRow {
  id: number;
  title: string | null;
  artist: string | null;
  album: string | null;
  year: number | null;
  genre: string | null;
  duration: number | null;
  path: string;
  status: 'present' | 'missing';
  container: string | null;
  codec: string | null;
  bpm: number | null;
  key_tonic: number | null;
  key_mode: 'major' | 'minor' | null;
  meter: string | null;
  analysed: number;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => '\\' + c);

function checkQuery(q: TrackPageQuery): void {
  if (!Number.isInteger(q.offset) || q.offset < 0) throw new ServiceError('BAD_ARGS', 'offset must be a whole number ≥ 0');
  if (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > MAX_PAGE) throw new ServiceError('BAD_ARGS', `limit must be 1..${MAX_PAGE}`);
  if (q.sort !== undefined && !Object.hasOwn(SORT_SQL, q.sort)) throw new ServiceError('BAD_ARGS', `unknown sort key: ${String(q.sort)}`);
}

/** The WHERE clause and parameters of a filter (removed folders are always hidden). */
function whereOf(f: TrackPageQuery['filter'] = {}): { sql: string; params: (string | number)[] } {
  const where = ["r.status != 'removed'"];
  const params: (string | number)[] = [];
  if (f.rootId !== undefined) {
    where.push('t.root_id = ?');
    params.push(Number(f.rootId));
  }
  if (f.status === 'present' || f.status === 'missing') {
    where.push('t.status = ?');
    params.push(f.status);
  }
  for (const word of (f.text ?? '').trim().split(/\s+/).filter(Boolean).slice(0, 8)) {
    const like = `%${escapeLike(word)}%`;
    where.push("(t.title LIKE ? ESCAPE '\\' OR t.artist LIKE ? ESCAPE '\\' OR t.album LIKE ? ESCAPE '\\' OR t.genre LIKE ? ESCAPE '\\')");
    params.push(like, like, like, like);
  }
  return { sql: where.join(' AND '), params };
}

/** The ORDER BY of a sort key and direction; nulls last, then album order, then id (a total order). */
function orderOf(sortKey: TrackSortKey, descending: boolean): string {
  const dir = descending ? 'DESC' : 'ASC';
  return [
    ...SORT_SQL[sortKey].map(({ col, text, flip }) => `(${col} IS NULL), ${col}${text ? ' COLLATE NOCASE' : ''} ${descending !== !!flip ? 'DESC' : 'ASC'}`),
    `t.album COLLATE NOCASE ${dir}`,
    `t.track_no ${dir}`,
    `t.id ${dir}`,
  ].join(', ');
}

/** The query for a whole ordering (ids only); migration 010's indexes answer the artist and title sorts without sorting. */
export function orderingQuery(q: Pick<TrackPageQuery, 'sort' | 'descending' | 'filter'>): { sql: string; params: (string | number)[] } {
  const w = whereOf(q.filter);
  const join = (q.sort ?? 'artist') === 'bpm' || q.sort === 'key' ? 'LEFT JOIN track_summaries s ON s.track_id = t.id' : '';
  return { sql: `SELECT t.id FROM tracks t JOIN roots r ON r.id = t.root_id ${join} WHERE ${w.sql} ORDER BY ${orderOf(q.sort ?? 'artist', !!q.descending)}`, params: w.params };
}

const orderingKey = (q: TrackPageQuery) => JSON.stringify([q.sort ?? 'artist', !!q.descending, q.filter ?? {}]);

const ROW_COLUMNS = `t.id, t.title, t.artist, t.album, t.year, t.genre, t.duration, t.path, t.status, t.container, t.codec,
  s.bpm, s.key_tonic, s.key_mode, s.meter, (s.track_id IS NOT NULL) AS analysed`;

/**
 * Pages of the library table. The first request for a sort and filter computes the whole ordering
 * once (ids only: one sort of the library in SQLite); later pages are slices of it, fetched by id, so
 * scrolling to row 90,000 costs the same as row 0. An ordering is reused until `invalidate()` (a
 * write through this connection) or a write by another process (SQLite's data_version). Not
 * total_changes(): that also counts temporary tables (search facets), which change nothing here.
 */
export class TrackPager {
  private readonly orderings = new Map<string, { stamp: string; ids: number[] }>();

  constructor(
    private readonly db: Db,
    private readonly keep = 4,
  ) {}

  private generation = 0;

  /** Forget kept orderings: the library changed through this connection (the service calls this on every write it makes). */
  invalidate(): void {
    this.generation++;
  }

  /** Changes by other processes show in data_version; this connection's own writes bump `generation`. */
  private stamp(): string {
    return `${this.generation}:${this.db.pragma('data_version', { simple: true }) as number}`;
  }

  private ordering(q: TrackPageQuery): number[] {
    const key = orderingKey(q);
    const stamp = this.stamp();
    const hit = this.orderings.get(key);
    if (hit && hit.stamp === stamp) {
      this.orderings.delete(key);
      this.orderings.set(key, hit);
      return hit.ids;
    }
    const o = orderingQuery(q);
    const ids = this.db.prepare(o.sql).pluck().all(...o.params) as number[];
    this.orderings.set(key, { stamp, ids });
    while (this.orderings.size > this.keep) this.orderings.delete(this.orderings.keys().next().value!);
    return ids;
  }

  /** Computes the table's default ordering ahead of the first request (at server start). */
  warm(): void {
    if (this.db.open) this.ordering({ offset: 0, limit: 1, sort: 'artist' });
  }

  page(q: TrackPageQuery): TrackPage {
    checkQuery(q);
    const key = orderingKey(q);
    const cached = this.orderings.get(key);
    if (q.offset === 0 && !(cached && cached.stamp === this.stamp())) {
      // The first screen of a new ordering: a LIMIT query (SQLite keeps only the top rows while
      // sorting) answers now; the whole ordering is built just after, ready for scrolling.
      const first = this.direct(q);
      setImmediate(() => {
        if (this.db.open) this.ordering(q);
      });
      return first;
    }
    const ids = this.ordering(q);
    const slice = ids.slice(q.offset, q.offset + q.limit);
    if (slice.length === 0) return { total: ids.length, offset: q.offset, rows: [] };
    const rows = this.db
      .prepare(`SELECT ${ROW_COLUMNS} FROM tracks t LEFT JOIN track_summaries s ON s.track_id = t.id WHERE t.id IN (${slice.map(() => '?').join(',')})`)
      .all(...slice) as PageRow[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return { total: ids.length, offset: q.offset, rows: slice.flatMap((id) => (byId.has(id) ? [toRow(byId.get(id)!)] : [])) };
  }

  /** One page straight from SQL, with the total. */
  private direct(q: TrackPageQuery): TrackPage {
    const w = whereOf(q.filter);
    const from = `FROM tracks t JOIN roots r ON r.id = t.root_id LEFT JOIN track_summaries s ON s.track_id = t.id WHERE ${w.sql}`;
    const total = (this.db.prepare(`SELECT count(*) AS n FROM tracks t JOIN roots r ON r.id = t.root_id WHERE ${w.sql}`).get(...w.params) as { n: number }).n;
    const rows = this.db
      .prepare(`SELECT ${ROW_COLUMNS} ${from} ORDER BY ${orderOf(q.sort ?? 'artist', !!q.descending)} LIMIT ? OFFSET ?`)
      .all(...w.params, q.limit, q.offset) as PageRow[];
    return { total, offset: q.offset, rows: rows.map(toRow) };
  }
}

/** One page without keeping the ordering (tests, one-off callers). */
export const trackPage = (db: Db, q: TrackPageQuery): TrackPage => new TrackPager(db, 1).page(q);

function toRow(r: PageRow): TrackRow {
  const key = r.key_tonic !== null && r.key_mode ? { tonic: r.key_tonic, mode: r.key_mode } : null;
  return {
    id: r.id,
    title: r.title,
    artist: r.artist,
    album: r.album,
    year: r.year,
    genre: r.genre,
    duration: r.duration,
    path: r.path,
    status: r.status,
    format: r.codec && r.container && !r.container.toLowerCase().includes(r.codec.toLowerCase()) ? `${r.container} · ${r.codec}` : (r.container ?? r.codec),
    bpm: r.bpm,
    keyName: key ? keyName(key) : null,
    camelot: key ? camelot(key) : null,
    meter: r.meter,
    analysed: r.analysed === 1,
  };
}
