// Key profiles: how much each scale degree (0 = tonic … 11 = major seventh above it) is used in a key.
// Values as published (tonic first):
// - Krumhansl & Kessler (1982): probe-tone ratings.
// - Temperley (2007, "Music and Probability"), from the Kostka–Payne textbook excerpts: the
//   proportion of segments in which each degree occurs.
// - Albrecht & Shanahan (2013, Music Perception 31/1): pitch-class distributions of the stable
//   parts of pieces.
// - Temperley & de Clercq (2013, JNMR 42/3): the harmony of the Rolling Stone rock corpus, as
//   reported by Vuvan & Hughes (2021): pop/rock minor, where ♭VII is as common as V.
// The default ('combined') averages the Temperley, Albrecht–Shanahan and Temperley–de Clercq
// distributions, each normalised to sum 1: all three are usage counts (what chroma measures);
// Temperley's has the strongest leading tone in minor, Albrecht–Shanahan's the strongest
// tonic/dominant, de Clercq–Temperley's the natural-minor ♭7 of pop and rock. 'classical' leaves the
// rock profile out.
import { KEY_COUNT } from './names.ts';

export type ProfileName = 'krumhansl-kessler' | 'temperley' | 'albrecht-shanahan' | 'temperley-declercq' | 'combined' | 'classical';

interface ProfilePair {
  major: readonly number[];
  minor: readonly number[];
}

export const PROFILES: Record<Exclude<ProfileName, 'combined' | 'classical'>, ProfilePair> = {
  'krumhansl-kessler': {
    major: [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88],
    minor: [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17],
  },
  temperley: {
    major: [0.748, 0.06, 0.488, 0.082, 0.67, 0.46, 0.096, 0.715, 0.104, 0.366, 0.057, 0.4],
    minor: [0.712, 0.084, 0.474, 0.618, 0.049, 0.46, 0.105, 0.747, 0.404, 0.067, 0.133, 0.33],
  },
  'albrecht-shanahan': {
    major: [0.238, 0.006, 0.111, 0.006, 0.137, 0.094, 0.016, 0.214, 0.009, 0.08, 0.008, 0.081],
    minor: [0.22, 0.006, 0.104, 0.123, 0.019, 0.103, 0.012, 0.214, 0.062, 0.022, 0.061, 0.052],
  },
  'temperley-declercq': {
    major: [0.231, 0.002, 0.091, 0.004, 0.149, 0.111, 0.004, 0.193, 0.004, 0.126, 0.011, 0.076],
    minor: [0.202, 0.006, 0.102, 0.127, 0.047, 0.113, 0.005, 0.177, 0.046, 0.051, 0.09, 0.034],
  },
};

/** The mixtures: each member normalised to sum 1, then averaged. */
const MIXTURES: Record<'combined' | 'classical', readonly (keyof typeof PROFILES)[]> = {
  combined: ['temperley', 'albrecht-shanahan', 'temperley-declercq'],
  classical: ['temperley', 'albrecht-shanahan'],
};

function normalise(v: readonly number[]): number[] {
  const s = v.reduce((a, b) => a + b, 0);
  return v.map((x) => x / s);
}

/** A profile as a distribution over scale degrees (sums to 1). */
export function degreeDistribution(name: ProfileName, mode: 'major' | 'minor'): number[] {
  if (name === 'combined' || name === 'classical') {
    const members = MIXTURES[name].map((m) => normalise(PROFILES[m][mode]));
    return members[0]!.map((_, i) => members.reduce((a, m) => a + m[i]!, 0) / members.length);
  }
  return normalise(PROFILES[name][mode]);
}

/**
 * Log-probabilities of each pitch class under each of the 24 keys (24 × 12, row-major), for a
 * multinomial model of chroma mass (Temperley's Bayesian key finding): log P(chroma | key) =
 * Σ_pc mass[pc] · logProb[key][pc]. `floor` mixes in a uniform distribution so that chroma leakage
 * into a non-scale pitch class costs a bounded amount.
 */
export function keyLogProbabilities(name: ProfileName, floor = 0.1): Float64Array {
  const out = new Float64Array(KEY_COUNT * 12);
  for (const mode of ['major', 'minor'] as const) {
    const dist = degreeDistribution(name, mode).map((p) => (1 - floor) * p + floor / 12);
    for (let tonic = 0; tonic < 12; tonic++) {
      const row = (mode === 'major' ? 0 : 12) + tonic;
      for (let pc = 0; pc < 12; pc++) out[row * 12 + pc] = Math.log(dist[(pc - tonic + 12) % 12]!);
    }
  }
  return out;
}
