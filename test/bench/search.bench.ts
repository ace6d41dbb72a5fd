/**
 * Search benchmark (`npm run bench:search [-- --tracks N] [--seed S] [--reps R] [--keep] [--catch-up]`).
 *
 * Fabricates a store of N analysed tracks (default 100,000; no audio): tags, summaries, a theory
 * result with harmonic devices, a key result with segments, descriptor tags and a similarity vector
 * per track, written through the real schema so the search triggers build the indexes. Then times
 * 30 mixed queries and 30 similarity queries ("like <title>", half of them with filters), each run R
 * times after one warm-up, and the facets of 10 queries. Prints p50/p95 per group as a table and
 * writes test/bench/results/search.json. Exits 0 even when a target is missed (a benchmark, not a test).
 *
 * With --catch-up it times only the column index keeping up with writes (searchCatchUp.ts beside this
 * file): a whole load against updates after 1 / 100 / 1,000 / 2,000 re-analysed tracks, written to
 * test/bench/results/search-catchup.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SearchEngine } from '../../app/search/engine.ts';
import { benchCatchUp, measure } from './searchCatchUp.ts';
import { ensureVec } from '../../app/search/similar.ts';
import { openStore } from '../../app/store/index.ts';
import { seededRandom } from '../fixtures/library.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RESULTS_FILE = path.join(REPO, 'test/bench/results/search.json');
const TARGETS = { queryP95Ms: 30, similarityP95Ms: 15 } as const;

const { values: args } = parseArgs({
  options: {
    tracks: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '7' },
    reps: { type: 'string', default: '5' },
    keep: { type: 'boolean', default: false },
    'catch-up': { type: 'boolean', default: false },
  },
});
const N = Number(args.tracks);
const REPS = Number(args.reps);
const rand = seededRandom(Number(args.seed));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const WORDS = 'love night blue river heart fire city light dream road rain summer moon shadow golden wild silver ocean storm paper glass echo velvet winter morning harbor midnight neon desert electric broken'.split(' ');
const GENRES = ['Rock', 'Pop', 'Jazz', 'Soul', 'Folk', 'Electronic', 'Hip Hop', 'Country', 'Classical', 'Blues', 'Alternative Rock', 'Indie Pop', 'Metal', 'Reggae', 'Funk', 'Ambient', 'Latin', 'R&B', 'Punk', 'Disco'];
const METERS = ['4/4', '4/4', '4/4', '4/4', '4/4', '4/4', '3/4', '6/8', '2/4', '12/8'];
const DEVICES: [string, number, (key: string) => Record<string, unknown>][] = [
  ['modal-interchange', 0.22, (k) => ({ label: `♭VI borrowed from the parallel minor`, detail: { key: k } })],
  ['secondary-dominant', 0.3, () => ({ label: 'V7/V → V' })],
  ['modulation', 0.15, () => ({ label: 'Direct modulation up a whole step' })],
  ['chromatic-mediant', 0.08, () => ({ label: 'Chromatic mediant I → ♭VI' })],
  ['pedal-point', 0.06, () => ({ label: 'Tonic pedal' })],
  ['picardy-third', 0.03, () => ({ label: 'Picardy third' })],
  ['tritone-substitution', 0.04, () => ({ label: '♭II7 for V7' })],
  ['progression', 0.2, () => ({ label: 'I–V–vi–IV', detail: { family: 'four-chord' } })],
  ['progression', 0.05, () => ({ label: '50s progression', detail: { family: 'fifties' } })],
  ['progression', 0.06, () => ({ label: 'Andalusian cadence', detail: { family: 'andalusian' } })],
  ['progression', 0.12, () => ({ label: 'ii–V–I', detail: { family: 'ii-V-I' } })],
  ['cadence', 0.7, () => ({ label: 'Authentic cadence', detail: { type: 'authentic' } })],
  ['cadence', 0.15, () => ({ label: 'Plagal cadence', detail: { type: 'plagal' } })],
];
const TAGS = ['minor key', 'major key', 'waltz', 'loud master', 'slow', 'fast', 'modal interchange', 'key change', 'acoustic', 'electronic', 'danceable', 'calm'];
const DIM = 64;

function fabricate(dataDir: string): { titles: string[]; artists: string[]; vectorNote: string } {
  const store = openStore(dataDir);
  const db = store.db;
  ensureVec(db);
  let vecTable = (db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE '%vec0%'").get() as { name: string; sql: string } | undefined) ?? null;
  let vectorNote = `analysis II's vec0 table ${vecTable?.name ?? ''}`;
  if (!vecTable) {
    // Analysis II's vector table has not landed: a stand-in vec0 table of the same kind.
    db.exec(`CREATE VIRTUAL TABLE bench_track_vectors USING vec0(track_id integer primary key, embedding float[${DIM}])`);
    vecTable = { name: 'bench_track_vectors', sql: '' };
    vectorNote = `stand-in vec0 table (analysis II's has not landed), ${DIM} dims`;
  }
  const dims = Number(/float\[(\d+)\]/.exec(vecTable.sql)?.[1] ?? DIM);
  const vecCols = /USING\s+vec0\s*\(([\s\S]*)\)/i.exec(vecTable.sql)?.[1] ?? 'track_id integer primary key, embedding float[64]';
  const idCol = /([A-Za-z_]\w*)\s+integer\s+primary\s+key/i.exec(vecCols)?.[1] ?? 'rowid';
  const embCol = /([A-Za-z_]\w*)\s+float\s*\[/i.exec(vecCols)?.[1] ?? 'embedding';

  const now = Date.now();
  const root = db.prepare("INSERT INTO roots (path, status, added_at) VALUES ('/bench/music', 'online', ?)").run(now).lastInsertRowid;
  const artists = Array.from({ length: 5000 }, () => `${pick(WORDS)[0]!.toUpperCase()}${pick(WORDS).slice(1)} ${pick(['Harbor', 'Vale', 'Quartet', 'Revue', 'Mercer', 'Okafor', 'Moreau', 'Ferrer', 'Lights', 'Collective'])}`);
  const titles: string[] = [];
  const insTrack = db.prepare(
    `INSERT INTO tracks (root_id, path, size, mtime_ms, fingerprint, container, codec, duration, title, artist, album, year, genre, added_at, updated_at)
     VALUES (?, ?, 1, 1, ?, 'FLAC', 'FLAC', ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insSummary = db.prepare(
    `INSERT INTO track_summaries (track_id, bpm, bpm_confidence, meter, key_tonic, key_mode, key_confidence, key_changes, devices, analysed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insAnalysis = db.prepare('INSERT INTO analyses (track_id, analyser, version, result, error, analysed_at) VALUES (?, ?, 1, ?, NULL, ?)');
  // Analysis II's descriptor columns (migration 4), when the schema has them.
  const summaryCols = new Set((db.prepare('PRAGMA table_info(track_summaries)').all() as { name: string }[]).map((c) => c.name));
  const insDescriptors = summaryCols.has('valence')
    ? db.prepare('UPDATE track_summaries SET energy = ?, danceability = ?, acousticness = ?, valence = ?, arousal = ?, loudness_lufs = ?, vocal_presence = ? WHERE track_id = ?')
    : null;
  const insVec = db.prepare(`INSERT INTO "${vecTable.name}" (${idCol}, ${embCol}) VALUES (?, ?)`);
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const title = `${pick(WORDS)} ${pick(WORDS)}${rand() < 0.3 ? ` ${pick(WORDS)}` : ''}`.replace(/^./, (c) => c.toUpperCase());
      titles.push(title);
      const artist = pick(artists);
      const duration = 120 + rand() * 240;
      const id = Number(insTrack.run(root, `/bench/music/${artist}/${i}.flac`, `fp${i}`, duration, title, artist, `${pick(WORDS)} ${pick(WORDS)}`, 1950 + Math.floor(rand() * 75), pick(GENRES), now, now).lastInsertRowid);
      const tonic = Math.floor(rand() * 12);
      const mode = rand() < 0.6 ? 'major' : 'minor';
      const devices: Record<string, unknown>[] = [];
      const keyName = `${tonic} ${mode}`;
      for (const [kind, p, make] of DEVICES) {
        if (rand() >= p) continue;
        const n = 1 + Math.floor(rand() * 4);
        for (let k = 0; k < n; k++) {
          const start = rand() * (duration - 10);
          devices.push({ kind, start, end: start + 2 + rand() * 8, confidence: 0.5 + rand() * 0.5, chordIndices: [], ...make(keyName) });
        }
      }
      const modulates = devices.some((d) => d.kind === 'modulation');
      insSummary.run(id, 60 + rand() * 120, 0.5 + rand() * 0.5, pick(METERS), tonic, mode, 0.4 + rand() * 0.6, modulates ? 1 : 0, '[]', now);
      if (insDescriptors) insDescriptors.run(rand(), rand(), rand(), rand(), rand(), -30 + rand() * 26, rand(), id);
      insAnalysis.run(id, 'theory', JSON.stringify({ romans: [], devices }), now);
      const segments = [{ start: 0, end: duration, key: { tonic, mode }, confidence: 0.9 }];
      insAnalysis.run(id, 'key', JSON.stringify({ global: { tonic, mode }, confidence: 0.9, segments }), now);
      insAnalysis.run(id, 'descriptors', JSON.stringify({ tags: [{ tag: pick(TAGS), confidence: 0.8 }, { tag: pick(TAGS), confidence: 0.6 }] }), now);
      const v = new Float32Array(dims);
      for (let d = 0; d < dims; d++) v[d] = rand() * 2 - 1;
      insVec.run(BigInt(id), Buffer.from(v.buffer));
    }
  });
  for (let i = 0; i < N; i += 5000) {
    batch(i, Math.min(N, i + 5000));
    process.stderr.write(`\rfabricated ${Math.min(N, i + 5000)} / ${N} tracks`);
  }
  process.stderr.write('\n');
  db.exec('ANALYZE');
  store.close();
  return { titles, artists, vectorNote };
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** CPU time of this process per run (ms): what the run costs, whatever else the machine is doing. */
const cpu: Record<string, number[]> = {};
let currentGroup = '';

