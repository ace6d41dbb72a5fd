// Reading a song as the model's input: decoded, downmixed and resampled to 16 kHz mono (openAudio),
// 16-bit, in clips of at most `maxSec` (a longer song is chunked, or cut, with a notice).
import { openAudio } from '../../audio/decode.ts';
import { ALM_SAMPLE_RATE, DEFAULT_MAX_AUDIO_SEC, type AudioClip } from './types.ts';
import { toInt16 } from './wav16.ts';

export interface SongClips {
  clips: AudioClip[];
  durationSec: number;
  /** Set when the song was longer than `maxSec`: what was done about it. */
  notice: string | null;
}

export interface ReadClipsOptions {
  maxSec?: number;
  /** 'chunk' (default): every part of ≤ maxSec is sent; 'cut': only the first maxSec. */
  long?: 'chunk' | 'cut';
  sampleRate?: number;
  signal?: AbortSignal;
}

const mmss = (s: number) => `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}`;

/** Decodes `path` (read-only) into clips of ≤ maxSec at 16 kHz. */
export async function readClips(path: string, opts: ReadClipsOptions = {}): Promise<SongClips> {
  const maxSec = opts.maxSec ?? DEFAULT_MAX_AUDIO_SEC;
  const rate = opts.sampleRate ?? ALM_SAMPLE_RATE;
  if (!(maxSec > 0)) throw new RangeError(`readClips: maxSec must be positive (got ${maxSec})`);
  const perClip = Math.max(1, Math.floor(maxSec * rate));
  const stream = await openAudio(path, { sampleRate: rate, signal: opts.signal });
  const clips: AudioClip[] = [];
  let current = new Int16Array(perClip);
  let fill = 0;
  let total = 0;
  let cut = false;
  const flush = () => {
    if (fill > 0) clips.push({ samples: current.slice(0, fill), sampleRate: rate, startSec: (clips.length * perClip) / rate });
    current = new Int16Array(perClip);
    fill = 0;
  };
  try {
    for await (const block of stream.blocks()) {
      total += block.length;
      if (cut) continue; // keep counting the length
      const ints = toInt16(block);
      let at = 0;
      while (at < ints.length) {
        const n = Math.min(perClip - fill, ints.length - at);
        current.set(ints.subarray(at, at + n), fill);
        fill += n;
        at += n;
        if (fill === perClip) {
          flush();
          if (opts.long === 'cut') {
            cut = true;
            break;
          }
        }
      }
    }
  } finally {
    await stream.close();
  }
  if (!cut) flush();
  const durationSec = total / rate;
  let notice: string | null = null;
  if (total > perClip) {
    notice =
      opts.long === 'cut'
        ? `the song is ${mmss(durationSec)}, longer than the model's ${mmss(maxSec)}: only the first ${mmss(maxSec)} was sent`
        : `the song is ${mmss(durationSec)}, longer than the model's ${mmss(maxSec)}: sent as ${clips.length} parts of at most ${mmss(maxSec)}`;
  }
  return { clips, durationSec, notice };
}
