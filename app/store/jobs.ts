import { statementCache, type Db } from './db.ts';

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** What every persistent job row has, whatever it runs (analysis jobs here, deep-caption jobs in deepCaptions.ts). */
export interface JobLifecycle {
  id: number;
  trackId: number;
  state: JobState;
  attempts: number;
  /** Earliest time (ms) the job may run again (back-off after a failure). */
  nextAttemptAt: number;
  error: string | null;
  errorCode: string | null;
  /** The runner that claimed it, so a stale runner can never finish it. */
  owner: string | null;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface Job extends JobLifecycle {
  /** The analyser set the job brings the track up to, e.g. 'chords:2,frontend:1,key:3'. */
  versionKey: string;
  /** Analysers whose stored version differs from the current one (all of them for a new or changed file). */
  analysers: string[];
  priority: number;
  crashes: number;
}

/** A claimed job with what the worker needs to run it. */
export interface ClaimedJob extends Job {
  path: string;
  duration: number | null;
}

export interface JobCounts {
  queued: number;
  running: number;
  done: number;
  failed: number;
  cancelled: number;
  /** Queued jobs waiting for their retry time. */
  waiting: number;
  /** Queued jobs whose file is missing or whose music folder is offline (they run when it is back). */
  blocked: number;
}

/** Who holds the queue: one runner per database at a time. */
export interface RunnerLock {
  owner: string;
  pid: number;
  heartbeatAt: number;
}

interface JobRow {
  id: number;
  track_id: number;
  version_key: string;
  analysers: string;
  state: JobState;
  priority: number;
  attempts: number;
  crashes: number;
  next_attempt_at: number;
  error: string | null;
  error_code: string | null;
  owner: string | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
}

const toJob = (r: JobRow): Job => ({
  id: r.id,
  trackId: r.track_id,
  versionKey: r.version_key,
  analysers: JSON.parse(r.analysers) as string[],
  state: r.state,
  priority: r.priority,
  attempts: r.attempts,
  crashes: r.crashes,
  nextAttemptAt: r.next_attempt_at,
  error: r.error,
  errorCode: r.error_code,
  owner: r.owner,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
});

/** Runnable: queued, due, its file present under an online music folder. */
const RUNNABLE = `j.state = 'queued' AND j.next_attempt_at <= ? AND t.status = 'present' AND r.status = 'online'`;

/** Typed access to `jobs` (the analysis queue) and `queue_state` (its settings and runner lock). */
export class JobsRepo {
  private readonly q: ReturnType<typeof statementCache>;
  /** Runs `fn` in a transaction (a savepoint inside an outer one); made once, as creating one per call is slow. */
  private readonly atomically: <T>(fn: () => T) => T;
  constructor(db: Db) {
    this.q = statementCache(db);
    const tx = db.transaction((fn: () => unknown) => fn());
    this.atomically = <T>(fn: () => T) => tx(fn) as T;
  }

  /**
   * Makes sure the track has a job for this analyser set. A new job is queued; a finished or
   * running one is queued again only with `force` (the file changed, or the user asked), or when it
   * ended 'done' but the track still needs analysing. Jobs of older analyser sets that are not
   * running go away.
   */
  enqueue(trackId: number, versionKey: string, analysers: string[], opts: { force?: boolean; now?: number } = {}): 'added' | 'requeued' | 'unchanged' {
    const now = opts.now ?? Date.now();
    return this.atomically(() => {
      this.q(`DELETE FROM jobs WHERE track_id = ? AND version_key != ? AND state != 'running'`).run(trackId, versionKey);
      const existing = this.q('SELECT * FROM jobs WHERE track_id = ? AND version_key = ?').get(trackId, versionKey) as JobRow | undefined;
      if (!existing) {
        this.q(
          `INSERT INTO jobs (track_id, version_key, analysers, state, created_at, updated_at) VALUES (?, ?, ?, 'queued', ?, ?)`,
        ).run(trackId, versionKey, JSON.stringify(analysers), now, now);
        return 'added' as const;
      }
      if (existing.state === 'queued') {
        // Still waiting: it runs whatever either request needs.
        const union = JSON.stringify([...new Set([...(JSON.parse(existing.analysers) as string[]), ...analysers])].sort());
        if (union !== existing.analysers) this.q('UPDATE jobs SET analysers = ?, updated_at = ? WHERE id = ?').run(union, now, existing.id);
        return 'unchanged' as const;
      }
      // A forced request for a running job (its file changed meanwhile) takes the job back: the
      // runner sees it is no longer running, stops that analysis and drops its result.
      const again = existing.state === 'done' || opts.force;
      if (!again) return 'unchanged' as const;
      this.q(
        `UPDATE jobs SET state = 'queued', analysers = ?, attempts = 0, crashes = 0, next_attempt_at = 0, error = NULL, error_code = NULL,
           owner = NULL, started_at = NULL, finished_at = NULL, updated_at = ? WHERE id = ?`,
      ).run(JSON.stringify(analysers), now, existing.id);
      return 'requeued' as const;
    });
  }

