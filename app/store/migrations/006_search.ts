import type { Migration } from './types.ts';

// The evidence of one analysis result as search concepts (one row per concept per track). The
// concept of a harmonic device is its kind, or for named progressions their family (four-chord,
// fifties, andalusian, ii-V-I) and for cadences their type; form sections become 'section:<label>'
// plus one 'form' row saying the track has a form analysis; vocal segments become 'vocals'.
// `strength` = Σ seconds × confidence of the spans; `spans` = [[start, end, confidence, label], …].
// The source is recognised by the result's shape, not the analyser's name.
const DEVICE_CONCEPT = `CASE json_extract(d.value, '$.kind')
      WHEN 'progression' THEN coalesce(json_extract(d.value, '$.detail.family'), 'progression')
      WHEN 'cadence' THEN CASE json_extract(d.value, '$.detail.type')
        WHEN 'authentic' THEN 'authentic-cadence' WHEN 'plagal' THEN 'plagal-cadence' WHEN 'minor-plagal' THEN 'plagal-cadence' ELSE 'cadence' END
      ELSE json_extract(d.value, '$.kind') END`;

function evidenceInsert(row: 'NEW' | 'a'): string {
  const spanRows = `
      SELECT ${DEVICE_CONCEPT} AS concept, json_extract(d.value, '$.start') AS s, json_extract(d.value, '$.end') AS e,
             json_extract(d.value, '$.confidence') AS c, json_extract(d.value, '$.label') AS label
        FROM json_each(${row}.result, '$.devices') AS d WHERE json_type(${row}.result, '$.devices') = 'array'
      UNION ALL
      SELECT 'section:' || json_extract(x.value, '$.label'), json_extract(x.value, '$.start'), json_extract(x.value, '$.end'),
             json_extract(x.value, '$.confidence'), json_extract(x.value, '$.label')
        FROM json_each(${row}.result, '$.sections') AS x WHERE json_type(${row}.result, '$.sections') = 'array'
      UNION ALL
      SELECT 'form', min(json_extract(x.value, '$.start')), max(json_extract(x.value, '$.end')),
             coalesce(json_extract(${row}.result, '$.confidence'), 1), json_extract(${row}.result, '$.summary')
        FROM json_each(${row}.result, '$.sections') AS x WHERE json_type(${row}.result, '$.sections') = 'array' HAVING count(*) > 0
      UNION ALL
      SELECT 'vocals', json_extract(v.value, '$.start'), json_extract(v.value, '$.end'), json_extract(v.value, '$.confidence'), 'vocals'
        FROM json_each(${row}.result, '$.vocals.segments') AS v WHERE json_type(${row}.result, '$.vocals.segments') = 'array'`;
  return `
    INSERT OR REPLACE INTO search_evidence (track_id, concept, source, strength, seconds, confidence, spans)
    SELECT ${row}.track_id, concept, ${row}.analyser,
           sum(max(e - s, 0) * c), sum(max(e - s, 0)), max(c),
           json_group_array(json_array(round(s, 2), round(e, 2), round(c, 3), label))
      FROM (${spanRows}
           ORDER BY 2)
     WHERE concept IS NOT NULL AND s IS NOT NULL AND e IS NOT NULL AND c IS NOT NULL
     GROUP BY concept;`;
}

// The full-text row of one track: tags, artist, album, genre, title, the descriptor tags of any
// result that has `tags`, and the written insight's paragraphs (analyser 'insight').
function textInsert(trackId: string): string {
  return `
    INSERT INTO search_text (rowid, title, artist, album, genre, tags, insight)
    SELECT t.id, coalesce(t.title, ''), trim(coalesce(t.artist, '') || ' ' || coalesce(t.album_artist, '') || ' ' || coalesce(t.composer, '')),
           coalesce(t.album, ''), coalesce(t.genre, ''),
           coalesce((SELECT group_concat(json_extract(g.value, '$.tag'), ' ; ') FROM analyses a, json_each(a.result, '$.tags') AS g
                      WHERE a.track_id = t.id AND a.result IS NOT NULL AND json_valid(a.result) AND json_type(a.result, '$.tags') = 'array'), ''),
           coalesce((SELECT group_concat(p.value, ' ') FROM analyses a, json_each(a.result, '$.paragraphs') AS p
                      WHERE a.track_id = t.id AND a.analyser = 'insight' AND a.result IS NOT NULL AND json_valid(a.result)
                        AND json_type(a.result, '$.paragraphs') = 'array'), '')
      FROM tracks t WHERE t.id = ${trackId};`;
}

