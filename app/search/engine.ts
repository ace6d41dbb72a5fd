// Runs a parsed query against the store: each clause becomes SQL over track_summaries,
// search_evidence and search_text (FTS5); hits are ranked by the strength of their evidence and
// explained in one line with the evidence's timestamps. When the in-memory column index is current
// (columnIndex.ts) the same clauses filter, rank and count over typed arrays instead (columnScan.ts),
// with the same results, and SQL reads only the page.
import type { Statement } from 'better-sqlite3';
import { camelot, keyName } from '../analysis/key/names.ts';
import type { KeyResult } from '../analysis/types.ts';
import { captionMatches } from '../deep/sources.ts';
import { DeepRepo } from '../store/deepCaptions.ts';
import type { Db } from '../store/index.ts';
import { detectCapabilities, type Capabilities } from './capabilities.ts';
import { sharedColumnIndex, type ColumnIndex, type Columns } from './columnIndex.ts';
import { compileMatcher, facetCounts, presentRows, scanColumns, topMatches, type Matcher, type Matches } from './columnScan.ts';
import { DESCRIPTOR_WORDS, DEVICE_NAMES, clock } from './describe.ts';
import { ftsColumn, ftsPhrase } from './fts.ts';
import { parseQuery } from './parse.ts';
import type { Clause, ParsedQuery } from './query.ts';
import { DESCRIPTOR_RANGE, STRENGTH_HALF } from './scoring.ts';
import { resolveSeed } from './similar.ts';
import { SimilarityIndex } from './similarIndex.ts';
import { TEMPO_BANDS } from './vocabulary.ts';

export interface EvidenceSpan {
  start: number;
  end: number;
  confidence: number;
  label: string;
}

export interface SearchHit {
  trackId: number;
  path: string;
  title: string | null;
  artist: string | null;
  album: string | null;
  genre: string | null;
  year: number | null;
  durationSec: number | null;
  bpm: number | null;
  meter: string | null;
  key: string | null;
  camelot: string | null;
  /** Sum of the clauses' strengths (each 0..1) plus text relevance; higher is better. */
  score: number;
  /** Distance to the seed track of "like …" (smaller is closer), when asked. */
  distance?: number;
  /** One line: why this track matched. */
  why: string;
  /** Set when the words matched only a model caption (model text, not a measured fact). */
  unverified?: true;
  /** Where the evidence is heard (s), strongest clause first. */
  evidence: EvidenceSpan[];
}

export interface SearchResult {
  query: ParsedQuery;
  hits: SearchHit[];
  /** How many tracks match in all (hits is one page of them), counted up to COUNT_CAP. */
  total: number;
  /** Set when more than COUNT_CAP match: `total` is then a lower bound. */
  totalIsAtLeast?: boolean;
  /** What the user should know: ignored words, parts of the library not analysed yet, … */
  notes: string[];
}

export interface SearchOptions {
  limit?: number;
  offset?: number;
  /** Skip counting all matches (total = hits on this page + offset when unknown). */
  count?: boolean;
}

export interface FacetCount {
  value: string;
  count: number;
}

export interface Facets {
  /** Tracks matching the query. */
  total: number;
  key: FacetCount[];
  mode: FacetCount[];
  tempo: FacetCount[];
  device: FacetCount[];
  decade: FacetCount[];
  genre: FacetCount[];
  notes: string[];
}

export const DEFAULT_LIMIT = 20;
/** Matches are counted up to this many. */
export const COUNT_CAP = 10_000;
export const MAX_LIMIT = 100_000;

interface Plan {
  clause: Clause;
  index: number;
  /** Alias of the joined search_evidence row (positive devices and sections). */
  evidence?: string;
  /** Alias of a descriptor column in the select list. */
  value?: string;
}

interface Compiled {
  /** Candidate source: the first positive evidence, the summaries, full text or tracks, plus joins. */
  from: string;
  /** The track id column of `from`. */
  id: string;
  where: string[];
  score: string[];
  /** Columns the page's details add (evidence spans, descriptor values). */
  select: string[];
  /** An extra candidate column (text rank). */
  inner?: string;
  params: Record<string, unknown>;
  plans: Plan[];
}

/** Full-text candidates with their BM25 rank (column weights: title, artist, album, genre, tags, insight). */
const TEXT_RANK = 'bm25(search_text, 10.0, 8.0, 5.0, 4.0, 3.0, 1.0)';
const TEXT_SOURCE = `(SELECT rowid AS id, ${TEXT_RANK} AS rank FROM search_text WHERE search_text MATCH @text) ft`;

type Row = Record<string, unknown>;

/** Prepared statements the engine keeps (query shapes vary with the clauses). */
const STATEMENT_CACHE = 200;

/** At most this many caption matches per word are considered (model text ranks after every measured match). */
const CAPTION_CANDIDATES = 500;

/** Tracks whose words matched only in model captions, already passed through the query's other clauses. */
interface CaptionOnly {
  rows: Row[];
  compiled: Compiled;
  why: Map<number, string>;
}

/** A query's matches from the column index, with the BM25 ranks of its words (when searched). */
interface Scanned {
  cols: Columns;
  matcher: Matcher;
  rank: Float64Array | null;
  /** Every match (computed on first use). */
  readonly matches: Matches;
}