  /** Removes the queued jobs of other analyser sets (the set the queue works towards changed); returns how many. */
  dropQueuedExcept(versionKey: string): number {
    return this.q(`DELETE FROM jobs WHERE state = 'queued' AND version_key != ?`).run(versionKey).changes;
  }

  /** State and analysers of every job for this analyser set, by track (lets a sync skip what is already queued). */
  statesForKey(versionKey: string): Map<number, { state: JobState; analysers: string[] }> {
    const rows = this.q('SELECT track_id, state, analysers FROM jobs WHERE version_key = ?').all(versionKey) as Pick<JobRow, 'track_id' | 'state' | 'analysers'>[];
    return new Map(rows.map((r) => [r.track_id, { state: r.state, analysers: JSON.parse(r.analysers) as string[] }]));
  }

  /** Takes the next runnable job (highest priority, then oldest) and marks it running for `owner`. */
  claim(owner: string, now = Date.now()): ClaimedJob | undefined {
    return this.atomically(() => {
      const row = this.q(
        `SELECT j.*, t.path AS path, t.duration AS duration FROM jobs j JOIN tracks t ON t.id = j.track_id JOIN roots r ON r.id = t.root_id
         WHERE ${RUNNABLE} ORDER BY j.priority DESC, j.id LIMIT 1`,
      ).get(now) as (JobRow & { path: string; duration: number | null }) | undefined;
      if (!row) return undefined;
      this.q(`UPDATE jobs SET state = 'running', owner = ?, attempts = attempts + 1, started_at = ?, updated_at = ? WHERE id = ?`).run(owner, now, now, row.id);
      return { ...toJob({ ...row, state: 'running', owner, attempts: row.attempts + 1, started_at: now, updated_at: now }), path: row.path, duration: row.duration };
    });
  }

  /** Marks a running job done; false if it is no longer this owner's running job (cancelled meanwhile). Call inside the transaction that saves its result. */
  markDone(jobId: number, owner: string, now = Date.now()): boolean {
    const r = this.q(
      `UPDATE jobs SET state = 'done', owner = NULL, error = NULL, error_code = NULL, finished_at = ?, updated_at = ? WHERE id = ? AND state = 'running' AND owner = ?`,
    ).run(now, now, jobId, owner);
    return r.changes === 1;
  }

  /** Marks the track's queued job for this analyser set done (the track was analysed outside the queue). */
  markQueuedDone(trackId: number, versionKey: string, now = Date.now()): boolean {
    const r = this.q(
      `UPDATE jobs SET state = 'done', error = NULL, error_code = NULL, finished_at = ?, updated_at = ? WHERE track_id = ? AND version_key = ? AND state = 'queued'`,
    ).run(now, now, trackId, versionKey);
    return r.changes === 1;
  }

