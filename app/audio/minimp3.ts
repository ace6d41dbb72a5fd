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
import { MINIMP3_WASM_BASE64 } from './minimp3Wasm.ts';
import type { MpegInfoFrame } from './mpeg.ts';

/** The decoder's own delay (synthesis filterbank), which the LAME tag's encoder delay leaves out. */
const DECODER_DELAY = 529;

/** The parts of the WebAssembly JS API used here (the project's `lib` has no WebAssembly types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface Exports {
  memory: { readonly buffer: ArrayBuffer };
  mp3s_reset(): void;
  mp3s_input(): number;
  mp3s_room(): number;
  mp3s_wrote(bytes: number): void;
  mp3s_decode(atEnd: number): number;
  mp3s_left(): number;
  mp3s_right(): number;
  mp3s_rate(): number;
  mp3s_skipped(): number;
  mp3s_lost_frames(): number;
  mp3s_full(): number;
}

let compiled: object | null = null;

/** A fresh instance: the wrapper keeps its state in its own memory, one stream per instance. */
function instantiate(): Exports {
  compiled ??= new Wasm.Module(Buffer.from(MINIMP3_WASM_BASE64, 'base64')); // needs WebAssembly SIMD (Node 16.4+, Electron 13+)
  return new Wasm.Instance(compiled, {}).exports as unknown as Exports;
}

export interface MpegDecoded {
  /** Left and right, `length` samples each: views of buffers that the next call reuses. */
  channels: Float32Array[];
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

export class MpegDecoder {
  private readonly w: Exports;
  private left: Float32Array = new Float32Array(1 << 17);
  private right: Float32Array = new Float32Array(1 << 17);
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

  /** Decodes what `chunk` completes; with `atEnd`, everything that is left. */
  decode(chunk: Uint8Array, atEnd = false): MpegDecoded {
    const w = this.w;
    const errors: string[] = [];
    let length = 0;
    let at = 0;
    for (;;) {
      if (at < chunk.length) {
        const ptr = w.mp3s_input();
        const n = Math.min(w.mp3s_room(), chunk.length - at);
        new Uint8Array(w.memory.buffer, ptr, n).set(chunk.subarray(at, at + n));
        w.mp3s_wrote(n);
        at += n;
        this.fed += n;
      }
      const last = atEnd && at >= chunk.length;
      for (;;) {
        const n = w.mp3s_decode(last ? 1 : 0);
        const skipped = w.mp3s_skipped();
        const lost = w.mp3s_lost_frames();
        if (skipped) errors.push(`skipped ${skipped} bytes that hold no MPEG audio frame (damage or a stray tag), before byte ${this.opts.startOffset + this.fed}`);
        if (lost) errors.push(`${lost} damaged MPEG frame${lost === 1 ? '' : 's'} before byte ${this.opts.startOffset + this.fed} replaced by silence`);
        if (n > 0) length = this.take(n, w.mp3s_rate(), length);
        if (!w.mp3s_full()) break;
      }
      if (at >= chunk.length) break;
    }
    return this.result(length, errors);
  }

  /**
   * Output held back because the sample rate changed mid-stream (a file made of two): one result
   * per rate, in order, before anything decoded later; null when there is none.
   */
  drain(): MpegDecoded | null {
    return this.later.shift() ?? null;
  }

  free(): void {
    // The instance's memory goes with its last reference; nothing to release by hand.
  }

  /** Results at another rate than the current result's, in order (rare: see drain()). */
  private later: MpegDecoded[] = [];

  /** Takes the wrapper's `n` new samples per channel at `rate`, less the gapless trim; returns the current result's length. */
  private take(n: number, rate: number, length: number): number {
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
    if (!pad || pad.end <= start || pad.start >= end) return this.append(from, n, rate, length);
    const cutFrom = from + Math.max(0, pad.start - start);
    const cutTo = from + Math.min(end, pad.end) - start;
    return this.append(cutTo, n, rate, this.append(from, cutFrom, rate, length));
  }

  /** Appends the wrapper's samples [from, to) at `rate`; returns the current result's length. */
  private append(from: number, to: number, rate: number, length: number): number {
    const count = to - from;
    if (count <= 0) return length;
    const heap = this.w.memory.buffer;
    const left = new Float32Array(heap, this.w.mp3s_left() + 4 * from, count);
    const right = new Float32Array(heap, this.w.mp3s_right() + 4 * from, count);
    if (this.later.length > 0 || (length > 0 && rate !== this.rate)) {
      // After a rate change: copies, kept for drain().
      const tail = this.later.at(-1);
      if (tail && tail.sampleRate === rate) {
        tail.channels = tail.channels.map((c, i) => concat(c, i === 0 ? left : right));
        tail.length += count;
      } else this.later.push({ channels: [left.slice(), right.slice()], length: count, sampleRate: rate, errors: [] });
      return length;
    }
    this.rate = rate;
    if (length + count > this.left.length) {
      const size = Math.max(length + count, 2 * this.left.length);
      this.left = grow(this.left, size, length);
      this.right = grow(this.right, size, length);
    }
    this.left.set(left, length);
    this.right.set(right, length);
    return length + count;
  }

  private result(length: number, errors: string[]): MpegDecoded {
    return { channels: [this.left.subarray(0, length), this.right.subarray(0, length)], length, sampleRate: this.rate, errors };
  }
}

function grow(a: Float32Array, size: number, keep: number): Float32Array {
  const b = new Float32Array(size);
  b.set(a.subarray(0, keep));
  return b;
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const c = new Float32Array(a.length + b.length);
  c.set(a);
  c.set(b, a.length);
  return c;
}
