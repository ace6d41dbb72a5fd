// `linernotes demo`: the built-in default job. Synthesises a small library with known ground truth
// (or takes the folder given), scans it, analyses every track, shows what was measured, and runs a
// few plain-language searches over the result.
import path from 'node:path';
import { writeDemoLibrary } from '../demo/library.ts';
import { scanCommand, statsCommand, type Context } from './commands.ts';
import { analyzeCommand } from './analyze.ts';
import { EXIT } from './exitCodes.ts';
import { searchCommand } from './search.ts';

/** The searches the demo shows: one per kind of question the search understands. */
export const DEMO_SEARCHES = ['modal interchange', 'minor key songs that modulate', 'waltz', 'around 120 bpm with secondary dominants'] as const;

export async function demoCommand(ctx: Context, folder: string | undefined): Promise<number> {
  let dir = folder;
  if (!dir) {
    dir = path.join(ctx.dataDir, 'demo-library');
    const { files } = await writeDemoLibrary(dir);
    ctx.out.out(`demo library: ${files.length} synthesised songs in ${dir}`);
  }
  const scanned = await scanCommand(ctx, [dir]);
  if (scanned !== EXIT.OK && scanned !== EXIT.FILE_ERRORS) return scanned;
  ctx.out.out('');
  const analysed = await analyzeCommand(ctx, [], { json: ctx.out.json });
  if (!ctx.out.json) {
    ctx.out.out('');
    statsCommand(ctx);
    for (const q of DEMO_SEARCHES) {
      ctx.out.out(`\nlinernotes search "${q}"`);
      searchCommand(ctx, q, { limit: 3 });
    }
    ctx.out.out('\nmore: linernotes list · linernotes analyze <track id> · linernotes search "<words>" · linernotes ask "<question>" · linernotes serve');
  }
  return Math.max(scanned, analysed);
}
