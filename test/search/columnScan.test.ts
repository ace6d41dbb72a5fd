// The column index (app/search/columnIndex.ts + columnScan.ts) answers exactly as the SQL path:
// same hits, order, scores, evidence, totals and facets on a fabricated store full of NULLs, ties,
// missing tracks and tracks without analysis; and it follows writes (a search right after new
// analyses sees them, from this connection or another), updating only the written tracks' rows from
// migration 012's change log when they are few, and still equal to SQL after every kind of write.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ColumnIndex, MAX_ABSENT_FRACTION, QUIET_BEFORE_REBUILD_MS, sharedColumnIndex, type Columns } from '../../app/search/columnIndex.ts';
import { SearchEngine, type SearchOptions } from '../../app/search/engine.ts';
import { ensureVec, resolveSeed } from '../../app/search/similar.ts';
import { openStore, type Store } from '../../app/store/index.ts';
import { SEARCH_CHANGES_KEPT, SEARCH_CHANGES_PRUNE_EVERY } from '../../app/store/migrations/012_search_changes.ts';
import { seededRandom } from '../fixtures/library.ts';
import { addFakeTracks } from './helpers.ts';
import { LABELLED_QUERIES } from './labelledQueries.ts';

const WORDS = 'love night blue river heart fire city light dream road rain summer moon shadow golden'.split(' ');
const GENRES = ['Rock', 'Pop', 'Jazz', 'Folk', 'Électronique', 'Hip Hop', 'Blues', 'Alternative Rock', ''];
const METERS = ['4/4', '4/4', '4/4', '3/4', '6/8', '12/8'];
const DEVICES: [string, number, Record<string, unknown>][] = [
  ['modal-interchange', 0.25, { label: '♭VI borrowed from the parallel minor' }],
  ['secondary-dominant', 0.3, { label: 'V7/V → V' }],
  ['modulation', 0.15, { label: 'Direct modulation up a whole step' }],
  ['tritone-substitution', 0.06, { label: '♭II7 for V7' }],
  ['progression', 0.2, { label: 'I–V–vi–IV', detail: { family: 'four-chord' } }],
  ['progression', 0.1, { label: 'ii–V–I', detail: { family: 'ii-V-I' } }],
  ['progression', 0.08, { label: 'Andalusian cadence', detail: { family: 'andalusian' } }],
  ['cadence', 0.5, { label: 'Plagal cadence', detail: { type: 'plagal' } }],
];
const SECTIONS = ['intro', 'verse', 'chorus', 'bridge', 'outro'];

