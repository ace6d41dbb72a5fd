// The cross-check of a deep result: every claim in the caption and the answers parsed and compared
// with the stored measurements. The lyric sheet is not checked (we do not measure words).
import type { TrackAnalysis } from '../analysis/types.ts';
import type { DeepAnswer } from '../store/deepCaptions.ts';
import { parseClaims } from './crosscheck/claims.ts';
import { crossCheck, type CheckedClaim, type Measured } from './crosscheck/compare.ts';

/** A checked claim and where in the model's text it was found. */
export interface SourcedCheck extends CheckedClaim {
  /** 'caption' or 'answer:<question id>'. */
  source: string;
}

export function checkDeepText(caption: string, answers: readonly DeepAnswer[], analysis: Measured | TrackAnalysis | undefined): SourcedCheck[] {
  const out: SourcedCheck[] = crossCheck(parseClaims(caption), analysis).map((c) => ({ ...c, source: 'caption' }));
  // An answer is parsed with its question's topic in front ("key: A minor"), so a short answer
  // reads as the claim it answers.
  for (const a of answers) out.push(...crossCheck(parseClaims(`${a.id}: ${a.answer}`), analysis).map((c) => ({ ...c, source: `answer:${a.id}` })));
  return out;
}
