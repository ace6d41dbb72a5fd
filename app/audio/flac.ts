// FLAC STREAMINFO (the mandatory first metadata block): rate, channels and total samples, for the
// duration hint. Decoding itself is libFLAC's (@wasm-audio-decoders/flac).
import { fourCC } from './pcmLayout.ts';

export interface FlacStreamInfo {
  /** Largest block (samples per channel in a frame) and frame size in bytes (0 = unknown). */
  maxBlockSize: number;
  maxFrameSize: number;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** 0 when the encoder didn't know. */
  totalSamples: number;
}

/** Parses 'fLaC' + the STREAMINFO block at `at` (FLAC format spec, RFC 9639 §8.2); null if absent. */
export function readFlacStreamInfo(b: Uint8Array, at: number): FlacStreamInfo | null {
  if (fourCC(b, at) !== 'fLaC' || ((b[at + 4] ?? 0xff) & 0x7f) !== 0 || b.length < at + 8 + 34) return null;
  const s = at + 8;
  const sampleRate = (b[s + 10]! << 12) | (b[s + 11]! << 4) | (b[s + 12]! >> 4);
  const channels = ((b[s + 12]! >> 1) & 7) + 1;
  const bitsPerSample = (((b[s + 12]! & 1) << 4) | (b[s + 13]! >> 4)) + 1;
  const totalSamples = (b[s + 13]! & 0x0f) * 2 ** 32 + (((b[s + 14]! << 24) | (b[s + 15]! << 16) | (b[s + 16]! << 8) | b[s + 17]!) >>> 0);
  const maxBlockSize = (b[s + 2]! << 8) | b[s + 3]!;
  const maxFrameSize = (b[s + 7]! << 16) | (b[s + 8]! << 8) | b[s + 9]!;
  return { maxBlockSize, maxFrameSize, sampleRate, channels, bitsPerSample, totalSamples };
}

/**
 * A bound on any frame's size: a frame is never much larger than its samples stored verbatim
 * (side channels take one bit more), nor than the encoder's recorded maximum.
 */
export function flacFrameBound(info: FlacStreamInfo | null): number {
  if (!info || !info.maxBlockSize) return 1 << 20;
  const verbatim = info.maxBlockSize * info.channels * Math.ceil((info.bitsPerSample + 1) / 8) + 1024;
  return Math.max(verbatim, 2 * info.maxFrameSize);
}

/** Offset of the first audio frame: after 'fLaC' at `at` and every metadata block (RFC 9639 §8). */
export async function flacFirstFrame(read: (position: number, length: number) => Promise<Uint8Array>, at: number, size: number): Promise<number> {
  let pos = at + 4;
  for (let n = 0; n < 1024 && pos + 4 <= size; n++) {
    const h = await read(pos, 4);
    if (h.length < 4) break;
    pos += 4 + ((h[1]! << 16) | (h[2]! << 8) | h[3]!);
    if (h[0]! & 0x80) break; // last metadata block
  }
  return Math.min(pos, size);
}
