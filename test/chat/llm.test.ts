// The language-model path against a local fake OpenAI-compatible server: a tool-call round trip,
// malformed output, a timeout, the endpoint down, a step limit (each falls back to the parser with a
// notice), and a number or title the tools didn't return marked in the model's answer.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChatLibrary } from '../../app/chat/library.ts';
import { answerWithModel, completionsUrl, llmConfigFromEnv } from '../../app/chat/llm.ts';
import { ChatService } from '../../app/chat/service.ts';
import type { Store } from '../../app/store/index.ts';
import { openDemoStore } from '../search/demoFixture.ts';
import { finalText, startFakeModel, toolCall, type FakeModel } from './fakeModel.ts';

let store: Store;
let fake: FakeModel | undefined;
beforeAll(async () => {
  ({ store } = await openDemoStore());
}, 600_000);
afterAll(() => store?.close());
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('language model over an OpenAI-compatible endpoint', () => {
  it('round trip: the model calls a tool, gets the measured facts, and its checked answer cites the track', async () => {
    fake = await startFakeModel((n) => (n === 0 ? { json: toolCall('get_track_analysis', { track: 'Night Ferry', aspect: 'key' }) } : { json: finalText('Night Ferry is in E minor and moves to B minor at 0:21.') }));
    const a = await answerWithModel(new ChatLibrary(store), 'what key is night ferry in?', { url: fake.url, model: 'fake-1', apiKey: 'sekret' });
    expect(a.source).toBe('model');
    expect(a.notices).toEqual([]);
    expect(a.intent).toBe('track-overview');
    expect(a.text).toBe('Night Ferry is in E minor and moves to B minor at 0:21.');
    expect(a.citations.map((c) => c.title)).toContain('Night Ferry');
    // What the server saw: the tools as function specs, the key, the model, then the tool's result.
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[0]!.url).toBe('/v1/chat/completions');
    expect(fake.requests[0]!.headers.authorization).toBe('Bearer sekret');
    expect(fake.requests[0]!.body.model).toBe('fake-1');
    expect(fake.requests[0]!.body.tools.map((t) => t.function.name).sort()).toEqual(['compare_tracks', 'explain_concept', 'get_model_caption', 'get_track_analysis', 'library_stats', 'make_playlist', 'search']);
    const toolMsg = fake.requests[1]!.body.messages.find((m) => m.role === 'tool')!;
    expect(toolMsg.tool_call_id).toBe('call_1');
    expect(toolMsg.content).toContain('E minor');
  });

  it('an invented number, key or title in the final answer is marked [unverified: …] with a notice', async () => {
    fake = await startFakeModel((n) => (n === 0 ? { json: toolCall('get_track_analysis', { track: 'Night Ferry', aspect: 'tempo' }) } : { json: finalText('Night Ferry runs at 90 BPM, faster than Cold Harbour at 142 BPM, in F minor.') }));
    const a = await answerWithModel(new ChatLibrary(store), 'how fast is Night Ferry', { url: fake.url, model: 'm' });
    expect(a.source).toBe('model');
    expect(a.text).toContain('90 BPM');
    expect(a.text).not.toContain('[unverified: 90');
    expect(a.text).toContain('[unverified: 142 BPM]');
    expect(a.text).toContain('[unverified: Cold Harbour]');
    expect(a.text).toContain('[unverified: F minor]');
    expect(a.notices.join(' ')).toMatch(/3 statement\(s\).*not backed/);
  });

  it('malformed model output falls back to the parser with a notice', async () => {
    fake = await startFakeModel(() => ({ raw: '<html>oops</html>' }));
    const a = await answerWithModel(new ChatLibrary(store), 'what key is Night Ferry in', { url: fake.url, model: 'm' });
    expect(a.source).toBe('parser');
    expect(a.text).toContain('E minor');
    expect(a.notices[0]).toMatch(/not JSON.*built-in parser/);

    await fake.close();
    fake = await startFakeModel(() => ({ json: { choices: [{ message: { role: 'assistant', tool_calls: [{ id: 'x', function: { name: 'search' } }] } }] } }));
    const b = await answerWithModel(new ChatLibrary(store), 'what key is Night Ferry in', { url: fake.url, model: 'm' });
    expect(b.source).toBe('parser');
    expect(b.notices[0]).toMatch(/tool call is malformed/);
  });

  it('a model that does not answer in time falls back with a notice', async () => {
    fake = await startFakeModel(() => ({ hang: true }));
    const t0 = Date.now();
    const a = await answerWithModel(new ChatLibrary(store), 'how fast is Blue Corner', { url: fake.url, model: 'm', timeoutMs: 300 });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(a.source).toBe('parser');
    expect(a.text).toMatch(/139\.\d BPM|140 BPM/);
    expect(a.notices[0]).toMatch(/no answer within/);
  });

  it('an endpoint that is down falls back with a notice', async () => {
    // A port that was just free: nothing listens there.
    const s = http.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    const a = await answerWithModel(new ChatLibrary(store), 'what is modal interchange', { url: `http://127.0.0.1:${port}/v1`, model: 'm' });
    expect(a.source).toBe('parser');
    expect(a.intent).toBe('explain');
    expect(a.notices[0]).toMatch(/cannot reach .*Answered by the built-in parser/);
  });

  it('an HTTP error and a model that never stops calling tools fall back', async () => {
    fake = await startFakeModel(() => ({ json: { error: { message: 'no such model' } }, status: 404 }));
    const a = await answerWithModel(new ChatLibrary(store), 'what key is Night Ferry in', { url: fake.url, model: 'm' });
    expect(a.notices[0]).toMatch(/HTTP 404/);
    await fake.close();
    fake = await startFakeModel((n) => ({ json: toolCall('library_stats', {}, `c${n}`) }));
    const b = await answerWithModel(new ChatLibrary(store), 'what key is Night Ferry in', { url: fake.url, model: 'm', maxSteps: 3 });
    expect(fake.requests).toHaveLength(3);
    expect(b.source).toBe('parser');
    expect(b.notices[0]).toMatch(/no final answer after 3 steps/);
  });

  it('the chat service stores the model answer; configuration comes from the environment', async () => {
    fake = await startFakeModel((n) => (n === 0 ? { json: toolCall('compare_tracks', { tracks: ['Open Road', 'Sierra Nights'], aspect: 'tempo' }) } : { json: finalText('Sierra Nights is faster (116 BPM against 100 BPM).') }));
    const cfg = llmConfigFromEnv({ LINERNOTES_LLM_URL: fake.url, LINERNOTES_LLM_MODEL: 'x', LINERNOTES_LLM_TIMEOUT_MS: '5000' });
    expect(cfg).toEqual({ url: fake.url, model: 'x', timeoutMs: 5000 });
    expect(llmConfigFromEnv({})).toBeUndefined();
    const r = await new ChatService(store, { llm: cfg }).ask('which is faster, Open Road or Sierra Nights?');
    expect(r.answer.source).toBe('model');
    expect(r.answer.text).not.toContain('unverified');
    expect(r.messages[1].meta.source).toBe('model');
    expect(r.messages[1].citations.map((c) => c.title).sort()).toEqual(['Open Road', 'Sierra Nights']);
    expect(completionsUrl('http://h:1/v1/')).toBe('http://h:1/v1/chat/completions');
    expect(completionsUrl('http://h:1/x/chat/completions')).toBe('http://h:1/x/chat/completions');
  });
});
