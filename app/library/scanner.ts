// The library scanner: brings the store in line with what is on disk under each root.
// Phases: list files → read new and changed ones (concurrently) → save in batched transactions →
// mark what disappeared as missing. It only ever opens music files for reading.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Store, Root, TrackFacts, TrackStamp, ScanCounts, ScanOutcome } from '../store/index.ts';
import { listFiles, type ListedFile } from './walk.ts';
import { readTrack as defaultReadTrack } from './readTrack.ts';
import { ScanFileError, fromFsError } from './scanErrors.ts';
import { forEachConcurrent } from './pool.ts';
import { ProgressMeter, type ScanProgress } from './progress.ts';
import { kindByName } from './formats.ts';
import { ReadTrackPool } from './readTrackPool.ts';

export interface ScanOptions {
  /** Files read at once (I/O overlaps parsing). */
  concurrency?: number;
  /** Results saved per transaction. */
  batchSize?: number;
  onProgress?: (p: ScanProgress) => void;
  signal?: AbortSignal;
  /** Injected for tests. */
  readTrack?: (file: string) => Promise<TrackFacts>;
  /** Reader threads for large batches (default: one per core; 0 reads on the main thread). */
  readerThreads?: number;
}

/** Below this many files to read, starting reader threads costs more than it saves. */
const THREADS_FROM = 64;

export interface ScanIssue {
  path: string;
  code: string;
  message: string;
}

export interface ScanResult {
  rootId: number;
  rootPath: string;
  outcome: ScanOutcome;
  counts: ScanCounts;
  issues: ScanIssue[];
  durationMs: number;
  /** Ids of tracks added or changed (what the analysis queue needs to look at). */
  changedTrackIds: number[];
}

type ReadOutcome = { file: ListedFile; facts: TrackFacts } | { file: ListedFile; error: ScanFileError };

const emptyCounts = (): ScanCounts => ({ filesSeen: 0, added: 0, updated: 0, moved: 0, missing: 0, unchanged: 0, errors: 0 });

/** Whether a root folder can be listed now (a missing mount point or a dead share cannot). */
export async function rootIsReachable(rootPath: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    const st = await fs.stat(rootPath);
    if (!st.isDirectory()) return { ok: false, reason: `${rootPath} is not a folder` };
    const dir = await fs.opendir(rootPath);
    await dir.close();
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: fromFsError(err, `the folder ${rootPath}`).message };
  }
}

/** How many same-fingerprint tracks are checked on disk when deciding whether a new file is a moved one. */
const MAX_MOVE_CANDIDATES = 16;

const isUnder = (file: string, dir: string) => file.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);

export class Scanner {
  private readonly concurrency: number;
  private readonly batchSize: number;
  private readonly injectedRead: ((file: string) => Promise<TrackFacts>) | undefined;

  constructor(
    private readonly store: Store,
    private readonly opts: ScanOptions = {},
  ) {
    this.concurrency = opts.concurrency ?? 8;
    this.batchSize = opts.batchSize ?? 200;
    this.injectedRead = opts.readTrack;
  }

  /** Full scan of one root: adds, updates, moves and marks missing; marks the root offline if it can't be reached. */
  async scanRoot(root: Root): Promise<ScanResult> {
    const t0 = Date.now();
    const { store } = this;
    const counts = emptyCounts();
    const issues: ScanIssue[] = [];
    const changed: number[] = [];
    const scanId = store.scanLog.start(root.id, 'full');
    const meter = new ProgressMeter(root.path, this.opts.onProgress);
    const finish = (outcome: ScanOutcome): ScanResult => {
      store.scanLog.finish(scanId, outcome, counts);
      meter.done();
      return { rootId: root.id, rootPath: root.path, outcome, counts, issues, durationMs: Date.now() - t0, changedTrackIds: changed };
    };
    const goOffline = (reason: string) => {
      store.transaction(() => {
        store.roots.setStatus(root.id, 'offline');
        store.scanLog.recordError({ rootId: root.id, scanId, path: root.path, code: 'ROOT_OFFLINE', message: reason });
      });
      issues.push({ path: root.path, code: 'ROOT_OFFLINE', message: reason });
      return finish('root-offline');
    };

    const reach = await rootIsReachable(root.path);
    if (!reach.ok) return goOffline(`music folder offline: ${reach.reason}; nothing under it was changed`);

    let listing;
    try {
      listing = await listFiles(root.path, { signal: this.opts.signal });
    } catch (err) {
      return goOffline(`music folder went offline while listing: ${fromFsError(err, root.path).message}`);
    }
    meter.filesListed = listing.files.length;
    counts.filesSeen = listing.files.length;

    const stamps = store.tracks.stampsForRoot(root.id);
    const presentBefore = [...stamps.values()].filter((s) => s.status === 'present').length;
    const toRead: ListedFile[] = [];
    const unchangedMissing: number[] = [];
    for (const f of listing.files) {
      const s = stamps.get(f.path);
      if (s && s.size === f.size && s.mtimeMs === f.mtimeMs) {
        counts.unchanged++;
        if (s.status === 'missing') unchangedMissing.push(s.id);
      } else toRead.push(f);
    }
    store.transaction(() => {
      store.tracks.markPresent(unchangedMissing);
      for (const p of listing.problems) this.noteError(root.id, scanId, p.path, p.error, counts, issues);
    });

    const listed = new Set(listing.files.map((f) => f.path));
    // A new file can only be a moved track if some track is not accounted for by this listing.
    const knownHere = listing.files.reduce((n, f) => n + (stamps.has(f.path) ? 1 : 0), 0);
    const movesPossible = store.tracks.count({ includeRemovedRoots: true }) > knownHere;
    const handled = await this.readAndSave(root, scanId, toRead, stamps, meter, counts, issues, changed, movesPossible ? listed : 'no-moves');

    // Files no longer where they were: missing, unless the root itself went away or we could not look.
    const after = await rootIsReachable(root.path);
    if (!after.ok) return goOffline(`music folder went offline during the scan: ${after.reason}; no track was marked missing`);
    if (listing.files.length === 0 && presentBefore > 0) {
      return goOffline(`music folder is empty but ${presentBefore} tracks were there before: is the drive unmounted? No track was marked missing`);
    }
    const gone = [...stamps.values()].filter(
      (s) => s.status === 'present' && (!listed.has(s.path) || handled.vanished.has(s.path)) && !handled.touchedIds.has(s.id) && !listing.unreadableDirs.some((d) => isUnder(s.path, d)),
    );
    store.transaction(() => {
      store.tracks.markMissing(gone.map((s) => s.id));
      store.roots.markScanned(root.id);
    });
    counts.missing += gone.length;
    return finish('completed');
  }

