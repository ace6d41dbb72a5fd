// `linernotes ask "<question>" [--track ID] [--conversation ID] [--json]`: a question about the
// library, answered from its analyses with citations; a language model is used when
// LINERNOTES_LLM_URL is set (see app/chat/llm.ts), else the built-in parser.
import { llmConfigFromEnv } from '../chat/llm.ts';
import { ChatError, ChatService } from '../chat/service.ts';
import { clock } from '../search/describe.ts';
import type { Context } from './commands.ts';
import { EXIT } from './exitCodes.ts';

export interface AskCliOptions {
  json?: boolean;
  track?: string;
  conversation?: string;
}

function wholeNumber(v: string | undefined): number | undefined | null {
  if (v === undefined) return undefined;
  return /^\d+$/.test(v.trim()) ? Number(v) : null;
}

export async function askCommand(ctx: Context, question: string, opts: AskCliOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const trackId = wholeNumber(opts.track);
  const conversationId = wholeNumber(opts.conversation);
  if (trackId === null || conversationId === null) {
    ctx.out.err('linernotes: --track and --conversation take a whole number (a track id from `linernotes list`, a conversation id from an earlier answer)');
    return EXIT.USAGE;
  }
  const service = new ChatService(ctx.store, { llm: llmConfigFromEnv(env) });
  let result;
  try {
    result = await service.ask(question, { trackId, conversationId });
  } catch (err) {
    if (err instanceof ChatError) {
      ctx.out.err(`linernotes: ${err.message}`);
      return EXIT.USAGE;
    }
    throw err;
  }
  const { answer, conversation } = result;
  if (ctx.out.json) {
    ctx.out.data({ conversationId: conversation.id, trackId: conversation.trackId, ...answer });
    return EXIT.OK;
  }
  for (const n of answer.notices) ctx.out.err(`note: ${n}`);
  ctx.out.out(answer.text);
  if (answer.suggestions.length) for (const s of answer.suggestions) ctx.out.out(`  · ${s}`);
  if (answer.citations.length) {
    const seen = new Set<string>();
    const lines = answer.citations
      .map((c) => `  [#${c.trackId}] ${c.title}${c.start !== undefined ? ` ${clock(c.start)}–${clock(c.end ?? c.start)}` : ''}${c.what ? ` (${c.what})` : ''}`)
      .filter((l) => (seen.has(l) ? false : (seen.add(l), true)));
    ctx.out.out('sources:');
    for (const l of lines.slice(0, 12)) ctx.out.out(l);
    if (lines.length > 12) ctx.out.out(`  … and ${lines.length - 12} more`);
  }
  ctx.out.err(`(conversation ${conversation.id}; continue with --conversation ${conversation.id})`);
  return EXIT.OK;
}