/** Fabricates `n` tracks through the real schema (triggers build the search indexes); values are coarse so scores tie. */
function fabricate(store: Store, n: number, seed: number): void {
  const rand = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const maybe = <T>(p: number, v: T): T | null => (rand() < p ? null : v);
  const db = store.db;
  ensureVec(db);
  const now = Date.now();
  const root = db.prepare("INSERT INTO roots (path, status, added_at) VALUES (?, 'online', ?)").run(`/fab${seed}`, now).lastInsertRowid;
  const insTrack = db.prepare(
    `INSERT INTO tracks (root_id, path, status, size, mtime_ms, fingerprint, duration, title, artist, album, year, genre, added_at, updated_at)
     VALUES (?, ?, ?, 1, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insSummary = db.prepare(
    `INSERT INTO track_summaries (track_id, bpm, bpm_confidence, meter, key_tonic, key_mode, key_confidence, key_changes, devices, analysed_at,
       energy, danceability, acousticness, valence, arousal, loudness_lufs, vocal_presence) VALUES (?, ?, ?, ?, ?, ?, ?, 0, '[]', ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insAnalysis = db.prepare('INSERT INTO analyses (track_id, analyser, version, result, error, analysed_at) VALUES (?, ?, 1, ?, NULL, ?)');
  const insVec = db.prepare('INSERT INTO track_vectors (track_id, embedding) VALUES (?, ?)');
  const unit = () => maybe(0.1, Math.round(rand() * 20) / 20);
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const duration = 120 + Math.floor(rand() * 240);
      const title = `${pick(WORDS)} ${pick(WORDS)}`;
      const id = Number(
        insTrack.run(root, `/fab${seed}/${i}.flac`, rand() < 0.04 ? 'missing' : 'present', `f${seed}-${i}`, duration, title, `${pick(WORDS)} Quartet`, `${pick(WORDS)} ${pick(WORDS)}`, maybe(0.1, 1950 + Math.floor(rand() * 70)), maybe(0.1, pick(GENRES)), now, now)
          .lastInsertRowid,
      );
      if (rand() < 0.06) continue; // not analysed yet
      const tonic = maybe(0.04, Math.floor(rand() * 12));
      insSummary.run(
        id,
        maybe(0.05, 60 + Math.floor(rand() * 120)),
        maybe(0.1, pick([0.5, 0.75, 1])),
        maybe(0.05, pick(METERS)),
        tonic,
        maybe(0.04, rand() < 0.6 ? 'major' : 'minor'),
        maybe(0.1, pick([0.4, 0.7, 0.9])),
        now,
        unit(),
        unit(),
        unit(),
        unit(),
        unit(),
        maybe(0.1, -30 + Math.round(rand() * 26)),
        unit(),
      );
      const devices: Record<string, unknown>[] = [];
      for (const [kind, p, extra] of DEVICES) {
        if (rand() >= p) continue;
        for (let k = 0, m = 1 + Math.floor(rand() * 3); k < m; k++) {
          const start = Math.floor(rand() * (duration - 10));
          devices.push({ kind, start, end: start + 2 + Math.floor(rand() * 4) * 2, confidence: pick([0.5, 0.75, 1]), chordIndices: [], ...extra });
        }
      }
      insAnalysis.run(id, 'theory', JSON.stringify({ romans: [], devices }), now);
      if (tonic !== null) insAnalysis.run(id, 'key', JSON.stringify({ global: { tonic, mode: 'minor' }, confidence: 0.9, segments: [{ start: 0, end: duration, key: { tonic, mode: 'minor' }, confidence: 0.9 }] }), now);
      if (rand() < 0.4) {
        const sections = SECTIONS.filter(() => rand() < 0.6).map((label, k) => ({ label, start: k * 30, end: k * 30 + 30, confidence: 0.8 }));
        insAnalysis.run(id, 'form', JSON.stringify({ sections, confidence: 0.8, summary: 'form' }), now);
      }
      insAnalysis.run(id, 'descriptors', JSON.stringify({ tags: [{ tag: pick(['sad', 'danceable', 'calm', 'love song']), confidence: 0.8 }] }), now);
      if (rand() < 0.9) {
        const v = new Float32Array(58);
        for (let d = 0; d < 8; d++) v[d] = Math.round((rand() * 2 - 1) * 4) / 4;
        insVec.run(BigInt(id), Buffer.from(v.buffer));
      }
    }
  })();
}

const QUERIES = [
  'modal interchange', 'minor key', 'major key', 'in D minor', '8A', 'not in a minor key', 'in C', 'around 90 bpm', '120-130 bpm', 'fast', 'slow',
  'slow songs in a major key', 'waltz', 'not in 3/4', 'in 6/8', 'key change', 'without a key change', 'secondary dominants in 6/8', 'ii-V-I',
  'Andalusian cadence', 'four-chord song', 'loud danceable', 'quiet', 'not loud', 'acoustic', 'sad', 'energetic', 'instrumental', 'plagal cadence',
  'genre:rock', '-genre:rock minor key', 'year:1990..1999', '-year:1990..1999', '90s modal interchange', 'love', 'love -blue', 'moon river',
  'harb', 'minor key modal interchange around 100 bpm', 'jazz with a ii-V-I', 'tritone substitution fast', 'has a bridge', 'no chorus',
  'no bridge minor key', 'without modal interchange', 'without modal interchange in a major key', 'artist:"love quartet"', 'album:blue',
  'danceable -genre:pop', 'genre:electronique', 'genre:élec', '-genre:alternative rock', 'genre:hip', 'sad minor key slow', 'zzzunknownword minor key', 'calm', 'love song',
  'like "love night"', 'like "LOVE Night"', 'like love', 'like "golden moon"', 'like "moon golden"', 'like "city"', 'like "Road rain"', 'like "nothing like this"', 'like "Love night ", waltz', 'like "blue river", in a minor key, fast', 'like "moon rain", modal interchange', 'similar to city light, not in 4/4',
  ...LABELLED_QUERIES.map((q) => q.q),
];
const PAGES: SearchOptions[] = [{}, { limit: 7, offset: 5 }, { limit: 500 }, { count: false, limit: 10, offset: 3 }, { offset: 2000 }];

