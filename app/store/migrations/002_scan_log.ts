import type { Migration } from './types.ts';

/** Scan runs and per-file scan errors (one current error per path, cleared when the file reads fine again). */
export const migration002: Migration = {
  version: 2,
  name: 'scan-log',
  up: `
    CREATE TABLE scans (
      id          INTEGER PRIMARY KEY,
      root_id     INTEGER REFERENCES roots(id),
      kind        TEXT NOT NULL CHECK (kind IN ('full', 'paths')),
      started_at  INTEGER NOT NULL,
      finished_at INTEGER,
      outcome     TEXT CHECK (outcome IN ('completed', 'root-offline', 'failed')),
      files_seen  INTEGER NOT NULL DEFAULT 0,
      added       INTEGER NOT NULL DEFAULT 0,
      updated     INTEGER NOT NULL DEFAULT 0,
      moved       INTEGER NOT NULL DEFAULT 0,
      missing     INTEGER NOT NULL DEFAULT 0,
      unchanged   INTEGER NOT NULL DEFAULT 0,
      errors      INTEGER NOT NULL DEFAULT 0
    );

    CREATE TABLE scan_errors (
      id          INTEGER PRIMARY KEY,
      root_id     INTEGER REFERENCES roots(id),
      scan_id     INTEGER REFERENCES scans(id),
      path        TEXT NOT NULL UNIQUE,
      code        TEXT NOT NULL,
      message     TEXT NOT NULL,
      occurred_at INTEGER NOT NULL
    );
    CREATE INDEX scan_errors_root ON scan_errors(root_id);
  `,
};
