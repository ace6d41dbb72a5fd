import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { ESLint } from 'eslint';
import { layeringViolation } from '../../build/eslint/layering.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const f = (rel: string) => path.join(ROOT, rel);

describe('layering rule', () => {
  it('keeps app/ free of electron, main/ and renderer/', () => {
    expect(layeringViolation(f('app/library/x.ts'), 'electron', ROOT)).toMatch(/electron/);
    expect(layeringViolation(f('app/library/x.ts'), '../../main/window.ts', ROOT)).toMatch(/main/);
    expect(layeringViolation(f('app/library/x.ts'), '../../renderer/App.svelte', ROOT)).toMatch(/renderer/);
    expect(layeringViolation(f('app/library/x.ts'), '../store/index.ts', ROOT)).toBeUndefined();
    expect(layeringViolation(f('app/cli/main.ts'), './main.ts', ROOT)).toBeUndefined();
  });

  it('keeps renderer/ free of Node built-ins and electron; types only from app/', () => {
    expect(layeringViolation(f('renderer/src/x.ts'), 'node:fs', ROOT)).toMatch(/built-in/);
    expect(layeringViolation(f('renderer/src/x.ts'), 'path', ROOT)).toMatch(/built-in/);
    expect(layeringViolation(f('renderer/src/x.ts'), 'electron', ROOT)).toMatch(/preload/);
    expect(layeringViolation(f('renderer/src/x.ts'), '../../app/store/index.ts', ROOT)).toMatch(/only types/);
    expect(layeringViolation(f('renderer/src/x.ts'), '../../app/store/index.ts', ROOT, true)).toBeUndefined();
    expect(layeringViolation(f('renderer/src/x.ts'), 'svelte', ROOT)).toBeUndefined();
  });

  it('lets main/ use app/ and electron but not renderer code', () => {
    expect(layeringViolation(f('main/index.ts'), 'electron', ROOT)).toBeUndefined();
    expect(layeringViolation(f('main/index.ts'), '../app/store/index.ts', ROOT)).toBeUndefined();
    expect(layeringViolation(f('main/index.ts'), '../renderer/src/App.svelte', ROOT)).toMatch(/renderer/);
  });

  it('fails the lint run on a wrong import', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const [bad] = await eslint.lintText("import { app } from 'electron';\nexport const x = app;\n", { filePath: f('app/library/bad.ts') });
    expect(bad!.messages.map((m) => m.ruleId)).toContain('linernotes/layering');
    const [good] = await eslint.lintText("import fs from 'node:fs';\nexport const x = fs;\n", { filePath: f('app/library/good.ts') });
    expect(good!.messages).toEqual([]);
  });
});