let store: Store;
let sql: SearchEngine;
let fast: SearchEngine;

beforeAll(() => {
  store = openStore(':memory:');
  fabricate(store, 1500, 11);
  sql = new SearchEngine(store.db, { columns: false });
  fast = new SearchEngine(store.db);
});
afterAll(() => store.close());
afterEach(() => vi.restoreAllMocks());

describe('column index and SQL rank the same', () => {
  it('answers the first query on a connection from SQL, then loads one column index for every engine on it', () => {
    const used = vi.spyOn(ColumnIndex.prototype, 'current');
    const first = fast.search('minor key');
    expect(used.mock.results.map((r) => r.value)).toEqual([null]);
    expect(first).toEqual(sql.search('minor key'));
    const other = new SearchEngine(store.db);
    expect(other.search('minor key')).toEqual(first);
    expect(used.mock.results[1]!.value).not.toBeNull();
    expect(used.mock.instances[1]).toBe(used.mock.instances[0]);
  });

  it('answers every query, page and facet like the SQL path', () => {
    fast.search('waltz'); // the first query on the connection, if the test above did not run
    const used = vi.spyOn(ColumnIndex.prototype, 'current');
    let matched = 0;
    for (const q of QUERIES) {
      for (const page of PAGES) {
        const want = sql.search(q, page);
        expect(fast.search(q, page), `${q} ${JSON.stringify(page)}`).toEqual(want);
        matched += want.hits.length;
      }
      expect(fast.facets(q), `facets of ${q}`).toEqual(sql.facets(q));
    }
    expect(fast.facets('')).toEqual(sql.facets(''));
    // The fast engine really answered from the column index (current() gave columns every time).
    expect(used.mock.results.length).toBeGreaterThan(QUERIES.length * PAGES.length);
    expect(used.mock.results.every((r) => r.value !== null)).toBe(true);
    expect(matched).toBeGreaterThan(5000);
  });

  it('names the same "like …" seed without FTS5 when the words are a title', () => {
    const cols = new ColumnIndex(store.db, {}).current()!;
    const titles = store.db.prepare("SELECT DISTINCT title FROM tracks WHERE status = 'present'").pluck().all() as string[];
    let shortestWins = 0;
    for (const title of titles) {
      for (const words of [title, title.toUpperCase(), ` ${title}`]) {
        expect(resolveSeed(store.db, words, (t) => cols.idsWithTitle(t)), words).toEqual(resolveSeed(store.db, words));
      }
      const ids = cols.idsWithTitle(title);
      if (ids.length > 1 && resolveSeed(store.db, title)!.id !== Math.min(...ids)) shortestWins++;
    }
    // Among duplicate titles the seed is often not the smallest id: the row length decides.
    expect(shortestWins).toBeGreaterThan(10);
  });

  it('breaks score ties by track id as SQL does', () => {
    const r = fast.search('minor key', { limit: 200 });
    const ties = r.hits.filter((h, i) => i > 0 && h.score === r.hits[i - 1]!.score);
    expect(ties.length).toBeGreaterThan(10);
    for (let i = 1; i < r.hits.length; i++) {
      const [a, b] = [r.hits[i - 1]!, r.hits[i]!];
      expect(a.score > b.score || (a.score === b.score && a.trackId < b.trackId)).toBe(true);
    }
  });
});

