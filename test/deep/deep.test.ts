// Deep analysis against an in-process fake OpenAI-compatible server: the request format (16 kHz
// mono 16-bit WAV in input_audio), prompts, chunking, the think variant's reasoning, the cross-check
// of true and false claims, full-text search of captions, and each failure of the server handled
// with a clear status, nothing lost and the job retried later.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { keyName } from '../../app/analysis/key/names.ts';
import type { TrackAnalysis } from '../../app/analysis/types.ts';
import { deepAnalyse } from '../../app/deep/caption.ts';
import { CAPTION_PROMPT, LYRICS_PROMPT, PROMPT_VERSION, QUESTIONS } from '../../app/deep/prompts.ts';
import { DEEP_RETRY, runDeepQueue, syncDeepQueue } from '../../app/deep/runner.ts';
import type { SourcedCheck } from '../../app/deep/check.ts';
import { OpenAICompatibleBackend } from '../../app/models/alm/openai.ts';
import type { AlmBackendConfig } from '../../app/models/alm/types.ts';
import { ftsPhrase } from '../../app/search/fts.ts';
import type { Store } from '../../app/store/index.ts';
import { tempDir } from '../library/helpers.ts';
import { chatParts, completion, readWavHeader, reply, startFakeServer, type FakeServer, type RecordedRequest } from './fakeServer.ts';
import { analyzeFile, libraryWith, writeSong, writeTone } from './helpers.ts';

let base: string;
let songFile: string;
let analysis: TrackAnalysis;
let n = 0;

beforeAll(async () => {
  base = await tempDir('ln-deep-');
  songFile = await writeSong(path.join(base, 'probe'));
  analysis = await analyzeFile(songFile); // one real analysis, shared by every library below
}, 120_000);
afterAll(async () => {
  await fs.rm(base, { recursive: true, force: true });
});

const servers: FakeServer[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const s of stores.splice(0)) s.close();
});

async function server(handler: FakeServer['handler']): Promise<FakeServer> {
  const s = await startFakeServer(handler);
  servers.push(s);
  return s;
}

async function library() {
  const dir = path.join(base, `lib-${++n}`);
  await writeSong(dir);
  const lib = await libraryWith(dir, analysis);
  stores.push(lib.store);
  return lib;
}

const backend = (url: string, extra: Partial<AlmBackendConfig> = {}) =>
  new OpenAICompatibleBackend({ name: 'flamingo', url, model: 'nvidia/music-flamingo-2601-hf', attempts: 1, timeoutMs: 5000, ...extra });

/** Canned model text built from what we measured: some claims true, some false. */
function cannedCaption(a: TrackAnalysis): { text: string; trueBpm: string; falseBpm: string; trueKey: string; falseKey: string; falseMeter: string } {
  const trueBpm = `${Math.round(a.rhythm.bpm)} BPM`;
  const falseBpm = `${Math.round(a.rhythm.bpm * 1.25)} BPM`;
  const trueKey = keyName(a.key.global);
  const falseKey = keyName({ tonic: (a.key.global.tonic + 6) % 12, mode: a.key.global.mode });
  const falseMeter = a.rhythm.meter === '3/4' ? '4/4' : '3/4';
  const text = [
    'Genre and style: a bright harbour-town pop song with soul influences.',
    `Tempo, key and meter: it moves at ${trueBpm} in ${trueKey}, although the chorus feels like ${falseBpm}. The groove sits in ${falseMeter} time.`,
    'Instrumentation and production: organ, piano and plucked strings, mixed warm.',
    'Vocals and lyrics: a warm male voice sings about leaving home.',
    `Cultural context: some hear it as a song in ${falseKey}.`,
  ].join('\n');
  return { text, trueBpm, falseBpm, trueKey, falseKey, falseMeter };
}

/** A server that answers like Music Flamingo's -think variant: caption, lyrics, questions. */
function flamingo(a: TrackAnalysis, opts: { think?: 'inline' | 'field' } = {}) {
  const canned = cannedCaption(a);
  return (req: RecordedRequest, res: Parameters<FakeServer['handler']>[1]) => {
    const { prompt } = chatParts(req);
    let text: string;
    if (prompt.includes('Describe this song')) text = canned.text;
    else if (prompt.includes('Transcribe the lyrics')) text = '[Verse 1]\nDown by the harbour lights\n\n[Chorus]\nSecond wind, carry me home';
    else if (prompt.includes('tempo')) text = `${Math.round(a.rhythm.bpm)} BPM, a steady pulse.`;
    else if (prompt.includes('What key')) text = canned.falseKey;
    else text = 'A few words.';
    const reasoning = 'The kick drum repeats evenly; I count the beats.';
    if (opts.think === 'inline') return reply(res, 200, completion(`<think>${reasoning}</think>\n${text}`));
    if (opts.think === 'field') return reply(res, 200, completion(text, { reasoning_content: reasoning }));
    reply(res, 200, completion(text));
  };
}

