// Picks the decoder by content (file-type, after skipping ID3v2 tags), never by extension. Formats we
// can't decode are refused here with a DecodeError that names them. MP3, FLAC and Ogg files that say
// so in their first bytes are told apart here; file-type (≈ 80 ms to load, once per process) is loaded
// only for the others.
import { DecodeError, quoteName } from './errors.ts';
import { findMpegSync, parseMpegFrame } from './mpeg.ts';
import { readOggHead, type OggHead } from './ogg.ts';
import { fourCC } from './pcmLayout.ts';
import type { AudioSource } from './source.ts';

export type Sniffed =
  /** WAV / AIFF starting at `start` (after any ID3v2 tag some taggers put in front). */
  | { kind: 'wav'; start: number }
  | { kind: 'aiff'; start: number }
  /** MPEG audio; `firstFrame` is the offset of the first frame, `head` the bytes from there. */
  | { kind: 'mpeg'; audioStart: number; firstFrame: number; head: Uint8Array; name: string }
  | { kind: 'flac'; audioStart: number; head: Uint8Array }
  | { kind: 'ogg'; ogg: OggHead & { codec: 'vorbis' | 'opus' | 'flac' } }
  /** MP4 family (M4A, MP4, MOV): the codec is found by mp4Open.ts from the sample description. */
  | { kind: 'mp4'; container: string }
  | { kind: 'adts' };

const PROBE = 64 * 1024;

/** Containers file-type recognises that we don't decode (yet), by MIME type. */
const UNSUPPORTED: Record<string, string> = {
  'video/x-matroska': 'Matroska (MKA)', 'video/webm': 'WebM', 'audio/webm': 'WebM',
  'audio/x-ms-asf': 'ASF/WMA', 'video/x-ms-asf': 'ASF/WMA', 'audio/ape': "Monkey's Audio (APE)",
  'audio/wavpack': 'WavPack', 'audio/x-musepack': 'Musepack', 'audio/x-dsf': 'DSF (DSD)',
  'audio/x-dff': 'DSDIFF (DSD)', 'audio/amr': 'AMR', 'audio/x-caf': 'Core Audio Format (CAF)',
  'audio/midi': 'MIDI (notes, not recorded audio)', 'audio/qcelp': 'QCELP',
};

/** Offset just after any ID3v2 tags at `at` (ID3v2.4 §3.1: 10-byte header, syncsafe size, optional footer). */
async function skipId3v2(src: AudioSource, at: number): Promise<number> {
  for (let n = 0; n < 16; n++) {
    const h = await src.read(at, 10);
    if (h.length < 10 || fourCC(h, 0).slice(0, 3) !== 'ID3' || h[3] === 0xff || h[4] === 0xff) return at;
    const size = ((h[6]! & 0x7f) << 21) | ((h[7]! & 0x7f) << 14) | ((h[8]! & 0x7f) << 7) | (h[9]! & 0x7f);
    at += 10 + size + (h[5]! & 0x10 ? 10 : 0);
  }
  return at;
}

const MPEG_NAMES = ['', 'MP1', 'MP2', 'MP3'];

/**
 * The MIME type file-type gives the commonest files, from their own magic at offset 0: 'fLaC', 'OggS'
 * (every Ogg type takes the same path below), or two consecutive matching MPEG audio frames (file-type
 * checks MPEG sync last, as no other format starts with 0xFFE); null for anything else.
 */
export function quickMime(head: Uint8Array): string | null {
  const magic = fourCC(head, 0);
  if (magic === 'fLaC') return 'audio/flac';
  if (magic === 'OggS') return 'audio/ogg';
  const f = parseMpegFrame(head, 0);
  if (!f || f.length === 0) return null;
  const g = parseMpegFrame(head, f.length);
  return g && g.version === f.version && g.layer === f.layer && g.sampleRate === f.sampleRate ? 'audio/mpeg' : null;
}

/** file-type's guess from the first 4100 bytes (it allows MPEG sync up to 10 bytes in). */
async function fileType(head: Uint8Array): Promise<{ mime: string; ext: string } | undefined> {
  const { fileTypeFromBuffer } = await import('file-type');
  return fileTypeFromBuffer(head.subarray(0, 4100), { mpegOffsetTolerance: 10 } as never);
}

/** Reads the start of the file and decides how to decode it. */
export async function sniff(src: AudioSource): Promise<Sniffed> {
  const file = src.path;
  const name = quoteName(file);
  if (src.size === 0) throw new DecodeError('EMPTY', file, `${name} is empty (0 bytes)`);
  const audioStart = await skipId3v2(src, 0);
  const head = await src.read(audioStart, PROBE);
  // RIFF-family and IFF magic first: an RF64 header's 0xFFFFFFFF size looks like an MPEG frame sync.
  if (['RIFF', 'RF64', 'BW64'].includes(fourCC(head, 0)) && fourCC(head, 8) === 'WAVE') return { kind: 'wav', start: audioStart };
  if (fourCC(head, 0) === 'FORM' && ['AIFF', 'AIFC'].includes(fourCC(head, 8))) return { kind: 'aiff', start: audioStart };
  const quick = quickMime(head);
  const type = quick || !head.length ? undefined : await fileType(head);
  const mime = quick ?? type?.mime ?? '';
  const mpeg = (): Sniffed | null => {
    const at = findMpegSync(head);
    if (at < 0) return null;
    const frame = parseMpegFrame(head, at)!;
    return { kind: 'mpeg', audioStart, firstFrame: audioStart + at, head: head.subarray(at), name: MPEG_NAMES[frame.layer]! };
  };
  if (mime === 'audio/flac') return { kind: 'flac', audioStart, head };
  if (mime === 'audio/mpeg') {
    const m = mpeg();
    if (m) return m;
    throw new DecodeError('CORRUPT', file, `${name} is a damaged MP3 file: no two consecutive MPEG audio frames in its first ${PROBE / 1024} KiB`);
  }
  if (mime.startsWith('audio/ogg') || mime === 'application/ogg' || mime === 'video/ogg') {
    const ogg = readOggHead(head);
    if (ogg && (ogg.codec === 'vorbis' || ogg.codec === 'opus' || ogg.codec === 'flac')) return { kind: 'ogg', ogg: { ...ogg, codec: ogg.codec } };
    const codec = ogg?.codec === 'speex' ? 'Speex' : ogg?.codec === 'theora' ? 'Theora' : 'unknown codec';
    throw new DecodeError('UNSUPPORTED_CODEC', file, `Ogg/${codec} can't be decoded yet: ${name} holds ${codec}, not Vorbis, Opus or FLAC`);
  }
  if (['audio/x-m4a', 'audio/mp4', 'video/mp4', 'video/quicktime', 'audio/x-m4b'].includes(mime)) {
    return { kind: 'mp4', container: (type?.ext ?? 'mp4').toUpperCase() };
  }
  if (mime === 'audio/aac') return { kind: 'adts' };
  if (UNSUPPORTED[mime]) throw new DecodeError('UNSUPPORTED_FORMAT', file, `${UNSUPPORTED[mime]} files can't be decoded yet: ${name}`);
  if (!type) {
    const m = mpeg(); // MPEG audio with junk before its first frame
    if (m) return m;
  }
  const what = type ? `its content is ${mime}` : 'its content matches no audio format we know';
  throw new DecodeError('UNSUPPORTED_FORMAT', file, `${name} is not audio we can decode: ${what}`);
}
