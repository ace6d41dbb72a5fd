// The sample table of an MP4 / M4A file's first sound track (ISO/IEC 14496-12 §8.5–8.7: stsd, stts,
// stsc, stsz/stz2, stco/co64 under moov/trak/mdia/minf/stbl), so its frames can be read in order
// with positioned reads. Written here rather than taking the `mp4box` package: only the sample table
// is needed, and it is a few small boxes; the sample data (mdat) is never read here.
import { DecodeError, quoteName } from './errors.ts';
import { child, children, esdsObjectType, mp4CodecName, u32, type Box } from './mp4.ts';
import { fourCC, type ReadAt } from './pcmLayout.ts';

/** No sample-table box we read may be bigger than this (a 3-hour track's stsz is about 0.5 MB). */
const MAX_TABLE_BYTES = 64 * 1024 * 1024;

export interface Mp4SoundTrack {
  /** Sample entry type, e.g. 'alac', 'mp4a'. */
  entryType: string;
  /** Human codec name ('ALAC', 'AAC', …). */
  codec: string;
  /** The sample entry (after its 8-byte box header), at most 4 KiB of it. */
  entry: Uint8Array;
  /** mdhd timescale (ticks per second) and the track's length in ticks (sum of stts). */
  timescale: number;
  durationTicks: number;
  /** Per sample (= codec frame): file offset and size in bytes, and duration in ticks. */
  offsets: Float64Array;
  sizes: Uint32Array;
  durations: Uint32Array;
}

const u64 = (b: Uint8Array, at: number): number => u32(b, at) * 2 ** 32 + u32(b, at + 4);

/** The payload of `box`, read whole (tables only; bounded). */
async function payload(read: ReadAt, box: Box, file: string): Promise<Uint8Array> {
  const n = box.end - box.start;
  if (n > MAX_TABLE_BYTES) throw new DecodeError('CORRUPT', file, `${quoteName(file)} is a damaged MP4 file: its '${box.type}' table claims ${n} bytes`);
  const b = await read(box.start, n);
  if (b.length < n) throw new DecodeError('CORRUPT', file, `${quoteName(file)} is cut off: its '${box.type}' table ends early`);
  return b;
}

/** Throws CORRUPT unless a table of `count` entries of `size` bytes after `header` bytes fits in `b`. */
function fits(b: Uint8Array, header: number, count: number, size: number, type: string, file: string): void {
  if (header + count * size > b.length) throw new DecodeError('CORRUPT', file, `${quoteName(file)} is a damaged MP4 file: its '${type}' table is shorter than it says`);
}

/**
 * Reads the first sound track's sample table. Null when the file has no sound track; DecodeError
 * 'CORRUPT' when it has no moov box (cut off before it) or its tables don't add up.
 */
