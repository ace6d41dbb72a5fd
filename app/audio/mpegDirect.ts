// MP3 (MPEG audio) through mpg123-decoder's own WASM calls, without its `decode()` wrapper: that wrapper
// slices every read out of the WASM heap into two fresh arrays and then concatenates them all per
// chunk (two copies, and garbage for every 1152-sample frame). Here each read is copied once, straight
// from the heap into two planar buffers kept for the whole file. Same calls in the same order as the
// package's decode() (mpg123-decoder 1.0.x, src/MPEGDecoder.js), so the samples are identical.
//
// The buffers are reused: what `decode` returns is valid until the next call (the stream in decode.ts
// reads each piece before asking for the next). If the package's internals are not as expected (a
// future version), `directMpeg` returns null and the caller uses the package's decode().

/** The part of an MPEGDecoder instance used here (private fields of mpg123-decoder 1.0.x). */
interface HeapArray<T> {
  ptr: number;
  len: number;
  buf: T;
}
interface MpegInternals {
  _common?: { wasm?: { mpeg_decoder_feed?: unknown; mpeg_decoder_read?: unknown } };
  _decoder?: number;
  _input?: HeapArray<Uint8Array>;
  _output?: HeapArray<Float32Array>;
  _samplesDecodedPtr?: HeapArray<Uint32Array>;
  _sampleRatePtr?: HeapArray<Uint32Array>;
  _errorStringPtr?: HeapArray<Uint32Array>;
  _getErrorMessage?: (code: number) => string;
}
type Feed = (decoder: number, input: number, length: number) => number;
type Read = (decoder: number, output: number, outputLength: number, samples: number, rate: number, error: number) => number;

/** mpg123's return codes (mpg123.h): more input needed, and a new output format (the stream's start). */
const NEED_MORE = -10;
const NEW_FORMAT = -11;

export interface MpegChunk {
  /** Left and right (mpg123 always outputs two channels), `length` samples each: views of buffers the next call reuses. */
  channels: Float32Array[];
  length: number;
  /** 0 until the decoder has seen a frame. */
  sampleRate: number;
  /** The decoder's messages for this chunk (e.g. '-1 MPG123_ERR'). */
  errors: string[];
}

export interface DirectMpeg {
  decode(chunk: Uint8Array): MpegChunk;
}

/** A direct driver over a ready MPEGDecoder, or null when its internals are not the ones this was written for. */
export function directMpeg(decoder: unknown): DirectMpeg | null {
  const d = decoder as MpegInternals;
  const wasm = d._common?.wasm;
  const { _input: input, _output: output, _samplesDecodedPtr: samplesPtr, _sampleRatePtr: ratePtr, _errorStringPtr: errorPtr, _decoder: handle } = d;
  if (!wasm || typeof wasm.mpeg_decoder_feed !== 'function' || typeof wasm.mpeg_decoder_read !== 'function') return null;
  if (!input?.buf || !output?.buf || !samplesPtr?.buf || !ratePtr?.buf || !errorPtr || typeof handle !== 'number' || typeof d._getErrorMessage !== 'function') return null;
  if (!(input.buf instanceof Uint8Array) || !(output.buf instanceof Float32Array) || output.len % 2 !== 0) return null;
  const feed = wasm.mpeg_decoder_feed as Feed;
  const read = wasm.mpeg_decoder_read as Read;
  const message = d._getErrorMessage.bind(d);
  let left = new Float32Array(1 << 16);
  let right = new Float32Array(1 << 16);

  const grow = (kept: number, need: number): void => {
    if (need <= left.length) return;
    const size = Math.max(need, 2 * left.length);
    const l = new Float32Array(size);
    const r = new Float32Array(size);
    l.set(left.subarray(0, kept));
    r.set(right.subarray(0, kept));
    left = l;
    right = r;
  };

  return {
    decode(chunk: Uint8Array): MpegChunk {
      const errors: string[] = [];
      let length = 0;
      // Feed as much as the input buffer holds, then read until mpg123 needs more (as decode() does).
      for (let at = 0; at < chunk.length; ) {
        const piece = chunk.subarray(at, at + input.len);
        at += piece.length;
        input.buf.set(piece);
        let code = feed(handle, input.ptr, piece.length);
        if (code === NEED_MORE) continue;
        for (;;) {
          samplesPtr.buf[0] = 0;
          code = read(handle, output.ptr, output.len, samplesPtr.ptr, ratePtr.ptr, errorPtr.ptr);
          const n = samplesPtr.buf[0]!;
          if (n) {
            // Planar in the heap: n left samples, then n right.
            grow(length, length + n);
            left.set(output.buf.subarray(0, n), length);
            right.set(output.buf.subarray(n, 2 * n), length);
            length += n;
          }
          if (code === NEW_FORMAT) continue;
          if (code === NEED_MORE) break;
          if (code) errors.push(message(code));
        }
      }
      return { channels: [left.subarray(0, length), right.subarray(0, length)], length, sampleRate: ratePtr.buf[0]!, errors };
    },
  };
}
