import { statementCache, type Db } from './db.ts';

/** What the scanner learns about one audio file: file facts, format and tags. */
export interface TrackFacts {
  path: string;
  size: number;
  mtimeMs: number;
  fingerprint: string;
  container: string | null;
  codec: string | null;
  lossless: boolean | null;
  duration: number | null;
  sampleRate: number | null;
  channels: number | null;
  bitDepth: number | null;
  bitrate: number | null;
  title: string | null;
  artist: string | null;
  album: string | null;
  albumArtist: string | null;
  trackNo: number | null;
  trackTotal: number | null;
  discNo: number | null;
  discTotal: number | null;
  year: number | null;
  genre: string | null;
  composer: string | null;
  tagBpm: number | null;
  tagKey: string | null;
  hasArtwork: boolean;
}

export type TrackStatus = 'present' | 'missing';

export interface Track extends TrackFacts {
  id: number;
  rootId: number;
  status: TrackStatus;
  missingSince: number | null;
  addedAt: number;
  updatedAt: number;
}

/** The few columns an incremental scan needs to decide whether a file changed. */
export interface TrackStamp {
  id: number;
  path: string;
  size: number;
  mtimeMs: number;
  status: TrackStatus;
}

interface TrackRow {
  id: number;
  root_id: number;
  path: string;
  status: TrackStatus;
  missing_since: number | null;
  size: number;
  mtime_ms: number;
  fingerprint: string;
  container: string | null;
  codec: string | null;
  lossless: number | null;
  duration: number | null;
  sample_rate: number | null;
  channels: number | null;
  bit_depth: number | null;
  bitrate: number | null;
  title: string | null;
  artist: string | null;
  album: string | null;
  album_artist: string | null;
  track_no: number | null;
  track_total: number | null;
  disc_no: number | null;
  disc_total: number | null;
  year: number | null;
  genre: string | null;
  composer: string | null;
  tag_bpm: number | null;
  tag_key: string | null;
  has_artwork: number;
  added_at: number;
  updated_at: number;
}

function toTrack(r: TrackRow): Track {
  return {
    id: r.id,
    rootId: r.root_id,
    path: r.path,
    status: r.status,
    missingSince: r.missing_since,
    size: r.size,
    mtimeMs: r.mtime_ms,
    fingerprint: r.fingerprint,
    container: r.container,
    codec: r.codec,
    lossless: r.lossless === null ? null : r.lossless === 1,
    duration: r.duration,
    sampleRate: r.sample_rate,
    channels: r.channels,
    bitDepth: r.bit_depth,
    bitrate: r.bitrate,
    title: r.title,
    artist: r.artist,
    album: r.album,
    albumArtist: r.album_artist,
    trackNo: r.track_no,
    trackTotal: r.track_total,
    discNo: r.disc_no,
    discTotal: r.disc_total,
    year: r.year,
    genre: r.genre,
    composer: r.composer,
    tagBpm: r.tag_bpm,
    tagKey: r.tag_key,
    hasArtwork: r.has_artwork === 1,
    addedAt: r.added_at,
    updatedAt: r.updated_at,
  };
}

/** Named parameters shared by insert and update. */
function factParams(f: TrackFacts) {
  return {
    path: f.path,
    size: f.size,
    mtime_ms: Math.trunc(f.mtimeMs),
    fingerprint: f.fingerprint,
    container: f.container,
    codec: f.codec,
    lossless: f.lossless === null ? null : f.lossless ? 1 : 0,
    duration: f.duration,
    sample_rate: f.sampleRate,
    channels: f.channels,
    bit_depth: f.bitDepth,
    bitrate: f.bitrate,
    title: f.title,
    artist: f.artist,
    album: f.album,
    album_artist: f.albumArtist,
    track_no: f.trackNo,
    track_total: f.trackTotal,
    disc_no: f.discNo,
    disc_total: f.discTotal,
    year: f.year,
    genre: f.genre,
    composer: f.composer,
    tag_bpm: f.tagBpm,
    tag_key: f.tagKey,
    has_artwork: f.hasArtwork ? 1 : 0,
  };
}

const FACT_COLUMNS = Object.keys(factParams({} as TrackFacts));

export interface TrackQuery {
  rootId?: number;
  status?: TrackStatus;
  /** Include tracks whose root was removed (hidden by default). */
  includeRemovedRoots?: boolean;
  limit?: number;
  offset?: number;
}

/** Typed access to the `tracks` table. A track's id never changes, whatever happens to its file. */
export class TracksRepo {
  private readonly q: ReturnType<typeof statementCache>;
  private readonly insertStmt;
  private readonly updateStmt;

