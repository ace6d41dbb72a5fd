// MPEG audio (layer I/II/III) frame headers: enough to find the first frame, count channels, and
// estimate the duration from a Xing/Info/VBRI header (with the LAME gapless delay and padding) or,
// for constant bit rate, from the file size. Decoding itself is minimp3's (minimp3.ts).

export interface MpegFrame {
  /** 1 = MPEG-1, 2 = MPEG-2, 2.5 = MPEG-2.5. */
  version: 1 | 2 | 2.5;
  layer: 1 | 2 | 3;
  bitrate: number;
  sampleRate: number;
  channels: 1 | 2;
  /** Bytes in this frame (0 for free-format bit rate). */
  length: number;
  samplesPerFrame: number;
  crc: boolean;
}

const BITRATES: Record<string, number[]> = {
  '1-1': [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  '1-2': [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  '1-3': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  '2-1': [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  '2-2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const RATES = { 1: [44100, 48000, 32000], 2: [22050, 24000, 16000], 2.5: [11025, 12000, 8000] } as const;

/** Parses the 4-byte frame header at `at` (ISO/IEC 11172-3 / 13818-3); null if it isn't one. */
export function parseMpegFrame(b: Uint8Array, at: number): MpegFrame | null {
  if (at + 4 > b.length || b[at] !== 0xff || (b[at + 1]! & 0xe0) !== 0xe0) return null;
  const v = (b[at + 1]! >> 3) & 3;
  const l = (b[at + 1]! >> 1) & 3;
  const bi = b[at + 2]! >> 4;
  const si = (b[at + 2]! >> 2) & 3;
  if (v === 1 || l === 0 || bi === 15 || si === 3) return null;
  const version = v === 3 ? 1 : v === 2 ? 2 : 2.5;
  const layer = (4 - l) as 1 | 2 | 3;
  const table = BITRATES[version === 1 ? `1-${layer}` : layer === 1 ? '2-1' : '2-2']!;
  const bitrate = table[bi]! * 1000;
  const sampleRate = RATES[version][si]!;
  const padding = (b[at + 2]! >> 1) & 1;
  const channels = b[at + 3]! >> 6 === 3 ? 1 : 2;
  const samplesPerFrame = layer === 1 ? 384 : layer === 3 && version !== 1 ? 576 : 1152;
  const length = bitrate === 0 ? 0 : layer === 1 ? (Math.floor((12 * bitrate) / sampleRate) + padding) * 4 : Math.floor(((samplesPerFrame / 8) * bitrate) / sampleRate) + padding;
  return { version, layer, bitrate, sampleRate, channels, length, samplesPerFrame, crc: (b[at + 1]! & 1) === 0 };
}

/** Offset of the first frame that is followed by a second, matching frame (so not a stray 0xFFE); −1 if none. */
export function findMpegSync(b: Uint8Array, from = 0): number {
  for (let i = from; i + 4 <= b.length; i++) {
    if (b[i] !== 0xff) continue;
    const f = parseMpegFrame(b, i);
    if (!f || f.length === 0) continue;
    const g = parseMpegFrame(b, i + f.length);
    if (g && g.version === f.version && g.layer === f.layer && g.sampleRate === f.sampleRate) return i;
  }
  return -1;
}

/** A first frame that holds no audio but a Xing/Info or VBRI header (what encoders write for seeking and gapless playback). */
export interface MpegInfoFrame {
  /** Audio frames in the stream (after this one), if the header says. */
  frames: number | null;
  /** LAME tag: samples the encoder added at the start (encoder delay) and at the end (padding); 0 without one. */
  delay: number;
  padding: number;
}

/** Reads the Xing/Info (with its LAME tag) or VBRI header of the frame at `at`; null if it is an audio frame. */
export function readMpegInfoFrame(b: Uint8Array, at: number): MpegInfoFrame | null {
  const f = parseMpegFrame(b, at);
  if (!f) return null;
  const side = f.version === 1 ? (f.channels === 1 ? 17 : 32) : f.channels === 1 ? 9 : 17;
  for (const x of [at + 4 + side, at + 4 + side + 2]) {
    const id = String.fromCharCode(b[x] ?? 0, b[x + 1] ?? 0, b[x + 2] ?? 0, b[x + 3] ?? 0);
    if (id !== 'Xing' && id !== 'Info') continue;
    const flags = readU32BE(b, x + 4);
    const frames = flags & 1 ? readU32BE(b, x + 8) : null;
    // The LAME tag follows the Xing fields; its delay/padding are 12-bit fields at +21 (LAME 3.90+).
    let p = x + 8 + (flags & 1 ? 4 : 0) + (flags & 2 ? 4 : 0) + (flags & 4 ? 100 : 0) + (flags & 8 ? 4 : 0);
    let delay = 0;
    let padding = 0;
    if (/^[A-Za-z]{4}$/.test(String.fromCharCode(b[p] ?? 0, b[p + 1] ?? 0, b[p + 2] ?? 0, b[p + 3] ?? 0))) { // 'LAME', 'Lavc', …
      p += 21;
      if (p + 3 <= b.length) {
        delay = (b[p]! << 4) | (b[p + 1]! >> 4);
        padding = ((b[p + 1]! & 0x0f) << 8) | b[p + 2]!;
      }
    }
    return { frames, delay, padding };
  }
  const vbri = at + 4 + 32;
  if (String.fromCharCode(b[vbri] ?? 0, b[vbri + 1] ?? 0, b[vbri + 2] ?? 0, b[vbri + 3] ?? 0) === 'VBRI') {
    return { frames: readU32BE(b, vbri + 14), delay: 0, padding: 0 };
  }
  return null;
}

/**
 * Duration estimate from the first frame: Xing/Info (frame count, LAME encoder delay and padding)
 * or VBRI frame count; else constant bit rate over `audioBytes`. Seconds, or null.
 */
export function mpegDuration(b: Uint8Array, at: number, audioBytes: number): number | null {
  const f = parseMpegFrame(b, at);
  if (!f) return null;
  const info = readMpegInfoFrame(b, at);
  if (info?.frames != null) return Math.max(0, info.frames * f.samplesPerFrame - info.delay - info.padding) / f.sampleRate;
  return f.bitrate > 0 ? (audioBytes * 8) / f.bitrate : null;
}

function readU32BE(b: Uint8Array, at: number): number {
  return (((b[at] ?? 0) << 24) | ((b[at + 1] ?? 0) << 16) | ((b[at + 2] ?? 0) << 8) | (b[at + 3] ?? 0)) >>> 0;
}
