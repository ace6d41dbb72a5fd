// The chat's view of the library: present tracks, their analyses (loaded once per question), and
// finding a track from the words of a question by its title (fuzzy, diacritics-insensitive).
import { loadAnalysis } from '../analysis/libraryAnalysis.ts';
import type { TrackAnalysis } from '../analysis/types.ts';
import type { Store, Track } from '../store/index.ts';

/** Lower case, diacritics removed (NFKD), punctuation as spaces, single spaces. */
export function normalise(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Levenshtein distance (Wagner–Fischer dynamic programme), stopping early above `max`. */
export function editDistance(a: string, b: string, max = 2): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]!);
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/** Words of a title that don't identify it on their own. */
const MINOR_WORDS = new Set(['the', 'a', 'an', 'of', 'on', 'in', 'and', 'to', 'at', 'for']);

export interface TrackMention {
  track: Track;
  /** Index of the first matched word in the question (order of mention). */
  position: number;
  /** Matched words, and whether every one matched exactly. */
  words: number;
  exact: boolean;
}

/** The tracks a question names, in the order they are mentioned (a title inside a longer one counts once). */
export function findMentions(question: string, tracks: readonly Track[]): TrackMention[] {
  const words = normalise(question).split(' ').filter(Boolean);
  const joined = words.join('');
  const found: TrackMention[] = [];
  for (const track of tracks) {
    const title = normalise(track.title ?? '');
    if (!title) continue;
    const tw = title.split(' ');
    const key = tw.filter((w) => !MINOR_WORDS.has(w));
    const need = key.length ? key : tw;
    // Exact run of the title's words.
    let pos = -1;
    for (let i = 0; i + tw.length <= words.length && pos < 0; i++) if (tw.every((w, k) => words[i + k] === w)) pos = i;
    if (pos >= 0) {
      found.push({ track, position: pos, words: tw.length, exact: true });
      continue;
    }
    // Fuzzy: every significant word present (one typo allowed in words of 5+ letters), close together.
    const hits: number[] = [];
    for (const w of need) {
      const allowed = w.length >= 5 ? 1 : 0;
      const at = words.findIndex((q, i) => !hits.includes(i) && (q === w || (allowed > 0 && editDistance(q, w, allowed) <= allowed)));
      if (at < 0) break;
      hits.push(at);
    }
    if (hits.length === need.length && Math.max(...hits) - Math.min(...hits) <= need.length + 1) {
      found.push({ track, position: Math.min(...hits), words: need.length, exact: false });
      continue;
    }
    // Written as one word ("rear view" for "Rearview", "secondwind").
    const squashed = tw.join('');
    if (squashed.length >= 6) {
      const at = joined.indexOf(squashed);
      if (at >= 0) found.push({ track, position: words.findIndex((_, i) => words.slice(0, i + 1).join('').length > at), words: tw.length, exact: false });
    }
  }
  // A shorter title matched inside a longer matched one ("Moon" inside "Malt Shop Moon") is dropped.
  const kept = found.filter(
    (m) => !found.some((o) => o !== m && o.words > m.words && m.position >= o.position && m.position < o.position + o.words),
  );
  kept.sort((a, b) => a.position - b.position || b.words - a.words);
  // One mention per position: the exact one, then the longest.
  const seen = new Set<number>();
  return kept
    .sort((a, b) => a.position - b.position || Number(b.exact) - Number(a.exact) || b.words - a.words)
    .filter((m) => (seen.has(m.position) ? false : (seen.add(m.position), true)));
}

/** The library as the chat reads it, for one question (analyses are loaded when first needed). */
export class ChatLibrary {
  private tracksCache: Track[] | null = null;
  private readonly analyses = new Map<number, TrackAnalysis | null>();
  constructor(readonly store: Store) {}

  tracks(): Track[] {
    this.tracksCache ??= this.store.tracks.list({ status: 'present' });
    return this.tracksCache;
  }

  track(id: number): Track | undefined {
    return this.tracks().find((t) => t.id === id);
  }

  analysis(id: number): TrackAnalysis | undefined {
    if (!this.analyses.has(id)) this.analyses.set(id, loadAnalysis(this.store, id) ?? null);
    return this.analyses.get(id) ?? undefined;
  }

  /** Tracks with a complete analysis, with it. */
  analysed(): { track: Track; analysis: TrackAnalysis }[] {
    const out: { track: Track; analysis: TrackAnalysis }[] = [];
    for (const track of this.tracks()) {
      const analysis = this.analysis(track.id);
      if (analysis) out.push({ track, analysis });
    }
    return out;
  }

  /** A track by title words (best mention) or by its id written as a number. */
  resolve(ref: string): Track | undefined {
    const asId = /^#?(\d+)$/.exec(ref.trim());
    if (asId) return this.track(Number(asId[1]));
    const mentions = findMentions(ref, this.tracks());
    return mentions.sort((a, b) => Number(b.exact) - Number(a.exact) || b.words - a.words)[0]?.track;
  }
}

/** The name a track is cited by. */
export function titleOf(t: Track): string {
  return t.title ?? t.path.split(/[\\/]/).pop() ?? `track ${t.id}`;
}
