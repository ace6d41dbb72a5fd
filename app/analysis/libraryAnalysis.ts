// Analysing library tracks and keeping the results: every analyser's result is stored with its
// version, plus a summary row the library list and search read.
import { recheckCaptions } from '../deep/sources.ts';
import type { Store, TrackSummary } from '../store/index.ts';
import { vocalsVerdict } from './insight/top.ts';
import type { TrackAnalysis } from './types.ts';
import { similarityVector } from './vector/index.ts';

export type AnalyzeFile = (path: string) => Promise<TrackAnalysis>;

/** The summary of an analysis that the library shows and filters on. */
export function summarise(trackId: number, a: TrackAnalysis, now = Date.now()): TrackSummary {
  const kinds = [...new Set(a.theory.devices.map((d) => (d.kind === 'progression' || d.kind === 'cadence' ? `${d.kind}:${d.label}` : d.kind)))];
  return {
    trackId,
    bpm: a.rhythm.bpm,
    bpmConfidence: a.rhythm.confidence,
    meter: a.rhythm.meter,
    keyTonic: a.key.global.tonic,
    keyMode: a.key.global.mode,
    keyConfidence: a.key.confidence,
    keyChanges: Math.max(0, a.key.segments.length - 1),
    devices: kinds.sort(),
    analysedAt: now,
    loudnessLufs: a.loudness.integratedLufs,
    loudnessRange: a.loudness.loudnessRangeLu,
    truePeak: a.loudness.truePeakDbtp,
    replayGain: a.loudness.replayGainDb,
    energy: a.descriptors.energy.value,
    danceability: a.descriptors.danceability.value,
    acousticness: a.descriptors.acousticness.value,
    valence: a.descriptors.valence.value,
    arousal: a.descriptors.arousal.value,
    tempoClass: a.descriptors.tempoClass,
    tags: a.descriptors.tags.map((t) => ({ tag: t.tag, confidence: t.confidence })),
    form: a.form.summary || null,
    hasVocals: vocalsVerdict(a.sound.vocals),
    vocalPresence: a.sound.vocals.presence,
  };
}

/** The results stored one row each (with the version of what produced them). */
const RESULT_KEYS = ['frontend', 'rhythm', 'key', 'chords', 'theory', 'loudness', 'sound', 'form', 'descriptors', 'insight'] as const;
type ResultKey = (typeof RESULT_KEYS)[number];

/**
 * Saves an analysis of a track in one transaction: one row per result (with its version), the summary,
 * and the similarity vector (in the sqlite-vec table, and as its own versioned row).
 */
export function saveAnalysis(store: Store, trackId: number, a: TrackAnalysis): void {
  const vector = similarityVector(a);
  store.transaction(() => {
    for (const k of RESULT_KEYS) store.analyses.save(trackId, k, a.versions[k] ?? 0, a[k]);
    store.analyses.save(trackId, 'vector', a.versions.vector ?? 0, Array.from(vector));
    store.vectors.save(trackId, vector);
    store.analyses.save(trackId, 'meta', 1, { durationSec: a.durationSec, sampleRate: a.sampleRate, versions: a.versions, timings: a.timings });
    store.analyses.saveSummary(summarise(trackId, a));
    // Notes only when transcription ran: a failed transcription is stored as the 'notes' error.
    if (a.notes && 'error' in a.notes) store.analyses.saveError(trackId, 'notes', a.versions.notes ?? 0, a.notes.error);
    else if (a.notes) store.analyses.save(trackId, 'notes', a.versions.notes ?? 0, a.notes);
    // Stored model captions are judged again against the new measurements (nothing to do without them).
    // A failing re-check leaves the old judgements and never costs the analysis.
    try {
      recheckCaptions(store, trackId, a);
    } catch {
      /* the claims keep their earlier judgements until the next analysis */
    }
  });
}

/**
 * Reads a stored analysis back; undefined if the track has none, or an incomplete one (e.g. stored by
 * an older version without the engine-II results: such a track is re-queued by its versions).
 */
export function loadAnalysis(store: Store, trackId: number): TrackAnalysis | undefined {
  const rows = new Map(store.analyses.forTrack(trackId).map((r) => [r.analyser, r]));
  const meta = rows.get('meta')?.result as Pick<TrackAnalysis, 'durationSec' | 'sampleRate' | 'versions' | 'timings'> | undefined;
  if (!meta || RESULT_KEYS.some((k) => !rows.get(k)?.result)) return undefined;
  const result = <K extends ResultKey>(k: K) => rows.get(k)!.result as TrackAnalysis[K];
  return {
    ...meta,
    frontend: result('frontend'),
    rhythm: result('rhythm'),
    key: result('key'),
    chords: result('chords'),
    theory: result('theory'),
    loudness: result('loudness'),
    sound: result('sound'),
    form: result('form'),
    descriptors: result('descriptors'),
    insight: result('insight'),
  };
}

export interface LibraryAnalysisProgress {
  done: number;
  total: number;
  trackId: number;
  path: string;
  error?: string;
}

/**
 * Analyses the tracks that lack current results (or the given ones), one after another, saving each
 * as it completes: an interrupted run loses at most the track in progress. A track that fails is
 * recorded with its error and the run moves on.
 */
export async function analyseLibrary(
  store: Store,
  analyzeFile: AnalyzeFile,
  versions: Record<string, number>,
  opts: { trackIds?: number[]; force?: boolean; onProgress?: (p: LibraryAnalysisProgress) => void; signal?: AbortSignal } = {},
): Promise<{ analysed: number; failed: number }> {
  const ids = opts.trackIds ?? (opts.force ? store.tracks.list({ status: 'present' }).map((t) => t.id) : store.analyses.tracksNeeding(versions));
  let analysed = 0;
  let failed = 0;
  for (const [i, id] of ids.entries()) {
    opts.signal?.throwIfAborted();
    const track = store.tracks.byId(id);
    if (!track) continue;
    try {
      saveAnalysis(store, id, await analyzeFile(track.path));
      analysed++;
      opts.onProgress?.({ done: i + 1, total: ids.length, trackId: id, path: track.path });
    } catch (err) {
      const message = (err as Error).message;
      store.transaction(() => {
        for (const [name, version] of Object.entries(versions)) store.analyses.saveError(id, name, version, message);
      });
      failed++;
      opts.onProgress?.({ done: i + 1, total: ids.length, trackId: id, path: track.path, error: message });
    }
  }
  return { analysed, failed };
}
