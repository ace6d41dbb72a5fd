// The OpenAI-compatible ALM backend: POST {url}/chat/completions with the clip as a 16 kHz mono
// 16-bit WAV in an `input_audio` content part (base64, format 'wav'); GET {url}/models as the
// health check. Node's fetch with a time limit per request, quick retries for transient errors,
// and a concurrency limit (one request at a time by default).
import { splitReasoning } from './reasoning.ts';
import { Limiter } from './limiter.ts';
import { clipToWav } from './wav16.ts';
import {
  AlmError,
  DEFAULT_ATTEMPTS,
  DEFAULT_TIMEOUT_MS,
  type AlmBackend,
  type AlmBackendConfig,
  type AlmHealth,
  type AlmReply,
  type AlmRequest,
} from './types.ts';

/** The JSON body of one chat-completions request. */
export function chatRequestBody(model: string, req: AlmRequest): Record<string, unknown> {
  const audio = clipToWav(req.clip).toString('base64');
  const messages: unknown[] = [];
  if (req.system) messages.push({ role: 'system', content: req.system });
  messages.push({
    role: 'user',
    content: [
      { type: 'input_audio', input_audio: { data: audio, format: 'wav' } },
      { type: 'text', text: req.prompt },
    ],
  });
  return {
    model,
    messages,
    max_tokens: req.maxTokens ?? 2048,
    temperature: req.temperature ?? 0,
    stream: false,
  };
}

interface ChatCompletion {
  model?: unknown;
  choices?: { message?: { content?: unknown; reasoning_content?: unknown; reasoning?: unknown }; finish_reason?: unknown }[];
}

/** Reads a chat-completions body into a reply; throws AlmError BAD_RESPONSE / EMPTY_REPLY. */
export function parseChatCompletion(raw: string, fallbackModel: string, ms: number): AlmReply {
  let body: ChatCompletion;
  try {
    body = JSON.parse(raw) as ChatCompletion;
  } catch {
    throw new AlmError(`the server's answer is not JSON: ${JSON.stringify(raw.slice(0, 120))}`, 'BAD_RESPONSE', true);
  }
  const choice = Array.isArray(body?.choices) ? body.choices[0] : undefined;
  const msg = choice?.message;
  if (!msg || typeof msg !== 'object') throw new AlmError('the server answered without choices[0].message', 'BAD_RESPONSE', true);
  const content = msg.content;
  // Content may be a string or (some servers) an array of text parts.
  const text =
    typeof content === 'string'
      ? content
      : Array.isArray(content)
        ? content.map((p: { text?: unknown }) => (typeof p?.text === 'string' ? p.text : '')).join('')
        : '';
  const field = typeof msg.reasoning_content === 'string' ? msg.reasoning_content : typeof msg.reasoning === 'string' ? msg.reasoning : null;
  const split = splitReasoning(text, field);
  if (!split.answer) {
    throw new AlmError(
      split.reasoning ? 'the model only reasoned and gave no answer (token limit?)' : 'the model gave an empty answer',
      'EMPTY_REPLY',
      true,
    );
  }
  return {
    text: split.answer,
    reasoning: split.reasoning,
    model: typeof body.model === 'string' && body.model ? body.model : fallbackModel,
    ms,
    finishReason: typeof choice?.finish_reason === 'string' ? choice.finish_reason : null,
  };
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });

