// Note transcription switched on and off while the service's queue runs ('queue.setTranscribe', or
// `linernotes queue transcribe` from another process): no restart; new jobs follow the setting,
// analysed tracks get a notes-only job when it is turned on, queued transcriptions go when it is off.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeFile } from '../../app/analysis/analyze.ts';
import { NOTES_ANALYSER_VERSION } from '../../app/analysis/notes/version.ts';
import { switchTranscription } from '../../app/queue/transcription.ts';
import { createLibraryService, type LibraryService } from '../../app/service/service.ts';
import type { QueueStatusView } from '../../app/service/api.ts';
import type { Store } from '../../app/store/index.ts';
import type { AnalyseFile } from '../../app/worker/child.ts';
import { tempDir } from '../library/helpers.ts';
import { inProcessTransport, writeToneWav } from '../worker/helpers.ts';
import { scannedStore, trackIdByName, writeSongs } from '../queue/helpers.ts';

let base: string;
let store: Store;
let service: LibraryService;
/** Files the worker was asked to analyse, and whether with notes. */
const asked: string[] = [];
const analyse: AnalyseFile = (file, signal, o) => {
  asked.push(`${path.basename(file)}${o?.notes ? ' +notes' : ''}`);
  return analyzeFile(file, { signal, notes: o?.notes });
};

const hasNotes = (name: string) => store.analyses.forTrack(trackIdByName(store, name)).some((r) => r.analyser === 'notes' && r.result !== null && r.version === NOTES_ANALYSER_VERSION);
const queuedJob = (name: string) => store.jobs.forTrack(trackIdByName(store, name)).find((j) => j.state === 'queued');

async function drained(): Promise<QueueStatusView> {
  for (let i = 0; i < 1500; i++) {
    const st = await service.api['queue.status']({});
    if (st.counts.queued === 0 && st.counts.running === 0) return st;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the queue did not drain');
}

async function addSong(name: string, seed: number): Promise<void> {
  await writeToneWav(path.join(base, 'music', name), 3, { seed });
  await service.api['scan.start']({});
}

beforeAll(async () => {
  base = await tempDir('ln-service-transcribe-');
  await writeSongs(base, 2, [], 3);
  store = await scannedStore(base);
  service = createLibraryService(store, {
    dataDir: path.join(base, 'data'),
    appVersion: 'test',
    queue: { concurrency: 1, pollMs: 20, progressIntervalMs: 0, spawn: () => inProcessTransport(analyse) },
  });
});
afterAll(async () => {
  await service.close();
  store.close();
  await fs.rm(base, { recursive: true, force: true });
});

describe('note transcription switched while the service runs', () => {
  it('is off at first: tracks are analysed without notes', async () => {
    expect((await service.api['queue.status']({})).transcribe).toBe(false);
    expect(await service.api['analysis.run']({})).toEqual({ queued: 2 });
    await drained();
    expect(asked.sort()).toEqual(['song-01.wav', 'song-02.wav']);
    expect(hasNotes('song-01.wav') || hasNotes('song-02.wav')).toBe(false);
  });

  it('turned on, queues a notes-only job for each analysed track and the running queue transcribes them', async () => {
    await service.api['queue.pause']({});
    const st = await service.api['queue.setTranscribe']({ on: true });
    expect(st.transcribe).toBe(true);
    expect(st.counts.queued).toBe(2);
    expect(queuedJob('song-01.wav')?.analysers).toEqual(['notes']);
    expect(queuedJob('song-02.wav')?.analysers).toEqual(['notes']);
    asked.length = 0;
    await service.api['queue.resume']({});
    await drained();
    expect(asked.sort()).toEqual(['song-01.wav +notes', 'song-02.wav +notes']);
    expect(hasNotes('song-01.wav') && hasNotes('song-02.wav')).toBe(true);
    // Nothing more to do: turning it on again queues nothing.
    expect((await service.api['queue.setTranscribe']({ on: true })).counts.queued).toBe(0);
  }, 60_000);

  it('turned off, drops the queued transcriptions: a new file is analysed without notes', async () => {
    await service.api['queue.pause']({});
    await addSong('song-03.wav', 2);
    expect(queuedJob('song-03.wav')?.analysers).toContain('notes');
    const st = await service.api['queue.setTranscribe']({ on: false });
    expect(st.transcribe).toBe(false);
    expect(st.counts.queued).toBe(1);
    expect(queuedJob('song-03.wav')?.analysers).not.toContain('notes');
    asked.length = 0;
    await service.api['queue.resume']({});
    await drained();
    expect(asked).toEqual(['song-03.wav']);
    expect(hasNotes('song-03.wav')).toBe(false);
    expect(store.analyses.summary(trackIdByName(store, 'song-03.wav'))).toBeDefined();
  }, 60_000);

  it('turned on by another process (`linernotes queue transcribe on`), is followed by the running service', async () => {
    asked.length = 0;
    const sw = switchTranscription(store, true);
    expect(sw.queued).toBe(1);
    expect((await service.api['queue.status']({})).transcribe).toBe(true);
    await service.api['queue.resume']({}); // wakes the workers (their poll would find the job too)
    await drained();
    expect(asked).toEqual(['song-03.wav +notes']);
    // The service's own syncs now work towards the notes as well: a new file's job lists them.
    await service.api['queue.pause']({});
    await addSong('song-04.wav', 4);
    expect(queuedJob('song-04.wav')?.analysers).toContain('notes');
    await service.api['queue.resume']({});
    await drained();
    expect(asked).toEqual(['song-03.wav +notes', 'song-04.wav +notes']);
    expect(hasNotes('song-04.wav')).toBe(true);
  }, 60_000);

  it('refuses anything but true or false', async () => {
    await expect(service.api['queue.setTranscribe']({ on: 'yes' as never })).rejects.toMatchObject({ code: 'BAD_ARGS' });
  });
});
