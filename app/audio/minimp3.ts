// MPEG audio (MP3, MP2, MP1) decoding with minimp3 (github.com/lieff/minimp3, CC0) compiled to
// WebAssembly with SIMD (build/wasm/: minimp3 plus a streaming wrapper, mp3stream.c). About four
// times faster than the mpg123 WASM build it replaced (npm run bench:speed), as its synthesis and
// IMDCT run four lanes at a time.
//
// Fed the file in chunks; hands out planar float PCM at the stream's rate, two channels (a mono
// stream comes out twice, as channelOrder.ts expects of MPEG). Gapless, as LAME's tag describes
// (and as mpg123 and ffmpeg do): the Xing/Info frame is not audio and is dropped, then the encoder
// delay plus the decoder's own 529 samples at the start, and the encoder's padding at the end of the
// stream the Info frame counts (only that: anything after it, another file joined on, is kept).
import { compileBase64, instantiate as instantiateModule } from '../util/wasm.ts';
import { MINIMP3_WASM_BASE64 } from './minimp3Wasm.ts';
import type { MpegInfoFrame } from './mpeg.ts';

/** The decoder's own delay (synthesis filterbank), which the LAME tag's encoder delay leaves out. */
const DECODER_DELAY = 529;

interface Exports {
  memory: { readonly buffer: ArrayBuffer };
  mp3s_reset(): void;
  mp3s_input(): number;
  mp3s_room(): number;
  mp3s_wrote(bytes: number): void;
  mp3s_decode(atEnd: number): number;
  mp3s_left(): number;
  mp3s_right(): number;
  mp3s_mix(): number;
  mp3s_rate(): number;
  mp3s_skipped(): number;
  mp3s_lost_frames(): number;
  mp3s_full(): number;
}

let compiled: object | null = null;

/** A fresh instance: the wrapper keeps its state in its own memory, one stream per instance. */
function instantiate(): Exports {
  compiled ??= compileBase64(MINIMP3_WASM_BASE64); // needs WebAssembly SIMD (Node 16.4+, Electron 13+)
  return instantiateModule(compiled) as unknown as Exports;
}

export interface MpegDecoded {
  /** Left and right, `length` samples each: views of the decoder's memory, valid until its next call. */
  channels: Float32Array[];
  /** Their average (L + R) / 2, made in the same pass: the mono mix. */
  mix: Float32Array;
  length: number;
  /** 0 until a frame has been decoded. */
  sampleRate: number;
  /** Damage passed over in this call, as sentences. */
  errors: string[];
}

export interface MpegDecoderOptions {
  /** File offset of the first byte fed (for messages about damage). */
  startOffset: number;
  /** The first frame's Xing/Info header, if it has one: that frame is skipped, and the LAME gapless trim applied. */
  infoFrame: MpegInfoFrame | null;
  /** Samples per frame of the stream (for the Info frame's count). */
  samplesPerFrame: number;
}

/**
 * One stream. `decode(chunk)` takes the next bytes of the file and returns the first batch of output
 * (up to 65,536 samples per channel, one sample rate); `drain()` returns the following batches until
 * the bytes held are used up (then null). Output is handed out as views of the WebAssembly memory,
 * with no copy: each is valid until the next call.
 */
export class MpegDecoder {
  private readonly w: Exports;
  /** Bytes given to `decode` that did not fit in the wrapper's input buffer yet. */
  private pending: Uint8Array = new Uint8Array(0);
  private atEnd = false;
  /** Set when the last batch came out empty with nothing left to feed: drain() has no more. */
  private dry = true;
  private fed = 0;
  private rate = 0;
  /** Samples still to drop at the start (Info frame, encoder and decoder delay). */
  private toSkip: number;
  /** Samples handed out so far (after the start trim). */
  private position = 0;
  /** The encoder's padding at the end of the stream the Info frame describes: [start, end) in output samples. */
  private readonly padding: { start: number; end: number } | null;

  constructor(private readonly opts: MpegDecoderOptions) {
    this.w = instantiate();
    this.w.mp3s_reset();
    const info = opts.infoFrame;
    const gapless = info !== null && (info.delay > 0 || info.padding > 0);
    this.toSkip = info ? opts.samplesPerFrame + (gapless ? info.delay + DECODER_DELAY : 0) : 0;
    // Dropped where it falls, not everything after it: audio past it is a second file joined on.
    const start = gapless && info.frames !== null ? info.frames * opts.samplesPerFrame - info.delay - info.padding : 0;
    this.padding = gapless && info.frames !== null && info.padding > DECODER_DELAY ? { start, end: start + info.padding - DECODER_DELAY } : null;
  }

