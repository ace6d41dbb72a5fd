// Choosing the metrical level of the beat among the multiples and divisions of a tracked pulse, from how
// loud the attacks are on the beats compared with between them and on alternate beats.
import { maxAround } from './envelope.ts';
import { tempoPrior } from './tempo.ts';

export interface LevelRatios {
  /** Mean attack on the beats. */
  beat: number;
  /** Half-beat attacks over beat attacks. */
  half: number;
  /** The weaker of the 1/3 and 2/3 positions over the beats. */
  thirdsMin: number;
  /** Beats in pairs: the weaker phase over the stronger. */
  pairs: number;
  /** Beats in threes: the mean of the two weaker phases over the strongest. */
  triples: number;
}

/** Mean of x around each beat shifted by `frac` of the following interval. */
function meanAt(x: Float32Array, beats: readonly number[], frac: number): number {
  let s = 0;
  let n = 0;
  for (let b = 0; b + 1 < beats.length; b++) {
    s += maxAround(x, beats[b]! + frac * (beats[b + 1]! - beats[b]!));
    n++;
  }
  return n > 0 ? s / n : 0;
}

/** Mean of x on the beats of each phase modulo k, sorted from strongest to weakest. */
function phaseMeans(x: Float32Array, beats: readonly number[], k: number): number[] {
  const sum = new Array<number>(k).fill(0);
  const cnt = new Array<number>(k).fill(0);
  beats.forEach((f, i) => {
    sum[i % k]! += maxAround(x, f);
    cnt[i % k]!++;
  });
  return sum.map((s, i) => (cnt[i]! > 0 ? s / cnt[i]! : 0)).sort((a, b) => b - a);
}

/**
 * Accent ratios around a tracked beat grid (Gouyon & Herrera 2003, beat-segment recurrences; the
 * "accent" of Lerdahl & Jackendoff's metrical preference rules): do the points between beats carry
 * attacks as loud as the beats, and are alternate beats much weaker than their neighbours?
 */
export function levelRatios(attacks: Float32Array, beats: readonly number[]): LevelRatios {
  const beat = meanAt(attacks, beats, 0);
  const r: LevelRatios = { beat, half: 0, thirdsMin: 0, pairs: 1, triples: 1 };
  if (!(beat > 0) || beats.length < 6) return r;
  r.half = meanAt(attacks, beats, 1 / 2) / beat;
  r.thirdsMin = Math.min(meanAt(attacks, beats, 1 / 3), meanAt(attacks, beats, 2 / 3)) / beat;
  const p2 = phaseMeans(attacks, beats, 2);
  const p3 = phaseMeans(attacks, beats, 3);
  r.pairs = p2[0]! > 0 ? p2[1]! / p2[0]! : 1;
  r.triples = p3[0]! > 0 ? (p3[1]! + p3[2]!) / 2 / p3[0]! : 1;
  return r;
}

/** Attacks between beats this loud (relative) make the faster pulse the beat whatever the prior says (an even click track). */
const EQUAL = 0.9;
/** Between-beat attacks at least this loud make a faster pulse nearer the preferred tempo the beat. */
const PRESENT = 0.15;
/** Alternate beats at most this loud (relative) are not beats: the slower pulse is, if the prior does not object. */
const ABSENT = 0.25;
/** … where "does not object" means prior(slower) ≥ this × prior(current). */
const PRIOR_SLACK = 0.8;

/**
 * Tempo multiplier (2, 3, 1/2, 1/3 or 1) for the beat level, from the attack ratios and the tempo prior:
 * go faster when the between-beat attacks match the beats (or are clearly there and the faster tempo is
 * nearer the preferred one), slower when every other (or every second and third) beat has no attack.
 */
export function levelChange(r: LevelRatios, bpm: number, minBpm: number, maxBpm: number): number {
  if (!(r.beat > 0)) return 1;
  const prior = tempoPrior(bpm);
  if (2 * bpm <= maxBpm && (r.half >= EQUAL || (r.half >= PRESENT && tempoPrior(2 * bpm) > prior))) return 2;
  if (3 * bpm <= maxBpm && r.thirdsMin >= EQUAL) return 3;
  if (bpm / 2 >= minBpm && r.pairs <= ABSENT && tempoPrior(bpm / 2) >= PRIOR_SLACK * prior) return 1 / 2;
  if (bpm / 3 >= minBpm && r.triples <= ABSENT && tempoPrior(bpm / 3) >= PRIOR_SLACK * prior) return 1 / 3;
  return 1;
}
