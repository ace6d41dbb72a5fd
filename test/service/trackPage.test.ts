import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store, type TrackFacts } from '../../app/store/index.ts';
import { orderingQuery, TrackPager } from '../../app/service/trackPage.ts';

let store: Store;
const facts = (i: number, artist: string | null): TrackFacts =>
  ({ path: `/m/${i}.flac`, size: 1, mtimeMs: 1, fingerprint: `f${i}`, title: `Song ${String(i).padStart(4, '0')}`, artist, album: 'A', hasArtwork: false }) as TrackFacts;

beforeEach(() => {
  store = openStore(':memory:');
  const root = store.roots.upsert('/m');
  store.transaction(() => {
    for (let i = 0; i < 1000; i++) store.tracks.insert(root.id, facts(i, i % 10 === 0 ? null : `Artist ${i % 7}`));
  });
});
afterEach(() => store.close());

describe('TrackPager', () => {
  it('gives the same rows whether a page comes from SQL directly or from the kept ordering', async () => {
    const pager = new TrackPager(store.db);
    const first = pager.page({ offset: 0, limit: 300, sort: 'artist' });
    await new Promise((r) => setImmediate(r));
    const again = pager.page({ offset: 0, limit: 300, sort: 'artist' });
    expect(again).toEqual(first);
    const all = [...first.rows, ...pager.page({ offset: 300, limit: 700, sort: 'artist' }).rows];
    expect(all).toHaveLength(1000);
    expect(new Set(all.map((r) => r.id)).size).toBe(1000);
    // Nulls last; case-insensitive order otherwise.
    expect(all.at(-1)!.artist).toBeNull();
    expect(all[0]!.artist).toBe('Artist 0');
  });

  it('keeps an ordering across writes to temporary tables (search facets), not across library writes', async () => {
    const pager = new TrackPager(store.db);
    pager.page({ offset: 0, limit: 10 });
    await new Promise((r) => setImmediate(r));
    store.db.exec('CREATE TEMP TABLE scratch (id INTEGER)');
    store.db.prepare('INSERT INTO temp.scratch VALUES (1)').run();
    const spy = store.db.prepare.bind(store.db);
    let sorts = 0;
    store.db.prepare = ((sql: string) => {
      if (/SELECT t\.id FROM tracks/.test(sql)) sorts++;
      return spy(sql);
    }) as typeof store.db.prepare;
    pager.page({ offset: 200, limit: 10 });
    expect(sorts).toBe(0);
    pager.invalidate();
    pager.page({ offset: 200, limit: 10 });
    expect(sorts).toBe(1);
    store.db.prepare = spy;
  });

  it('sees changes made after an ordering was kept', async () => {
    const pager = new TrackPager(store.db);
    pager.page({ offset: 0, limit: 10, sort: 'title', descending: true });
    await new Promise((r) => setImmediate(r));
    expect(pager.page({ offset: 10, limit: 10, sort: 'title', descending: true }).total).toBe(1000);
    store.tracks.insert(store.roots.list()[0]!.id, facts(5000, 'New'));
    pager.invalidate();
    const after = pager.page({ offset: 0, limit: 1, sort: 'title', descending: true });
    expect(after.total).toBe(1001);
    expect(after.rows[0]!.title).toBe('Song 5000');
    expect(pager.page({ offset: 1000, limit: 5, sort: 'title', descending: true }).rows.map((r) => r.title)).toEqual(['Song 0000']);
  });
});

describe('the library orderings in SQLite (migration 010)', () => {
  const plan = (q: Parameters<typeof orderingQuery>[0]) => {
    const o = orderingQuery(q);
    return (store.db.prepare(`EXPLAIN QUERY PLAN ${o.sql}`).all(...o.params) as { detail: string }[]).map((r) => r.detail).join('\n');
  };

  it('reads the default (artist) and title orderings off an index instead of sorting', () => {
    expect(plan({ sort: 'artist' })).toMatch(/COVERING INDEX tracks_order_artist/);
    expect(plan({})).toMatch(/COVERING INDEX tracks_order_artist/);
    expect(plan({ sort: 'title' })).toMatch(/INDEX tracks_order_title/);
    for (const q of [{ sort: 'artist' as const }, { sort: 'title' as const }]) expect(plan(q)).not.toMatch(/TEMP B-TREE/);
    // Other sorts still sort (correctly, just without an index).
    expect(plan({ sort: 'year' })).toMatch(/TEMP B-TREE/);
  });
});
