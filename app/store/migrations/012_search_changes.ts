import type { Migration } from './types.ts';

/**
 * Which tracks changed, for search's column index (app/search/columnIndex.ts) to update only those
 * rows instead of reloading every track after a write. Triggers on the same writes that bump
 * migration 011's `search_column_version` append the written track's id to `search_column_changes`;
 * an index that has read up to change `seq` re-reads the tracks of the later ones.
 *
 * The log stays bounded: every SEARCH_CHANGES_PRUNE_EVERY-th change deletes all but the last
 * SEARCH_CHANGES_KEPT, and `search_column_log.pruned_through` records the newest seq deleted so far.
 * An index whose last seen seq is older than that has missed changes and reloads whole.
 *
 * A title change also bumps the version here (011 does not watch titles; the index keeps titles
 * for "like <title>").
 */
export const SEARCH_CHANGES_KEPT = 100_000;
export const SEARCH_CHANGES_PRUNE_EVERY = 10_000;

const log = (id: string) => `INSERT INTO search_column_changes (track_id) VALUES (${id});`;

export const migration012: Migration = {
  version: 12,
  name: 'search_changes',
  up: `
    CREATE TABLE search_column_changes (
      seq      INTEGER PRIMARY KEY AUTOINCREMENT,
      track_id INTEGER NOT NULL
    );
    CREATE TABLE search_column_log (
      id             INTEGER PRIMARY KEY CHECK (id = 1),
      pruned_through INTEGER NOT NULL
    );
    INSERT INTO search_column_log (id, pruned_through) VALUES (1, 0);

    CREATE TRIGGER search_changes_prune AFTER INSERT ON search_column_changes
      WHEN NEW.seq % ${SEARCH_CHANGES_PRUNE_EVERY} = 0 BEGIN
      DELETE FROM search_column_changes WHERE seq <= NEW.seq - ${SEARCH_CHANGES_KEPT};
      UPDATE search_column_log SET pruned_through = max(pruned_through, NEW.seq - ${SEARCH_CHANGES_KEPT}) WHERE id = 1;
    END;

    CREATE TRIGGER search_changes_track_insert AFTER INSERT ON tracks BEGIN
      ${log('NEW.id')}
    END;
    CREATE TRIGGER search_changes_track_delete AFTER DELETE ON tracks BEGIN
      ${log('OLD.id')}
    END;
    CREATE TRIGGER search_changes_track_update AFTER UPDATE OF status, year, genre, title ON tracks
      WHEN OLD.status IS NOT NEW.status OR OLD.year IS NOT NEW.year OR OLD.genre IS NOT NEW.genre OR OLD.title IS NOT NEW.title BEGIN
      ${log('NEW.id')}
    END;
    CREATE TRIGGER search_columns_track_title AFTER UPDATE OF title ON tracks WHEN OLD.title IS NOT NEW.title BEGIN
      UPDATE search_column_version SET version = version + 1 WHERE id = 1;
    END;

    CREATE TRIGGER search_changes_summary_insert AFTER INSERT ON track_summaries BEGIN
      ${log('NEW.track_id')}
    END;
    CREATE TRIGGER search_changes_summary_update AFTER UPDATE ON track_summaries BEGIN
      ${log('NEW.track_id')}
      INSERT INTO search_column_changes (track_id) SELECT OLD.track_id WHERE OLD.track_id IS NOT NEW.track_id;
    END;
    CREATE TRIGGER search_changes_summary_delete AFTER DELETE ON track_summaries BEGIN
      ${log('OLD.track_id')}
    END;

    CREATE TRIGGER search_changes_evidence_insert AFTER INSERT ON search_evidence BEGIN
      ${log('NEW.track_id')}
    END;
    CREATE TRIGGER search_changes_evidence_update AFTER UPDATE ON search_evidence BEGIN
      ${log('NEW.track_id')}
      INSERT INTO search_column_changes (track_id) SELECT OLD.track_id WHERE OLD.track_id IS NOT NEW.track_id;
    END;
    CREATE TRIGGER search_changes_evidence_delete AFTER DELETE ON search_evidence BEGIN
      ${log('OLD.track_id')}
    END;
  `,
};
