// Reads audio files in worker threads, so parsing uses every core while the main thread lists
// folders and writes the database. Errors come back rebuilt as ScanFileError with their code.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TrackFacts } from '../store/tracks.ts';
import { ScanFileError, type ScanErrorCode } from './scanErrors.ts';

type Reply = { id: number; facts: TrackFacts } | { id: number; error: { name: string; code: string; message: string } } | { ready: true };

interface Pending {
  resolve: (f: TrackFacts) => void;
  reject: (e: Error) => void;
  path: string;
}

/** bin/read-track-worker.js, found from this module whether it runs from app/ or from dist/app/. */
function workerScript(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'bin', 'read-track-worker.js');
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('bin/read-track-worker.js not found');
}

class ReaderThread {
  readonly pending = new Map<number, Pending>();
  readonly worker: Worker;
  private readonly ready: Promise<void>;

  constructor(onExit: (t: ReaderThread, err: Error) => void) {
    // A small heap per reader keeps the scan's peak memory low (files are parsed one at a time).
    this.worker = new Worker(workerScript(), { resourceLimits: { maxOldGenerationSizeMb: 128 } });
    this.worker.unref();
    this.ready = new Promise((resolve, reject) => {
      this.worker.once('error', reject);
      this.worker.on('message', (m: Reply) => {
        if ('ready' in m) return resolve();
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if ('facts' in m) p.resolve(m.facts);
        else p.reject(new ScanFileError(m.error.code as ScanErrorCode, m.error.message));
      });
    });
    this.worker.on('error', (err) => onExit(this, err));
    this.worker.on('exit', (code) => onExit(this, new Error(`reader thread exited (${code})`)));
  }

  async read(id: number, file: string): Promise<TrackFacts> {
    await this.ready;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, path: file });
      this.worker.postMessage({ id, path: file });
    });
  }
}

export class ReadTrackPool {
  private threads: ReaderThread[] = [];
  private nextId = 1;
  private closed = false;

  constructor(readonly size = Math.max(1, os.availableParallelism())) {
    for (let i = 0; i < size; i++) this.threads.push(this.spawn());
  }

  private spawn(): ReaderThread {
    return new ReaderThread((t, err) => {
      // A thread that died fails only the files it was reading; a fresh one takes its place.
      for (const p of t.pending.values()) p.reject(new ScanFileError('IO_ERROR', `reading ${JSON.stringify(path.basename(p.path))} crashed the reader: ${err.message}`));
      t.pending.clear();
      const i = this.threads.indexOf(t);
      if (i >= 0 && !this.closed) this.threads[i] = this.spawn();
    });
  }

  /** Reads one file's facts on the least busy thread. */
  read(file: string): Promise<TrackFacts> {
    const t = this.threads.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    return t.read(this.nextId++, file);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }
}
