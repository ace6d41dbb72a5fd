// RIFF/WAVE (and RF64/BW64) header reader: walks the chunks to 'fmt ' and 'data'. Sample formats:
// PCM 8 (unsigned) / 16 / 24 / 32-bit integer, 32 / 64-bit float, plain or WAVE_FORMAT_EXTENSIBLE.
import { DecodeError, quoteName } from './errors.ts';
import { isSupportedPcm, type PcmEncoding } from './pcm.ts';
import { fourCC, type PcmLayout, type ReadAt } from './pcmLayout.ts';

const PCM = 0x0001;
const IEEE_FLOAT = 0x0003;
const EXTENSIBLE = 0xfffe;

/** Names of the compressed WAV codecs people meet, for the "can't decode" message. */
const WAV_CODECS: Record<number, string> = {
  0x0002: 'Microsoft ADPCM', 0x0006: 'A-law', 0x0007: 'μ-law', 0x0011: 'IMA ADPCM', 0x0031: 'GSM 6.10',
  0x0050: 'MPEG audio', 0x0055: 'MP3', 0x0161: 'WMA', 0x0162: 'WMA Pro', 0x0163: 'WMA Lossless',
  0x00ff: 'AAC', 0x2000: 'AC-3', 0x2001: 'DTS', 0xf1ac: 'FLAC',
};

const u16 = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number): number => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
const u64 = (b: Uint8Array, at: number): number => u32(b, at) + u32(b, at + 4) * 2 ** 32;

/** Reads a WAV header (RIFF chunk walk, after the Microsoft RIFF / EBU RF64 specs). */
export async function readWavHeader(read: ReadAt, fileSize: number, file: string): Promise<PcmLayout> {
  const name = quoteName(file);
  const corrupt = (why: string): DecodeError => new DecodeError('CORRUPT', file, `${name} is a damaged WAV file: ${why}`);
  const head = await read(0, 12);
  const riff = fourCC(head, 0);
  if (head.length < 12 || !['RIFF', 'RF64', 'BW64'].includes(riff) || fourCC(head, 8) !== 'WAVE') throw corrupt('no RIFF/WAVE header');
  const container = riff === 'RIFF' ? 'WAV' : `WAV (${riff})`;
  let ds64DataSize: number | null = null;
  let fmt: Uint8Array | null = null;
  let data: { offset: number; declared: number } | null = null;
  let pos = 12;
  while (pos + 8 <= fileSize && !(fmt && data)) {
    const h = await read(pos, 8);
    if (h.length < 8) break;
    const id = fourCC(h, 0);
    const size = u32(h, 4);
    if (id === 'ds64') ds64DataSize = u64(await read(pos + 8, 28), 8);
    else if (id === 'fmt ') fmt = await read(pos + 8, Math.min(size, 64));
    // RF64 keeps the real size in 'ds64'; 0xFFFFFFFF without one means "until the end of the file".
    else if (id === 'data') data = { offset: pos + 8, declared: size !== 0xffffffff ? size : (ds64DataSize ?? Infinity) };
    pos += 8 + size + (size & 1); // chunks are word-aligned
  }
  if (!fmt || fmt.length < 16) throw corrupt(fmt ? "its 'fmt ' chunk is too short" : "no 'fmt ' chunk");
  let tag = u16(fmt, 0);
  const channels = u16(fmt, 2);
  const sampleRate = u32(fmt, 4);
  const blockAlign = u16(fmt, 12);
  const bits = u16(fmt, 14);
  if (tag === EXTENSIBLE) {
    if (fmt.length < 26) throw corrupt('its WAVE_FORMAT_EXTENSIBLE header is too short');
    tag = u16(fmt, 24); // the sub-format GUID starts with the format tag
  }
  if (tag !== PCM && tag !== IEEE_FLOAT) {
    const codec = WAV_CODECS[tag] ?? `format tag 0x${tag.toString(16).padStart(4, '0')}`;
    throw new DecodeError('UNSUPPORTED_CODEC', file, `WAV/${codec} audio can't be decoded yet: ${name} holds ${codec}, not PCM`);
  }
  if (channels === 0 || sampleRate === 0 || blockAlign === 0 || blockAlign % channels !== 0) {
    throw corrupt(`impossible format (${channels} channels, ${sampleRate} Hz, ${blockAlign}-byte frames)`);
  }
  const width = blockAlign / channels;
  const encoding: PcmEncoding = {
    kind: tag === IEEE_FLOAT ? 'float' : width === 1 ? 'uint' : 'int',
    bytes: width as PcmEncoding['bytes'],
    littleEndian: true,
  };
  if (!isSupportedPcm(encoding) || bits > width * 8) {
    throw new DecodeError('UNSUPPORTED_CODEC', file, `WAV with ${bits}-bit samples in ${width}-byte slots (${tag === IEEE_FLOAT ? 'float' : 'integer'}) can't be decoded: ${name}`);
  }
  if (!data) throw corrupt("no 'data' chunk (the file may be cut off)");
  const warnings: string[] = [];
  const present = Math.max(0, fileSize - data.offset);
  let bytes = Math.min(data.declared, present);
  if (data.declared !== Infinity && data.declared > present) warnings.push(`the data chunk declares ${data.declared} bytes but the file holds ${present}: it is cut off`);
  bytes -= bytes % blockAlign;
  return { container, encoding, channels, sampleRate, dataOffset: data.offset, dataBytes: bytes, warnings };
}

