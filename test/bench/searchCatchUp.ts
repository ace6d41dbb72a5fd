// bench:search -- --catch-up: what keeping search's column index current costs on the benchmark's
// store. A whole load (what every library change cost before migration 012) against the update
// from the change log after k tracks were re-analysed (summary and theory rewritten, so their
// evidence rows are replaced) or k new tracks were added; and what the change log adds to writing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ColumnIndex } from '../../app/search/columnIndex.ts';
import { SearchEngine } from '../../app/search/engine.ts';
import { openStore } from '../../app/store/index.ts';
import { seededRandom } from '../fixtures/library.ts';

interface Timing {
  wallMs: number;
  cpuMs: number;
}

/** Wall and CPU time (this process) of one call. */
export function measure(fn: () => void): Timing {
  const c = process.cpuUsage();
  const t = performance.now();
  fn();
  const wallMs = performance.now() - t;
  const u = process.cpuUsage(c);
  return { wallMs, cpuMs: (u.user + u.system) / 1000 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

const THEORY = JSON.stringify({
  romans: [],
  devices: [
    { kind: 'chromatic-mediant', start: 3, end: 9, confidence: 0.75, chordIndices: [], label: 'Chromatic mediant I → ♭VI' },
    { kind: 'modal-interchange', start: 20, end: 30, confidence: 1, chordIndices: [], label: '♭VII borrowed from the parallel minor' },
  ],
});

export function benchCatchUp(dataDir: string, seed: number, resultsFile: string): void {
  const store = openStore(dataDir);
  const db = store.db;
  const rand = seededRandom(seed + 1000);
  const loadBefore = os.loadavg()[0]!;
  const index = new ColumnIndex(db, new SearchEngine(db).capabilities.descriptors);
  const whole = [0, 1, 2].map(() => measure(() => index.rebuild()));
  const size = index.current()!.size;
  const ids = db.prepare("SELECT id FROM tracks WHERE status = 'present' AND id IN (SELECT track_id FROM analyses WHERE analyser = 'theory')").pluck().all() as number[];
  const pickIds = (k: number) => Array.from({ length: k }, () => ids[Math.floor(rand() * ids.length)]!);
  const summary = db.prepare('UPDATE track_summaries SET bpm = bpm + 1, key_confidence = 0.77 WHERE track_id = ?');
  const theory = db.prepare("UPDATE analyses SET result = ? WHERE analyser = 'theory' AND track_id = ?");
  const reanalyse = (k: number) => () => {
    for (const id of pickIds(k)) {
      summary.run(id);
      theory.run(THEORY, id);
    }
  };
  const root = db.prepare('SELECT id FROM roots LIMIT 1').pluck().get() as number;
  const insTrack = db.prepare(
    `INSERT INTO tracks (root_id, path, size, mtime_ms, fingerprint, duration, title, artist, year, genre, added_at, updated_at)
     VALUES (?, ?, 1, 1, ?, 200, ?, 'Catch Up', 2024, 'Jazz', 0, 0)`,
  );
  const insSummary = db.prepare("INSERT INTO track_summaries (track_id, bpm, bpm_confidence, meter, key_tonic, key_mode, key_confidence, key_changes, devices, analysed_at) VALUES (?, 101, 0.8, '3/4', 2, 'minor', 0.9, 0, '[]', 0)");
  const insTheory = db.prepare("INSERT INTO analyses (track_id, analyser, version, result, error, analysed_at) VALUES (?, 'theory', 1, ?, NULL, 0)");
  let added = 0;
  const addTracks = (k: number) => () => {
    for (let i = 0; i < k; i++) {
      const n = added++;
      const id = Number(insTrack.run(root, `/bench/catch-up/${n}-${Date.now()}.flac`, `cu${n}`, `Catch up ${n}`).lastInsertRowid);
      insSummary.run(id);
      insTheory.run(id, THEORY);
    }
  };
  const logSeq = db.prepare('SELECT coalesce(max(seq), 0) FROM search_column_changes').pluck();

  const rows: { change: string; tracks: number; logRows: number; writeMs: number; catchUp: Timing; incremental: boolean }[] = [];
  const cases: [string, number, (k: number) => () => void][] = [
    ['re-analysed', 1, reanalyse],
    ['re-analysed', 100, reanalyse],
    ['re-analysed', 1000, reanalyse],
    ['re-analysed', 2000, reanalyse],
    ['added', 100, addTracks],
    ['added', 1000, addTracks],
  ];
  for (const [change, k, write] of cases) {
    for (let rep = 0; rep < 3; rep++) {
      const seq = logSeq.get() as number;
      const written = measure(() => db.transaction(write(k))());
      const logRows = (logSeq.get() as number) - seq;
      const before = index.counts.incremental;
      const catchUp = measure(() => index.current());
      rows.push({ change, tracks: k, logRows, writeMs: written.wallMs, catchUp, incremental: index.counts.incremental === before + 1 });
    }
  }

  // What the change log's triggers add to a write: 1,000 re-analyses with and without them, both rolled back.
  const writeCost = (withLog: boolean): number => {
    db.exec('BEGIN');
    try {
      if (!withLog) for (const name of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search_changes_%'").pluck().all() as string[]) db.exec(`DROP TRIGGER "${name}"`);
      return measure(reanalyse(1000)).wallMs;
    } finally {
      db.exec('ROLLBACK');
    }
  };
  const withLog = median([writeCost(true), writeCost(true), writeCost(true)]);
  const withoutLog = median([writeCost(false), writeCost(false), writeCost(false)]);
  store.close();

  const loadAfter = os.loadavg()[0]!;
  const wholeCpu = median(whole.map((t) => t.cpuMs));
  console.log(
    `\ncolumn index catch-up: ${size.toLocaleString('en')} rows; load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)} on ${os.cpus().length} cores (wall times stretch with load; CPU is what a run costs)\n`,
  );
  console.log(`whole load (before migration 012, after every change): median wall ${median(whole.map((t) => t.wallMs)).toFixed(0)} ms, CPU ${wholeCpu.toFixed(0)} ms (3 runs)\n`);
  console.log('| change | tracks | log rows | update wall ms (median of 3) | update CPU ms | vs whole load (CPU) | applied from the log |');
  console.log('|---|---|---|---|---|---|---|');
  const groups = new Map<string, typeof rows>();
  for (const r of rows) groups.set(`${r.change} ${r.tracks}`, [...(groups.get(`${r.change} ${r.tracks}`) ?? []), r]);
  const table = [...groups.values()].map((g) => ({
    change: g[0]!.change,
    tracks: g[0]!.tracks,
    logRows: median(g.map((r) => r.logRows)),
    wallMs: median(g.map((r) => r.catchUp.wallMs)),
    cpuMs: median(g.map((r) => r.catchUp.cpuMs)),
    incremental: g.every((r) => r.incremental),
  }));
  for (const t of table) {
    console.log(`| ${t.change} | ${t.tracks} | ${t.logRows} | ${t.wallMs.toFixed(1)} | ${t.cpuMs.toFixed(1)} | ${((100 * t.cpuMs) / wholeCpu).toFixed(1)} % | ${t.incremental ? 'yes' : '**no (whole load)**'} |`);
  }
  console.log(`\nwriting 1,000 re-analyses: ${withLog.toFixed(0)} ms with the change log, ${withoutLog.toFixed(0)} ms without (median of 3, rolled back)`);
  fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
  fs.writeFileSync(
    resultsFile,
    JSON.stringify({ rows: size, loadAverage: [loadBefore, loadAfter], wholeLoad: whole, updates: table, runs: rows, writeMs: { withLog, withoutLog }, measuredAt: new Date().toISOString() }, null, 2) + '\n',
  );
}
