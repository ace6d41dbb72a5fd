// The typed query that plain-English search text is parsed into (see GRAMMAR.md).
import type { Mode } from '../analysis/types.ts';

/** A harmonic device, named progression or cadence as a search concept (rows of `search_evidence`). */
export type DeviceConcept =
  | 'modal-interchange'
  | 'secondary-dominant'
  | 'tritone-substitution'
  | 'modulation'
  | 'chromatic-mediant'
  | 'pedal-point'
  | 'picardy-third'
  | 'four-chord'
  | 'fifties'
  | 'andalusian'
  | 'ii-V-I'
  | 'plagal-cadence'
  | 'authentic-cadence';

export type SectionConcept = 'intro' | 'verse' | 'pre-chorus' | 'chorus' | 'bridge' | 'instrumental' | 'outro';

/** Measured descriptors of analysis II that words like "loud" or "sad" ask about. */
export type DescriptorName = 'loudness' | 'energy' | 'danceability' | 'acousticness' | 'valence' | 'arousal' | 'vocals';

export type TextField = 'title' | 'artist' | 'album' | 'genre';

interface ClauseBase {
  /** True for "without …", "not …", "no …", `-field:value`. */
  negate: boolean;
  /** The words of the query this clause came from. */
  source: string;
}

export type Clause =
  | (ClauseBase & { kind: 'key'; tonic: number | null; mode: Mode | null })
  | (ClauseBase & { kind: 'tempo'; min: number; max: number; target: number | null })
  | (ClauseBase & { kind: 'meter'; meters: string[] })
  | (ClauseBase & { kind: 'device'; concept: DeviceConcept })
  | (ClauseBase & { kind: 'section'; section: SectionConcept })
  | (ClauseBase & { kind: 'descriptor'; descriptor: DescriptorName; direction: 'high' | 'low' })
  | (ClauseBase & { kind: 'field'; field: TextField; value: string })
  | (ClauseBase & { kind: 'year'; min: number; max: number })
  | (ClauseBase & { kind: 'text'; value: string; phrase: boolean });

export type ClauseKind = Clause['kind'];

export interface ParsedQuery {
  /** The text as given (trimmed, at most MAX_QUERY_CHARS). */
  text: string;
  clauses: Clause[];
  /** "like <title>" / "similar to <title>": the title (or words) of the seed track. */
  similarTo: string | null;
  /** Things the parser wants the user to know (truncated input, a dangling "not", …). */
  notes: string[];
}

/** Longer queries are cut here (and the cut is noted): nobody types more, and it bounds the work. */
export const MAX_QUERY_CHARS = 500;
