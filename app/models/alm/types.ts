// The audio-language-model (ALM) backend interface: a server that takes audio plus a text prompt
// and answers in text (Music Flamingo behind llama-server or vLLM, or any OpenAI-compatible server).

/** Where a backend lives and how to talk to it (what `linernotes models add` stores). */
export interface AlmBackendConfig {
  /** The user's name for it, e.g. 'flamingo'. */
  name: string;
  /** Base URL of the OpenAI-compatible API, e.g. 'http://127.0.0.1:8080/v1'. */
  url: string;
  /** The model name the server expects, e.g. 'nvidia/music-flamingo-2601-hf'. */
  model: string;
  /** Name of the environment variable holding the API key (the key itself is never stored). */
  apiKeyEnv?: string | null;
  /** Time limit of one request (ms). */
  timeoutMs?: number;
  /** Tries of one request in all, for errors worth retrying at once (unreachable, 5xx, timeout). */
  attempts?: number;
  /** Requests in flight at once (default 1: a GPU server serves one song at a time best). */
  concurrency?: number;
  /** Longest audio sent in one request (s); longer songs are chunked (default 1200 = 20 minutes, Music Flamingo's limit). */
  maxAudioSec?: number;
}

/** A mono clip at 16 kHz, as 16-bit samples. */
export interface AudioClip {
  samples: Int16Array;
  sampleRate: number;
  /** Where the clip starts in the song (s). */
  startSec: number;
}

/** One request: audio clip plus text prompt (and an optional system prompt). */
export interface AlmRequest {
  clip: AudioClip;
  prompt: string;
  system?: string;
  /** Most tokens to generate. */
  maxTokens?: number;
  temperature?: number;
  signal?: AbortSignal;
}

/** The answer, with any reasoning (the -think variant) kept apart from it. */
export interface AlmReply {
  text: string;
  reasoning: string | null;
  /** The model name the server reported (or the configured one). */
  model: string;
  ms: number;
  finishReason: string | null;
}

export type AlmHealth =
  | { ok: true; models: string[]; modelListed: boolean; ms: number }
  | { ok: false; code: AlmErrorCode; message: string; ms: number };

/**
 * What went wrong with a request:
 * - UNREACHABLE: nothing answered at the URL (refused, DNS, reset).
 * - TIMEOUT: no full answer within the time limit.
 * - HTTP_ERROR: the server answered with an error status (5xx retryable; 4xx not).
 * - AUTH: 401/403 (key missing or wrong).
 * - BAD_RESPONSE: the body was not the expected JSON.
 * - EMPTY_REPLY: a well-formed answer with no text in it.
 * - BAD_INPUT: the audio could not be read or the request could not be built.
 */
export type AlmErrorCode = 'UNREACHABLE' | 'TIMEOUT' | 'HTTP_ERROR' | 'AUTH' | 'BAD_RESPONSE' | 'EMPTY_REPLY' | 'BAD_INPUT';

export class AlmError extends Error {
  override name = 'AlmError';
  constructor(
    message: string,
    readonly code: AlmErrorCode,
    /** Whether trying again later may help. */
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** An audio-language model: answers a prompt about a clip. */
export interface AlmBackend {
  readonly config: AlmBackendConfig;
  health(signal?: AbortSignal): Promise<AlmHealth>;
  ask(req: AlmRequest): Promise<AlmReply>;
}

export const DEFAULT_TIMEOUT_MS = 600_000;
export const DEFAULT_ATTEMPTS = 2;
export const DEFAULT_MAX_AUDIO_SEC = 1200;
export const ALM_SAMPLE_RATE = 16000;
