// Passes on only the Ogg pages whose CRC-32 checks (RFC 3533 §6). The decoders' own Ogg parser
// doesn't check it, so a damaged page would otherwise be decoded as garbage (noise, and for Opus
// extra, wrongly timed samples). Damaged bytes are reported and skipped up to the next good page.
import { crc32 } from './crc.ts';
import { fourCC } from './pcmLayout.ts';

export interface PageFilterResult {
  /** The good pages, back to back. */
  pages: Uint8Array;
  /** Skipped bytes: file offset, length, and whether they were an incomplete page at the end. */
  damaged: { at: number; bytes: number; truncated: boolean }[];
  /** Per good page, in order: its granule position (−1: no packet ends on it) and whether damage came just before it. */
  info: { granule: number; afterDamage: boolean }[];
}

const ZERO4 = new Uint8Array(4);

/** Length of the whole page at `at` (27-byte header, segment table, body), or 0 if `b` ends first. */
function pageLength(b: Uint8Array, at: number): number {
  if (at + 27 > b.length) return 0;
  const segments = b[at + 26]!;
  if (at + 27 + segments > b.length) return 0;
  let body = 0;
  for (let k = 0; k < segments; k++) body += b[at + 27 + k]!;
  const total = 27 + segments + body;
  return at + total <= b.length ? total : 0;
}

/** True if the page at `at` of `length` bytes has a matching CRC-32 (computed with its CRC field as zeros). */
export function oggPageIntact(b: Uint8Array, at: number, length: number): boolean {
  let c = crc32(b, at, at + 22);
  c = crc32(ZERO4, 0, 4, c);
  c = crc32(b, at + 26, at + length, c);
  const stored = (b[at + 22]! | (b[at + 23]! << 8) | (b[at + 24]! << 16) | (b[at + 25]! << 24)) >>> 0;
  return c === stored;
}

export class OggPageFilter {
  private buf = new Uint8Array(0);
  private offset: number;
  private lostFrom: number | null = null;

  /** @param startOffset file offset of the first byte pushed (for messages) */
  constructor(startOffset: number) {
    this.offset = startOffset;
  }

  push(chunk: Uint8Array): PageFilterResult {
    const joined = new Uint8Array(this.buf.length + chunk.length);
    joined.set(this.buf);
    joined.set(chunk, this.buf.length);
    this.buf = joined;
    return this.run(false);
  }

  end(): PageFilterResult {
    return this.run(true);
  }

  private run(atEnd: boolean): PageFilterResult {
    const b = this.buf;
    const good: Uint8Array[] = [];
    const damaged: PageFilterResult['damaged'] = [];
    let p = 0;
    const info: PageFilterResult['info'] = [];
    while (p + 27 <= b.length) { // a whole page header, before judging what is there
      if (b[p] !== 0x4f || fourCC(b, p) !== 'OggS' || b[p + 4] !== 0) {
        this.lostFrom ??= this.offset + p;
        p++;
        continue;
      }
      const length = pageLength(b, p);
      if (length === 0) break; // the page isn't all here yet
      if (!oggPageIntact(b, p, length)) {
        this.lostFrom ??= this.offset + p;
        p++;
        continue;
      }
      const afterDamage = this.lostFrom !== null;
      if (this.lostFrom !== null) {
        damaged.push({ at: this.lostFrom, bytes: this.offset + p - this.lostFrom, truncated: false });
        this.lostFrom = null;
      }
      good.push(b.subarray(p, p + length));
      const lo = (b[p + 6]! | (b[p + 7]! << 8) | (b[p + 8]! << 16) | (b[p + 9]! << 24)) >>> 0;
      const hi = (b[p + 10]! | (b[p + 11]! << 8) | (b[p + 12]! << 16) | (b[p + 13]! << 24)) >>> 0;
      info.push({ granule: lo === 0xffffffff && hi === 0xffffffff ? -1 : hi * 2 ** 32 + lo, afterDamage });
      p += length;
    }
    if (atEnd && p < b.length) {
      // A cut-off copy ends in an incomplete page: its CRC can't be checked, but the packets it holds
      // whole are sound, so it goes to the decoder (as it would without this filter) and is reported.
      if (this.lostFrom === null && fourCC(b, p) === 'OggS' && b[p + 4] === 0) {
        good.push(b.subarray(p));
        info.push({ granule: -1, afterDamage: false });
      }
      this.lostFrom ??= this.offset + p;
      p = b.length;
    }
    if (atEnd && this.lostFrom !== null) {
      damaged.push({ at: this.lostFrom, bytes: this.offset + p - this.lostFrom, truncated: true });
      this.lostFrom = null;
    }
    this.buf = b.slice(p);
    this.offset += p;
    return { pages: join(good), damaged, info };
  }
}

function join(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, x) => n + x.length, 0));
  let o = 0;
  for (const x of parts) {
    out.set(x, o);
    o += x.length;
  }
  return out;
}
