// Note transcription in the analysis queue (opt-in setting 'transcribe'): off stores no notes; on,
// the worker transcribes in the same decode pass, the parent stores the 'notes' result, and only the
// tracks without current notes are queued. The stored notes export as a MIDI file (service and CLI).
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeFile } from '../../app/analysis/analyze.ts';
import { loadAnalysis } from '../../app/analysis/libraryAnalysis.ts';
import { midiToNotes } from '../../app/analysis/notes/midi.ts';
import { storedNotes } from '../../app/analysis/notes/stored.ts';
import type { NotesResult } from '../../app/analysis/notes/types.ts';
import { NOTES_ANALYSER_VERSION } from '../../app/analysis/notes/version.ts';
import { syncQueue } from '../../app/queue/enqueue.ts';
import { QueueRunner } from '../../app/queue/runner.ts';
import { isTranscribing, queueVersions, setTranscribing } from '../../app/queue/settings.ts';
import { createLibraryService } from '../../app/service/service.ts';
import { transcribeCommand } from '../../app/cli/models.ts';
import { createOutput } from '../../app/cli/output.ts';
import type { Store } from '../../app/store/index.ts';
import type { AnalyseFile } from '../../app/worker/child.ts';
import { tempDir } from '../library/helpers.ts';
import { inProcessTransport } from '../worker/helpers.ts';
import { scannedStore, writeSongs } from './helpers.ts';

let base: string;
let store: Store;
/** Files the worker was asked to transcribe. */
const transcribed: string[] = [];
const analyse: AnalyseFile = (file, signal, o) => {
  if (o?.notes) transcribed.push(path.basename(file));
  return analyzeFile(file, { signal, notes: o?.notes });
};

const run = (s: Store) => new QueueRunner(s, { versions: queueVersions(s), spawn: () => inProcessTransport(analyse), concurrency: 1, pollMs: 20 }).runUntilIdle();
const notesRows = (s: Store) => s.tracks.list().flatMap((t) => s.analyses.forTrack(t.id).filter((r) => r.analyser === 'notes'));

beforeAll(async () => {
  base = await tempDir('ln-transcribe-');
  await writeSongs(base, 2, [], 3);
  store = await scannedStore(base);
});
afterAll(async () => {
  store.close();
  await fs.rm(base, { recursive: true, force: true });
});

describe('transcription in the queue', () => {
  it('is off by default: the analysis stores no notes and asks the worker for none', async () => {
    expect(isTranscribing(store)).toBe(false);
    expect(queueVersions(store).notes).toBeUndefined();
    syncQueue(store, queueVersions(store));
    expect(await run(store)).toMatchObject({ done: 2, failed: 0 });
    expect(transcribed).toEqual([]);
    expect(notesRows(store)).toEqual([]);
  });

  it('turned on, queues only the notes of tracks without them, and stores them', async () => {
    setTranscribing(store, true);
    const versions = queueVersions(store);
    expect(versions.notes).toBe(NOTES_ANALYSER_VERSION);
    const queued = syncQueue(store, versions);
    expect(queued.added + queued.requeued).toBe(2);
    const jobs = store.tracks.list().map((t) => store.jobs.forTrack(t.id)[0]!);
    expect(jobs.map((j) => [j.state, j.analysers])).toEqual([
      ['queued', ['notes']],
      ['queued', ['notes']],
    ]);
    expect(await run(store)).toMatchObject({ done: 2, failed: 0 });
    expect(transcribed.sort()).toEqual(['song-01.wav', 'song-02.wav']);
    const rows = notesRows(store);
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.version).toBe(NOTES_ANALYSER_VERSION);
      expect(r.error).toBeNull();
      const n = r.result as NotesResult;
      expect(n.durationSec).toBeCloseTo(3, 1);
      // The clip is a C-major arpeggio (C4 E4 G4 C5, transposed by the song's seed): those pitches are found.
      expect(n.notes.length).toBeGreaterThan(2);
      expect(n.melodyRange).not.toBeNull();
    }
    const song1 = storedNotes(store, store.tracks.list().find((t) => t.path.endsWith('song-01.wav'))!.id)!;
    expect([60, 64, 67, 72].filter((p) => song1.notes.some((x) => x.pitch === p)).length).toBeGreaterThanOrEqual(3);
    // Up to date now: nothing more to queue.
    expect(syncQueue(store, queueVersions(store))).toEqual({ added: 0, requeued: 0 });
  }, 60_000);
});

