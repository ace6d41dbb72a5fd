// Loads an app/ module: the compiled JS in dist/ when it is up to date with the sources (fast:
// no loader in the way), else the TypeScript source through tsx (for development).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = path.join(REPO, 'dist', '.build-stamp');

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** True when dist/ was built after the last change to any app/ source. */
export function distIsFresh() {
  try {
    return fs.statSync(STAMP).mtimeMs >= newestSource(path.join(REPO, 'app'));
  } catch {
    return false;
  }
}

/** Imports `app/<rel>.ts` (e.g. 'cli/main') from dist/ or, if stale, through tsx. */
export async function loadApp(rel) {
  if (process.env.LINERNOTES_FROM_SOURCE !== '1' && distIsFresh()) {
    return import(pathToFileURL(path.join(REPO, 'dist', 'app', rel + '.js')).href);
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import(pathToFileURL(path.join(REPO, 'app', rel + '.ts')).href);
}
