import { statementCache, type Db } from './db.ts';

export interface ScanError {
  id: number;
  rootId: number | null;
  scanId: number | null;
  path: string;
  code: string;
  message: string;
  occurredAt: number;
}

export type ScanOutcome = 'completed' | 'root-offline' | 'failed';

export interface ScanCounts {
  filesSeen: number;
  added: number;
  updated: number;
  moved: number;
  missing: number;
  unchanged: number;
  errors: number;
}

export interface ScanRun extends ScanCounts {
  id: number;
  rootId: number | null;
  kind: 'full' | 'paths';
  startedAt: number;
  finishedAt: number | null;
  outcome: ScanOutcome | null;
}

/** Typed access to `scans` (one row a scan run) and `scan_errors` (the current error, if any, of each path). */
export class ScanLogRepo {
  private readonly q: ReturnType<typeof statementCache>;
  constructor(private readonly db: Db) {
    this.q = statementCache(db);
  }

  start(rootId: number | null, kind: 'full' | 'paths', now = Date.now()): number {
    return Number(this.q('INSERT INTO scans (root_id, kind, started_at) VALUES (?, ?, ?)').run(rootId, kind, now).lastInsertRowid);
  }

  finish(scanId: number, outcome: ScanOutcome, c: ScanCounts, now = Date.now()): void {
    this.q(
        `UPDATE scans SET finished_at = ?, outcome = ?, files_seen = ?, added = ?, updated = ?, moved = ?,
         missing = ?, unchanged = ?, errors = ? WHERE id = ?`,
      )
      .run(now, outcome, c.filesSeen, c.added, c.updated, c.moved, c.missing, c.unchanged, c.errors, scanId);
  }

  lastScans(limit = 10): ScanRun[] {
    const rows = this.q('SELECT * FROM scans ORDER BY id DESC LIMIT ?').all(limit) as Record<string, number | string | null>[];
    return rows.map((r) => ({
      id: r.id as number,
      rootId: r.root_id as number | null,
      kind: r.kind as 'full' | 'paths',
      startedAt: r.started_at as number,
      finishedAt: r.finished_at as number | null,
      outcome: r.outcome as ScanOutcome | null,
      filesSeen: r.files_seen as number,
      added: r.added as number,
      updated: r.updated as number,
      moved: r.moved as number,
      missing: r.missing as number,
      unchanged: r.unchanged as number,
      errors: r.errors as number,
    }));
  }

  /** Records the current error of a path, replacing an older one. */
  recordError(e: { rootId: number | null; scanId: number | null; path: string; code: string; message: string }, now = Date.now()): void {
    this.q(
        `INSERT INTO scan_errors (root_id, scan_id, path, code, message, occurred_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(path) DO UPDATE SET root_id = excluded.root_id, scan_id = excluded.scan_id, code = excluded.code,
         message = excluded.message, occurred_at = excluded.occurred_at`,
      )
      .run(e.rootId, e.scanId, e.path, e.code, e.message, now);
  }

  /** Forgets the error of a path that now reads fine. */
  clearError(path: string): void {
    this.q('DELETE FROM scan_errors WHERE path = ?').run(path);
  }

  errors(opts: { rootId?: number; limit?: number } = {}): ScanError[] {
    const rows = this.q(`SELECT * FROM scan_errors ${opts.rootId !== undefined ? 'WHERE root_id = ?' : ''} ORDER BY occurred_at DESC, path LIMIT ?`)
      .all(...(opts.rootId !== undefined ? [opts.rootId] : []), opts.limit ?? -1) as Record<string, number | string | null>[];
    return rows.map((r) => ({
      id: r.id as number,
      rootId: r.root_id as number | null,
      scanId: r.scan_id as number | null,
      path: r.path as string,
      code: r.code as string,
      message: r.message as string,
      occurredAt: r.occurred_at as number,
    }));
  }

  errorCount(): number {
    return (this.q('SELECT count(*) AS n FROM scan_errors').get() as { n: number }).n;
  }
}
