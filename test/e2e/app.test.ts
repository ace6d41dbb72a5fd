// End to end in Debian's Chromium against `linernotes serve` on a small synthesised library:
// add a folder → scan → analysis progress → browse → open a song → its borrowed chord is listed with a
// timestamp → play from it. Screenshots of each main screen go to test-results/screenshots/.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { openStore, type Store } from '../../app/store/index.ts';
import { createLibraryService, type LibraryService } from '../../app/service/service.ts';
import { startServer, type RunningServer } from '../../app/server/server.ts';
import { writeDemoLibrary } from '../../app/demo/library.ts';
import { DEMO_SONGS } from '../../app/demo/songs.ts';
import { encodeWav } from '../../app/demo/wav.ts';
import { tempDir } from '../library/helpers.ts';
import { CHROMIUM, CHROMIUM_ARGS, ensureRendererBuilt } from './buildRenderer.ts';

const SHOTS = path.resolve('test-results', 'screenshots');
const hasChromium = fs.existsSync(CHROMIUM);
const SONGS = ['Borrowed Light', 'Second Wind', 'Sierra Nights'];

let base: string;
let store: Store;
let server: RunningServer;
let browser: Browser;
let page: Page;
let musicDir: string;
let service: LibraryService;

describe.skipIf(!hasChromium)('the UI in Chromium against linernotes serve', () => {
  beforeAll(async () => {
    base = await tempDir('ln-e2e-');
    musicDir = path.join(base, 'music');
    const [rendererDir] = await Promise.all([
      ensureRendererBuilt(),
      writeDemoLibrary(musicDir, { songs: DEMO_SONGS.filter((s) => SONGS.includes(s.title)) }),
    ]);
    // A tagged WAV that holds no audio: it is listed, and its analysis fails with a reason on the Queue page.
    await fsp.writeFile(path.join(musicDir, 'Silent Take.wav'), encodeWav([new Float32Array(0)], 22050, { title: 'Silent Take', artist: 'Nobody' }));
    store = openStore(path.join(base, 'data'));
    // As `linernotes serve` does: the queue's runner in this process, the analyses in worker processes.
    service = createLibraryService(store, { dataDir: path.join(base, 'data'), appVersion: 'e2e', queue: { concurrency: 2 } });
    server = await startServer({ store, service, rendererDir });
    service.startQueue();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    await fsp.mkdir(SHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await service?.close();
    store?.close();
    if (base) await fsp.rm(base, { recursive: true, force: true });
  });

  it('adds a folder, scans, analyses, browses, opens a song and plays from its borrowed chord', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    // A new user sees the empty state.
    await page.goto(server.url);
    expect(new URL(page.url()).searchParams.get('token')).toBeNull();
    await page.getByRole('heading', { name: 'Liner notes for your own music' }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'empty.png') });

    // Add the folder: the scan queues the songs; the queue's worker processes analyse them, with
    // progress in the status line and on the Queue page.
    await page.getByLabel('Music folder (full path)').fill(musicDir);
    await page.getByRole('button', { name: 'Add and scan' }).click();
    const status = page.getByTestId('job-status');
    await status.getByText(/Analysing \d of 4/).waitFor({ timeout: 30_000 });
    await page.getByRole('link', { name: /^Queue/ }).click();
    await page.getByTestId('queue-state').getByText(/Analysing \d of 4 with 2 worker processes/).waitFor({ timeout: 30_000 });
    await page.getByTestId('queue-rate').getByText(/tracks\/min · \d+:\d\d left/).waitFor({ timeout: 60_000 });
    await page.screenshot({ path: path.join(SHOTS, 'queue.png') });
    await status.getByText('Analysis: 3 analysed, 1 failed').waitFor({ timeout: 90_000 });
    expect(await page.getByTestId('queue-state').textContent()).toBe('Done; 1 track could not be analysed');
    // The failure, with its reason and a retry button: retried, it fails again for the same reason.
    const failure = page.getByTestId('queue-failures').locator('li').filter({ hasText: 'Silent Take' });
    expect(await failure.textContent()).toMatch(/holds no audio.*EMPTY · 1 attempt/);
    await page.screenshot({ path: path.join(SHOTS, 'queue-failures.png') });
    await failure.getByRole('button', { name: 'Retry Silent Take' }).click();
    await status.getByText('Analysis: 0 analysed, 1 failed').waitFor({ timeout: 30_000 });
    await page.getByTestId('queue-failures').getByRole('link', { name: 'Silent Take' }).waitFor();
    await page.getByRole('link', { name: 'Library', exact: true }).click();

    // Browse: the table shows the three songs with their measured keys.
    const grid = page.getByRole('grid', { name: 'Tracks' });
    await grid.getByRole('row').filter({ hasText: 'Borrowed Light' }).waitFor();
    expect(await grid.locator('[role=row][aria-rowindex]:not(.head)').count()).toBe(4);
    // The rows are on screen, not just in the DOM: the scrolling viewport fills the window.
    const rowBox = (await grid.getByRole('row').filter({ hasText: 'Borrowed Light' }).boundingBox())!;
    expect(rowBox.y + rowBox.height).toBeLessThan(800);
    expect(await grid.locator('.viewport').evaluate((v) => v.clientHeight)).toBeGreaterThan(400);
    await expect.poll(() => grid.getByRole('row').filter({ hasText: 'Borrowed Light' }).textContent()).toMatch(/C major/);
    await page.screenshot({ path: path.join(SHOTS, 'library.png') });

    // Keyboard: focus the table, go to the last row and back, open the first with Enter.
    await grid.focus();
    await page.keyboard.press('End');
    await page.keyboard.press('Home');
    expect(await grid.getAttribute('aria-activedescendant')).toBe('track-row-0');
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: '← Library' }).click();

    // Search in plain words: the song that borrows chords comes first, with why it matched.
    const search = page.getByLabel('Search the library in plain words');
    await search.fill('modal interchange');
    await search.press('Enter');
    const hits = page.getByTestId('search-hits').locator('li');
    await hits.first().waitFor();
    expect(await hits.first().locator('a.title').textContent()).toBe('Borrowed Light');
    expect(await hits.first().textContent()).toMatch(/interchange|borrowed/i);
    await page.screenshot({ path: path.join(SHOTS, 'search.png') });

    // Save the search as a smart playlist; it opens with the same song first and downloads as M3U8.
    await page.getByRole('button', { name: 'Save as smart playlist' }).click();
    await page.getByLabel('Playlist name').fill('Borrowed chords');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('heading', { name: 'Borrowed chords' }).waitFor();
    const playlistHits = page.getByTestId('search-hits').locator('li');
    await playlistHits.first().waitFor();
    expect(await playlistHits.first().locator('a.title').textContent()).toBe('Borrowed Light');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download M3U8' }).click()]);
    expect(download.suggestedFilename()).toBe('Borrowed chords.m3u8');
    const m3u = await fsp.readFile((await download.path())!, 'utf8');
    expect(m3u).toMatch(/^#EXTM3U\n#PLAYLIST:Borrowed chords\n#EXTINF:\d+,.*Borrowed Light\n.*Borrowed Light.*\.\w+\n/);
    await page.screenshot({ path: path.join(SHOTS, 'playlist.png') });
    await page.getByRole('link', { name: 'Playlists', exact: true }).click();
    await page.getByTestId('playlists').getByText('Borrowed chords').waitFor();
    await page.getByTestId('playlists').getByRole('link', { name: 'Borrowed chords' }).click();
    await playlistHits.first().waitFor();
    await playlistHits.first().locator('a.title').click();

    // The insight page lists the borrowed chord with its time and a button to play from it.
    await page.getByRole('heading', { name: 'Borrowed Light' }).waitFor();
    const borrowed = page.getByTestId('devices').locator('li[data-kind="modal-interchange"]').first();
    await borrowed.waitFor();
    expect(await borrowed.textContent()).toMatch(/borrowed/i);
    const button = borrowed.getByRole('button', { name: /^Play from \d+:\d\d/ });
    const [, m, s] = /Play from (\d+):(\d\d)/.exec((await button.getAttribute('aria-label'))!)!;
    const at = Number(m) * 60 + Number(s);
    expect(at).toBeGreaterThan(5);
    await page.screenshot({ path: path.join(SHOTS, 'track.png'), fullPage: true });

    await button.click();
    const audioTime = () => page.getByTestId('audio').evaluate((a) => (a as unknown as { currentTime: number }).currentTime);
    await expect.poll(audioTime, { timeout: 10_000 }).toBeGreaterThanOrEqual(at);
    expect(await audioTime()).toBeLessThan(at + 5);

    // Ask about this song: the answer cites the borrowed chords with times; one plays from its time.
    const songChat = page.getByRole('region', { name: 'Ask about this song' });
    await songChat.getByRole('textbox', { name: 'Ask about this song' }).fill('which chords are borrowed?');
    await songChat.getByRole('button', { name: 'Ask', exact: true }).click();
    const cited = songChat.getByRole('button', { name: /^Play from \d+:\d\d/ }).first();
    await cited.waitFor({ timeout: 20_000 });
    expect(await songChat.getByTestId('chat-messages').locator('li.assistant').first().textContent()).toMatch(/borrow/i);
    const [, cm, cs] = /Play from (\d+):(\d\d)/.exec((await cited.getAttribute('aria-label'))!)!;
    const citedAt = Number(cm) * 60 + Number(cs);
    await cited.click();
    await expect.poll(audioTime, { timeout: 10_000 }).toBeGreaterThanOrEqual(citedAt);
    await songChat.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'track-chat.png') });
    await page.getByTestId('audio').evaluate((a) => (a as unknown as { pause(): void }).pause());

    // The library-wide chat: an answer citing songs links to their pages.
    await page.getByRole('link', { name: 'Chat', exact: true }).click();
    const chat = page.getByRole('region', { name: 'Ask about your library' });
    await chat.getByRole('textbox', { name: 'Ask about your library' }).fill('what key is Second Wind in?');
    await chat.getByRole('button', { name: 'Ask', exact: true }).click();
    const answer = chat.getByTestId('chat-messages').locator('li.assistant').first();
    await answer.waitFor({ timeout: 20_000 });
    expect(await answer.locator('.cites').getByRole('link').first().textContent()).toMatch(/Second Wind/);
    await page.screenshot({ path: path.join(SHOTS, 'chat.png') });

    // Settings: the folder is listed online; the dark theme follows the OS.
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('list', { name: 'Music folders' }).getByText(musicDir).waitFor();
    expect(await page.getByRole('list', { name: 'Music folders' }).textContent()).toMatch(/online/);
    // Model and provider status, and the analysis concurrency.
    await page.getByRole('button', { name: 'Check the models' }).click();
    await page.getByRole('table', { name: 'Analysis models' }).getByText('checksum ok').first().waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('runtime').textContent()).toMatch(/cpu/);
    expect(await page.getByLabel('Worker processes (analyses at once)').inputValue()).toBe('2');
    // Model servers for deep captions: one added here that nothing answers is listed as down, then removed.
    const addServer = page.getByRole('form', { name: 'Add a model server' });
    await addServer.getByLabel('Name').fill('nowhere');
    await addServer.getByLabel('URL').fill('http://127.0.0.1:9/v1');
    await addServer.getByRole('button', { name: 'Add server' }).click();
    const servers = page.getByRole('list', { name: 'Model servers' });
    await servers.getByText('UNREACHABLE').waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(SHOTS, 'settings.png'), fullPage: true });
    const remove = servers.getByRole('button', { name: 'Remove model server nowhere' });
    await remove.click();
    // The server's row (its name and its health line) is gone once its own Remove button is.
    await remove.waitFor({ state: 'detached', timeout: 10_000 });
    expect(await servers.getByText('nowhere', { exact: true }).count()).toBe(0);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByRole('link', { name: 'Library' }).click();
    await grid.waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'library-dark.png') });

    expect(errors).toEqual([]);
  }, 120_000);
});
