#!/usr/bin/env node
// Entry point for `linernotes` / `npx linernotes`: runs the TypeScript CLI through tsx's loader.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../app/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