  constructor(private readonly db: Db) {
    this.q = statementCache(db);
    this.insertStmt = db.prepare(
      `INSERT INTO tracks (root_id, status, added_at, updated_at, ${FACT_COLUMNS.join(', ')})
       VALUES (@root_id, 'present', @now, @now, ${FACT_COLUMNS.map((c) => '@' + c).join(', ')})`,
    );
    this.updateStmt = db.prepare(
      `UPDATE tracks SET root_id = @root_id, status = 'present', missing_since = NULL, updated_at = @now,
       ${FACT_COLUMNS.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`,
    );
  }

  insert(rootId: number, facts: TrackFacts, now = Date.now()): number {
    return Number(this.insertStmt.run({ ...factParams(facts), root_id: rootId, now }).lastInsertRowid);
  }

  /** Rewrites a track's facts (also its path, for a move), keeping its id; marks it present. */
  update(id: number, rootId: number, facts: TrackFacts, now = Date.now()): void {
    this.updateStmt.run({ ...factParams(facts), root_id: rootId, id, now });
  }

  /** Marks tracks missing (their file is gone); nothing is erased. */
  markMissing(ids: readonly number[], now = Date.now()): void {
    const stmt = this.q("UPDATE tracks SET status = 'missing', missing_since = ? WHERE id = ? AND status = 'present'");
    for (const id of ids) stmt.run(now, id);
  }

  /** Marks a file found again at the same path, unchanged, as present. */
  markPresent(ids: readonly number[]): void {
    const stmt = this.q("UPDATE tracks SET status = 'present', missing_since = NULL WHERE id = ?");
    for (const id of ids) stmt.run(id);
  }

  byId(id: number): Track | undefined {
    const row = this.q('SELECT * FROM tracks WHERE id = ?').get(id) as TrackRow | undefined;
    return row && toTrack(row);
  }

  byPath(path: string): Track | undefined {
    const row = this.q('SELECT * FROM tracks WHERE path = ?').get(path) as TrackRow | undefined;
    return row && toTrack(row);
  }

  /** Tracks with this content fingerprint, missing ones first, at most `limit`. */
  byFingerprint(fingerprint: string, limit = 64): Track[] {
    return (
      this.q("SELECT * FROM tracks WHERE fingerprint = ? ORDER BY status = 'missing' DESC, id LIMIT ?").all(fingerprint, limit) as TrackRow[]
    ).map(toTrack);
  }

  /** Size and mtime of every track under a root, for the incremental scan. */
  stampsForRoot(rootId: number): Map<string, TrackStamp> {
    const rows = this.q('SELECT id, path, size, mtime_ms, status FROM tracks WHERE root_id = ?').all(rootId) as Pick<
      TrackRow,
      'id' | 'path' | 'size' | 'mtime_ms' | 'status'
    >[];
    return new Map(rows.map((r) => [r.path, { id: r.id, path: r.path, size: r.size, mtimeMs: r.mtime_ms, status: r.status }]));
  }

  /** Tracks whose path is `dir` or lies below it. */
  underDirectory(dir: string, sep: string): Track[] {
    const prefix = dir.endsWith(sep) ? dir : dir + sep;
    const rows = this.q('SELECT * FROM tracks WHERE substr(path, 1, ?) = ? ORDER BY path')
      .all(prefix.length, prefix) as TrackRow[];
    return rows.map(toTrack);
  }

  /** Moves every track of the given roots to `rootId` (a new root that contains them). */
  reparent(fromRootIds: readonly number[], rootId: number): void {
    const stmt = this.q('UPDATE tracks SET root_id = ? WHERE root_id = ?');
    for (const id of fromRootIds) stmt.run(rootId, id);
  }

  list(q: TrackQuery = {}): Track[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (q.rootId !== undefined) {
      where.push('t.root_id = ?');
      params.push(q.rootId);
    }
    if (q.status) {
      where.push('t.status = ?');
      params.push(q.status);
    }
    if (!q.includeRemovedRoots) where.push("r.status != 'removed'");
    const sql = `SELECT t.* FROM tracks t JOIN roots r ON r.id = t.root_id
      ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
      ORDER BY t.artist COLLATE NOCASE, t.album COLLATE NOCASE, t.disc_no, t.track_no, t.path
      LIMIT ? OFFSET ?`;
    params.push(q.limit ?? -1, q.offset ?? 0);
    return (this.q(sql).all(...params) as TrackRow[]).map(toTrack);
  }

  count(q: { status?: TrackStatus; includeRemovedRoots?: boolean } = {}): number {
    const row = this.q(
        `SELECT count(*) AS n FROM tracks t JOIN roots r ON r.id = t.root_id WHERE ${q.includeRemovedRoots ? '1' : "r.status != 'removed'"} ${q.status ? 'AND t.status = ?' : ''}`,
      )
      .get(...(q.status ? [q.status] : [])) as { n: number };
    return row.n;
  }
}
