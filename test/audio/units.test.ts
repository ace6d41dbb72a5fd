// The small pure pieces of the decoding layer, on handmade bytes: PCM sample conversion, downmix,
// WAV/AIFF chunk readers, MPEG frame headers, FLAC STREAMINFO, Ogg pages, MP4 codec names.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { readAiffHeader, readExtended } from '../../app/audio/aiff.ts';
import { crc16, crc32, crc8 } from '../../app/audio/crc.ts';
import { flacFirstFrame } from '../../app/audio/flac.ts';
import { FlacFramer, parseFlacFrameHeader, type FramerEvent } from '../../app/audio/flacFramer.ts';
import { OggPageFilter } from '../../app/audio/oggPages.ts';
import { encodedFixtures } from '../fixtures/encoded.ts';
import { downmix } from '../../app/audio/downmix.ts';
import { DecodeError } from '../../app/audio/errors.ts';
import { readFlacStreamInfo } from '../../app/audio/flac.ts';
import { mp4CodecName } from '../../app/audio/mp4.ts';
import { findMpegSync, mpegDuration, parseMpegFrame } from '../../app/audio/mpeg.ts';
import { lastPage, readOggHead } from '../../app/audio/ogg.ts';
import { pcmToMono, type PcmEncoding } from '../../app/audio/pcm.ts';
import type { ReadAt } from '../../app/audio/pcmLayout.ts';
import { readWavHeader } from '../../app/audio/wav.ts';

const bytes = (...parts: (string | number[] | Uint8Array)[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : [...p])));
const le32 = (n: number): number[] => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
const le16 = (n: number): number[] => [n & 0xff, (n >> 8) & 0xff];
const be32 = (n: number): number[] => le32(n).reverse();
const be16 = (n: number): number[] => le16(n).reverse();
const reader = (b: Uint8Array): ReadAt => async (p, n) => b.slice(p, Math.min(b.length, p + n));

describe('pcmToMono', () => {
  const enc = (kind: PcmEncoding['kind'], n: PcmEncoding['bytes'], littleEndian = true): PcmEncoding => ({ kind, bytes: n, littleEndian });

  it('scales every integer width to [-1, 1)', () => {
    expect([...pcmToMono(bytes([0, 128, 255]), enc('uint', 1), 1)]).toEqual([-1, 0, 127 / 128]);
    expect([...pcmToMono(bytes([0x80, 0x7f, 0]), enc('int', 1), 1)]).toEqual([-1, 127 / 128, 0]);
    expect([...pcmToMono(bytes(le16(0x8000), le16(0x4000)), enc('int', 2), 1)]).toEqual([-1, 0.5]);
    expect([...pcmToMono(bytes(be16(0x8000), be16(0x4000)), enc('int', 2, false), 1)]).toEqual([-1, 0.5]);
    expect([...pcmToMono(bytes([0, 0, 0x80], [0, 0, 0x40], [0xff, 0xff, 0xff]), enc('int', 3), 1)]).toEqual([-1, 0.5, -1 / 8388608]);
    expect([...pcmToMono(bytes([0x80, 0, 0], [0x40, 0, 0]), enc('int', 3, false), 1)]).toEqual([-1, 0.5]);
    expect([...pcmToMono(bytes(le32(0x80000000), le32(0x40000000)), enc('int', 4), 1)]).toEqual([-1, 0.5]);
  });

  it('reads float samples as they are', () => {
    const f32 = new Uint8Array(new Float32Array([0.25, -0.75]).buffer);
    expect([...pcmToMono(f32, enc('float', 4), 1)]).toEqual([0.25, -0.75]);
    const f64be = new Uint8Array(16);
    new DataView(f64be.buffer).setFloat64(0, 0.125, false);
    new DataView(f64be.buffer).setFloat64(8, -0.5, false);
    expect([...pcmToMono(f64be, enc('float', 8, false), 1)]).toEqual([0.125, -0.5]);
  });

  it('averages the channels of each frame and drops a trailing partial frame', () => {
    const frames = bytes(le16(0x4000), le16(0), le16(0xc000 /* -0.5 */), le16(0x2000), le16(0x2000), le16(0x2000), le16(0x1234));
    expect([...pcmToMono(frames, enc('int', 2), 3)]).toEqual([0, 0.25]);
  });
});

