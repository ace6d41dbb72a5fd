// Export formats: M3U8 (UTF-8, #EXTM3U/#EXTINF, relative or absolute paths), CSV per RFC 4180, JSON.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SearchHit } from '../../app/search/engine.ts';
import { csvField, toCsv, toJson, toM3u8 } from '../../app/search/export.ts';

const hit = (over: Partial<SearchHit>): SearchHit => ({
  trackId: 1,
  path: '/music/Lucía Ferrer/Camino/01 Sierra Nights.flac',
  title: 'Sierra Nights',
  artist: 'Lucía Ferrer',
  album: 'Camino',
  genre: 'Flamenco Pop',
  year: 1997,
  durationSec: 37.2,
  bpm: 116,
  meter: '4/4',
  key: 'A minor',
  camelot: '8A',
  score: 0.9,
  why: 'Andalusian cadence: 2 × 19 s',
  evidence: [{ start: 4.1, end: 12.4, confidence: 1, label: 'Andalusian cadence' }],
  ...over,
});

describe('M3U8', () => {
  it('writes #EXTM3U, #EXTINF with seconds and "artist - title", absolute paths by default', () => {
    const { text } = toM3u8([hit({}), hit({ trackId: 2, durationSec: null, artist: null, title: null, path: '/music/x.mp3' })], { title: 'Flamenco' });
    expect(text).toBe('#EXTM3U\n#PLAYLIST:Flamenco\n#EXTINF:37,Lucía Ferrer - Sierra Nights\n/music/Lucía Ferrer/Camino/01 Sierra Nights.flac\n#EXTINF:-1,x.mp3\n/music/x.mp3\n');
    expect(Buffer.from(text, 'utf8').toString('utf8')).toBe(text);
  });
  it('writes paths relative to the playlist folder', () => {
    const { text } = toM3u8([hit({})], { relativeTo: '/music/playlists' });
    expect(text.split('\n')[2]).toBe(path.join('..', 'Lucía Ferrer', 'Camino', '01 Sierra Nights.flac'));
  });
  it('leaves out a path with a line break, which M3U cannot hold, and says so', () => {
    const r = toM3u8([hit({ path: '/music/a\nb.mp3' }), hit({})]);
    expect(r.skipped).toBe(1);
    expect(r.text.split('\n').filter((l) => l.startsWith('#EXTINF'))).toHaveLength(1);
  });
});

describe('CSV (RFC 4180)', () => {
  it('quotes fields with commas, quotes and line breaks, doubling quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
  });
  it('has a header and CRLF line ends', () => {
    const csv = toCsv([hit({ title: 'Hello, "World"' })]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('track_id,title,artist,album,genre,year,duration_s,bpm,key,camelot,meter,score,why,evidence,path');
    expect(lines[1]).toContain('"Hello, ""World"""');
    expect(lines[1]).toContain('4.1-12.4 Andalusian cadence');
    expect(lines[2]).toBe('');
  });
});

describe('JSON', () => {
  it('round-trips', () => {
    const data = { name: 'x', query: 'minor key', total: 1, notes: [], hits: [hit({})] };
    expect(JSON.parse(toJson(data))).toEqual(data);
  });
});
