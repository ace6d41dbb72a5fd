// Deep captions in words, for the track page's model-caption card and the Settings' model servers.
import type { CaptionCheckView, DeepTrackView, ModelServerView } from '../../../app/service/api.ts';

/** What each agreement is called in the cross-check table. */
export const AGREEMENT_WORD: Record<CaptionCheckView['agreement'], string> = {
  disagrees: 'disagrees',
  partial: 'partly agrees',
  agrees: 'agrees',
  unverifiable: 'unverifiable',
};

/** '0.93', or '–' when nothing was measured. */
export const confidenceText = (c: number | null): string => (c === null ? '–' : c.toFixed(2));

/** '1 disagrees · 2 agree · 1 unverifiable' (only the non-zero counts; 'no checkable claims' when none). */
export function tallyText(t: { agrees: number; partial: number; disagrees: number; unverifiable: number }): string {
  const parts = [
    t.disagrees ? `${t.disagrees} disagree${t.disagrees === 1 ? 's' : ''}` : '',
    t.partial ? `${t.partial} partly agree${t.partial === 1 ? 's' : ''}` : '',
    t.agrees ? `${t.agrees} agree${t.agrees === 1 ? 's' : ''}` : '',
    t.unverifiable ? `${t.unverifiable} unverifiable` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : 'no checkable claims';
}

/** What the card says about the track's deep job and opt-in, or '' when there is nothing to say. */
export function deepJobText(v: DeepTrackView): string {
  if (v.job?.state === 'running') return 'The model is analysing this track now.';
  if (v.job?.state === 'queued') return v.job.error ? `Queued again after an error: ${v.job.error}` : 'Queued for the model: it runs while `linernotes watch` (or `linernotes deep queue`) runs, after the measured analysis.';
  if (v.job?.state === 'failed') return `The model could not analyse this track: ${v.job.error ?? 'unknown error'}`;
  if (v.optedIn.root && !v.optedIn.track) return 'Opted in through its music folder.';
  return '';
}

/** 'up · 42 ms', 'up · 42 ms · serves a, b (not “m”)', or 'UNREACHABLE: …'. */
export function healthText(s: ModelServerView): string {
  const h = s.health;
  if (!h.ok) return `${h.code}: ${h.message}`;
  const models = h.models.length && !h.modelListed ? ` · serves ${h.models.join(', ')} (not “${s.model}”)` : '';
  return `up · ${h.ms} ms${models}`;
}
