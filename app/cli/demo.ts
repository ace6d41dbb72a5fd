// `linernotes demo`: the built-in default job. Synthesises a small library with known ground truth
// (or takes the folder given), scans it, analyses every track and shows what was measured.
import path from 'node:path';
import { writeDemoLibrary } from '../demo/library.ts';
import { scanCommand, statsCommand, type Context } from './commands.ts';
import { analyzeCommand } from './analyze.ts';
import { EXIT } from './exitCodes.ts';

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
    ctx.out.out('\nmore: linernotes list · linernotes analyze <track id> · linernotes analyze <id> --jams out.jams');
  }
  return Math.max(scanned, analysed);
}
