// Cheap structural checks that tell a complete audio file from a truncated one, by reading only
// a file's ends (and, for chunked containers, its top-level chunk headers). Metadata parsers read
// headers and so happily report the full duration of a file that was cut short by a failed copy.
import { parseMpegFrame, type MpegFrame } from '../audio/mpeg.ts';


/** Reads `length` bytes at `position` (fewer at end of file). */
export type ReadAt = (position: number, length: number) => Promise<Uint8Array>;

export type IntegrityVerdict = { ok: true } | { ok: false; reason: string } | { ok: 'unknown'; reason: string };

const OK: IntegrityVerdict = { ok: true };

const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));

/** Checks the container named by music-metadata (`format.container`) for truncation. */
export async function checkIntegrity(container: string, size: number, read: ReadAt): Promise<IntegrityVerdict> {
  const c = container.toLowerCase();
  if (c === 'mpeg') return checkMpegTail(size, read);
  if (c === 'flac') return checkFlacTail(size, read);
  if (c === 'wave' || c === 'wav') return checkChunks(size, read, 'riff');
  if (c === 'aiff' || c === 'aiff-c') return checkChunks(size, read, 'iff');
  if (c === 'ogg') return checkOggTail(size, read);
  if (c.startsWith('m4a') || c.startsWith('mp4') || c.includes('isom') || c.startsWith('quicktime')) return checkMp4Atoms(size, read);
  return { ok: 'unknown', reason: `no integrity check for ${container}` };
}

// ---- MPEG audio (ISO/IEC 11172-3 frame headers) -------------------------------------------

/** A frame header of ours for the chain check: the shared parser's result, free-format frames excluded. */
export function parseMpegFrameHeader(b: Uint8Array, p: number): MpegFrame | undefined {
  const f = parseMpegFrame(b, p);
  return f && f.length > 0 ? f : undefined;
}

/** Where the audio frames of an MPEG file end: before an ID3v1 tag and an APEv2 tag, if present. */
async function mpegAudioEnd(size: number, read: ReadAt): Promise<number> {
  let end = size;
  if (end >= 128) {
    const t = await read(end - 128, 3);
    if (ascii(t, 0, 3) === 'TAG') end -= 128;
  }
  if (end >= 32) {
    const footer = await read(end - 32, 32);
    if (ascii(footer, 0, 8) === 'APETAGEX') {
      const tagSize = footer[12]! | (footer[13]! << 8) | (footer[14]! << 16) | (footer[15]! << 24);
      const hasHeader = (footer[23]! & 0x80) !== 0;
      end -= tagSize + (hasHeader ? 32 : 0);
    }
  }
  return end;
}

/**
 * An MPEG stream is whole when a chain of consecutive frames in its last few kilobytes ends
 * exactly where the audio ends; a cut file leaves its last frame short.
 */
export async function checkMpegTail(size: number, read: ReadAt): Promise<IntegrityVerdict> {
  const end = await mpegAudioEnd(size, read);
  const windowSize = Math.min(end, 16 * 1024);
  const start = end - windowSize;
  const b = await read(start, windowSize);
  for (let p = 0; p + 4 <= b.length; p++) {
    const first = parseMpegFrameHeader(b, p);
    if (!first) continue;
    // Follow the chain of frames from this candidate; it must stay consistent to count.
    let q = p;
    let frame: MpegFrame | undefined = first;
    let frames = 0;
    while (frame && q + frame.length < b.length) {
      const next = parseMpegFrameHeader(b, q + frame.length);
      if (!next || next.version !== first.version || next.layer !== first.layer || next.sampleRate !== first.sampleRate) break;
      q += frame.length;
      frame = next;
      frames++;
    }
    if (!frame) continue;
    if (q + frame.length === b.length) return OK;
    if (frames >= 2 && q + frame.length > b.length) {
      return { ok: false, reason: `the last MPEG frame is cut short (${q + frame.length - b.length} of ${frame.length} bytes missing)` };
    }
  }
  return { ok: 'unknown', reason: 'no chain of MPEG frames found near the end of the file' };
}

// ---- FLAC (xiph.org/flac/format.html) ------------------------------------------------------

