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
      `INSERT OR REPLACE INTO track_summaries (track_id, bpm, bpm_confidence, meter, key_tonic, key_mode, key_confidence, key_changes, devices, analysed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(s.trackId, s.bpm, s.bpmConfidence, s.meter, s.keyTonic, s.keyMode, s.keyConfidence, s.keyChanges, JSON.stringify(s.devices), s.analysedAt);
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
    };
  }

  analysedCount(): number {
    return (this.q('SELECT count(*) AS n FROM track_summaries').get() as { n: number }).n;
  }
}
