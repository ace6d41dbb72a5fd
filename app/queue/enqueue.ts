// Putting tracks in the analysis queue: new and changed files from the scanner and watcher, and
// tracks whose stored analyser versions are not the current ones.
import type { Store } from '../store/index.ts';
import { staleAnalysers, versionKey } from './versions.ts';

export interface EnqueueResult {
  added: number;
  requeued: number;
}

/**
 * Queues every track that lacks current results (only the analysers whose version differs are
 * listed on its job), plus `changedTrackIds` (new or changed files: everything runs again).
 * With `force`, every present track is queued for a full analysis.
 */
export function syncQueue(
  store: Store,
  versions: Record<string, number>,
  opts: { changedTrackIds?: readonly number[]; force?: boolean; now?: number } = {},
): EnqueueResult {
  const key = versionKey(versions);
  const all = Object.keys(versions).sort();
  const res: EnqueueResult = { added: 0, requeued: 0 };
  const count = (r: 'added' | 'requeued' | 'unchanged') => {
    if (r !== 'unchanged') res[r]++;
  };
  store.transaction(() => {
    const forced = new Set(opts.force ? store.tracks.list({ status: 'present' }).map((t) => t.id) : (opts.changedTrackIds ?? []));
    for (const id of forced) count(store.jobs.enqueue(id, key, all, { force: true, now: opts.now }));
    const existing = store.jobs.statesForKey(key);
    for (const id of store.analyses.tracksNeeding(versions)) {
      if (forced.has(id)) continue;
      // Running, or given up on (failed, cancelled): left alone until retried.
      const job = existing.get(id);
      if (job && job.state !== 'done' && job.state !== 'queued') continue;
      const stale = staleAnalysers(store.jobs.storedVersions(id), versions);
      if (job?.state === 'queued' && stale.every((a) => job.analysers.includes(a))) continue;
      count(store.jobs.enqueue(id, key, stale.length ? stale : all, { now: opts.now }));
    }
  });
  return res;
}

/** Moves a track to the front of the queue (a track the user opens), queuing it if it needs analysing. */
export function bump(store: Store, trackId: number, versions: Record<string, number>): boolean {
  if (store.jobs.bump(trackId)) return true;
  const stale = staleAnalysers(store.jobs.storedVersions(trackId), versions);
  if (stale.length === 0) return false;
  store.jobs.enqueue(trackId, versionKey(versions), stale);
  return store.jobs.bump(trackId);
}
