import type { Migration } from './types.ts';

/**
 * Search speed (issue 6 targets): `search_vector_version` is a counter VectorsRepo bumps on every save
 * and delete of a similarity vector, so search's in-process vector index (app/search/similarIndex.ts)
 * knows when to reload, whichever process wrote. Two covering indexes of track_summaries hold every
 * column a measured clause filters or scores on (key, tempo, meter, the descriptors of analysis II),
 * so ranking all matches reads index pages only, never the wide summary rows: one led by the mode
 * (key clauses, descriptor-only queries scan it whole), one by the tempo (tempo clauses). The genre
 * index lets the genre facet group without reading track rows.
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

    CREATE INDEX search_summaries_cover ON track_summaries(
      key_mode, key_tonic, key_confidence, bpm, bpm_confidence, meter,
      loudness_lufs, energy, danceability, acousticness, valence, arousal, vocal_presence
    );
    CREATE INDEX search_summaries_bpm_cover ON track_summaries(bpm, bpm_confidence, key_mode, key_tonic, key_confidence, meter);
    -- The genre facet groups by it.
    CREATE INDEX search_tracks_genre ON tracks(genre);
  `,
};
