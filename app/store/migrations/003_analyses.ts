import type { Migration } from './types.ts';

/**
 * Analysis results: one row per (track, analyser), with the analyser's version, so a track is
 * re-analysed only when that version changes. `result` is the analyser's JSON; `error` a failure.
 */
export const migration003: Migration = {
  version: 3,
  name: 'analyses',
  up: `
    CREATE TABLE analyses (
      track_id    INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
      analyser    TEXT NOT NULL,
      version     INTEGER NOT NULL,
      result      TEXT,
      error       TEXT,
      analysed_at INTEGER NOT NULL,
      PRIMARY KEY (track_id, analyser)
    ) WITHOUT ROWID;

    -- What the library shows and filters on, copied out of the results (one row per analysed track).
    CREATE TABLE track_summaries (
      track_id      INTEGER PRIMARY KEY REFERENCES tracks(id) ON DELETE CASCADE,
      bpm           REAL,
      bpm_confidence REAL,
      meter         TEXT,
      key_tonic     INTEGER,
      key_mode      TEXT,
      key_confidence REAL,
      key_changes   INTEGER NOT NULL DEFAULT 0,
      devices       TEXT NOT NULL DEFAULT '[]',
      analysed_at   INTEGER NOT NULL
    );
    CREATE INDEX track_summaries_key ON track_summaries(key_tonic, key_mode);
    CREATE INDEX track_summaries_bpm ON track_summaries(bpm);
  `,
};