describe('request format', () => {
  it('sends the song as 16 kHz mono 16-bit WAV in input_audio with the documented prompts, one request at a time', async () => {
    const fake = await server(flamingo(analysis, { think: 'inline' }));
    const b = backend(fake.url);
    expect(await b.health()).toMatchObject({ ok: true, models: ['music-flamingo-test'], modelListed: false });
    const r = await deepAnalyse(b, songFile, { hasVocals: null });
    const chats = fake.requests.filter((q) => q.path === '/v1/chat/completions');
    expect(chats).toHaveLength(1 + 1 + QUESTIONS.length);
    expect(fake.maxInFlight).toBe(1);
    for (const q of chats) {
      expect(q.method).toBe('POST');
      expect((q.body as { model: string }).model).toBe('nvidia/music-flamingo-2601-hf');
      const { wav, format } = chatParts(q);
      expect(format).toBe('wav');
      const h = readWavHeader(wav);
      expect(h).toMatchObject({ riff: 'RIFF', wave: 'WAVE', format: 1, channels: 1, sampleRate: 16000, bits: 16 });
      expect(h.dataBytes).toBe(wav.length - 44);
      expect(Math.abs(h.dataBytes / 2 / 16000 - analysis.durationSec)).toBeLessThan(0.05);
    }
    const prompts = chats.map((q) => chatParts(q).prompt);
    expect(prompts[0]).toBe(CAPTION_PROMPT);
    expect(prompts[1]).toBe(LYRICS_PROMPT);
    expect(prompts.slice(2)).toEqual(QUESTIONS.map((q) => q.question));
    // The think variant's reasoning is kept apart from the answer.
    expect(r.caption.startsWith('Genre and style')).toBe(true);
    expect(r.caption).not.toContain('<think>');
    expect(r.reasoning).toBe('The kick drum repeats evenly; I count the beats.');
    expect(r.answers[0]!.reasoning).toBe('The kick drum repeats evenly; I count the beats.');
    expect(r.lyrics).toContain('[Chorus]');
    expect(r).toMatchObject({ model: 'music-flamingo-test', promptVersion: PROMPT_VERSION, parts: 1, notices: [] });
  });

  it('a reasoning_content field is kept apart too; the API key goes in the Authorization header from its environment variable', async () => {
    const fake = await server(flamingo(analysis, { think: 'field' }));
    const b = new OpenAICompatibleBackend(
      { name: 'flamingo', url: fake.url, model: 'm', apiKeyEnv: 'TEST_ALM_KEY', attempts: 1 },
      { TEST_ALM_KEY: 'sekrit' },
    );
    const r = await deepAnalyse(b, songFile, { questions: false });
    expect(r.reasoning).toBe('The kick drum repeats evenly; I count the beats.');
    expect(r.caption).toContain('Genre and style');
    expect(fake.requests[0]!.headers.authorization).toBe('Bearer sekrit');
  });

  it('a song longer than the limit is sent in parts of at most the limit, with a notice; or cut to the limit', async () => {
    const long = await writeTone(path.join(base, 'long', 'tone.wav'), 10);
    const fake = await server((req, res) => reply(res, 200, completion('An instrumental track: a steady sine tone, no vocals.')));
    const r = await deepAnalyse(backend(fake.url, { maxAudioSec: 4 }), long, { questions: false });
    const chats = fake.requests.filter((q) => q.path === '/v1/chat/completions');
    expect(chats.map((q) => readWavHeader(chatParts(q).wav).dataBytes / 2 / 16000)).toEqual([4, 4, 2]);
    expect(chatParts(chats[1]!).prompt.startsWith('This audio is part 2 of 3 of a longer song (from 0:04 to 0:08).')).toBe(true);
    expect(r.parts).toBe(3);
    expect(r.durationSec).toBeCloseTo(10, 2);
    expect(r.notices[0]).toBe("the song is 0:10, longer than the model's 0:04: sent as 3 parts of at most 0:04");
    expect(r.caption).toContain('Part 3 of 3 (0:08–0:10)');
    expect(r.lyrics).toBeNull(); // "no vocals": no lyric sheet asked

    fake.requests.length = 0;
    const cut = await deepAnalyse(backend(fake.url, { maxAudioSec: 4 }), long, { questions: false, long: 'cut' });
    expect(fake.requests).toHaveLength(1);
    expect(readWavHeader(chatParts(fake.requests[0]!).wav).dataBytes).toBe(4 * 16000 * 2);
    expect(cut.notices[0]).toBe("the song is 0:10, longer than the model's 0:04: only the first 0:04 was sent");
  });
});

