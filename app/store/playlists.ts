import { statementCache, type Db } from './db.ts';

/** A smart playlist: a saved search query, run again whenever it is read (so it stays live). */
export interface Playlist {
  id: number;
  name: string;
  query: string;
  createdAt: number;
  updatedAt: number;
}

interface PlaylistRow {
  id: number;
  name: string;
  query: string;
  created_at: number;
  updated_at: number;
}

const toPlaylist = (r: PlaylistRow): Playlist => ({ id: r.id, name: r.name, query: r.query, createdAt: r.created_at, updatedAt: r.updated_at });

/** Typed access to `playlists` (migration 6). Names are unique, compared without case. */
export class PlaylistsRepo {
  private readonly q: ReturnType<typeof statementCache>;
  constructor(db: Db) {
    this.q = statementCache(db);
  }

  /** Creates the playlist, or replaces the query of the one with that name. */
  save(name: string, query: string, now = Date.now()): Playlist {
    this.q(
      `INSERT INTO playlists (name, query, created_at, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(name) DO UPDATE SET query = excluded.query, updated_at = excluded.updated_at`,
    ).run(name, query, now, now);
    return this.byName(name)!;
  }

  byName(name: string): Playlist | undefined {
    const r = this.q('SELECT * FROM playlists WHERE name = ?').get(name) as PlaylistRow | undefined;
    return r && toPlaylist(r);
  }

  list(): Playlist[] {
    return (this.q('SELECT * FROM playlists ORDER BY name COLLATE NOCASE').all() as PlaylistRow[]).map(toPlaylist);
  }

  remove(name: string): boolean {
    return this.q('DELETE FROM playlists WHERE name = ?').run(name).changes > 0;
  }
}
