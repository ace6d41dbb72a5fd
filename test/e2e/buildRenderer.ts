// Builds renderer/dist when it is missing or older than any renderer source, so browser tests and the
// benchmark always load the current UI.
import fs from 'node:fs';
import path from 'node:path';

const REPO = path.resolve(import.meta.dirname, '..', '..');
export const RENDERER_DIST = path.join(REPO, 'renderer', 'dist');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'dist' || e.name === 'node_modules') continue;
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

export async function ensureRendererBuilt(): Promise<string> {
  const index = path.join(RENDERER_DIST, 'index.html');
  const sources = Math.max(newestMtime(path.join(REPO, 'renderer')), fs.statSync(path.join(REPO, 'app', 'service', 'api.ts')).mtimeMs);
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= sources) return RENDERER_DIST;
  const { build } = await import('vite');
  await build({ configFile: path.join(REPO, 'renderer', 'vite.config.ts'), logLevel: 'error' });
  return RENDERER_DIST;
}

/** Debian's Chromium, launched the way this machine allows (headless, no sandbox inside containers). */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
];
