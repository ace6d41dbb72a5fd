// AIFF / AIFF-C header reader: walks the IFF chunks to 'COMM' and 'SSND' (big-endian sizes).
// AIFF is big-endian two's-complement PCM; AIFF-C adds 'sowt' (little-endian), 'fl32' / 'fl64'
// (float), 'in24' / 'in32', and 'raw ' (8-bit offset binary).
import { DecodeError, quoteName } from './errors.ts';
import { isSupportedPcm, type PcmEncoding } from './pcm.ts';
import { fourCC, type PcmLayout, type ReadAt } from './pcmLayout.ts';

const u16 = (b: Uint8Array, at: number): number => (b[at]! << 8) | b[at + 1]!;
const u32 = (b: Uint8Array, at: number): number => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;

/** IEEE 754 80-bit extended float (AIFF's sample rate field): sign, 15-bit exponent, 64-bit mantissa. */
export function readExtended(b: Uint8Array, at: number): number {
  const sign = b[at]! & 0x80 ? -1 : 1;
  const exp = ((b[at]! & 0x7f) << 8) | b[at + 1]!;
  const mant = u32(b, at + 2) * 2 ** 32 + u32(b, at + 6);
  if (exp === 0 && mant === 0) return 0;
  return sign * mant * 2 ** (exp - 16383 - 63);
}

/** AIFF-C compression type → how its samples are stored (null: compressed, not supported). */
function aifcEncoding(type: string, bits: number): PcmEncoding | null {
  const width = Math.ceil(bits / 8) as PcmEncoding['bytes'];
  switch (type) {
    case 'NONE': case 'twos': return { kind: 'int', bytes: width, littleEndian: false };
    case 'sowt': return { kind: 'int', bytes: width, littleEndian: true };
    case 'in24': return { kind: 'int', bytes: 3, littleEndian: false };
    case 'in32': return { kind: 'int', bytes: 4, littleEndian: false };
    case '23ni': return { kind: 'int', bytes: 3, littleEndian: true };
    case 'fl32': case 'FL32': return { kind: 'float', bytes: 4, littleEndian: false };
    case 'fl64': case 'FL64': return { kind: 'float', bytes: 8, littleEndian: false };
    case 'raw ': return { kind: 'uint', bytes: 1, littleEndian: false };
    default: return null;
  }
}

const AIFC_CODECS: Record<string, string> = { ulaw: 'μ-law', ULAW: 'μ-law', alaw: 'A-law', ALAW: 'A-law', ima4: 'IMA ADPCM', MAC3: 'MACE 3:1', MAC6: 'MACE 6:1', 'GSM ': 'GSM', Qclp: 'QCELP', QDMC: 'QDesign', QDM2: 'QDesign 2' };

/** Reads an AIFF or AIFF-C header (Apple's AIFF 1.3 / AIFF-C specs). */
export async function readAiffHeader(read: ReadAt, fileSize: number, file: string): Promise<PcmLayout> {
  const name = quoteName(file);
  const head = await read(0, 12);
  const form = fourCC(head, 8);
  if (head.length < 12 || fourCC(head, 0) !== 'FORM' || (form !== 'AIFF' && form !== 'AIFC')) {
    throw new DecodeError('CORRUPT', file, `${name} is a damaged AIFF file: no FORM/AIFF header`);
  }
  const container = form === 'AIFC' ? 'AIFF-C' : 'AIFF';
  const corrupt = (why: string): DecodeError => new DecodeError('CORRUPT', file, `${name} is a damaged ${container} file: ${why}`);
  let comm: Uint8Array | null = null;
  let ssnd: { offset: number; size: number } | null = null;
  let pos = 12;
  while (pos + 8 <= fileSize && !(comm && ssnd)) {
    const h = await read(pos, 8);
    if (h.length < 8) break;
    const id = fourCC(h, 0);
    const size = u32(h, 4);
    if (id === 'COMM') comm = await read(pos + 8, Math.min(size, 64));
    else if (id === 'SSND') {
      const s = await read(pos + 8, 8);
      if (s.length === 8) ssnd = { offset: pos + 16 + u32(s, 0), size: size - 8 - u32(s, 0) };
    }
    pos += 8 + size + (size & 1);
  }
  if (!comm || comm.length < 18) throw corrupt(comm ? "its 'COMM' chunk is too short" : "no 'COMM' chunk");
  const channels = u16(comm, 0);
  const frames = u32(comm, 2);
  const bits = u16(comm, 6);
  const sampleRate = Math.round(readExtended(comm, 8));
  const type = form === 'AIFC' && comm.length >= 22 ? fourCC(comm, 18) : 'NONE';
  const encoding = aifcEncoding(type, bits);
  if (!encoding) {
    const codec = AIFC_CODECS[type] ?? `compression '${type}'`;
    throw new DecodeError('UNSUPPORTED_CODEC', file, `AIFF-C/${codec} audio can't be decoded yet: ${name} holds ${codec}, not PCM`);
  }
  if (!isSupportedPcm(encoding) || bits === 0 || bits > 64) throw new DecodeError('UNSUPPORTED_CODEC', file, `${container} with ${bits}-bit samples can't be decoded: ${name}`);
  if (channels === 0 || !(sampleRate > 0)) throw corrupt(`impossible format (${channels} channels, ${sampleRate} Hz)`);
  const frameBytes = encoding.bytes * channels;
  if (!ssnd) {
    if (frames === 0) return { container, encoding, channels, sampleRate, dataOffset: fileSize, dataBytes: 0, warnings: [] };
    throw corrupt("no 'SSND' chunk (the file may be cut off)");
  }
  const warnings: string[] = [];
  const declared = Math.min(frames * frameBytes, Math.max(0, ssnd.size));
  const present = Math.max(0, fileSize - ssnd.offset);
  if (declared > present) warnings.push(`the sound data declares ${declared} bytes but the file holds ${present}: it is cut off`);
  let bytes = Math.min(declared, present);
  bytes -= bytes % frameBytes;
  return { container, encoding, channels, sampleRate, dataOffset: ssnd.offset, dataBytes: bytes, warnings };
}