function time(fn: () => void): number {
  const { wallMs, cpuMs } = measure(fn);
  (cpu[currentGroup] ??= []).push(cpuMs);
  return wallMs;
}

// With --keep the store stays in <tmpdir>/linernotes-bench-search-n<N>-seed<S> and a later run reuses it.
const keptDir = path.join(os.tmpdir(), `linernotes-bench-search-n${N}-seed${args.seed}`);
const dataDir = args.keep ? keptDir : fs.mkdtempSync(path.join(os.tmpdir(), 'linernotes-bench-search-'));
const t0 = performance.now();
const metaFile = path.join(dataDir, 'bench-meta.json');
const { titles, artists, vectorNote } = args.keep && fs.existsSync(metaFile)
  ? (JSON.parse(fs.readFileSync(metaFile, 'utf8')) as ReturnType<typeof fabricate>)
  : fabricate(dataDir);
if (args.keep) fs.writeFileSync(metaFile, JSON.stringify({ titles, artists, vectorNote }));
const buildSec = (performance.now() - t0) / 1000;
const dbMb = fs.statSync(path.join(dataDir, 'library.db')).size / 1e6;

const QUERIES = [
  'modal interchange', 'minor key', 'in D minor', '8A', 'around 90 bpm', '120-130 bpm', 'fast', 'slow songs in a major key',
  'waltz', 'not in 3/4', 'key change', 'without a key change', 'secondary dominants in 6/8', 'ii-V-I', 'Andalusian cadence',
  'four-chord song', 'loud danceable', 'plagal cadence', `artist:"${artists[0]}"`, 'genre:rock', '-genre:rock minor key',
  'year:1990..1999', '90s modal interchange', 'love', 'sad minor key', `"${titles[10]}"`, 'harb',
  'minor key modal interchange around 100 bpm', 'jazz with a ii-V-I', 'tritone substitution fast',
];
const SIMILAR = Array.from({ length: 30 }, (_, i) => { const t = titles[(i * 997) % titles.length]; return i % 2 === 0 ? `like "${t}"` : `like "${t}", in a minor key, fast`; });
const FACETS = ['', 'minor key', 'modal interchange', 'fast', 'genre:rock', 'waltz', 'key change', '90s', 'love', 'ii-V-I'];