describe('MIDI export of the stored notes', () => {
  it("service 'analysis.export' with format 'midi' returns a MIDI file of the stored notes", async () => {
    const service = createLibraryService(store, { dataDir: base, appVersion: 'test', queue: { concurrency: 1, pollMs: 20, spawn: () => inProcessTransport(analyse) } });
    try {
      const id = store.tracks.list()[0]!.id;
      const file = await service.api['analysis.export']({ trackId: id, format: 'midi' });
      expect(file.mime).toBe('audio/midi');
      expect(file.fileName).toMatch(/\.mid$/);
      const back = midiToNotes(new Uint8Array(Buffer.from(file.base64!, 'base64')));
      const stored = storedNotes(store, id)!.notes;
      expect(back.map((x) => x.pitch)).toEqual(stored.map((x) => x.pitch));
      back.forEach((x, i) => {
        expect(x.start).toBeCloseTo(stored[i]!.start, 2);
        expect(x.end).toBeCloseTo(stored[i]!.end, 2);
      });
      expect((await service.api['analysis.get']({ trackId: id })).hasTranscription).toBe(true);

      // Without stored notes: a clear error, and no download offered.
      store.db.prepare("DELETE FROM analyses WHERE analyser = 'notes' AND track_id = ?").run(id);
      await expect(service.api['analysis.export']({ trackId: id, format: 'midi' })).rejects.toThrow(/no transcription .* yet — turn on note transcription/);
      expect((await service.api['analysis.get']({ trackId: id })).hasTranscription).toBe(false);
    } finally {
      await service.close();
    }
  });

  it('`linernotes transcribe <track id> --midi` writes the stored notes', async () => {
    const id = store.tracks.list()[1]!.id;
    const out = path.join(base, 'out.mid');
    const lines: string[] = [];
    const sink = { write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
    const code = await transcribeCommand(createOutput({ json: false, stdout: sink, stderr: sink }), String(id), { midi: out, store });
    expect(code).toBe(0);
    expect(lines.join('')).toMatch(/stored transcription/);
    const back = midiToNotes(new Uint8Array(await fs.readFile(out)));
    expect(back.map((x) => x.pitch)).toEqual(storedNotes(store, id)!.notes.map((x) => x.pitch));
  });
});

describe('a transcription that fails', () => {
  it('is recorded against the notes only: the track keeps its analysis', async () => {
    const id = store.tracks.list()[0]!.id;
    store.db.prepare("DELETE FROM analyses WHERE analyser = 'notes' AND track_id = ?").run(id);
    syncQueue(store, queueVersions(store)); // (opening its page above may have queued it already)
    expect(store.jobs.forTrack(id).map((j) => [j.state, j.analysers])).toEqual([['queued', ['notes']]]);
    const failing: AnalyseFile = async () => Promise.reject(Object.assign(new Error('cannot decode this'), { code: 'CORRUPT' }));
    const summary = await new QueueRunner(store, { versions: () => queueVersions(store), spawn: () => inProcessTransport(failing), concurrency: 1, pollMs: 20 }).runUntilIdle();
    expect(summary).toMatchObject({ done: 0, failed: 1 });
    const rows = store.analyses.forTrack(id);
    expect(rows.filter((r) => r.error !== null).map((r) => r.analyser)).toEqual(['notes']);
    expect(loadAnalysis(store, id)).toBeDefined();
    expect(syncQueue(store, queueVersions(store))).toEqual({ added: 0, requeued: 0 });
  });
});
