// Splits a FLAC stream into frames for libFLAC (FLACDecoder.decodeFrames), robustly: a frame starts
// at a header with a valid CRC-8 and ends where the next such header starts and the CRC-16 of the
// frame checks (RFC 9639 §9). A damaged frame is dropped and the search resumes at the next header;
// the sample position that every header carries says how many samples went missing, and that gap is
// reported so the caller can fill it with silence and keep the timeline exact.
import { crc16, crc8 } from './crc.ts';

export interface FlacFrameHeader {
  /** Header bytes, CRC-8 included. */
  length: number;
  blockSize: number;
  /** Index of the frame's first sample in the stream. */
  position: number;
}

export type FramerEvent =
  | { kind: 'frame'; data: Uint8Array }
  /** `samples` missing before the next frame (lost in damaged data). */
  | { kind: 'gap'; samples: number }
  /** Bytes that were not a valid frame, at file offset `at`. */
  | { kind: 'damaged'; at: number; bytes: number; truncated: boolean };

/** Gaps longer than this (samples) are not filled: the positions are not believable. */
const MAX_GAP = 1 << 24;

/**
 * Parses the frame header at `at` (RFC 9639 §9.1): 'incomplete' if `b` ends inside it, null if it
 * isn't one. `nominalBlock` turns a fixed-block-size stream's frame number into a sample position.
 */
export function parseFlacFrameHeader(b: Uint8Array, at: number, nominalBlock: number): FlacFrameHeader | 'incomplete' | null {
  const len = b.length;
  if (at + 5 > len) return 'incomplete';
  if (b[at] !== 0xff || (b[at + 1]! & 0xfe) !== 0xf8) return null;
  const variable = (b[at + 1]! & 1) === 1;
  const bsCode = b[at + 2]! >> 4;
  const srCode = b[at + 2]! & 15;
  if (bsCode === 0 || srCode === 15 || b[at + 3]! >> 4 > 10 || ((b[at + 3]! >> 1) & 7) === 3 || b[at + 3]! & 1) return null;
  // The frame or sample number, UTF-8 style: the lead byte says how many continuation bytes follow.
  let p = at + 4;
  const lead = b[p]!;
  const extra = lead < 0x80 ? 0 : lead < 0xc0 ? -1 : lead < 0xe0 ? 1 : lead < 0xf0 ? 2 : lead < 0xf8 ? 3 : lead < 0xfc ? 4 : lead < 0xfe ? 5 : lead === 0xfe && variable ? 6 : -1;
  if (extra < 0) return null;
  if (p + 1 + extra > len) return 'incomplete';
  let number = extra === 0 ? lead : lead & (0x3f >> extra);
  for (let k = 1; k <= extra; k++) {
    const c = b[p + k]!;
    if ((c & 0xc0) !== 0x80) return null;
    number = number * 64 + (c & 0x3f);
  }
  p += 1 + extra;
  let blockSize: number;
  if (bsCode === 1) blockSize = 192;
  else if (bsCode <= 5) blockSize = 576 << (bsCode - 2);
  else if (bsCode === 6) {
    if (p + 1 > len) return 'incomplete';
    blockSize = b[p++]! + 1;
  } else if (bsCode === 7) {
    if (p + 2 > len) return 'incomplete';
    blockSize = ((b[p]! << 8) | b[p + 1]!) + 1;
    p += 2;
  } else blockSize = 256 << (bsCode - 8);
  p += srCode === 12 ? 1 : srCode === 13 || srCode === 14 ? 2 : 0;
  if (p + 1 > len) return 'incomplete';
  if (crc8(b, at, p) !== b[p]) return null;
  return { length: p + 1 - at, blockSize, position: variable ? number : number * nominalBlock };
}

export class FlacFramer {
  private buf = new Uint8Array(0);
  /** File offset of buf[0]. */
  private offset: number;
  /** Start of the current frame in buf (its header is `header`), or −1 while looking for one. */
  private cur = -1;
  private header: FlacFrameHeader | null = null;
  /** Where the search resumes; the CRC-16 of buf[cur, crcPos). */
  private scan = 0;
  private crc = 0;
  private crcPos = 0;
  /** First valid header seen after `cur`: where to resync if the current frame proves damaged. */
  private firstCandidate = -1;
  /** File offset where unusable bytes began (reported once a frame is found again, or at the end). */
  private lostFrom: number | null = null;
  /** Sample position the next frame should start at (null before the first frame). */
  private expected: number | null = null;

  /**
   * @param nominalBlock STREAMINFO's block size (for fixed-block-size frame numbers)
   * @param maxFrameBytes a bound on a frame's size: past it, the current frame is taken as damaged
   * @param startOffset file offset of the first byte pushed (for messages)
   */
  constructor(
    private readonly nominalBlock: number,
    private readonly maxFrameBytes: number,
    startOffset: number,
  ) {
    this.offset = startOffset;
  }

  /** Adds bytes; returns the frames (and gaps, damage) now complete, in stream order. */
  push(chunk: Uint8Array): FramerEvent[] {
    const joined = new Uint8Array(this.buf.length + chunk.length);
    joined.set(this.buf);
    joined.set(chunk, this.buf.length);
    this.buf = joined;
    return this.run(false);
  }

