import { statementCache, type Db } from './db.ts';

export interface StoredAnalysis {
  trackId: number;
  analyser: string;
  version: number;
  result: unknown;
  error: string | null;
  analysedAt: number;
}

export interface TrackSummary {
  trackId: number;
  bpm: number | null;
  bpmConfidence: number | null;
  meter: string | null;
  keyTonic: number | null;
  keyMode: 'major' | 'minor' | null;
  keyConfidence: number | null;
  keyChanges: number;
  /** Kinds of harmonic devices found, e.g. ['modal-interchange', 'modulation']. */
  devices: string[];
  analysedAt: number;
  // Analysis II (migration 004); absent or null when not measured.
  /** Integrated loudness (LUFS), loudness range (LU), true peak (dBTP), ReplayGain 2.0 track gain (dB). */
  loudnessLufs?: number | null;
  loudnessRange?: number | null;
  truePeak?: number | null;
  replayGain?: number | null;
  /** Descriptor values 0..1 (see app/analysis/descriptors). */
  energy?: number | null;
  danceability?: number | null;
  acousticness?: number | null;
  valence?: number | null;
  arousal?: number | null;
  tempoClass?: string | null;
  /** Tags with confidences, e.g. [{ tag: 'minor key', confidence: 0.8 }]. */
  tags?: { tag: string; confidence: number }[];
  /** Form summary, e.g. 'intro–verse–chorus–verse–chorus–outro'. */
  form?: string | null;
  /** Vocals judged present (true), absent (false) or not judged (null), and the vocal presence 0..1. */
  hasVocals?: boolean | null;
  vocalPresence?: number | null;
}

interface AnalysisRow {
  track_id: number;
  analyser: string;
  version: number;
  result: string | null;
  error: string | null;
  analysed_at: number;
}

/** Typed access to `analyses` (per-analyser results with versions) and `track_summaries`. */
export class AnalysesRepo {
  private readonly q: ReturnType<typeof statementCache>;
  constructor(db: Db) {
    this.q = statementCache(db);
  }

  save(trackId: number, analyser: string, version: number, result: unknown, now = Date.now()): void {
    this.q(
      `INSERT INTO analyses (track_id, analyser, version, result, error, analysed_at) VALUES (?, ?, ?, ?, NULL, ?)
       ON CONFLICT(track_id, analyser) DO UPDATE SET version = excluded.version, result = excluded.result, error = NULL, analysed_at = excluded.analysed_at`,
    ).run(trackId, analyser, version, JSON.stringify(result), now);
  }

  saveError(trackId: number, analyser: string, version: number, error: string, now = Date.now()): void {
    this.q(
      `INSERT INTO analyses (track_id, analyser, version, result, error, analysed_at) VALUES (?, ?, ?, NULL, ?, ?)
       ON CONFLICT(track_id, analyser) DO UPDATE SET version = excluded.version, result = NULL, error = excluded.error, analysed_at = excluded.analysed_at`,
    ).run(trackId, analyser, version, error, now);
  }

  forTrack(trackId: number): StoredAnalysis[] {
    return (this.q('SELECT * FROM analyses WHERE track_id = ? ORDER BY analyser').all(trackId) as AnalysisRow[]).map((r) => ({
      trackId: r.track_id,
      analyser: r.analyser,
      version: r.version,
      result: r.result === null ? null : JSON.parse(r.result),
      error: r.error,
      analysedAt: r.analysed_at,
    }));
  }

  /** Present tracks that lack a result of any of these analysers at these versions (what needs analysing). */
  tracksNeeding(versions: Record<string, number>, limit = -1): number[] {
    const names = Object.keys(versions);
    const wanted = names.map(() => '(a.analyser = ? AND a.version = ?)').join(' OR ');
    const rows = this.q(
      `SELECT t.id FROM tracks t JOIN roots r ON r.id = t.root_id
       WHERE t.status = 'present' AND r.status = 'online'
         AND (SELECT count(*) FROM analyses a WHERE a.track_id = t.id AND (${wanted})) < ?
       ORDER BY t.id LIMIT ?`,
    ).all(...names.flatMap((n) => [n, versions[n]!]), names.length, limit) as { id: number }[];
    return rows.map((r) => r.id);
  }

  saveSummary(s: TrackSummary): void {
    this.q(
      `INSERT OR REPLACE INTO track_summaries (track_id, bpm, bpm_confidence, meter, key_tonic, key_mode, key_confidence, key_changes, devices, analysed_at,
         loudness_lufs, loudness_range, true_peak, replay_gain, energy, danceability, acousticness, valence, arousal, tempo_class, tags, form, has_vocals, vocal_presence)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      s.trackId, s.bpm, s.bpmConfidence, s.meter, s.keyTonic, s.keyMode, s.keyConfidence, s.keyChanges, JSON.stringify(s.devices), s.analysedAt,
      s.loudnessLufs ?? null, s.loudnessRange ?? null, s.truePeak ?? null, s.replayGain ?? null,
      s.energy ?? null, s.danceability ?? null, s.acousticness ?? null, s.valence ?? null, s.arousal ?? null, s.tempoClass ?? null,
      JSON.stringify(s.tags ?? []), s.form ?? null, s.hasVocals === undefined || s.hasVocals === null ? null : s.hasVocals ? 1 : 0, s.vocalPresence ?? null,
    );
  }

  summary(trackId: number): TrackSummary | undefined {
    const r = this.q('SELECT * FROM track_summaries WHERE track_id = ?').get(trackId) as Record<string, unknown> | undefined;
    if (!r) return undefined;
    return {
      trackId: r.track_id as number,
      bpm: r.bpm as number | null,
      bpmConfidence: r.bpm_confidence as number | null,
      meter: r.meter as string | null,
      keyTonic: r.key_tonic as number | null,
      keyMode: r.key_mode as 'major' | 'minor' | null,
      keyConfidence: r.key_confidence as number | null,
      keyChanges: r.key_changes as number,
      devices: JSON.parse(r.devices as string) as string[],
      analysedAt: r.analysed_at as number,
      loudnessLufs: r.loudness_lufs as number | null,
      loudnessRange: r.loudness_range as number | null,
      truePeak: r.true_peak as number | null,
      replayGain: r.replay_gain as number | null,
      energy: r.energy as number | null,
      danceability: r.danceability as number | null,
      acousticness: r.acousticness as number | null,
      valence: r.valence as number | null,
      arousal: r.arousal as number | null,
      tempoClass: r.tempo_class as string | null,
      tags: JSON.parse(r.tags as string) as { tag: string; confidence: number }[],
      form: r.form as string | null,
      hasVocals: r.has_vocals === null ? null : r.has_vocals === 1,
      vocalPresence: r.vocal_presence as number | null,
    };
  }

  analysedCount(): number {
    return (this.q('SELECT count(*) AS n FROM track_summaries').get() as { n: number }).n;
  }
}
