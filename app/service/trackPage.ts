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

export function trackPage(db: Db, q: TrackPageQuery): TrackPage {
  checkQuery(q);
  const where = ["r.status != 'removed'"];
  const params: (string | number)[] = [];
  const f = q.filter ?? {};
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
  const from = `FROM tracks t JOIN roots r ON r.id = t.root_id LEFT JOIN track_summaries s ON s.track_id = t.id WHERE ${where.join(' AND ')}`;
  const total = (db.prepare(`SELECT count(*) AS n ${from}`).get(...params) as { n: number }).n;
  const dir = q.descending ? 'DESC' : 'ASC';
  const sortKey = q.sort ?? 'artist';
  const order = SORT_SQL[sortKey]
    .map(({ col, text, flip }) => `(${col} IS NULL), ${col}${text ? ' COLLATE NOCASE' : ''} ${(dir === 'DESC') !== !!flip ? 'DESC' : 'ASC'}`)
    .join(', ');
  const rows = db
    .prepare(
      `SELECT t.id, t.title, t.artist, t.album, t.year, t.genre, t.duration, t.path, t.status, t.container, t.codec,
              s.bpm, s.key_tonic, s.key_mode, s.meter, (s.track_id IS NOT NULL) AS analysed
       ${from} ORDER BY ${order}, t.album COLLATE NOCASE, t.track_no, t.id ${dir} LIMIT ? OFFSET ?`,
    )
    .all(...params, q.limit, q.offset) as PageRow[];
  return { total, offset: q.offset, rows: rows.map(toRow) };
}

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
