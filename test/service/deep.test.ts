// The deep-caption service methods: model servers with their health (against the in-process fake
// OpenAI-compatible server), adding and removing them with clear errors, opting in and out, and a
// track's caption with its cross-check (disagreements first), plus the unverified mark on search hits.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLibraryService, type LibraryService } from '../../app/service/service.ts';
import { dispatch } from '../../app/service/dispatch.ts';
import { checkDeepText } from '../../app/deep/check.ts';
import type { Measured } from '../../app/deep/crosscheck/compare.ts';
import { testLibrary, type TestLibrary } from '../server/helpers.ts';
import { startFakeServer, type FakeServer } from '../deep/fakeServer.ts';
import { ensureDeepSchema } from '../deep/helpers.ts';

/** A small hand-made measurement (a fixture): 120.1 BPM, confidence 0.93, G major, 4/4. */
const MEASURED = {
  durationSec: 200,
  rhythm: { bpm: 120.1, confidence: 0.93, tempoCurve: [], beats: [], downbeats: [], meter: '4/4', beatsPerBar: 4, meterConfidence: 0.8 },
  key: { global: { tonic: 7, mode: 'major' }, confidence: 0.8, segments: [{ start: 0, end: 200, key: { tonic: 7, mode: 'major' }, confidence: 0.8 }] },
  chords: { chords: [] },
  form: null,
} as unknown as Measured;

// The false tempo comes last, so the disagreements-first order is the service's doing.
const CAPTION = 'A warm harbour-town ballad with a lilting accordion, in G major. The groove sits in 4/4 time. It moves at 128 BPM.';

let lib: TestLibrary;
let service: LibraryService;
let fake: FakeServer | null = null;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  lib = await testLibrary(['Alpha', 'Beta']);
  ensureDeepSchema(lib.store);
  env = {};
  service = createLibraryService(lib.store, { dataDir: lib.dataDir, appVersion: '9.9.9', deep: { env, healthTimeoutMs: 2000 } });
});
afterEach(async () => {
  await service.close();
  await fake?.close();
  fake = null;
  await lib.cleanup();
});

const trackIds = () => lib.store.tracks.list().map((t) => t.id).sort((a, b) => a - b);

function saveCaption(trackId: number): void {
  lib.store.deep.saveCaption({
    trackId,
    backend: 'flamingo',
    model: 'music-flamingo-test',
    promptVersion: 1,
    createdAt: 1_700_000_000_000,
    caption: CAPTION,
    reasoning: null,
    lyrics: null,
    answers: [],
    checks: checkDeepText(CAPTION, [], MEASURED),
    analysisVersions: null,
    notices: [],
    durationSec: 200,
    parts: 1,
  });
}

describe('deep: model servers', () => {
  it('lists none at first; adds servers, reports each one’s health (up with its models, or unreachable) and removes them', async () => {
    expect(await service.api['deep.backends']({})).toEqual([]);
    fake = await startFakeServer(() => undefined);
    env.TEST_ALM_KEY = 'sekrit';
    expect(await service.api['deep.addBackend']({ name: 'flamingo', url: fake.url, model: 'music-flamingo-test', apiKeyEnv: 'TEST_ALM_KEY' })).toEqual({ added: 'flamingo' });
    // A server that has gone away: nothing listens on its port any more.
    const gone = await startFakeServer(() => undefined);
    await gone.close();
    await service.api['deep.addBackend']({ name: 'down', url: gone.url, model: 'm' });
    const list = await service.api['deep.backends']({});
    expect(list.map((b) => b.name)).toEqual(['flamingo', 'down']);
    expect(list[0]).toMatchObject({ url: fake.url, model: 'music-flamingo-test', apiKeyEnv: 'TEST_ALM_KEY', apiKeySet: true, isDefault: true, from: 'settings' });
    expect(list[0]!.health).toMatchObject({ ok: true, models: ['music-flamingo-test'], modelListed: true });
    expect(fake.requests.find((r) => r.path === '/v1/models')!.headers.authorization).toBe('Bearer sekrit');
    expect(JSON.stringify(list)).not.toContain('sekrit');
    expect(list[1]).toMatchObject({ isDefault: false, apiKeyEnv: null, apiKeySet: false, health: { ok: false, code: 'UNREACHABLE' } });
    expect(await service.api['deep.removeBackend']({ name: 'down' })).toEqual({ removed: 'down' });
    expect((await service.api['deep.backends']({})).map((b) => b.name)).toEqual(['flamingo']);
  });

  it('refuses a key in place of a variable name, a bad URL, missing fields, and removing what is not saved', async () => {
    const add = (a: Record<string, unknown>) => dispatch(service.api, 'deep.addBackend', a);
    const key = await add({ name: 'x', url: 'http://127.0.0.1:8080/v1', model: 'm', apiKeyEnv: 'sk-live-1234 5678' });
    expect(key).toMatchObject({ ok: false, error: { code: 'BAD_ARGS' } });
    expect(JSON.stringify(key)).toMatch(/never the key itself/);
    expect(await add({ name: 'x', url: 'not a url', model: 'm' })).toMatchObject({ ok: false, error: { code: 'BAD_ARGS', message: expect.stringMatching(/not a URL/) } });
    expect(await add({ name: 'x', url: 'ftp://host/v1', model: 'm' })).toMatchObject({ ok: false, error: { code: 'BAD_ARGS', message: expect.stringMatching(/http/) } });
    expect(await add({ name: '', url: 'http://127.0.0.1:8080/v1', model: 'm' })).toMatchObject({ ok: false, error: { code: 'BAD_ARGS', message: 'give the server name' } });
    expect(await add({ name: 'x', url: 'http://127.0.0.1:8080/v1' })).toMatchObject({ ok: false, error: { code: 'BAD_ARGS', message: 'give the model name' } });
    expect(lib.store.deep.backends()).toEqual([]);
    expect(await dispatch(service.api, 'deep.removeBackend', { name: 'nope' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('shows the server from LINERNOTES_ALM_URL, which cannot be removed here', async () => {
    env.LINERNOTES_ALM_URL = 'http://127.0.0.1:9/v1';
    const list = await service.api['deep.backends']({});
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ name: 'env', from: 'environment', isDefault: true, health: { ok: false } });
    const r = await dispatch(service.api, 'deep.removeBackend', { name: 'env' });
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringMatching(/LINERNOTES_ALM_URL/) } });
  });
});

