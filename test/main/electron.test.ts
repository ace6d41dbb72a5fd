// The desktop app in a real Electron, through Playwright's _electron. Electron's binary is not
// downloaded in this repository's CI, so the test skips itself (saying why) where it is missing.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Where Electron's binary is, found the way the electron package finds it (path.txt + dist/) but
 * without requiring the package: requiring it tries to download the binary when it is missing.
 */
function electronBinary(): { path: string } | { missing: string } {
  const pkgDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = path.join(pkgDir, 'path.txt');
  if (!fs.existsSync(pathFile)) return { missing: `Electron's binary was never downloaded (no ${pathFile}; installs here skip it)` };
  const rel = fs.readFileSync(pathFile, 'utf8').trim();
  const full = process.env.ELECTRON_OVERRIDE_DIST_PATH ? path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, rel) : path.join(pkgDir, 'dist', rel);
  return fs.existsSync(full) ? { path: full } : { missing: `Electron's binary is missing (${full})` };
}

const found = electronBinary();
const bundle = path.resolve('dist', 'electron', 'main.js');
const why = 'missing' in found ? found.missing : !fs.existsSync(bundle) ? `the Electron bundle is not built (${bundle}; run npm run build:electron)` : '';
if (why) console.warn(`skipping the Electron test: ${why}`);

describe.skipIf(!!why)('desktop app (Electron)', () => {
  it('opens a sandboxed window on the app scheme whose page reaches the service only through the bridge', async () => {
    const { _electron } = await import('playwright-core');
    const dataDir = fs.mkdtempSync(path.join((await import('node:os')).tmpdir(), 'ln-electron-'));
    const app = await _electron.launch({ executablePath: (found as { path: string }).path, args: [bundle], env: { ...process.env, LINERNOTES_DATA_DIR: dataDir } });
    try {
      const page = await app.firstWindow();
      await page.getByRole('heading', { name: 'Liner notes for your own music' }).waitFor();
      expect(page.url()).toMatch(/^linernotes-app:\/\/app\//);
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await page.evaluate(() => Object.keys((globalThis as unknown as { linernotes: object }).linernotes).sort())).toEqual(['invoke', 'on']);
      const refused = await page.evaluate(() => (globalThis as unknown as { linernotes: { invoke(m: string, a: unknown): Promise<unknown> } }).linernotes.invoke('fs.readFile', {}).then(() => 'called', (e: Error) => e.message));
      expect(refused).toMatch(/unknown method/);
    } finally {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
