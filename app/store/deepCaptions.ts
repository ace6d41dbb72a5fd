// Typed access to the deep-analysis tables of migration 8: configured model servers, opt-ins, the
// deep-analysis job queue, and the stored captions with their cross-checks and full-text index.
import { statementCache, type Db } from './db.ts';
import type { JobLifecycle, JobState } from './jobs.ts';

export interface AlmBackendRow {
  name: string;
  url: string;
  model: string;
  apiKeyEnv: string | null;
  timeoutMs: number | null;
  concurrency: number | null;
  maxAudioSec: number | null;
  isDefault: boolean;
  createdAt: number;
}

export interface DeepJob extends JobLifecycle {
  /** The model server (alm_backends.name) the caption is asked of. */
  backend: string;
}

export interface ClaimedDeepJob extends DeepJob {
  path: string;
  duration: number | null;
}

/** One answer to a fixed question. */
export interface DeepAnswer {
  id: string;
  question: string;
  answer: string;
  reasoning: string | null;
}

/** A stored caption (model text: unverified except where `checks` says a claim agrees). */
export interface DeepCaption {
  id: number;
  trackId: number;
  backend: string;
  model: string;
  promptVersion: number;
  createdAt: number;
  caption: string;
  reasoning: string | null;
  lyrics: string | null;
  answers: DeepAnswer[];
  /** The cross-check of each claim (app/deep/crosscheck CheckedClaim[]). */
  checks: unknown[];
  analysisVersions: Record<string, number> | null;
  notices: string[];
  durationSec: number | null;
  parts: number;
}

export type NewDeepCaption = Omit<DeepCaption, 'id'>;

export interface DeepTextHit {
  trackId: number;
  captionId: number;
  model: string;
  /** A snippet of the matching model text, with [ ] around the matches. */
  snippet: string;
}

interface JobRow {
  id: number;
  track_id: number;
  backend: string;
  state: JobState;
  attempts: number;
  next_attempt_at: number;
  error: string | null;
  error_code: string | null;
  owner: string | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
}

const toJob = (r: JobRow): DeepJob => ({
  id: r.id,
  trackId: r.track_id,
  backend: r.backend,
  state: r.state,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  error: r.error,
  errorCode: r.error_code,
  owner: r.owner,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
});

interface CaptionRow {
  id: number;
  track_id: number;
  backend: string;
  model: string;
  prompt_version: number;
  created_at: number;
  caption: string;
  reasoning: string | null;
  lyrics: string | null;
  answers: string;
  checks: string;
  analysis_versions: string | null;
  notices: string;
  duration_sec: number | null;
  parts: number;
}

const toCaption = (r: CaptionRow): DeepCaption => ({
  id: r.id,
  trackId: r.track_id,
  backend: r.backend,
  model: r.model,
  promptVersion: r.prompt_version,
  createdAt: r.created_at,
  caption: r.caption,
  reasoning: r.reasoning,
  lyrics: r.lyrics,
  answers: JSON.parse(r.answers) as DeepAnswer[],
  checks: JSON.parse(r.checks) as unknown[],
  analysisVersions: r.analysis_versions === null ? null : (JSON.parse(r.analysis_versions) as Record<string, number>),
  notices: JSON.parse(r.notices) as string[],
  durationSec: r.duration_sec,
  parts: r.parts,
});

/**
 * Runnable: queued and due, its file present under an online folder, the track analysed (a summary
 * exists), and no measured analysis job runnable or running anywhere (deep analysis runs below it).
 */
const RUNNABLE = `d.state = 'queued' AND d.next_attempt_at <= @now AND t.status = 'present' AND r.status = 'online'
  AND EXISTS (SELECT 1 FROM track_summaries s WHERE s.track_id = d.track_id)
  AND NOT EXISTS (SELECT 1 FROM jobs j JOIN tracks jt ON jt.id = j.track_id JOIN roots jr ON jr.id = jt.root_id
                  WHERE j.state = 'running' OR (j.state = 'queued' AND j.next_attempt_at <= @now AND jt.status = 'present' AND jr.status = 'online'))`;

export class DeepRepo {
  private readonly q: ReturnType<typeof statementCache>;
  constructor(private readonly db: Db) {
    this.q = statementCache(db);
  }

