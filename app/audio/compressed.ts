// MP3, FLAC and Ogg (Vorbis, Opus, FLAC): the file is fed in chunks to a WASM decoder (codecs.ts)
// whose planar output is handed on as it comes. The container headers give the duration hint.
import { createDecoder, type ChunkDecoder, type CodecKind, type Decoded } from './codecs.ts';
import { DecodeError, quoteName } from './errors.ts';
import { flacFirstFrame, readFlacStreamInfo, type FlacStreamInfo } from './flac.ts';
import { mpegDuration, parseMpegFrame } from './mpeg.ts';
import { lastPage } from './ogg.ts';
import type { Opened, Piece, PieceSource } from './pieces.ts';
import type { Sniffed } from './sniff.ts';
import type { AudioSource } from './source.ts';

/** At most this many decoder errors are kept as warnings (then just counted). */
const MAX_WARNINGS = 20;

/** MP3 / FLAC / Ogg: a WASM decoder fed chunk by chunk, primed until it gives its first samples. */
export async function openCompressed(src: AudioSource, s: Exclude<Sniffed, { kind: 'wav' | 'aiff' | 'mp4' | 'adts' }>, readSize: number, warnings: string[], signal?: AbortSignal): Promise<Opened> {
  const name = quoteName(src.path);
  let kind: CodecKind;
  let format: string;
  let start = 0;
  let hint: number | null = null;
  let channelsFromHeader: number | null = null;
  let flacInfo: FlacStreamInfo | null = null;
  if (s.kind === 'mpeg') {
    kind = 'mpeg';
    format = s.name;
    start = s.audioStart;
    const tail = await src.read(src.size - 128, 128);
    const id3v1 = tail.length === 128 && tail[0] === 0x54 && tail[1] === 0x41 && tail[2] === 0x47 ? 128 : 0; // 'TAG'
    hint = mpegDuration(s.head, 0, src.size - s.firstFrame - id3v1);
    channelsFromHeader = parseMpegFrame(s.head, 0)?.channels ?? null; // mpg123 always outputs two channels
  } else if (s.kind === 'flac') {
    kind = 'flac';
    format = 'FLAC';
    flacInfo = readFlacStreamInfo(s.head, 0);
    if (flacInfo?.totalSamples) hint = flacInfo.totalSamples / flacInfo.sampleRate;
    start = await flacFirstFrame((p, n) => src.read(p, n), s.audioStart, src.size); // frames only: our framer splits them
  } else {
    kind = s.ogg.codec === 'vorbis' ? 'ogg-vorbis' : s.ogg.codec === 'opus' ? 'ogg-opus' : 'ogg-flac';
    format = s.ogg.codec === 'vorbis' ? 'Ogg Vorbis' : s.ogg.codec === 'opus' ? 'Ogg Opus' : 'Ogg FLAC';
    const tailStart = Math.max(0, src.size - 65536 - 282); // the last page starts within its maximum size
    const last = lastPage(await src.read(tailStart, src.size - tailStart), s.ogg.serial);
    if (last && s.ogg.granuleRate) hint = Math.max(0, last.granule - s.ogg.preSkip) / s.ogg.granuleRate;
    if (!last?.endOfStream) warnings.push('its last Ogg page is not marked end-of-stream: the file is probably cut off');
  }
  const decoder = await createDecoder(kind, { startOffset: start, flac: flacInfo, oggPreSkip: s.kind === 'ogg' ? s.ogg.preSkip : 0 });
  const reader = new ChunkReader(src, decoder, start, readSize, warnings, signal);
  try {
    const first = await reader.next();
    if (!first) {
      const why = reader.errors[0] ? ` (${reader.errors[0]})` : '';
      if (hint === 0) throw new DecodeError('EMPTY', src.path, `${name} holds no audio: its ${format} stream is empty`);
      throw new DecodeError('CORRUPT', src.path, `${name} is a damaged ${format} file: nothing in it could be decoded${why}`);
    }
    reader.unshift(first);
    return {
      source: reader,
      format,
      sourceSampleRate: first.rate,
      sourceChannels: channelsFromHeader ?? first.channels.length,
      durationHint: hint,
    };
  } catch (err) {
    reader.close();
    throw err;
  }
}

/** Reads the file in chunks into a decoder and hands out its output. */
class ChunkReader implements PieceSource {
  readonly errors: string[] = [];
  private pos: number;
  private done = false;
  private pending: Piece | null = null;
  private errorCount = 0;

  constructor(
    private readonly src: AudioSource,
    private readonly decoder: ChunkDecoder,
    start: number,
    private readonly readSize: number,
    private readonly warnings: string[],
    private readonly signal?: AbortSignal,
  ) {
    this.pos = start;
  }

  /** Puts a result back, to be returned by the next `next()`. */
  unshift(r: Piece): void {
    this.pending = r;
  }

  /** The next non-empty piece of decoded audio, or null at the end. */
  async next(): Promise<Piece | null> {
    if (this.pending) {
      const p = this.pending;
      this.pending = null;
      return p;
    }
    while (!this.done) {
      this.signal?.throwIfAborted();
      const chunk = this.pos < this.src.size ? await this.src.read(this.pos, this.readSize) : null;
      if (this.done) return null; // closed while reading: the decoder is gone
      let d: Decoded;
      if (chunk?.length) {
        this.pos += chunk.length;
        d = await this.decoder.decode(chunk);
      } else {
        d = await this.decoder.flush(); // end of file (or it shrank while being read)
        this.done = true;
      }
      this.note(d.errors);
      if (d.length > 0 && d.channels.length > 0) return { channels: d.channels, length: d.length, rate: d.sampleRate };
    }
    return null;
  }

  private note(errors: string[]): void {
    for (const e of errors) {
      this.errorCount++;
      if (this.errors.length < MAX_WARNINGS) {
        this.errors.push(e);
        this.warnings.push(e);
      } else if (this.errorCount === MAX_WARNINGS + 1) this.warnings.push('more decoding problems (not listed)');
    }
  }

  close(): void {
    this.done = true;
    this.decoder.free();
  }
}

