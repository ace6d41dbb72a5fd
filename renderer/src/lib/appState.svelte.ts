// App-wide state: library totals, music folders, job progress; kept fresh from service events.
import type { LibraryStats, QueueStatusView, RootInfo, ScanProgressEvent, SettingsInfo } from '../../../app/service/api.ts';
import type { ServiceClient } from './client.ts';

export class AppState {
  stats: LibraryStats | null = $state(null);
  roots: RootInfo[] = $state([]);
  settings: SettingsInfo | null = $state(null);
  scan: ScanProgressEvent | null = $state(null);
  /** The analysis queue (its workers run in the serve or Electron main process). */
  queue: QueueStatusView | null = $state(null);
  /** What is running now, in words ('Scanning…'), or null. */
  job: string | null = $state(null);
  /** The last finished job, in words. */
  lastJob: string | null = $state(null);
  error: string | null = $state(null);
  /** Bumped whenever the library's rows may have changed (the table reloads). */
  libraryVersion = $state(0);

  constructor(readonly client: ServiceClient) {
    client.on('scan.progress', (p) => (this.scan = p));
    client.on('queue.progress', (p) => (this.queue = p as QueueStatusView));
    client.on('library.changed', () => {
      this.libraryVersion++;
      void this.refresh();
    });
  }

  async refresh(): Promise<void> {
    try {
      const first = this.settings === null;
      // The queue's status counts the jobs table (~85 ms at 100,000 tracks): on the first screen it is
      // asked for after the table's first rows, not before them on the one server thread.
      const queue = first ? new Promise((r) => setTimeout(r, 800)).then(() => this.client.call('queue.status', {})) : this.client.call('queue.status', {});
      void queue.then(
        (q) => (this.queue = q),
        (err: Error) => (this.error = err.message),
      );
      [this.stats, this.roots, this.settings] = await Promise.all([
        this.client.call('library.stats', {}),
        this.client.call('roots.list', {}),
        this.settings ? Promise.resolve(this.settings) : this.client.call('settings.get', {}),
      ]);
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  /** Runs a job, showing it as running and reporting failures instead of throwing. */
  private async run<T>(label: string, job: () => Promise<T>): Promise<T | undefined> {
    this.job = label;
    this.error = null;
    try {
      return await job();
    } catch (err) {
      this.error = (err as Error).message;
      return undefined;
    } finally {
      this.job = null;
      this.scan = null;
      await this.refresh();
    }
  }

  async scanAndAnalyse(rootId?: number): Promise<void> {
    const scanned = await this.run('Scanning', () => this.client.call('scan.start', rootId === undefined ? {} : { rootId }));
    if (!scanned) return;
    const added = scanned.reduce((n, s) => n + s.added + s.updated + s.moved, 0);
    // The scan put new and changed tracks in the analysis queue; its progress arrives as events.
    this.lastJob = `Scan: ${added} new or changed, ${scanned.reduce((n, s) => n + s.errors, 0)} unreadable`;
  }

  /** Queues every track that needs analysing (or these tracks again). */
  async analyse(trackIds?: number[]): Promise<void> {
    const r = await this.run('Queuing', () => this.client.call('analysis.run', trackIds ? { trackIds } : {}));
    if (r) this.lastJob = `${r.queued} track(s) queued for analysis`;
  }

  /** A queue command: the new status arrives as a 'queue.progress' event too. */
  async queueCommand(job: () => Promise<unknown>): Promise<void> {
    this.error = null;
    try {
      await job();
      this.queue = await this.client.call('queue.status', {});
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  /** Adds a music folder, then scans and analyses it. Returns false (with `error` set) when refused. */
  async addFolder(path: string): Promise<boolean> {
    const root = await this.run('Adding the folder', () => this.client.call('roots.add', { path }));
    if (!root) return false;
    await this.scanAndAnalyse(root.id);
    return true;
  }

  async removeFolder(id: number): Promise<void> {
    await this.run('Removing the folder', () => this.client.call('roots.remove', { id }));
  }
}
