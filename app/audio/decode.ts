// Decoding for analysis: any format the scanner accepts (by content) → mono float PCM at the
// analysis rate, streamed in blocks. The file is read in chunks, each chunk decoded, downmixed and
// resampled as it comes, so memory stays flat however long the file is. Files are opened read-only.
//
//   file ──read 256 KiB──► decode (WAV/AIFF: pcm.ts, straight to mono; MP3/FLAC/Ogg: codecs.ts;
//                                   M4A: mp4Open.ts → ALAC alac.ts, AAC the user's ffmpeg;
//                                   raw AAC (ADTS): ffmpegOpen.ts, the user's ffmpeg)
//        ──► downmix (channel average) + resample.ts (polyphase Kaiser-sinc) ──► blocks of `blockSize`
//        └─► source tap (optional): each decoded chunk as it is, the file's own channels at its own rate
import type { AudioStreamInfo } from '../analysis/types.ts';
import { BlockAssembler } from './blocks.ts';
import { channelLayout, toWavOrder, type ChannelLayout } from './channelOrder.ts';
import { openCompressed } from './compressed.ts';
import { downmix } from './downmix.ts';
import { openWithFfmpeg } from './ffmpegOpen.ts';
import { openMp4 } from './mp4Open.ts';
import type { Opened, PieceSource } from './pieces.ts';
import { Resampler } from './resample.ts';
import { sniff } from './sniff.ts';
import { openSource, type AudioSource } from './source.ts';
import { openPcm } from './uncompressed.ts';

export { DecodeError } from './errors.ts';
export type { DecodeErrorCode } from './errors.ts';

export const DEFAULT_SAMPLE_RATE = 22050;
export const DEFAULT_BLOCK_SIZE = 65536;
const DEFAULT_READ_SIZE = 256 * 1024;

/**
 * Receives each decoded chunk before downmix and resampling: the file's own channels in WAV order
 * (L R C LFE Ls Rs …) at its own rate. The arrays belong to the decoder: read them during the call only.
 */
export type SourceSink = (channels: readonly Float32Array[], length: number, sampleRate: number) => void;

export interface OpenAudioOptions {
  /** Analysis sample rate in Hz (default 22050). */
  sampleRate?: number;
  /** Samples per block from `blocks()` (default 65536); the last block may be shorter. */
  blockSize?: number;
  /** Aborts opening and decoding (blocks() throws the signal's reason). */
  signal?: AbortSignal;
  /** Bytes read from the file at a time (default 256 KiB). Doesn't change the output. */
  readSize?: number;
  /** Taps the source chunks (see `SourceSink`); the same as calling `tapSource` before iterating. */
  onSource?: SourceSink;
}

export interface AudioStream {
  readonly info: AudioStreamInfo;
  /** What was decoded, e.g. 'MP3', 'FLAC', 'Ogg Opus', 'WAV 24-bit integer (little-endian)'. */
  readonly format: string;
  /** Problems that didn't stop decoding (cut-off file, decoder errors); grows while decoding. */
  readonly warnings: readonly string[];
  /** Mono blocks at `info.sampleRate`, in order; can be iterated once. Closes the stream when done. */
  blocks(): AsyncGenerator<Float32Array>;
  /** Sets (or clears) the receiver of the source chunks; takes effect from the next chunk decoded. */
  tapSource(sink: SourceSink | null): void;
  /** Releases the file and the decoder; safe to call more than once, and while iterating. */
  close(): Promise<void>;
}

