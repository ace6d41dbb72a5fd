// `linernotes serve`: the UI over HTTP on 127.0.0.1 only. Every request needs the session token
// (from the printed URL, then a SameSite=Strict cookie or the x-linernotes-token header); requests
// from a foreign Origin or Host are refused. Routes: the built renderer, POST /api/<method>,
// GET /audio/<track id> with byte ranges, and a WebSocket at /events for service events.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Store } from '../store/index.ts';
import type { LibraryService } from '../service/service.ts';
import { dispatch } from '../service/dispatch.ts';
import { contentSecurityPolicy } from './csp.ts';
import { contentTypeOf, defaultRendererDir, resolveStatic } from './static.ts';
import { mediaFileForTrack, parseTrackId } from './media.ts';
import { contentRange, parseRange } from './range.ts';

export const TOKEN_COOKIE = 'linernotes_token';
export const TOKEN_HEADER = 'x-linernotes-token';
const MAX_BODY = 1 << 20;

export interface ServerOptions {
  store: Store;
  service: LibraryService;
  /** 0 (default) picks a free port. */
  port?: number;
  rendererDir?: string;
  /** Fixed token for tests; default: 32 random bytes. */
  token?: string;
}

export interface RunningServer {
  port: number;
  token: string;
  /** The URL to open: carries the token once; the page then keeps it in a cookie. */
  url: string;
  close(): Promise<void>;
}

const STATUS_OF_CODE: Record<string, number> = { BAD_ARGS: 400, NOT_FOUND: 404, UNKNOWN_METHOD: 404, CONFLICT: 409, BUSY: 409 };

function cookieToken(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === TOKEN_COOKIE) return v.join('=');
  }
  return undefined;
}

const sameToken = (a: string | undefined | null, b: string) => {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
};

/** Whether a raw request path has a '.' or '..' segment, plain or percent-encoded. */
export function hasDotSegment(rawUrl: string): boolean {
  const p = rawUrl.split('?')[0]!;
  return p.split(/\/|%2f|%5c|\\/i).some((seg) => /^(\.|%2e){1,2}$/i.test(seg));
}

type Verdict = { ok: true; viaQuery: boolean } | { ok: false; status: 401 | 403; reason: string };

/** The checks every request passes first: Host, Origin, then the token. */
export function checkRequest(req: http.IncomingMessage, url: URL, port: number, token: string): Verdict {
  const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (!allowedHosts.includes(req.headers.host ?? '')) return { ok: false, status: 403, reason: 'foreign host' };
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedHosts.some((h) => origin === `http://${h}`)) return { ok: false, status: 403, reason: 'foreign origin' };
  const fromQuery = url.searchParams.get('token');
  if (sameToken(fromQuery, token)) return { ok: true, viaQuery: true };
  const header = req.headers[TOKEN_HEADER];
  if (sameToken(typeof header === 'string' ? header : undefined, token) || sameToken(cookieToken(req.headers.cookie), token)) return { ok: true, viaQuery: false };
  return { ok: false, status: 401, reason: 'missing or wrong token' };
}

function send(res: http.ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8', extra: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', ...extra });
  res.end(body);
}