export interface EngineOptions {
  /**
   * Filter, rank and count on the in-memory column index (columnIndex.ts) when it is current (the
   * default); false answers every query in SQL. Both give the same results.
   */
  columns?: boolean;
}

/** The search service over one store connection (reads the schema once). */
export class SearchEngine {
  private caps: Capabilities;
  private readonly deep: DeepRepo;
  private readonly useColumns: boolean;
  private columnIndex: ColumnIndex | null = null;
  constructor(
    private readonly db: Db,
    opts: EngineOptions = {},
  ) {
    this.caps = detectCapabilities(db);
    this.deep = new DeepRepo(db);
    this.useColumns = opts.columns ?? true;
  }

  /** Re-reads what the store can answer (after analysis II lands in a running app). */
  refresh(): void {
    this.caps = detectCapabilities(this.db);
    this.vectorIndex = null;
    this.columnIndex = null;
  }

  private readonly statements = new Map<string, Statement>();

  /** A prepared statement of this connection, kept for reuse (at most STATEMENT_CACHE of them), in one result mode. */
  private stmt(sql: string, mode: 'rows' | 'pluck' | 'raw' = 'rows'): Statement {
    const key = `${mode} ${sql}`;
    let st = this.statements.get(key);
    if (!st) {
      if (this.statements.size >= STATEMENT_CACHE) this.statements.clear();
      st = this.db.prepare(sql);
      if (mode === 'pluck') st.pluck();
      if (mode === 'raw') st.raw();
      this.statements.set(key, st);
    }
    return st;
  }

  /** The column index when it is in use and current, else null (the query runs in SQL). */
  private columns(): Columns | null {
    if (!this.useColumns || !this.caps.searchTables) return null;
    this.columnIndex ??= sharedColumnIndex(this.db, this.caps.descriptors);
    return this.columnIndex.current();
  }

  /** The compiled query's clauses as a matcher over the column index; FTS5 answers its words. */
  private scan(cols: Columns, c: Compiled): Scanned {
    const sets = new Map<number, Uint8Array>();
    for (const plan of c.plans) {
      const x = plan.clause;
      if (x.kind !== 'field' && !(x.kind === 'text' && x.negate)) continue;
      const match = c.params[`p${plan.index}`] as string;
      sets.set(plan.index, x.kind === 'field' && x.field === 'genre' ? this.genreMask(cols, match) : this.textMask(cols, match));
    }
    let rank: Float64Array | null = null;
    if (c.inner) {
      // Ids and ranks as two single-column reads of one snapshot: far cheaper than rows of two columns.
      const [ids, ranks] = this.db.transaction((): [number[], number[]] => [
        this.stmt('SELECT rowid FROM search_text WHERE search_text MATCH ?', 'pluck').all(c.params.text) as number[],
        this.stmt(`SELECT ${TEXT_RANK} FROM search_text WHERE search_text MATCH ?`, 'pluck').all(c.params.text) as number[],
      ])();
      rank = new Float64Array(cols.size).fill(NaN);
      ids.forEach((id, i) => {
        const row = cols.rowOf(id);
        if (row >= 0) rank![row] = ranks[i]!;
      });
    }
    const matcher = compileMatcher(
      cols,
      c.plans.map((p) => p.clause),
      { sets, rank },
    );
    let matches: Matches | null = null;
    return {
      cols,
      matcher,
      rank,
      get matches() {
        matches ??= scanColumns(cols, matcher);
        return matches;
      },
    };
  }

  /**
   * A query of words only: the page in FTS5's BM25 order (rank ascending = score descending, then
   * id, as the SQL path orders), tracks that are not present skipped, and how many present tracks match.
   */
  private textOnlyPage(cols: Columns, c: Compiled, offset: number, limit: number): { page: Row[]; n: number } {
    return this.db.transaction(() => {
      const ids = this.stmt('SELECT rowid FROM search_text WHERE search_text MATCH ?', 'pluck').all(c.params.text) as number[];
      let n = 0;
      for (const id of ids) if (cols.rowOf(id) >= 0) n++;
      const read = offset + limit + (ids.length - n);
      const ranked = this.stmt(`SELECT rowid, ${TEXT_RANK} AS rank FROM search_text WHERE search_text MATCH ? ORDER BY 2, 1 LIMIT ?`, 'raw').all(c.params.text, read) as [number, number][];
      const page = ranked
        .filter(([id]) => cols.rowOf(id) >= 0)
        .slice(offset, offset + limit)
        .map(([id, rank]) => ({ id, score: -rank / (1.0 - rank), text_rank: rank }));
      return { page, n };
    })();
  }

  /** Rows whose full text matches an FTS5 query. */
  private textMask(cols: Columns, match: string): Uint8Array {
    const set = new Uint8Array(cols.size);
    for (const id of this.stmt('SELECT rowid FROM search_text WHERE search_text MATCH ?', 'pluck').all(match) as number[]) {
      const row = cols.rowOf(id);
      if (row >= 0) set[row] = 1;
    }
    return set;
  }

  private genreNames: Columns | null = null;

