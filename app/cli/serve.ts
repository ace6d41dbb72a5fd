// `linernotes serve [--port N] [--open]`: the UI in a browser tab, served on 127.0.0.1 only, with a
// random token in the printed URL. Runs until Ctrl+C (or SIGTERM).
import { spawn } from 'node:child_process';
import { createLibraryService } from '../service/service.ts';
import { llmConfigFromEnv } from '../chat/llm.ts';
import { startServer } from '../server/server.ts';
import { appVersion } from '../server/static.ts';
import { EXIT } from './exitCodes.ts';
import type { Context } from './commands.ts';

export interface ServeOptions {
  port?: number;
  open?: boolean;
  signal?: AbortSignal;
  /** Called with the URL once listening (tests). */
  onListening?: (url: string) => void;
}

/** Opens a URL in the user's browser (best effort; the URL is printed either way). */
function openInBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  const child = spawn(cmd, args as string[], { detached: true, stdio: 'ignore' });
  child.on('error', () => undefined);
  child.unref();
}

export async function serveCommand(ctx: Context, o: ServeOptions): Promise<number> {
  if (o.port !== undefined && (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535)) {
    ctx.out.err(`linernotes: --port must be 0..65535 (got ${o.port})`);
    return EXIT.USAGE;
  }
  // The chat uses the same language model settings as `linernotes ask` (none: the built-in parser answers).
  const service = createLibraryService(ctx.store, { dataDir: ctx.dataDir, appVersion: appVersion(), chat: { llm: llmConfigFromEnv(process.env) } });
  let server;
  try {
    server = await startServer({ store: ctx.store, service, port: o.port });
  } catch (err) {
    ctx.out.err(`linernotes: cannot listen on 127.0.0.1:${o.port ?? 0}: ${(err as Error).message}`);
    return EXIT.FAILURE;
  }
  if (ctx.out.json) ctx.out.data({ url: server.url, port: server.port });
  else ctx.out.out(`Linernotes is at ${server.url}\n(only this computer can reach it; the link carries a private token — press Ctrl+C to stop)`);
  o.onListening?.(server.url);
  if (o.open) openInBrowser(server.url);
  // Analysis runs in worker processes of this server (unless another Linernotes process runs the queue).
  try {
    service.startQueue();
  } catch (err) {
    ctx.out.err(`linernotes: the analysis queue did not start: ${(err as Error).message}`);
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    o.signal?.addEventListener('abort', stop, { once: true });
    if (o.signal?.aborted) stop();
  });
  await server.close();
  await service.close();
  return EXIT.OK;
}
