// Repetition groups: which segments repeat the same material (pure functions).

/** A segment as a span of bar indices [from, to). */
export interface BarSpan {
  from: number;
  to: number;
}

/** Chroma (treble 12 + bass 12) rotated up by `t` semitones. */
function transpose(h: Float64Array, t: number): Float64Array {
  if (t === 0) return h;
  const out = new Float64Array(h.length);
  for (let part = 0; part < h.length; part += 12) for (let k = 0; k < 12; k++) out[part + ((k + t) % 12)] = h[part + k]!;
  return out;
}

/** Similarity kept for a transposed repeat (a chorus sung a step higher is still the chorus, a little less surely). */
const TRANSPOSED_WEIGHT = 0.9;
/** Segments shorter than this (bars) are only compared untransposed: two chords match too much when moved. */
const TRANSPOSE_MIN_BARS = 4;

/**
 * Bar-to-bar cosine similarity under each of the 12 transpositions: sims[t][i][j] = cos(x_i moved up
 * t semitones, x_j) (the transposition-invariant self-similarity of Müller & Clausen 2007).
 */
export function transposedSimilarities(bars: readonly Float64Array[]): Float64Array[][] {
  // cosine() written out with each vector's squared norm summed once (in the same order, so the same
  // values): the n² inner loops only take the dot products.
  const n = bars.length;
  const squares = (v: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
    return s;
  };
  const barSquares = bars.map(squares);
  return Array.from({ length: 12 }, (_, t) => {
    const moved = bars.map((b) => transpose(b, t));
    return moved.map((m) => {
      const mm = squares(m);
      const row = new Float64Array(n);
      if (!(mm > 1e-12)) return row;
      for (let j = 0; j < n; j++) {
        const b = bars[j]!;
        const bb = barSquares[j]!;
        if (!(bb > 1e-12)) continue;
        let mb = 0;
        for (let i = 0; i < m.length; i++) mb += m[i]! * b[i]!;
        row[j] = mb / Math.sqrt(mm * bb);
      }
      return row;
    });
  });
}

/**
 * Similarity of two segments' bar sequences: the best mean bar-by-bar similarity over alignments of the
 * shorter inside the longer and, for segments of 4 bars or more, over the 12 transpositions (transposed
 * matches weighted 0.9), lowered when one is under half the other's length.
 */
export function segmentSimilarity(sims: readonly Float64Array[][], a: BarSpan, b: BarSpan): number {
  const [short, long] = a.to - a.from <= b.to - b.from ? [a, b] : [b, a];
  const len = short.to - short.from;
  const slack = long.to - long.from - len;
  if (len <= 0) return 0;
  let best = 0;
  const shifts = len >= TRANSPOSE_MIN_BARS ? 12 : 1;
  for (let t = 0; t < shifts; t++) {
    const m = sims[t]!;
    for (let d = 0; d <= slack; d++) {
      let s = 0;
      for (let k = 0; k < len; k++) s += m[short.from + k]![long.from + d + k]!;
      const v = (s / len) * (t === 0 ? 1 : TRANSPOSED_WEIGHT);
      if (v > best) best = v;
    }
  }
  const ratio = len / (long.to - long.from);
  return best * (ratio >= 0.5 ? 1 : 0.5 + ratio);
}

/**
 * Average-linkage agglomerative clustering of segments by a similarity matrix: merge the two most
 * similar clusters while their average similarity is at least `threshold`. Returns a cluster index per
 * segment, numbered in order of first appearance.
 */
export function clusterSegments(sim: readonly Float64Array[], threshold: number): number[] {
  const n = sim.length;
  let clusters: number[][] = Array.from({ length: n }, (_, i) => [i]);
  const linkage = (x: number[], y: number[]) => {
    let s = 0;
    for (const i of x) for (const j of y) s += sim[i]![j]!;
    return s / (x.length * y.length);
  };
  for (;;) {
    let best = -Infinity;
    let pair: [number, number] | null = null;
    for (let p = 0; p < clusters.length; p++) {
      for (let q = p + 1; q < clusters.length; q++) {
        const v = linkage(clusters[p]!, clusters[q]!);
        if (v > best) [best, pair] = [v, [p, q]];
      }
    }
    if (!pair || best < threshold) break;
    const [p, q] = pair;
    clusters = clusters.filter((_, i) => i !== p && i !== q).concat([[...clusters[p]!, ...clusters[q]!]]);
  }
  const out = new Array<number>(n).fill(-1);
  let next = 0;
  for (let i = 0; i < n; i++) {
    if (out[i]! >= 0) continue;
    const c = clusters.find((cl) => cl.includes(i))!;
    for (const j of c) out[j] = next;
    next++;
  }
  return out;
}

/** 'A', 'B', … 'Z', then 'AA', 'AB', … for group index i. */
export function groupLetter(i: number): string {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return i < 26 ? letters[i]! : groupLetter(Math.floor(i / 26) - 1) + letters[i % 26]!;
}
