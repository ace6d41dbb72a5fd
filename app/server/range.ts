// HTTP Range header parsing for audio (RFC 9110 §14.1.2 byte ranges), shared by `linernotes serve`
// and the Electron media protocol. One range only: multipart responses are not needed by <audio>.

export type RangeResult = { kind: 'full' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' };

/** Parses `bytes=a-b`, `bytes=a-`, `bytes=-n` against a file of `size` bytes; `end` is inclusive. */
export function parseRange(header: string | null | undefined, size: number): RangeResult {
  if (!header) return { kind: 'full' };
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  // A syntactically invalid or multi-range header is ignored (RFC 9110: serve the whole file).
  if (!m || (m[1] === '' && m[2] === '')) return { kind: 'full' };
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (!Number.isSafeInteger(start) || start >= size || end < start) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end };
}

/** The Content-Range value for a range (or for a 416 answer when `range` is null). */
export function contentRange(range: { start: number; end: number } | null, size: number): string {
  return range ? `bytes ${range.start}-${range.end}/${size}` : `bytes */${size}`;
}

/** Audio MIME type from the container the scanner recorded. */
export function audioMime(container: string | null, path: string): string {
  const c = (container ?? '').toLowerCase();
  const ext = path.toLowerCase().split('.').pop() ?? '';
  if (c.includes('flac') || ext === 'flac') return 'audio/flac';
  if (c.includes('mpeg') || ext === 'mp3') return 'audio/mpeg';
  if (c.includes('ogg') || ext === 'ogg' || ext === 'opus') return 'audio/ogg';
  if (c.includes('wav') || c.includes('riff') || ext === 'wav') return 'audio/wav';
  if (c.includes('aiff') || ext === 'aif' || ext === 'aiff') return 'audio/aiff';
  if (c.includes('mp4') || c.includes('m4a') || ext === 'm4a') return 'audio/mp4';
  return 'application/octet-stream';
}
