// A parsed query run over the column index (columnIndex.ts): one pass that applies every clause as
// SQL's WHERE would (three-valued logic: a NULL column makes a condition unknown, and neither the
// condition nor its negation holds), sums the clauses' strengths in the SQL path's order and
// arithmetic (engine.ts compile()), then a bounded heap picks the page (score descending, id
// ascending). Full-text conditions come in as row masks and BM25 ranks read from FTS5 by the caller.
import type { Columns } from './columnIndex.ts';
import type { Clause } from './query.ts';
import { DESCRIPTOR_RANGE, STRENGTH_HALF } from './scoring.ts';
import { TEMPO_BANDS } from './vocabulary.ts';

/** What FTS5 answered for the query's words, per row of the index. */
export interface TextMatches {
  /** Clause index → rows whose text matches it (field clauses and negated words). */
  sets: Map<number, Uint8Array>;
  /** BM25 rank of the positive words per row (NaN: no match); null when they are not searched. */
  rank: Float64Array | null;
}

export interface Matches {
  /** Matching rows, ascending (= by track id). */
  rows: Int32Array;
  /** Score of each match (same positions), null when no clause scores (SQL's score 0). */
  scores: Float64Array | null;
}

const TRUE = 1;
const FALSE = 0;
const UNKNOWN = -1;
type Truth = typeof TRUE | typeof FALSE | typeof UNKNOWN;

/** SQL AND of two truth values. */
function and(a: Truth, b: Truth): Truth {
  return a === FALSE || b === FALSE ? FALSE : a === UNKNOWN || b === UNKNOWN ? UNKNOWN : TRUE;
}

type Test = (row: number) => boolean;
type Term = (row: number) => number;

/** A query compiled for the column index: whether a row matches, and its score when it does. */
export interface Matcher {
  test(row: number): boolean;
  /** The row's score (call only for a matching row); 0 when nothing scores. */
  score(row: number): number;
  /** False when no clause scores (SQL's score 0: matches come in id order). */
  scored: boolean;
}

/** Per column index, the arrays scans write into (one scan's result lives until the next scan). */
const scratch = new WeakMap<Columns, { rows: Int32Array; scores: Float64Array }>();

/**
 * The rows matching every clause, with their scores, in one pass over the index. The arrays are
 * views of buffers the next scan of the same index overwrites (no 100,000-row allocation per query).
 */
export function scanColumns(c: Columns, m: Matcher): Matches {
  let buffers = scratch.get(c);
  if (!buffers) scratch.set(c, (buffers = { rows: new Int32Array(c.size), scores: new Float64Array(c.size) }));
  const all = buffers.rows;
  let n = 0;
  for (let r = 0; r < c.size; r++) if (m.test(r)) all[n++] = r;
  const matched = all.subarray(0, n);
  if (!m.scored) return { rows: matched, scores: null };
  const scores = buffers.scores.subarray(0, n);
  for (let i = 0; i < n; i++) scores[i] = m.score(matched[i]!);
  return { rows: matched, scores };
}