/**
 * Search (issue 6): a full-text index over tags and insight text (FTS5, unicode61 without
 * diacritics, prefix indexes), the evidence of analysis results as search concepts, and saved
 * queries (smart playlists). Triggers keep both indexes in step with `tracks` and `analyses`.
 */
export const migration006: Migration = {
  version: 6,
  name: 'search',
  up: `
    CREATE VIRTUAL TABLE search_text USING fts5(
      title, artist, album, genre, tags, insight,
      tokenize = 'unicode61 remove_diacritics 2',
      prefix = '1 2 3'
    );

    CREATE TABLE search_evidence (
      track_id   INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
      concept    TEXT NOT NULL,
      source     TEXT NOT NULL,
      strength   REAL NOT NULL,
      seconds    REAL NOT NULL,
      confidence REAL NOT NULL,
      spans      TEXT NOT NULL,
      PRIMARY KEY (concept, track_id)
    ) WITHOUT ROWID;
    CREATE INDEX search_evidence_strength ON search_evidence(concept, strength DESC);
    CREATE INDEX search_evidence_track ON search_evidence(track_id, source);

    -- What search filters and sorts on.
    CREATE INDEX search_summaries_mode ON track_summaries(key_mode, key_confidence);
    CREATE INDEX search_summaries_meter ON track_summaries(meter);
    CREATE INDEX search_summaries_bpm ON track_summaries(bpm, bpm_confidence);
    CREATE INDEX search_tracks_year ON tracks(year);
    -- The few tracks that are not present, so search can leave them out without reading every track.
    CREATE INDEX search_tracks_absent ON tracks(id) WHERE status <> 'present';

    CREATE TABLE playlists (
      id         INTEGER PRIMARY KEY,
      name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
      query      TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );

    CREATE TRIGGER search_text_track_insert AFTER INSERT ON tracks BEGIN
      ${textInsert('NEW.id')}
    END;
    CREATE TRIGGER search_text_track_update AFTER UPDATE OF title, artist, album_artist, composer, album, genre ON tracks BEGIN
      DELETE FROM search_text WHERE rowid = OLD.id;
      ${textInsert('NEW.id')}
    END;
    CREATE TRIGGER search_text_track_delete AFTER DELETE ON tracks BEGIN
      DELETE FROM search_text WHERE rowid = OLD.id;
    END;

    CREATE TRIGGER search_analysis_insert AFTER INSERT ON analyses BEGIN
      DELETE FROM search_evidence WHERE track_id = NEW.track_id AND source = NEW.analyser;
      ${evidenceInsert('NEW')}
      DELETE FROM search_text WHERE rowid = NEW.track_id AND (NEW.analyser = 'insight' OR json_type(NEW.result, '$.tags') IS NOT NULL);
      ${textInsert('NEW.track_id').replace('WHERE t.id = NEW.track_id;', "WHERE t.id = NEW.track_id AND (NEW.analyser = 'insight' OR json_type(NEW.result, '$.tags') IS NOT NULL);")}
    END;
    CREATE TRIGGER search_analysis_update AFTER UPDATE ON analyses BEGIN
      DELETE FROM search_evidence WHERE track_id = OLD.track_id AND source = OLD.analyser;
      ${evidenceInsert('NEW')}
      DELETE FROM search_text WHERE rowid = NEW.track_id
        AND (NEW.analyser = 'insight' OR json_type(NEW.result, '$.tags') IS NOT NULL OR json_type(OLD.result, '$.tags') IS NOT NULL);
      ${textInsert('NEW.track_id').replace(
        'WHERE t.id = NEW.track_id;',
        "WHERE t.id = NEW.track_id AND (NEW.analyser = 'insight' OR json_type(NEW.result, '$.tags') IS NOT NULL OR json_type(OLD.result, '$.tags') IS NOT NULL);",
      )}
    END;
    CREATE TRIGGER search_analysis_delete AFTER DELETE ON analyses BEGIN
      DELETE FROM search_evidence WHERE track_id = OLD.track_id AND source = OLD.analyser;
    END;

    -- What is already in the library.
    INSERT INTO search_text (rowid, title, artist, album, genre, tags, insight)
    SELECT t.id, coalesce(t.title, ''), trim(coalesce(t.artist, '') || ' ' || coalesce(t.album_artist, '') || ' ' || coalesce(t.composer, '')),
           coalesce(t.album, ''), coalesce(t.genre, ''), '', ''
      FROM tracks t;
    -- Re-writing each stored result unchanged fires the update trigger, which indexes it.
    UPDATE analyses SET result = result WHERE result IS NOT NULL;
  `,
};

