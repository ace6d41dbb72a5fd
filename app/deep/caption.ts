// One deep analysis: the song's clips sent to an audio-language model with the caption prompt, the
// lyric sheet (when there are vocals) and the fixed questions; the -think variant's reasoning kept
// apart from each answer. Nothing here touches the store.
import { readClips, type ReadClipsOptions } from '../models/alm/clips.ts';
import type { AlmBackend, AlmReply } from '../models/alm/types.ts';
import type { DeepAnswer } from '../store/deepCaptions.ts';
import { CAPTION_PROMPT, LYRICS_PROMPT, NO_VOCALS, PROMPT_VERSION, QUESTIONS, partPreamble } from './prompts.ts';

export interface DeepResult {
  model: string;
  promptVersion: number;
  caption: string;
  /** The reasoning of the caption (every part's, joined), or null. */
  reasoning: string | null;
  lyrics: string | null;
  answers: DeepAnswer[];
  notices: string[];
  durationSec: number;
  parts: number;
  /** Requests made and their time in all (ms). */
  requests: number;
  ms: number;
}

export interface DeepOptions {
  /** Our measured vocals verdict (true, false, or null when not judged). */
  hasVocals?: boolean | null;
  /** Ask the fixed questions (default true). */
  questions?: boolean;
  maxAudioSec?: number;
  long?: ReadClipsOptions['long'];
  maxTokens?: number;
  signal?: AbortSignal;
}

const mmss = (s: number) => `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}`;

/**
 * Whether to ask for a lyric sheet: not when the caption says there are no vocals or that the song
 * is instrumental; otherwise when we measured vocals, or when the caption speaks of a voice.
 */
export function wantsLyrics(caption: string, hasVocals: boolean | null | undefined): boolean {
  if (/\bno (?:lead )?vocals\b|\binstrumental (?:track|piece|song|composition)\b|\bwithout vocals\b|\bis (?:entirely |purely )?instrumental\b/i.test(caption)) return false;
  if (hasVocals === true) return true;
  return /\b(?:vocals?|vocalist|singer|sings|sung|singing|voice|lyrics?|rapp(?:er|ing)|chant)\b/i.test(caption);
}

/** Runs the caption, lyric sheet and questions for the file at `path`. */
export async function deepAnalyse(backend: AlmBackend, path: string, opts: DeepOptions = {}): Promise<DeepResult> {
  const t0 = performance.now();
  const song = await readClips(path, { maxSec: opts.maxAudioSec ?? backend.config.maxAudioSec, long: opts.long, signal: opts.signal });
  if (song.clips.length === 0) throw Object.assign(new Error(`${path}: no audio to send`), { code: 'EMPTY' });
  const notices: string[] = song.notice ? [song.notice] : [];
  let requests = 0;
  let model = backend.config.model;
  const ask = async (clipIndex: number, prompt: string): Promise<AlmReply> => {
    requests++;
    const reply = await backend.ask({ clip: song.clips[clipIndex]!, prompt, maxTokens: opts.maxTokens, signal: opts.signal });
    model = reply.model;
    return reply;
  };
  const n = song.clips.length;
  const span = (i: number) => {
    const c = song.clips[i]!;
    return [mmss(c.startSec), mmss(c.startSec + c.samples.length / c.sampleRate)] as const;
  };
  const preamble = (i: number) => (n > 1 ? partPreamble(i + 1, n, ...span(i)) : '');

  const captions: string[] = [];
  const reasonings: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await ask(i, preamble(i) + CAPTION_PROMPT);
    captions.push(n > 1 ? `Part ${i + 1} of ${n} (${span(i).join('–')}):\n${r.text}` : r.text);
    if (r.reasoning) reasonings.push(n > 1 ? `Part ${i + 1}:\n${r.reasoning}` : r.reasoning);
  }
  const caption = captions.join('\n\n');

  let lyrics: string | null = null;
  if (wantsLyrics(caption, opts.hasVocals)) {
    const sheets: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = await ask(i, preamble(i) + LYRICS_PROMPT);
      if (r.text.trim().toUpperCase().replace(/[.!]$/, '') !== NO_VOCALS) sheets.push(r.text.trim());
    }
    lyrics = sheets.length ? sheets.join('\n\n') : null;
    if (!lyrics) notices.push('the model heard no vocals when asked for the lyrics');
  }

  const answers: DeepAnswer[] = [];
  if (opts.questions !== false) {
    if (n > 1) notices.push(`the questions were asked about part 1 (${span(0).join('–')}) only`);
    for (const q of QUESTIONS) {
      const r = await ask(0, q.question);
      answers.push({ id: q.id, question: q.question, answer: r.text, reasoning: r.reasoning });
    }
  }
  return {
    model,
    promptVersion: PROMPT_VERSION,
    caption,
    reasoning: reasonings.length ? reasonings.join('\n\n') : null,
    lyrics,
    answers,
    notices,
    durationSec: song.durationSec,
    parts: n,
    requests,
    ms: performance.now() - t0,
  };
}
