// The in-process similarity index: the same cosine distances and order as sqlite-vec's KNN over
// track_vectors, reloaded after vectors change (through the store or directly), and exact nearest
// neighbours under filters that only a few tracks pass.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SearchEngine } from '../../app/search/engine.ts';
import { SimilarityIndex } from '../../app/search/similarIndex.ts';
import { detectCapabilities } from '../../app/search/capabilities.ts';
import { openStore, type Store } from '../../app/store/index.ts';
import { seededRandom } from '../fixtures/library.ts';
import { addFakeTracks } from './helpers.ts';

let store: Store;
beforeEach(() => {
  store = openStore(':memory:');
});
afterEach(() => store.close());

function randomVector(rand: () => number): Float32Array {
  const v = new Float32Array(58);
  for (let d = 0; d < 58; d++) v[d] = rand() * 2 - 1;
  return v;
}

describe('SimilarityIndex', () => {
  it('gives the neighbours and cosine distances of sqlite-vec KNN', () => {
    const rand = seededRandom(3);
    const ids = addFakeTracks(store.db, Array.from({ length: 300 }, (_, i) => ({ title: `Track ${i}` })));
    for (const id of ids) store.vectors.save(id, randomVector(rand));
    const index = new SimilarityIndex(store.db, detectCapabilities(store.db).vectors!);
    for (const seed of [ids[0]!, ids[123]!, ids[299]!]) {
      const expected = store.vectors.knn(store.vectors.get(seed)!, 25, seed);
      const got = index.nearest(index.distancesTo(seed)!, 25, seed);
      expect(got.map((n) => n.id)).toEqual(expected.map((n) => n.trackId));
      got.forEach((n, i) => expect(n.distance).toBeCloseTo(expected[i]!.distance, 5));
      expect(index.all(index.distancesTo(seed)!, seed).slice(0, 25)).toEqual(got);
    }
  });

  it('reloads when a vector is saved or deleted, through the store or directly', () => {
    const [a, b, c] = addFakeTracks(store.db, [{ title: 'A' }, { title: 'B' }, { title: 'C' }]);
    const unit = (...xs: number[]) => {
      const v = new Float32Array(58);
      v.set(xs);
      return v;
    };
    store.vectors.save(a!, unit(1, 0));
    store.vectors.save(b!, unit(0, 1));
    const index = new SimilarityIndex(store.db, detectCapabilities(store.db).vectors!);
    expect(index.nearest(index.distancesTo(a!)!, 5, a!).map((n) => n.id)).toEqual([b]);
    store.vectors.save(b!, unit(-1, 0)); // replaced in place: same id, same row count
    expect(index.nearest(index.distancesTo(a!)!, 5, a!)[0]!.distance).toBeCloseTo(2, 6);
    store.db.prepare('INSERT INTO track_vectors (track_id, embedding) VALUES (?, ?)').run(BigInt(c!), Buffer.from(unit(1, 0.1).buffer));
    expect(index.nearest(index.distancesTo(a!)!, 5, a!).map((n) => n.id)).toEqual([c, b]);
    store.vectors.delete(c!);
    expect(index.nearest(index.distancesTo(a!)!, 5, a!).map((n) => n.id)).toEqual([b]);
    expect(index.has(c!)).toBe(false);
  });

  it('leaves out zero vectors (no direction) and says when the seed has none', () => {
    const [a, b] = addFakeTracks(store.db, [{ title: 'A' }, { title: 'B' }]);
    store.vectors.save(a!, new Float32Array(58));
    store.vectors.save(b!, new Float32Array(58).fill(0.5));
    const index = new SimilarityIndex(store.db, detectCapabilities(store.db).vectors!);
    expect(index.distancesTo(a!)).toBeNull();
    expect(index.nearest(index.distancesTo(b!)!, 5, b!)).toEqual([]);
  });
});

describe('like … with a filter few tracks pass', () => {
  it('finds the nearest matching tracks however far down the list they are', () => {
    const rand = seededRandom(11);
    const tracks = Array.from({ length: 600 }, (_, i) => ({ title: i === 0 ? 'Seed Song' : `Other ${i}`, meter: i % 97 === 5 ? '3/4' : '4/4' }));
    const ids = addFakeTracks(store.db, tracks);
    for (const id of ids) store.vectors.save(id, randomVector(rand));
    const seed = ids[0]!;
    const waltzes = new Set(ids.filter((_, i) => i % 97 === 5));
    const expected = store.vectors
      .knn(store.vectors.get(seed)!, 600, seed)
      .filter((n) => waltzes.has(n.trackId))
      .map((n) => n.trackId);
    const r = new SearchEngine(store.db).search('like "Seed Song", waltz');
    expect(r.hits.map((h) => h.trackId)).toEqual(expected);
    expect(r.total).toBe(waltzes.size);
  });
});
