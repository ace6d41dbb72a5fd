// Keeping analyses in the library: every result is stored with its version and read back whole; a
// track analysed by an older version (missing engine-II results, or older versions) reads as
// incomplete and is analysed again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import path from 'node:path';
import { analyzeFile, analyserVersions } from '../../app/analysis/analyze.ts';
import { loadAnalysis, saveAnalysis } from '../../app/analysis/libraryAnalysis.ts';
import type { TrackAnalysis } from '../../app/analysis/types.ts';
import { demoSongWav } from '../../app/demo/library.ts';
import { DEMO_SONGS } from '../../app/demo/songs.ts';
import { openStore, type TrackFacts } from '../../app/store/index.ts';
import { tempDir } from '../library/helpers.ts';

let dir: string;
let analysis: TrackAnalysis;

beforeAll(async () => {
  dir = await tempDir('ln-libanalysis-');
  const file = path.join(dir, 'song.wav');
  await fs.writeFile(file, demoSongWav(DEMO_SONGS.find((s) => s.title === 'Borrowed Light')!, 22050));
  analysis = await analyzeFile(file);
}, 60_000);
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const facts = (p: string): TrackFacts => ({
  path: p, size: 100, mtimeMs: 1000, fingerprint: `fp-${p}`, container: 'WAVE', codec: 'PCM', lossless: true,
  duration: 37, sampleRate: 22050, channels: 1, bitDepth: 16, bitrate: null, title: 'T', artist: 'A', album: 'B',
  albumArtist: null, trackNo: 1, trackTotal: 1, discNo: 1, discTotal: 1, year: 2001, genre: 'Pop', composer: null,
  tagBpm: null, tagKey: null, hasArtwork: false,
});

function libraryWithOneTrack() {
  const store = openStore(':memory:');
  const root = store.roots.upsert('/m');
  const id = store.tracks.insert(root.id, facts('/m/a.wav'));
  return { store, id };
}

describe('saveAnalysis / loadAnalysis', () => {
  it('an analysis carries every result with a version, and the derived ones with their timings', () => {
    const versions = analyserVersions();
    expect(Object.keys(analysis.versions).sort()).toEqual(Object.keys(versions).sort());
    expect(analysis.versions).toEqual(versions);
    expect(analysis.insight.paragraphs).toHaveLength(3);
    expect(analysis.insight.paragraphs.join(' ')).toMatch(/C major/);
    expect(analysis.insight.paragraphs.join(' ')).toMatch(/LUFS/);
    for (const k of ['decode', 'loudness', 'sound', 'form', 'descriptors', 'insight']) expect(analysis.timings[k], k).toBeGreaterThanOrEqual(0);
    expect(analysis.loudness.integratedLufs).toBeLessThan(0);
  });

  it('reads back exactly what was saved, and nothing needs analysing then', () => {
    const { store, id } = libraryWithOneTrack();
    expect(store.analyses.tracksNeeding(analyserVersions())).toEqual([id]);
    saveAnalysis(store, id, analysis);
    expect(loadAnalysis(store, id)).toEqual(JSON.parse(JSON.stringify(analysis)));
    expect(store.analyses.tracksNeeding(analyserVersions())).toEqual([]);
    expect(store.analyses.summary(id)).toMatchObject({
      keyTonic: 0,
      keyMode: 'major',
      meter: '4/4',
      loudnessLufs: analysis.loudness.integratedLufs,
      energy: analysis.descriptors.energy.value,
      tempoClass: analysis.descriptors.tempoClass,
      form: analysis.form.summary,
      vocalPresence: analysis.sound.vocals.presence,
    });
    expect(store.analyses.summary(id)!.tags!.map((t) => t.tag)).toEqual(analysis.descriptors.tags.map((t) => t.tag));
    const vector = store.vectors.get(id)!;
    expect(vector).toHaveLength(58);
    expect(store.vectors.knn(vector, 1)).toEqual([{ trackId: id, distance: expect.closeTo(0, 5) }]);
    expect(store.analyses.forTrack(id).find((r) => r.analyser === 'vector')!.result).toHaveLength(58);
  });

  it('a track stored by an older version is incomplete and re-queued, never half-read', () => {
    const { store, id } = libraryWithOneTrack();
    // What engine I stored: its five results and the meta row, no loudness and no insight.
    for (const k of ['frontend', 'rhythm', 'key', 'chords', 'theory'] as const) store.analyses.save(id, k, analysis.versions[k]!, analysis[k]);
    store.analyses.save(id, 'meta', 1, { durationSec: analysis.durationSec, sampleRate: analysis.sampleRate, versions: { frontend: 1 }, timings: {} });
    expect(loadAnalysis(store, id)).toBeUndefined();
    expect(store.analyses.tracksNeeding(analyserVersions())).toEqual([id]);
    // Everything stored, but the insight by an older version: loads (it is whole) but is re-queued.
    saveAnalysis(store, id, analysis);
    store.analyses.save(id, 'insight', 0, analysis.insight);
    expect(loadAnalysis(store, id)).toBeDefined();
    expect(store.analyses.tracksNeeding(analyserVersions())).toEqual([id]);
  });
});