  /**
   * Rescans particular paths (files or folders) under known roots, as the watcher reports them:
   * reads what exists, marks what is gone as missing. Paths outside every online root are ignored.
   */
  async scanPaths(paths: readonly string[]): Promise<ScanResult[]> {
    const roots = this.store.roots.list().filter((r) => r.status !== 'removed');
    const byRoot = new Map<Root, string[]>();
    for (const p of paths) {
      const root = roots.find((r) => p === r.path || isUnder(p, r.path));
      if (root) byRoot.set(root, [...(byRoot.get(root) ?? []), p]);
    }
    const results: ScanResult[] = [];
    for (const [root, rootPaths] of byRoot) {
      // The root itself changed (appeared, vanished, was remounted): a full scan decides.
      if (rootPaths.includes(root.path) || root.status === 'offline') {
        results.push(await this.scanRoot(root));
        continue;
      }
      results.push(await this.scanSomePaths(root, rootPaths));
    }
    return results;
  }

  private async scanSomePaths(root: Root, paths: readonly string[]): Promise<ScanResult> {
    const t0 = Date.now();
    const { store } = this;
    const counts = emptyCounts();
    const issues: ScanIssue[] = [];
    const changed: number[] = [];
    const scanId = store.scanLog.start(root.id, 'paths');
    const meter = new ProgressMeter(root.path, this.opts.onProgress);
    const reach = await rootIsReachable(root.path);
    if (!reach.ok) {
      store.scanLog.finish(scanId, 'root-offline', counts);
      return this.scanRoot(root); // marks it offline with the reason, touching no track
    }
    const stamps = new Map<string, TrackStamp>();
    const files: ListedFile[] = [];
    const gonePaths: string[] = [];
    const unreadable: string[] = [];
    for (const p of new Set(paths)) {
      let st;
      try {
        st = await fs.stat(p);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') gonePaths.push(p);
        else this.noteError(root.id, scanId, p, fromFsError(err, JSON.stringify(path.basename(p))), counts, issues);
        continue;
      }
      if (st.isDirectory()) {
        const listing = await listFiles(p);
        files.push(...listing.files);
        unreadable.push(...listing.unreadableDirs);
        for (const pr of listing.problems) this.noteError(root.id, scanId, pr.path, pr.error, counts, issues);
        // Tracks under the folder that are no longer listed are gone.
        const listed = new Set(listing.files.map((f) => f.path));
        for (const t of store.tracks.underDirectory(p, path.sep)) if (!listed.has(t.path)) gonePaths.push(t.path);
      } else if (st.isFile()) {
        const kind = kindByName(p);
        if (kind !== 'skip') files.push({ path: p, size: st.size, mtimeMs: Math.trunc(st.mtimeMs), kind });
      }
    }
    for (const f of files) {
      const t = store.tracks.byPath(f.path);
      if (t) stamps.set(f.path, { id: t.id, path: t.path, size: t.size, mtimeMs: t.mtimeMs, status: t.status });
    }
    const toRead = files.filter((f) => {
      const s = stamps.get(f.path);
      const same = s && s.size === f.size && s.mtimeMs === f.mtimeMs && s.status === 'present';
      if (same) counts.unchanged++;
      return !same;
    });
    counts.filesSeen = files.length;
    const handled = await this.readAndSave(root, scanId, toRead, stamps, meter, counts, issues, changed);
    const goneIds: number[] = [];
    for (const p of [...gonePaths, ...handled.vanished]) {
      const tracks = store.tracks.underDirectory(p, path.sep);
      const exact = store.tracks.byPath(p);
      for (const t of exact ? [exact, ...tracks] : tracks) {
        if (t.status === 'present' && !handled.touchedIds.has(t.id) && !unreadable.some((d) => isUnder(t.path, d))) goneIds.push(t.id);
      }
    }
    store.transaction(() => store.tracks.markMissing(goneIds));
    counts.missing += goneIds.length;
    store.scanLog.finish(scanId, 'completed', counts);
    meter.done();
    return { rootId: root.id, rootPath: root.path, outcome: 'completed', counts, issues, durationMs: Date.now() - t0, changedTrackIds: changed };
  }

