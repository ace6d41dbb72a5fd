import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
/** Licences we can ship inside a desktop app without imposing terms on our own code. */
const PERMISSIVE = /^(\(?(MIT|ISC|BSD-2-Clause|BSD-3-Clause|0BSD|Apache-2\.0|BlueOak-1\.0\.0|CC0-1\.0|Unlicense|Python-2\.0|CC-BY-4\.0)( OR | AND |\)|$))+/;

/**
 * Reviewed exceptions. LGPL is acceptable only for an unmodified library that ships as its own
 * replaceable module file (LGPL-3.0 §4), never bundled into our code.
 */
const REVIEWED: Record<string, string> = {
  'codec-parser': 'LGPL-3.0-or-later: Ogg/FLAC framing used by the WASM decoders; shipped unmodified as a separate module',
};

describe('licences', () => {
  it('every package shipped with the app (production dependencies, transitively) is permissively licensed', () => {
    const out = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: ROOT, encoding: 'utf8' });
    const dirs = [...new Set(out.split('\n').filter((l) => l.includes('node_modules')))];
    expect(dirs.length).toBeGreaterThan(5);
    const bad: string[] = [];
    for (const dir of dirs) {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name: string; license?: string };
      if (REVIEWED[pkg.name]) continue;
      if (!pkg.license || !PERMISSIVE.test(pkg.license)) bad.push(`${pkg.name}: ${pkg.license ?? 'none'}`);
    }
    expect(bad).toEqual([]);
  });
});
