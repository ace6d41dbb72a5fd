#!/usr/bin/env node
// Entry point for `linernotes` / `npx linernotes`: runs the compiled CLI (dist/), or the TypeScript
// sources through tsx when dist/ is missing or older than them.
import { loadApp } from './load-app.js';

// `linernotes list | head`: a closed pipe ends the command quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}
const { runCli } = await loadApp('cli/main');
process.exitCode = await runCli(process.argv.slice(2));
