// Test helpers for search: fabricated analysed tracks written through the real schema.
import type { Db } from '../../app/store/index.ts';

export interface FakeTrack {
  title: string;
  artist?: string;
  genre?: string;
  year?: number;
  bpm?: number;
  meter?: string;
  key?: { tonic: number; mode: 'major' | 'minor' };
  devices?: { kind: string; start: number; end: number; confidence: number; label: string; detail?: Record<string, string> }[];
  /** Extra columns of track_summaries (analysis II descriptors), when the schema has them. */
  status?: 'present' | 'missing';
}

/** Inserts fabricated analysed tracks (no audio) through the real schema; returns their ids. */
export function addFakeTracks(db: Db, tracks: FakeTrack[]): number[] {
  const now = Date.now();
  let root = (db.prepare("SELECT id FROM roots WHERE path = '/fake'").get() as { id: number } | undefined)?.id;
  root ??= Number(db.prepare("INSERT INTO roots (path, status, added_at) VALUES ('/fake', 'online', ?)").run(now).lastInsertRowid);
  return tracks.map((t, i) => {
    const id = Number(
      db
        .prepare(
          `INSERT INTO tracks (root_id, path, status, size, mtime_ms, fingerprint, duration, title, artist, genre, year, added_at, updated_at)
           VALUES (?, ?, ?, 1, 1, ?, 180, ?, ?, ?, ?, ?, ?)`,
        )
        .run(root, `/fake/${t.title}-${i}-${now}.flac`, t.status ?? 'present', `fp-${i}-${now}`, t.title, t.artist ?? null, t.genre ?? null, t.year ?? null, now, now).lastInsertRowid,
    );
    const key = t.key ?? { tonic: 0, mode: 'major' };
    db.prepare(
      'INSERT INTO track_summaries (track_id, bpm, bpm_confidence, meter, key_tonic, key_mode, key_confidence, key_changes, devices, analysed_at) VALUES (?, ?, 0.8, ?, ?, ?, 0.9, 0, ?, ?)',
    ).run(id, t.bpm ?? 100, t.meter ?? '4/4', key.tonic, key.mode, '[]', now);
    db.prepare("INSERT INTO analyses (track_id, analyser, version, result, error, analysed_at) VALUES (?, 'theory', 1, ?, NULL, ?)").run(
      id,
      JSON.stringify({ romans: [], devices: (t.devices ?? []).map((d) => ({ chordIndices: [], ...d })) }),
      now,
    );
    return id;
  });
}
