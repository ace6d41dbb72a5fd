// What the format-specific sources hand to the stream in decode.ts: audio at the source rate, piece
// by piece, plus the facts known once the file is open.
import { DecodeError, quoteName } from './errors.ts';

/** A piece of audio at the source rate: planar channels (for WAV/AIFF one, already downmixed, unless asked for them all). */
export interface Piece {
  channels: Float32Array[];
  /** The channels' average, when the decoder made it (MPEG): used as the mono mix instead of downmixing. */
  mix?: Float32Array;
  length: number;
  rate: number;
}

/** Audio at the source rate, piece by piece; `rate` may change mid-stream (chained Ogg). */
export interface PieceSource {
  /** `allChannels`: hand out every channel of the file (WAV/AIFF otherwise downmix while converting). */
  next(allChannels?: boolean): Promise<Piece | null>;
  close(): void;
}

/** A source ready to read, with what is known about the file before decoding it all. */
export interface Opened {
  source: PieceSource;
  format: string;
  sourceSampleRate: number;
  sourceChannels: number;
  durationHint: number | null;
}

/** Decodes up to the first samples (a file with none is damaged), then puts them back. */
export async function firstPiece(source: PieceSource, file: string, what: string, facts: Omit<Opened, 'source'>): Promise<Opened> {
  try {
    const first = await source.next();
    if (!first) throw new DecodeError('CORRUPT', file, `${quoteName(file)} is a damaged ${what} file: nothing in it could be decoded`);
    let pending: typeof first | null = first;
    const wrapped: PieceSource = {
      next: async () => {
        if (pending) {
          const p = pending;
          pending = null;
          return p;
        }
        return source.next();
      },
      close: () => source.close(),
    };
    return { ...facts, source: wrapped };
  } catch (err) {
    source.close();
    throw err;
  }
}