  /** Reads `files` concurrently and saves results in batches; returns what it learned for missing-detection. */
  private async readAndSave(
    root: Root,
    scanId: number,
    files: ListedFile[],
    stamps: Map<string, TrackStamp>,
    meter: ProgressMeter,
    counts: ScanCounts,
    issues: ScanIssue[],
    changed: number[],
    listed?: ReadonlySet<string> | 'no-moves',
  ): Promise<{ touchedIds: Set<number>; vanished: Set<string> }> {
    const touchedIds = new Set<number>();
    const vanished = new Set<string>();
    let batch: ReadOutcome[] = [];
    meter.startReading(files.length);
    const threads = this.injectedRead || files.length < THREADS_FROM || this.opts.readerThreads === 0 ? undefined : new ReadTrackPool(this.opts.readerThreads);
    const read = this.injectedRead ?? (threads ? (f: string) => threads.read(f) : defaultReadTrack);
    const flush = async () => {
      const items = batch;
      batch = [];
      // Decide moves before the transaction (it needs to look at the disk).
      const moves = new Map<string, number>();
      for (const item of items) {
        if ('facts' in item && !stamps.has(item.file.path) && listed !== 'no-moves') {
          const from = await this.findMovedFrom(item.facts.fingerprint, touchedIds, listed);
          if (from !== undefined) moves.set(item.file.path, from);
        }
      }
      this.store.transaction(() => {
        for (const item of items) {
          if ('error' in item) {
            if (item.error.code === 'VANISHED') vanished.add(item.file.path);
            // A file we only sniffed because of an unknown extension and that isn't audio is simply not music.
            if (item.file.kind === 'sniff' && item.error.code === 'NOT_AUDIO') continue;
            this.noteError(root.id, scanId, item.file.path, item.error, counts, issues);
            continue;
          }
          this.store.scanLog.clearError(item.file.path);
          const existing = stamps.get(item.file.path);
          const movedFrom = moves.get(item.file.path);
          let id: number;
          if (existing) {
            this.store.tracks.update(existing.id, root.id, item.facts);
            id = existing.id;
            counts.updated++;
          } else if (movedFrom !== undefined) {
            this.store.tracks.update(movedFrom, root.id, item.facts);
            id = movedFrom;
            counts.moved++;
          } else {
            id = this.store.tracks.insert(root.id, item.facts);
            counts.added++;
          }
          touchedIds.add(id);
          changed.push(id);
        }
      });
    };
    try {
      await forEachConcurrent(
      files,
      threads ? Math.max(this.concurrency, 16) : this.concurrency,
      async (file) => {
        let outcome: ReadOutcome;
        try {
          outcome = { file, facts: await read(file.path) };
        } catch (err) {
          outcome = { file, error: err instanceof ScanFileError ? err : new ScanFileError('IO_ERROR', `${file.path}: ${(err as Error).message}`) };
        }
        batch.push(outcome);
        meter.filesDone++;
        meter.tick();
        if (batch.length >= this.batchSize) await flush();
      },
      this.opts.signal,
      );
    } finally {
      await threads?.close();
    }
    await flush();
    return { touchedIds, vanished };
  }

  /**
   * A new file whose fingerprint matches a track whose own file is gone is that track, moved or
   * renamed: it keeps its id. A match whose file still exists is a copy, and becomes a new track.
   * Tracks on offline roots are never taken (their files only look gone).
   */
  private async findMovedFrom(fingerprint: string, taken: Set<number>, listed?: ReadonlySet<string>): Promise<number | undefined> {
    // Missing tracks first; a file known to be listed now is not gone. Identical copies can be many
    // (the same file in ten folders): look at the disk for a bounded number of them.
    const candidates = this.store.tracks
      .byFingerprint(fingerprint)
      .filter((t) => !taken.has(t.id) && !listed?.has(t.path));
    for (const t of candidates.slice(0, MAX_MOVE_CANDIDATES)) {
      const root = this.store.roots.byId(t.rootId);
      if (!root || root.status === 'offline') continue;
      const exists = await fs.access(t.path).then(
        () => true,
        () => false,
      );
      if (!exists) {
        taken.add(t.id);
        return t.id;
      }
    }
    return undefined;
  }

  private noteError(rootId: number, scanId: number, file: string, error: ScanFileError, counts: ScanCounts, issues: ScanIssue[]): void {
    this.store.scanLog.recordError({ rootId, scanId, path: file, code: error.code, message: error.message });
    counts.errors++;
    issues.push({ path: file, code: error.code, message: error.message });
  }
}