  /** No more bytes: the last frame ends at the end of the stream (if its CRC checks). */
  end(): FramerEvent[] {
    const out = this.run(true);
    if (this.lostFrom !== null) out.push({ kind: 'damaged', at: this.lostFrom, bytes: this.offset + this.buf.length - this.lostFrom, truncated: true });
    this.lostFrom = null;
    return out;
  }

  private run(atEnd: boolean): FramerEvent[] {
    const out: FramerEvent[] = [];
    for (;;) {
      if (this.cur < 0 && !this.sync(out, atEnd)) break;
      const next = this.findEnd(atEnd);
      if (next === 'wait') break;
      if (next === 'damaged') {
        // Resync at the first header seen inside it, or just past its start.
        this.lostFrom ??= this.offset + this.cur;
        this.scan = this.firstCandidate >= 0 ? this.firstCandidate : this.cur + 1;
        this.cur = -1;
        continue;
      }
      this.emit(out, this.buf.subarray(this.cur, next.end));
      if (next.header) this.startFrame(next.end, next.header);
      else {
        this.cur = -1;
        this.scan = this.buf.length;
        break;
      }
    }
    this.compact();
    return out;
  }

  /** Looks for a valid header from `scan`; starts a frame there (true) or waits for more bytes. */
  private sync(out: FramerEvent[], atEnd: boolean): boolean {
    const b = this.buf;
    for (let i = this.scan; i + 1 < b.length; i++) {
      if (b[i] !== 0xff || (b[i + 1]! & 0xfe) !== 0xf8) continue;
      const h = parseFlacFrameHeader(b, i, this.nominalBlock);
      if (h === 'incomplete' && !atEnd) {
        this.scan = i;
        return false;
      }
      if (!h || h === 'incomplete') continue;
      if (i > this.scan) this.lostFrom ??= this.offset + this.scan;
      if (this.lostFrom !== null) {
        out.push({ kind: 'damaged', at: this.lostFrom, bytes: this.offset + i - this.lostFrom, truncated: false });
        this.lostFrom = null;
      }
      this.startFrame(i, h);
      return true;
    }
    if (b.length > this.scan) this.lostFrom ??= this.offset + this.scan;
    this.scan = atEnd ? b.length : Math.max(this.scan, b.length - 1);
    return false;
  }

  private startFrame(at: number, header: FlacFrameHeader): void {
    this.cur = at;
    this.header = header;
    this.scan = at + header.length;
    this.crc = 0;
    this.crcPos = at;
    this.firstCandidate = -1;
  }

  /** Brings the running CRC-16 up to `to`. */
  private crcTo(to: number): number {
    this.crc = crc16(this.buf, this.crcPos, to, this.crc);
    this.crcPos = to;
    return this.crc;
  }

  /** Finds where the current frame ends: at a header (or the stream's end) where the CRC-16 is 0. */
  private findEnd(atEnd: boolean): { end: number; header: FlacFrameHeader | null } | 'wait' | 'damaged' {
    const b = this.buf;
    const minEnd = this.cur + this.header!.length + 2;
    const limit = Math.min(b.length - 1, this.cur + this.maxFrameBytes);
    for (let i = Math.max(this.scan, minEnd); i < limit; i++) {
      if (b[i] !== 0xff || (b[i + 1]! & 0xfe) !== 0xf8) continue;
      const h = parseFlacFrameHeader(b, i, this.nominalBlock);
      if (h === 'incomplete' && !atEnd) {
        this.scan = i;
        return 'wait';
      }
      if (!h || h === 'incomplete') continue;
      // A frame followed by its own CRC-16 has a CRC of 0 (no reflection, no final XOR).
      if (this.crcTo(i) === 0) return { end: i, header: h };
      if (this.firstCandidate < 0) this.firstCandidate = i;
    }
    if (b.length - this.cur > this.maxFrameBytes) return 'damaged';
    if (!atEnd) {
      this.scan = Math.max(this.scan, b.length - 1);
      return 'wait';
    }
    return b.length >= minEnd && this.crcTo(b.length) === 0 ? { end: b.length, header: null } : 'damaged';
  }

  /** Emits a checked frame, preceded by a gap if samples are missing before it. */
  private emit(out: FramerEvent[], data: Uint8Array): void {
    const h = this.header!;
    if (this.expected !== null && h.position > this.expected && h.position - this.expected <= MAX_GAP) {
      out.push({ kind: 'gap', samples: h.position - this.expected });
    }
    this.expected = h.position + h.blockSize;
    out.push({ kind: 'frame', data });
  }

  /** Drops the bytes before the current frame (or the scan point) so the buffer stays small. */
  private compact(): void {
    const keep = this.cur >= 0 ? this.cur : this.scan;
    if (keep <= 0) return;
    this.buf = this.buf.slice(keep);
    this.offset += keep;
    if (this.cur >= 0) {
      this.cur -= keep;
      this.crcPos -= keep;
    }
    this.scan -= keep;
    if (this.firstCandidate >= 0) this.firstCandidate -= keep;
  }
}
