// An in-process fake OpenAI-compatible server (node:http) that records every request and answers
// with a scripted handler: the stand-in for llama-server / vLLM in the deep-analysis tests.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export interface ChatBody {
  model: string;
  messages: { role: string; content: string | ({ type: 'text'; text: string } | { type: 'input_audio'; input_audio: { data: string; format: string } })[] }[];
}

export type Handler = (req: RecordedRequest, res: http.ServerResponse) => void | Promise<void>;

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  /** Most chat requests in flight at once. */
  maxInFlight: number;
  handler: Handler;
  close(): Promise<void>;
}

/** The prompt text and the WAV bytes of a recorded chat request. */
export function chatParts(r: RecordedRequest): { prompt: string; wav: Buffer; format: string } {
  const body = r.body as ChatBody;
  const user = body.messages.find((m) => m.role === 'user')!;
  const parts = user.content as Exclude<ChatBody['messages'][number]['content'], string>;
  const audio = parts.find((p) => p.type === 'input_audio') as { input_audio: { data: string; format: string } };
  const text = parts.find((p) => p.type === 'text') as { text: string };
  return { prompt: text.text, wav: Buffer.from(audio.input_audio.data, 'base64'), format: audio.input_audio.format };
}

/** A chat-completions answer body. */
export function completion(content: string, extra: { reasoning_content?: string; model?: string } = {}): string {
  return JSON.stringify({
    id: 'chatcmpl-test',
    object: 'chat.completion',
    model: extra.model ?? 'music-flamingo-test',
    choices: [{ index: 0, message: { role: 'assistant', content, ...(extra.reasoning_content ? { reasoning_content: extra.reasoning_content } : {}) }, finish_reason: 'stop' }],
  });
}

export function reply(res: http.ServerResponse, status: number, body: string, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

export async function startFakeServer(handler: Handler): Promise<FakeServer> {
  let inFlight = 0;
  const fake: FakeServer = {
    url: '',
    requests: [],
    maxInFlight: 0,
    handler,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = null;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        body = raw;
      }
      const rec: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      fake.requests.push(rec);
      if (req.method === 'GET' && req.url === '/v1/models') return reply(res, 200, JSON.stringify({ object: 'list', data: [{ id: 'music-flamingo-test' }] }));
      inFlight++;
      fake.maxInFlight = Math.max(fake.maxInFlight, inFlight);
      res.on('close', () => inFlight--);
      try {
        await fake.handler(rec, res);
      } catch (err) {
        if (!res.headersSent) reply(res, 599, String(err));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return fake;
}

/** The format fields of a WAV file's 'fmt ' chunk and its data length. */
export function readWavHeader(wav: Buffer): { riff: string; wave: string; format: number; channels: number; sampleRate: number; bits: number; dataBytes: number } {
  return {
    riff: wav.toString('ascii', 0, 4),
    wave: wav.toString('ascii', 8, 12),
    format: wav.readUInt16LE(20),
    channels: wav.readUInt16LE(22),
    sampleRate: wav.readUInt32LE(24),
    bits: wav.readUInt16LE(34),
    dataBytes: wav.readUInt32LE(40),
  };
}