describe('deep jobs and the cross-check', () => {
  it('stores the caption per track with model, prompt version and time; each claim labelled against the measurements; captions in full-text search', async () => {
    const { store, trackId, rootId } = await library();
    const fake = await server(flamingo(analysis, { think: 'inline' }));
    store.deep.optIn('root', rootId);
    expect(syncDeepQueue(store, 'flamingo', 'music-flamingo-test', PROMPT_VERSION)).toBe(1);
    const t0 = Date.now();
    const sum = await runDeepQueue(store, { backends: new Map([['flamingo', backend(fake.url)]]) });
    expect(sum).toMatchObject({ done: 1, failed: 0, retrying: 0, stopped: null });
    expect(store.deep.jobForTrack(trackId)!.state).toBe('done');
    const [cap] = store.deep.captions(trackId);
    expect(cap).toMatchObject({ model: 'music-flamingo-test', backend: 'flamingo', promptVersion: PROMPT_VERSION, parts: 1 });
    expect(cap!.createdAt).toBeGreaterThanOrEqual(t0);
    expect(cap!.reasoning).toContain('kick drum');
    expect(cap!.caption).not.toContain('kick drum');

    const canned = cannedCaption(analysis);
    const checks = cap!.checks as SourcedCheck[];
    const find = (source: string, kind: string, claimed: string) => checks.find((c) => c.source === source && c.kind === kind && c.claimed === claimed);
    expect(find('caption', 'tempo', canned.trueBpm)).toMatchObject({ agreement: 'agrees', confidence: analysis.rhythm.confidence });
    const wrongTempo = find('caption', 'tempo', canned.falseBpm)!;
    expect(wrongTempo.agreement).toBe('disagrees');
    expect(wrongTempo.message).toBe(
      `the model says ${canned.falseBpm}; measured ${Math.round(analysis.rhythm.bpm * 10) / 10} BPM, confidence ${analysis.rhythm.confidence.toFixed(2)}: disagrees`,
    );
    expect(find('caption', 'key', canned.trueKey)!.agreement).toBe('agrees');
    expect(find('caption', 'key', canned.falseKey)!.agreement).toBe('disagrees');
    expect(find('caption', 'meter', canned.falseMeter)!.agreement).toBe('disagrees');
    expect(find('answer:tempo', 'tempo', canned.trueBpm)!.agreement).toBe('agrees');
    expect(find('answer:key', 'key', canned.falseKey)!.agreement).toBe('disagrees');

    // Full-text: the caption and lyric sheet are found; the hit is model text (the caller marks it unverified).
    const hits = store.deep.searchText(ftsPhrase('harbour')!);
    expect(hits.map((h) => h.trackId)).toEqual([trackId]);
    expect(hits[0]!.snippet).toContain('[harbour');
    expect(store.deep.searchText(ftsPhrase('carry me home', false)!)).toHaveLength(1);
    // Nothing from the model reaches the measured summary that filters read.
    expect(store.analyses.summary(trackId)!.bpm).toBe(analysis.rhythm.bpm);
    // Synced again: nothing to do (current caption by this model and prompt).
    expect(syncDeepQueue(store, 'flamingo', 'music-flamingo-test', PROMPT_VERSION)).toBe(0);
  });

  it('runs below the measured analysis: a runnable measured job holds deep jobs back', async () => {
    const { store, trackId } = await library();
    store.deep.enqueue(trackId, 'flamingo');
    store.jobs.enqueue(trackId, 'test:1', ['test']);
    expect(store.deep.claim('x')).toBeUndefined();
    store.jobs.markQueuedDone(trackId, 'test:1');
    expect(store.deep.claim('x')?.trackId).toBe(trackId);
  });

  it('a track without an analysis waits; opting in a single track queues only it', async () => {
    const dir = path.join(base, `lib-${++n}`);
    await writeSong(dir);
    const { store, trackId } = await libraryWith(dir);
    stores.push(store);
    store.deep.optIn('track', trackId);
    expect(syncDeepQueue(store, 'flamingo', 'm', PROMPT_VERSION)).toBe(1);
    expect(store.deep.claim('x')).toBeUndefined();
  });
});

