// `linernotes demo`: the built-in default job. Synthesises a small library with known ground truth
// (or takes the folder given), scans it and shows what is in it.
import path from 'node:path';
import { writeDemoLibrary } from '../demo/library.ts';
import { scanCommand, statsCommand, listCommand, type Context } from './commands.ts';
import { EXIT } from './exitCodes.ts';

export async function demoCommand(ctx: Context, folder: string | undefined): Promise<number> {
  let dir = folder;
  if (!dir) {
    dir = path.join(ctx.dataDir, 'demo-library');
    const { files } = await writeDemoLibrary(dir);
    ctx.out.out(`demo library: ${files.length} synthesised songs in ${dir}`);
  }
  const code = await scanCommand(ctx, [dir]);
  if (code !== EXIT.OK && code !== EXIT.FILE_ERRORS) return code;
  if (!ctx.out.json) {
    ctx.out.out('');
    listCommand(ctx, { limit: 50 });
    ctx.out.out('');
    statsCommand(ctx);
  }
  return code;
}
