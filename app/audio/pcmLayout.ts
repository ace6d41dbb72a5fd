// What the WAV and AIFF header readers report: where the PCM frames are and how they are stored.
import type { PcmEncoding } from './pcm.ts';

/** Positioned read of the open file (fewer bytes only at its end). */
export type ReadAt = (position: number, length: number) => Promise<Uint8Array>;

export interface PcmLayout {
  /** e.g. 'WAV', 'WAV (RF64)', 'AIFF', 'AIFF-C'. */
  container: string;
  encoding: PcmEncoding;
  channels: number;
  sampleRate: number;
  /** Byte offset of the first frame. */
  dataOffset: number;
  /** Bytes of whole frames that are really in the file (the declared size, cut to what is there). */
  dataBytes: number;
  /** Problems worth reporting that don't stop decoding (e.g. a cut-off data chunk). */
  warnings: string[];
}

/** Bytes per frame (one sample of every channel). */
export const frameBytes = (l: PcmLayout): number => l.encoding.bytes * l.channels;

/** Reads a four-character code. */
export const fourCC = (b: Uint8Array, at: number): string => String.fromCharCode(b[at] ?? 0, b[at + 1] ?? 0, b[at + 2] ?? 0, b[at + 3] ?? 0);
