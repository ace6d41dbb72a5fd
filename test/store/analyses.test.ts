import { describe, expect, it } from 'vitest';
import { openStore } from '../../app/store/index.ts';
import { facts } from './repos.test.ts';

describe('analyses repository', () => {
  it('stores results with versions, and re-queues only what a version bump affects', () => {
    const store = openStore(':memory:');
    const root = store.roots.upsert('/m');
    const a = store.tracks.insert(root.id, facts('/m/a.mp3'));
    const b = store.tracks.insert(root.id, facts('/m/b.mp3'));
    expect(store.analyses.tracksNeeding({ rhythm: 1, key: 1 })).toEqual([a, b]);
    store.analyses.save(a, 'rhythm', 1, { bpm: 120 });
    store.analyses.save(a, 'key', 1, { tonic: 9 });
    store.analyses.save(b, 'rhythm', 1, { bpm: 90 });
    expect(store.analyses.tracksNeeding({ rhythm: 1, key: 1 })).toEqual([b]);
    expect(store.analyses.tracksNeeding({ rhythm: 1, key: 2 })).toEqual([a, b]);
    expect(store.analyses.tracksNeeding({ rhythm: 1 })).toEqual([]);
    expect(store.analyses.forTrack(a).map((r) => [r.analyser, r.version, r.result])).toEqual([
      ['key', 1, { tonic: 9 }],
      ['rhythm', 1, { bpm: 120 }],
    ]);
    store.analyses.saveError(b, 'key', 1, 'decoder failed');
    expect(store.analyses.forTrack(b).find((r) => r.analyser === 'key')).toMatchObject({ result: null, error: 'decoder failed' });
  });

  it('keeps a summary row per analysed track', () => {
    const store = openStore(':memory:');
    const root = store.roots.upsert('/m');
    const a = store.tracks.insert(root.id, facts('/m/a.mp3'));
    store.analyses.saveSummary({ trackId: a, bpm: 120, bpmConfidence: 0.9, meter: '4/4', keyTonic: 9, keyMode: 'minor', keyConfidence: 0.8, keyChanges: 1, devices: ['modulation'], analysedAt: 5 });
    expect(store.analyses.summary(a)).toMatchObject({ bpm: 120, keyMode: 'minor', devices: ['modulation'] });
    expect(store.analyses.analysedCount()).toBe(1);
  });
});
