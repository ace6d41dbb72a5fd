// What the rest of the app reads from deep captions: full-text hits (always marked unverified),
// a track's caption as a chat source (unverified, with how its checkable claims fared), the
// disagreements the insight page shows, and re-checking stored captions after a new analysis.
import { loadAnalysis } from '../analysis/libraryAnalysis.ts';
import type { TrackAnalysis } from '../analysis/types.ts';
import { ftsPhrase } from '../search/fts.ts';
import type { Store } from '../store/index.ts';
import type { DeepCaption, DeepRepo } from '../store/deepCaptions.ts';
import type { SourcedCheck } from './check.ts';
import { checkDeepText } from './check.ts';
import { tally, type CheckTally } from './crosscheck/compare.ts';

/** A full-text hit in model text: never a measured fact. */
export interface CaptionHit {
  trackId: number;
  model: string;
  snippet: string;
  unverified: true;
  /** The why-line for a search result. */
  why: string;
}

/** Finds tracks whose caption, lyric sheet or answers contain the words (prefix match on the last). */
export function searchCaptions(store: Store, words: string, limit = 50): CaptionHit[] {
  const match = ftsPhrase(words);
  return match === null ? [] : captionMatches(store.deep, match, limit);
}

/** Caption hits for an FTS5 MATCH string (built with app/search/fts.ts); none without the deep tables. */
export function captionMatches(deep: DeepRepo, match: string, limit = 50): CaptionHit[] {
  if (!deep.available()) return [];
  return deep.searchText(match, limit).map((h) => ({
    trackId: h.trackId,
    model: h.model,
    snippet: h.snippet,
    unverified: true as const,
    why: `the ${h.model} caption says “${h.snippet}” (model text, unverified)`,
  }));
}

/** A track's newest caption as a source for chat: text with its standing, and a citation. */
export interface CaptionSource {
  trackId: number;
  model: string;
  createdAt: number;
  promptVersion: number;
  caption: string;
  lyrics: string | null;
  answers: { question: string; answer: string }[];
  tally: CheckTally;
  /** Claims that disagree with the measurements, as lines. */
  disagreements: string[];
  /** A readable text for a language model or the chat, saying plainly that it is unverified. */
  text: string;
  citation: { trackId: number; title: string; what: string };
}

export function captionSource(store: Store, trackId: number): CaptionSource | null {
  if (!store.deep.available()) return null;
  const cap: DeepCaption | undefined = store.deep.captions(trackId)[0];
  if (!cap) return null;
  const checks = cap.checks as SourcedCheck[];
  const t = tally(checks);
  const disagreements = checks.filter((c) => c.agreement === 'disagrees').map((c) => c.message);
  const title = store.tracks.byId(trackId)?.title ?? `track ${trackId}`;
  const standing = `${t.agrees} of ${checks.length} checkable claims agree with the measurements${disagreements.length ? `; ${disagreements.length} disagree` : ''}`;
  const text = [
    `Caption by the audio-language model ${cap.model} (unverified model text; ${standing}):`,
    cap.caption,
    ...(disagreements.length ? ['Where it disagrees with the measurements (trust the measurements):', ...disagreements.map((d) => `- ${d}`)] : []),
  ].join('\n');
  return {
    trackId,
    model: cap.model,
    createdAt: cap.createdAt,
    promptVersion: cap.promptVersion,
    caption: cap.caption,
    lyrics: cap.lyrics,
    answers: cap.answers.map((a) => ({ question: a.question, answer: a.answer })),
    tally: t,
    disagreements,
    text,
    citation: { trackId, title, what: `${cap.model} caption (unverified)` },
  };
}

/** The insight page's lines: each claim of the newest caption that disagrees or partly agrees. */
export function disagreementLines(store: Store, trackId: number): { agreement: 'disagrees' | 'partial'; message: string; quote: string }[] {
  if (!store.deep.available()) return [];
  const cap = store.deep.captions(trackId)[0];
  if (!cap) return [];
  return (cap.checks as SourcedCheck[])
    .filter((c): c is SourcedCheck & { agreement: 'disagrees' | 'partial' } => c.agreement === 'disagrees' || c.agreement === 'partial')
    .map((c) => ({ agreement: c.agreement, message: c.message, quote: c.quote }));
}

/**
 * Checks the track's stored captions again against its current analysis (after it was re-analysed;
 * pass the analysis just saved to skip reading it back). Returns how many changed. Without deep
 * tables or captions it only looks.
 */
export function recheckCaptions(store: Store, trackId: number, current?: TrackAnalysis): number {
  if (!store.deep.available()) return 0;
  const captions = store.deep.captions(trackId);
  if (captions.length === 0) return 0;
  const analysis = current ?? loadAnalysis(store, trackId);
  let n = 0;
  for (const cap of captions) {
    const checks = checkDeepText(cap.caption, cap.answers, analysis);
    if (JSON.stringify(checks) !== JSON.stringify(cap.checks)) {
      store.deep.saveChecks(cap.id, checks, analysis?.versions ?? null);
      n++;
    }
  }
  return n;
}
