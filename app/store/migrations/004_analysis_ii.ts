import type { Migration } from './types.ts';

/**
 * Analysis II: what search and the library list read from the loudness, sound, form and descriptor
 * results (copied into `track_summaries`), and one similarity vector per track in a sqlite-vec `vec0`
 * table (cosine distance). The vector length, 58, is VECTOR_LENGTH of app/analysis/vector; a new length
 * needs a new migration. A database holding this table needs sqlite-vec loaded to read or write the
 * vectors (openDatabase loads it); every other table works without it.
 */
export const migration004: Migration = {
  version: 4,
  name: 'analysis_ii',
  up: `
    ALTER TABLE track_summaries ADD COLUMN loudness_lufs REAL;
    ALTER TABLE track_summaries ADD COLUMN loudness_range REAL;
    ALTER TABLE track_summaries ADD COLUMN true_peak REAL;
    ALTER TABLE track_summaries ADD COLUMN replay_gain REAL;
    ALTER TABLE track_summaries ADD COLUMN energy REAL;
    ALTER TABLE track_summaries ADD COLUMN danceability REAL;
    ALTER TABLE track_summaries ADD COLUMN acousticness REAL;
    ALTER TABLE track_summaries ADD COLUMN valence REAL;
    ALTER TABLE track_summaries ADD COLUMN arousal REAL;
    ALTER TABLE track_summaries ADD COLUMN tempo_class TEXT;
    ALTER TABLE track_summaries ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE track_summaries ADD COLUMN form TEXT;
    ALTER TABLE track_summaries ADD COLUMN has_vocals INTEGER;
    ALTER TABLE track_summaries ADD COLUMN vocal_presence REAL;
    CREATE INDEX track_summaries_energy ON track_summaries(energy);
    CREATE INDEX track_summaries_tempo_class ON track_summaries(tempo_class);

    CREATE VIRTUAL TABLE track_vectors USING vec0(
      track_id INTEGER PRIMARY KEY,
      embedding float[58] distance_metric=cosine
    );
  `,
};
