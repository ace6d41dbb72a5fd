// A local fake OpenAI-compatible chat-completions server (node:http) whose replies a test scripts.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface SeenRequest {
  url: string;
  headers: http.IncomingHttpHeaders;
  body: { model: string; messages: { role: string; content: string | null; tool_call_id?: string; tool_calls?: unknown[] }[]; tools: { function: { name: string } }[] };
}

/** What the server does with the n-th request (0-based): a JSON body, raw text, or never answer. */
export type Reply = { json: unknown; status?: number } | { raw: string; status?: number } | { hang: true };

export interface FakeModel {
  url: string;
  requests: SeenRequest[];
  script: (n: number, req: SeenRequest) => Reply;
  close(): Promise<void>;
}

export async function startFakeModel(script: FakeModel['script']): Promise<FakeModel> {
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const fake: FakeModel = { url: '', requests, script, close: async () => {} };
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      const seen: SeenRequest = { url: req.url ?? '', headers: req.headers, body: JSON.parse(data) as SeenRequest['body'] };
      requests.push(seen);
      const reply = fake.script(requests.length - 1, seen);
      if ('hang' in reply) return;
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
      res.end('json' in reply ? JSON.stringify(reply.json) : reply.raw);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return fake;
}

/** An assistant message that calls one tool. */
export function toolCall(name: string, args: unknown, id = 'call_1'): unknown {
  return { choices: [{ index: 0, finish_reason: 'tool_calls', message: { role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name, arguments: JSON.stringify(args) } }] } }] };
}

/** An assistant message with a final text. */
export function finalText(content: string): unknown {
  return { choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }] };
}
