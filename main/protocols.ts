// Request handlers for the desktop app's two schemes, written against the Fetch API's Request and
// Response so they run (and are tested) in plain Node: the renderer's files, and library audio.
import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { Store } from '../app/store/index.ts';
import { mediaFileForTrack, parseTrackId } from '../app/server/media.ts';
import { contentRange, parseRange } from '../app/server/range.ts';
import { contentTypeOf, resolveStatic } from '../app/server/static.ts';
import { hasDotSegment } from '../app/server/server.ts';
import { APP_HOST, DESKTOP_CSP } from './security.ts';

const text = (status: number, body: string) => new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });

/** linernotes-app://app/<file>: files of the built renderer only, each page with the CSP. */
export function handleAppRequest(rendererDir: string, request: Request): Response {
  const url = new URL(request.url);
  if (url.host !== APP_HOST || hasDotSegment(request.url.replace(/^[a-z-]+:\/\/[^/]*/i, ''))) return text(404, 'not found');
  const file = resolveStatic(rendererDir, url.pathname);
  if (!file) return text(404, 'not found');
  return new Response(fs.readFileSync(file), {
    status: 200,
    headers: { 'content-type': contentTypeOf(file), 'content-security-policy': DESKTOP_CSP, 'x-content-type-options': 'nosniff' },
  });
}

/** linernotes-media://track/<id>: a library track's audio, with byte ranges (206 / 416). */
export function handleMediaRequest(store: Store, request: Request): Response {
  const url = new URL(request.url);
  const id = url.host === 'track' ? parseTrackId(url.pathname.replace(/^\//, '')) : null;
  const media = id === null ? null : mediaFileForTrack(store, id);
  if (!media) return text(404, 'no such track');
  const range = parseRange(request.headers.get('range'), media.size);
  const headers: Record<string, string> = { 'accept-ranges': 'bytes', 'content-type': media.mime };
  if (range.kind === 'unsatisfiable') return new Response(null, { status: 416, headers: { ...headers, 'content-range': contentRange(null, media.size) } });
  const start = range.kind === 'partial' ? range.start : 0;
  const end = range.kind === 'partial' ? range.end : media.size - 1;
  headers['content-length'] = String(Math.max(0, end - start + 1));
  if (range.kind === 'partial') headers['content-range'] = contentRange(range, media.size);
  const body = media.size === 0 ? null : (Readable.toWeb(fs.createReadStream(media.path, { flags: 'r', start, end })) as ReadableStream<Uint8Array>);
  return new Response(body, { status: range.kind === 'partial' ? 206 : 200, headers });
}
