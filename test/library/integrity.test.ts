import { describe, expect, it } from 'vitest';
import { checkChunks, checkMp4Atoms, crc16, crc8, parseMpegFrameHeader, type ReadAt } from '../../app/library/integrity.ts';

const bytes = (s: string) => new TextEncoder().encode(s);
const reader = (b: Uint8Array): ReadAt => async (pos, len) => b.slice(pos, pos + len);

describe('integrity checks', () => {
  it('CRC-8 (poly 0x07) and CRC-16 (poly 0x8005) match their check values', () => {
    const check = bytes('123456789');
    expect(crc8(check, 0, check.length)).toBe(0xf4);
    expect(crc16(check, 0, check.length)).toBe(0xfee8);
  });

  it('parses an MPEG-1 Layer III frame header (128 kbit/s, 44.1 kHz → 417 bytes, 418 padded)', () => {
    expect(parseMpegFrameHeader(new Uint8Array([0xff, 0xfb, 0x90, 0x64]), 0)).toMatchObject({ length: 417, layer: 3, sampleRate: 44100 });
    expect(parseMpegFrameHeader(new Uint8Array([0xff, 0xfb, 0x92, 0x64]), 0)).toMatchObject({ length: 418 });
    expect(parseMpegFrameHeader(new Uint8Array([0xff, 0xfb, 0xf0, 0x64]), 0)).toBeUndefined(); // bad bitrate index
    expect(parseMpegFrameHeader(bytes('ID3\u0004'), 0)).toBeUndefined();
  });

  function wav(dataBytes: number, actualBytes: number): Uint8Array {
    const b = new Uint8Array(44 + actualBytes);
    const v = new DataView(b.buffer);
    b.set(bytes('RIFF'), 0);
    v.setUint32(4, 36 + dataBytes, true);
    b.set(bytes('WAVEfmt '), 8);
    v.setUint32(16, 16, true);
    b.set(bytes('data'), 36);
    v.setUint32(40, dataBytes, true);
    return b;
  }

  it('tells a whole RIFF/WAVE file from a cut one', async () => {
    expect(await checkChunks(44 + 1000, reader(wav(1000, 1000)), 'riff')).toEqual({ ok: true });
    const cut = await checkChunks(44 + 400, reader(wav(1000, 400)), 'riff');
    expect(cut).toMatchObject({ ok: false, reason: expect.stringContaining("'data' declares 1000 bytes") });
  });

  it('tells a whole MP4 from one whose mdat box runs past the end, or has no moov', async () => {
    const box = (type: string, len: number) => {
      const b = new Uint8Array(len);
      new DataView(b.buffer).setUint32(0, len);
      b.set(bytes(type), 4);
      return b;
    };
    const whole = new Uint8Array([...box('ftyp', 16), ...box('moov', 24), ...box('mdat', 100)]);
    expect(await checkMp4Atoms(whole.length, reader(whole))).toEqual({ ok: true });
    expect(await checkMp4Atoms(whole.length - 50, reader(whole.slice(0, -50)))).toMatchObject({ ok: false });
    const noMoov = new Uint8Array([...box('ftyp', 16), ...box('mdat', 100)]);
    expect(await checkMp4Atoms(noMoov.length, reader(noMoov))).toMatchObject({ ok: false, reason: expect.stringContaining('moov') });
  });
});