  /** Takes the next bytes of the file (with `atEnd`, the last: everything held is then decoded) and returns the first batch. */
  decode(chunk: Uint8Array, atEnd = false): MpegDecoded {
    this.pending = this.pending.length ? concatBytes(this.pending, chunk) : chunk;
    this.atEnd = atEnd;
    this.dry = false;
    return this.batch() ?? this.result(0, 0, 0, []);
  }

  /** The next batch from the bytes held, or null when they are used up (feed more with `decode`). */
  drain(): MpegDecoded | null {
    return this.dry ? null : this.batch();
  }

  free(): void {
    // The instance's memory goes with its last reference; nothing to release by hand.
  }

  /** Feeds what fits and decodes one call's worth; null when nothing more comes out of what is held. */
  private batch(): MpegDecoded | null {
    const w = this.w;
    const errors: string[] = [];
    for (;;) {
      if (this.pending.length > 0) {
        const ptr = w.mp3s_input();
        const n = Math.min(w.mp3s_room(), this.pending.length);
        new Uint8Array(w.memory.buffer, ptr, n).set(this.pending.subarray(0, n));
        w.mp3s_wrote(n);
        this.pending = this.pending.subarray(n);
        this.fed += n;
      }
      const n = w.mp3s_decode(this.atEnd && this.pending.length === 0 ? 1 : 0);
      const skipped = w.mp3s_skipped();
      const lost = w.mp3s_lost_frames();
      if (skipped) errors.push(`skipped ${skipped} bytes that hold no MPEG audio frame (damage or a stray tag), before byte ${this.opts.startOffset + this.fed}`);
      if (lost) errors.push(`${lost} damaged MPEG frame${lost === 1 ? '' : 's'} before byte ${this.opts.startOffset + this.fed} replaced by silence`);
      const more = w.mp3s_full() === 1 || this.pending.length > 0;
      if (n > 0) {
        const out = this.take(n, w.mp3s_rate(), errors);
        if (out) return out;
      }
      if (!more) {
        this.dry = true;
        return errors.length ? this.result(0, 0, 0, errors) : null;
      }
    }
  }

  /** The wrapper's `n` new samples at `rate`, less the gapless trim, as a result; null if all of them were trimmed. */
  private take(n: number, rate: number, errors: string[]): MpegDecoded | null {
    this.rate = rate;
    let from = 0;
    if (this.toSkip > 0) {
      from = Math.min(n, this.toSkip);
      this.toSkip -= from;
    }
    // Output samples [position, position + n - from); the padding's part of them is left out.
    const start = this.position;
    const end = start + n - from;
    this.position = end;
    const pad = this.padding;
    if (!pad || pad.end <= start || pad.start >= end) return from < n ? this.result(from, n, rate, errors) : null;
    const cutFrom = from + Math.max(0, pad.start - start);
    const cutTo = from + Math.min(end, pad.end) - start;
    if (cutTo >= n) return cutFrom > from ? this.result(from, cutFrom, rate, errors) : null;
    if (cutFrom <= from) return this.result(cutTo, n, rate, errors);
    // Padding in the middle of a batch (a file joined on after it): the two sides joined, a copy.
    const views = this.views(0, n);
    const join = (a: Float32Array): Float32Array => concatFloats(a.subarray(from, cutFrom), a.subarray(cutTo, n));
    const length = cutFrom - from + n - cutTo;
    return { channels: [join(views.left), join(views.right)], mix: join(views.mix), length, sampleRate: rate, errors };
  }

  private views(from: number, to: number): { left: Float32Array; right: Float32Array; mix: Float32Array } {
    const heap = this.w.memory.buffer;
    const view = (ptr: number): Float32Array => new Float32Array(heap, ptr + 4 * from, to - from);
    return { left: view(this.w.mp3s_left()), right: view(this.w.mp3s_right()), mix: view(this.w.mp3s_mix()) };
  }

  private result(from: number, to: number, rate: number, errors: string[]): MpegDecoded {
    const v = this.views(from, to);
    return { channels: [v.left, v.right], mix: v.mix, length: to - from, sampleRate: rate || this.rate, errors };
  }
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const c = new Uint8Array(a.length + b.length);
  c.set(a);
  c.set(b, a.length);
  return c;
}

function concatFloats(a: Float32Array, b: Float32Array): Float32Array {
  const c = new Float32Array(a.length + b.length);
  c.set(a);
  c.set(b, a.length);
  return c;
}