/** CRC-8, polynomial 0x07, as used by FLAC frame headers. */
export function crc8(b: Uint8Array, from: number, to: number): number {
  let crc = 0;
  for (let i = from; i < to; i++) {
    crc ^= b[i]!;
    for (let k = 0; k < 8; k++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

/** CRC-16, polynomial 0x8005, as used to close FLAC frames. */
export function crc16(b: Uint8Array, from: number, to: number): number {
  let crc = 0;
  for (let i = from; i < to; i++) {
    crc ^= b[i]! << 8;
    for (let k = 0; k < 8; k++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x8005) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

export interface FlacFrameHeader {
  headerLength: number;
  blockSize: number;
  variable: boolean;
  /** Frame number (fixed block size) or first sample number (variable block size). */
  number: number;
}

/** Parses a FLAC frame header at `p` and verifies its CRC-8; undefined if it isn't one. */
export function parseFlacFrameHeader(b: Uint8Array, p: number): FlacFrameHeader | undefined {
  if (p + 6 > b.length || b[p] !== 0xff || (b[p + 1]! & 0xfe) !== 0xf8) return undefined;
  const variable = (b[p + 1]! & 1) === 1;
  const bsCode = b[p + 2]! >> 4;
  const srCode = b[p + 2]! & 0x0f;
  if (bsCode === 0 || srCode === 15 || (b[p + 3]! & 1) !== 0 || (b[p + 3]! >> 4) > 10) return undefined;
  const sampleSizeCode = (b[p + 3]! >> 1) & 7;
  if (sampleSizeCode === 3) return undefined;
  // UTF-8-like coded number
  let q = p + 4;
  const lead = b[q]!;
  let extra = 0;
  let value: number;
  if (lead < 0x80) value = lead;
  else if ((lead & 0xe0) === 0xc0) [value, extra] = [lead & 0x1f, 1];
  else if ((lead & 0xf0) === 0xe0) [value, extra] = [lead & 0x0f, 2];
  else if ((lead & 0xf8) === 0xf0) [value, extra] = [lead & 0x07, 3];
  else if ((lead & 0xfc) === 0xf8) [value, extra] = [lead & 0x03, 4];
  else if ((lead & 0xfe) === 0xfc) [value, extra] = [lead & 0x01, 5];
  else if (lead === 0xfe) [value, extra] = [0, 6];
  else return undefined;
  q++;
  for (let i = 0; i < extra; i++, q++) {
    if (q >= b.length || (b[q]! & 0xc0) !== 0x80) return undefined;
    value = value * 64 + (b[q]! & 0x3f);
  }
  let blockSize: number;
  if (bsCode === 1) blockSize = 192;
  else if (bsCode <= 5) blockSize = 576 * 2 ** (bsCode - 2);
  else if (bsCode === 6) blockSize = b[q++]! + 1;
  else if (bsCode === 7) {
    blockSize = ((b[q]! << 8) | b[q + 1]!) + 1;
    q += 2;
  } else blockSize = 256 * 2 ** (bsCode - 8);
  if (srCode === 12) q += 1;
  else if (srCode === 13 || srCode === 14) q += 2;
  if (q >= b.length || crc8(b, p, q) !== b[q]) return undefined;
  return { headerLength: q + 1 - p, blockSize, variable, number: value };
}

/** Total samples and fixed block size from the STREAMINFO block (right after the `fLaC` marker). */
async function flacStreamInfo(read: ReadAt): Promise<{ totalSamples: number; maxBlockSize: number; maxFrameSize: number } | undefined> {
  const h = await read(0, 42);
  if (ascii(h, 0, 4) !== 'fLaC' || (h[4]! & 0x7f) !== 0) return undefined;
  const s = 8; // STREAMINFO body
  const maxBlockSize = (h[s + 2]! << 8) | h[s + 3]!;
  const maxFrameSize = (h[s + 7]! << 16) | (h[s + 8]! << 8) | h[s + 9]!;
  const totalSamples = (h[s + 13]! & 0x0f) * 2 ** 32 + ((h[s + 14]! << 24) >>> 0) + (h[s + 15]! << 16) + (h[s + 16]! << 8) + h[s + 17]!;
  return { totalSamples, maxBlockSize, maxFrameSize };
}

/**
 * A FLAC stream is whole when its last frame (found by a valid header near the end) closes with a
 * matching CRC-16 exactly at the end of the file, and ends on the total sample count of STREAMINFO.
 */
export async function checkFlacTail(size: number, read: ReadAt): Promise<IntegrityVerdict> {
  const info = await flacStreamInfo(read);
  if (!info) return { ok: 'unknown', reason: 'FLAC STREAMINFO not found at the start of the file (ID3-prefixed FLAC is not checked)' };
  let end = size;
  if (end >= 128 && ascii(await read(end - 128, 3), 0, 3) === 'TAG') end -= 128;
  const windowSize = Math.min(end, Math.max(info.maxFrameSize || 0, 64 * 1024) * 2);
  const start = end - windowSize;
  const b = await read(start, windowSize);
  for (let p = b.length - 8; p >= 0; p--) {
    const header = parseFlacFrameHeader(b, p);
    if (!header) continue;
    const crcOk = crc16(b, p, b.length - 2) === ((b[b.length - 2]! << 8) | b[b.length - 1]!);
    if (!crcOk) {
      // Either a false sync inside the last frame, or a frame that is cut: look further back for a
      // frame whose CRC closes where the next header starts; if one does, the tail frame is cut.
      const closed = previousFrameCloses(b, p);
      if (closed) return { ok: false, reason: 'the last FLAC frame is cut short (its CRC does not match)' };
      continue;
    }
    const firstSample = header.variable ? header.number : header.number * info.maxBlockSize;
    if (info.totalSamples > 0 && firstSample + header.blockSize < info.totalSamples) {
      const missing = info.totalSamples - firstSample - header.blockSize;
      return { ok: false, reason: `the FLAC stream stops ${missing} samples before the length its header declares` };
    }
    return OK;
  }
  return { ok: 'unknown', reason: 'no FLAC frame found near the end of the file' };
}

/** True when a valid frame before `p` ends exactly at `p` with a matching CRC-16 (so `p` is a real frame start). */
function previousFrameCloses(b: Uint8Array, p: number): boolean {
  for (let q = p - 8; q >= 0; q--) {
    if (!parseFlacFrameHeader(b, q)) continue;
    return crc16(b, q, p - 2) === ((b[p - 2]! << 8) | b[p - 1]!);
  }
  return false;
}

// ---- RIFF/WAVE and IFF/AIFF chunks ---------------------------------------------------------

/** Walks the top-level chunks; a chunk that claims more bytes than the file has means a cut file. */
export async function checkChunks(size: number, read: ReadAt, kind: 'riff' | 'iff'): Promise<IntegrityVerdict> {
  const little = kind === 'riff';
  const u32 = (b: Uint8Array, at: number) =>
    little ? (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0 : ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
  let pos = 12;
  let sawData = false;
  for (let n = 0; pos + 8 <= size && n < 10_000; n++) {
    const h = await read(pos, 8);
    const id = ascii(h, 0, 4);
    const len = u32(h, 4);
    if (id === 'data' || id === 'SSND') sawData = true;
    if (pos + 8 + len > size) {
      if (id === 'data' || id === 'SSND') return { ok: false, reason: `the audio chunk '${id}' declares ${len} bytes but only ${size - pos - 8} are there` };
      return sawData ? OK : { ok: false, reason: `chunk '${id}' runs past the end of the file` };
    }
    pos += 8 + len + (len & 1);
  }
  return sawData ? OK : { ok: false, reason: 'no audio data chunk found' };
}

// ---- Ogg (RFC 3533 pages) ------------------------------------------------------------------

/** The last Ogg page must be complete and end exactly at the end of the file. */
export async function checkOggTail(size: number, read: ReadAt): Promise<IntegrityVerdict> {
  const windowSize = Math.min(size, 70 * 1024); // a page is at most 65,307 bytes
  const start = size - windowSize;
  const b = await read(start, windowSize);
  for (let p = 0; p + 27 <= b.length; p++) {
    if (b[p] !== 0x4f || b[p + 1] !== 0x67 || b[p + 2] !== 0x67 || b[p + 3] !== 0x53 || b[p + 4] !== 0) continue;
    // Follow pages from this capture pattern.
    let q = p;
    for (;;) {
      const segments = b[q + 26]!;
      if (q + 27 + segments > b.length) return { ok: false, reason: 'the last Ogg page header is cut short' };
      let body = 0;
      for (let i = 0; i < segments; i++) body += b[q + 27 + i]!;
      const pageEnd = q + 27 + segments + body;
      if (pageEnd === b.length) return (b[q + 5]! & 4) ? OK : { ok: false, reason: 'the Ogg stream ends without its end-of-stream page' };
      if (pageEnd > b.length) return { ok: false, reason: `the last Ogg page is cut short (${pageEnd - b.length} bytes missing)` };
      if (ascii(b, pageEnd, 4) !== 'OggS') break; // false capture pattern; try the next candidate
      q = pageEnd;
    }
  }
  return { ok: 'unknown', reason: 'no Ogg page found near the end of the file' };
}

// ---- MP4 / M4A (ISO/IEC 14496-12 boxes) ----------------------------------------------------

/** Walks top-level boxes; one that runs past the end of the file means a cut file. */
export async function checkMp4Atoms(size: number, read: ReadAt): Promise<IntegrityVerdict> {
  let pos = 0;
  let sawMdat = false;
  let sawMoov = false;
  for (let n = 0; pos + 8 <= size && n < 10_000; n++) {
    const h = await read(pos, 16);
    let len = ((h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!) >>> 0;
    const type = ascii(h, 4, 4);
    if (len === 1) len = Number((BigInt((h[8]! << 24) | (h[9]! << 16) | (h[10]! << 8) | h[11]!) << 32n) | BigInt(((h[12]! << 24) | (h[13]! << 16) | (h[14]! << 8) | h[15]!) >>> 0));
    else if (len === 0) len = size - pos;
    if (len < 8) return { ok: false, reason: `box '${type}' has an invalid size` };
    if (type === 'mdat') sawMdat = true;
    if (type === 'moov') sawMoov = true;
    if (pos + len > size) return { ok: false, reason: `box '${type}' declares ${len} bytes but only ${size - pos} are there` };
    pos += len;
  }
  if (!sawMoov) return { ok: false, reason: "no 'moov' box: the file is incomplete" };
  if (!sawMdat) return { ok: false, reason: "no 'mdat' box: the file holds no audio" };
  return OK;
}
