import { describe, expect, it } from 'vitest';
import { httpClient, ipcClient, ServiceCallError, type PreloadBridge } from '../../renderer/src/lib/client.ts';
import { chordName, clock, percent } from '../../renderer/src/lib/format.ts';

describe('renderer service client', () => {
  it('calls POST /api/<method> with JSON and unwraps results and errors', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const fakeFetch = (async (url: string, init: RequestInit) => {
      seen.push({ url, init });
      const body = url.endsWith('tracks.get')
        ? { ok: false, error: { name: 'ServiceError', code: 'NOT_FOUND', message: 'no track with id 9' } }
        : { ok: true, result: [{ id: 1 }] };
      return new Response(JSON.stringify(body), { status: body.ok ? 200 : 404, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    const client = httpClient({ origin: 'http://127.0.0.1:9', host: '127.0.0.1:9', protocol: 'http:' }, fakeFetch);
    expect(await client.call('roots.list', {})).toEqual([{ id: 1 }]);
    expect(seen[0]!.url).toBe('http://127.0.0.1:9/api/roots.list');
    expect(seen[0]!.init).toMatchObject({ method: 'POST', credentials: 'same-origin', body: '{}' });
    const err = await client.call('tracks.get', { id: 9 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceCallError);
    expect(err).toMatchObject({ code: 'NOT_FOUND', message: 'no track with id 9' });
    expect(client.audioUrl(5)).toBe('http://127.0.0.1:9/audio/5');
  });

  it('reports a refusal that is not JSON (401/403) with its text', async () => {
    const fakeFetch = (async () => new Response('missing or wrong token', { status: 401, headers: { 'content-type': 'text/plain' } })) as typeof fetch;
    const client = httpClient({ origin: 'http://x', host: 'x', protocol: 'http:' }, fakeFetch);
    await expect(client.call('roots.list', {})).rejects.toMatchObject({ code: '401', message: 'missing or wrong token' });
  });

  it('uses the preload bridge the same way in the desktop app', async () => {
    const listeners: ((p: unknown) => void)[] = [];
    const bridge: PreloadBridge = {
      invoke: async (method) => (method === 'roots.list' ? { ok: true, result: [] } : { ok: false, error: { name: 'E', code: 'BAD_ARGS', message: 'bad' } }),
      on: (_event, l) => {
        listeners.push(l);
        return () => undefined;
      },
    };
    const client = ipcClient(bridge);
    expect(await client.call('roots.list', {})).toEqual([]);
    await expect(client.call('tracks.get', { id: 1 })).rejects.toMatchObject({ code: 'BAD_ARGS' });
    const got: unknown[] = [];
    client.on('library.changed', (p) => got.push(p));
    listeners[0]!({ reason: 'x' });
    expect(got).toEqual([{ reason: 'x' }]);
    expect(client.audioUrl(3)).toBe('linernotes-media://track/3');
  });
});

describe('display helpers', () => {
  it('formats times, confidences and chord names', () => {
    expect(clock(83.4)).toBe('1:23');
    expect(clock(3725)).toBe('1:02:05');
    expect(clock(Number.NaN)).toBe('–');
    expect(percent(0.834)).toBe('83 %');
    expect(chordName('Ab:maj')).toBe('A♭');
    expect(chordName('A:min7')).toBe('Am7');
    expect(chordName('G:7/3')).toBe('G7/3');
    expect(chordName('N')).toBe('—');
  });
});
