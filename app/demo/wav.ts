// 16-bit PCM RIFF/WAVE encoder with a LIST/INFO tag chunk (and a CSET chunk declaring UTF-8 text).
// Layout: RIFF/WAVE { 'fmt ' , CSET, LIST/INFO, data }, every chunk padded to an even length.

export interface WavTags {
  title?: string; // INAM
  artist?: string; // IART
  album?: string; // IPRD
  genre?: string; // IGNR
  year?: number | string; // ICRD
  track?: number; // ITRK
  comment?: string; // ICMT
}

const INFO_IDS: [keyof WavTags, string][] = [
  ['title', 'INAM'],
  ['artist', 'IART'],
  ['album', 'IPRD'],
  ['genre', 'IGNR'],
  ['year', 'ICRD'],
  ['track', 'ITRK'],
  ['comment', 'ICMT'],
];

const CODE_PAGE_UTF8 = 65001;

/** One RIFF chunk: 4-char id, little-endian 32-bit size, body, pad byte when the size is odd. */
function chunk(id: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + body.length + (body.length & 1));
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = id.charCodeAt(i);
  view.setUint32(4, body.length, true);
  out.set(body, 8);
  return out;
}

/** Concatenates byte arrays. */
function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The 'fmt ' body for integer PCM (WAVE_FORMAT_PCM = 1). */
function fmtBody(channels: number, sampleRate: number, bitsPerSample: number): Uint8Array {
  const body = new Uint8Array(16);
  const v = new DataView(body.buffer);
  const blockAlign = (channels * bitsPerSample) / 8;
  v.setUint16(0, 1, true);
  v.setUint16(2, channels, true);
  v.setUint32(4, sampleRate, true);
  v.setUint32(8, sampleRate * blockAlign, true);
  v.setUint16(12, blockAlign, true);
  v.setUint16(14, bitsPerSample, true);
  return body;
}

/** The CSET body (RIFF MCI spec): code page, country, language, dialect. */
function csetBody(codePage: number): Uint8Array {
  const body = new Uint8Array(8);
  new DataView(body.buffer).setUint16(0, codePage, true);
  return body;
}

/** LIST/INFO chunk: one NUL-terminated UTF-8 subchunk per tag present, in a fixed order. */
function infoChunk(tags: WavTags): Uint8Array | undefined {
  const enc = new TextEncoder();
  const subchunks: Uint8Array[] = [];
  for (const [field, id] of INFO_IDS) {
    const value = tags[field];
    if (value === undefined || value === '') continue;
    subchunks.push(chunk(id, enc.encode(`${String(value)}\0`)));
  }
  if (subchunks.length === 0) return undefined;
  return chunk('LIST', concat([enc.encode('INFO'), ...subchunks]));
}

/** Interleaved little-endian 16-bit samples, each clipped to [-1, 1] and rounded. */
function pcm16(channels: Float32Array[]): Uint8Array {
  const frames = channels[0]?.length ?? 0;
  const out = new Uint8Array(frames * channels.length * 2);
  const view = new DataView(out.buffer);
  let at = 0;
  for (let i = 0; i < frames; i++) {
    for (const ch of channels) {
      const x = Math.max(-1, Math.min(1, ch[i] ?? 0));
      view.setInt16(at, Math.round(x * 32767), true);
      at += 2;
    }
  }
  return out;
}

/** Encodes channels (equal lengths, samples in [-1, 1]) as a 16-bit PCM WAV file with INFO tags. */
export function encodeWav(channels: Float32Array[], sampleRate: number, tags: WavTags): Uint8Array {
  if (channels.length === 0) throw new Error('encodeWav: no channels');
  const frames = channels[0]!.length;
  if (channels.some((c) => c.length !== frames)) throw new Error('encodeWav: channels differ in length');
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) throw new Error(`encodeWav: bad sample rate ${sampleRate}`);
  const info = infoChunk(tags);
  const body = concat([
    new TextEncoder().encode('WAVE'),
    chunk('fmt ', fmtBody(channels.length, sampleRate, 16)),
    ...(info ? [chunk('CSET', csetBody(CODE_PAGE_UTF8)), info] : []),
    chunk('data', pcm16(channels)),
  ]);
  return chunk('RIFF', body);
}