describe('downmix', () => {
  it('is the plain average of the channels (5.1 included)', () => {
    const ch = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6].map((v) => new Float32Array(4).fill(v));
    for (const v of downmix(ch, 4)) expect(v).toBeCloseTo(0.35, 6);
    expect([...downmix([Float32Array.of(1, -1), Float32Array.of(0, 1)], 2)]).toEqual([0.5, 0]);
    expect([...downmix([Float32Array.of(0.5, 0.25, 9)], 2)]).toEqual([0.5, 0.25]);
  });
});

describe('readWavHeader', () => {
  const fmt = (tag: number, channels: number, rate: number, bits: number, extra: number[] = []): Uint8Array =>
    bytes('fmt ', le32(16 + extra.length), le16(tag), le16(channels), le32(rate), le32((rate * channels * bits) / 8), le16((channels * bits) / 8), le16(bits), extra);
  const wav = (...chunks: Uint8Array[]): Uint8Array => {
    const body = bytes('WAVE', ...chunks);
    return bytes('RIFF', le32(body.length), body);
  };

  it('walks chunks in any order, skipping odd-sized ones with their pad byte', async () => {
    const data = bytes('data', le32(8), [1, 0, 2, 0, 3, 0, 4, 0]);
    const odd = bytes('LIST', le32(3), [1, 2, 3, 0]);
    const file = wav(odd, data, fmt(1, 2, 44100, 16));
    const l = await readWavHeader(reader(file), file.length, 'x.wav');
    expect(l).toMatchObject({ container: 'WAV', channels: 2, sampleRate: 44100, dataOffset: 12 + 12 + 8, dataBytes: 8, warnings: [] });
    expect(l.encoding).toEqual({ kind: 'int', bytes: 2, littleEndian: true });
  });

  it('reads WAVE_FORMAT_EXTENSIBLE float, and 20-bit samples in 3-byte slots', async () => {
    const guid = (tag: number): number[] => [...le16(tag), 0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71];
    const ext = (tag: number, valid: number): number[] => [...le16(22), ...le16(valid), ...le32(3), ...guid(tag)];
    const f = wav(fmt(0xfffe, 2, 48000, 32, ext(3, 32)), bytes('data', le32(0)));
    expect((await readWavHeader(reader(f), f.length, 'x.wav')).encoding).toEqual({ kind: 'float', bytes: 4, littleEndian: true });
    const i20 = wav(fmt(0xfffe, 2, 48000, 24, ext(1, 20)), bytes('data', le32(0)));
    expect((await readWavHeader(reader(i20), i20.length, 'x.wav')).encoding).toEqual({ kind: 'int', bytes: 3, littleEndian: true });
  });

  it('cuts a data chunk longer than the file to whole frames, with a warning', async () => {
    const file = wav(fmt(1, 2, 44100, 16), bytes('data', le32(1000), new Uint8Array(10)));
    const l = await readWavHeader(reader(file), file.length, 'x.wav');
    expect(l.dataBytes).toBe(8);
    expect(l.warnings[0]).toMatch(/declares 1000 bytes but the file holds 10: it is cut off/);
  });

  it('refuses compressed WAV by name, and impossible formats as CORRUPT', async () => {
    const adpcm = wav(fmt(2, 1, 44100, 4), bytes('data', le32(0)));
    await expect(readWavHeader(reader(adpcm), adpcm.length, 'a.wav')).rejects.toMatchObject({ code: 'UNSUPPORTED_CODEC', message: expect.stringMatching(/Microsoft ADPCM/) });
    const noFmt = wav(bytes('data', le32(0)));
    await expect(readWavHeader(reader(noFmt), noFmt.length, 'b.wav')).rejects.toMatchObject({ code: 'CORRUPT', message: expect.stringMatching(/"b\.wav" is a damaged WAV file: no 'fmt ' chunk/) });
    const zeroCh = wav(fmt(1, 0, 44100, 16), bytes('data', le32(0)));
    await expect(readWavHeader(reader(zeroCh), zeroCh.length, 'c.wav')).rejects.toBeInstanceOf(DecodeError);
  });
});