export class OpenAICompatibleBackend implements AlmBackend {
  private readonly limiter: Limiter;
  private readonly base: string;
  constructor(
    readonly config: AlmBackendConfig,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    let u: URL;
    try {
      u = new URL(config.url);
    } catch {
      throw new AlmError(`not a URL: '${config.url}'`, 'BAD_INPUT', false);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new AlmError(`the URL must be http(s): '${config.url}'`, 'BAD_INPUT', false);
    this.base = config.url.replace(/\/+$/, '');
    this.limiter = new Limiter(config.concurrency ?? 1);
  }

  private headers(json: boolean): Record<string, string> {
    const h: Record<string, string> = { accept: 'application/json' };
    if (json) h['content-type'] = 'application/json';
    const key = this.config.apiKeyEnv ? this.env[this.config.apiKeyEnv] : undefined;
    if (key) h.authorization = `Bearer ${key}`;
    return h;
  }

  /** One HTTP exchange with the time limit; maps failures to AlmError. */
  private async exchange(pathname: string, init: { method: string; body?: string }, timeoutMs: number, signal?: AbortSignal): Promise<string> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const both = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await fetch(this.base + pathname, { method: init.method, body: init.body, headers: this.headers(init.body !== undefined), signal: both });
    } catch (err) {
      throw this.networkError(err, timeout, timeoutMs, signal);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw this.networkError(err, timeout, timeoutMs, signal);
    }
    if (res.status === 401 || res.status === 403) {
      throw new AlmError(`${this.config.name}: HTTP ${res.status} (API key missing or refused${this.config.apiKeyEnv ? `; set ${this.config.apiKeyEnv}` : ''})`, 'AUTH', false, res.status);
    }
    if (!res.ok) {
      const retryable = res.status >= 500 || res.status === 429 || res.status === 408;
      throw new AlmError(`${this.config.name}: HTTP ${res.status} ${res.statusText}: ${text.slice(0, 200)}`, 'HTTP_ERROR', retryable, res.status);
    }
    return text;
  }

  private networkError(err: unknown, timeout: AbortSignal, timeoutMs: number, signal?: AbortSignal): Error {
    if (signal?.aborted) return signal.reason instanceof Error ? signal.reason : new Error('aborted');
    if (timeout.aborted) return new AlmError(`${this.config.name}: no answer within ${Math.round(timeoutMs / 1000)} s`, 'TIMEOUT', true);
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return new AlmError(`${this.config.name}: cannot reach ${this.base} (${cause?.code ?? cause?.message ?? (err as Error).message})`, 'UNREACHABLE', true);
  }

  async health(signal?: AbortSignal): Promise<AlmHealth> {
    const t0 = performance.now();
    try {
      const raw = await this.exchange('/models', { method: 'GET' }, Math.min(this.config.timeoutMs ?? 10_000, 10_000), signal);
      let models: string[] = [];
      try {
        const body = JSON.parse(raw) as { data?: { id?: unknown }[] };
        models = (body.data ?? []).map((m) => m.id).filter((id): id is string => typeof id === 'string');
      } catch {
        throw new AlmError('GET /models did not answer JSON', 'BAD_RESPONSE', true);
      }
      return { ok: true, models, modelListed: models.includes(this.config.model), ms: performance.now() - t0 };
    } catch (err) {
      if (!(err instanceof AlmError)) throw err;
      // A server without GET /models still answered: it is up, it just cannot list its models.
      if (err.code === 'HTTP_ERROR' && err.status === 404) return { ok: true, models: [], modelListed: false, ms: performance.now() - t0 };
      return { ok: false, code: err.code, message: err.message, ms: performance.now() - t0 };
    }
  }

  ask(req: AlmRequest): Promise<AlmReply> {
    return this.limiter.run(async () => {
      const body = JSON.stringify(chatRequestBody(this.config.model, req));
      const attempts = Math.max(1, this.config.attempts ?? DEFAULT_ATTEMPTS);
      const timeoutMs = this.config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      let last: unknown;
      for (let i = 0; i < attempts; i++) {
        if (i > 0) await sleep(Math.min(5000, 500 * 2 ** (i - 1)), req.signal);
        const t0 = performance.now();
        try {
          const raw = await this.exchange('/chat/completions', { method: 'POST', body }, timeoutMs, req.signal);
          return parseChatCompletion(raw, this.config.model, performance.now() - t0);
        } catch (err) {
          last = err;
          // A timeout is not retried at once: the server is likely still busy with the request.
          if (!(err instanceof AlmError) || !err.retryable || err.code === 'TIMEOUT') throw err;
        }
      }
      throw last;
    });
  }
}
