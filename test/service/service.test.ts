import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLibraryService, type LibraryService } from '../../app/service/service.ts';
import { dispatch } from '../../app/service/dispatch.ts';
import { METHOD_NAMES } from '../../app/service/methods.ts';
import { saveAnalysis } from '../../app/analysis/libraryAnalysis.ts';
import { parseJams } from '../../app/analysis/jams.ts';
import type { TrackAnalysis } from '../../app/analysis/types.ts';
import { testLibrary, type TestLibrary } from '../server/helpers.ts';
import { tempDir } from '../library/helpers.ts';
import { inProcessTransport } from '../worker/helpers.ts';
import type { QueueStatusView } from '../../app/service/api.ts';

/** A small hand-made analysis in C major with one borrowed ♭VI at 8 s (a fixture, not a measurement). */
export function fixtureAnalysis(): TrackAnalysis {
  const C = { tonic: 0, mode: 'major' as const };
  const chords = [
    { start: 0, end: 4, root: 0, quality: 'maj' as const, bass: 0, confidence: 0.9, label: 'C:maj' },
    { start: 4, end: 8, root: 7, quality: 'maj' as const, bass: 7, confidence: 0.8, label: 'G:maj' },
    { start: 8, end: 12, root: 8, quality: 'maj' as const, bass: 8, confidence: 0.7, label: 'Ab:maj' },
  ];
  return {
    durationSec: 12,
    sampleRate: 22050,
    versions: { frontend: 1, rhythm: 2, key: 3, chords: 1, theory: 2 },
    frontend: { tuningCents: 1.5, frameRate: 43 },
    rhythm: { bpm: 120, confidence: 0.9, tempoCurve: [], beats: [0, 0.5, 1], downbeats: [0], meter: '4/4', beatsPerBar: 4, meterConfidence: 0.8 },
    key: { global: C, confidence: 0.85, segments: [{ start: 0, end: 12, key: C, confidence: 0.85 }] },
    chords: { chords },
    theory: {
      romans: chords.map((c, i) => ({ chordIndex: i, start: c.start, end: c.end, key: C, numeral: ['I', 'V', '♭VI'][i]!, function: 'tonic' as const })),
      devices: [{ kind: 'modal-interchange', label: '♭VI borrowed from the parallel minor', start: 8, end: 12, chordIndices: [2], confidence: 0.7 }],
    },
    ...engineTwoFixture(),
    timings: {},
  };
}

/** Small, well-formed engine II results (a fixture): loudness, sound, form, descriptors, insight. */
function engineTwoFixture(): Pick<TrackAnalysis, 'loudness' | 'sound' | 'form' | 'descriptors' | 'insight'> {
  const curve = { hop: 1, values: [0.2, 0.5, 0.9] };
  const stat = { mean: 1, std: 0.1 };
  const d = { value: 0.5, confidence: 0.6 };
  return {
    loudness: {
      integratedLufs: -14.2, loudnessRangeLu: 5.1, shortTermMaxLufs: -10, momentaryMaxLufs: -8, shortTerm: curve, truePeakDbtp: -1.1, samplePeakDbfs: -1.3,
      plrDb: 13.1, replayGainDb: -3.8, replayGainPeak: 0.88, stereoWidth: null, channels: 1, sampleRate: 22050,
    },
    sound: {
      spectralCentroidHz: stat, spectralRolloffHz: stat, spectralFlatness: stat, spectralContrast: [1, 2], mfcc: { mean: [0], std: [0] }, dynamicRangeDb: 12,
      energy: curve, onsetDensity: 2, harmonicRatio: 0.7, vocals: { presence: 0, confidence: 0.5, curve, segments: [] },
    },
    form: { sections: [{ start: 0, end: 12, label: 'verse', group: 'A', confidence: 0.6, energy: 0.5, progression: 'I–V–♭VI' }], summary: 'verse', confidence: 0.6 },
    descriptors: { energy: d, danceability: d, acousticness: d, valence: d, arousal: d, tempoClass: 'moderate', tags: [{ tag: 'modal interchange', confidence: 0.7 }] },
    insight: { claims: [], paragraphs: ['A bright C major song that borrows ♭VI from the parallel minor at 0:08.'] },
  };
}

