// The direct mpg123 driver (app/audio/mpegDirect.ts) gives exactly what the package's decode() gives:
// the same samples, chunk by chunk, and the same errors on damaged data.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MPEGDecoder } from 'mpg123-decoder';
import { directMpeg } from '../../app/audio/mpegDirect.ts';
import { ffmpeg, tempDir } from './helpers.ts';

let dir: { dir: string; cleanup: () => Promise<void> };
const at = (name: string): string => path.join(dir.dir, name);

beforeAll(async () => {
  dir = await tempDir('mpeg-direct-');
  await Promise.all([
    ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=12:sample_rate=44100', '-f', 'lavfi', '-i', 'anoisesrc=d=12:c=pink:r=44100:a=0.2', '-filter_complex', '[0][1]amerge=inputs=2', '-c:a', 'libmp3lame', '-b:a', '192k', at('stereo.mp3')]),
    ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=220:duration=5:sample_rate=22050', '-ac', '1', '-c:a', 'libmp3lame', '-b:a', '64k', at('mono22.mp3')]),
  ]);
}, 60_000);
afterAll(() => dir.cleanup());

/** Index of the first of `n` samples where a and b differ (bit for bit, NaN included), or −1. */
function firstDifference(a: Float32Array, b: Float32Array, n: number): number {
  if (a.length < n || b.length < n) return Math.min(a.length, b.length);
  const x = new Uint32Array(a.buffer, a.byteOffset, n);
  const y = new Uint32Array(b.buffer, b.byteOffset, n);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return i;
  return -1;
}

/** Decodes `bytes` in `chunk`-byte pieces with both drivers and compares every piece. */
async function compare(bytes: Uint8Array, chunk: number): Promise<{ samples: number; errors: string[] }> {
  const reference = new MPEGDecoder({ enableGapless: true });
  const ours = new MPEGDecoder({ enableGapless: true });
  await Promise.all([reference.ready, ours.ready]);
  const direct = directMpeg(ours);
  expect(direct).not.toBeNull();
  const quiet = console.error;
  console.error = () => {}; // the package prints each decode error
  let samples = 0;
  const errors: string[] = [];
  try {
    for (let i = 0; i < bytes.length; i += chunk) {
      const piece = bytes.subarray(i, i + chunk);
      const want = reference.decode(piece);
      const got = direct!.decode(piece);
      expect(got.length).toBe(want.samplesDecoded);
      expect(got.sampleRate).toBe(want.sampleRate);
      expect(got.channels).toHaveLength(2);
      for (let c = 0; c < 2; c++) expect(firstDifference(got.channels[c]!, want.channelData[c]!, got.length)).toBe(-1);
      expect(got.errors).toEqual(want.errors.map((e) => e.message));
      samples += got.length;
      errors.push(...got.errors);
    }
  } finally {
    console.error = quiet;
    reference.free();
    ours.free();
  }
  return { samples, errors };
}

describe('direct mpg123 driver', () => {
  it('matches decode() sample for sample on a stereo 44.1 kHz MP3, whatever the chunk size', async () => {
    const bytes = new Uint8Array(await readFile(at('stereo.mp3')));
    for (const chunk of [4096, 65536, 256 * 1024]) {
      const { samples, errors } = await compare(bytes, chunk);
      expect(samples).toBeGreaterThan(12 * 44100 - 2000);
      expect(errors).toEqual([]);
    }
  });

  it('matches decode() on a mono 22.05 kHz MP3 (two identical channels out)', async () => {
    const bytes = new Uint8Array(await readFile(at('mono22.mp3')));
    const { samples } = await compare(bytes, 32768);
    expect(samples).toBeGreaterThan(5 * 22050 - 2000);
  });

  it('matches decode() on damaged data, errors included', async () => {
    const bytes = new Uint8Array(await readFile(at('stereo.mp3')));
    for (let i = 40_000; i < 40_000 + 3000; i++) bytes[i] = (i * 37) & 0xff; // scratched frames
    bytes.fill(0xff, 120_000, 121_000);
    const { errors } = await compare(bytes, 65536);
    expect(errors.length).toBeGreaterThan(0);
  });

  it('says no (null) to an object without the decoder internals', () => {
    expect(directMpeg({})).toBeNull();
    expect(directMpeg({ _common: { wasm: {} } })).toBeNull();
  });
});
