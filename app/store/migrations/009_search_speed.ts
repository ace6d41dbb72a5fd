import type { Migration } from './types.ts';

/**
 * Search speed (issue 6 targets): `search_vector_version` is a counter VectorsRepo bumps on every save
 * and delete of a similarity vector, so search's in-process vector index (app/search/similarIndex.ts)
 * knows when to reload, whichever process wrote.
 */
export const migration009: Migration = {
  version: 9,
  name: 'search_speed',
  up: `
    CREATE TABLE search_vector_version (
      id      INTEGER PRIMARY KEY CHECK (id = 1),
      version INTEGER NOT NULL
    );
    INSERT INTO search_vector_version (id, version) VALUES (1, 0);
  `,
};
