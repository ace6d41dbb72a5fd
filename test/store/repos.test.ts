import { describe, expect, it } from 'vitest';
import { openStore, type TrackFacts } from '../../app/store/index.ts';

export function facts(p: string, extra: Partial<TrackFacts> = {}): TrackFacts {
  return {
    path: p, size: 100, mtimeMs: 1000, fingerprint: 'fp-' + p, container: 'MPEG', codec: 'MPEG 1 Layer 3', lossless: false,
    duration: 180, sampleRate: 44100, channels: 2, bitDepth: null, bitrate: 320000, title: 'T', artist: 'A', album: 'B',
    albumArtist: null, trackNo: 1, trackTotal: 10, discNo: 1, discTotal: 1, year: 2001, genre: 'Pop', composer: null,
    tagBpm: 120, tagKey: 'Am', hasArtwork: true, ...extra,
  };
}

describe('repositories', () => {
  it('round-trip a track with every column', () => {
    const store = openStore(':memory:');
    const root = store.roots.upsert('/music');
    const id = store.tracks.insert(root.id, facts('/music/a.mp3'));
    const t = store.tracks.byId(id)!;
    expect(t).toMatchObject({ ...facts('/music/a.mp3'), id, rootId: root.id, status: 'present', missingSince: null });
  });

  it('keep the id when a track is updated or moved, and mark missing without erasing', () => {
    const store = openStore(':memory:');
    const root = store.roots.upsert('/music');
    const id = store.tracks.insert(root.id, facts('/music/a.mp3'));
    store.tracks.update(id, root.id, facts('/music/sub/a.mp3', { title: 'New' }));
    expect(store.tracks.byPath('/music/sub/a.mp3')).toMatchObject({ id, title: 'New' });
    store.tracks.markMissing([id]);
    expect(store.tracks.byId(id)!.status).toBe('missing');
    expect(store.tracks.count()).toBe(1);
  });

  it('hide tracks of removed roots and bring them back when the root returns', () => {
    const store = openStore(':memory:');
    const root = store.roots.upsert('/music');
    store.tracks.insert(root.id, facts('/music/a.mp3'));
    store.roots.setStatus(root.id, 'removed');
    expect(store.tracks.list()).toHaveLength(0);
    expect(store.roots.upsert('/music').status).toBe('online');
    expect(store.tracks.list()).toHaveLength(1);
  });

  it('keep one current error per path', () => {
    const store = openStore(':memory:');
    store.scanLog.recordError({ rootId: null, scanId: null, path: '/x.mp3', code: 'EMPTY', message: 'a' });
    store.scanLog.recordError({ rootId: null, scanId: null, path: '/x.mp3', code: 'CORRUPT', message: 'b' });
    expect(store.scanLog.errors()).toMatchObject([{ path: '/x.mp3', code: 'CORRUPT' }]);
    store.scanLog.clearError('/x.mp3');
    expect(store.scanLog.errorCount()).toBe(0);
  });

  it('select tracks under a folder by prefix, not by LIKE patterns', () => {
    const store = openStore(':memory:');
    const root = store.roots.upsert('/m');
    store.tracks.insert(root.id, facts('/m/a_b/1.mp3'));
    store.tracks.insert(root.id, facts('/m/axb/2.mp3'));
    store.tracks.insert(root.id, facts('/m/a_bc/3.mp3'));
    expect(store.tracks.underDirectory('/m/a_b', '/').map((t) => t.path)).toEqual(['/m/a_b/1.mp3']);
  });
});
