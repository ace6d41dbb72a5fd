// Uncompressed PCM (from WAV and AIFF) to mono float: sample decoding and the channel average in one
// pass over the bytes, with no per-channel copies.

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
  const frameBytes = enc.bytes * channels;
  const frames = Math.floor(data.length / frameBytes);
  const out = new Float32Array(frames);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const le = enc.littleEndian;
  const n = frames * channels;
  const gain = 1 / channels;
  let o = 0;
  let c = 0;
  let acc = 0;
  const emit = (v: number): void => {
    acc += v;
    if (++c === channels) {
      out[o++] = acc * gain;
      acc = 0;
      c = 0;
    }
  };
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
  return out;
}
