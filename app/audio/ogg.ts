// Ogg pages (RFC 3533): which codec the first logical stream carries, and its length from the granule
// position of the last page (for the duration hint). Decoding itself is the codec decoders'.
import { fourCC } from './pcmLayout.ts';

export type OggCodec = 'vorbis' | 'opus' | 'flac' | 'speex' | 'theora' | 'unknown';

export interface OggHead {
  codec: OggCodec;
  serial: number;
  /** Samples per second that granule positions count (48000 for Opus). */
  granuleRate: number | null;
  /** Samples to drop at the start (Opus pre-skip). */
  preSkip: number;
}

const u32le = (b: Uint8Array, at: number): number => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;

/** Reads the first page's packet: the codec's identification header (Vorbis, Opus, FLAC-in-Ogg, Speex). */
export function readOggHead(b: Uint8Array): OggHead | null {
  if (b.length < 28 || fourCC(b, 0) !== 'OggS') return null;
  const serial = u32le(b, 14);
  const p = 27 + b[26]!;
  const ascii = (at: number, n: number): string => String.fromCharCode(...b.subarray(p + at, p + at + n));
  if (b[p] === 1 && ascii(1, 6) === 'vorbis') return { codec: 'vorbis', serial, granuleRate: u32le(b, p + 12), preSkip: 0 };
  if (ascii(0, 8) === 'OpusHead') return { codec: 'opus', serial, granuleRate: 48000, preSkip: b[p + 10]! | (b[p + 11]! << 8) };
  if (b[p] === 0x7f && ascii(1, 4) === 'FLAC') {
    const si = p + 13 + 4; // mapping header (13 bytes incl. 'fLaC'), then the STREAMINFO block header
    return { codec: 'flac', serial, granuleRate: (b[si + 10]! << 12) | (b[si + 11]! << 4) | (b[si + 12]! >> 4), preSkip: 0 };
  }
  if (ascii(0, 8) === 'Speex   ') return { codec: 'speex', serial, granuleRate: null, preSkip: 0 };
  if (b[p] === 0x80 && ascii(1, 6) === 'theora') return { codec: 'theora', serial, granuleRate: null, preSkip: 0 };
  return { codec: 'unknown', serial, granuleRate: null, preSkip: 0 };
}

/**
 * The last page of stream `serial` found in `tail` (the end of the file) that ends a packet: its
 * granule position, and whether any page at the end carries the end-of-stream flag (a whole file's
 * last page does; a cut-off copy's doesn't). Null if there's no such page.
 */
export function lastPage(tail: Uint8Array, serial: number): { granule: number; endOfStream: boolean } | null {
  let endOfStream = false;
  for (let i = tail.length - 27; i >= 0; i--) {
    if (tail[i] !== 0x4f || fourCC(tail, i) !== 'OggS' || tail[i + 4] !== 0) continue;
    if (u32le(tail, i + 14) !== serial) continue;
    if (tail[i + 5]! & 0x04) endOfStream = true;
    const lo = u32le(tail, i + 6);
    const hi = u32le(tail, i + 10);
    if (lo === 0xffffffff && hi === 0xffffffff) continue; // no packet ends on this page
    return { granule: hi * 2 ** 32 + lo, endOfStream };
  }
  return null;
}