describe('deep: a track’s caption and opt-in', () => {
  it('says there are no servers and no caption; opting in needs a server', async () => {
    const [id] = trackIds();
    expect(await service.api['deep.caption']({ trackId: id! })).toEqual({ backends: 0, caption: null, optedIn: { track: false, root: false }, job: null });
    expect(await dispatch(service.api, 'deep.optIn', { scope: 'track', id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringMatching(/Settings/) } });
    expect(await dispatch(service.api, 'deep.caption', { trackId: 9999 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('opts a track or a folder in (queuing its jobs) and out (cancelling them)', async () => {
    const [a, b] = trackIds();
    await service.api['deep.addBackend']({ name: 'flamingo', url: 'http://127.0.0.1:9/v1', model: 'm' });
    expect(await service.api['deep.optIn']({ scope: 'track', id: a! })).toEqual({ queued: 1 });
    expect(await service.api['deep.caption']({ trackId: a! })).toMatchObject({ backends: 1, caption: null, optedIn: { track: true, root: false }, job: { state: 'queued' } });
    const rootId = lib.store.roots.list()[0]!.id;
    expect(await service.api['deep.optIn']({ scope: 'root', id: rootId })).toEqual({ queued: 1 });
    // Out for the track: still in through its folder, so its job stays.
    expect(await service.api['deep.optOut']({ scope: 'track', id: a! })).toEqual({ removed: true, cancelled: 0 });
    expect(await service.api['deep.optOut']({ scope: 'root', id: rootId })).toEqual({ removed: true, cancelled: 2 });
    expect(lib.store.deep.jobForTrack(b!)!.state).toBe('cancelled');
    expect(await dispatch(service.api, 'deep.optIn', { scope: 'album', id: 1 })).toMatchObject({ ok: false, error: { code: 'BAD_ARGS' } });
    expect(await dispatch(service.api, 'deep.optIn', { scope: 'root', id: 999 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('returns the newest caption as unverified text with each claim’s check, disagreements first', async () => {
    const [id] = trackIds();
    saveCaption(id!);
    await service.api['deep.addBackend']({ name: 'flamingo', url: 'http://127.0.0.1:9/v1', model: 'm' });
    const v = await service.api['deep.caption']({ trackId: id! });
    const c = v.caption!;
    expect(c).toMatchObject({ model: 'music-flamingo-test', backend: 'flamingo', caption: CAPTION, createdAt: 1_700_000_000_000 });
    expect(c.text).toMatch(/unverified/);
    expect(c.checks[0]).toMatchObject({ kind: 'tempo', claimed: '128 BPM', measured: '120.1 BPM', confidence: 0.93, agreement: 'disagrees' });
    expect(c.disagreements[0]!.message).toContain('the model says 128 BPM; measured 120.1 BPM, confidence 0.93');
    const order = c.checks.map((x) => x.agreement);
    expect(order.indexOf('disagrees')).toBeLessThan(order.indexOf('agrees'));
    expect(c.checks.filter((x) => x.agreement === 'agrees').map((x) => x.kind).sort()).toEqual(['key', 'meter']);
    expect(c.tally).toMatchObject({ agrees: 2, disagrees: 1 });
  });
});

describe('deep: search', () => {
  it('marks a hit found only in a model caption as unverified', async () => {
    const [id] = trackIds();
    saveCaption(id!);
    const r = await service.api['search.query']({ text: 'accordion' });
    expect(r.hits.map((h) => h.trackId)).toEqual([id]);
    expect(r.hits[0]!.unverified).toBe(true);
    expect(r.hits[0]!.why).toMatch(/unverified/);
  });
});
