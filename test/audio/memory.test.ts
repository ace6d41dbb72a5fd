// Streaming: a 20-minute file is decoded without ever being held whole. Resident memory is sampled
// while the blocks are iterated and dropped; it must stay flat (well under the 211 MB of the WAV).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAudio } from '../../app/audio/decode.ts';
import { ffmpeg, tempDir, toneAmplitude } from './helpers.ts';

const MINUTES = 20;
const SECONDS = MINUTES * 60;
const MB = 1024 * 1024;

let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('decode-memory'));
  const quietSine = ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=44100:duration=${SECONDS}`, '-af', 'volume=0.1', '-ac', '2'];
  await Promise.all([
    ffmpeg([...quietSine, '-c:a', 'pcm_s16le', path.join(dir, 'long.wav')]),
    ffmpeg([...quietSine, '-c:a', 'flac', '-compression_level', '0', path.join(dir, 'long.flac')]),
  ]);
}, 300_000);
afterAll(async () => cleanup?.());

describe.each(['long.wav', 'long.flac'])('a %s of 20 minutes, 44.1 kHz stereo', (name) => {
  it('decodes in constant memory (RSS growth < 100 MB) to exactly 20 minutes at 22050 Hz', async () => {
    const stream = await openAudio(path.join(dir, name));
    expect(stream.info.durationHint).toBeCloseTo(SECONDS, 3);
    const gen = stream.blocks();
    const first = await gen.next(); // decoder and resampler set up
    global.gc?.();
    const base = process.memoryUsage().rss;
    let peak = base;
    let samples = first.done ? 0 : first.value.length;
    let blocks = 1;
    let lastBlock: Float32Array | undefined;
    for (;;) {
      const r = await gen.next();
      if (r.done) break;
      samples += r.value.length;
      lastBlock = r.value;
      if (++blocks % 16 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    const growthMb = (peak - base) / MB;
    console.log(`${name}: ${blocks} blocks, RSS growth ${growthMb.toFixed(1)} MB`);
    expect(samples).toBe(SECONDS * 22050);
    expect(growthMb).toBeLessThan(100);
    // Still the right signal at the very end (no drift, nothing lost).
    // 1/8 full scale × 0.1 volume, −3 dB per channel from ffmpeg's upmix.
    expect(toneAmplitude(lastBlock!.subarray(0, 20000), 440, 22050)).toBeCloseTo(0.125 * 0.1 * Math.SQRT1_2, 4);
  }, 300_000);
});
