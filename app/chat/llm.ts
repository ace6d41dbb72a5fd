// The optional language model: any OpenAI-compatible chat-completions endpoint (llama.cpp server,
// Ollama, vLLM, …), offered the chat's tools as function calls in a loop with a step limit and a
// timeout. Its final answer is checked against the tools' results (verify.ts); any failure falls
// back to the deterministic parser with a notice.
import { answerQuestion } from './answer.ts';
import type { IntentContext } from './intent.ts';
import { titleOf, type ChatLibrary } from './library.ts';
import { CAPTION_NOTICE, runTool, TOOL_SPECS } from './tools.ts';
import type { ChatAnswer, Citation, IntentKind } from './types.ts';
import { verifyAnswer } from './verify.ts';

export interface LlmConfig {
  /** Base URL (e.g. http://127.0.0.1:8080/v1) or the full …/chat/completions URL. */
  url: string;
  model: string;
  apiKey?: string;
  /** Per request, ms (default 30 s). */
  timeoutMs?: number;
  /** Most model calls per question (default 6). */
  maxSteps?: number;
}

/** Reads LINERNOTES_LLM_URL, LINERNOTES_LLM_MODEL, LINERNOTES_LLM_API_KEY, LINERNOTES_LLM_TIMEOUT_MS. */
export function llmConfigFromEnv(env: NodeJS.ProcessEnv = process.env): LlmConfig | undefined {
  const url = env.LINERNOTES_LLM_URL?.trim();
  if (!url) return undefined;
  const timeout = Number(env.LINERNOTES_LLM_TIMEOUT_MS);
  return { url, model: env.LINERNOTES_LLM_MODEL?.trim() || 'default', ...(env.LINERNOTES_LLM_API_KEY ? { apiKey: env.LINERNOTES_LLM_API_KEY } : {}), ...(Number.isFinite(timeout) && timeout > 0 ? { timeoutMs: timeout } : {}) };
}

export function completionsUrl(url: string): string {
  const u = url.replace(/\/+$/, '');
  return /\/chat\/completions$/.test(u) ? u : `${u}/chat/completions`;
}

interface ToolCall {
  id: string;
  type?: string;
  function: { name: string; arguments: string };
}
interface ModelMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | null;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
}

/** The intent a model's answer is recorded with: that of the first tool it called. */
const TOOL_INTENT: Record<string, IntentKind> = {
  search: 'search',
  get_track_analysis: 'track-overview',
  get_model_caption: 'track-caption',
  compare_tracks: 'compare',
  explain_concept: 'explain',
  make_playlist: 'playlist',
  library_stats: 'stats',
};

export class LlmError extends Error {
  override name = 'LlmError';
}

const SYSTEM_PROMPT = [
  'You are Linernotes, an assistant for the user\'s own music library.',
  'Answer ONLY from the results of the tools; call tools for every fact (titles, keys, tempi, times, counts).',
  'Never invent a song, a number, a key or a time. If the tools do not say it, say you do not know.',
  'Give times as m:ss, tempi in BPM. Be brief.',
  'get_model_caption returns text written by an audio-language model, not measurements: say that it is the model\'s unverified description whenever you use it, and where it disagrees with the measurements give the measurements.',
].join(' ');

async function complete(cfg: LlmConfig, messages: ModelMessage[], fetchImpl: typeof fetch): Promise<ModelMessage> {
  let res: Response;
  try {
    res = await fetchImpl(completionsUrl(cfg.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cfg.apiKey ? { authorization: `Bearer ${cfg.apiKey}` } : {}) },
      body: JSON.stringify({ model: cfg.model, messages, tools: TOOL_SPECS, tool_choice: 'auto', temperature: 0 }),
      signal: AbortSignal.timeout(cfg.timeoutMs ?? 30_000),
    });
  } catch (err) {
    const e = err as Error;
    throw new LlmError(e.name === 'TimeoutError' || e.name === 'AbortError' ? `no answer within ${Math.round((cfg.timeoutMs ?? 30_000) / 1000)} s` : `cannot reach ${completionsUrl(cfg.url)} (${(e.cause as Error | undefined)?.message ?? e.message})`);
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new LlmError(`the endpoint answered HTTP ${res.status} with something that is not JSON`);
  }
  if (!res.ok) throw new LlmError(`the endpoint answered HTTP ${res.status}`);
  const msg = (body as { choices?: { message?: ModelMessage }[] })?.choices?.[0]?.message;
  if (!msg || typeof msg !== 'object' || (typeof msg.content !== 'string' && !Array.isArray(msg.tool_calls))) throw new LlmError('the model\'s reply has no message (malformed output)');
  if (msg.tool_calls && !msg.tool_calls.every((c) => c && typeof c.id === 'string' && typeof c.function?.name === 'string' && typeof c.function.arguments === 'string')) {
    throw new LlmError('the model\'s tool call is malformed');
  }
  return { role: 'assistant', content: typeof msg.content === 'string' ? msg.content : null, ...(msg.tool_calls?.length ? { tool_calls: msg.tool_calls } : {}) };
}

