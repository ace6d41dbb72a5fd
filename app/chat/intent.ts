// The deterministic intent parser: a question → which tool to run with which arguments. Track
// references are titles found in the question (fuzzy, diacritics-insensitive), or "this song" / "it"
// in a track-scoped chat or after an answer about one track.
import type { SectionLabel } from '../analysis/types.ts';
import { parseQuery } from '../search/parse.ts';
import type { Track } from '../store/index.ts';
import { findTerm } from './glossary.ts';
import { findMentions, normalise } from './library.ts';
import type { CompareAspect, TrackAspect } from './tools.ts';
import type { IntentKind } from './types.ts';

export type Intent =
  | { kind: 'track'; intent: IntentKind; track: Track; aspect: TrackAspect; section?: SectionLabel; feeling?: string; meter?: string }
  | { kind: 'compare'; tracks: Track[]; aspect: CompareAspect; direction: 'more' | 'less' }
  | { kind: 'caption'; track: Track }
  | { kind: 'similar'; track: Track }
  | { kind: 'explain'; concept: string }
  | { kind: 'playlist'; query: string; name?: string }
  | { kind: 'stats'; query?: string; measure?: 'key' | 'mode' | 'meter' | 'tempo' | 'device' | 'overview' }
  | { kind: 'search'; query: string }
  | { kind: 'help' }
  | { kind: 'unknown'; reason: string };

export interface IntentContext {
  tracks: readonly Track[];
  /** The track of a track-scoped chat. */
  scopeTrack?: Track;
  /** The one track the previous answer was about, for "it". */
  lastTrack?: Track;
}

const SECTION_WORDS: [RegExp, SectionLabel][] = [
  [/\bpre ?chorus\b/, 'pre-chorus'],
  [/\b(chorus|refrain|hook)\b/, 'chorus'],
  [/\bverses?\b/, 'verse'],
  [/\b(bridge|middle eight)\b/, 'bridge'],
  [/\bintro\b/, 'intro'],
  [/\b(outro|coda|ending)\b/, 'outro'],
  [/\b(instrumental|solo)\b/, 'instrumental'],
];

const COMPARE_WORDS: [RegExp, CompareAspect, 'more' | 'less'][] = [
  [/\b(faster|quicker|higher tempo|more bpm)\b/, 'tempo', 'more'],
  [/\bslower\b/, 'tempo', 'less'],
  [/\blouder\b/, 'loudness', 'more'],
  [/\bquieter|softer\b/, 'loudness', 'less'],
  [/\b(more energetic|more energy|higher energy)\b/, 'energy', 'more'],
  [/\b(calmer|less energetic|less energy)\b/, 'energy', 'less'],
  [/\b(happier|more cheerful|brighter|more upbeat|more positive)\b/, 'valence', 'more'],
  [/\b(sadder|darker|more melancholic|gloomier)\b/, 'valence', 'less'],
  [/\bmore danceable\b/, 'danceability', 'more'],
  [/\blonger\b/, 'duration', 'more'],
  [/\bshorter\b/, 'duration', 'less'],
];

const PRONOUN = /\b(this|that|the) (song|track|tune|piece|one)\b|\bit\b|\bits\b|\bthis\b/;

