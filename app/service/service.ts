// The service API implemented over the store: what `linernotes serve` and the Electron main process
// expose to the UI. Scans run one at a time and report progress as events; analysis runs in the
// persistent queue's worker processes (queue.ts), which report progress as 'queue.progress' events.
import path from 'node:path';
import { parseFile } from 'music-metadata';
import type { Store } from '../store/index.ts';
import { DATABASE_FILE } from '../store/db.ts';
import { Scanner, type ScanResult } from '../library/scanner.ts';
import { addRoot, removeRoot, RootError } from '../library/roots.ts';
import { loadAnalysis } from '../analysis/libraryAnalysis.ts';
import { storedNotesMidi } from '../analysis/notes/stored.ts';
import { queueVersions } from '../queue/settings.ts';
import { analyserVersions } from '../analysis/analyze.ts';
import { toJams } from '../analysis/jams.ts';
import { SearchEngine } from '../search/engine.ts';
import { describeClause } from '../search/describe.ts';
import { MAX_LIMIT, type SearchResult } from '../search/engine.ts';
import { parseQuery } from '../search/parse.ts';
import { toCsv, toJson, toM3u8 } from '../search/export.ts';
import { PlaylistsRepo, type Playlist } from '../store/playlists.ts';
import type { EventName, PlaylistView, RootInfo, ScanSummary, SearchResultView, ServiceApi, ServiceEvents, TrackDetail } from './api.ts';
import { ServiceError } from './errors.ts';
import { TrackPager } from './trackPage.ts';
import { analysisView, trackDetail } from './views.ts';
import { QueueControl, type QueueControlOptions } from './queue.ts';
import type { chatMethods } from './chat.ts';
import type { LlmConfig } from '../chat/llm.ts';
import { deepMethods, type DeepMethodsOptions } from './deep.ts';

export type EventListener = <E extends EventName>(event: E, payload: ServiceEvents[E]) => void;

export interface ServiceOptions {
  dataDir: string;
  appVersion: string;
  /** Versions of the current analysers (injected by tests; default: the real engine's). */
  analyserVersions?: Record<string, number>;
  /** How the analysis queue starts its workers (Electron: a utilityProcess; tests: in-process fakes). */
  queue?: Pick<QueueControlOptions, 'spawn' | 'concurrency' | 'retry' | 'pollMs' | 'now' | 'progressIntervalMs'>;
  /** The chat's language model (an OpenAI-compatible server, as for `linernotes ask`); without one the built-in parser answers. */
  chat?: { llm?: LlmConfig; fetch?: typeof fetch };
  /** How long 'library.changed' events from the queue are gathered before one is sent (ms). */
  libraryChangedDelayMs?: number;
  /** Deep captions: where the model-server settings are read from, and the health check's time limit. */
  deep?: DeepMethodsOptions;
}

/** The service plus its event stream. Transports call `api` and forward what `subscribe` gives them. */
export interface LibraryService {
  api: ServiceApi;
  subscribe(listener: EventListener): () => void;
  /** Prepares what the first screen asks for (the library table's default ordering). */
  warmUp(): void;
  /** Starts the analysis workers (queued work from earlier sessions runs); a no-op when another process runs the queue. */
  startQueue(): void;
  /** Stops the analysis workers (running jobs go back in the queue). */
  close(): Promise<void>;
}

const positiveInt = (v: unknown, name: string): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ServiceError('BAD_ARGS', `${name} must be a positive whole number`);
  return v;
};

const summaryOf = (r: ScanResult): ScanSummary => ({
  rootId: r.rootId,
  rootPath: r.rootPath,
  outcome: r.outcome,
  added: r.counts.added,
  updated: r.counts.updated,
  moved: r.counts.moved,
  missing: r.counts.missing,
  unchanged: r.counts.unchanged,
  errors: r.counts.errors,
  durationMs: r.durationMs,
});