  /** Marks a running job failed for good (with its error). */
  markFailed(jobId: number, owner: string, error: string, code: string, opts: { crashed?: boolean; now?: number } = {}): boolean {
    const now = opts.now ?? Date.now();
    const r = this.q(
      `UPDATE jobs SET state = 'failed', owner = NULL, error = ?, error_code = ?, crashes = crashes + ?, finished_at = ?, updated_at = ?
       WHERE id = ? AND state = 'running' AND owner = ?`,
    ).run(error, code, opts.crashed ? 1 : 0, now, now, jobId, owner);
    return r.changes === 1;
  }

  /** Puts a running job back in the queue to try again at `nextAttemptAt`, keeping its error. */
  retryLater(jobId: number, owner: string, nextAttemptAt: number, error: string, code: string, opts: { crashed?: boolean; now?: number } = {}): boolean {
    const now = opts.now ?? Date.now();
    const r = this.q(
      `UPDATE jobs SET state = 'queued', owner = NULL, error = ?, error_code = ?, crashes = crashes + ?, next_attempt_at = ?, updated_at = ?
       WHERE id = ? AND state = 'running' AND owner = ?`,
    ).run(error, code, opts.crashed ? 1 : 0, nextAttemptAt, now, jobId, owner);
    return r.changes === 1;
  }

  /**
   * Puts running jobs back in the queue without counting the attempt: those claimed by the runner
   * `runner` (claim owners '<runner>/<n>', a runner stopping), or every running job (at start-up,
   * after a runner was killed).
   */
  requeueRunning(runner?: string, now = Date.now()): number {
    const sql = `UPDATE jobs SET state = 'queued', owner = NULL, attempts = max(attempts - 1, 0), started_at = NULL, updated_at = ? WHERE state = 'running'`;
    if (runner === undefined) return this.q(sql).run(now).changes;
    const prefix = runner + '/';
    return this.q(sql + ' AND substr(owner, 1, ?) = ?').run(now, prefix.length, prefix).changes;
  }

  /** Puts one running job back in the queue without counting the attempt (the worker could not start). */
  release(jobId: number, owner: string, now = Date.now()): boolean {
    const r = this.q(
      `UPDATE jobs SET state = 'queued', owner = NULL, attempts = max(attempts - 1, 0), started_at = NULL, updated_at = ? WHERE id = ? AND state = 'running' AND owner = ?`,
    ).run(now, jobId, owner);
    return r.changes === 1;
  }

  /** Cancels queued and running jobs (of these tracks, or all). Returns how many. */
  cancel(trackIds?: readonly number[], now = Date.now()): number {
    return this.forTracks(
      `UPDATE jobs SET state = 'cancelled', owner = NULL, finished_at = ?, updated_at = ? WHERE state IN ('queued', 'running')`,
      [now, now],
      trackIds,
    );
  }

  /** Queues failed and cancelled jobs again from scratch (of these tracks, or all). Returns how many. */
  retry(trackIds?: readonly number[], now = Date.now()): number {
    return this.forTracks(
      `UPDATE jobs SET state = 'queued', attempts = 0, crashes = 0, next_attempt_at = 0, error = NULL, error_code = NULL, finished_at = NULL, updated_at = ?
       WHERE state IN ('failed', 'cancelled')`,
      [now],
      trackIds,
    );
  }

  /** Moves the track's queued job ahead of every other; false if it has none. */
  bump(trackId: number, now = Date.now()): boolean {
    const r = this.q(
      `UPDATE jobs SET priority = (SELECT coalesce(max(priority), 0) + 1 FROM jobs), next_attempt_at = min(next_attempt_at, ?), updated_at = ?
       WHERE track_id = ? AND state = 'queued'`,
    ).run(now, now, trackId);
    return r.changes > 0;
  }

  private forTracks(sql: string, params: unknown[], trackIds?: readonly number[]): number {
    if (trackIds === undefined) return this.q(sql).run(...params).changes;
    return this.atomically(() => trackIds.reduce((n, id) => n + this.q(sql + ' AND track_id = ?').run(...params, id).changes, 0));
  }