/** Understands one question. */
export function parseIntent(question: string, ctx: IntentContext): Intent {
  const raw = question.trim();
  const q = normalise(raw.replace(/(\d)\s*\/\s*(\d)/g, '$1over$2'));
  if (!q) return { kind: 'help' };
  if (/^(help|hi|hello|hey|what can you do|how do i use this|commands)\b/.test(q) && !/\bsong|track|key|tempo\b/.test(q)) return { kind: 'help' };

  const mentions = findMentions(raw, ctx.tracks);
  const named = mentions.map((m) => m.track);
  // Keywords are looked for outside the titles ("Waltz of the Lanterns" is not a meter question).
  const titleWords = new Set(named.flatMap((t) => normalise(t.title ?? '').split(' ')));
  const qk = named.length ? q.split(' ').filter((w) => !titleWords.has(w)).join(' ') : q;
  const pronounTrack = PRONOUN.test(q) ? (ctx.scopeTrack ?? ctx.lastTrack) : undefined;
  const subject: Track | undefined = named[0] ?? pronounTrack ?? ctx.scopeTrack;

  // Explanations: "what is modal interchange", "explain the andalusian cadence", "what does valence mean".
  const explain = /^(?:what s|what is|what are|whats|explain|define|definition of|meaning of|what does|what do|tell me about|what is meant by|describe)\s+(?:an?\s+|the\s+)?(.+?)(?:\s+mean|\s+means)?$/.exec(q);
  if (explain && named.length === 0) {
    const term = findTerm(explain[1]!) ?? findTerm(explain[1]!.replace(/\s+(in music|in harmony|in a song)$/, ''));
    if (term) return { kind: 'explain', concept: term.id };
  }

  // Playlists: "make a playlist of upbeat minor-key songs [called X]".
  const pl = /\b(?:make|create|build|save|generate|start|give me)\b.*?\bplaylist\b(?:\s+(?:of|with|for|from|called|named))?\s*(.*)$/.exec(q);
  if (pl) {
    const nameMatch = /\b(?:called|named)\s+["“]?(.+?)["”]?$/i.exec(raw);
    let query = pl[1]!.replace(/\b(?:called|named)\s+.*$/, '').trim();
    if (/^(called|named)\b/.test(pl[1]!)) query = '';
    if (!query && nameMatch) {
      const before = /playlist\s+(?:of|with|for|from)\s+(.+?)\s+(?:called|named)\b/i.exec(raw);
      query = before ? before[1]! : '';
    }
    return { kind: 'playlist', query: stripFiller(query), ...(nameMatch ? { name: nameMatch[1]!.trim() } : {}) };
  }

  // Statistics.
  if (/\b(how many|number of|count)\b/.test(q)) {
    const rest = q
      .replace(/^.*?\b(how many|number of|count)\b/, '')
      .replace(/\b(songs?|tracks?|pieces?|tunes?|are there|is there|do i have|have i got|in my library|in the library|my library|the library|library|there|are|is|do|does|have|i|of|the|with|which|that)\b/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    if (!rest) return { kind: 'stats', measure: 'overview' };
    const back = raw.replace(/^.*?\b(how many|number of|count)\b/i, '').replace(/\b(songs?|tracks?|are there|is there|do i have|in my library|in the library|are|are in|have)\b/gi, ' ').replace(/\?/g, ' ').trim();
    return { kind: 'stats', query: back };
  }
  const common = /\b(most|least) (common|frequent|popular|used)\s+(key|mode|meter|time signature|device|harmonic device|chord progression|progression)\b/.exec(q) ?? /\b(key|mode|meter|time signature|device)s?\b.*\b(most|least) (common|often|frequent)/.exec(q);
  if (common) {
    const word = common[3] ?? common[1]!;
    return { kind: 'stats', measure: /key/.test(word) ? 'key' : /mode/.test(word) ? 'mode' : /meter|time/.test(word) ? 'meter' : 'device' };
  }
  if (/\b(average|mean|typical) (tempo|bpm)\b|\b(fastest|slowest) (song|track)s?\b.*\b(library|have|in)\b|\btempo range\b/.test(q)) return { kind: 'stats', measure: 'tempo' };
  if (/\b(library (stats|statistics|overview|summary)|statistics|stats|how big is my library|how much music)\b/.test(q)) return { kind: 'stats', measure: 'overview' };

  // Comparisons: two named tracks.
  if (named.length >= 2 || (named.length === 1 && pronounTrack && /\b(compare|than|or|versus|vs)\b/.test(qk) && named[0]!.id !== pronounTrack.id)) {
    const tracks = named.length >= 2 ? named : [pronounTrack!, named[0]!];
    for (const [re, aspect, direction] of COMPARE_WORDS) if (re.test(qk)) return { kind: 'compare', tracks, aspect, direction };
    if (/\b(compare|comparison|difference|differ|versus|vs|similar|same)\b/.test(qk)) {
      if (/\bkey\b/.test(qk)) return { kind: 'compare', tracks, aspect: 'all', direction: 'more' };
      return { kind: 'compare', tracks, aspect: 'all', direction: 'more' };
    }
  }

  // "songs like X", "similar to this".
  if (subject && /\b(like|similar|sounds? like|more songs like|others like)\b/.test(qk) && /\b(songs?|tracks?|similar|like this|like it|find|more|other)\b/.test(qk) && !/\bwhat (is|s) .* like\b/.test(qk)) {
    return { kind: 'similar', track: subject };
  }

  // Questions about one track.
  if (subject && (named.length > 0 || pronounTrack || ctx.scopeTrack)) {
    const t = subject;
    // What the audio-language model wrote: "what does the model say about X", "Music Flamingo caption of X".
    if (/\b(music ?flamingo|flamingo|the (ai|model)( s|s)?|audio language model)\b/.test(qk) || /\b(model|ai)( s|s)? (caption|description|take|view|opinion)\b|\bcaptions?\b/.test(qk)) {
      return { kind: 'caption', track: t };
    }
    if (/\b(key change|change key|changes key|modulat\w*|key shift|shift key|new key)\b/.test(qk)) return { kind: 'track', intent: 'track-key-change', track: t, aspect: 'key-change' };
    if (/\b(chords?|harmony|progression|changes)\b/.test(qk) && !/\b(device|borrowed|interchange|secondary|cadence)\b/.test(qk)) {
      const section = SECTION_WORDS.find(([re]) => re.test(qk))?.[1];
      return { kind: 'track', intent: 'track-chords', track: t, aspect: 'chords', ...(section ? { section } : {}) };
    }
    const mood = /\bwhy\b.*\b(sound|feel|seem|so)\b\s*(\w+)?|\b(sound|feel)s?\s+(sad|happy|dark|bright|melanchol\w*|upbeat|gloomy|cheerful|moody|uplifting)\b/.exec(qk);
    if (mood || /\bmood\b/.test(qk)) {
      const feeling = /\b(sad|dark|melanchol\w*|gloomy|moody|sombre|somber|minor)\b/.exec(qk)?.[1] ?? /\b(happy|bright|upbeat|cheerful|uplifting|joyful|positive|energetic)\b/.exec(qk)?.[1] ?? 'sad';
      return { kind: 'track', intent: 'track-mood', track: t, aspect: 'mood', feeling };
    }
    const meterAsked = /\b(\d+)over(\d+)\b/.exec(qk);
    if (meterAsked || /\b(time signature|meter|metre|waltz|triple|compound)\b/.test(qk)) {
      const meter = meterAsked ? `${meterAsked[1]}/${meterAsked[2]}` : /\bwaltz|triple\b/.test(qk) ? '3/4' : undefined;
      return { kind: 'track', intent: 'track-meter', track: t, aspect: 'meter', ...(meter ? { meter } : {}) };
    }
    if (/\b(how fast|how slow|tempo|bpm|speed|beats per minute|fast|slow)\b/.test(qk)) return { kind: 'track', intent: 'track-tempo', track: t, aspect: 'tempo' };
    if (/\b(key|tonality|tonic|camelot|major|minor)\b/.test(qk)) return { kind: 'track', intent: 'track-key', track: t, aspect: 'key' };
    const sectionNamed = SECTION_WORDS.find(([re]) => re.test(qk))?.[1];
    if (sectionNamed && !/\b(form|structure|sections|arrangement)\b/.test(qk)) return { kind: 'track', intent: 'track-chords', track: t, aspect: 'chords', section: sectionNamed };
    if (/\b(form|structure|sections?|chorus|verse|bridge|intro|outro|arrangement)\b/.test(qk)) return { kind: 'track', intent: 'track-form', track: t, aspect: 'form' };
    if (/\b(devices?|borrowed|interchange|secondary|cadences?|theory|interesting|special|tricks?)\b/.test(qk)) return { kind: 'track', intent: 'track-devices', track: t, aspect: 'devices' };
    if (/\b(loud|loudness|lufs|peak|dynamics?|volume|master)\b/.test(qk)) return { kind: 'track', intent: 'track-loudness', track: t, aspect: 'loudness' };
    if (named.length > 0 && /\b(tell me|about|describe|what is|whats|what s|overview|summary|notes|analysis|analyse|analyze|like)\b/.test(qk)) return { kind: 'track', intent: 'track-overview', track: t, aspect: 'overview' };
    if (named.length > 0 && !qk.trim()) return { kind: 'track', intent: 'track-overview', track: t, aspect: 'overview' };
  }

  // Explanations without "what is": a bare term.
  const bare = findTerm(q);
  if (bare && named.length === 0) return { kind: 'explain', concept: bare.id };

  // Finding and filtering: the search parser.
  const searchText = stripFiller(raw);
  const parsed = parseQuery(searchText);
  const meaningful = parsed.clauses.filter((c) => c.kind !== 'text');
  if (parsed.similarTo || meaningful.length > 0) return { kind: 'search', query: searchText };
  if (/^(find|show|list|search|search for|play|give me|any|which songs|what songs|songs|tracks)\b/.test(q) && parsed.clauses.length > 0) return { kind: 'search', query: searchText };
  const aboutASong = /\b(key|tempo|bpm|how fast|chords?|meter|time signature|form|structure|chorus|verse|bridge|modulat\w*|sound)\b/.test(q) && /\b(is|of|in|does|did|for)\b/.test(q);
  const reason = named.length
    ? `I found “${named[0]!.title}” in your question but not what you want to know about it.`
    : aboutASong
      ? `I could not tell which song you mean: no title in your library (${ctx.tracks.length} tracks) matches the question.`
      : 'I did not understand the question.';
  return { kind: 'unknown', reason };
}

/** Drops the conversational words around a search ("show me", "songs that are", "please"). */
export function stripFiller(text: string): string {
  return text
    .replace(/[?!.]+$/g, '')
    .replace(/^\s*(please\s+)?(can you\s+|could you\s+)?(find|show|list|search for|search|play|give|get)(\s+me)?\s+/i, '')
    .replace(/^\s*(which|what|any|all|some)\s+(songs?|tracks?)\s+(are|is|have|has|use|uses|with|in)?\s*/i, '')
    .replace(/^\s*(songs?|tracks?|music)\s+(that are|that have|that use|which are|with|in|that|which)?\s*/i, '')
    .replace(/\s+(songs?|tracks?|music)\s*$/i, '')
    .replace(/\s+please\s*$/i, '')
    .trim();
}