/** Opens `path` for decoding: sniffs the format, reads its header, and decodes up to the first samples. */
export async function openAudio(path: string, opts: OpenAudioOptions = {}): Promise<AudioStream> {
  const target = opts.sampleRate ?? DEFAULT_SAMPLE_RATE;
  const blockSize = opts.blockSize ?? DEFAULT_BLOCK_SIZE;
  const readSize = opts.readSize ?? DEFAULT_READ_SIZE;
  if (!Number.isInteger(target) || target < 1000 || target > 768000) throw new RangeError(`openAudio: sampleRate must be an integer from 1000 to 768000 Hz (got ${target})`);
  if (!Number.isInteger(blockSize) || blockSize < 1) throw new RangeError(`openAudio: blockSize must be a positive integer (got ${blockSize})`);
  if (!Number.isInteger(readSize) || readSize < 4096) throw new RangeError(`openAudio: readSize must be an integer ≥ 4096 (got ${readSize})`);
  opts.signal?.throwIfAborted();
  const src = await openSource(path);
  const warnings: string[] = [];
  try {
    const sniffed = await sniff(src);
    const opened = sniffed.kind === 'wav' || sniffed.kind === 'aiff' ? await openPcm(src, sniffed, readSize, warnings)
      : sniffed.kind === 'mp4' ? await openMp4(src, sniffed.container, readSize, warnings, opts.signal)
      : sniffed.kind === 'adts' ? await openWithFfmpeg(src.path, 'aac', 'ADTS', 'AAC', null, warnings, opts.signal)
      : await openCompressed(src, sniffed, readSize, warnings, opts.signal);
    const stream = new Stream(src, opened, target, blockSize, warnings, opts.signal);
    if (opts.onSource) stream.tapSource(opts.onSource);
    return stream;
  } catch (err) {
    await src.close();
    throw err;
  }
}

class Stream implements AudioStream {
  readonly info: AudioStreamInfo;
  readonly format: string;
  private started = false;
  private closed = false;
  private readonly source: PieceSource;
  private sink: SourceSink | null = null;
  private readonly layout: ChannelLayout;

  constructor(
    private readonly src: AudioSource,
    opened: Opened,
    private readonly target: number,
    private readonly blockSize: number,
    readonly warnings: string[],
    private readonly signal?: AbortSignal,
  ) {
    this.source = opened.source;
    this.format = opened.format;
    this.layout = channelLayout(opened.format, opened.sourceChannels);
    this.info = {
      sampleRate: target,
      sourceSampleRate: opened.sourceSampleRate,
      sourceChannels: opened.sourceChannels,
      durationHint: opened.durationHint,
    };
  }

  async *blocks(): AsyncGenerator<Float32Array> {
    if (this.started) throw new Error('AudioStream.blocks() can only be iterated once');
    this.started = true;
    try {
      const out = new BlockAssembler(this.blockSize);
      let produced = 0;
      const emit = (samples: Float32Array): Float32Array[] => {
        produced += samples.length;
        return out.push(samples);
      };
      let rate = this.info.sourceSampleRate;
      let rs = rate === this.target ? null : new Resampler(rate, this.target);
      for (;;) {
        if (this.closed) return;
        this.signal?.throwIfAborted();
        let piece;
        try {
          piece = await this.source.next(this.sink !== null);
        } catch (err) {
          if (this.closed) return; // closed while a read was in flight
          throw err;
        }
        if (!piece) break;
        if (piece.rate !== rate) {
          // A chained stream with another rate: finish the old conversion, start a new one.
          this.warnings.push(`the sample rate changes from ${rate} to ${piece.rate} Hz mid-stream`);
          if (rs) yield* this.unlessClosed(emit(rs.flush()));
          rate = piece.rate;
          rs = rate === this.target ? null : new Resampler(rate, this.target);
        }
        // Downmix (channel average) and resample in one pass, or just downmix at the analysis rate.
        const { channels, length, mix } = piece;
        this.sink?.(toWavOrder(channels, this.layout), length, piece.rate);
        const mono = mix ? [mix] : channels;
        yield* this.unlessClosed(emit(rs ? rs.processPlanar(mono, length) : mono.length === 1 ? mono[0]!.subarray(0, length) : downmix(mono, length)));
      }
      if (rs) yield* this.unlessClosed(emit(rs.flush()));
      const last = out.end();
      this.checkLength(produced / this.target);
      if (last) yield* this.unlessClosed([last]);
    } finally {
      await this.close();
    }
  }

  tapSource(sink: SourceSink | null): void {
    this.sink = sink;
  }

  /** Hands out `blocks`, stopping as soon as the stream is closed. */
  private *unlessClosed(blocks: Float32Array[]): Generator<Float32Array> {
    for (const b of blocks) {
      if (this.closed) return;
      yield b;
    }
  }

  /** Warns when much less audio came out than the container declared (a cut-off copy, usually). */
  private checkLength(seconds: number): void {
    const hint = this.info.durationHint;
    if (hint !== null && hint - seconds > Math.max(0.5, 0.02 * hint)) {
      this.warnings.push(`decoded ${seconds.toFixed(2)} s of the ${hint.toFixed(2)} s the header declares: the file is probably cut off`);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.source.close();
    await this.src.close();
  }
}
