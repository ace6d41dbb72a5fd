// The OpenAI-compatible backend's pieces: WAV bytes, reasoning split, reply parsing, the
// concurrency limit, URL checks.
import { afterEach, describe, expect, it } from 'vitest';
import { Limiter } from '../../../app/models/alm/limiter.ts';
import { OpenAICompatibleBackend, chatRequestBody, parseChatCompletion } from '../../../app/models/alm/openai.ts';
import { splitReasoning } from '../../../app/models/alm/reasoning.ts';
import type { AlmError } from '../../../app/models/alm/types.ts';
import { clipToWav, toInt16 } from '../../../app/models/alm/wav16.ts';
import { completion, readWavHeader, reply, startFakeServer, type FakeServer } from '../../deep/fakeServer.ts';

const servers: FakeServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

describe('WAV and request body', () => {
  it('a clip becomes a 44-byte-header 16-bit mono PCM WAV; samples are clipped and rounded', () => {
    const samples = toInt16(new Float32Array([0, 0.5, -0.5, 1.5, -2, NaN]));
    expect([...samples]).toEqual([0, 16384, -16383, 32767, -32767, 0]);
    const wav = clipToWav({ samples, sampleRate: 16000, startSec: 0 });
    expect(readWavHeader(wav)).toEqual({ riff: 'RIFF', wave: 'WAVE', format: 1, channels: 1, sampleRate: 16000, bits: 16, dataBytes: 12 });
    expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
    expect(wav.readInt16LE(44 + 2)).toBe(16384);
    const body = chatRequestBody('m', { clip: { samples, sampleRate: 16000, startSec: 0 }, prompt: 'p', system: 's' }) as { messages: { role: string }[] };
    expect(body.messages.map((m) => m.role)).toEqual(['system', 'user']);
  });
});

describe('replies', () => {
  it('splits reasoning: closed, only-closing (template opened it), unclosed, and a separate field', () => {
    expect(splitReasoning('<think>a</think> answer')).toEqual({ answer: 'answer', reasoning: 'a' });
    expect(splitReasoning('a long thought</think>\nanswer')).toEqual({ answer: 'answer', reasoning: 'a long thought' });
    expect(splitReasoning('answer <think>cut off')).toEqual({ answer: 'answer', reasoning: 'cut off' });
    expect(splitReasoning('answer', 'field')).toEqual({ answer: 'answer', reasoning: 'field' });
    expect(splitReasoning('plain')).toEqual({ answer: 'plain', reasoning: null });
  });

  it('parses content strings and arrays of text parts; bad bodies are BAD_RESPONSE, empty ones EMPTY_REPLY', () => {
    expect(parseChatCompletion(completion('hi', { model: 'x' }), 'fallback', 1)).toMatchObject({ text: 'hi', model: 'x', finishReason: 'stop' });
    const parts = JSON.stringify({ choices: [{ message: { content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] } }] });
    expect(parseChatCompletion(parts, 'fallback', 1)).toMatchObject({ text: 'ab', model: 'fallback' });
    const code = (raw: string) => {
      try {
        parseChatCompletion(raw, 'm', 1);
        return 'none';
      } catch (err) {
        return (err as AlmError).code;
      }
    };
    expect(code('<html>')).toBe('BAD_RESPONSE');
    expect(code('{"choices": []}')).toBe('BAD_RESPONSE');
    expect(code('null')).toBe('BAD_RESPONSE');
    expect(code(completion('   '))).toBe('EMPTY_REPLY');
  });
});

describe('concurrency and configuration', () => {
  it('one request at a time by default; two with concurrency 2', async () => {
    const fake = await startFakeServer((_q, res) => void setTimeout(() => reply(res, 200, completion('ok')), 150));
    servers.push(fake);
    const clip = { samples: new Int16Array(160), sampleRate: 16000, startSec: 0 };
    const one = new OpenAICompatibleBackend({ name: 'a', url: fake.url, model: 'm' });
    await Promise.all([one.ask({ clip, prompt: '1' }), one.ask({ clip, prompt: '2' }), one.ask({ clip, prompt: '3' })]);
    expect(fake.maxInFlight).toBe(1);
    const two = new OpenAICompatibleBackend({ name: 'b', url: fake.url, model: 'm', concurrency: 2 });
    await Promise.all([two.ask({ clip, prompt: '1' }), two.ask({ clip, prompt: '2' }), two.ask({ clip, prompt: '3' })]);
    expect(fake.maxInFlight).toBe(2);
  });

  it('bad URLs and limits are refused with clear errors', async () => {
    expect(() => new OpenAICompatibleBackend({ name: 'a', url: 'not a url', model: 'm' })).toThrow(/not a URL/);
    expect(() => new OpenAICompatibleBackend({ name: 'a', url: 'file:///x', model: 'm' })).toThrow(/http/);
    expect(() => new Limiter(0)).toThrow(RangeError);
    const lim = new Limiter(1);
    await expect(lim.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await lim.run(async () => 7)).toBe(7); // a failed task frees its slot
  });

  it('health: a server without GET /models is up; a 500 there is not', async () => {
    const fake = await startFakeServer((_q, res) => reply(res, 500, 'oops'));
    servers.push(fake);
    const b = new OpenAICompatibleBackend({ name: 'a', url: fake.url.replace('/v1', '/other'), model: 'm' });
    expect(await b.health()).toMatchObject({ ok: false, code: 'HTTP_ERROR' });
    fake.handler = (_q, res) => reply(res, 404, 'not found');
    expect(await b.health()).toMatchObject({ ok: true, models: [], modelListed: false });
  });
});