describe('AIFF', () => {
  it('reads the 80-bit extended sample rate', () => {
    expect(readExtended(bytes([0x40, 0x0e, 0xac, 0x44, 0, 0, 0, 0, 0, 0]), 0)).toBe(44100);
    expect(readExtended(bytes([0x40, 0x0e, 0xbb, 0x80, 0, 0, 0, 0, 0, 0]), 0)).toBe(48000);
    expect(readExtended(bytes([0x40, 0x0d, 0xac, 0x44, 0, 0, 0, 0, 0, 0]), 0)).toBe(22050);
  });

  const rate44k = [0x40, 0x0e, 0xac, 0x44, 0, 0, 0, 0, 0, 0];
  const aifc = (type: string, bits: number, frames: number, data: number[]): Uint8Array => {
    const comm = bytes('COMM', be32(24), be16(1), be32(frames), be16(bits), rate44k, type, [0, 0]);
    const ssnd = bytes('SSND', be32(8 + data.length), be32(0), be32(0), data);
    const body = bytes('AIFC', comm, ssnd);
    return bytes('FORM', be32(body.length), body);
  };

  it.each([
    ['sowt', 16, { kind: 'int', bytes: 2, littleEndian: true }],
    ['twos', 16, { kind: 'int', bytes: 2, littleEndian: false }],
    ['fl32', 32, { kind: 'float', bytes: 4, littleEndian: false }],
    ['FL64', 64, { kind: 'float', bytes: 8, littleEndian: false }],
    ['in24', 24, { kind: 'int', bytes: 3, littleEndian: false }],
    ['raw ', 8, { kind: 'uint', bytes: 1, littleEndian: false }],
  ])("AIFF-C '%s' → %j", async (type, bits, encoding) => {
    const f = aifc(type, bits, 2, new Array<number>((2 * bits) / 8).fill(0));
    const l = await readAiffHeader(reader(f), f.length, 'x.aifc');
    expect(l).toMatchObject({ container: 'AIFF-C', encoding, channels: 1, sampleRate: 44100, dataBytes: (2 * bits) / 8 });
  });

  it('refuses compressed AIFF-C by name', async () => {
    const f = aifc('ima4', 16, 2, [0, 0]);
    await expect(readAiffHeader(reader(f), f.length, 'x.aifc')).rejects.toMatchObject({ code: 'UNSUPPORTED_CODEC', message: expect.stringMatching(/^AIFF-C\/IMA ADPCM/) });
  });

  it('trusts the frame count over a longer SSND chunk', async () => {
    const f = aifc('NONE', 16, 1, [1, 2, 3, 4]);
    expect((await readAiffHeader(reader(f), f.length, 'x.aifc')).dataBytes).toBe(2);
  });
});

describe('MPEG frame headers', () => {
  it('parses MPEG-1 layer III, MPEG-2.5 and layer II headers', () => {
    expect(parseMpegFrame(bytes([0xff, 0xfb, 0x90, 0x64]), 0)).toMatchObject({ version: 1, layer: 3, bitrate: 128000, sampleRate: 44100, channels: 2, length: 417, samplesPerFrame: 1152 });
    expect(parseMpegFrame(bytes([0xff, 0xe3, 0x48, 0xc4]), 0)).toMatchObject({ version: 2.5, layer: 3, bitrate: 32000, sampleRate: 8000, channels: 1, samplesPerFrame: 576 });
    expect(parseMpegFrame(bytes([0xff, 0xfd, 0xa0, 0x04]), 0)).toMatchObject({ version: 1, layer: 2, bitrate: 192000, samplesPerFrame: 1152 });
    expect(parseMpegFrame(bytes([0xff, 0xff, 0xff, 0xff]), 0)).toBeNull();
    expect(parseMpegFrame(bytes('ID3\x04'), 0)).toBeNull();
  });

  it('needs two chained frames to call it MPEG audio', () => {
    const one = bytes([0xff, 0xfb, 0x90, 0x64], new Uint8Array(500));
    expect(findMpegSync(one)).toBe(-1);
    const two = bytes('junk', [0xff, 0xfb, 0x90, 0x64], new Uint8Array(413), [0xff, 0xfb, 0x90, 0x64]);
    expect(findMpegSync(two)).toBe(4);
  });

  it('estimates a CBR duration from the bit rate', () => {
    expect(mpegDuration(bytes([0xff, 0xfb, 0x90, 0x64], new Uint8Array(100)), 0, 16000 * 60)).toBeCloseTo(60, 6);
  });

  it('reads Xing frame count and LAME delay/padding', () => {
    const frame = new Uint8Array(417);
    frame.set([0xff, 0xfb, 0x90, 0x64]);
    const x = 4 + 32;
    frame.set(bytes('Info', be32(1), be32(100)), x); // frames only
    frame.set(bytes('LAME3.100'), x + 12);
    frame.set([(576 >> 4) & 0xff, ((576 & 0xf) << 4) | (1000 >> 8), 1000 & 0xff], x + 12 + 21); // delay 576, padding 1000
    expect(mpegDuration(frame, 0, 41700)).toBeCloseTo((100 * 1152 - 1576) / 44100, 9);
  });
});