let lib: TestLibrary;
let service: LibraryService;
const events: { event: string; payload: unknown }[] = [];

beforeEach(async () => {
  lib = await testLibrary(['Alpha', 'beta', 'Gamma ray', 'Delta']);
  service = createLibraryService(lib.store, {
    dataDir: lib.dataDir,
    appVersion: '9.9.9',
    analyserVersions: fixtureAnalysis().versions,
    // The queue's workers, in this process: Delta is a damaged file (a permanent failure, not retried).
    queue: {
      concurrency: 1,
      pollMs: 10,
      progressIntervalMs: 0,
      spawn: () =>
        inProcessTransport(async (p) => {
          if (p.includes('Delta')) throw Object.assign(new Error('cannot decode Delta'), { code: 'CORRUPT' });
          return fixtureAnalysis();
        }),
    },
    libraryChangedDelayMs: 5,
  });
  events.length = 0;
  service.subscribe((event, payload) => events.push({ event, payload }));
});
afterEach(async () => {
  await service.close();
  await lib.cleanup();
});

/** Waits until the queue has nothing queued or running, and returns its status. */
async function queueDrained(s: LibraryService = service): Promise<QueueStatusView> {
  for (let i = 0; i < 500; i++) {
    const st = await s.api['queue.status']({});
    if (st.counts.queued === 0 && st.counts.running === 0) return st;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the queue did not drain');
}

describe('service: music folders', () => {
  it('lists folders with their state and track counts, adds and removes them', async () => {
    expect(await service.api['roots.list']({})).toEqual([expect.objectContaining({ path: lib.musicDir, status: 'online', trackCount: 4 })]);
    const other = await tempDir('ln-other-');
    try {
      const added = await service.api['roots.add']({ path: other });
      expect(added).toMatchObject({ path: await fs.realpath(other), status: 'online', trackCount: 0 });
      expect(events.map((e) => e.event)).toContain('library.changed');
      const left = await service.api['roots.remove']({ id: added.id });
      expect(left.map((r) => r.path)).toEqual([lib.musicDir]);
    } finally {
      await fs.rm(other, { recursive: true, force: true });
    }
  });

  it('shows a folder that went away as offline after a scan, with its tracks kept', async () => {
    const moved = lib.musicDir + '-away';
    await fs.rename(lib.musicDir, moved);
    try {
      const [summary] = await service.api['scan.start']({});
      expect(summary!.outcome).toBe('root-offline');
      const [root] = await service.api['roots.list']({});
      expect(root).toMatchObject({ status: 'offline', trackCount: 4 });
    } finally {
      await fs.rename(moved, lib.musicDir);
    }
  });

  it('refuses relative, missing and nested folders with clear messages', async () => {
    await expect(service.api['roots.add']({ path: 'music' })).rejects.toThrow(/full path/);
    await expect(service.api['roots.add']({ path: '/no/such/folder' })).rejects.toThrow(/not found/);
    await expect(service.api['roots.add']({ path: path.join(lib.musicDir, '.') })).resolves.toBeDefined();
    await fs.mkdir(path.join(lib.musicDir, 'sub'));
    const nested = await dispatch(service.api, 'roots.add', { path: path.join(lib.musicDir, 'sub') });
    expect(nested).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });
});

describe('service: tracks', () => {
  it('pages, sorts (both ways, nulls last) and filters in SQLite', async () => {
    const all = await service.api['tracks.page']({ offset: 0, limit: 10, sort: 'title' });
    expect(all.total).toBe(4);
    expect(all.rows.map((r) => r.title)).toEqual(['Alpha', 'beta', 'Delta', 'Gamma ray']);
    const desc = await service.api['tracks.page']({ offset: 1, limit: 2, sort: 'title', descending: true });
    expect(desc).toMatchObject({ total: 4, offset: 1 });
    expect(desc.rows.map((r) => r.title)).toEqual(['Delta', 'beta']);
    const found = await service.api['tracks.page']({ offset: 0, limit: 10, filter: { text: 'RAY gam' } });
    expect(found.rows.map((r) => r.title)).toEqual(['Gamma ray']);
    const like = await service.api['tracks.page']({ offset: 0, limit: 10, filter: { text: '%' } });
    expect(like.total).toBe(0);
    await service.api['analysis.run']({});
    await queueDrained();
    const byBpm = await service.api['tracks.page']({ offset: 0, limit: 10, sort: 'bpm', descending: true });
    expect(byBpm.rows.at(-1)!.title).toBe('Delta');
    expect(byBpm.rows[0]).toMatchObject({ bpm: 120, keyName: 'C major', camelot: '8B', meter: '4/4', analysed: true });
  });

  it('refuses bad page requests', async () => {
    await expect(service.api['tracks.page']({ offset: -1, limit: 10 })).rejects.toThrow(/offset/);
    await expect(service.api['tracks.page']({ offset: 0, limit: 5000 })).rejects.toThrow(/limit/);
    await expect(service.api['tracks.page']({ offset: 0, limit: 5, sort: 'x; DROP TABLE tracks' as never })).rejects.toThrow(/sort/);
    await expect(service.api['tracks.get']({ id: 0 })).rejects.toThrow(/positive/);
  });
});

describe('service: analysis', () => {
  it('queues the analysis, runs it in the queue workers with progress events, records failures with reasons, and returns the stored analysis shaped for display', async () => {
    expect((await service.api['queue.status']({})).state).toBe('stopped');
    const result = await service.api['analysis.run']({});
    expect(result).toEqual({ queued: 4 });
    const status = await queueDrained();
    expect(status.counts).toMatchObject({ done: 3, failed: 1, queued: 0 });
    expect(status.failures).toEqual([expect.objectContaining({ title: 'Delta', code: 'CORRUPT', reason: 'cannot decode Delta', attempts: 1 })]);
    const progress = events.filter((e) => e.event === 'queue.progress').map((e) => e.payload as QueueStatusView);
    const finished = progress.map((p) => p.done).filter((d, i, all) => d > 0 && d !== all[i - 1]);
    expect(finished).toEqual([1, 2, 3, 4]);
    expect(progress.find((p) => p.done === 2)).toMatchObject({ total: 4, state: 'running' });
    expect(progress.find((p) => p.done === 2)!.tracksPerMinute).toBeGreaterThan(0);
    expect(progress.find((p) => p.done === 2)!.etaSeconds).toBeGreaterThanOrEqual(0);
    await expect.poll(async () => (await service.api['queue.status']({})).lastRun).toMatchObject({ analysed: 3, failed: 1 });
    await expect.poll(() => events.some((e) => e.event === 'library.changed' && (e.payload as { reason: string }).reason === 'analysed')).toBe(true);

    const id = (await service.api['tracks.page']({ offset: 0, limit: 1, sort: 'title' })).rows[0]!.id;
    const insight = await service.api['analysis.get']({ trackId: id });
    expect(insight.analysis!.key).toEqual({ value: { name: 'C major', camelot: '8B' }, confidence: 0.85 });
    expect(insight.analysis!.chords.map((c) => c.numeral)).toEqual(['I', 'V', '♭VI']);
    expect(insight.analysis!.devices).toEqual([expect.objectContaining({ kind: 'modal-interchange', start: 8, numerals: ['♭VI'] })]);
    expect(insight.analysis!.loudness!.integratedLufs).toBe(-14.2);
    expect(insight.analysis!.insight!.paragraphs[0]).toMatch(/borrows/);

    const delta = (await service.api['tracks.page']({ offset: 0, limit: 1, filter: { text: 'Delta' } })).rows[0]!.id;
    expect(await service.api['analysis.get']({ trackId: delta })).toMatchObject({ analysis: null, analysisError: 'cannot decode Delta' });
  });

  it('exports JSON and a valid JAMS document, and says when there is nothing to export', async () => {
    const id = lib.store.tracks.list()[0]!.id;
    await expect(service.api['analysis.export']({ trackId: id, format: 'jams' })).rejects.toThrow(/not been analysed/);
    saveAnalysis(lib.store, id, fixtureAnalysis());
    const jams = await service.api['analysis.export']({ trackId: id, format: 'jams' });
    expect(jams.fileName).toMatch(/\.jams$/);
    expect(parseJams(jams.text).annotations.map((a) => a.namespace)).toContain('chord');
    const json = await service.api['analysis.export']({ trackId: id, format: 'json' });
    expect(JSON.parse(json.text).analysis.tempo.value.bpm).toBe(120);
    await expect(service.api['analysis.export']({ trackId: id, format: 'xml' as never })).rejects.toThrow(/format/);
  });

  it('runs one scan at a time; a scan queues its new tracks for the workers', async () => {
    const first = service.api['scan.start']({});
    await expect(service.api['scan.start']({})).rejects.toThrow(/scan is running/);
    await first;
    // The library was scanned before: the queue's sync queued every unanalysed track.
    const c = (await service.api['queue.status']({})).counts;
    expect(c.queued + c.running + c.done + c.failed).toBe(4);
    expect((await queueDrained()).counts).toMatchObject({ done: 3, failed: 1 });
  });
});

describe('service: the queue', () => {
  it('pauses, resumes, retries failures, cancels, bumps an opened track and restarts its workers with a new concurrency', async () => {
    await service.api['queue.pause']({});
    expect(await service.api['analysis.run']({})).toEqual({ queued: 4 });
    await new Promise((r) => setTimeout(r, 50));
    let st = await service.api['queue.status']({});
    expect(st).toMatchObject({ state: 'paused', paused: true });
    expect(st.counts.queued).toBe(4);

    // Opening the last track's page moves it to the front.
    const ids = lib.store.tracks.list().map((t) => t.id);
    const last = ids.at(-1)!;
    await service.api['analysis.get']({ trackId: last });
    const front = lib.store.jobs.list({ state: 'queued' })[0]!;
    expect(front.trackId).toBe(last);
    expect(await service.api['queue.bump']({ trackId: ids[0]! })).toEqual({ moved: true });
    expect(lib.store.jobs.list({ state: 'queued' })[0]!.trackId).toBe(ids[0]);

    expect(await service.api['queue.cancel']({ trackIds: [ids[1]!] })).toEqual({ cancelled: 1 });
    await service.api['queue.resume']({});
    st = await queueDrained();
    expect(st.counts).toMatchObject({ done: 2, failed: 1, cancelled: 1 });

    // Retry puts the failed and cancelled tracks back; Delta fails again with its reason.
    expect(await service.api['queue.retry']({})).toEqual({ queued: 2 });
    st = await queueDrained();
    expect(st.counts).toMatchObject({ done: 3, failed: 1, cancelled: 0 });
    expect(st.failures[0]!.reason).toBe('cannot decode Delta');

    st = await service.api['queue.setConcurrency']({ workers: 2 });
    expect(st).toMatchObject({ concurrency: 2, workers: 2 });
    await expect(service.api['queue.setConcurrency']({ workers: 0 })).rejects.toThrow(/positive/);
    await expect(service.api['queue.retry']({ trackIds: ['x'] as never })).rejects.toThrow(/track ids/);
    await expect(service.api['queue.bump']({ trackId: 99999 })).rejects.toThrow(/no track/);
  });
});

describe('service: dispatch and settings', () => {
  it('accepts only listed method names and object arguments', async () => {
    expect(await dispatch(service.api, '__proto__', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(await dispatch(service.api, 'roots.list', [])).toMatchObject({ ok: false, error: { code: 'BAD_ARGS' } });
    expect(Object.keys(service.api).sort()).toEqual([...METHOD_NAMES].sort());
  });

  it('tells where the data lives and which optional parts exist', async () => {
    const s = await service.api['settings.get']({});
    expect(s).toMatchObject({ dataDir: lib.dataDir, databaseFile: path.join(lib.dataDir, 'library.db'), appVersion: '9.9.9' });
    expect(s.features).toEqual({ search: true, queue: true, playlists: true, analysisII: false });
  });
});

describe('service: queue progress events', () => {
  it('are throttled (the status counts the jobs table), and the last one always follows the last change', async () => {
    const throttled = createLibraryService(lib.store, {
      dataDir: lib.dataDir,
      appVersion: 'x',
      analyserVersions: fixtureAnalysis().versions,
      queue: { concurrency: 1, pollMs: 10, progressIntervalMs: 300, spawn: () => inProcessTransport(async () => fixtureAnalysis()) },
    });
    const seen: QueueStatusView[] = [];
    throttled.subscribe((event, payload) => event === 'queue.progress' && seen.push(payload as QueueStatusView));
    try {
      await throttled.api['analysis.run']({});
      await queueDrained(throttled);
      await expect.poll(() => seen.at(-1)?.lastRun, { timeout: 5000 }).toMatchObject({ analysed: 4, failed: 0 });
      // 4 jobs make 9 changes (queued, 4 starts, 4 finishes) and the idle one; far fewer events went out.
      expect(seen.length).toBeLessThanOrEqual(5);
    } finally {
      await throttled.close();
    }
  });
});

describe('service: model status', () => {
  it('reports the runtime, the providers, each analysis model (checksum, provider, load time or error) and the chat model', async () => {
    const m = await service.api['settings.models']({});
    expect(m.runtime.node).toBe(process.version);
    expect(m.runtime.cpus).toBeGreaterThan(0);
    expect(m.providerOrder).toContain('cpu');
    expect(m.models.length).toBeGreaterThan(0);
    for (const model of m.models) {
      // Each model either loaded on a provider with a checked file, or says why not.
      if (model.error === null) expect(model).toMatchObject({ sha256: 'ok', provider: expect.any(String), loadMs: expect.any(Number) });
      else expect(model.error.length).toBeGreaterThan(0);
    }
    expect(m.chat).toEqual({ kind: 'parser' });
  }, 60_000);
});

describe('service: search', () => {
  it('searches in plain words with why-lines and evidence times, and counts facets', async () => {
    const withSearch = service;
    expect((await withSearch.api['settings.get']({})).features.search).toBe(true);
    const id = lib.store.tracks.list()[0]!.id;
    await withSearch.api['analysis.run']({ trackIds: [id] });
    await queueDrained();
    const r = await withSearch.api['search.query']({ text: 'modal interchange' });
    expect(r.understood.length).toBeGreaterThan(0);
    expect(r.hits.map((h) => h.trackId)).toEqual([id]);
    expect(r.hits[0]!.why).toMatch(/interchange|borrowed/i);
    expect(r.hits[0]!.evidence[0]).toMatchObject({ start: 8 });
    const facets = await withSearch.api['search.facets']({ text: '' });
    expect(facets.groups.find((g) => g.name === 'key')!.values[0]!.value).toMatch(/C major/);
    await expect(withSearch.api['search.query']({ text: 42 as never })).rejects.toThrow(/string/);
  });

  it('saves a search as a smart playlist, lists, opens, exports (M3U8, CSV, JSON) and removes it', async () => {
    const track = lib.store.tracks.list()[0]!;
    await service.api['analysis.run']({ trackIds: [track.id] });
    await queueDrained();
    expect(await service.api['playlists.list']({})).toEqual([]);
    const saved = await service.api['playlists.save']({ name: ' Borrowed chords ', query: 'modal interchange' });
    expect(saved).toMatchObject({ name: 'Borrowed chords', matches: 1 });
    expect(await service.api['playlists.list']({})).toEqual([expect.objectContaining({ name: 'Borrowed chords', matches: 1 })]);

    const opened = await service.api['playlists.open']({ name: 'Borrowed chords' });
    expect(opened.result.hits.map((h) => h.trackId)).toEqual([track.id]);

    const m3u = await service.api['playlists.export']({ name: 'Borrowed chords', format: 'm3u8' });
    expect(m3u).toMatchObject({ fileName: 'Borrowed chords.m3u8', mime: 'audio/x-mpegurl' });
    expect(m3u.text.split('\n')).toEqual(['#EXTM3U', '#PLAYLIST:Borrowed chords', expect.stringMatching(/^#EXTINF:1,Artist 0 - Alpha$/), track.path, '']);
    const csv = await service.api['playlists.export']({ name: 'Borrowed chords', format: 'csv' });
    expect(csv.text.split('\r\n')[0]).toMatch(/^track_id,title,artist/);
    expect(csv.text).toContain(track.path);
    const json = JSON.parse((await service.api['playlists.export']({ name: 'Borrowed chords', format: 'json' })).text);
    expect(json).toMatchObject({ name: 'Borrowed chords', query: 'modal interchange', total: 1 });

    await expect(service.api['playlists.save']({ name: 'x', query: '' })).rejects.toThrow(/nothing to search for/);
    await expect(service.api['playlists.save']({ name: 'a\nb', query: 'jazz' })).rejects.toThrow(/one line/);
    await expect(service.api['playlists.open']({ name: 'nope' })).rejects.toThrow(/no smart playlist called "nope"/);
    await expect(service.api['playlists.export']({ name: 'Borrowed chords', format: 'xspf' as never })).rejects.toThrow(/format/);
    expect(await service.api['playlists.remove']({ name: 'Borrowed chords' })).toEqual([]);
  });
});

describe('service: chat', () => {
  it('answers about the library and about one song with citations (tracks and times), and keeps the conversations', async () => {
    const alpha = lib.store.tracks.list().find((t) => t.title === 'Alpha')!;
    await service.api['analysis.run']({ trackIds: [alpha.id] });
    await queueDrained();

    const free = await service.api['chat.ask']({ question: 'what key is Alpha in?' });
    expect(free.question).toMatchObject({ role: 'user', text: 'what key is Alpha in?' });
    expect(free.answer.role).toBe('assistant');
    expect(free.answer.text).toMatch(/C major/);
    expect(free.answer.citations.map((c) => c.trackId)).toContain(alpha.id);
    expect(free.answer.source).toBe('parser');
    expect(free.conversation.trackId).toBeNull();

    // "Ask about this song": a conversation scoped to the track; the borrowed chord is cited with its time.
    const song = await service.api['chat.ask']({ question: 'which chords are borrowed?', trackId: alpha.id });
    expect(song.conversation.trackId).toBe(alpha.id);
    expect(song.answer.citations).toContainEqual(expect.objectContaining({ trackId: alpha.id, start: 8 }));
    const next = await service.api['chat.ask']({ question: 'how fast is it?', conversationId: song.conversation.id });
    expect(next.answer.text).toMatch(/120/);

    expect((await service.api['chat.conversations']({ trackId: alpha.id })).map((c) => c.id)).toEqual([song.conversation.id]);
    expect((await service.api['chat.conversations']({})).length).toBe(2);
    const history = await service.api['chat.history']({ conversationId: song.conversation.id });
    expect(history.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);

    await expect(service.api['chat.ask']({ question: '  ' })).rejects.toMatchObject({ code: 'BAD_ARGS' });
    await expect(service.api['chat.ask']({ question: 'key?', trackId: 99999 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.api['chat.history']({ conversationId: 424242 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