export function createLibraryService(store: Store, opts: ServiceOptions): LibraryService {
  const listeners = new Set<EventListener>();
  const pager = new TrackPager(store.db);
  const emit: EventListener = (event, payload) => {
    // Every event but queue progress marks a write of ours to the library: kept table orderings may be stale.
    if (event !== 'queue.progress') pager.invalidate();
    for (const l of listeners) l(event, payload);
  };
  // The queue's versions include 'notes' while transcription is on (queue.setTranscribe, or `linernotes
  // queue transcribe on|off` from another process): read from the store at each use.
  const baseVersions = opts.analyserVersions ?? analyserVersions();
  const versions = () => queueVersions(store, baseVersions);
  // Analysed tracks change the table; while the workers run, one 'library.changed' per interval is enough.
  let libraryTimer: NodeJS.Timeout | undefined;
  const libraryChangedSoon = () => {
    pager.invalidate();
    libraryTimer ??= setTimeout(() => {
      libraryTimer = undefined;
      emit('library.changed', { reason: 'analysed' });
    }, opts.libraryChangedDelayMs ?? 1000);
  };
  const queue = new QueueControl(store, {
    versions,
    baseVersions,
    ...opts.queue,
    onChange: (status, libraryChanged) => {
      emit('queue.progress', status);
      if (libraryChanged) libraryChangedSoon();
    },
  });
  const trackIdList = (ids: unknown): number[] | undefined => {
    if (ids === undefined) return undefined;
    if (!Array.isArray(ids) || ids.some((id) => !Number.isInteger(id) || id < 1)) throw new ServiceError('BAD_ARGS', 'trackIds must be a list of track ids');
    return ids as number[];
  };
  let busy: 'scan' | null = null;
  const search = new SearchEngine(store.db);
  const deep = deepMethods(store, opts.deep);
  const playlists = new PlaylistsRepo(store.db);
  // The chat (and what it imports) loads on the first question, not at serve start.
  let chatLoaded: ReturnType<typeof chatMethods> | undefined;
  const chat = async () => (chatLoaded ??= (await import('./chat.ts')).chatMethods(store, opts.chat));
  const playlistView = (p: Playlist): PlaylistView => ({ id: p.id, name: p.name, query: p.query, updatedAt: p.updatedAt, matches: search.search(p.query, { limit: 1 }).total });
  const playlistNamed = (name: unknown): Playlist => {
    if (typeof name !== 'string' || !name.trim()) throw new ServiceError('BAD_ARGS', 'give the playlist name');
    searchText('');
    const p = playlists.byName(name.trim());
    if (!p) throw new ServiceError('NOT_FOUND', `no smart playlist called "${name}"`);
    return p;
  };
  const resultView = (r: SearchResult): SearchResultView => ({
    understood: r.query.clauses.map(describeClause),
    total: r.total,
    notes: r.notes,
    hits: r.hits.map((h) => ({
      trackId: h.trackId,
      title: h.title,
      artist: h.artist,
      album: h.album,
      durationSec: h.durationSec,
      bpm: h.bpm,
      key: h.key,
      camelot: h.camelot,
      score: h.score,
      why: h.why,
      evidence: h.evidence,
      ...(h.unverified ? { unverified: true as const } : {}),
    })),
  });
  const searchText = (text: unknown): string => {
    if (typeof text !== 'string') throw new ServiceError('BAD_ARGS', 'text must be a string');
    if (!search.capabilities.searchTables) throw new ServiceError('NOT_FOUND', 'search is not available: this database has no search index yet');
    return text;
  };

  const exclusive = async <T>(job: 'scan', run: () => Promise<T>): Promise<T> => {
    if (busy) throw new ServiceError('BUSY', `a ${busy} is running; try again when it has finished`);
    busy = job;
    try {
      return await run();
    } finally {
      busy = null;
    }
  };

  const rootInfos = (): RootInfo[] => {
    const counts = new Map(
      (store.db.prepare('SELECT root_id, count(*) AS n FROM tracks GROUP BY root_id').all() as { root_id: number; n: number }[]).map((r) => [r.root_id, r.n]),
    );
    return store.roots.list().map((r) => ({
      id: r.id,
      path: r.path,
      status: r.status === 'offline' ? 'offline' : 'online',
      lastScanAt: r.lastScanAt,
      trackCount: counts.get(r.id) ?? 0,
    }));
  };

  const detail = (id: number): TrackDetail => {
    const t = store.tracks.byId(positiveInt(id, 'id'));
    if (!t) throw new ServiceError('NOT_FOUND', `no track with id ${id}`);
    return trackDetail(t, store.analyses.summary(t.id));
  };

  const api: ServiceApi = {
    'library.stats': async () => {
      const roots = store.roots.list();
      return {
        tracks: store.tracks.count(),
        analysed: store.analyses.analysedCount(),
        roots: roots.length,
        offlineRoots: roots.filter((r) => r.status === 'offline').length,
      };
    },

    'roots.list': async () => rootInfos(),

    'roots.add': async ({ path: folder }) => {
      if (typeof folder !== 'string' || !folder.trim()) throw new ServiceError('BAD_ARGS', 'give the folder to add');
      if (!path.isAbsolute(folder)) throw new ServiceError('BAD_ARGS', `give the full path of the folder (not ${folder})`);
      try {
        const root = await addRoot(store, folder);
        emit('library.changed', { reason: 'root added' });
        return rootInfos().find((r) => r.id === root.id)!;
      } catch (err) {
        if (err instanceof RootError) throw new ServiceError(err.code === 'INSIDE_ROOT' ? 'CONFLICT' : 'BAD_ARGS', err.message);
        throw err;
      }
    },

    'roots.remove': async ({ id }) => {
      try {
        await removeRoot(store, String(positiveInt(id, 'id')));
      } catch (err) {
        if (err instanceof RootError) throw new ServiceError('NOT_FOUND', err.message);
        throw err;
      }
      emit('library.changed', { reason: 'root removed' });
      return rootInfos();
    },

    'scan.start': async ({ rootId }) =>
      exclusive('scan', async () => {
        const roots = rootId === undefined ? store.roots.list() : [store.roots.byId(positiveInt(rootId, 'rootId'))].filter((r) => r && r.status !== 'removed');
        if (roots.length === 0) throw new ServiceError('NOT_FOUND', rootId === undefined ? 'no music folders yet: add one first' : `no music folder with id ${rootId}`);
        const scanner = new Scanner(store, {
          onProgress: (p) =>
            emit('scan.progress', { rootPath: p.rootPath, phase: p.phase, filesDone: p.filesDone, filesTotal: p.filesTotal, filesPerSecond: p.filesPerSecond, etaSeconds: p.etaSeconds }),
        });
        const summaries: ScanSummary[] = [];
        const changed: number[] = [];
        for (const root of roots) {
          const result = await scanner.scanRoot(root!);
          changed.push(...result.changedTrackIds);
          summaries.push(summaryOf(result));
        }
        emit('scan.done', { summaries });
        emit('library.changed', { reason: 'scanned' });
        // New and changed files go in the analysis queue; the workers pick them up.
        queue.sync(changed);
        return summaries;
      }),

    'tracks.page': async (q) => pager.page(q),

    'tracks.get': async ({ id }) => detail(id),

    'tracks.artwork': async ({ id }) => {
      const t = detail(id);
      if (!t.hasArtwork || t.status !== 'present') return null;
      const meta = await parseFile(t.path, { skipCovers: false, duration: false }).catch(() => undefined);
      const pic = meta?.common.picture?.[0];
      return pic ? { mime: pic.format, base64: Buffer.from(pic.data).toString('base64') } : null;
    },

    'analysis.run': async ({ trackIds }) => {
      const ids = trackIdList(trackIds);
      for (const id of ids ?? []) detail(id);
      return { queued: ids ? queue.analyseAgain(ids) : queue.sync() };
    },

    'analysis.get': async ({ trackId }) => {
      const track = detail(trackId);
      // Opening a track's page moves it to the front of the queue when it waits for analysis.
      if (track.status === 'present') queue.bump(track.id);
      const rows = store.analyses.forTrack(track.id);
      const a = loadAnalysis(store, track.id);
      const summary = store.analyses.summary(track.id);
      const failed = rows.find((r) => r.error !== null);
      return {
        track,
        analysis: a ? analysisView(a, rows, summary?.analysedAt ?? Math.max(...rows.map((r) => r.analysedAt))) : null,
        analysisError: !a && failed ? failed.error : null,
        hasTranscription: rows.some((r) => r.analyser === 'notes' && r.result !== null),
      };
    },

    'analysis.export': async ({ trackId, format }) => {
      if (format !== 'json' && format !== 'jams' && format !== 'midi') throw new ServiceError('BAD_ARGS', "format must be 'json', 'jams' or 'midi'");
      const track = detail(trackId);
      const a = loadAnalysis(store, track.id);
      if (!a) throw new ServiceError('NOT_FOUND', `track ${track.id} has not been analysed yet`);
      const base = (track.title ?? path.basename(track.path, path.extname(track.path))).replace(/[^\p{L}\p{N} ._-]+/gu, '_').slice(0, 80) || `track-${track.id}`;
      if (format === 'midi') {
        const bytes = storedNotesMidi(store, track.id, track.title ?? undefined);
        if (!bytes) throw new ServiceError('NOT_FOUND', `no transcription of track ${track.id} yet — turn on note transcription (linernotes queue transcribe on) and let the queue run`);
        return { fileName: `${base}.mid`, mime: 'audio/midi', text: '', base64: Buffer.from(bytes).toString('base64') };
      }
      if (format === 'json') {
        const rows = store.analyses.forTrack(track.id);
        const view = analysisView(a, rows, store.analyses.summary(track.id)?.analysedAt ?? 0);
        return { fileName: `${base}.analysis.json`, mime: 'application/json', text: JSON.stringify({ track, analysis: view }, null, 2) };
      }
      const doc = toJams(a, { title: track.title ?? '', artist: track.artist ?? '', release: track.album ?? '', durationSec: a.durationSec });
      return { fileName: `${base}.jams`, mime: 'application/json', text: JSON.stringify(doc, null, 2) };
    },

    'settings.get': async () => ({
      dataDir: opts.dataDir,
      databaseFile: opts.dataDir === ':memory:' ? ':memory:' : path.join(opts.dataDir, DATABASE_FILE),
      appVersion: opts.appVersion,
      features: { search: search.capabilities.searchTables, queue: true, playlists: search.capabilities.searchTables, analysisII: 'loudness' in baseVersions },
    }),

    'settings.models': async () => {
      // Loaded on demand: the model checks pull in the analysis engine, which serve's start-up does not need.
      const { collectDoctorReport } = await import('../cli/models.ts');
      const r = await collectDoctorReport(opts.dataDir);
      const llm = opts.chat?.llm;
      return {
        runtime: { node: r.node, platform: r.platform, cpus: r.cpus, onnxruntime: r.onnxruntime, threads: r.threads, sqlite: r.sqlite, sqliteVec: r.sqliteVec },
        providerOrder: r.providerOrder,
        modelsDir: r.modelsDir,
        models: r.models.map((m) => ({ name: m.name, version: m.version, licence: m.licence, sha256: m.sha256, provider: m.provider, fellBack: m.fellBack, loadMs: m.loadMs, error: m.error })),
        chat: llm ? { kind: 'model', url: llm.url, model: llm.model } : { kind: 'parser' },
      };
    },

    'search.query': async ({ text, offset, limit }) =>
      resultView(search.search(searchText(text), { offset: offset ?? 0, limit: Math.min(200, Math.max(1, limit ?? 50)) })),

    'playlists.list': async () => {
      searchText('');
      return playlists.list().map(playlistView);
    },

    'playlists.save': async ({ name, query }) => {
      if (typeof name !== 'string' || !name.trim() || name.length > 200 || /[\r\n]/.test(name)) throw new ServiceError('BAD_ARGS', 'a playlist name is one line of at most 200 characters');
      const parsed = parseQuery(searchText(query));
      if (parsed.clauses.length === 0 && !parsed.similarTo) throw new ServiceError('BAD_ARGS', `"${query}" has nothing to search for; the playlist was not saved`);
      const p = playlistView(playlists.save(name.trim(), parsed.text));
      emit('library.changed', { reason: 'playlist saved' });
      return p;
    },

    'playlists.open': async ({ name, offset, limit }) => {
      const p = playlistNamed(name);
      return { playlist: playlistView(p), result: resultView(search.search(p.query, { offset: offset ?? 0, limit: Math.min(200, Math.max(1, limit ?? 100)) })) };
    },

    'playlists.remove': async ({ name }) => {
      playlists.remove(playlistNamed(name).name);
      emit('library.changed', { reason: 'playlist removed' });
      return playlists.list().map(playlistView);
    },

    'playlists.export': async ({ name, format }) => {
      const p = playlistNamed(name);
      if (format !== 'm3u8' && format !== 'csv' && format !== 'json') throw new ServiceError('BAD_ARGS', "format must be 'm3u8', 'csv' or 'json'");
      const r = search.search(p.query, { limit: MAX_LIMIT });
      const base = p.name.replace(/[^\p{L}\p{N} ._-]+/gu, '_').slice(0, 80) || `playlist-${p.id}`;
      if (format === 'm3u8') return { fileName: `${base}.m3u8`, mime: 'audio/x-mpegurl', text: toM3u8(r.hits, { title: p.name }).text };
      if (format === 'csv') return { fileName: `${base}.csv`, mime: 'text/csv', text: toCsv(r.hits) };
      return { fileName: `${base}.json`, mime: 'application/json', text: toJson({ name: p.name, query: p.query, total: r.total, notes: r.notes, hits: r.hits }) };
    },

    'search.facets': async ({ text }) => {
      const f = search.facets(searchText(text));
      const groups = (['key', 'mode', 'tempo', 'device', 'decade', 'genre'] as const).map((name) => ({ name, values: f[name].map((v) => ({ value: String(v.value), count: v.count })) }));
      return { total: f.total, groups: groups.filter((g) => g.values.length > 0), notes: f.notes };
    },

    'chat.ask': async (a) => (await chat()).ask(a),
    'chat.conversations': async (a) => (await chat()).conversations(a),
    'chat.history': async (a) => (await chat()).history(a),

    'queue.status': async () => queue.status(),
    'queue.pause': async () => queue.pause(),
    'queue.resume': async () => queue.resume(),
    'queue.retry': async ({ trackIds }) => ({ queued: queue.retry(trackIdList(trackIds)) }),
    'queue.cancel': async ({ trackIds }) => ({ cancelled: queue.cancel(trackIdList(trackIds)) }),
    'queue.bump': async ({ trackId }) => ({ moved: queue.bump(detail(trackId).id) }),
    'queue.setConcurrency': async ({ workers }) => {
      const n = positiveInt(workers, 'workers');
      if (n > 64) throw new ServiceError('BAD_ARGS', 'workers must be 64 or fewer');
      return queue.setConcurrency(n);
    },
    'queue.setTranscribe': async ({ on }) => {
      if (typeof on !== 'boolean') throw new ServiceError('BAD_ARGS', 'on must be true or false');
      return queue.setTranscribe(on);
    },

    'deep.backends': async () => deep.backends(),
    'deep.addBackend': async (a) => deep.addBackend(a),
    'deep.removeBackend': async (a) => deep.removeBackend(a),
    'deep.optIn': async (a) => deep.optIn(a),
    'deep.optOut': async (a) => deep.optOut(a),
    'deep.caption': async (a) => deep.caption(a),
  };

  return {
    api,
    warmUp: () => pager.warm(),
    startQueue: () => queue.start(),
    close: async () => {
      clearTimeout(libraryTimer);
      libraryTimer = undefined;
      await queue.stop();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