describe('FLAC STREAMINFO and Ogg pages', () => {
  it('reads rate, channels, depth and total samples', () => {
    const si = new Uint8Array(34);
    // 96000 Hz, 6 channels, 24 bits, 2^33 + 5 samples
    const rate = 96000;
    si[10] = rate >> 12;
    si[11] = (rate >> 4) & 0xff;
    si[12] = ((rate & 0xf) << 4) | ((6 - 1) << 1) | ((24 - 1) >> 4);
    si[13] = (((24 - 1) & 0xf) << 4) | 2;
    si.set([0, 0, 0, 5], 14);
    si.set([0x10, 0x00, 0x10, 0x00, 0, 0, 14, 0, 0x30, 0x39], 0); // blocks 4096, max frame 12345 bytes
    expect(readFlacStreamInfo(bytes('fLaC', [0x80, 0, 0, 34], si), 0)).toEqual({
      maxBlockSize: 4096, maxFrameSize: 12345, sampleRate: 96000, channels: 6, bitsPerSample: 24, totalSamples: 2 ** 33 + 5,
    });
    expect(readFlacStreamInfo(bytes('OggS', new Uint8Array(50)), 0)).toBeNull();
  });

  const page = (flags: number, granule: number, serial: number, packet: Uint8Array): Uint8Array =>
    bytes('OggS', [0, flags], le32(granule), le32(0), le32(serial), le32(0), le32(0), [1, packet.length], packet);

  it('finds the codec in the first page, and the last granule and end-of-stream flag in the tail', () => {
    const opusHead = bytes('OpusHead', [1, 2], le16(312), le32(48000), [0, 0, 0]);
    expect(readOggHead(page(2, 0, 7, opusHead))).toEqual({ codec: 'opus', serial: 7, granuleRate: 48000, preSkip: 312 });
    const vorbis = bytes([1], 'vorbis', le32(0), [2], le32(44100), new Uint8Array(13));
    expect(readOggHead(page(2, 0, 9, vorbis))).toMatchObject({ codec: 'vorbis', granuleRate: 44100 });
    const tail = bytes(page(0, 1000, 9, bytes('x')), page(0, 2000, 5, bytes('y')), page(4, 3000, 9, bytes('z')));
    expect(lastPage(tail, 9)).toEqual({ granule: 3000, endOfStream: true });
    expect(lastPage(tail.subarray(0, 60), 9)).toEqual({ granule: 1000, endOfStream: false });
  });
});

describe('MP4 codec names', () => {
  it('names what we refuse', () => {
    expect(mp4CodecName('mp4a', 0x40)).toBe('AAC');
    expect(mp4CodecName('mp4a', 0x6b)).toBe('MP3');
    expect(mp4CodecName('alac', null)).toBe('ALAC');
    expect(mp4CodecName('ec-3', null)).toBe('E-AC-3');
  });
});

describe('CRCs', () => {
  it('match the standard check values for "123456789"', () => {
    const msg = bytes('123456789');
    expect(crc8(msg, 0, 9)).toBe(0xf4); // CRC-8/SMBUS
    expect(crc16(msg, 0, 9)).toBe(0xfee8); // CRC-16/UMTS (FLAC)
    expect(crc32(msg, 0, 9)).toBe(0x89a1897f); // Ogg: CRC-32/MPEG-2 polynomial, zero init, no final XOR
    expect(crc16(msg, 4, 9, crc16(msg, 0, 4))).toBe(0xfee8); // continues a running CRC
  });
});