async function readBody(req: http.IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const token = opts.token ?? crypto.randomBytes(32).toString('base64url');
  const rendererDir = opts.rendererDir ?? defaultRendererDir();
  let port = 0;

  const serveApi = async (req: http.IncomingMessage, res: http.ServerResponse, method: string) => {
    if (req.method !== 'POST') return send(res, 405, 'use POST', undefined, { allow: 'POST' });
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, 'send application/json');
    const body = await readBody(req);
    if (body === null) return send(res, 413, 'request too large');
    let args: unknown;
    try {
      args = body.trim() ? JSON.parse(body) : {};
    } catch {
      return send(res, 400, JSON.stringify({ ok: false, error: { name: 'ServiceError', code: 'BAD_ARGS', message: 'the body is not JSON' } }), 'application/json');
    }
    const outcome = await dispatch(opts.service.api, method, args);
    const status = outcome.ok ? 200 : (STATUS_OF_CODE[outcome.error.code] ?? 500);
    send(res, status, JSON.stringify(outcome), 'application/json');
  };

  const serveAudio = (req: http.IncomingMessage, res: http.ServerResponse, segment: string) => {
    const id = parseTrackId(segment);
    const media = id === null ? null : mediaFileForTrack(opts.store, id);
    if (!media) return send(res, 404, 'no such track');
    const range = parseRange(req.headers.range, media.size);
    const common = { 'accept-ranges': 'bytes', 'content-type': media.mime, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' };
    if (range.kind === 'unsatisfiable') {
      res.writeHead(416, { ...common, 'content-range': contentRange(null, media.size), 'content-length': 0 });
      return res.end();
    }
    const start = range.kind === 'partial' ? range.start : 0;
    const end = range.kind === 'partial' ? range.end : media.size - 1;
    res.writeHead(range.kind === 'partial' ? 206 : 200, {
      ...common,
      'content-length': Math.max(0, end - start + 1),
      ...(range.kind === 'partial' ? { 'content-range': contentRange(range, media.size) } : {}),
    });
    if (req.method === 'HEAD' || media.size === 0) return res.end();
    const stream = fs.createReadStream(media.path, { flags: 'r', start, end });
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  };

  const serveStatic = (res: http.ServerResponse, pathname: string) => {
    if (!fs.existsSync(rendererDir)) return send(res, 503, `The UI is not built (${rendererDir} is missing). Run: npm run build:renderer`);
    const file = resolveStatic(rendererDir, pathname);
    if (!file) return send(res, 404, 'not found');
    const body = fs.readFileSync(file);
    res.writeHead(200, {
      'content-type': contentTypeOf(file),
      'content-length': body.length,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': file.endsWith('.html') ? 'no-store' : 'max-age=31536000, immutable',
      'content-security-policy': contentSecurityPolicy({ connect: [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`] }),
      'x-frame-options': 'DENY',
    });
    res.end(body);
  };

  const server = http.createServer((req, res) => {
    // Dot segments are refused before the URL parser can fold them away (no path ever names a file).
    if (hasDotSegment(req.url ?? '/')) return send(res, 404, 'not found');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const verdict = checkRequest(req, url, port, token);
    if (!verdict.ok) return send(res, verdict.status, verdict.reason);
    if (verdict.viaQuery && req.method === 'GET' && !url.pathname.startsWith('/api/')) {
      // Keep the token in a cookie the browser sends back to this origin only, and drop it from the URL.
      url.searchParams.delete('token');
      res.writeHead(302, { location: url.pathname + url.search, 'set-cookie': `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`, 'cache-control': 'no-store' });
      return res.end();
    }
    const p = url.pathname;
    if (p.startsWith('/api/')) {
      serveApi(req, res, p.slice(5)).catch((err: Error) => send(res, 500, err.message));
    } else if (p.startsWith('/audio/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'use GET');
      serveAudio(req, res, p.slice(7));
    } else if (req.method === 'GET') {
      serveStatic(res, p);
    } else {
      send(res, 405, 'method not allowed');
    }
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const verdict = checkRequest(req, url, port, token);
    if (!verdict.ok || url.pathname !== '/events') {
      const status = verdict.ok ? 404 : verdict.status;
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', () => ws.close(1008, 'events only'));
    });
  });
  const unsubscribe = opts.service.subscribe((event, payload) => {
    const text = JSON.stringify({ event, payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  // Keep the table's default ordering ready for scrolling, computed while the browser loads the page
  // (migration 010's index answers the first page directly either way).
  setImmediate(() => opts.service.warmUp());
  port = (server.address() as AddressInfo).port;
  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: async () => {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
