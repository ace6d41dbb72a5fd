// `npm run build`: compiles app/ to dist/ with tsc and stamps the build, so bin/ knows it is fresh.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
fs.rmSync(path.join(REPO, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [path.join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: REPO, stdio: 'inherit' });
fs.writeFileSync(path.join(REPO, 'dist', '.build-stamp'), new Date().toISOString() + '\n');
console.log(`built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
