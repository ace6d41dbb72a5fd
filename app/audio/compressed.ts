// MP3, FLAC and Ogg (Vorbis, Opus, FLAC): the file is fed in chunks to a WASM decoder (codecs.ts)
// whose planar output is handed on as it comes. The container headers give the duration hint.
import { createDecoder, type ChunkDecoder, type CodecKind, type Decoded, type DecoderOptions } from './codecs.ts';
import { DecodeError, quoteName } from './errors.ts';
import { flacFirstFrame, readFlacStreamInfo, type FlacStreamInfo } from './flac.ts';
import { mpegDuration, parseMpegFrame, readMpegInfoFrame } from './mpeg.ts';
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
  let end = src.size;
  let mpeg: DecoderOptions['mpeg'];
  if (s.kind === 'mpeg') {
    kind = 'mpeg';
    format = s.name;
    start = s.firstFrame; // what sniffing passed over before it (junk) is no audio
    end = await mpegAudioEnd(src);
    hint = mpegDuration(s.head, 0, end - s.firstFrame);
    const first = parseMpegFrame(s.head, 0);
    channelsFromHeader = first?.channels ?? null; // the decoder always outputs two channels
    mpeg = { infoFrame: readMpegInfoFrame(s.head, 0), samplesPerFrame: first?.samplesPerFrame ?? 1152 };
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
  const decoder = await createDecoder(kind, { startOffset: start, flac: flacInfo, oggPreSkip: s.kind === 'ogg' ? s.ogg.preSkip : 0, mpeg });
  const reader = new ChunkReader(src, decoder, start, end, readSize, warnings, signal);
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

/**
 * Where an MP3's audio ends: before an ID3v1 tag ('TAG', the last 128 bytes) and an APEv2 tag
 * ('APETAGEX' footer) in front of it or at the very end, which the decoder would take for damage.
 */
async function mpegAudioEnd(src: AudioSource): Promise<number> {
  let end = src.size;
  const tail = await src.read(Math.max(0, end - 128), Math.min(128, end));
  if (tail.length === 128 && tail[0] === 0x54 && tail[1] === 0x41 && tail[2] === 0x47) end -= 128; // 'TAG'
  if (end >= 32) {
    const footer = await src.read(end - 32, 32);
    if (String.fromCharCode(...footer.subarray(0, 8)) === 'APETAGEX') {
      const size = footer[12]! | (footer[13]! << 8) | (footer[14]! << 16) | (footer[15]! << 24); // items + footer
      const hasHeader = (footer[23]! & 0x80) !== 0;
      const total = size + (hasHeader ? 32 : 0);
      if (total > 0 && total <= end) end -= total;
    }
  }
  return end;
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
    /** Where the audio ends (before tags at the end of an MP3). */
    private readonly end: number,
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
    while (!this.done || this.decoder.drain) {
      const held = this.decoder.drain?.();
      if (held) this.note(held.errors);
      if (held?.length && held.channels.length) return { channels: held.channels, mix: held.mix, length: held.length, rate: held.sampleRate };
      if (this.done) break;
      this.signal?.throwIfAborted();
      const chunk = this.pos < this.end ? await this.src.read(this.pos, Math.min(this.readSize, this.end - this.pos)) : null;
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
      if (d.length > 0 && d.channels.length > 0) return { channels: d.channels, mix: d.mix, length: d.length, rate: d.sampleRate };
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

