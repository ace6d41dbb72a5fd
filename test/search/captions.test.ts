// Model captions in free-text search: words that match only an audio-language model's caption find
// the track, marked unverified with the caption's why-line and ranked after measured matches; the
// numbers a caption claims never act as filters (key, tempo, meter stay measured-only).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SearchEngine } from '../../app/search/engine.ts';
import { openStore, type Store } from '../../app/store/index.ts';
import { addFakeTracks } from './helpers.ts';

let store: Store;
let engine: SearchEngine;

beforeEach(() => {
  store = openStore(':memory:');
  engine = new SearchEngine(store.db);
});
afterEach(() => store.close());

function caption(trackId: number, text: string): void {
  store.deep.saveCaption({
    trackId, backend: 'flamingo', model: 'music-flamingo-test', promptVersion: 1, createdAt: 1, caption: text, reasoning: null,
    lyrics: null, answers: [], checks: [], analysisVersions: null, notices: [], durationSec: null, parts: 1,
  });
}

describe('search over model captions', () => {
  it('a track whose only match is its caption is returned, marked unverified, after the measured matches', () => {
    const [measured, captioned, other] = addFakeTracks(store.db, [
      { title: 'Accordion Nights', bpm: 100 },
      { title: 'Second Wind', bpm: 120 },
      { title: 'Harbour Lights', bpm: 90 },
    ]);
    caption(captioned!, 'A folk waltz led by an accordion, recorded in a small harbour town.');
    const r = engine.search('accordion');
    expect(r.hits.map((h) => h.trackId)).toEqual([measured, captioned]);
    expect(r.total).toBe(2);
    expect(r.hits[0]!.unverified).toBeUndefined();
    const hit = r.hits[1]!;
    expect(hit.unverified).toBe(true);
    expect(hit.why).toMatch(/^the music-flamingo-test caption says “.*\[accordion\].*” \(model text, unverified\)$/);
    expect(r.notes.some((n) => n.includes('only in model captions'))).toBe(true);
    // Every word must be in the caption; a track matching in its own tags is not listed twice.
    expect(engine.search('accordion harbour').hits.map((h) => h.trackId)).toEqual([captioned]);
    caption(measured!, 'An accordion tune.');
    expect(engine.search('accordion').hits.map((h) => [h.trackId, h.unverified ?? false])).toEqual([[measured, false], [captioned, true]]);
    expect(engine.search('lights').hits.map((h) => h.trackId)).toEqual([other]);
  });

  it('a caption claiming 128 BPM does not make the track match "around 128 bpm"; measured filters still apply to caption words', () => {
    const [claimed, fast] = addFakeTracks(store.db, [
      { title: 'Slow One', bpm: 90, meter: '3/4' },
      { title: 'Fast One', bpm: 128 },
    ]);
    caption(claimed!, 'A driving house track at 128 BPM in A minor, four on the floor.');
    expect(engine.search('around 128 bpm').hits.map((h) => h.trackId)).toEqual([fast]);
    expect(engine.search('128 bpm').hits.map((h) => h.trackId)).toEqual([fast]);
    expect(engine.search('A minor').hits.map((h) => h.trackId)).not.toContain(claimed);
    // Caption words with a measured filter: the filter is judged on the measurements.
    expect(engine.search('house around 128 bpm').hits.map((h) => h.trackId)).not.toContain(claimed);
    const waltz = engine.search('waltz house');
    expect(waltz.hits.map((h) => [h.trackId, h.unverified])).toEqual([[claimed, true]]);
    expect(waltz.hits[0]!.why).toMatch(/^in 3\/4 · the music-flamingo-test caption says/);
  });

  it('paging counts caption-only matches after the measured ones', () => {
    const ids = addFakeTracks(store.db, [{ title: 'Drums One' }, { title: 'Drums Two' }, { title: 'Quiet' }, { title: 'Calm' }]);
    caption(ids[2]!, 'Brushed drums and upright bass.');
    caption(ids[3]!, 'Soft drums under a piano.');
    const all = engine.search('drums', { limit: 10 }).hits.map((h) => h.trackId);
    expect(all.slice(0, 2).sort()).toEqual([ids[0], ids[1]].sort());
    expect(all.slice(2).sort()).toEqual([ids[2], ids[3]].sort());
    const page2 = engine.search('drums', { limit: 2, offset: 2 });
    expect(page2.total).toBe(4);
    expect(page2.hits.map((h) => h.trackId)).toEqual(all.slice(2));
    expect(page2.hits.every((h) => h.unverified)).toBe(true);
    expect(engine.search('drums', { limit: 3, offset: 1 }).hits.map((h) => h.trackId)).toEqual(all.slice(1));
  });

  it('without the deep tables search works as before', () => {
    const [id] = addFakeTracks(store.db, [{ title: 'Accordion Nights' }]);
    store.db.exec('DROP TABLE deep_jobs');
    expect(engine.search('accordion').hits.map((h) => h.trackId)).toEqual([id]);
  });
});