/** Builds the row test and score of a query: each clause as SQL's WHERE and score terms would (engine.ts compile()). */
export function compileMatcher(c: Columns, clauses: Clause[], text: TextMatches): Matcher {
  const tests: Test[] = [];
  const terms: Term[] = [];
  // Rows of tracks that left since the index was loaded (columnIndex.ts) match nothing.
  if (c.absent > 0) tests.push((r) => c.present[r] === 1);
  // Measured clauses need the summary row (the SQL path joins track_summaries).
  const measured = clauses.some((x) => x.kind === 'key' || x.kind === 'tempo' || x.kind === 'meter' || x.kind === 'descriptor' || ((x.kind === 'device' || x.kind === 'section') && x.negate));
  if (measured) tests.push((r) => c.hasSummary[r] === 1);
  const none = new Float64Array(0);
  clauses.forEach((clause, index) => {
    // A WHERE condition holds when it is TRUE; its negation when the condition is FALSE.
    const holds = (cond: (row: number) => Truth): Test => (clause.negate ? (r) => cond(r) === FALSE : (r) => cond(r) === TRUE);
    switch (clause.kind) {
      case 'key': {
        const { tonic, mode } = clause;
        const modeCode = mode === null ? -2 : c.modes.indexOf(mode);
        const tonicCond = (r: number): Truth => (tonic === null ? TRUE : Number.isNaN(c.keyTonic[r]!) ? UNKNOWN : c.keyTonic[r] === tonic ? TRUE : FALSE);
        const modeCond = (r: number): Truth => (mode === null ? TRUE : c.keyMode[r]! < 0 ? UNKNOWN : c.keyMode[r] === modeCode ? TRUE : FALSE);
        tests.push(holds((r) => and(tonicCond(r), modeCond(r))));
        if (!clause.negate) terms.push((r) => orDefault(c.keyConfidence[r]!, 0.5));
        break;
      }
      case 'tempo': {
        const { min, max, target } = clause;
        tests.push(holds((r) => (Number.isNaN(c.bpm[r]!) ? UNKNOWN : c.bpm[r]! >= min && c.bpm[r]! <= max ? TRUE : FALSE)));
        if (!clause.negate && target !== null) {
          // Closeness to the asked tempo: 1 at the target, 0.5 at the edge of the range.
          const w = Math.max(1, (max - min) / 2);
          terms.push((r) => Math.max(0, 1 - (0.5 * Math.abs(c.bpm[r]! - target)) / w));
        } else if (!clause.negate) terms.push((r) => orDefault(c.bpmConfidence[r]!, 0.5));
        break;
      }
      case 'meter': {
        const wanted = new Set(clause.meters.map((m) => c.meters.indexOf(m)).filter((k) => k >= 0));
        tests.push(holds((r) => (c.meter[r]! < 0 ? UNKNOWN : wanted.has(c.meter[r]!) ? TRUE : FALSE)));
        break;
      }
      case 'device':
      case 'section': {
        const concept = clause.kind === 'device' ? clause.concept : `section:${clause.section}`;
        const strength = c.evidence.get(concept) ?? none;
        const has = (r: number) => r < strength.length && !Number.isNaN(strength[r]!);
        if (clause.negate) {
          if (clause.kind === 'section') {
            const form = c.evidence.get('form') ?? none;
            tests.push((r) => r < form.length && !Number.isNaN(form[r]!));
          }
          tests.push((r) => !has(r));
        } else {
          tests.push(has);
          terms.push((r) => strength[r]! / (strength[r]! + STRENGTH_HALF));
        }
        break;
      }
      case 'descriptor': {
        const values = c.descriptors[clause.descriptor];
        if (!values) {
          tests.push(() => false);
          break;
        }
        const range = clause.descriptor === 'loudness' ? DESCRIPTOR_RANGE.loudness : DESCRIPTOR_RANGE.unit;
        const high = clause.direction === 'high';
        tests.push(holds((r) => (Number.isNaN(values[r]!) ? UNKNOWN : (high ? values[r]! >= range.high : values[r]! <= range.low) ? TRUE : FALSE)));
        if (!clause.negate) {
          const span = Math.abs(range.high - range.low);
          terms.push(high ? (r) => Math.min(1, 0.5 + (0.5 * (values[r]! - range.high)) / span) : (r) => Math.min(1, 0.5 + (0.5 * (range.low - values[r]!)) / span));
        }
        break;
      }
      case 'field': {
        const set = text.sets.get(index)!;
        tests.push(clause.negate ? (r) => set[r] !== 1 : (r) => set[r] === 1);
        break;
      }
      case 'year': {
        const { min, max } = clause;
        const y = c.year;
        tests.push(clause.negate ? (r) => !Number.isNaN(y[r]!) && !(y[r]! >= min && y[r]! <= max) : (r) => y[r]! >= min && y[r]! <= max);
        break;
      }
      case 'text': {
        if (clause.negate) {
          const set = text.sets.get(index)!;
          tests.push((r) => set[r] !== 1);
        }
        break;
      }
    }
  });
  const rank = text.rank;
  if (rank) {
    tests.push((r) => !Number.isNaN(rank[r]!));
    terms.push((r) => -rank[r]! / (1.0 - rank[r]!));
  }

  return {
    test: (r) => {
      for (const t of tests) if (!t(r)) return false;
      return true;
    },
    // Summed left to right like SQL's a + b + c.
    score: (r) => {
      if (terms.length === 0) return 0;
      let s = terms[0]!(r);
      for (let k = 1; k < terms.length; k++) s += terms[k]!(r);
      return s;
    },
    scored: terms.length > 0,
  };
}

/** SQL's coalesce(value, fallback) for a column read as NaN-for-NULL. */
function orDefault(v: number, fallback: number): number {
  return Number.isNaN(v) ? fallback : v;
}

/**
 * Positions (into m.rows) of the first `want` matches in the SQL path's order: score descending then
 * id ascending, or id ascending when nothing scores. A bounded heap of `want` over one pass.
 */