/** Asks the model with the tools; on any failure answers with the parser and says so. */
export async function answerWithModel(
  lib: ChatLibrary,
  question: string,
  cfg: LlmConfig,
  opts: { history?: { role: 'user' | 'assistant'; text: string }[]; context?: Omit<IntentContext, 'tracks'>; fetch?: typeof fetch } = {},
): Promise<ChatAnswer> {
  const fetchImpl = opts.fetch ?? fetch;
  const scope = opts.context?.scopeTrack;
  const messages: ModelMessage[] = [
    { role: 'system', content: SYSTEM_PROMPT + (scope ? ` This conversation is about the track "${titleOf(scope)}" (id ${scope.id}); "this song" means it.` : '') },
    ...(opts.history ?? []).slice(-8).map((m) => ({ role: m.role, content: m.text }) as ModelMessage),
    { role: 'user', content: question },
  ];
  const sources: string[] = [question];
  const citations: Citation[][] = [];
  let intent: IntentKind = 'unknown';
  let usedCaption = false;
  const maxSteps = Math.max(1, cfg.maxSteps ?? 6);
  try {
    for (let step = 0; step < maxSteps; step++) {
      const reply = await complete(cfg, messages, fetchImpl);
      messages.push(reply);
      if (!reply.tool_calls) {
        const content = (reply.content ?? '').trim();
        if (!content) throw new LlmError('the model returned an empty answer');
        const checked = verifyAnswer(content, sources, lib.tracks().map(titleOf));
        // A small result (one track, a comparison) is cited whole; of a long list only what the answer names.
        const lower = checked.text.toLowerCase();
        const cited = citations.flatMap((group) => {
          if (new Set(group.map((c) => c.trackId)).size <= 3) return group;
          const named = group.filter((c) => lower.includes(c.title.toLowerCase()));
          return named.length ? named : group;
        });
        return {
          text: checked.text,
          citations: dedupe(cited),
          intent,
          source: 'model',
          notices: [
            ...(checked.unverified.length ? [`${checked.unverified.length} statement(s) of the model are not backed by the library's measurements and are marked [unverified: …]`] : []),
            ...(usedCaption ? [CAPTION_NOTICE] : []),
          ],
          suggestions: [],
        };
      }
      for (const call of reply.tool_calls) {
        let args: unknown;
        try {
          args = JSON.parse(call.function.arguments || '{}');
        } catch {
          args = null;
        }
        const result = args === null ? { ok: false, data: { error: 'arguments are not valid JSON' }, text: 'arguments are not valid JSON', citations: [] } : runTool(lib, call.function.name, args);
        if (intent === 'unknown') intent = TOOL_INTENT[call.function.name] ?? 'unknown';
        if (call.function.name === 'get_model_caption' && result.ok) usedCaption = true;
        const payload = JSON.stringify({ ok: result.ok, text: result.text, data: result.data });
        sources.push(payload);
        citations.push(result.citations);
        messages.push({ role: 'tool', tool_call_id: call.id, content: payload });
      }
    }
    throw new LlmError(`no final answer after ${maxSteps} steps`);
  } catch (err) {
    const fallback = answerQuestion(lib, question, opts.context);
    return { ...fallback, notices: [`The language model was not used: ${(err as Error).message}. Answered by the built-in parser instead.`, ...fallback.notices] };
  }
}

function dedupe(cs: Citation[]): Citation[] {
  const seen = new Set<string>();
  return cs.filter((c) => {
    const k = `${c.trackId}|${c.start ?? ''}|${c.end ?? ''}|${c.what ?? ''}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}
