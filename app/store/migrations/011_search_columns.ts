import type { Migration } from './types.ts';

/**
 * Search's in-memory column index (issue 6 latency; app/search/columnIndex.ts) keeps a copy of the
 * columns queries filter, rank and count on: each track's presence, year and genre, its summary
 * row, and its evidence rows. `search_column_version` is a counter that triggers bump on every
 * write that can change that copy, in any process, so the index knows when it is stale.
 */
export const migration011: Migration = {
  version: 11,
  name: 'search_columns',
  up: `
    CREATE TABLE search_column_version (
      id      INTEGER PRIMARY KEY CHECK (id = 1),
      version INTEGER NOT NULL
    );
    INSERT INTO search_column_version (id, version) VALUES (1, 0);

    CREATE TRIGGER search_columns_track_insert AFTER INSERT ON tracks BEGIN
      UPDATE search_column_version SET version = version + 1 WHERE id = 1;
    END;
    CREATE TRIGGER search_columns_track_delete AFTER DELETE ON tracks BEGIN
      UPDATE search_column_version SET version = version + 1 WHERE id = 1;
    END;
    CREATE TRIGGER search_columns_track_update AFTER UPDATE OF status, year, genre ON tracks
      WHEN OLD.status IS NOT NEW.status OR OLD.year IS NOT NEW.year OR OLD.genre IS NOT NEW.genre BEGIN
      UPDATE search_column_version SET version = version + 1 WHERE id = 1;
    END;

    CREATE TRIGGER search_columns_summary_insert AFTER INSERT ON track_summaries BEGIN
      UPDATE search_column_version SET version = version + 1 WHERE id = 1;
    END;
    CREATE TRIGGER search_columns_summary_update AFTER UPDATE ON track_summaries BEGIN
      UPDATE search_column_version SET version = version + 1 WHERE id = 1;
    END;
    CREATE TRIGGER search_columns_summary_delete AFTER DELETE ON track_summaries BEGIN
      UPDATE search_column_version SET version = version + 1 WHERE id = 1;
    END;

    CREATE TRIGGER search_columns_evidence_insert AFTER INSERT ON search_evidence BEGIN
      UPDATE search_column_version SET version = version + 1 WHERE id = 1;
    END;
    CREATE TRIGGER search_columns_evidence_update AFTER UPDATE ON search_evidence BEGIN
      UPDATE search_column_version SET version = version + 1 WHERE id = 1;
    END;
    CREATE TRIGGER search_columns_evidence_delete AFTER DELETE ON search_evidence BEGIN
      UPDATE search_column_version SET version = version + 1 WHERE id = 1;
    END;
  `,
};
