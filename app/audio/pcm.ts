// Uncompressed PCM (from WAV and AIFF) to float: to mono (sample decoding and the channel average in one
// pass over the bytes, with no per-channel copies), or to planar channels when the file's own channels are wanted.

/** How one sample is stored. */
export interface PcmEncoding {
  /** 'int': two's complement; 'uint': offset binary (8-bit WAV); 'float': IEEE 754. */
  kind: 'int' | 'uint' | 'float';
  /** Bytes per sample in the file (the container width, e.g. 3 for 24-bit, 4 for 20-in-32). */
  bytes: 1 | 2 | 3 | 4 | 8;
  littleEndian: boolean;
}

/** Human name of an encoding, for messages, e.g. "24-bit integer (little-endian)". */
export function describePcm(e: PcmEncoding): string {
  const kind = e.kind === 'float' ? 'float' : e.kind === 'uint' ? 'unsigned integer' : 'integer';
  return `${e.bytes * 8}-bit ${kind}${e.bytes > 1 ? (e.littleEndian ? ' (little-endian)' : ' (big-endian)') : ''}`;
}

/** True if this reader can decode the encoding. */
export function isSupportedPcm(e: PcmEncoding): boolean {
  if (e.kind === 'float') return e.bytes === 4 || e.bytes === 8;
  if (e.kind === 'uint') return e.bytes === 1;
  return e.bytes >= 1 && e.bytes <= 4;
}

/**
 * Interleaved PCM frames → mono float in [-1, 1): each sample scaled by 2^(bits−1) of its container
 * width (left-justified samples such as 20-in-24 scale right), then channels averaged. A trailing
 * partial frame is ignored.
 */
export function pcmToMono(data: Uint8Array, enc: PcmEncoding, channels: number): Float32Array {
  const frames = Math.floor(data.length / (enc.bytes * channels));
  const out = new Float32Array(frames);
  const gain = 1 / channels;
  let o = 0;
  let c = 0;
  let acc = 0;
  forEachSample(data, enc, frames * channels, (v) => {
    acc += v;
    if (++c === channels) {
      out[o++] = acc * gain;
      acc = 0;
      c = 0;
    }
  });
  return out;
}

/** Interleaved PCM frames → one float array per channel (file order), scaled as in `pcmToMono`. */
export function pcmToPlanar(data: Uint8Array, enc: PcmEncoding, channels: number): Float32Array[] {
  const frames = Math.floor(data.length / (enc.bytes * channels));
  const out = Array.from({ length: channels }, () => new Float32Array(frames));
  let o = 0;
  let c = 0;
  forEachSample(data, enc, frames * channels, (v) => {
    out[c]![o] = v;
    if (++c === channels) {
      c = 0;
      o++;
    }
  });
  return out;
}

/** Calls `emit` with the first `n` samples of `data` in order, as floats in [-1, 1). */
function forEachSample(data: Uint8Array, enc: PcmEncoding, n: number, emit: (v: number) => void): void {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const le = enc.littleEndian;
  let p = 0;
  if (enc.kind === 'float' && enc.bytes === 4) for (let i = 0; i < n; i++, p += 4) emit(view.getFloat32(p, le));
  else if (enc.kind === 'float') for (let i = 0; i < n; i++, p += 8) emit(view.getFloat64(p, le));
  else if (enc.kind === 'uint') for (let i = 0; i < n; i++, p++) emit((data[p]! - 128) / 128);
  else if (enc.bytes === 1) for (let i = 0; i < n; i++, p++) emit(view.getInt8(p) / 128);
  else if (enc.bytes === 2) for (let i = 0; i < n; i++, p += 2) emit(view.getInt16(p, le) / 32768);
  else if (enc.bytes === 3) {
    for (let i = 0; i < n; i++, p += 3) {
      const v = le ? data[p]! | (data[p + 1]! << 8) | (data[p + 2]! << 16) : (data[p]! << 16) | (data[p + 1]! << 8) | data[p + 2]!;
      emit(((v << 8) >> 8) / 8388608); // sign-extend 24 → 32 bits
    }
  } else for (let i = 0; i < n; i++, p += 4) emit(view.getInt32(p, le) / 2147483648);
}