  /** Whether migration 8 has run (the deep tables exist). */
  available(): boolean {
    return !!this.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'deep_jobs'`).get();
  }

  // ── backends ──────────────────────────────────────────────────────────────
  saveBackend(b: Omit<AlmBackendRow, 'createdAt' | 'isDefault'> & { isDefault?: boolean }, now = Date.now()): void {
    this.db.transaction(() => {
      const first = (this.q('SELECT count(*) AS n FROM alm_backends').get() as { n: number }).n === 0;
      const makeDefault = b.isDefault || first;
      if (makeDefault) this.q('UPDATE alm_backends SET is_default = 0').run();
      this.q(
        `INSERT INTO alm_backends (name, url, model, api_key_env, timeout_ms, concurrency, max_audio_sec, is_default, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET url = excluded.url, model = excluded.model, api_key_env = excluded.api_key_env,
           timeout_ms = excluded.timeout_ms, concurrency = excluded.concurrency, max_audio_sec = excluded.max_audio_sec,
           is_default = max(alm_backends.is_default, excluded.is_default)`,
      ).run(b.name, b.url, b.model, b.apiKeyEnv, b.timeoutMs, b.concurrency, b.maxAudioSec, makeDefault ? 1 : 0, now);
    })();
  }

  removeBackend(name: string): boolean {
    return this.q('DELETE FROM alm_backends WHERE name = ?').run(name).changes === 1;
  }

  backends(): AlmBackendRow[] {
    const rows = this.q('SELECT * FROM alm_backends ORDER BY is_default DESC, name').all() as {
      name: string;
      url: string;
      model: string;
      api_key_env: string | null;
      timeout_ms: number | null;
      concurrency: number | null;
      max_audio_sec: number | null;
      is_default: number;
      created_at: number;
    }[];
    return rows.map((r) => ({
      name: r.name,
      url: r.url,
      model: r.model,
      apiKeyEnv: r.api_key_env,
      timeoutMs: r.timeout_ms,
      concurrency: r.concurrency,
      maxAudioSec: r.max_audio_sec,
      isDefault: r.is_default === 1,
      createdAt: r.created_at,
    }));
  }

  // ── opt-in ────────────────────────────────────────────────────────────────
  optIn(scope: 'root' | 'track', id: number, now = Date.now()): void {
    this.q('INSERT OR IGNORE INTO deep_optin (scope, ref_id, created_at) VALUES (?, ?, ?)').run(scope, id, now);
  }

  optOut(scope: 'root' | 'track', id: number): boolean {
    return this.q('DELETE FROM deep_optin WHERE scope = ? AND ref_id = ?').run(scope, id).changes === 1;
  }

  optIns(): { scope: 'root' | 'track'; id: number }[] {
    return (this.q('SELECT scope, ref_id AS id FROM deep_optin ORDER BY scope, ref_id').all() as { scope: 'root' | 'track'; id: number }[]).map((r) => ({ ...r }));
  }

  /** Present tracks opted in (themselves or through their music folder) that have no caption of `promptVersion` by `model`. */
  tracksWanting(model: string, promptVersion: number): number[] {
    const rows = this.q(
      `SELECT t.id FROM tracks t
       WHERE t.status = 'present'
         AND (EXISTS (SELECT 1 FROM deep_optin o WHERE o.scope = 'track' AND o.ref_id = t.id)
              OR EXISTS (SELECT 1 FROM deep_optin o WHERE o.scope = 'root' AND o.ref_id = t.root_id))
         AND NOT EXISTS (SELECT 1 FROM deep_captions c WHERE c.track_id = t.id AND c.model = ? AND c.prompt_version = ?)
       ORDER BY t.id`,
    ).all(model, promptVersion) as { id: number }[];
    return rows.map((r) => r.id);
  }

  // ── jobs ──────────────────────────────────────────────────────────────────
  /** Queues a deep job for the track (one per track); a finished one is queued again only with `force`. */
  enqueue(trackId: number, backend: string, opts: { force?: boolean; now?: number } = {}): 'added' | 'requeued' | 'unchanged' {
    const now = opts.now ?? Date.now();
    return this.db.transaction(() => {
      const existing = this.q('SELECT * FROM deep_jobs WHERE track_id = ?').get(trackId) as JobRow | undefined;
      if (!existing) {
        this.q(`INSERT INTO deep_jobs (track_id, backend, state, created_at, updated_at) VALUES (?, ?, 'queued', ?, ?)`).run(trackId, backend, now, now);
        return 'added' as const;
      }
      if (existing.state === 'queued' || existing.state === 'running' || !opts.force) {
        if (existing.state === 'queued' && existing.backend !== backend) this.q('UPDATE deep_jobs SET backend = ?, updated_at = ? WHERE id = ?').run(backend, now, existing.id);
        return 'unchanged' as const;
      }
      this.q(
        `UPDATE deep_jobs SET state = 'queued', backend = ?, attempts = 0, next_attempt_at = 0, error = NULL, error_code = NULL, owner = NULL,
           started_at = NULL, finished_at = NULL, updated_at = ? WHERE id = ?`,
      ).run(backend, now, existing.id);
      return 'requeued' as const;
    })();
  }

  /** Takes the next runnable deep job (oldest first) for `owner`. */
  claim(owner: string, now = Date.now()): ClaimedDeepJob | undefined {
    return this.db.transaction(() => {
      const row = this.q(
        `SELECT d.*, t.path AS path, t.duration AS duration FROM deep_jobs d JOIN tracks t ON t.id = d.track_id JOIN roots r ON r.id = t.root_id
         WHERE ${RUNNABLE} ORDER BY d.id LIMIT 1`,
      ).get({ now }) as (JobRow & { path: string; duration: number | null }) | undefined;
      if (!row) return undefined;
      this.q(`UPDATE deep_jobs SET state = 'running', owner = ?, attempts = attempts + 1, started_at = ?, updated_at = ? WHERE id = ?`).run(owner, now, now, row.id);
      return { ...toJob({ ...row, state: 'running', owner, attempts: row.attempts + 1, started_at: now, updated_at: now }), path: row.path, duration: row.duration };
    })();
  }

  runnableCount(now = Date.now()): number {
    return (this.q(`SELECT count(*) AS n FROM deep_jobs d JOIN tracks t ON t.id = d.track_id JOIN roots r ON r.id = t.root_id WHERE ${RUNNABLE}`).get({ now }) as { n: number }).n;
  }

  markDone(jobId: number, owner: string, now = Date.now()): boolean {
    return (
      this.q(`UPDATE deep_jobs SET state = 'done', owner = NULL, error = NULL, error_code = NULL, finished_at = ?, updated_at = ? WHERE id = ? AND state = 'running' AND owner = ?`).run(
        now,
        now,
        jobId,
        owner,
      ).changes === 1
    );
  }

  markFailed(jobId: number, owner: string, error: string, code: string, now = Date.now()): boolean {
    return (
      this.q(`UPDATE deep_jobs SET state = 'failed', owner = NULL, error = ?, error_code = ?, finished_at = ?, updated_at = ? WHERE id = ? AND state = 'running' AND owner = ?`).run(
        error,
        code,
        now,
        now,
        jobId,
        owner,
      ).changes === 1
    );
  }

  retryLater(jobId: number, owner: string, nextAttemptAt: number, error: string, code: string, now = Date.now()): boolean {
    return (
      this.q(
        `UPDATE deep_jobs SET state = 'queued', owner = NULL, error = ?, error_code = ?, next_attempt_at = ?, updated_at = ? WHERE id = ? AND state = 'running' AND owner = ?`,
      ).run(error, code, nextAttemptAt, now, jobId, owner).changes === 1
    );
  }

  /** Puts one running job back without counting the attempt (the server was down before it started). */
  release(jobId: number, owner: string, nextAttemptAt: number, error: string | null, code: string | null, now = Date.now()): boolean {
    return (
      this.q(
        `UPDATE deep_jobs SET state = 'queued', owner = NULL, attempts = max(attempts - 1, 0), started_at = NULL, next_attempt_at = ?,
           error = coalesce(?, error), error_code = coalesce(?, error_code), updated_at = ? WHERE id = ? AND state = 'running' AND owner = ?`,
      ).run(nextAttemptAt, error, code, now, jobId, owner).changes === 1
    );
  }

  /** Puts running jobs back (of `owner`, or all: at start-up after a killed runner) without counting the attempt. */
  requeueRunning(owner?: string, now = Date.now()): number {
    const sql = `UPDATE deep_jobs SET state = 'queued', owner = NULL, attempts = max(attempts - 1, 0), started_at = NULL, updated_at = ? WHERE state = 'running'`;
    return owner === undefined ? this.q(sql).run(now).changes : this.q(sql + ' AND owner = ?').run(now, owner).changes;
  }

  /** Queues failed and cancelled deep jobs again (of these tracks, or all). */
  retry(trackIds?: readonly number[], now = Date.now()): number {
    const sql = `UPDATE deep_jobs SET state = 'queued', attempts = 0, next_attempt_at = 0, error = NULL, error_code = NULL, finished_at = NULL, updated_at = ?
                 WHERE state IN ('failed', 'cancelled')`;
    if (!trackIds) return this.q(sql).run(now).changes;
    return this.db.transaction(() => trackIds.reduce((n, id) => n + this.q(sql + ' AND track_id = ?').run(now, id).changes, 0))();
  }

  cancel(trackIds?: readonly number[], now = Date.now()): number {
    const sql = `UPDATE deep_jobs SET state = 'cancelled', owner = NULL, finished_at = ?, updated_at = ? WHERE state IN ('queued', 'running')`;
    if (!trackIds) return this.q(sql).run(now, now).changes;
    return this.db.transaction(() => trackIds.reduce((n, id) => n + this.q(sql + ' AND track_id = ?').run(now, now, id).changes, 0))();
  }

  jobForTrack(trackId: number): DeepJob | undefined {
    const r = this.q('SELECT * FROM deep_jobs WHERE track_id = ?').get(trackId) as JobRow | undefined;
    return r && toJob(r);
  }

  jobs(state?: JobState): DeepJob[] {
    const rows = state ? this.q('SELECT * FROM deep_jobs WHERE state = ? ORDER BY id').all(state) : this.q('SELECT * FROM deep_jobs ORDER BY id').all();
    return (rows as JobRow[]).map(toJob);
  }

  counts(now = Date.now()): Record<JobState, number> & { waiting: number } {
    const out = { queued: 0, running: 0, done: 0, failed: 0, cancelled: 0, waiting: 0 };
    for (const r of this.q('SELECT state, count(*) AS n FROM deep_jobs GROUP BY state').all() as { state: JobState; n: number }[]) out[r.state] = r.n;
    out.waiting = (this.q(`SELECT count(*) AS n FROM deep_jobs WHERE state = 'queued' AND next_attempt_at > ?`).get(now) as { n: number }).n;
    return out;
  }

  nextRetryAt(now = Date.now()): number | null {
    return (this.q(`SELECT min(next_attempt_at) AS t FROM deep_jobs WHERE state = 'queued' AND next_attempt_at > ?`).get(now) as { t: number | null }).t;
  }

  // ── captions ──────────────────────────────────────────────────────────────
  /** Saves (replaces) the track's caption by this model. */
  saveCaption(c: NewDeepCaption): number {
    const r = this.q(
      `INSERT INTO deep_captions (track_id, backend, model, prompt_version, created_at, caption, reasoning, lyrics, answers, checks, analysis_versions, notices, duration_sec, parts)
       VALUES (@trackId, @backend, @model, @promptVersion, @createdAt, @caption, @reasoning, @lyrics, @answers, @checks, @analysisVersions, @notices, @durationSec, @parts)
       ON CONFLICT(track_id, model) DO UPDATE SET backend = excluded.backend, prompt_version = excluded.prompt_version, created_at = excluded.created_at,
         caption = excluded.caption, reasoning = excluded.reasoning, lyrics = excluded.lyrics, answers = excluded.answers, checks = excluded.checks,
         analysis_versions = excluded.analysis_versions, notices = excluded.notices, duration_sec = excluded.duration_sec, parts = excluded.parts
       RETURNING id`,
    ).get({
      ...c,
      answers: JSON.stringify(c.answers),
      checks: JSON.stringify(c.checks),
      analysisVersions: c.analysisVersions === null ? null : JSON.stringify(c.analysisVersions),
      notices: JSON.stringify(c.notices),
    }) as { id: number };
    return r.id;
  }

  /** Replaces the stored cross-check of a caption (after the track was analysed again). */
  saveChecks(captionId: number, checks: unknown[], analysisVersions: Record<string, number> | null): void {
    this.q('UPDATE deep_captions SET checks = ?, analysis_versions = ? WHERE id = ?').run(JSON.stringify(checks), analysisVersions === null ? null : JSON.stringify(analysisVersions), captionId);
  }

  captions(trackId: number): DeepCaption[] {
    return (this.q('SELECT * FROM deep_captions WHERE track_id = ? ORDER BY created_at DESC, id DESC').all(trackId) as CaptionRow[]).map(toCaption);
  }

  /** Full-text search in captions, lyric sheets and answers (an FTS5 MATCH string, built with app/search/fts.ts). */
  searchText(match: string, limit = 50): DeepTextHit[] {
    const rows = this.q(
      `SELECT c.track_id AS trackId, c.id AS captionId, c.model AS model, snippet(deep_text, -1, '[', ']', '…', 12) AS snippet
       FROM deep_text JOIN deep_captions c ON c.id = deep_text.rowid
       WHERE deep_text MATCH ? ORDER BY bm25(deep_text, 1.0, 0.5, 0.5), c.track_id LIMIT ?`,
    ).all(match, limit) as DeepTextHit[];
    return rows.map((r) => ({ ...r }));
  }
}
