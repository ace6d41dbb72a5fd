// ALAC in MP4: reads the frames in file order through the sample table (runs of adjacent frames in
// one positioned read of about `readSize` bytes), decodes them with our ALAC decoder (alac.ts) and
// hands out planar float pieces at the source rate. A damaged frame becomes silence of its length;
// frames past the end of a cut-off file end the stream with a warning.
import { AlacDecoder, AlacFrameError, alacScale, type AlacConfig } from './alac.ts';
import type { Mp4SoundTrack } from './mp4Demux.ts';
import type { Piece, PieceSource } from './pieces.ts';
import type { AudioSource } from './source.ts';

/** Samples per channel in one piece at most (about 6 s at 44.1 kHz). */
const MAX_PIECE_SAMPLES = 1 << 18;
/** At most this many damaged-frame warnings are listed (then just counted). */
const MAX_WARNINGS = 20;

export class AlacSource implements PieceSource {
  private next_ = 0;
  private done = false;
  private damaged = 0;
  /** Frames decoded without damage so far. */
  goodFrames = 0;
  private readonly decoder: AlacDecoder;
  /** Samples per frame by the sample table (when its timescale is the sample rate), for silence. */
  private readonly ticksAreSamples: boolean;
  /** No real frame is bigger than this; a sample table that says otherwise is damaged. */
  private readonly maxFrameBytes: number;
  /** Frames decoded per piece at most: silence compresses to a few bytes a frame, so bytes alone don't bound the output. */
  private readonly maxFramesPerRun: number;

  constructor(
    private readonly src: AudioSource,
    private readonly track: Mp4SoundTrack,
    config: AlacConfig,
    private readonly readSize: number,
    private readonly warnings: string[],
    private readonly signal?: AbortSignal,
  ) {
    this.decoder = new AlacDecoder(config);
    this.ticksAreSamples = track.timescale === config.sampleRate;
    // An escape frame holds every sample raw; the headers add a few bytes per channel.
    this.maxFramesPerRun = Math.max(1, Math.floor(MAX_PIECE_SAMPLES / config.frameLength));
    this.maxFrameBytes = Math.ceil((config.frameLength * config.numChannels * config.bitDepth) / 8) + 64 * config.numChannels + 64;
  }

  async next(): Promise<Piece | null> {
    const { offsets, sizes } = this.track;
    const count = sizes.length;
    while (!this.done && this.next_ < count) {
      this.signal?.throwIfAborted();
      // A run of frames that lie next to each other in the file, up to readSize bytes (at least one frame).
      const first = this.next_;
      if (sizes[first]! > this.maxFrameBytes) {
        // The sample table says this frame is bigger than any ALAC frame can be: damaged, not read.
        this.next_++;
        const silence = this.silence(first, `the sample table gives it ${sizes[first]} bytes`);
        return { channels: Array.from({ length: this.decoder.config.numChannels }, () => new Float32Array(silence)), length: silence, rate: this.decoder.config.sampleRate };
      }
      const start = offsets[first]!;
      let end = start + sizes[first]!;
      let last = first + 1;
      const lastAllowed = Math.min(count, first + this.maxFramesPerRun);
      while (last < lastAllowed && offsets[last] === end && sizes[last]! <= this.maxFrameBytes && end + sizes[last]! - start <= this.readSize) end += sizes[last++]!;
      const bytes = await this.src.read(start, end - start);
      if (this.done) return null; // closed while reading
      this.next_ = last;
      const piece = this.decodeRun(bytes, start, first, last);
      if (piece.length > 0) return piece;
    }
    return null;
  }

  /** Decodes frames [first, last) from `bytes` (read from file offset `start`) into one piece. */
  private decodeRun(bytes: Uint8Array, start: number, first: number, last: number): Piece {
    const cfg = this.decoder.config;
    const { offsets, sizes } = this.track;
    const capacity = (last - first) * cfg.frameLength;
    const channels = Array.from({ length: cfg.numChannels }, () => new Float32Array(capacity));
    const scale = alacScale(cfg.bitDepth);
    let length = 0;
    for (let f = first; f < last; f++) {
      const at = offsets[f]! - start;
      if (at + sizes[f]! > bytes.length) {
        this.warnings.push(`the file is cut off: frame ${f + 1} of ${sizes.length} (at byte ${offsets[f]}) is missing or incomplete`);
        this.done = true;
        break;
      }
      let n: number;
      try {
        n = this.decoder.decodeFrame(bytes.subarray(at, at + sizes[f]!));
        for (let c = 0; c < channels.length; c++) {
          const src = this.decoder.channels[c]!;
          const dst = channels[c]!;
          for (let i = 0; i < n; i++) dst[length + i] = src[i]! * scale;
        }
        this.goodFrames++;
      } catch (err) {
        if (!(err instanceof AlacFrameError)) throw err;
        n = this.silence(f, err.message); // channels were zero-filled at allocation: the silence is already there
      }
      length += n;
    }
    return { channels: channels.map((c) => c.subarray(0, length)), length, rate: cfg.sampleRate };
  }

  /** Notes damaged frame `f` and returns how many samples of silence stand in for it. */
  private silence(f: number, why: string): number {
    const cfg = this.decoder.config;
    const n = this.ticksAreSamples ? Math.min(this.track.durations[f]!, cfg.frameLength) : cfg.frameLength;
    this.damaged++;
    if (this.damaged <= MAX_WARNINGS) this.warnings.push(`damaged ALAC frame ${f + 1} at byte ${this.track.offsets[f]} (${why}): ${n} samples replaced by silence`);
    else if (this.damaged === MAX_WARNINGS + 1) this.warnings.push('more damaged ALAC frames (not listed)');
    return n;
  }

  close(): void {
    this.done = true;
  }
}
