import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { openStore } from '../../app/store/index.ts';
import { loadVectorExtension } from '../../app/store/db.ts';
import { migrate } from '../../app/store/migrate.ts';
import { migrations } from '../../app/store/migrations/index.ts';
import { STORED_VECTOR_LENGTH } from '../../app/store/vectors.ts';
import { VECTOR_LENGTH } from '../../app/analysis/vector/index.ts';
import { facts } from './repos.test.ts';

/** A unit vector pointing mostly along dimension `axis`, tilted by `tilt` towards dimension axis + 1. */
function unitVector(axis: number, tilt = 0): Float32Array {
  const v = new Float32Array(STORED_VECTOR_LENGTH);
  v[axis] = Math.cos(tilt);
  v[(axis + 1) % STORED_VECTOR_LENGTH] = Math.sin(tilt);
  return v;
}

describe('migration 004 (analysis II)', () => {
  it('the stored vector length is the analysis vector length', () => {
    expect(STORED_VECTOR_LENGTH).toBe(VECTOR_LENGTH);
  });

  it('upgrades a version-3 database: summary rows survive with the new columns empty, and vectors work', () => {
    const db = new Database(':memory:');
    loadVectorExtension(db);
    migrate(db, migrations, 3);
    db.prepare("INSERT INTO roots (path, added_at) VALUES ('/m', 1)").run();
    db.prepare(
      "INSERT INTO tracks (root_id, path, size, mtime_ms, fingerprint, added_at, updated_at) VALUES (1, '/m/a.mp3', 1, 1, 'f', 1, 1)",
    ).run();
    db.prepare("INSERT INTO track_summaries (track_id, bpm, meter, key_changes, devices, analysed_at) VALUES (1, 120, '4/4', 0, '[]', 7)").run();
    migrate(db, migrations, 4);
    const row = db.prepare('SELECT bpm, energy, tags, has_vocals FROM track_summaries WHERE track_id = 1').get();
    expect(row).toEqual({ bpm: 120, energy: null, tags: '[]', has_vocals: null });
    db.prepare('INSERT INTO track_vectors (track_id, embedding) VALUES (?, ?)').run(1n, Buffer.from(unitVector(0).buffer));
    expect(db.prepare('SELECT count(*) AS n FROM track_vectors').get()).toEqual({ n: 1 });
  });
});

describe('summaries with analysis II fields', () => {
  it('round-trip every new field; old-style summaries read back nulls', () => {
    const store = openStore(':memory:');
    const root = store.roots.upsert('/m');
    const a = store.tracks.insert(root.id, facts('/m/a.mp3'));
    const b = store.tracks.insert(root.id, facts('/m/b.mp3'));
    const base = { bpm: 120, bpmConfidence: 0.9, meter: '4/4', keyTonic: 9, keyMode: 'minor' as const, keyConfidence: 0.8, keyChanges: 0, devices: [], analysedAt: 5 };
    const extra = {
      loudnessLufs: -9.5, loudnessRange: 6.2, truePeak: -0.8, replayGain: -8.5, energy: 0.71, danceability: 0.6, acousticness: 0.2, valence: 0.3, arousal: 0.8,
      tempoClass: 'fast', tags: [{ tag: 'minor key', confidence: 0.8 }], form: 'intro–verse–chorus', hasVocals: false, vocalPresence: 0.05,
    };
    store.analyses.saveSummary({ trackId: a, ...base, ...extra });
    store.analyses.saveSummary({ trackId: b, ...base });
    expect(store.analyses.summary(a)).toEqual({ trackId: a, ...base, ...extra });
    expect(store.analyses.summary(b)).toMatchObject({ energy: null, tags: [], hasVocals: null, form: null });
  });
});

describe('vectors repository (sqlite-vec)', () => {
  it('saves, replaces, finds nearest first, excludes the query track, deletes', () => {
    const store = openStore(':memory:');
    store.vectors.save(1, unitVector(0));
    store.vectors.save(2, unitVector(0, 0.1));
    store.vectors.save(3, unitVector(0, 0.5));
    store.vectors.save(4, unitVector(10));
    expect(store.vectors.count()).toBe(4);
    expect(store.vectors.knn(unitVector(0), 3, 1).map((n) => n.trackId)).toEqual([2, 3, 4]);
    const all = store.vectors.knn(unitVector(0), 10);
    expect(all.map((n) => n.trackId)).toEqual([1, 2, 3, 4]);
    expect(all[0]!.distance).toBeCloseTo(0, 6);
    expect(all[1]!.distance).toBeCloseTo(1 - Math.cos(0.1), 5);
    store.vectors.save(2, unitVector(10));
    expect(store.vectors.count()).toBe(4);
    expect(store.vectors.knn(unitVector(0), 1, 1).map((n) => n.trackId)).toEqual([3]);
    expect(Array.from(store.vectors.get(3)!)).toEqual(Array.from(unitVector(0, 0.5)));
    store.vectors.delete(3);
    expect(store.vectors.get(3)).toBeUndefined();
    expect(store.vectors.knn(unitVector(0), 5, 1).map((n) => n.trackId).sort()).toEqual([2, 4]);
  });

  it('refuses vectors of the wrong length or with non-finite values', () => {
    const store = openStore(':memory:');
    expect(() => store.vectors.save(1, new Float32Array(3))).toThrow(/58 values/);
    const bad = unitVector(0);
    bad[5] = NaN;
    expect(() => store.vectors.save(1, bad)).toThrow(/finite/);
    expect(store.vectors.knn(unitVector(0), 0)).toEqual([]);
  });
});
