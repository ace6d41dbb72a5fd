import type { Migration } from './types.ts';

/**
 * The analysis job queue: one job per (track, analyser-set version key). `analysers` lists the
 * analysers whose stored version differs (JSON array); `crashes` counts worker crashes and overruns
 * of the time limit on this file (two quarantine it). `owner` is the queue runner holding a running
 * job; `queue_state` holds the queue's settings (paused, concurrency) and the runner's lock.
 */
export const migration005: Migration = {
  version: 5,
  name: 'jobs',
  up: `
    CREATE TABLE jobs (
      id              INTEGER PRIMARY KEY,
      track_id        INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
      version_key     TEXT NOT NULL,
      analysers       TEXT NOT NULL DEFAULT '[]',
      state           TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
      priority        INTEGER NOT NULL DEFAULT 0,
      attempts        INTEGER NOT NULL DEFAULT 0,
      crashes         INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER NOT NULL DEFAULT 0,
      error           TEXT,
      error_code      TEXT,
      owner           TEXT,
      created_at      INTEGER NOT NULL,
      updated_at      INTEGER NOT NULL,
      started_at      INTEGER,
      finished_at     INTEGER,
      UNIQUE (track_id, version_key)
    );
    CREATE INDEX jobs_runnable ON jobs(state, priority DESC, next_attempt_at, id);

    CREATE TABLE queue_state (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) WITHOUT ROWID;
  `,
};
