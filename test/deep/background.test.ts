// Deep analysis in the background of `watch` (app/deep/background.ts) against the in-process fake
// OpenAI-compatible server: nothing at all without a configured server or without opt-ins; with both,
// the opted-in track gets its caption; looks are spaced out; stop() ends a run cleanly.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DeepBackground } from '../../app/deep/background.ts';
import type { Store } from '../../app/store/index.ts';
import { tempDir } from '../library/helpers.ts';
import { completion, reply, startFakeServer, type FakeServer } from './fakeServer.ts';
import { libraryWith, writeTone } from './helpers.ts';

let base: string;
let fake: FakeServer;
let n = 0;
const stores: Store[] = [];

beforeAll(async () => {
  base = await tempDir('ln-deep-bg-');
  fake = await startFakeServer((_q, res) => reply(res, 200, completion('Genre and style: ambient drone. A slow pulse around 100 BPM in A minor.')));
});
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  fake.requests.length = 0;
});
afterAll(async () => {
  await fake.close();
  await fs.rm(base, { recursive: true, force: true });
});

/** A library with one short present track that has a summary (measured analysis done). */
async function library(): Promise<{ store: Store; trackId: number; rootId: number }> {
  const dir = path.join(base, `lib-${++n}`);
  await writeTone(path.join(dir, 'music', 'song.wav'), 2);
  const lib = await libraryWith(dir);
  stores.push(lib.store);
  lib.store.db
    .prepare("INSERT INTO track_summaries (track_id, bpm, bpm_confidence, meter, key_tonic, key_mode, key_confidence, key_changes, devices, analysed_at) VALUES (?, 100, 0.8, '4/4', 9, 'minor', 0.9, 0, '[]', 1)")
    .run(lib.trackId);
  return lib;
}

const env = () => ({ LINERNOTES_ALM_URL: fake.url, LINERNOTES_ALM_MODEL: 'music-flamingo-test' });

describe('deep analysis in the background', () => {
  it('without a configured model server it does nothing and says nothing', async () => {
    const { store, rootId } = await library();
    store.deep.optIn('root', rootId);
    const said: string[] = [];
    const bg = new DeepBackground(store, { env: {}, onOutcome: (o) => said.push(o.kind), onStopped: (w) => said.push(w) });
    expect(await bg.kick()).toBeNull();
    expect(store.deep.jobs()).toEqual([]);
    expect(said).toEqual([]);
    expect(fake.requests).toHaveLength(0);
  });

  it('with a server but no opt-in nothing is queued or sent', async () => {
    const { store } = await library();
    expect(await new DeepBackground(store, { env: env() }).kick()).toBeNull();
    expect(store.deep.jobs()).toEqual([]);
    expect(fake.requests).toHaveLength(0);
  });

  it('captions an opted-in track once, checked against the measurements; looks are spaced out', async () => {
    const { store, trackId } = await library();
    store.deep.optIn('track', trackId);
    let clock = 1_000_000;
    const outcomes: string[] = [];
    const bg = new DeepBackground(store, { env: env(), now: () => clock, intervalMs: 60_000, onOutcome: (o) => outcomes.push(`${o.kind}:${o.trackId}`) });
    const first = bg.kick();
    expect(bg.kick()).toBe(first); // a kick while running joins the run
    expect(await first).toMatchObject({ done: 1, failed: 0 });
    expect(outcomes).toEqual([`done:${trackId}`]);
    const [cap] = store.deep.captions(trackId);
    expect(cap!.caption).toContain('ambient drone');
    expect(cap!.checks.length).toBeGreaterThan(0);
    expect(fake.requests.some((q) => q.method === 'POST')).toBe(true);
    const sent = fake.requests.length;
    expect(await bg.kick()).toBeNull(); // too soon
    clock += 60_000;
    expect(await bg.kick()).toBeNull(); // nothing wanted: the caption is current
    expect(fake.requests).toHaveLength(sent);
    await bg.stop();
    clock += 60_000;
    expect(await bg.kick()).toBeNull(); // stopped
  });
});
