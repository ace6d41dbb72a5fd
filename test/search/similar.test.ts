// Similarity ("like …") over a sqlite-vec vec0 table, combined with filters; degrades without vectors;
// the search indexes follow analysis and tag changes; missing tracks are left out.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SearchEngine } from '../../app/search/engine.ts';
import { ensureVec } from '../../app/search/similar.ts';
import { openStore, type Store } from '../../app/store/index.ts';
import { addFakeTracks } from './helpers.ts';

let store: Store;
beforeEach(() => {
  store = openStore(':memory:');
});
afterEach(() => store.close());

/** A 58-dimensional vector (analysis II's length) starting with these values. */
const vec = (...xs: number[]) => {
  const v = new Float32Array(58);
  v.set(xs);
  return Buffer.from(v.buffer);
};

describe('like <title>', () => {
  it('says so when the seed has no similarity vector yet', () => {
    addFakeTracks(store.db, [{ title: 'Seed Song' }, { title: 'Other' }]);
    const r = new SearchEngine(store.db).search('like Seed Song');
    expect(r.hits).toEqual([]);
    expect(r.notes.join(' ')).toMatch(/no similarity vector/);
  });

  it('returns the nearest tracks first, without the seed, filtered by the other clauses', () => {
    const ids = addFakeTracks(store.db, [
      { title: 'Seed Song', key: { tonic: 9, mode: 'minor' } },
      { title: 'Very Close', key: { tonic: 9, mode: 'minor' } },
      { title: 'Close But Major', key: { tonic: 0, mode: 'major' } },
      { title: 'Far Away', key: { tonic: 4, mode: 'minor' } },
      { title: 'Gone', key: { tonic: 9, mode: 'minor' }, status: 'missing' },
    ]);
    ensureVec(store.db);
    // Analysis II's vector table (cosine distance).
    const ins = store.db.prepare('INSERT INTO track_vectors (track_id, embedding) VALUES (?, ?)');
    const points = [vec(1, 0, 0), vec(1, 0.1, 0), vec(1, 0.05, 0), vec(0, 1, 1), vec(1, 0, 0.01)];
    ids.forEach((id, i) => ins.run(BigInt(id), points[i]!));
    const engine = new SearchEngine(store.db);
    const all = engine.search('like "Seed Song"');
    expect(all.hits.map((h) => h.title)).toEqual(['Close But Major', 'Very Close', 'Far Away']);
    expect(all.hits[0]!.distance).toBeLessThan(all.hits[1]!.distance!);
    expect(all.hits[0]!.why).toMatch(/sounds similar/);
    const minor = engine.search('similar to seed song, minor key');
    expect(minor.hits.map((h) => h.title)).toEqual(['Very Close', 'Far Away']);
  });
});

describe('search indexes follow the library', () => {
  it('re-indexes devices when an analysis is saved again, and tags when they change', () => {
    const [id] = addFakeTracks(store.db, [{ title: 'Plain', genre: 'Folk' }]);
    const engine = new SearchEngine(store.db);
    expect(engine.search('modal interchange').total).toBe(0);
    store.analyses.save(id!, 'theory', 2, { romans: [], devices: [{ kind: 'modal-interchange', label: '♭VII borrowed', start: 10, end: 14, confidence: 0.5, chordIndices: [] }] });
    const r = engine.search('modal interchange');
    expect(r.total).toBe(1);
    expect(r.hits[0]!.evidence).toEqual([{ start: 10, end: 14, confidence: 0.5, label: 'modal interchange: ♭VII borrowed' }]);
    expect(r.hits[0]!.why).toBe('modal interchange: 1 × 4 s (♭VII borrowed 0:10–0:14)');
    expect(engine.search('genre:folk').total).toBe(1);
    store.db.prepare("UPDATE tracks SET genre = 'Jazz' WHERE id = ?").run(id);
    expect(engine.search('genre:folk').total).toBe(0);
    expect(engine.search('genre:jazz').total).toBe(1);
  });

  it('ranks by the strength of the evidence: seconds × confidence', () => {
    addFakeTracks(store.db, [
      { title: 'Weak', devices: [{ kind: 'modal-interchange', label: 'iv', start: 0, end: 2, confidence: 0.5 }] },
      { title: 'Strong', devices: [{ kind: 'modal-interchange', label: 'iv', start: 0, end: 8, confidence: 0.9 }, { kind: 'modal-interchange', label: '♭VI', start: 20, end: 24, confidence: 1 }] },
      { title: 'Middle', devices: [{ kind: 'modal-interchange', label: '♭VII', start: 0, end: 6, confidence: 0.8 }] },
    ]);
    expect(new SearchEngine(store.db).search('borrowed chords').hits.map((h) => h.title)).toEqual(['Strong', 'Middle', 'Weak']);
  });

  it('leaves out missing tracks', () => {
    addFakeTracks(store.db, [{ title: 'Here', bpm: 120 }, { title: 'Gone', bpm: 120, status: 'missing' }]);
    expect(new SearchEngine(store.db).search('fast').hits.map((h) => h.title)).toEqual(['Here']);
  });
});
