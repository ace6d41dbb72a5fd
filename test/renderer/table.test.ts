import { describe, expect, it } from 'vitest';
import { scrollToReveal, selectAfterClick, visibleRows } from '../../renderer/src/lib/virtual.ts';
import { BLOCK_SIZE, RowBlocks } from '../../renderer/src/lib/rowBlocks.ts';
import type { TrackPageQuery, TrackRow } from '../../app/service/api.ts';

const LIBRARY = 100_000;

/** A fake tracks.page over a fabricated library, counting calls. */
function fakePages(total = LIBRARY) {
  const calls: TrackPageQuery[] = [];
  const fetchPage = async (q: TrackPageQuery) => {
    calls.push(q);
    const rows = Array.from({ length: Math.max(0, Math.min(q.limit, total - q.offset)) }, (_, k) => ({ id: q.offset + k + 1, title: `Song ${q.offset + k}` }) as TrackRow);
    return { total, offset: q.offset, rows };
  };
  return { calls, fetchPage };
}

describe('virtual table window', () => {
  it('renders only the rows on screen plus a margin, whatever the library size', () => {
    const w = visibleRows(50_000 * 32, 640, 32, LIBRARY, 8);
    expect(w.start).toBe(50_000 - 8);
    expect(w.end - w.start).toBe(21 + 16);
    expect(w.offsetY).toBe(w.start * 32);
    expect(w.totalHeight).toBe(LIBRARY * 32);
  });
  it('clamps at both ends and for empty libraries', () => {
    expect(visibleRows(0, 640, 32, LIBRARY)).toMatchObject({ start: 0, end: 29 });
    expect(visibleRows(1e12, 640, 32, 10)).toMatchObject({ start: 10, end: 10 });
    expect(visibleRows(-50, 640, 32, 0)).toMatchObject({ start: 0, end: 0, totalHeight: 0 });
  });
  it('scrolls just enough to reveal the active row', () => {
    expect(scrollToReveal(10, 0, 320, 32)).toBe(32 * 11 - 320);
    expect(scrollToReveal(2, 640, 320, 32)).toBe(64);
    expect(scrollToReveal(5, 0, 320, 32)).toBe(0);
  });
});

describe('multi-select', () => {
  it('replaces, toggles and extends a range from the anchor', () => {
    let s = selectAfterClick(new Set(), null, 3, 'replace');
    expect([...s.selected]).toEqual([3]);
    s = selectAfterClick(s.selected, s.anchor, 7, 'toggle');
    expect([...s.selected].sort()).toEqual([3, 7]);
    s = selectAfterClick(s.selected, 3, 6, 'range');
    expect([...s.selected]).toEqual([3, 4, 5, 6]);
    s = selectAfterClick(s.selected, s.anchor, 4, 'toggle');
    expect(s.selected.has(4)).toBe(false);
  });
});

describe('rows fetched in blocks', () => {
  it('scrolling through 100,000 rows asks the service once per block, never per row', async () => {
    const { calls, fetchPage } = fakePages();
    let changes = 0;
    const blocks = new RowBlocks(fetchPage, { sort: 'title' }, () => changes++, 1000);
    for (let top = 0; top < LIBRARY; top += 7 * 32) {
      const w = visibleRows(top * 32, 640, 32, LIBRARY);
      await blocks.ensure(w.start, w.end);
    }
    expect(calls.length).toBe(LIBRARY / BLOCK_SIZE);
    expect(calls.every((c) => c.limit === BLOCK_SIZE && c.sort === 'title')).toBe(true);
    expect(blocks.row(12_345)?.title).toBe('Song 12345');
    expect(blocks.total).toBe(LIBRARY);
    expect(changes).toBe(calls.length);
  });

  it('asks for a block once even when several windows want it at the same time', async () => {
    const { calls, fetchPage } = fakePages();
    const blocks = new RowBlocks(fetchPage, {}, () => undefined);
    await Promise.all([blocks.ensure(0, 30), blocks.ensure(10, 40), blocks.ensure(150, 250)]);
    expect(calls.map((c) => c.offset)).toEqual([0, 200]);
  });

  it('forgets everything on a new sort, ignoring answers to the old one', async () => {
    const { calls, fetchPage } = fakePages(500);
    const blocks = new RowBlocks(fetchPage, { sort: 'title' }, () => undefined);
    const stale = blocks.ensure(0, 10);
    blocks.reset({ sort: 'bpm', descending: true });
    await stale;
    expect(blocks.row(0)).toBeUndefined();
    await blocks.ensure(0, 10);
    expect(calls.at(-1)).toMatchObject({ sort: 'bpm', descending: true, offset: 0 });
    expect(blocks.row(0)).toBeDefined();
    await blocks.ensure(600, 700);
    expect(calls.length).toBe(2);
  });

  it('on a refresh (the library changed) keeps rows and total on screen until their fresh copies arrive, then refetches each once', async () => {
    let version = 0;
    const calls: TrackPageQuery[] = [];
    const fetchPage = async (q: TrackPageQuery) => {
      calls.push(q);
      const v = version;
      const rows = Array.from({ length: Math.min(q.limit, 500 - q.offset) }, (_, k) => ({ id: q.offset + k + 1, title: `Song ${q.offset + k} v${v}` }) as TrackRow);
      return { total: 500, offset: q.offset, rows };
    };
    const blocks = new RowBlocks(fetchPage, { sort: 'title' }, () => undefined);
    await blocks.ensure(0, 250);
    expect(calls.length).toBe(2);
    version = 1;
    blocks.refresh();
    expect(blocks.total).toBe(500);
    expect(blocks.row(0)!.title).toBe('Song 0 v0');
    const fresh = blocks.ensure(0, 250);
    await blocks.ensure(0, 250);
    await fresh;
    expect(calls.length).toBe(4);
    expect(blocks.row(0)!.title).toBe('Song 0 v1');
    expect(blocks.row(249)!.title).toBe('Song 249 v1');
    await blocks.ensure(0, 250);
    expect(calls.length).toBe(4);
  });

  it('keeps a bounded cache', async () => {
    const { fetchPage } = fakePages();
    const blocks = new RowBlocks(fetchPage, {}, () => undefined, 4);
    for (let b = 0; b < 10; b++) await blocks.ensure(b * BLOCK_SIZE, b * BLOCK_SIZE + 1);
    expect(blocks.row(9 * BLOCK_SIZE)).toBeDefined();
    expect(blocks.row(0)).toBeUndefined();
  });
});
