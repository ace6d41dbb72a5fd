// The analysis queue in words, for the status line and the Queue page.
import type { QueueStatusView } from '../../../app/service/api.ts';
import { clock } from './format.ts';

/** '12.5 tracks/min' (one decimal under 10), or '' before the first track has finished. */
export function rateText(q: QueueStatusView): string {
  if (q.tracksPerMinute === null) return '';
  const r = q.tracksPerMinute;
  return `${r < 10 ? r.toFixed(1) : Math.round(r)} tracks/min`;
}

/** '2:05 left', or '' while there is no rate to estimate from. */
export function etaText(q: QueueStatusView): string {
  return q.etaSeconds === null ? '' : `${clock(q.etaSeconds)} left`;
}

/** One line for the header: what the queue is doing now; '' when there is nothing to say. */
export function queueLine(q: QueueStatusView | null): string {
  if (!q) return '';
  if (q.state === 'running') {
    const parts = [`Analysing ${q.done} of ${q.total}`, rateText(q), etaText(q)].filter(Boolean);
    return parts.join(' · ');
  }
  const waiting = q.counts.queued;
  if (q.state === 'paused') return waiting ? `Analysis paused · ${waiting} waiting` : 'Analysis paused';
  if (q.state === 'elsewhere') return `Analysis runs in another Linernotes process (pid ${q.heldByPid})`;
  if (q.problem) return `Analysis stopped: ${q.problem}`;
  if (q.lastRun) return `Analysis: ${q.lastRun.analysed} analysed, ${q.lastRun.failed} failed`;
  return '';
}

/** The share of the current run that is finished (0..1), or null when nothing runs. */
export function queueFraction(q: QueueStatusView | null): number | null {
  if (!q || q.state !== 'running' || q.total === 0) return null;
  return q.done / q.total;
}