export function topMatches(m: Matches, want: number): Int32Array {
  const n = m.rows.length;
  const k = Math.max(0, Math.min(Math.floor(want), n));
  if (!m.scores) return Int32Array.from({ length: k }, (_, i) => i);
  if (k === 0) return new Int32Array(0);
  const s = m.scores;
  // Positions ascend with the id, so ties go to the smaller position.
  const worse = (a: number, b: number) => s[a]! < s[b]! || (s[a] === s[b] && a > b);
  const heap = new Int32Array(k);
  let size = 0;
  for (let i = 0; i < n; i++) {
    if (size === k) {
      if (!worse(heap[0]!, i)) continue;
      heap[0] = i;
      for (let p = 0; ; ) {
        const l = 2 * p + 1;
        const r = l + 1;
        let w = p;
        if (l < size && worse(heap[l]!, heap[w]!)) w = l;
        if (r < size && worse(heap[r]!, heap[w]!)) w = r;
        if (w === p) break;
        [heap[p], heap[w]] = [heap[w]!, heap[p]!];
        p = w;
      }
    } else {
      heap[size] = i;
      for (let ch = size++; ch > 0; ) {
        const p = (ch - 1) >> 1;
        if (!worse(heap[ch]!, heap[p]!)) break;
        [heap[p], heap[ch]] = [heap[ch]!, heap[p]!];
        ch = p;
      }
    }
  }
  return heap.sort((a, b) => s[b]! - s[a]! || a - b);
}

/** Every row of a present track, ascending (a query without clauses). */
export function presentRows(c: Columns): Int32Array {
  if (c.absent === 0) return Int32Array.from({ length: c.size }, (_, i) => i);
  const rows = new Int32Array(c.size - c.absent);
  for (let r = 0, n = 0; r < c.size; r++) if (c.present[r] === 1) rows[n++] = r;
  return rows;
}

export interface RawFacets {
  /** tonic × 2 + (minor ? 1 : 0). */
  key: { value: number; count: number }[];
  mode: { value: string; count: number }[];
  tempo: { value: string; count: number }[];
  device: { value: string; count: number }[];
  decade: { value: number; count: number }[];
  genre: { value: string; count: number }[];
}

/** Facet counts over the given rows, grouped and ordered as the SQL path's GROUP BY queries. */
export function facetCounts(c: Columns, rows: Int32Array): RawFacets {
  const key = new Map<number, number>();
  const mode = new Map<number, number>();
  const tempo = new Map<number, { count: number; min: number }>();
  const decade = new Map<number, number>();
  const genre = new Map<number, number>();
  const minor = c.modes.indexOf('minor');
  const bump = <K>(m: Map<K, number>, k: K) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const r of rows) {
    if (c.hasSummary[r] === 1) {
      // NULL mode makes SQL's key value NULL: counted under no key.
      if (!Number.isNaN(c.keyTonic[r]!) && c.keyMode[r]! >= 0) bump(key, c.keyTonic[r]! * 2 + (c.keyMode[r] === minor ? 1 : 0));
      if (c.keyMode[r]! >= 0) bump(mode, c.keyMode[r]!);
      const bpm = c.bpm[r]!;
      if (!Number.isNaN(bpm)) {
        const band = TEMPO_BANDS.findIndex((b) => bpm < b.max);
        if (band >= 0) {
          const t = tempo.get(band);
          if (t) {
            t.count++;
            t.min = Math.min(t.min, bpm);
          } else tempo.set(band, { count: 1, min: bpm });
        }
      }
    }
    if (!Number.isNaN(c.year[r]!)) bump(decade, Math.trunc(c.year[r]! / 10) * 10);
    if (c.genre[r]! >= 0 && c.genres[c.genre[r]!] !== '') bump(genre, c.genre[r]!);
  }
  const device: { value: string; count: number }[] = [];
  for (const [concept, strength] of c.evidence) {
    if (concept.startsWith('section:') || concept === 'form' || concept === 'vocals') continue;
    let count = 0;
    for (const r of rows) if (!Number.isNaN(strength[r]!)) count++;
    if (count > 0) device.push({ value: concept, count });
  }
  const byCount = <T extends string | number>(a: { value: T; count: number }, b: { value: T; count: number }) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
  return {
    key: [...key].map(([value, count]) => ({ value, count })).sort(byCount),
    mode: [...mode].map(([m, count]) => ({ value: c.modes[m]!, count })).sort(byCount),
    tempo: [...tempo].sort((a, b) => a[1].min - b[1].min).map(([band, t]) => ({ value: TEMPO_BANDS[band]!.band as string, count: t.count })),
    device: device.sort(byCount),
    decade: [...decade].sort((a, b) => a[0] - b[0]).map(([value, count]) => ({ value, count })),
    genre: [...genre].map(([g, count]) => ({ value: c.genres[g]!, count })).sort(byCount).slice(0, 50),
  };
}
