// Watches the music folders and rescans only what changed: events are collected, debounced, held
// back while a file is still being written (copying), then handed to the scanner in batches.
import { EventEmitter } from 'node:events';
import fs from 'node:fs/promises';
import chokidar from 'chokidar';
import type { Store } from '../store/index.ts';
import type { Scanner, ScanResult } from './scanner.ts';
import { rootIsReachable } from './scanner.ts';
import { forEachConcurrent } from './pool.ts';

/** The part of chokidar's FSWatcher we use (so tests can stand in for the OS). */
export interface FsWatcherLike {
  on(event: 'all', cb: (event: string, path: string) => void): unknown;
  on(event: 'error', cb: (err: unknown) => void): unknown;
  on(event: 'ready', cb: () => void): unknown;
  close(): Promise<void>;
}

export type CreateFsWatcher = (paths: string[], opts: { usePolling: boolean; interval: number }) => FsWatcherLike;

export const chokidarWatcher: CreateFsWatcher = (paths, opts) =>
  chokidar.watch(paths, {
    ignoreInitial: true,
    persistent: true,
    followSymlinks: true,
    usePolling: opts.usePolling,
    interval: opts.interval,
    binaryInterval: opts.interval,
    // Hidden folders (.git, .Trash) are never music; the scanner skips them too.
    ignored: (p: string) => /(^|[/\\])\.(?!\.)[^/\\]+[/\\]/.test(p + '/') && !paths.includes(p),
  }) as unknown as FsWatcherLike;

export interface WatcherOptions {
  /** Quiet time after the last event on a path before it is looked at. */
  debounceMs?: number;
  /** A file counts as written when its size held still and its mtime is at least this old. */
  stabilityMs?: number;
  /** Paths handed to the scanner at once. */
  maxBatch?: number;
  /** Polling interval when falling back from OS events. */
  pollIntervalMs?: number;
  /** How often offline roots are checked for coming back. */
  rootCheckMs?: number;
  createWatcher?: CreateFsWatcher;
}

interface Pending {
  lastEventAt: number;
  size?: number;
  mtimeMs?: number;
}

/** Emits 'batch' (ScanResult[]), 'warning' (string), 'error' (Error), 'idle'. */
export class LibraryWatcher extends EventEmitter {
  private readonly pending = new Map<string, Pending>();
  private watcher: FsWatcherLike | undefined;
  private polling = false;
  private timer: NodeJS.Timeout | undefined;
  private rootTimer: NodeJS.Timeout | undefined;
  private busy: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly debounceMs: number;
  private readonly stabilityMs: number;
  private readonly maxBatch: number;
  private readonly pollIntervalMs: number;
  private readonly rootCheckMs: number;
  private readonly createWatcher: CreateFsWatcher;

  constructor(
    private readonly store: Store,
    private readonly scanner: Scanner,
    opts: WatcherOptions = {},
  ) {
    super();
    this.debounceMs = opts.debounceMs ?? 1000;
    this.stabilityMs = opts.stabilityMs ?? 2000;
    this.maxBatch = opts.maxBatch ?? 2000;
    this.pollIntervalMs = opts.pollIntervalMs ?? 2000;
    this.rootCheckMs = opts.rootCheckMs ?? 30_000;
    this.createWatcher = opts.createWatcher ?? chokidarWatcher;
  }

  /** Paths waiting to be looked at (for status displays and tests). */
  get pendingCount(): number {
    return this.pending.size;
  }

  get usingPolling(): boolean {
    return this.polling;
  }

  async start(): Promise<void> {
    await this.open(false);
    this.rootTimer = setInterval(() => void this.checkOfflineRoots(), this.rootCheckMs);
    this.rootTimer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    clearInterval(this.rootTimer);
    await this.watcher?.close();
    await this.busy;
  }

  /** Resolves when nothing is pending and no scan is running. */
  async idle(): Promise<void> {
    for (;;) {
      await this.busy;
      if (this.pending.size === 0) return;
      await new Promise((r) => setTimeout(r, Math.min(this.debounceMs, 200)));
    }
  }

  private rootPaths(): string[] {
    return this.store.roots.list().filter((r) => r.status === 'online').map((r) => r.path);
  }

  private async open(usePolling: boolean): Promise<void> {
    const roots = this.rootPaths();
    this.polling = usePolling;
    const w = this.createWatcher(roots, { usePolling, interval: this.pollIntervalMs });
    this.watcher = w;
    w.on('all', (_event, p) => this.note(p));
    w.on('error', (err) => void this.onError(err));
    await new Promise<void>((resolve) => w.on('ready', resolve));
  }

  private async onError(err: unknown): Promise<void> {
    const code = (err as NodeJS.ErrnoException).code;
    if ((code === 'ENOSPC' || code === 'EMFILE') && !this.polling && !this.closed) {
      this.emit(
        'warning',
        `the system's limit on watched folders was reached (${code}); falling back to polling every ${this.pollIntervalMs / 1000} s. ` +
          'On Linux, raise fs.inotify.max_user_watches (e.g. sysctl fs.inotify.max_user_watches=524288) for instant updates.',
      );
      const old = this.watcher;
      await old?.close();
      await this.open(true);
      // Events may have been lost while switching: rescan the roots.
      for (const r of this.rootPaths()) this.note(r);
      return;
    }
    this.emit('error', err instanceof Error ? err : new Error(String(err)));
  }

  /** Records an event on a path and (re)starts the debounce timer. */
  note(p: string): void {
    if (this.closed) return;
    const entry = this.pending.get(p);
    if (entry) entry.lastEventAt = Date.now();
    else this.pending.set(p, { lastEventAt: Date.now() });
    this.schedule(this.debounceMs);
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.busy = this.busy.then(() => this.flush()).catch((err) => void this.emit('error', err));
    }, ms);
  }

  /** Takes the paths that have settled and scans them. Files still growing wait for the next round. */
  private async flush(): Promise<void> {
    if (this.closed) return;
    const now = Date.now();
    const ready: string[] = [];
    const due = [...this.pending].filter(([, e]) => now - e.lastEventAt >= this.debounceMs).slice(0, this.maxBatch);
    await forEachConcurrent(due, 16, async ([p, entry]) => {
      const st = await fs.stat(p).catch(() => undefined);
      if (st?.isFile()) {
        const settled = entry.size === st.size && entry.mtimeMs === st.mtimeMs && now - st.mtimeMs >= this.stabilityMs;
        if (!settled) {
          entry.size = st.size;
          entry.mtimeMs = st.mtimeMs;
          return;
        }
      }
      ready.push(p);
    });
    for (const p of ready) this.pending.delete(p);
    if (ready.length > 0) {
      const results: ScanResult[] = await this.scanner.scanPaths(ready);
      this.emit('batch', results);
    }
    if (this.pending.size > 0) this.schedule(ready.length >= this.maxBatch ? 0 : Math.min(this.debounceMs, this.stabilityMs));
    else this.emit('idle');
  }

  /** A root that was offline and can be reached again is rescanned, and watched anew. */
  private async checkOfflineRoots(): Promise<void> {
    for (const r of this.store.roots.list().filter((x) => x.status === 'offline')) {
      if ((await rootIsReachable(r.path)).ok) {
        this.busy = this.busy.then(async () => {
          this.emit('batch', await this.scanner.scanPaths([r.path]));
          await this.watcher?.close();
          await this.open(this.polling);
        });
      }
    }
  }
}