if (args['catch-up']) {
  benchCatchUp(dataDir, Number(args.seed), path.join(REPO, 'test/bench/results/search-catchup.json'));
  if (!args.keep) fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
}

const store = openStore(dataDir);
const engine = new SearchEngine(store.db);
// The first query on a connection runs in SQL; the second loads the in-memory column index
// (app/search/columnIndex.ts), as after each library change.
const timeOnce = (q: string) => {
  const c = process.cpuUsage();
  const t = performance.now();
  engine.search(q);
  return { wallMs: performance.now() - t, cpuMs: ((u) => (u.user + u.system) / 1000)(process.cpuUsage(c)) };
};
const firstQuery = timeOnce(QUERIES[1]!);
const loadQuery = timeOnce(QUERIES[1]!);
const groups: Record<string, number[]> = { queries: [], similarity: [], 'similarity, unfiltered': [], 'similarity, with filters': [], facets: [] };
const slowest: { q: string; ms: number }[] = [];
currentGroup = 'queries';
for (const q of QUERIES) {
  engine.search(q);
  for (let r = 0; r < REPS; r++) {
    const ms = time(() => engine.search(q));
    groups.queries!.push(ms);
    slowest.push({ q, ms });
  }
}
SIMILAR.forEach((q, i) => {
  currentGroup = i % 2 === 0 ? 'similarity, unfiltered' : 'similarity, with filters';
  const first = engine.search(q);
  if (first.hits.length === 0) console.error(`no hits for ${q}: ${first.notes.join('; ')}`);
  for (let r = 0; r < REPS; r++) {
    const ms = time(() => engine.search(q));
    groups.similarity!.push(ms);
    groups[i % 2 === 0 ? 'similarity, unfiltered' : 'similarity, with filters']!.push(ms);
  }
});
currentGroup = 'facets';
for (const q of FACETS) {
  engine.facets(q);
  for (let r = 0; r < REPS; r++) groups.facets!.push(time(() => engine.facets(q)));
}
store.close();