describe('the column index follows the store', () => {
  it('a search right after new analyses sees them', () => {
    const s = openStore(':memory:');
    try {
      const engine = new SearchEngine(s.db);
      addFakeTracks(s.db, [{ title: 'First', key: { tonic: 2, mode: 'minor' } }]);
      expect(engine.search('in D minor').hits.map((h) => h.title)).toEqual(['First']);
      addFakeTracks(s.db, [{ title: 'Second', key: { tonic: 2, mode: 'minor' }, devices: [{ kind: 'modal-interchange', start: 1, end: 5, confidence: 1, label: '♭VI' }] }]);
      expect(engine.search('in D minor').hits.map((h) => h.title)).toEqual(['First', 'Second']);
      expect(engine.search('modal interchange').hits.map((h) => h.title)).toEqual(['Second']);
      s.db.prepare("UPDATE tracks SET status = 'missing' WHERE title = 'First'").run();
      expect(engine.search('in D minor').hits.map((h) => h.title)).toEqual(['Second']);
      expect(engine.facets('').total).toBe(1);
    } finally {
      s.close();
    }
  });

  it('when changes are too many to apply, loads a stale copy whole once writes pause for QUIET_BEFORE_REBUILD_MS, answering null (use SQL) until then', () => {
    const s = openStore(':memory:');
    try {
      let now = 0;
      const index = new ColumnIndex(s.db, {}, () => now, 0, 0); // no change is few enough to apply
      addFakeTracks(s.db, [{ title: 'A' }]);
      const first = index.current()!;
      expect(first.size).toBe(1);
      expect(index.current()).toBe(first); // nothing written since: the same copy
      s.db.prepare("INSERT INTO playlists (name, query, created_at, updated_at) VALUES ('p', 'minor key', 0, 0)").run();
      expect(index.current()).toBe(first); // a write search does not read
      addFakeTracks(s.db, [{ title: 'B' }]);
      expect(index.current()).toBeNull();
      now = QUIET_BEFORE_REBUILD_MS - 1;
      expect(index.current()).toBeNull();
      addFakeTracks(s.db, [{ title: 'C' }]); // still being written: wait again
      now = QUIET_BEFORE_REBUILD_MS + 1;
      expect(index.current()).toBeNull();
      now = 2 * QUIET_BEFORE_REBUILD_MS + 1; // quiet since the last search saw the write
      expect(index.current()!.size).toBe(3);
      s.db.prepare("UPDATE tracks SET year = 1999 WHERE title = 'B'").run();
      expect(index.current()).toBeNull();
      now += QUIET_BEFORE_REBUILD_MS;
      const c = index.current()!;
      expect(c.year[c.rowOf(Number((s.db.prepare("SELECT id FROM tracks WHERE title = 'B'").get() as { id: number }).id))]).toBe(1999);
      expect(index.counts).toEqual({ full: 3, incremental: 0, tracks: 0 });
    } finally {
      s.close();
    }
  });

  it('sees writes made through another connection', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linernotes-columns-'));
    const a = openStore(dir);
    const b = openStore(dir);
    try {
      let now = 0;
      const updated = new ColumnIndex(a.db, {}, () => now);
      const reloaded = new ColumnIndex(a.db, {}, () => now, 0, 0);
      expect(updated.current()!.size).toBe(0);
      expect(reloaded.current()!.size).toBe(0);
      const [id] = addFakeTracks(b.db, [{ title: 'From B', devices: [{ kind: 'modulation', start: 0, end: 4, confidence: 1, label: 'up a step' }] }]);
      // A few tracks written: the rows are updated at once.
      const u = updated.current()!;
      expect(u.size).toBe(1);
      expect(u.evidence.get('modulation')![u.rowOf(id!)]).toBe(4);
      expect(updated.counts).toEqual({ full: 1, incremental: 1, tracks: 1 });
      // Too many for this index: SQL until quiet, then a whole load.
      expect(reloaded.current()).toBeNull();
      now = QUIET_BEFORE_REBUILD_MS;
      const c = reloaded.current()!;
      expect(c.size).toBe(1);
      expect(c.evidence.get('modulation')![0]).toBe(4);
    } finally {
      a.close();
      b.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** What the columns hold for each present track, by id (dictionary codes turned back into values). */
function byTrack(c: Columns): Map<number, unknown> {
  const out = new Map<number, unknown>();
  let absent = 0;
  for (let r = 0; r < c.size; r++) {
    if (c.present[r] !== 1) {
      absent++;
      expect(c.rowOf(c.ids[r]!)).toBe(-1);
      continue;
    }
    expect(c.rowOf(c.ids[r]!)).toBe(r);
    if (r > 0) expect(c.ids[r]!).toBeGreaterThan(c.ids[r - 1]!);
    const text = (codes: Int32Array, values: string[]) => (codes[r]! < 0 ? null : values[codes[r]!]);
    const evidence: Record<string, number> = {};
    for (const [concept, strengths] of c.evidence) if (!Number.isNaN(strengths[r]!)) evidence[concept] = strengths[r]!;
    out.set(c.ids[r]!, {
      hasSummary: c.hasSummary[r],
      year: c.year[r],
      genre: text(c.genre, c.genres),
      bpm: c.bpm[r],
      bpmConfidence: c.bpmConfidence[r],
      keyTonic: c.keyTonic[r],
      keyMode: text(c.keyMode, c.modes),
      keyConfidence: c.keyConfidence[r],
      meter: text(c.meter, c.meters),
      descriptors: Object.fromEntries(Object.entries(c.descriptors).map(([d, values]) => [d, values![r]])),
      evidence,
    });
  }
  expect(c.absent).toBe(absent);
  return out;
}

describe('the column index updates only the tracks written', () => {
  const THEORY = JSON.stringify({
    romans: [],
    devices: [
      { kind: 'chromatic-mediant', start: 3, end: 9, confidence: 0.75, chordIndices: [], label: 'I → ♭VI' },
      { kind: 'modal-interchange', start: 20, end: 30, confidence: 1, chordIndices: [], label: '♭VII borrowed from the parallel minor' },
    ],
  });
  const STEP_QUERIES = [...QUERIES.filter((_, i) => i % 4 === 0), 'in 7/8', 'genre:bossa', 'chromatic mediant', 'like "golden golden"', 'golden golden'];

  it('after new, deleted, re-analysed, missing and re-tagged tracks answers exactly as SQL, without a whole load', () => {
    const s = openStore(':memory:');
    try {
      fabricate(s, 1500, 23);
      const db = s.db;
      const bySql = new SearchEngine(db, { columns: false });
      const byColumns = new SearchEngine(db);
      byColumns.search('waltz'); // SQL: the first query on a connection
      byColumns.search('waltz'); // loads the column index
      const index = sharedColumnIndex(db, byColumns.capabilities.descriptors);
      expect(index.counts).toEqual({ full: 1, incremental: 0, tracks: 0 });
      const room = index.current()!.ids.length;
      const some = (sql: string) => db.prepare(sql).pluck().all() as number[];
      const steps: [string, () => void][] = [
        ['new tracks, some missing or not analysed', () => fabricate(s, 40, 24)],
        ['more new tracks than the room left at load: every array grows', () => fabricate(s, 1100, 25)],
        ['deleted tracks, the newest among them', () => void db.prepare('DELETE FROM tracks WHERE id IN (SELECT id FROM tracks ORDER BY id LIMIT 12 OFFSET 200) OR id = (SELECT max(id) FROM tracks)').run()],
        [
          'changed summaries, a new meter, summaries deleted',
          () => {
            db.prepare("UPDATE track_summaries SET bpm = bpm + 11, key_mode = CASE key_mode WHEN 'major' THEN 'minor' ELSE 'major' END WHERE track_id % 37 = 0").run();
            db.prepare("UPDATE track_summaries SET meter = '7/8', energy = 0.95 WHERE track_id % 113 = 0").run();
            db.prepare('DELETE FROM track_summaries WHERE track_id % 101 = 0').run();
          },
        ],
        [
          're-analysed theory (evidence replaced, a new concept), evidence edited and deleted',
          () => {
            const ids = some("SELECT track_id FROM analyses WHERE analyser = 'theory' ORDER BY track_id LIMIT 25 OFFSET 300");
            const update = db.prepare("UPDATE analyses SET result = ? WHERE analyser = 'theory' AND track_id = ?");
            db.transaction(() => ids.forEach((id) => update.run(THEORY, id)))();
            db.prepare('UPDATE search_evidence SET strength = strength * 2 WHERE track_id % 29 = 0').run();
            db.prepare("DELETE FROM search_evidence WHERE concept = 'modulation' AND track_id % 3 = 0").run();
          },
        ],
        [
          'tracks gone missing, and missing ones back (some missing since before the load)',
          () => {
            db.prepare("UPDATE tracks SET status = 'missing' WHERE id % 53 = 0 AND status = 'present'").run();
            db.prepare("UPDATE tracks SET status = 'present' WHERE status = 'missing' AND id % 2 = 0").run();
          },
        ],
        [
          'genre (a new one and NULL), year and title changes',
          () => {
            db.prepare("UPDATE tracks SET genre = 'Bossa Nova' WHERE id % 41 = 0").run();
            db.prepare('UPDATE tracks SET genre = NULL WHERE id % 43 = 0').run();
            db.prepare('UPDATE tracks SET year = 1985 WHERE id % 47 = 0').run();
            db.prepare("UPDATE tracks SET title = 'golden golden' WHERE id IN (SELECT id FROM tracks WHERE status = 'present' ORDER BY id LIMIT 3 OFFSET 500)").run();
          },
        ],
      ];
      let checked = 0;
      for (const [name, write] of steps) {
        write();
        for (const q of STEP_QUERIES) {
          expect(byColumns.search(q), `${name}: ${q}`).toEqual(bySql.search(q));
          expect(byColumns.facets(q), `${name}: facets of ${q}`).toEqual(bySql.facets(q));
          checked++;
        }
        expect(byColumns.facets(''), name).toEqual(bySql.facets(''));
      }
      // Every step was applied from the change log: one update each, no whole load.
      expect(index.counts.full).toBe(1);
      expect(index.counts.incremental).toBe(steps.length);
      expect(index.counts.tracks).toBeGreaterThan(150);
      const cols = index.current()!;
      expect(cols.absent).toBeGreaterThan(10);
      expect(cols.ids.length).toBeGreaterThan(room);
      expect(cols.size).toBeGreaterThan(room);
      expect(cols.genres).toContain('Bossa Nova');
      expect(cols.evidence.has('chromatic-mediant')).toBe(true);
      // The updated copy holds what a fresh load holds, track by track.
      const fresh = new ColumnIndex(db, byColumns.capabilities.descriptors).current()!;
      expect(byTrack(cols)).toEqual(byTrack(fresh));
      for (const q of [...QUERIES, ...STEP_QUERIES]) {
        for (const page of [PAGES[0]!, PAGES[1]!, PAGES[3]!]) expect(byColumns.search(q, page), `${q} ${JSON.stringify(page)}`).toEqual(bySql.search(q, page));
        expect(byColumns.facets(q), `facets of ${q}`).toEqual(bySql.facets(q));
      }
      expect(index.counts.full).toBe(1);
      expect(checked).toBeGreaterThan(200);
    } finally {
      s.close();
    }
  });

  it('loads whole (after writes pause) when the change log was pruned past the copy', () => {
    const s = openStore(':memory:');
    try {
      let now = 0;
      const index = new ColumnIndex(s.db, {}, () => now);
      addFakeTracks(s.db, [{ title: 'A' }]);
      expect(index.current()!.size).toBe(1);
      addFakeTracks(s.db, [{ title: 'B' }]);
      // More changes than the log keeps, as a long analysis run writes them (here straight into the log).
      s.db
        .prepare('WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < ?) INSERT INTO search_column_changes (track_id) SELECT 1 FROM n')
        .run(SEARCH_CHANGES_KEPT + SEARCH_CHANGES_PRUNE_EVERY);
      expect(s.db.prepare('SELECT count(*) FROM search_column_changes').pluck().get()).toBeLessThanOrEqual(SEARCH_CHANGES_KEPT + SEARCH_CHANGES_PRUNE_EVERY);
      expect(s.db.prepare('SELECT pruned_through FROM search_column_log').pluck().get()).toBeGreaterThan(0);
      expect(index.current()).toBeNull();
      now = QUIET_BEFORE_REBUILD_MS;
      expect(index.current()!.size).toBe(2);
      expect(index.counts).toEqual({ full: 2, incremental: 0, tracks: 0 });
      // From the new load on, writes are applied from the log again.
      addFakeTracks(s.db, [{ title: 'C' }]);
      expect(index.current()!.size).toBe(3);
      expect(index.counts).toEqual({ full: 2, incremental: 1, tracks: 1 });
    } finally {
      s.close();
    }
  });

  it('loads whole at the next change once more than MAX_ABSENT_FRACTION of the rows are absent', () => {
    const s = openStore(':memory:');
    try {
      let now = 0;
      const index = new ColumnIndex(s.db, {}, () => now);
      const ids = addFakeTracks(s.db, Array.from({ length: 8 }, (_, i) => ({ title: `T${i}` })));
      index.current();
      s.db.prepare('DELETE FROM tracks WHERE id IN (?, ?)').run(ids[0], ids[1]);
      expect(index.current()!.absent).toBe(2); // 2 of 8: applied
      s.db.prepare("UPDATE tracks SET status = 'missing' WHERE id = ?").run(ids[2]);
      expect(index.current()!.absent).toBe(3); // 3 of 8 (over a quarter): applied, the next change loads whole
      expect(MAX_ABSENT_FRACTION * 8).toBeLessThan(3);
      addFakeTracks(s.db, [{ title: 'New' }]);
      expect(index.current()).toBeNull();
      now = QUIET_BEFORE_REBUILD_MS;
      const c = index.current()!;
      expect([c.size, c.absent]).toEqual([7, 1]); // the missing track keeps its row
      expect(index.counts).toEqual({ full: 2, incremental: 2, tracks: 3 });
    } finally {
      s.close();
    }
  });

  it('loads whole when more tracks changed than an update re-reads, or a new track would go between rows', () => {
    const s = openStore(':memory:');
    try {
      let now = 0;
      const index = new ColumnIndex(s.db, {}, () => now, 0, 3);
      addFakeTracks(s.db, [{ title: 'A' }, { title: 'B' }, { title: 'C' }]);
      index.current();
      addFakeTracks(s.db, [{ title: 'D' }, { title: 'E' }, { title: 'F' }]);
      expect(index.current()!.size).toBe(6); // three: applied
      addFakeTracks(s.db, [{ title: 'G' }, { title: 'H' }, { title: 'I' }, { title: 'J' }]);
      expect(index.current()).toBeNull(); // four: too many
      now = QUIET_BEFORE_REBUILD_MS;
      expect(index.current()!.size).toBe(10);
      expect(index.counts).toEqual({ full: 2, incremental: 1, tracks: 3 });
      // An explicit id below the last row's (SQLite itself never gives one) cannot be appended.
      s.db.prepare("DELETE FROM tracks WHERE title = 'B'").run();
      index.current();
      s.db
        .prepare(
          `INSERT INTO tracks (id, root_id, path, status, size, mtime_ms, fingerprint, duration, title, added_at, updated_at)
           SELECT 1000, root_id, path || '.x', status, size, mtime_ms, fingerprint || 'x', duration, 'Big', added_at, updated_at FROM tracks WHERE title = 'A'`,
        )
        .run();
      index.current();
      s.db
        .prepare(
          `INSERT INTO tracks (id, root_id, path, status, size, mtime_ms, fingerprint, duration, title, added_at, updated_at)
           SELECT 500, root_id, path || '.y', status, size, mtime_ms, fingerprint || 'y', duration, 'Between', added_at, updated_at FROM tracks WHERE title = 'A'`,
        )
        .run();
      expect(index.current()).toBeNull();
      now = 2 * QUIET_BEFORE_REBUILD_MS;
      const c = index.current()!;
      expect(Array.from(c.ids.subarray(0, c.size)).slice(-2)).toEqual([500, 1000]);
      expect(c.absent).toBe(0);
      expect(index.counts).toEqual({ full: 3, incremental: 3, tracks: 5 });
    } finally {
      s.close();
    }
  });
});
