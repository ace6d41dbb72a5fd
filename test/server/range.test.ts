import { describe, expect, it } from 'vitest';
import { audioMime, contentRange, parseRange } from '../../app/server/range.ts';
import { hasDotSegment } from '../../app/server/server.ts';
import { resolveStatic } from '../../app/server/static.ts';
import { parseTrackId } from '../../app/server/media.ts';

describe('parseRange (RFC 9110 byte ranges)', () => {
  it('reads closed, open and suffix ranges, clamping the end to the file', () => {
    expect(parseRange('bytes=0-99', 1000)).toEqual({ kind: 'partial', start: 0, end: 99 });
    expect(parseRange('bytes=900-', 1000)).toEqual({ kind: 'partial', start: 900, end: 999 });
    expect(parseRange('bytes=-100', 1000)).toEqual({ kind: 'partial', start: 900, end: 999 });
    expect(parseRange('bytes=-5000', 1000)).toEqual({ kind: 'partial', start: 0, end: 999 });
    expect(parseRange('bytes=10-5000', 1000)).toEqual({ kind: 'partial', start: 10, end: 999 });
  });
  it('serves the whole file for no header or one it does not understand (multi-range, other units)', () => {
    expect(parseRange(undefined, 10)).toEqual({ kind: 'full' });
    expect(parseRange('bytes=0-1,5-6', 10)).toEqual({ kind: 'full' });
    expect(parseRange('items=0-1', 10)).toEqual({ kind: 'full' });
    expect(parseRange('bytes=-', 10)).toEqual({ kind: 'full' });
  });
  it('calls ranges past the end, backwards or empty unsatisfiable', () => {
    expect(parseRange('bytes=1000-', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=50-10', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-0', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
  });
  it('writes Content-Range for a part and for a 416', () => {
    expect(contentRange({ start: 0, end: 9 }, 100)).toBe('bytes 0-9/100');
    expect(contentRange(null, 100)).toBe('bytes */100');
  });
});

describe('path confinement', () => {
  it('finds dot segments, plain or encoded', () => {
    expect(hasDotSegment('/audio/../x')).toBe(true);
    expect(hasDotSegment('/assets/%2e%2e/x')).toBe(true);
    expect(hasDotSegment('/assets/..%2fx')).toBe(true);
    expect(hasDotSegment('/assets/.%2E/x')).toBe(true);
    expect(hasDotSegment('/assets/a..b.js')).toBe(false);
    expect(hasDotSegment('/?token=a..b')).toBe(false);
  });
  it('resolves static files only inside the folder', () => {
    expect(resolveStatic('/tmp', '/../etc/passwd')).toBeNull();
    expect(resolveStatic('/tmp', '/%2e%2e/etc/passwd')).toBeNull();
    expect(resolveStatic('/tmp', '/a\\..\\b')).toBeNull();
    expect(resolveStatic('/tmp', '/%00')).toBeNull();
    expect(resolveStatic('/tmp', '/%E0%A4%A')).toBeNull();
  });
  it('takes track ids as plain positive numbers only', () => {
    expect(parseTrackId('12')).toBe(12);
    for (const s of ['0', '012', '-1', '1.5', '1e3', '', 'abc', '99999999999999999']) expect(parseTrackId(s), s).toBeNull();
  });
  it('names audio types from the container', () => {
    expect(audioMime('FLAC', 'x.flac')).toBe('audio/flac');
    expect(audioMime('MPEG', 'x')).toBe('audio/mpeg');
    expect(audioMime(null, 'x.wav')).toBe('audio/wav');
  });
});
