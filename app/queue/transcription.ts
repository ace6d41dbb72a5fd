// Turning note transcription on or off, whether or not a queue is running: the stored setting, and
// the queue brought to the new analyser set in the same transaction.
import type { Store } from '../store/index.ts';
import { analyserVersions } from '../analysis/analyze.ts';
import { syncQueue } from './enqueue.ts';
import { queueVersions, setTranscribing } from './settings.ts';
import { versionKey } from './versions.ts';

export interface TranscriptionSwitch {
  /** The analyser versions the queue works towards now. */
  versions: Record<string, number>;
  /** Jobs added or queued again (on: a notes-only job per analysed track without current notes). */
  queued: number;
  /** Queued jobs of the other analyser set taken out (off: no transcription starts after this). */
  dropped: number;
}

/**
 * On: every track without current notes gets a job (only 'notes' for a track analysed already).
 * Off: queued jobs that would transcribe are dropped, and tracks still needing the rest of the
 * analysis are queued for it. A job running now finishes as it started.
 */
export function switchTranscription(store: Store, on: boolean, base: Record<string, number> = analyserVersions()): TranscriptionSwitch {
  return store.transaction(() => {
    setTranscribing(store, on);
    const versions = queueVersions(store, base);
    const dropped = on ? 0 : store.jobs.dropQueuedExcept(versionKey(versions));
    const r = syncQueue(store, versions);
    return { versions, queued: r.added + r.requeued, dropped };
  });
}
