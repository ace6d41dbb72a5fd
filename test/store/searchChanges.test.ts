// Migration 012's change log: each write search's column index copies logs the written track's id
// (the same writes that bump migration 011's counter, plus titles), other writes log nothing, and the
// log stays bounded.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../app/store/index.ts';
import { SEARCH_CHANGES_KEPT, SEARCH_CHANGES_PRUNE_EVERY } from '../../app/store/migrations/012_search_changes.ts';
import { addFakeTracks } from '../search/helpers.ts';

let store: Store;
beforeEach(() => {
  store = openStore(':memory:');
});
afterEach(() => store.close());

/** Track ids logged (and whether the version moved) while `write` runs. */
function logged(write: () => void): { ids: number[]; versionMoved: boolean } {
  const db = store.db;
  const seq = db.prepare('SELECT coalesce(max(seq), 0) FROM search_column_changes').pluck().get() as number;
  const version = db.prepare('SELECT version FROM search_column_version').pluck().get() as number;
  write();
  return {
    ids: [...new Set(db.prepare('SELECT track_id FROM search_column_changes WHERE seq > ? ORDER BY seq').pluck().all(seq) as number[])],
    versionMoved: db.prepare('SELECT version FROM search_column_version').pluck().get() !== version,
  };
}

describe('search_column_changes', () => {
  it('logs the track of every write to tracks, summaries and evidence that search copies', () => {
    const db = store.db;
    let a = 0;
    let b = 0;
    expect(logged(() => ([a, b] = addFakeTracks(db, [{ title: 'A' }, { title: 'B', devices: [{ kind: 'modulation', start: 0, end: 4, confidence: 1, label: 'up' }] }]) as [number, number]))).toEqual({ ids: [a, b], versionMoved: true });
    const run = (sql: string, ...params: unknown[]) => () => void db.prepare(sql).run(...params);
    expect(logged(run('UPDATE tracks SET year = 1990 WHERE id = ?', a))).toEqual({ ids: [a], versionMoved: true });
    expect(logged(run("UPDATE tracks SET genre = 'Jazz' WHERE id = ?", b))).toEqual({ ids: [b], versionMoved: true });
    expect(logged(run("UPDATE tracks SET status = 'missing' WHERE id = ?", a))).toEqual({ ids: [a], versionMoved: true });
    expect(logged(run("UPDATE tracks SET title = 'A2' WHERE id = ?", a))).toEqual({ ids: [a], versionMoved: true });
    expect(logged(run('UPDATE track_summaries SET bpm = 99 WHERE track_id = ?', b))).toEqual({ ids: [b], versionMoved: true });
    expect(logged(run('UPDATE search_evidence SET strength = 9 WHERE track_id = ?', b))).toEqual({ ids: [b], versionMoved: true });
    expect(logged(run("UPDATE analyses SET result = '{\"romans\":[],\"devices\":[]}' WHERE track_id = ? AND analyser = 'theory'", b))).toEqual({ ids: [b], versionMoved: true });
    expect(logged(run('DELETE FROM track_summaries WHERE track_id = ?', a))).toEqual({ ids: [a], versionMoved: true });
    expect(logged(run('DELETE FROM tracks WHERE id = ?', b))).toEqual({ ids: [b], versionMoved: true });
    // Writes search does not copy.
    expect(logged(run('UPDATE tracks SET updated_at = 5, year = year WHERE id = ?', a))).toEqual({ ids: [], versionMoved: false });
    expect(logged(run("UPDATE tracks SET title = 'A2' WHERE id = ?", a))).toEqual({ ids: [], versionMoved: false });
  });

  it(`keeps the last ${SEARCH_CHANGES_KEPT.toLocaleString('en')} changes, recording how far it pruned`, () => {
    const db = store.db;
    const add = db.prepare('WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < ?) INSERT INTO search_column_changes (track_id) SELECT x FROM n');
    add.run(SEARCH_CHANGES_KEPT);
    expect(db.prepare('SELECT pruned_through FROM search_column_log').pluck().get()).toBe(0);
    add.run(3 * SEARCH_CHANGES_PRUNE_EVERY + 5);
    const [count, min, max] = db.prepare('SELECT count(*), min(seq), max(seq) FROM search_column_changes').raw().get() as number[];
    const pruned = db.prepare('SELECT pruned_through FROM search_column_log').pluck().get() as number;
    expect(max).toBe(SEARCH_CHANGES_KEPT + 3 * SEARCH_CHANGES_PRUNE_EVERY + 5);
    expect(pruned).toBe(3 * SEARCH_CHANGES_PRUNE_EVERY);
    expect(min).toBe(pruned + 1); // nothing after the pruned point is missing
    expect(count).toBe(max! - pruned);
    expect(count).toBeLessThanOrEqual(SEARCH_CHANGES_KEPT + SEARCH_CHANGES_PRUNE_EVERY);
  });
});
