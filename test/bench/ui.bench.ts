/**
 * UI benchmark (`npm run bench:ui`): on a fabricated library of 100,000 tracks (rows written straight
 * into a fresh store: the UI's speed, not the scanner's, is measured here),
 *   1. from `serve` start (open the store, start the server) to the first rows of the library table
 *      on screen in Chromium (the browser is launched beforehand and not counted),
 *   2. how many service calls scrolling through 20,000 rows makes (blocks, never one call per row),
 *   3. the renderer bundle's gzipped size.
 * Prints a table and writes test/bench/results/ui.json. Exits 0 even when a target is missed.
 */
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import zlib from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { openStore } from '../../app/store/index.ts';
import { createLibraryService } from '../../app/service/service.ts';
import { startServer } from '../../app/server/server.ts';
import type { TrackFacts } from '../../app/store/index.ts';
import { CHROMIUM, CHROMIUM_ARGS, ensureRendererBuilt } from '../e2e/buildRenderer.ts';
import { seededRandom } from '../fixtures/library.ts';

const TRACKS = 100_000;
const TARGETS = { firstRowsMs: 1000, bundleGzKb: 500 };
const RESULTS_FILE = path.resolve('test/bench/results/ui.json');

function fabricate(dataDir: string): void {
  const store = openStore(dataDir);
  const rand = seededRandom(7);
  const root = store.roots.upsert('/fabricated/music');
  store.transaction(() => {
    for (let i = 0; i < TRACKS; i++) {
      const artist = `Artist ${Math.floor(rand() * 5000)}`;
      const facts: TrackFacts = {
        path: `/fabricated/music/${artist}/Album ${i % 997}/${i}.flac`,
        size: 30_000_000,
        mtimeMs: 1_700_000_000_000,
        fingerprint: `fp${i}`,
        container: 'FLAC',
        codec: 'FLAC',
        lossless: true,
        duration: 120 + rand() * 240,
        sampleRate: 44100,
        channels: 2,
        bitDepth: 16,
        bitrate: 900_000,
        title: `Song ${i}`,
        artist,
        album: `Album ${i % 997}`,
        albumArtist: artist,
        trackNo: (i % 12) + 1,
        trackTotal: 12,
        discNo: 1,
        discTotal: 1,
        year: 1960 + Math.floor(rand() * 64),
        genre: ['Pop', 'Jazz', 'Rock', 'Folk', 'Soul'][i % 5]!,
        composer: null,
        tagBpm: null,
        tagKey: null,
        hasArtwork: false,
      };
      const id = store.tracks.insert(root.id, facts);
      if (i % 2 === 0) {
        store.analyses.saveSummary({ trackId: id, bpm: 70 + rand() * 100, bpmConfidence: 0.8, meter: '4/4', keyTonic: i % 12, keyMode: i % 3 ? 'major' : 'minor', keyConfidence: 0.8, keyChanges: 0, devices: [], analysedAt: 1 });
      }
    }
  });
  store.close();
}

function bundleSize(dir: string): { raw: number; gz: number; files: number } {
  let raw = 0;
  let gz = 0;
  let files = 0;
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(js|css|html)$/.test(e.name)) {
        const bytes = fs.readFileSync(p);
        raw += bytes.length;
        gz += zlib.gzipSync(bytes, { level: 9 }).length;
        files++;
      }
    }
  };
  walk(dir);
  return { raw, gz, files };
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ln-bench-ui-'));
try {
  const rendererDir = await ensureRendererBuilt();
  const t0 = performance.now();
  fabricate(dataDir);
  const fabricateMs = performance.now() - t0;

  let start = 0;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  let apiCalls = 0;
  page.on('request', (r) => {
    if (r.url().includes('/api/tracks.page')) apiCalls++;
  });
  // When each request of the first screen finished, relative to serve start (where the time goes).
  const firstScreen: { what: string; atMs: number; tookMs: number }[] = [];
  page.on('requestfinished', (r) => {
    if (firstScreen.length < 12) {
      const t = r.timing();
      firstScreen.push({ what: new URL(r.url()).pathname, atMs: Math.round(performance.now() - start), tookMs: Math.round(t.responseEnd) });
    }
  });

  start = performance.now();
  const store = openStore(dataDir);
  const service = createLibraryService(store, { dataDir, appVersion: 'bench' });
  const server = await startServer({ store, service, rendererDir });
  const listeningMs = performance.now() - start;
  await page.goto(server.url);
  await page.locator('[role=grid] .spacer [role=row] [role=gridcell] a').first().waitFor({ state: 'visible' });
  const firstRowsMs = performance.now() - start;
  const rowsInDom = await page.locator('[role=grid] .spacer [role=row]').count();

  // Scroll through 20,000 rows in screen-sized steps and count the page requests it causes.
  const callsBefore = apiCalls;
  const scrolledRows = 20_000;
  const steps = 200;
  const scrollStart = performance.now();
  for (let s = 1; s <= steps; s++) {
    await page.locator('[role=grid] .viewport').evaluate((v, top) => (v.scrollTop = top), ((s * scrolledRows) / steps) * 32);
    await page.waitForTimeout(5);
  }
  await page.locator(`#track-row-${scrolledRows}`).locator('a').waitFor({ state: 'visible' });
  const scrollMs = performance.now() - scrollStart;
  const scrollCalls = apiCalls - callsBefore;

  await browser.close();
  await server.close();
  store.close();

  const bundle = bundleSize(rendererDir);
  const results = {
    tracks: TRACKS,
    fabricateMs: Math.round(fabricateMs),
    serveListeningMs: Math.round(listeningMs),
    firstRowsMs: Math.round(firstRowsMs),
    rowsInDom,
    scrolledRows,
    scrollCalls,
    scrollMs: Math.round(scrollMs),
    bundleRawKb: Math.round(bundle.raw / 102.4) / 10,
    bundleGzKb: Math.round(bundle.gz / 102.4) / 10,
    firstScreen,
  };
  console.log('\nfirst screen (ms after serve start: request → done, its own duration):');
  for (const f of firstScreen) console.log(`  ${String(f.atMs).padStart(6)}  ${f.what} (${f.tookMs} ms)`);
  const rows: [string, string, string][] = [
    ['library size (fabricated rows)', String(TRACKS), ''],
    ['serve start → listening', `${results.serveListeningMs} ms`, ''],
    ['serve start → first rows on screen', `${results.firstRowsMs} ms`, `≤ ${TARGETS.firstRowsMs} ms ${results.firstRowsMs <= TARGETS.firstRowsMs ? 'ok' : 'MISS'}`],
    ['table rows in the DOM', String(rowsInDom), 'visible rows + margin'],
    [`tracks.page calls scrolling ${scrolledRows} rows`, String(scrollCalls), `one per 200-row block (≤ ${scrolledRows / 200 + 2})`],
    ['renderer bundle (js+css+html)', `${results.bundleRawKb} kB raw, ${results.bundleGzKb} kB gz`, `≤ ${TARGETS.bundleGzKb} kB gz ${results.bundleGzKb <= TARGETS.bundleGzKb ? 'ok' : 'MISS'}`],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  console.log(`\n| ${'measure'.padEnd(w0)} | ${'value'.padEnd(w1)} | target |\n|${'-'.repeat(w0 + 2)}|${'-'.repeat(w1 + 2)}|---|`);
  for (const [a, b, c] of rows) console.log(`| ${a.padEnd(w0)} | ${b.padEnd(w1)} | ${c} |`);
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  fs.writeFileSync(RESULTS_FILE, JSON.stringify({ date: new Date().toISOString(), ...results }, null, 2) + '\n');
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