export async function readMp4SoundTrack(read: ReadAt, fileSize: number, file: string): Promise<Mp4SoundTrack | null> {
  const name = quoteName(file);
  const top = await children(read, 0, fileSize);
  const moov = top.find((b) => b.type === 'moov');
  if (!moov) throw new DecodeError('CORRUPT', file, `${name} is a damaged or cut-off MP4 file: it has no 'moov' box (the index of its samples)`);
  if (moov.end - moov.start > MAX_TABLE_BYTES) throw new DecodeError('CORRUPT', file, `${name} is a damaged MP4 file: its 'moov' box claims ${moov.end - moov.start} bytes`);
  for (const trak of (await children(read, moov.start, moov.end)).filter((b) => b.type === 'trak')) {
    const mdia = await child(read, trak, 'mdia');
    const hdlr = await child(read, mdia, 'hdlr');
    if (!hdlr || fourCC(await read(hdlr.start + 8, 4), 0) !== 'soun') continue;
    const mdhd = await child(read, mdia, 'mdhd');
    const stbl = await child(read, await child(read, mdia, 'minf'), 'stbl');
    if (!mdhd || !stbl) throw new DecodeError('CORRUPT', file, `${name} is a damaged MP4 file: its sound track has no media header or sample table`);
    const boxes = await children(read, stbl.start, stbl.end);
    const get = (type: string): Box | undefined => boxes.find((b) => b.type === type);
    const stsd = get('stsd');
    const entryHead = stsd ? await read(stsd.start + 8, Math.min(4096, stsd.end - stsd.start - 8)) : new Uint8Array(0);
    if (entryHead.length < 8) throw new DecodeError('CORRUPT', file, `${name} is a damaged MP4 file: its sound track has no sample description`);
    const entryType = fourCC(entryHead, 4);
    const entry = entryHead.subarray(8, Math.min(entryHead.length, u32(entryHead, 0)));
    const codec = mp4CodecName(entryType, entryType === 'mp4a' ? esdsObjectType(entryHead) : null);

    const h = await payload(read, mdhd, file);
    const timescale = h[0] === 1 ? u32(h, 20) : u32(h, 12);
    if (!timescale) throw new DecodeError('CORRUPT', file, `${name} is a damaged MP4 file: its sound track's timescale is 0`);

    const stts = get('stts');
    const stsc = get('stsc');
    const stco = get('stco') ?? get('co64');
    const stsz = get('stsz') ?? get('stz2');
    if (!stts || !stsc || !stco || !stsz) {
      const fragmented = top.some((b) => b.type === 'moof') || !!(await child(read, moov, 'mvex'));
      const why = fragmented ? 'it is a fragmented MP4, which is not supported' : 'its sample table is incomplete';
      throw new DecodeError('CORRUPT', file, `${name} can't be decoded: ${why}`);
    }

    // Sizes (stsz, or the compact stz2).
    const sz = await payload(read, stsz, file);
    // Every sample takes at least a byte, so a count beyond the file's size is damage (checked before allocating).
    const countOk = (n: number, bytesEach = 1): number => {
      if (n * bytesEach > fileSize) throw new DecodeError('CORRUPT', file, `${name} is a damaged MP4 file: it claims ${n} samples in ${fileSize} bytes`);
      return n;
    };
    let count: number;
    let sizes: Uint32Array;
    if (stsz.type === 'stsz') {
      const fixed = u32(sz, 4);
      count = countOk(u32(sz, 8), Math.max(1, fixed));
      if (fixed) {
        sizes = new Uint32Array(count).fill(fixed);
      } else {
        fits(sz, 12, count, 4, 'stsz', file);
        sizes = new Uint32Array(count);
        for (let i = 0; i < count; i++) sizes[i] = u32(sz, 12 + 4 * i);
      }
    } else {
      const field = sz[7]!;
      count = countOk(u32(sz, 8));
      if (![4, 8, 16].includes(field)) throw new DecodeError('CORRUPT', file, `${name} is a damaged MP4 file: its 'stz2' field size is ${field}`);
      fits(sz, 12, Math.ceil((count * field) / 8), 1, 'stz2', file);
      sizes = new Uint32Array(count);
      for (let i = 0; i < count; i++) {
        sizes[i] = field === 16 ? (sz[12 + 2 * i]! << 8) | sz[13 + 2 * i]! : field === 8 ? sz[12 + i]! : (sz[12 + (i >> 1)]! >> (i & 1 ? 0 : 4)) & 15;
      }
    }

    // Chunk offsets (stco / co64) and samples per chunk (stsc) → each sample's offset.
    const co = await payload(read, stco, file);
    const chunks = u32(co, 4);
    const wide = stco.type === 'co64';
    fits(co, 8, chunks, wide ? 8 : 4, stco.type, file);
    const sc = await payload(read, stsc, file);
    const runs = u32(sc, 4);
    fits(sc, 8, runs, 12, 'stsc', file);
    const offsets = new Float64Array(count);
    let s = 0;
    for (let r = 0; r < runs && s < count; r++) {
      const firstChunk = u32(sc, 8 + 12 * r) - 1;
      const perChunk = u32(sc, 12 + 12 * r);
      const nextFirst = r + 1 < runs ? u32(sc, 8 + 12 * (r + 1)) - 1 : chunks;
      for (let c = firstChunk; c < Math.min(nextFirst, chunks) && s < count; c++) {
        let off = wide ? u64(co, 8 + 8 * c) : u32(co, 8 + 4 * c);
        for (let k = 0; k < perChunk && s < count; k++) {
          offsets[s] = off;
          off += sizes[s]!;
          s++;
        }
      }
    }
    if (s < count) throw new DecodeError('CORRUPT', file, `${name} is a damaged MP4 file: its chunk table places ${s} of its ${count} samples`);

    // Durations (stts).
    const tt = await payload(read, stts, file);
    const ttRuns = u32(tt, 4);
    fits(tt, 8, ttRuns, 8, 'stts', file);
    const durations = new Uint32Array(count);
    let durationTicks = 0;
    let d = 0;
    for (let r = 0; r < ttRuns && d < count; r++) {
      const n = u32(tt, 8 + 8 * r);
      const delta = u32(tt, 12 + 8 * r);
      for (let k = 0; k < n && d < count; k++) {
        durations[d++] = delta;
        durationTicks += delta;
      }
    }
    return { entryType, codec, entry, timescale, durationTicks, offsets, sizes, durations };
  }
  return null;
}

/** The ALACSpecificConfig inside an 'alac' sample entry: the 'alac' box after the AudioSampleEntry fields. */
export function alacCookie(entry: Uint8Array): Uint8Array | null {
  // AudioSampleEntry: 28 bytes (QuickTime sound description v1 adds 16, v2 adds 36); then child boxes.
  for (let at = 28; at + 36 <= entry.length; at++) {
    if (fourCC(entry, at + 4) === 'alac' && u32(entry, at) >= 36) return entry.subarray(at + 12, at + 36);
  }
  return null;
}
