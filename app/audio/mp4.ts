// MP4 / M4A boxes (ISO/IEC 14496-12): walks box headers with positioned reads (never sample data),
// and names a sound track's codec from its sample entry; mp4Demux.ts reads the sample table with these.
import { fourCC, type ReadAt } from './pcmLayout.ts';

export const u32 = (b: Uint8Array, at: number): number => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;

export interface Box {
  type: string;
  /** Payload start and end (file offsets). */
  start: number;
  end: number;
}

/** The boxes directly inside [start, end). */
export async function children(read: ReadAt, start: number, end: number): Promise<Box[]> {
  const out: Box[] = [];
  let pos = start;
  while (pos + 8 <= end && out.length < 1000) {
    const h = await read(pos, 16);
    if (h.length < 8) break;
    let size = u32(h, 0);
    let header = 8;
    if (size === 1 && h.length >= 16) {
      size = u32(h, 8) * 2 ** 32 + u32(h, 12);
      header = 16;
    } else if (size === 0) size = end - pos;
    if (size < header) break;
    out.push({ type: fourCC(h, 4), start: pos + header, end: Math.min(pos + size, end) });
    pos += size;
  }
  return out;
}

export async function child(read: ReadAt, box: Box | undefined, type: string): Promise<Box | undefined> {
  if (!box) return undefined;
  return (await children(read, box.start, box.end)).find((b) => b.type === type);
}

/** Human codec name of an MP4 sample entry type (and its esds object type, for 'mp4a'). */
export function mp4CodecName(entry: string, objectType: number | null): string {
  switch (entry) {
    case 'mp4a':
      return objectType === 0x69 || objectType === 0x6b ? 'MP3' : 'AAC';
    case 'alac': return 'ALAC';
    case 'ac-3': return 'AC-3';
    case 'ec-3': return 'E-AC-3';
    case 'Opus': return 'Opus';
    case 'fLaC': return 'FLAC';
    case '.mp3': return 'MP3';
    case 'samr': return 'AMR';
    default: return `'${entry}'`;
  }
}

/** objectTypeIndication of the DecoderConfigDescriptor in an 'mp4a' entry's esds box (ISO/IEC 14496-1 §7.2.6). */
export function esdsObjectType(entry: Uint8Array): number | null {
  for (let i = 8; i + 4 < entry.length; i++) {
    if (fourCC(entry, i) !== 'esds') continue;
    let p = i + 8; // after the type and version/flags
    const skipSize = (): void => {
      for (let n = 0; n < 4 && (entry[p++] ?? 0) & 0x80; n++); // expandable size, 1–4 bytes
    };
    if (entry[p++] !== 0x03) return null; // ES_Descriptor
    skipSize();
    p += 2; // ES_ID
    const flags = entry[p++] ?? 0;
    if (flags & 0x80) p += 2; // dependsOn_ES_ID
    if (flags & 0x40) p += 1 + (entry[p] ?? 0); // URL
    if (flags & 0x20) p += 2; // OCR_ES_Id
    if (entry[p++] !== 0x04) return null; // DecoderConfigDescriptor
    skipSize();
    return entry[p] ?? null;
  }
  return null;
}
