// Shapes of the chat: an answer is text plus the tracks (and moments) it was read from.

/** One source of an answer: a track, and for a moment fact the span where it is heard (s). */
export interface Citation {
  trackId: number;
  title: string;
  start?: number;
  end?: number;
  /** What is cited, e.g. 'key', 'modulation', 'chorus chords'. */
  what?: string;
}

/** What the deterministic parser understood (also recorded with each answer). */
export type IntentKind =
  | 'search'
  | 'track-key'
  | 'track-key-change'
  | 'track-chords'
  | 'track-mood'
  | 'track-tempo'
  | 'track-meter'
  | 'track-form'
  | 'track-devices'
  | 'track-loudness'
  | 'track-overview'
  | 'track-caption'
  | 'similar'
  | 'compare'
  | 'explain'
  | 'playlist'
  | 'stats'
  | 'help'
  | 'unknown';

export interface ChatAnswer {
  text: string;
  citations: Citation[];
  intent: IntentKind;
  /** Who wrote the text: the built-in parser, or a language model checked against the tools. */
  source: 'parser' | 'model';
  /** Things the user should know: fallbacks, unverified statements, unanalysed tracks. */
  notices: string[];
  /** Questions worth trying next (always given when the question was not understood). */
  suggestions: string[];
}

/** A tool's answer: the facts (JSON for a model), a readable text, and the citations. */
export interface ToolResult {
  ok: boolean;
  data: unknown;
  text: string;
  citations: Citation[];
}
