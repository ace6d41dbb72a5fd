// How a track's tempo curve moves, in words every writer (insight, report, chat) shares.
import type { RhythmResult } from '../types.ts';

/** Above this ratio of fastest to slowest local tempo the tempo changes (a mix, a medley) rather than drifts. */
export const TEMPO_CHANGE_RATIO = 1.25;

export interface TempoSpan {
  /** Slowest and fastest local tempo (BPM, rounded); both the global tempo when there is no curve. */
  lo: number;
  hi: number;
  /** 'steady': under 3 BPM apart; 'drifts': within TEMPO_CHANGE_RATIO; 'changes': beyond it. */
  kind: 'steady' | 'drifts' | 'changes';
}

/** The span of the tempo curve of `r` (its finite, positive points). */
export function tempoSpan(r: Pick<RhythmResult, 'bpm' | 'tempoCurve'>): TempoSpan {
  const curve = r.tempoCurve.map((p) => p.bpm).filter((b) => Number.isFinite(b) && b > 0);
  const bpm = Math.round(r.bpm);
  const lo = curve.length > 1 ? Math.round(Math.min(...curve)) : bpm;
  const hi = curve.length > 1 ? Math.round(Math.max(...curve)) : bpm;
  const kind = hi - lo < 3 ? 'steady' : hi / lo > TEMPO_CHANGE_RATIO ? 'changes' : 'drifts';
  return { lo, hi, kind };
}