/** Pushes `data` in pieces of the given sizes (cycled), then ends; returns all events. */
function feed<T>(push: (c: Uint8Array) => T[], end: () => T[], data: Uint8Array, sizes: number[]): T[] {
  const out: T[] = [];
  for (let i = 0, k = 0; i < data.length; k++) {
    const n = sizes[k % sizes.length]!;
    out.push(...push(data.subarray(i, i + n)));
    i += n;
  }
  return [...out, ...end()];
}

describe('FlacFramer', async () => {
  const file = new Uint8Array(await readFile((await encodedFixtures()).flac));
  const start = await flacFirstFrame(reader(file), 0, file.length);
  const frames = file.subarray(start);
  const run = (data: Uint8Array, sizes: number[]): FramerEvent[] => {
    const f = new FlacFramer(4608, 1 << 16, start);
    return feed((c) => f.push(c), () => f.end(), data, sizes);
  };
  const frameList = (ev: FramerEvent[]): Uint8Array[] => ev.flatMap((e) => (e.kind === 'frame' ? [e.data] : []));

  it('splits a stream into CRC-checked frames, however it is chunked', () => {
    const whole = run(frames, [frames.length]);
    expect(whole.every((e) => e.kind === 'frame')).toBe(true);
    expect(frameList(whole).reduce((n, f) => n + f.length, 0)).toBe(frames.length);
    for (const sizes of [[1], [7, 4096], [1000, 3, 65536]]) {
      const other = frameList(run(frames, sizes));
      expect(other.length).toBe(whole.length);
      other.forEach((f, i) => expect(Buffer.compare(f, frameList(whole)[i]!)).toBe(0));
    }
  });

  it('drops a damaged frame and reports the samples it held as a gap', () => {
    const whole = frameList(run(frames, [frames.length]));
    const k = Math.floor(whole.length / 2);
    const at = whole.slice(0, k).reduce((n, f) => n + f.length, 0);
    const damaged = frames.slice();
    damaged[at + 20]! ^= 0x55; // one byte inside frame k
    const ev = run(damaged, [4096]);
    const h = parseFlacFrameHeader(whole[k]!, 0, 4608);
    expect(h).not.toBeNull();
    expect(ev.filter((e) => e.kind === 'damaged')).toEqual([{ kind: 'damaged', at: start + at, bytes: whole[k]!.length, truncated: false }]);
    expect(ev.filter((e) => e.kind === 'gap')).toEqual([{ kind: 'gap', samples: (h as { blockSize: number }).blockSize }]);
    expect(frameList(ev).length).toBe(whole.length - 1);
  });

  it('reports a cut-off last frame', () => {
    const ev = run(frames.subarray(0, frames.length - 100), [5000]);
    const last = ev.at(-1)!;
    expect(last).toMatchObject({ kind: 'damaged', truncated: true });
  });
});

describe('OggPageFilter', async () => {
  const file = new Uint8Array(await readFile((await encodedFixtures()).ogg));
  const run = (data: Uint8Array, sizes: number[]): { pages: Uint8Array; damaged: unknown[]; granules: number[] } => {
    const f = new OggPageFilter(0);
    const parts = feed((c) => [f.push(c)], () => [f.end()], data, sizes);
    const pages = Buffer.concat(parts.map((p) => p.pages));
    return { pages, damaged: parts.flatMap((p) => p.damaged), granules: parts.flatMap((p) => p.info.map((i) => i.granule)) };
  };

  it('passes every intact page through unchanged, however the input is chunked', () => {
    for (const sizes of [[file.length], [1], [100, 3000]]) {
      const r = run(file, sizes);
      expect(Buffer.compare(r.pages, file)).toBe(0);
      expect(r.damaged).toEqual([]);
    }
    expect(run(file, [file.length]).granules.at(-1)).toBe(66150);
  });

  it('drops a page whose CRC fails, and says where', () => {
    const second = file.indexOf(0x4f, 200); // the body of a page well inside the file
    const pageStart = Buffer.from(file).indexOf('OggS', second);
    const damaged = file.slice();
    damaged[pageStart + 40]! ^= 0xff;
    const r = run(damaged, [1024]);
    expect(r.pages.length).toBeLessThan(file.length);
    expect(r.damaged).toHaveLength(1);
    expect(r.damaged[0]).toMatchObject({ at: pageStart, truncated: false });
  });
});