  byId(id: number): Job | undefined {
    const r = this.q('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    return r && toJob(r);
  }

  forTrack(trackId: number): Job[] {
    return (this.q('SELECT * FROM jobs WHERE track_id = ? ORDER BY id').all(trackId) as JobRow[]).map(toJob);
  }

  list(q: { state?: JobState; limit?: number } = {}): Job[] {
    const rows = q.state
      ? this.q('SELECT * FROM jobs WHERE state = ? ORDER BY priority DESC, id LIMIT ?').all(q.state, q.limit ?? -1)
      : this.q('SELECT * FROM jobs ORDER BY id LIMIT ?').all(q.limit ?? -1);
    return (rows as JobRow[]).map(toJob);
  }

  counts(now = Date.now()): JobCounts {
    const out: JobCounts = { queued: 0, running: 0, done: 0, failed: 0, cancelled: 0, waiting: 0, blocked: 0 };
    for (const r of this.q('SELECT state, count(*) AS n FROM jobs GROUP BY state').all() as { state: JobState; n: number }[]) out[r.state] = r.n;
    out.waiting = (this.q(`SELECT count(*) AS n FROM jobs WHERE state = 'queued' AND next_attempt_at > ?`).get(now) as { n: number }).n;
    out.blocked = (
      this.q(
        `SELECT count(*) AS n FROM jobs j JOIN tracks t ON t.id = j.track_id JOIN roots r ON r.id = t.root_id
         WHERE j.state = 'queued' AND (t.status != 'present' OR r.status != 'online')`,
      ).get() as { n: number }
    ).n;
    return out;
  }

  /** Runnable jobs now (what a run to completion has ahead of it). */
  runnableCount(now = Date.now()): number {
    return (this.q(`SELECT count(*) AS n FROM jobs j JOIN tracks t ON t.id = j.track_id JOIN roots r ON r.id = t.root_id WHERE ${RUNNABLE}`).get(now) as { n: number }).n;
  }

  /** The earliest retry time among waiting jobs (null if none wait). */
  nextRetryAt(now = Date.now()): number | null {
    return (this.q(`SELECT min(next_attempt_at) AS t FROM jobs WHERE state = 'queued' AND next_attempt_at > ?`).get(now) as { t: number | null }).t;
  }

  /** Whether the job is still running under this claim (false once cancelled or taken back, even by another process). */
  isRunningAs(jobId: number, owner: string): boolean {
    return this.q(`SELECT 1 FROM jobs WHERE id = ? AND state = 'running' AND owner = ?`).get(jobId, owner) !== undefined;
  }

  /** The analyser versions stored for a track (results and recorded failures alike). */
  storedVersions(trackId: number): Record<string, number> {
    const rows = this.q('SELECT analyser, version FROM analyses WHERE track_id = ?').all(trackId) as { analyser: string; version: number }[];
    return Object.fromEntries(rows.map((r) => [r.analyser, r.version]));
  }

  getSetting(key: string): string | undefined {
    return (this.q('SELECT value FROM queue_state WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  setSetting(key: string, value: string): void {
    this.q('INSERT INTO queue_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  runnerLock(): RunnerLock | undefined {
    const v = this.getSetting('runner');
    return v === undefined ? undefined : (JSON.parse(v) as RunnerLock);
  }

  /**
   * Takes the runner lock unless another live runner holds it (its heartbeat newer than `staleMs`
   * and `isAlive(pid)`); returns the holder when refused.
   */
  tryLock(me: RunnerLock, staleMs: number, isAlive: (pid: number) => boolean): RunnerLock | undefined {
    return this.atomically(() => {
      const held = this.runnerLock();
      if (held && held.owner !== me.owner && me.heartbeatAt - held.heartbeatAt < staleMs && isAlive(held.pid)) return held;
      this.setSetting('runner', JSON.stringify(me));
      return undefined;
    });
  }

  unlock(owner: string): void {
    this.atomically(() => {
      if (this.runnerLock()?.owner === owner) this.q(`DELETE FROM queue_state WHERE key = 'runner'`).run();
    });
  }
}
