// The Settings page's note-transcription switch in Chromium against `linernotes serve`: turned on, the
// running queue transcribes the analysed tracks (no restart); turned off, the setting is stored.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { analyzeFile } from '../../app/analysis/analyze.ts';
import { isTranscribing } from '../../app/queue/settings.ts';
import { createLibraryService, type LibraryService } from '../../app/service/service.ts';
import { startServer, type RunningServer } from '../../app/server/server.ts';
import type { Store } from '../../app/store/index.ts';
import type { AnalyseFile } from '../../app/worker/child.ts';
import { tempDir } from '../library/helpers.ts';
import { inProcessTransport } from '../worker/helpers.ts';
import { scannedStore, writeSongs } from '../queue/helpers.ts';
import { CHROMIUM, CHROMIUM_ARGS, ensureRendererBuilt } from './buildRenderer.ts';

const hasChromium = fs.existsSync(CHROMIUM);
let base: string;
let store: Store;
let service: LibraryService;
let server: RunningServer;
let browser: Browser;
let page: Page;
const analyse: AnalyseFile = (file, signal, o) => analyzeFile(file, { signal, notes: o?.notes });
const notesStored = () => (store.db.prepare("SELECT count(*) AS n FROM analyses WHERE analyser = 'notes' AND result IS NOT NULL").get() as { n: number }).n;

async function until(check: () => boolean, ms: number): Promise<void> {
  for (const end = Date.now() + ms; !check(); ) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!hasChromium)('the note transcription switch in Settings', () => {
  beforeAll(async () => {
    base = await tempDir('ln-e2e-transcribe-');
    const [rendererDir] = await Promise.all([ensureRendererBuilt(), writeSongs(base, 2, [], 3)]);
    store = await scannedStore(base);
    service = createLibraryService(store, {
      dataDir: path.join(base, 'data'),
      appVersion: 'e2e',
      queue: { concurrency: 1, pollMs: 20, progressIntervalMs: 100, spawn: () => inProcessTransport(analyse) },
    });
    server = await startServer({ store, service, rendererDir });
    await service.api['analysis.run']({});
    await until(() => store.analyses.analysedCount() === 2, 60_000);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await service?.close();
    store?.close();
    if (base) await fsp.rm(base, { recursive: true, force: true });
  });

  it('turns transcription on for the running queue, which transcribes the analysed tracks, and off again', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.getByRole('link', { name: 'Settings' }).click();
    const box = page.getByRole('checkbox', { name: 'Transcribe notes (Basic Pitch)' });
    await box.waitFor();
    expect(await box.isChecked()).toBe(false);
    await page.getByText(/^Off: no notes are transcribed\./).waitFor();

    await box.check();
    await page.getByRole('status').getByText(/^Note transcription on · /).waitFor({ timeout: 10_000 });
    await page.getByText(/^On: the analysis also transcribes/).waitFor();
    expect(isTranscribing(store)).toBe(true);
    await until(() => notesStored() === 2, 60_000);

    await box.uncheck();
    await page.getByRole('status').getByText('Note transcription off · nothing waiting in the queue').waitFor({ timeout: 10_000 });
    expect(isTranscribing(store)).toBe(false);
    expect(await box.isChecked()).toBe(false);
    expect(errors).toEqual([]);
  }, 120_000);
});
