// The default answerer (no language model): the intent parser picks a tool, the tool's text is
// the answer, its citations are the answer's citations. Nothing is written that a tool didn't return.
import { parseIntent, type Intent, type IntentContext } from './intent.ts';
import { titleOf, type ChatLibrary } from './library.ts';
import { CAPTION_NOTICE, compareTool, explainTool, modelCaptionTool, playlistTool, searchTool, statsTool, trackAnalysisTool } from './tools.ts';
import type { ChatAnswer, IntentKind, ToolResult } from './types.ts';

/** What to try, shown with help and when a question isn't understood (titles from the user's library). */
export function suggestions(lib: ChatLibrary): string[] {
  const titles = lib.tracks().map(titleOf).slice(0, 2);
  const a = titles[0] ?? 'a song title';
  const b = titles[1] ?? 'another title';
  return [
    `what key is ${a} in`,
    `where is the key change in ${a}`,
    `what are the chords in the chorus of ${a}`,
    `which is faster, ${a} or ${b}`,
    'what is modal interchange',
    'minor key songs around 90 bpm',
    'make a playlist of upbeat minor-key songs',
    'how many songs are in D major',
  ];
}

function fromTool(intent: IntentKind, r: ToolResult): ChatAnswer {
  return { text: r.text, citations: r.citations, intent, source: 'parser', notices: [], suggestions: [] };
}

/** Answers with a parsed intent. */
export function answerIntent(lib: ChatLibrary, intent: Intent): ChatAnswer {
  switch (intent.kind) {
    case 'track':
      return fromTool(intent.intent, trackAnalysisTool(lib, { track: intent.track.id, aspect: intent.aspect, section: intent.section, feeling: intent.feeling, meter: intent.meter }));
    case 'caption': {
      const r = modelCaptionTool(lib, { track: intent.track.id });
      return { ...fromTool('track-caption', r), notices: r.ok ? [CAPTION_NOTICE] : [] };
    }
    case 'compare':
      return fromTool('compare', compareTool(lib, { tracks: intent.tracks.map((t) => t.id), aspect: intent.aspect, direction: intent.direction }));
    case 'similar':
      return fromTool('similar', searchTool(lib, { query: `like ${intent.track.title ?? ''}`, limit: 5 }));
    case 'explain':
      return fromTool('explain', explainTool(lib, { concept: intent.concept }));
    case 'playlist':
      if (!intent.query) return { ...fromTool('playlist', playlistTool(lib, { query: '' })), suggestions: ['make a playlist of upbeat minor-key songs', 'make a playlist of waltzes called Three Beats'] };
      return fromTool('playlist', playlistTool(lib, { query: intent.query, name: intent.name }));
    case 'stats':
      return fromTool('stats', statsTool(lib, { query: intent.query, measure: intent.measure }));
    case 'search':
      return fromTool('search', searchTool(lib, { query: intent.query, limit: 10 }));
    case 'help':
      return {
        text: `I answer from your library's measurements (${lib.tracks().length} tracks) and cite the tracks and moments I used. Ask about one song (key, key changes, chords of a section, tempo, meter, form, harmonic devices, loudness, why it sounds sad), compare two songs, find songs in plain words, make a playlist, count things, or ask what a term means.`,
        citations: [],
        intent: 'help',
        source: 'parser',
        notices: [],
        suggestions: suggestions(lib),
      };
    case 'unknown':
      return {
        text: `${intent.reason} I can answer questions about your songs' key, key changes, chords, tempo, meter, form, harmony and sound; compare songs; find songs; make playlists; count; and explain terms. Try one of these:`,
        citations: [],
        intent: 'unknown',
        source: 'parser',
        notices: [],
        suggestions: suggestions(lib),
      };
  }
}

/** Answers a question with the deterministic parser. */
export function answerQuestion(lib: ChatLibrary, question: string, ctx: Omit<IntentContext, 'tracks'> = {}): ChatAnswer {
  return answerIntent(lib, parseIntent(question, { ...ctx, tracks: lib.tracks() }));
}
