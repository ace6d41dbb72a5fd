import type { Migration } from './types.ts';

/**
 * Deep analysis by an audio-language model (issue 9). `alm_backends`: the model servers the user
 * configured (the API key is never stored, only the name of the environment variable holding it).
 * `deep_optin`: music folders and tracks the user opted in. `deep_jobs`: the persistent deep-analysis
 * queue, one job per track, run below the measured analysis (a job is only taken when the track is
 * analysed and no measured job is runnable), retried with back-off. `deep_captions`: the model's
 * caption, reasoning, lyric sheet and answers per track and model, with the prompt version and the
 * cross-check of each claim against the measurements (JSON). `deep_text`: the full-text index of
 * captions (FTS5, same tokenizer as search_text), kept in step by triggers; what it finds is
 * model text, unverified — nothing from it is ever a filter value. Every statement is `IF NOT EXISTS`:
 * a database rewound to an earlier version (as a test of migration 7 does) migrates forward again.
 */
export const migration008: Migration = {
  version: 8,
  name: 'deep',
  up: `
    CREATE TABLE IF NOT EXISTS alm_backends (
      name          TEXT PRIMARY KEY COLLATE NOCASE,
      url           TEXT NOT NULL,
      model         TEXT NOT NULL,
      api_key_env   TEXT,
      timeout_ms    INTEGER,
      concurrency   INTEGER,
      max_audio_sec REAL,
      is_default    INTEGER NOT NULL DEFAULT 0,
      created_at    INTEGER NOT NULL
    );

    CREATE TABLE IF NOT EXISTS deep_optin (
      scope      TEXT NOT NULL CHECK (scope IN ('root', 'track')),
      ref_id     INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (scope, ref_id)
    ) WITHOUT ROWID;

    CREATE TABLE IF NOT EXISTS deep_jobs (
      id              INTEGER PRIMARY KEY,
      track_id        INTEGER NOT NULL UNIQUE REFERENCES tracks(id) ON DELETE CASCADE,
      backend         TEXT NOT NULL,
      state           TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
      attempts        INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER NOT NULL DEFAULT 0,
      error           TEXT,
      error_code      TEXT,
      owner           TEXT,
      created_at      INTEGER NOT NULL,
      updated_at      INTEGER NOT NULL,
      started_at      INTEGER,
      finished_at     INTEGER
    );
    CREATE INDEX IF NOT EXISTS deep_jobs_runnable ON deep_jobs(state, next_attempt_at, id);

    CREATE TABLE IF NOT EXISTS deep_captions (
      id                INTEGER PRIMARY KEY,
      track_id          INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
      backend           TEXT NOT NULL,
      model             TEXT NOT NULL,
      prompt_version    INTEGER NOT NULL,
      created_at        INTEGER NOT NULL,
      caption           TEXT NOT NULL,
      reasoning         TEXT,
      lyrics            TEXT,
      answers           TEXT NOT NULL DEFAULT '[]',
      checks            TEXT NOT NULL DEFAULT '[]',
      analysis_versions TEXT,
      notices           TEXT NOT NULL DEFAULT '[]',
      duration_sec      REAL,
      parts             INTEGER NOT NULL DEFAULT 1,
      UNIQUE (track_id, model)
    );

    CREATE VIRTUAL TABLE IF NOT EXISTS deep_text USING fts5(
      caption, lyrics, answers,
      tokenize = 'unicode61 remove_diacritics 2',
      prefix = '1 2 3'
    );
    CREATE TRIGGER IF NOT EXISTS deep_text_insert AFTER INSERT ON deep_captions BEGIN
      INSERT INTO deep_text (rowid, caption, lyrics, answers)
      VALUES (NEW.id, NEW.caption, coalesce(NEW.lyrics, ''),
              coalesce((SELECT group_concat(json_extract(a.value, '$.answer'), ' ') FROM json_each(NEW.answers) AS a), ''));
    END;
    CREATE TRIGGER IF NOT EXISTS deep_text_update AFTER UPDATE OF caption, lyrics, answers ON deep_captions BEGIN
      DELETE FROM deep_text WHERE rowid = OLD.id;
      INSERT INTO deep_text (rowid, caption, lyrics, answers)
      VALUES (NEW.id, NEW.caption, coalesce(NEW.lyrics, ''),
              coalesce((SELECT group_concat(json_extract(a.value, '$.answer'), ' ') FROM json_each(NEW.answers) AS a), ''));
    END;
    CREATE TRIGGER IF NOT EXISTS deep_text_delete AFTER DELETE ON deep_captions BEGIN
      DELETE FROM deep_text WHERE rowid = OLD.id;
    END;
  `,
};
