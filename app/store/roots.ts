import { statementCache, type Db } from './db.ts';

export type RootStatus = 'online' | 'offline' | 'removed';

export interface Root {
  id: number;
  path: string;
  status: RootStatus;
  addedAt: number;
  lastScanAt: number | null;
}

interface RootRow {
  id: number;
  path: string;
  status: RootStatus;
  added_at: number;
  last_scan_at: number | null;
}

const toRoot = (r: RootRow): Root => ({ id: r.id, path: r.path, status: r.status, addedAt: r.added_at, lastScanAt: r.last_scan_at });

/** Typed access to the `roots` table (the music folders a user added). */
export class RootsRepo {
  private readonly q: ReturnType<typeof statementCache>;
  constructor(private readonly db: Db) {
    this.q = statementCache(db);
  }

  list(opts: { includeRemoved?: boolean } = {}): Root[] {
    const rows = this.q(`SELECT * FROM roots ${opts.includeRemoved ? '' : "WHERE status != 'removed'"} ORDER BY path`)
      .all() as RootRow[];
    return rows.map(toRoot);
  }

  byId(id: number): Root | undefined {
    const row = this.q('SELECT * FROM roots WHERE id = ?').get(id) as RootRow | undefined;
    return row && toRoot(row);
  }

  byPath(path: string): Root | undefined {
    const row = this.q('SELECT * FROM roots WHERE path = ?').get(path) as RootRow | undefined;
    return row && toRoot(row);
  }

  /** Adds a root, or brings back one that was removed. Returns it. */
  upsert(path: string, now = Date.now()): Root {
    this.q(
        `INSERT INTO roots (path, status, added_at) VALUES (?, 'online', ?)
         ON CONFLICT(path) DO UPDATE SET status = CASE WHEN status = 'removed' THEN 'online' ELSE status END`,
      )
      .run(path, now);
    return this.byPath(path)!;
  }

  setStatus(id: number, status: RootStatus): void {
    this.q('UPDATE roots SET status = ? WHERE id = ?').run(status, id);
  }

  markScanned(id: number, now = Date.now()): void {
    this.q("UPDATE roots SET last_scan_at = ?, status = 'online' WHERE id = ?").run(now, id);
  }
}
