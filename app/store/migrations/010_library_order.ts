import type { Migration } from './types.ts';

/**
 * The library table's orderings without a sort (issue 7: first rows of 100,000 tracks ≤ 1 s): each
 * index holds exactly the ORDER BY of app/service/trackPage.ts for a sort key, ascending (nulls
 * last, NOCASE text, then album, track number and id), plus root_id, so the first page is read off
 * the index and the whole ordering of ids comes from a covering index scan. Artist is the table's
 * default sort; title is the other one people start from. The expressions must stay identical to
 * trackPage.ts's SORT_SQL for SQLite to use them.
 */
export const migration010: Migration = {
  version: 10,
  name: 'library_order',
  up: `
    CREATE INDEX IF NOT EXISTS tracks_order_artist ON tracks((artist IS NULL), artist COLLATE NOCASE, album COLLATE NOCASE, track_no, id, root_id);
    CREATE INDEX IF NOT EXISTS tracks_order_title ON tracks((coalesce(title, path) IS NULL), coalesce(title, path) COLLATE NOCASE, album COLLATE NOCASE, track_no, id, root_id);
  `,
};