const target = (g: string) => (g === 'queries' ? TARGETS.queryP95Ms : g.startsWith('similarity') ? TARGETS.similarityP95Ms : null);
cpu.similarity = [...(cpu['similarity, unfiltered'] ?? []), ...(cpu['similarity, with filters'] ?? [])];
const rows = Object.entries(groups).map(([g, xs]) => ({
  group: g,
  runs: xs.length,
  p50: percentile(xs, 50),
  p95: percentile(xs, 95),
  max: Math.max(...xs),
  cpuP50: percentile(cpu[g] ?? [0], 50),
  cpuP95: percentile(cpu[g] ?? [0], 95),
  target: target(g),
}));
const load = os.loadavg()[0]!;
console.log(
  `\nsearch benchmark: ${N.toLocaleString('en')} fabricated analysed tracks (store ${dbMb.toFixed(0)} MB, built in ${buildSec.toFixed(0)} s); ${vectorNote}; ${REPS} runs each after a warm-up; ` +
    `load average ${load.toFixed(1)} on ${os.cpus().length} cores (wall times stretch with load; CPU time is what a run costs)\n`,
);
console.log(
  `first query "${QUERIES[1]}" (SQL): ${firstQuery.wallMs.toFixed(0)} ms (CPU ${firstQuery.cpuMs.toFixed(0)} ms); ` +
    `again, loading the column index: ${loadQuery.wallMs.toFixed(0)} ms (CPU ${loadQuery.cpuMs.toFixed(0)} ms)\n`,
);
console.log('| group | runs | p50 ms | p95 ms | max ms | CPU p50 ms | CPU p95 ms | target p95 | result (wall) |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${r.group} | ${r.runs} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.max.toFixed(1)} | ${r.cpuP50.toFixed(1)} | ${r.cpuP95.toFixed(1)} | ${r.target === null ? '–' : `≤ ${r.target} ms`} | ${r.target === null ? '' : r.p95 <= r.target ? 'pass' : '**miss**'} |`,
  );
}
const perQuery = new Map<string, number[]>();
for (const s of slowest) perQuery.set(s.q, [...(perQuery.get(s.q) ?? []), s.ms]);
const medians = [...perQuery].map(([q, xs]) => ({ q, ms: percentile(xs, 50) })).sort((a, b) => b.ms - a.ms);
console.log(`\nslowest queries (median): ${medians.slice(0, 5).map((m) => `${m.q} ${m.ms.toFixed(1)} ms`).join(' · ')}`);
fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
fs.writeFileSync(RESULTS_FILE, JSON.stringify({ tracks: N, buildSec, dbMb, vectorNote, reps: REPS, loadAverage: load, firstQuery, loadQuery, rows, medians, measuredAt: new Date().toISOString() }, null, 2) + '\n');
if (!args.keep) fs.rmSync(dataDir, { recursive: true, force: true });
