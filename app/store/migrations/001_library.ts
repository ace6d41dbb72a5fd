import type { Migration } from './types.ts';

/** Roots (watched music folders) and tracks with their file facts and tags. */
export const migration001: Migration = {
  version: 1,
  name: 'library',
  up: `
    CREATE TABLE roots (
      id           INTEGER PRIMARY KEY,
      path         TEXT NOT NULL UNIQUE,
      status       TEXT NOT NULL DEFAULT 'online' CHECK (status IN ('online', 'offline', 'removed')),
      added_at     INTEGER NOT NULL,
      last_scan_at INTEGER
    );

    CREATE TABLE tracks (
      id           INTEGER PRIMARY KEY,
      root_id      INTEGER NOT NULL REFERENCES roots(id),
      path         TEXT NOT NULL UNIQUE,
      status       TEXT NOT NULL DEFAULT 'present' CHECK (status IN ('present', 'missing')),
      missing_since INTEGER,
      size         INTEGER NOT NULL,
      mtime_ms     INTEGER NOT NULL,
      fingerprint  TEXT NOT NULL,
      container    TEXT,
      codec        TEXT,
      lossless     INTEGER,
      duration     REAL,
      sample_rate  INTEGER,
      channels     INTEGER,
      bit_depth    INTEGER,
      bitrate      REAL,
      title        TEXT,
      artist       TEXT,
      album        TEXT,
      album_artist TEXT,
      track_no     INTEGER,
      track_total  INTEGER,
      disc_no      INTEGER,
      disc_total   INTEGER,
      year         INTEGER,
      genre        TEXT,
      composer     TEXT,
      tag_bpm      REAL,
      tag_key      TEXT,
      has_artwork  INTEGER NOT NULL DEFAULT 0,
      added_at     INTEGER NOT NULL,
      updated_at   INTEGER NOT NULL
    );
    CREATE INDEX tracks_root ON tracks(root_id);
    CREATE INDEX tracks_fingerprint ON tracks(fingerprint);
    CREATE INDEX tracks_artist_album ON tracks(artist, album, disc_no, track_no);
  `,
};
