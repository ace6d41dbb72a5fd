// Bad input never throws: empty, huge, SQL and FTS syntax, unbalanced quotes, emoji, control characters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SearchEngine } from '../../app/search/engine.ts';
import { parseQuery } from '../../app/search/parse.ts';
import { MAX_QUERY_CHARS } from '../../app/search/query.ts';
import type { Store } from '../../app/store/index.ts';
import { openDemoStore } from './demoFixture.ts';

let store: Store;
let engine: SearchEngine;

beforeAll(async () => {
  ({ store } = await openDemoStore());
  engine = new SearchEngine(store.db);
}, 240_000);
afterAll(() => store?.close());

const NASTY = [
  '',
  '   ',
  'x'.repeat(10_000),
  'modal interchange '.repeat(600),
  "'; DROP TABLE tracks; --",
  'Robert"); DELETE FROM tracks WHERE ("1"="1',
  'title:" OR 1=1 --',
  'NEAR(a b) AND OR NOT * ^ ( ) : { } " -',
  'artist:"unbalanced',
  '"unbalanced quote',
  'night "ferry',
  '🎸🔥💃',
  '💃 dance songs 🕺 in D minor',
  'Ferry*',
  '^title',
  'col:value AND title:*',
  '\u0000\u0007\u001b[31m red',
  'like',
  'like 🎸',
  'similar to "nothing of the sort"',
  'not',
  'without',
  '-',
  '--genre:rock',
  'year:abc',
  'bpm:..',
  'key:H',
  'meter:5/4',
  '999999999999999999999 bpm',
  '0 bpm',
  'between 130 and 120 bpm',
  'year:2100..1900',
  'بحث عن أغاني',
  '音楽 検索',
  'Lucía Ferrer',
  'lucia',
];

describe('search with bad input', () => {
  it.each(NASTY.map((q) => [q.length > 60 ? `${q.slice(0, 40)}… (${q.length} chars)` : JSON.stringify(q), q]))('%s', (_label, q) => {
    const parsed = parseQuery(q);
    expect(parsed.text.length).toBeLessThanOrEqual(MAX_QUERY_CHARS);
    const r = engine.search(q, { limit: 5 });
    expect(Array.isArray(r.hits)).toBe(true);
    expect(Number.isInteger(r.total)).toBe(true);
    for (const h of r.hits) expect(Number.isFinite(h.score)).toBe(true);
    // Nothing was deleted by the SQL-looking queries.
    expect(store.tracks.count()).toBe(12);
    if (q.trim() === '') expect(r.notes.join(' ')).toMatch(/nothing to search for/);
    const f = engine.facets(q);
    expect(Number.isInteger(f.total)).toBe(true);
  });

  it('says what it did with a huge query, an unbalanced quote and emoji', () => {
    expect(engine.search('x'.repeat(10_000)).notes.join(' ')).toMatch(/only the first 500/);
    expect(engine.search('night "ferry').notes.join(' ')).toMatch(/no closing/);
    expect(engine.search('🎸🔥💃').notes.join(' ')).toMatch(/no letters or digits/);
    expect(engine.search('like 🎸').notes.join(' ')).toMatch(/no song matches/);
  });

  it('finds with and without diacritics, and treats FTS operators as words', () => {
    expect(engine.search('lucia').hits.map((h) => h.title)).toEqual(['Sierra Nights']);
    expect(engine.search('Lucía Ferrer').hits.map((h) => h.title)).toEqual(['Sierra Nights']);
    expect(engine.search('Ferry*').hits.map((h) => h.title)).toEqual(['Night Ferry']);
    expect(engine.search('ferry NOT night').total).toBe(0);
  });

  it('rejects bad limits gently', () => {
    expect(engine.search('minor key', { limit: -5 }).hits.length).toBe(1);
    expect(engine.search('minor key', { limit: Number.NaN }).hits.length).toBe(1);
    expect(engine.search('minor key', { limit: 1e12 }).hits.length).toBe(4);
  });
});