describe('a failing server: clear status, nothing lost, retried later', () => {
  type Case = { name: string; code: string; handler?: FakeServer['handler']; down?: boolean; extra?: Partial<AlmBackendConfig>; requests?: number };
  const cases: Case[] = [
    { name: 'endpoint down', code: 'UNREACHABLE', down: true },
    { name: 'slow (time limit)', code: 'TIMEOUT', handler: async (_q, res) => void setTimeout(() => reply(res, 200, completion('late')), 3000), extra: { timeoutMs: 300 } },
    { name: 'HTTP 500', code: 'HTTP_ERROR', handler: (_q, res) => reply(res, 500, '{"error":"CUDA out of memory"}'), extra: { attempts: 2 }, requests: 2 },
    { name: 'malformed JSON', code: 'BAD_RESPONSE', handler: (_q, res) => reply(res, 200, '{"choices": [') },
    { name: 'an empty reply', code: 'EMPTY_REPLY', handler: (_q, res) => reply(res, 200, completion('')) },
    { name: 'only reasoning, no answer', code: 'EMPTY_REPLY', handler: (_q, res) => reply(res, 200, completion('<think>hmm, the tempo')) },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.code}, the job waits for its retry time, an earlier caption stays; then it succeeds`, async () => {
      const { store, trackId } = await library();
      const fake = await server(c.handler ?? flamingo(analysis));
      const url = fake.url;
      if (c.down) {
        await fake.close();
        servers.splice(servers.indexOf(fake), 1);
      }
      // An earlier caption by this model is kept while the new one fails.
      store.deep.saveCaption({
        trackId, backend: 'flamingo', model: 'nvidia/music-flamingo-2601-hf', promptVersion: 0, createdAt: 1, caption: 'An older caption.', reasoning: null,
        lyrics: null, answers: [], checks: [], analysisVersions: null, notices: [], durationSec: null, parts: 1,
      });
      store.deep.enqueue(trackId, 'flamingo');
      let clock = 1_000_000;
      const now = () => clock;
      const b = backend(url, c.extra);
      const first = await runDeepQueue(store, { backends: new Map([['flamingo', b]]), now, deep: { questions: false } });
      expect(first.outcomes).toHaveLength(1);
      expect(first.outcomes[0]).toMatchObject({ kind: 'retry', code: c.code, nextAttemptAt: clock + DEEP_RETRY.baseDelayMs });
      if (c.code === 'UNREACHABLE') expect(first.stopped).toContain('cannot reach');
      if (c.requests) expect(fake.requests.filter((q) => q.method === 'POST')).toHaveLength(c.requests);
      const job = store.deep.jobForTrack(trackId)!;
      expect(job).toMatchObject({ state: 'queued', attempts: 1, errorCode: c.code, nextAttemptAt: clock + DEEP_RETRY.baseDelayMs });
      expect(job.error!.length).toBeGreaterThan(5);
      expect(store.deep.captions(trackId).map((x) => x.caption)).toEqual(['An older caption.']);
      if (c.code === 'UNREACHABLE') expect((await b.health()).ok).toBe(false);

      // Before its retry time nothing runs; after it, a working server finishes the job.
      expect((await runDeepQueue(store, { backends: new Map([['flamingo', b]]), now })).outcomes).toHaveLength(0);
      const good = await server(flamingo(analysis));
      clock += DEEP_RETRY.baseDelayMs;
      const second = await runDeepQueue(store, { backends: new Map([['flamingo', backend(good.url)]]), now, deep: { questions: false } });
      expect(second).toMatchObject({ done: 1 });
      expect(store.deep.jobForTrack(trackId)).toMatchObject({ state: 'done', attempts: 2, error: null });
      const caps = store.deep.captions(trackId);
      expect(caps).toHaveLength(2); // the older caption (another model name) and the new one
      expect(caps[0]!.caption).toContain('Genre and style');
    }, 30_000);
  }

  it('a refused key fails at once with its message (not retried); attempts used up fail the job; retry queues it again', async () => {
    const { store, trackId } = await library();
    const fake = await server((_q, res) => reply(res, 401, '{"error":"bad key"}'));
    store.deep.enqueue(trackId, 'flamingo');
    const b = backend(fake.url, { apiKeyEnv: 'NOPE_KEY' });
    const r = await runDeepQueue(store, { backends: new Map([['flamingo', b]]), deep: { questions: false } });
    expect(r.outcomes[0]).toMatchObject({ kind: 'failed', code: 'AUTH' });
    expect(store.deep.jobForTrack(trackId)!.error).toContain('set NOPE_KEY');
    expect(store.deep.retry([trackId])).toBe(1);

    fake.handler = (_q, res) => reply(res, 503, 'busy');
    let clock = 0;
    const policy = { ...DEEP_RETRY, maxAttempts: 2 };
    const run = () => runDeepQueue(store, { backends: new Map([['flamingo', b]]), now: () => clock, policy, deep: { questions: false } });
    expect((await run()).outcomes[0]).toMatchObject({ kind: 'retry', code: 'HTTP_ERROR' });
    clock += 10 * DEEP_RETRY.maxDelayMs;
    expect((await run()).outcomes[0]).toMatchObject({ kind: 'failed', code: 'HTTP_ERROR' });
    expect(store.deep.jobForTrack(trackId)!.error).toContain('gave up after 2 attempts');
  });

  it('a job whose backend is not configured waits, with that reason', async () => {
    const { store, trackId } = await library();
    store.deep.enqueue(trackId, 'gone');
    const r = await runDeepQueue(store, { backends: new Map() });
    expect(r.outcomes[0]).toMatchObject({ kind: 'retry', code: 'NO_BACKEND' });
    expect(r.stopped).toContain("no model server named 'gone'");
  });
});

describe('what the app reads from captions', () => {
  it('search hits, the chat source and the insight lines say the text is unverified; a new analysis re-checks the claims', async () => {
    const { searchCaptions, captionSource, disagreementLines, recheckCaptions } = await import('../../app/deep/sources.ts');
    const { store, trackId } = await library();
    const fake = await server(flamingo(analysis));
    store.deep.enqueue(trackId, 'flamingo');
    await runDeepQueue(store, { backends: new Map([['flamingo', backend(fake.url)]]), deep: { questions: false } });
    const hits = searchCaptions(store, 'harbour town');
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ trackId, unverified: true });
    expect(hits[0]!.why).toContain('unverified');
    expect(searchCaptions(store, '   ')).toEqual([]);
    const src = captionSource(store, trackId)!;
    expect(src.text.startsWith('Caption by the audio-language model music-flamingo-test (unverified model text;')).toBe(true);
    expect(src.citation.what).toBe('music-flamingo-test caption (unverified)');
    const canned = cannedCaption(analysis);
    expect(src.disagreements.some((d) => d.startsWith(`the model says ${canned.falseBpm}; measured`))).toBe(true);
    const lines = disagreementLines(store, trackId);
    expect(lines.map((l) => l.agreement)).toContain('disagrees');
    expect(lines.every((l) => l.quote.length > 0)).toBe(true);
    // Re-analysed with a different tempo: the tempo claims are judged again.
    expect(recheckCaptions(store, trackId)).toBe(0);
    const { saveAnalysis } = await import('../../app/analysis/libraryAnalysis.ts');
    saveAnalysis(store, trackId, { ...analysis, rhythm: { ...analysis.rhythm, bpm: analysis.rhythm.bpm * 1.25 } });
    // saveAnalysis (the queue runner's and the CLI's save) already re-checked: nothing left to change.
    expect(recheckCaptions(store, trackId)).toBe(0);
    const after = store.deep.captions(trackId)[0]!.checks as SourcedCheck[];
    expect(after.find((c) => c.kind === 'tempo' && c.claimed === canned.falseBpm)!.agreement).toBe('agrees');
  });

  it('saving an analysis without deep tables or captions saves it and re-checks nothing', async () => {
    const { recheckCaptions } = await import('../../app/deep/sources.ts');
    const { saveAnalysis, loadAnalysis } = await import('../../app/analysis/libraryAnalysis.ts');
    const { store, trackId } = await library();
    expect(recheckCaptions(store, trackId)).toBe(0); // no caption yet
    store.db.exec('DROP TABLE deep_jobs'); // what DeepRepo.available() looks for: a library before migration 8
    expect(store.deep.available()).toBe(false);
    saveAnalysis(store, trackId, { ...analysis, rhythm: { ...analysis.rhythm, bpm: 99 } });
    expect(loadAnalysis(store, trackId)!.rhythm.bpm).toBe(99);
    expect(recheckCaptions(store, trackId)).toBe(0);
  });
});
