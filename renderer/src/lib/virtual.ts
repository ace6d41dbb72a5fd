// Windowing for the library table: which rows are on screen (plus a margin), from the scroll offset.
// Only those rows exist in the DOM, so 100,000 tracks cost the same as 30.

export interface RowWindow {
  /** First and one-past-last row index to render. */
  start: number;
  end: number;
  /** Pixel offset of the first rendered row. */
  offsetY: number;
  /** Height of the whole (virtual) list. */
  totalHeight: number;
}

export function visibleRows(scrollTop: number, viewportHeight: number, rowHeight: number, rowCount: number, overscan = 8): RowWindow {
  const total = Math.max(0, rowCount);
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const onScreen = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, Math.min(total, first - overscan));
  const end = Math.max(start, Math.min(total, first + onScreen + overscan));
  return { start, end, offsetY: start * rowHeight, totalHeight: total * rowHeight };
}

/** The scrollTop that brings row `index` into view (unchanged when it already is). */
export function scrollToReveal(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewportHeight) return top + rowHeight - viewportHeight;
  return scrollTop;
}

/** The rows selected after a click: plain replaces, toggle adds/removes one, range extends from the anchor. */
export function selectAfterClick(selected: ReadonlySet<number>, anchor: number | null, index: number, mode: 'replace' | 'toggle' | 'range'): { selected: Set<number>; anchor: number } {
  if (mode === 'toggle') {
    const next = new Set(selected);
    if (next.has(index)) next.delete(index);
    else next.add(index);
    return { selected: next, anchor: index };
  }
  if (mode === 'range' && anchor !== null) {
    const next = new Set<number>();
    for (let i = Math.min(anchor, index); i <= Math.max(anchor, index); i++) next.add(i);
    return { selected: next, anchor };
  }
  return { selected: new Set([index]), anchor: index };
}
