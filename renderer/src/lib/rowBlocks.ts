// Rows of the library table fetched in blocks (never one call per row) and kept in a small cache.
// Scrolling asks for the blocks under the visible window; each block is fetched once.
import type { TrackPage, TrackPageQuery, TrackRow } from '../../../app/service/api.ts';

export const BLOCK_SIZE = 200;

export type FetchPage = (q: TrackPageQuery) => Promise<TrackPage>;

export class RowBlocks {
  private readonly blocks = new Map<number, TrackRow[]>();
  private readonly inFlight = new Set<number>();
  /** Blocks kept on screen after a refresh until their fresh copies arrive. */
  private readonly stale = new Set<number>();
  private generation = 0;
  total: number | null = null;
  /** Calls made to the service (for tests and the benchmark). */
  fetches = 0;

  constructor(
    private readonly fetchPage: FetchPage,
    private query: Omit<TrackPageQuery, 'offset' | 'limit'>,
    private readonly onChange: () => void,
    private readonly maxBlocks = 64,
  ) {}

  /** New sort or filter: forget everything. */
  reset(query: Omit<TrackPageQuery, 'offset' | 'limit'>): void {
    this.query = query;
    this.generation++;
    this.blocks.clear();
    this.stale.clear();
    this.inFlight.clear();
    this.total = null;
    this.onChange();
  }

  /** Same sort and filter, changed data (tracks analysed or added): rows stay on screen until their fresh copies arrive. */
  refresh(): void {
    this.generation++;
    this.inFlight.clear();
    for (const b of this.blocks.keys()) this.stale.add(b);
    this.onChange();
  }

  row(index: number): TrackRow | undefined {
    return this.blocks.get(Math.floor(index / BLOCK_SIZE))?.[index % BLOCK_SIZE];
  }

  /** Ensures rows [start, end) are loaded or loading; resolves when the requested blocks have arrived. */
  async ensure(start: number, end: number): Promise<void> {
    const first = Math.floor(start / BLOCK_SIZE);
    const last = Math.floor(Math.max(start, end - 1) / BLOCK_SIZE);
    const wanted: Promise<void>[] = [];
    for (let b = first; b <= last; b++) {
      if ((this.blocks.has(b) && !this.stale.has(b)) || this.inFlight.has(b)) continue;
      if (this.total !== null && b * BLOCK_SIZE >= this.total) continue;
      wanted.push(this.load(b));
    }
    await Promise.all(wanted);
  }

  private async load(block: number): Promise<void> {
    const generation = this.generation;
    this.inFlight.add(block);
    this.fetches++;
    try {
      const page = await this.fetchPage({ ...this.query, offset: block * BLOCK_SIZE, limit: BLOCK_SIZE });
      if (generation !== this.generation) return;
      this.total = page.total;
      this.blocks.set(block, page.rows);
      this.stale.delete(block);
      this.evict(block);
      this.onChange();
    } finally {
      if (generation === this.generation) this.inFlight.delete(block);
    }
  }

  /** Keeps at most `maxBlocks`, dropping those farthest from the one just loaded. */
  private evict(near: number): void {
    if (this.blocks.size <= this.maxBlocks) return;
    const far = [...this.blocks.keys()].sort((a, b) => Math.abs(b - near) - Math.abs(a - near));
    for (const b of far.slice(0, this.blocks.size - this.maxBlocks)) {
      this.blocks.delete(b);
      this.stale.delete(b);
    }
  }
}