  /**
   * Rows whose genre matches a `genre : …` FTS5 query, asked of a temporary FTS5 table (same
   * tokenizer as search_text) holding each distinct genre once: a few dozen rows, not every track.
   */
  private genreMask(cols: Columns, match: string): Uint8Array {
    if (this.genreNames !== cols) {
      this.db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_genre_names USING fts5(genre, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3')`);
      this.db.prepare('DELETE FROM temp.search_genre_names').run();
      const ins = this.db.prepare('INSERT INTO temp.search_genre_names (rowid, genre) VALUES (?, ?)');
      this.db.transaction(() => cols.genres.forEach((g, code) => ins.run(code + 1, g)))();
      this.genreNames = cols;
    }
    const codes = new Uint8Array(cols.genres.length + 1);
    for (const rowid of this.stmt('SELECT rowid FROM temp.search_genre_names WHERE search_genre_names MATCH ?', 'pluck').all(match) as number[]) codes[rowid - 1] = 1;
    const set = new Uint8Array(cols.size);
    for (let r = 0; r < cols.size; r++) if (cols.genre[r]! >= 0 && codes[cols.genre[r]!] === 1) set[r] = 1;
    return set;
  }

  private vectorIndex: SimilarityIndex | null = null;

  /** The in-process copy of the similarity vectors, made on the first "like …" (caps.vectors is set). */
  private similarityIndex(): SimilarityIndex {
    this.vectorIndex ??= new SimilarityIndex(this.db, this.caps.vectors!);
    return this.vectorIndex;
  }

  get capabilities(): Capabilities {
    return this.caps;
  }

  search(input: string | ParsedQuery, opts: SearchOptions = {}): SearchResult {
    const query = typeof input === 'string' ? parseQuery(input) : input;
    const notes = [...query.notes];
    const limit = clampInt(opts.limit ?? DEFAULT_LIMIT, 1, MAX_LIMIT);
    const offset = clampInt(opts.offset ?? 0, 0, 1e9);
    if (!this.caps.searchTables) {
      notes.push('search tables are missing: this database predates search (migration 6)');
      return { query, hits: [], total: 0, notes };
    }
    const clauses = this.usableClauses(query.clauses, notes);
    if (clauses.length === 0 && !query.similarTo) {
      if (query.clauses.length === 0) notes.push('nothing to search for: try "minor key", "waltz", "modal interchange", "around 90 bpm" or an artist');
      return { query, hits: [], total: 0, notes };
    }

    let similar: Map<number, number> | null = null;
    let seedId: number | null = null;
    if (query.similarTo) {
      const cols = this.columns();
      const seed = resolveSeed(this.db, query.similarTo, cols ? (title) => cols.idsWithTitle(title) : undefined);
      if (!seed) notes.push(`no song matches "${query.similarTo}" to compare with`);
      else if (!this.caps.vectors) notes.push('"like …" needs the similarity vectors of analysis II, which this library does not have yet; it was ignored');
      else {
        seedId = seed.id;
        notes.push(`similar to "${seed.title ?? seed.path}"${seed.artist ? ` by ${seed.artist}` : ''}`);
        similar = new Map();
      }
      if (!similar && clauses.length === 0) return { query, hits: [], total: 0, notes };
    }

    const run = (withText: boolean): { rows: Row[]; total: number; capped?: boolean; plans: Plan[] } => {
      const c = this.compile(clauses, withText);
      const cols = this.columns();
      // Only words: FTS5 ranks and sorts them itself; JS reads the page and the count.
      if (cols && !similar && c.inner && clauses.every((x) => x.kind === 'text' && !x.negate)) {
        const { page, n } = this.textOnlyPage(cols, c, offset, limit);
        const total = opts.count === false ? offset + page.length : n;
        return { rows: this.details(c, page), total: Math.min(total, COUNT_CAP), capped: total > COUNT_CAP, plans: c.plans };
      }
      const fast = cols ? this.scan(cols, c) : null;
      // A matching row of the column index as the SQL path selects it.
      const pageRow = (f: Scanned, r: number, score: number): Row => ({ id: f.cols.ids[r]!, score, ...(f.rank ? { text_rank: f.rank[r]! } : {}) });
      const where = c.where.join(' AND ');
      const inner = `${c.id} AS id, ${scoreSql(c)} AS score${c.inner ? `, ${c.inner}` : ''}`;
      if (similar && seedId !== null) {
        // Exact cosine distances to every vector (one pass, app/search/similarIndex.ts), then the
        // nearest k checked against the filters in SQL, k widened until enough pass; past a quarter
        // of the library the filters run once over everything instead.
        const distances = this.similarityIndex().distancesTo(seedId);
        if (!distances) {
          if (!notes.some((n) => n.includes('no similarity vector'))) notes.push('that song has no similarity vector yet (it needs analysing with analysis II: linernotes analyze)');
          return { rows: [], total: 0, plans: c.plans };
        }
        const index = this.similarityIndex();
        const byDistance = (a: Row, b: Row) => similar!.get(a.id as number)! - similar!.get(b.id as number)! || (b.score as number) - (a.score as number) || (a.id as number) - (b.id as number);
        const want = limit + offset;
        for (let k = clauses.length === 0 ? want : Math.max(200, want * 10); ; k *= 8) {
          const everything = k * 4 >= index.size;
          const near = everything ? index.all(distances, seedId) : index.nearest(distances, k, seedId);
          similar.clear();
          for (const n of near) similar.set(n.id, n.distance);
          // Column index: only the neighbours are tested, not the library.
          const rows = fast
            ? near.flatMap((n) => {
                const row = fast.cols.rowOf(n.id);
                return row >= 0 && fast.matcher.test(row) ? [pageRow(fast, row, fast.matcher.score(row))] : [];
              })
            : (
            everything
              ? this.db.prepare(`SELECT ${inner} FROM ${c.from} WHERE ${where}`).all(c.params)
              : this.db.prepare(`SELECT ${inner} FROM ${c.from} WHERE ${where} AND ${c.id} IN (SELECT value FROM json_each(@simIds))`).all({ ...c.params, simIds: JSON.stringify([...similar.keys()]) })
          ).filter((r) => similar!.has((r as Row).id as number)) as Row[];
          if (rows.length >= want || everything) {
            rows.sort(byDistance);
            return { rows: this.details(c, rows.slice(offset, offset + limit)), total: rows.length, plans: c.plans };
          }
        }
      }
      // Without a score (only filters) the id order lets the scan stop at the page, and a separate count
      // stops past COUNT_CAP ("10,000+ match"). With a score every match is read to rank it anyway, so
      // the same pass counts them (count(*) OVER ()) instead of a second scan.
      if (fast) {
        const m = fast.matches;
        const n = m.rows.length;
        const page = Array.from(topMatches(m, offset + limit).subarray(offset), (i) => pageRow(fast, m.rows[i]!, m.scores ? m.scores[i]! : 0));
        const total = opts.count === false ? offset + page.length : n;
        return { rows: this.details(c, page), total: Math.min(total, COUNT_CAP), capped: total > COUNT_CAP, plans: c.plans };
      }
      const counted = c.score.length > 0 && opts.count !== false;
      const order = c.score.length ? 'score DESC, id' : c.id;
      const page = this.db
        .prepare(`SELECT ${inner}${counted ? ', count(*) OVER () AS matches' : ''} FROM ${c.from} WHERE ${where} ORDER BY ${order} LIMIT @limit OFFSET @offset`)
        .all({ ...c.params, limit, offset }) as Row[];
      const countAll = () => (this.db.prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM ${c.from} WHERE ${where} LIMIT ${COUNT_CAP + 1})`).get(c.params) as { n: number }).n;
      const total = opts.count === false ? offset + page.length : counted && page.length > 0 ? (page[0]!.matches as number) : countAll();
      return { rows: this.details(c, page), total: Math.min(total, COUNT_CAP), capped: total > COUNT_CAP, plans: c.plans };
    };

    let out = run(true);
    const textWords = clauses.filter((c) => c.kind === 'text' && !c.negate);
    const captionOnly = similar ? null : this.captionOnly(clauses);
    if (out.total === 0 && !captionOnly && textWords.length > 0 && (clauses.some((c) => c.kind !== 'text') || similar)) {
      // Words the library doesn't know should not hide what the rest of the query found.
      const relaxed = run(false);
      if (relaxed.total > 0) {
        notes.push(`no track also matches the words ${textWords.map((c) => `"${c.source}"`).join(', ')}; showing matches without them`);
        out = relaxed;
      }
    }
    const hits = out.rows.map((r) => this.toHit(r, out.plans, similar));
    this.addKeyEvidence(hits, out.plans);
    let total = out.total;
    // Caption-only matches come after every measured match: their place is known only when the measured total is.
    const measuredTotalKnown = !out.capped && (opts.count !== false || (out.rows.length < limit && (out.rows.length > 0 || offset === 0)));
    if (captionOnly && measuredTotalKnown) {
      const start = Math.max(0, offset - out.total);
      const page = captionOnly.rows.slice(start, start + (limit - hits.length));
      const extra = this.details(captionOnly.compiled, page).map((r) => {
        const h = this.toHit(r, captionOnly.compiled.plans, null);
        const measuredWhy = h.why === 'matches' ? [] : [h.why];
        return { ...h, why: [...measuredWhy, captionOnly.why.get(h.trackId)!].join(' · '), unverified: true as const };
      });
      this.addKeyEvidence(extra, captionOnly.compiled.plans);
      hits.push(...extra);
      total = Math.min(COUNT_CAP, out.total + captionOnly.rows.length);
      const n = captionOnly.rows.length;
      notes.push(`${n} track${n === 1 ? ' matches' : 's match'} the words only in model captions (model text, unverified), listed after the measured matches`);
    }
    return { query, hits, total, ...(out.capped ? { totalIsAtLeast: true } : {}), notes };
  }

  /**
   * Tracks whose model captions (app/deep) contain every positive word of the query and that pass
   * its other clauses on measurements, but do not match the words in tags or liner notes. Captions
   * only ever stand in for words: key, tempo, meter and the other filters stay measured-only.
   */
  private captionOnly(clauses: Clause[]): CaptionOnly | null {
    const words = clauses.filter((c): c is Extract<Clause, { kind: 'text' }> => c.kind === 'text' && !c.negate);
    if (words.length === 0 || !this.deep.available()) return null;
    let why: Map<number, string> | null = null;
    for (const w of words) {
      const next = new Map<number, string>();
      for (const h of captionMatches(this.deep, ftsPhrase(w.value, !w.phrase)!, CAPTION_CANDIDATES)) {
        if (!next.has(h.trackId) && (why === null || why.has(h.trackId))) next.set(h.trackId, why?.get(h.trackId) ?? h.why);
      }
      why = next;
      if (why.size === 0) return null;
    }
    const ids = JSON.stringify([...why!.keys()]);
    const within = (c: Compiled) => `SELECT ${c.id} AS id, ${scoreSql(c)} AS score FROM ${c.from} WHERE ${c.where.join(' AND ')} AND ${c.id} IN (SELECT value FROM json_each(@captionIds))`;
    const full = this.compile(clauses, true);
    const measured = new Set((this.db.prepare(within(full)).all({ ...full.params, captionIds: ids }) as Row[]).map((r) => r.id as number));
    const filters = this.compile(
      clauses.filter((c) => !(c.kind === 'text' && !c.negate)),
      false,
    );
    const passing = new Map((this.db.prepare(within(filters)).all({ ...filters.params, captionIds: ids }) as Row[]).map((r) => [r.id as number, r]));
    // In the captions' full-text order (BM25 of the last word), measured matches left out.
    const rows = [...why!.keys()].filter((id) => passing.has(id) && !measured.has(id)).map((id) => passing.get(id)!);
    return rows.length ? { rows, compiled: filters, why: why! } : null;
  }

  /**
   * Counts of the matching tracks by key, mode, tempo band, device, decade and genre (the whole
   * library for an empty query). "like …" is not applied to facets.
   */
  facets(input: string | ParsedQuery): Facets {
    const query = typeof input === 'string' ? parseQuery(input) : input;
    const notes = [...query.notes];
    const empty: Facets = { total: 0, key: [], mode: [], tempo: [], device: [], decade: [], genre: [], notes };
    if (!this.caps.searchTables) return empty;
    const clauses = this.usableClauses(query.clauses, notes);
    if (query.similarTo) notes.push('facets count the filters only; "like …" is not applied');
    const cols = this.columns();
    if (cols) {
      // One pass over the column index's rows that match (all present tracks for no clauses).
      const rows = clauses.length === 0 ? presentRows(cols) : this.scan(cols, this.compile(clauses, true)).matches.rows;
      const f = facetCounts(cols, rows);
      return {
        total: rows.length,
        key: f.key.map((r) => {
          const k = { tonic: Math.floor(r.value / 2), mode: r.value % 2 ? ('minor' as const) : ('major' as const) };
          return { value: `${keyName(k)} (${camelot(k)})`, count: r.count };
        }),
        mode: f.mode,
        tempo: f.tempo,
        device: f.device.map((r) => ({ value: DEVICE_NAMES[r.value as keyof typeof DEVICE_NAMES] ?? r.value, count: r.count })),
        decade: f.decade.map((r) => ({ value: `${r.value}s`, count: r.count })),
        genre: f.genre,
        notes,
      };
    }
    // Whole library (no clauses): each facet groups its own table's present rows straight from a
    // covering index. Otherwise the matching ids go once into a temporary table of this connection
    // (not the library file) and each facet counts its rows whose id is in it.
    const absent = "SELECT id FROM tracks WHERE status <> 'present'";
    let total: number;
    let scope: (id: string) => string;
    if (clauses.length === 0) {
      total = this.db.prepare("SELECT count(*) FROM tracks WHERE status = 'present'").pluck().get() as number;
      scope = (id) => `${id} NOT IN (${absent})`;
    } else {
      const c = this.compile(clauses, true);
      const where = c.where.join(' AND ');
      this.db.exec('CREATE TEMP TABLE IF NOT EXISTS search_facet_ids (id INTEGER PRIMARY KEY)');
      this.db.prepare('DELETE FROM temp.search_facet_ids').run();
      total = this.db.prepare(`INSERT OR IGNORE INTO temp.search_facet_ids SELECT ${c.id} FROM ${c.from} WHERE ${where}`).run(c.params).changes;
      scope = (id) => `${id} IN (SELECT id FROM temp.search_facet_ids)`;
    }
    const group = (sql: string) => (this.db.prepare(sql).all() as { value: string | number | null; count: number }[]).filter((r) => r.value !== null);
    const bands = TEMPO_BANDS.map((b) => `WHEN s.bpm < ${b.max} THEN '${b.band}'`).join(' ');
    const keyRows = group(
      `SELECT s.key_tonic * 2 + (s.key_mode = 'minor') AS value, count(*) AS count FROM track_summaries s WHERE s.key_tonic IS NOT NULL AND ${scope('s.track_id')} GROUP BY 1 ORDER BY 2 DESC, 1`,
    );
    return {
      total,
      key: keyRows.map((r) => {
        const k = { tonic: Math.floor(Number(r.value) / 2), mode: Number(r.value) % 2 ? ('minor' as const) : ('major' as const) };
        return { value: `${keyName(k)} (${camelot(k)})`, count: r.count };
      }),
      mode: group(`SELECT s.key_mode AS value, count(*) AS count FROM track_summaries s WHERE ${scope('s.track_id')} GROUP BY 1 ORDER BY 2 DESC, 1`) as FacetCount[],
      tempo: group(
        `SELECT CASE ${bands} END AS value, count(*) AS count FROM track_summaries s WHERE s.bpm IS NOT NULL AND ${scope('s.track_id')} GROUP BY 1 ORDER BY min(s.bpm)`,
      ) as FacetCount[],
      device: group(
        `SELECT x.concept AS value, count(*) AS count FROM search_evidence x WHERE x.concept NOT LIKE 'section:%' AND x.concept NOT IN ('form', 'vocals') AND ${scope('x.track_id')} GROUP BY 1 ORDER BY 2 DESC, 1`,
      ).map((r) => ({ value: DEVICE_NAMES[r.value as keyof typeof DEVICE_NAMES] ?? String(r.value), count: r.count })),
      decade: group(`SELECT (t.year / 10) * 10 AS value, count(*) AS count FROM tracks t WHERE t.year IS NOT NULL AND ${scope('t.id')} GROUP BY 1 ORDER BY 1`).map((r) => ({
        value: `${r.value}s`,
        count: r.count,
      })),
      genre: group(`SELECT t.genre AS value, count(*) AS count FROM tracks t WHERE t.genre IS NOT NULL AND t.genre <> '' AND ${scope('t.id')} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 50`) as FacetCount[],
      notes,
    };
  }

  /** Drops clauses the library cannot answer yet, saying why; descriptor words fall back to text. */
  private usableClauses(clauses: Clause[], notes: string[]): Clause[] {
    const out: Clause[] = [];
    for (const c of clauses) {
      if (c.kind === 'descriptor' && !this.caps.descriptors[c.descriptor]) {
        notes.push(`"${c.source}": ${c.descriptor} is not measured in this library yet (analysis II); searched as words instead`);
        const words = c.source.split(/\s+/).filter((w) => !/^(not|no|without|non)$/i.test(w));
        for (const w of words) out.push({ kind: 'text', value: w.toLowerCase(), phrase: false, negate: c.negate, source: w });
        continue;
      }
      if (c.kind === 'section' && !this.caps.form) {
        notes.push(`"${c.source}": song form is not analysed in this library yet (analysis II); ignored`);
        continue;
      }
      if (c.kind === 'text' && ftsPhrase(c.value) === null) {
        notes.push(`"${c.source}" has no letters or digits to search for; ignored`);
        continue;
      }
      if (c.kind === 'field' && ftsPhrase(c.value) === null) {
        notes.push(`${c.field}:"${c.value}" has no letters or digits to search for; ignored`);
        continue;
      }
      out.push(c);
    }
    return out;
  }

  private compile(clauses: Clause[], withText: boolean): Compiled {
    // Candidates and scores come from the narrowest index first (evidence of a device, then the
    // summaries, then full text) without touching `tracks`; the page of hits is read in full after.
    const measured = clauses.some((x) => x.kind === 'key' || x.kind === 'tempo' || x.kind === 'meter' || x.kind === 'descriptor' || ((x.kind === 'device' || x.kind === 'section') && x.negate));
    const firstEvidence = clauses.findIndex((x) => (x.kind === 'device' || x.kind === 'section') && !x.negate);
    const positiveText = withText ? clauses.filter((x) => x.kind === 'text' && !x.negate) : [];
    const c: Compiled = { from: '', id: '', where: [], score: [], select: [], params: {}, plans: [] };
    if (firstEvidence >= 0) {
      c.from = `search_evidence e${firstEvidence}`;
      c.id = `e${firstEvidence}.track_id`;
    } else if (measured) {
      c.from = 'track_summaries s';
      c.id = 's.track_id';
    } else if (positiveText.length) {
      c.from = TEXT_SOURCE;
      c.id = 'ft.id';
    } else {
      c.from = 'tracks t';
      c.id = 't.id';
    }
    const joinOn = (table: string, on: string) => {
      if (!c.from.startsWith(table)) c.from += ` JOIN ${table} ON ${on}`;
    };
    if (measured) joinOn('track_summaries s', `s.track_id = ${c.id}`);
    c.where.push(c.from.includes('tracks t') ? "t.status = 'present'" : `${c.id} NOT IN (SELECT id FROM tracks WHERE status <> 'present')`);
    clauses.forEach((clause, index) => {
      const p = `p${index}`;
      const plan: Plan = { clause, index };
      c.plans.push(plan);
      const neg = (cond: string) => (clause.negate ? `NOT (${cond})` : cond);
      switch (clause.kind) {
        case 'key': {
          const conds: string[] = [];
          if (clause.tonic !== null) {
            conds.push(`s.key_tonic = @${p}t`);
            c.params[`${p}t`] = clause.tonic;
          }
          if (clause.mode !== null) {
            conds.push(`s.key_mode = @${p}m`);
            c.params[`${p}m`] = clause.mode;
          }
          c.where.push(neg(conds.join(' AND ') || '1'));
          if (!clause.negate) c.score.push('coalesce(s.key_confidence, 0.5)');
          break;
        }
        case 'tempo': {
          c.where.push(neg(`s.bpm BETWEEN @${p}a AND @${p}b`));
          c.params[`${p}a`] = clause.min;
          c.params[`${p}b`] = clause.max;
          if (!clause.negate && clause.target !== null) {
            // Closeness to the asked tempo: 1 at the target, 0.5 at the edge of the range.
            c.params[`${p}t`] = clause.target;
            c.params[`${p}w`] = Math.max(1, (clause.max - clause.min) / 2);
            c.score.push(`max(0, 1 - 0.5 * abs(s.bpm - @${p}t) / @${p}w)`);
          } else if (!clause.negate) c.score.push('coalesce(s.bpm_confidence, 0.5)');
          break;
        }
        case 'meter': {
          // Literal IN list (not json_each), so the planner can use the meter index and its statistics.
          clause.meters.forEach((m, k) => (c.params[`${p}_${k}`] = m));
          c.where.push(neg(`s.meter IN (${clause.meters.map((_, k) => `@${p}_${k}`).join(', ')})`));
          break;
        }
        case 'device':
        case 'section': {
          const concept = clause.kind === 'device' ? clause.concept : `section:${clause.section}`;
          c.params[p] = concept;
          if (clause.negate) {
            if (clause.kind === 'section') c.where.push(`${c.id} IN (SELECT track_id FROM search_evidence WHERE concept = 'form')`);
            c.where.push(`${c.id} NOT IN (SELECT track_id FROM search_evidence WHERE concept = @${p})`);
          } else {
            const alias = `e${index}`;
            if (index === firstEvidence) c.where.push(`${alias}.concept = @${p}`);
            else c.from += ` JOIN search_evidence ${alias} ON ${alias}.concept = @${p} AND ${alias}.track_id = ${c.id}`;
            c.score.push(`(${alias}.strength / (${alias}.strength + ${STRENGTH_HALF}))`);
            c.select.push(`${alias}.spans AS ${alias}_spans`, `${alias}.seconds AS ${alias}_seconds`);
            plan.evidence = alias;
          }
          break;
        }
        case 'descriptor': {
          const col = this.caps.descriptors[clause.descriptor]!;
          const range = clause.descriptor === 'loudness' ? DESCRIPTOR_RANGE.loudness : DESCRIPTOR_RANGE.unit;
          const cond = clause.direction === 'high' ? `s."${col}" >= ${range.high}` : `s."${col}" <= ${range.low}`;
          c.where.push(clause.negate ? `(s."${col}" IS NOT NULL AND NOT (${cond}))` : cond);
          const alias = `d${index}`;
          c.select.push(`s."${col}" AS ${alias}`);
          plan.value = alias;
          if (!clause.negate) {
            const span = range.high - range.low;
            c.score.push(
              clause.direction === 'high'
                ? `min(1, 0.5 + 0.5 * (s."${col}" - ${range.high}) / ${Math.abs(span)})`
                : `min(1, 0.5 + 0.5 * (${range.low} - s."${col}") / ${Math.abs(span)})`,
            );
          }
          break;
        }
        case 'field': {
          c.params[p] = ftsColumn(clause.field, clause.value);
          c.where.push(`${c.id} ${clause.negate ? 'NOT IN' : 'IN'} (SELECT rowid FROM search_text WHERE search_text MATCH @${p})`);
          break;
        }
        case 'year': {
          c.params[`${p}a`] = clause.min;
          c.params[`${p}b`] = clause.max;
          // A set of ids from the year index (no reads of the track rows).
          const years = clause.negate ? `year IS NOT NULL AND NOT (year BETWEEN @${p}a AND @${p}b)` : `year BETWEEN @${p}a AND @${p}b`;
          c.where.push(`${c.id} IN (SELECT id FROM tracks WHERE ${years})`);
          break;
        }
        case 'text': {
          if (clause.negate) {
            c.params[p] = ftsPhrase(clause.value, !clause.phrase)!;
            c.where.push(`${c.id} NOT IN (SELECT rowid FROM search_text WHERE search_text MATCH @${p})`);
          }
          break;
        }
      }
    });
    if (positiveText.length) {
      joinOn(TEXT_SOURCE, `ft.id = ${c.id}`);
      c.params.text = positiveText.map((x) => (x.kind === 'text' ? ftsPhrase(x.value, !x.phrase) : '')).join(' AND ');
      c.score.push('(-ft.rank / (1.0 - ft.rank))');
      c.inner = 'ft.rank AS text_rank';
    }
    return c;
  }

  /** The page's hits in full: tags from `tracks`, measurements, and the evidence of each clause. */
  private details(c: Compiled, page: Row[]): Row[] {
    if (page.length === 0) return [];
    const joins = c.plans
      .filter((p) => p.evidence)
      .map((p) => `LEFT JOIN search_evidence ${p.evidence} ON ${p.evidence}.concept = @p${p.index} AND ${p.evidence}.track_id = x.id`)
      .join(' ');
    const params: Record<string, unknown> = { page: JSON.stringify(page.map((r) => r.id)) };
    for (const p of c.plans) if (p.evidence) params[`p${p.index}`] = c.params[`p${p.index}`];
    const rows = this.stmt(
        `SELECT x.id, t.path, t.title, t.artist, t.album, t.genre, t.year, t.duration, s.bpm, s.meter, s.key_tonic, s.key_mode, s.key_confidence, s.bpm_confidence
                ${c.select.length ? `, ${c.select.join(', ')}` : ''}
           FROM (SELECT value AS id FROM json_each(@page)) x JOIN tracks t ON t.id = x.id LEFT JOIN track_summaries s ON s.track_id = x.id ${joins}`,
    ).all(params) as Row[];
    const byId = new Map(rows.map((r) => [r.id as number, r]));
    return page.map((r) => ({ ...byId.get(r.id as number), ...r }));
  }

  private toHit(r: Row, plans: Plan[], similar: Map<number, number> | null): SearchHit {
    const key = r.key_tonic === null || r.key_tonic === undefined ? null : { tonic: r.key_tonic as number, mode: r.key_mode as 'major' | 'minor' };
    const why: string[] = [];
    const evidence: EvidenceSpan[] = [];
    const duration = (r.duration as number | null) ?? null;
    const whole = (label: string, confidence: number) => {
      if (duration) evidence.push({ start: 0, end: duration, confidence, label });
    };
    if (similar) {
      const d = similar.get(r.id as number);
      if (d !== undefined) why.push(`sounds similar (distance ${d.toFixed(3)})`);
    }
    for (const plan of plans) {
      const c = plan.clause;
      if (c.negate) {
        why.push(`no ${c.kind === 'device' ? DEVICE_NAMES[c.concept] : c.kind === 'section' ? c.section : c.source.replace(/^(not|no|without|non)\s+/i, '').replace(/^-/, '')}`);
        continue;
      }
      switch (c.kind) {
        case 'key':
          if (key) why.push(`${keyName(key)} (${camelot(key)}, key confidence ${num(r.key_confidence)})`);
          break;
        case 'tempo':
          if (r.bpm !== null) {
            why.push(`${(r.bpm as number).toFixed(0)} BPM${c.target !== null ? ` (asked ${c.target})` : ''}`);
            whole(`${(r.bpm as number).toFixed(0)} BPM`, (r.bpm_confidence as number) ?? 0);
          }
          break;
        case 'meter':
          why.push(`in ${String(r.meter)}`);
          whole(`meter ${String(r.meter)}`, 1);
          break;
        case 'device':
        case 'section': {
          const spans = JSON.parse(String(r[`${plan.evidence}_spans`])) as [number, number, number, string][];
          const name = c.kind === 'device' ? DEVICE_NAMES[c.concept] : c.section;
          const where = spans.slice(0, 3).map((s) => `${c.kind === 'device' ? `${s[3]} ` : ''}${clock(s[0])}–${clock(s[1])}`);
          why.push(`${name}: ${spans.length} × ${(r[`${plan.evidence}_seconds`] as number).toFixed(0)} s (${where.join('; ')}${spans.length > 3 ? '; …' : ''})`);
          for (const s of spans) evidence.push({ start: s[0], end: s[1], confidence: s[2], label: c.kind === 'device' ? `${name}: ${s[3]}` : c.section });
          break;
        }
        case 'descriptor': {
          const v = r[plan.value!] as number;
          why.push(`${DESCRIPTOR_WORDS[c.descriptor][c.direction]} (${c.descriptor} ${c.descriptor === 'loudness' ? `${v.toFixed(1)} LUFS` : v.toFixed(2)})`);
          whole(`${c.descriptor} ${v.toFixed(2)}`, 1);
          break;
        }
        case 'field':
          why.push(`${c.field}: ${String(r[c.field] ?? '')}`);
          break;
        case 'year':
          why.push(`from ${String(r.year)}`);
          break;
        case 'text':
          break;
      }
    }
    const words = plans.filter((p) => p.clause.kind === 'text' && !p.clause.negate).map((p) => p.clause.source);
    if (words.length && r.text_rank !== undefined) why.push(`matches ${words.map((w) => `"${w}"`).join(' ')}`);
    return {
      trackId: r.id as number,
      path: r.path as string,
      title: r.title as string | null,
      artist: r.artist as string | null,
      album: r.album as string | null,
      genre: r.genre as string | null,
      year: r.year as number | null,
      durationSec: duration,
      bpm: r.bpm as number | null,
      meter: r.meter as string | null,
      key: key ? keyName(key) : null,
      camelot: key ? camelot(key) : null,
      score: Math.round((r.score as number) * 1000) / 1000,
      ...(similar && similar.has(r.id as number) ? { distance: similar.get(r.id as number)! } : {}),
      why: why.join(' · ') || 'matches',
      evidence: evidence.sort((a, b) => a.start - b.start),
    };
  }

  /** The local-key segments that are evidence for a key clause (read for the page of hits only). */
  private addKeyEvidence(hits: SearchHit[], plans: Plan[]): void {
    const keyClauses = plans.map((p) => p.clause).filter((c): c is Extract<Clause, { kind: 'key' }> => c.kind === 'key' && !c.negate);
    if (keyClauses.length === 0 || hits.length === 0) return;
    const rows = this.stmt("SELECT track_id, result FROM analyses WHERE analyser = 'key' AND result IS NOT NULL AND track_id IN (SELECT value FROM json_each(?))").all(JSON.stringify(hits.map((h) => h.trackId))) as { track_id: number; result: string }[];
    const byTrack = new Map(rows.map((r) => [r.track_id, JSON.parse(r.result) as KeyResult]));
    for (const h of hits) {
      const k = byTrack.get(h.trackId);
      if (!k) continue;
      for (const seg of k.segments ?? []) {
        if (keyClauses.some((c) => (c.tonic === null || c.tonic === seg.key.tonic) && (c.mode === null || c.mode === seg.key.mode))) {
          h.evidence.push({ start: seg.start, end: seg.end, confidence: seg.confidence, label: `in ${keyName(seg.key)}` });
        }
      }
      h.evidence.sort((a, b) => a.start - b.start);
    }
  }
}

function scoreSql(c: Compiled): string {
  return c.score.length ? c.score.map((s) => `coalesce(${s}, 0)`).join(' + ') : '0';
}

function num(v: unknown): string {
  return typeof v === 'number' ? v.toFixed(2) : '–';
}

function clampInt(n: number, lo: number, hi: number): number {
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, Math.floor(n))) : lo;
}

/** Parses and runs one query (a convenience for callers without a long-lived engine). */
export function searchLibrary(db: Db, query: string, opts: SearchOptions = {}): SearchResult {
  return new SearchEngine(db).search(query, opts);
}
