// openAudio on real encoded files: the shared fixtures (1.5 s of 440 Hz, stereo) and ffmpeg-made
// variants (rates from 8 to 192 kHz, 8–32-bit integer and float PCM, 5.1, RF64, Ogg FLAC, MP2).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAudio } from '../../app/audio/decode.ts';
import { encodedFixtures, expectedFormat, FIXTURE_DURATION_S, type FixtureFormat } from '../fixtures/encoded.ts';
import { db, decodeAll, ffmpeg, ffmpegDecodeAverage, middle, rms, tempDir, toneAmplitude, zeroCrossingFrequency } from './helpers.ts';

const DECODABLE = ['mp3', 'flac', 'ogg', 'opus', 'wav', 'aiff'] as const satisfies readonly FixtureFormat[];
const RATE = 22050;

let fixtures: Record<FixtureFormat, string>;
beforeAll(async () => {
  fixtures = await encodedFixtures();
});

describe.each(DECODABLE)('%s fixture', (format) => {
  it('lasts 1.5 s (± 30 ms), reports its source format, and hints its duration', async () => {
    const { samples, stream } = await decodeAll(fixtures[format]);
    expect(Math.abs(samples.length / RATE - FIXTURE_DURATION_S)).toBeLessThan(0.03);
    expect(stream.info).toMatchObject({
      sampleRate: RATE,
      sourceSampleRate: expectedFormat[format].sampleRate,
      sourceChannels: 2,
    });
    expect(Math.abs(stream.info.durationHint! - FIXTURE_DURATION_S)).toBeLessThan(0.03);
    expect(stream.warnings).toEqual([]);
  });

  it('is a 440 Hz tone at the level ffmpeg decodes', async () => {
    const { samples } = await decodeAll(fixtures[format]);
    const mid = middle(samples, 2000);
    const a440 = toneAmplitude(mid, 440, RATE);
    expect(a440).toBeGreaterThan(20 * toneAmplitude(mid, 430, RATE));
    expect(a440).toBeGreaterThan(20 * toneAmplitude(mid, 450, RATE));
    expect(Math.abs(zeroCrossingFrequency(mid, RATE) - 440)).toBeLessThan(0.5);
    // lavfi's sine is 1/8 full scale; ffmpeg's mono → stereo upmix puts it in each channel at −3 dB.
    expect(Math.abs(db(a440 / (0.125 * Math.SQRT1_2)))).toBeLessThan(0.5);
    // Same RMS as ffmpeg's decode of the file, averaged over its channels (RMS doesn't depend on the rate).
    const reference = await ffmpegDecodeAverage(fixtures[format], 2);
    expect(Math.abs(db(rms(mid) / rms(middle(reference, 4000))))).toBeLessThan(0.1);
  });

  it('gives the same samples whatever the block and read sizes', async () => {
    const a = await decodeAll(fixtures[format]);
    const b = await decodeAll(fixtures[format], { blockSize: 1000, readSize: 4096 });
    expect(b.samples.length).toBe(a.samples.length);
    let maxDiff = 0;
    for (let i = 0; i < a.samples.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a.samples[i]! - b.samples[i]!));
    expect(maxDiff).toBeLessThan(1e-6);
    expect(b.blockLengths.slice(0, -1).every((n) => n === 1000)).toBe(true);
    expect(b.blockLengths.at(-1)).toBeLessThanOrEqual(1000);
    expect(a.blockLengths.slice(0, -1).every((n) => n === 65536)).toBe(true);
  });

  it('never writes to the file', async () => {
    const before = createHash('sha1').update(await readFile(fixtures[format])).digest('hex');
    await decodeAll(fixtures[format]);
    expect(createHash('sha1').update(await readFile(fixtures[format])).digest('hex')).toBe(before);
  });
});

/** A generated test file: ffmpeg arguments after the input, and what the decoder should report. */
interface Variant {
  file: string;
  input: string;
  args: string[];
  rate: number;
  channels: number;
  format: RegExp;
  /** Exact sample count at the source rate (lossless files), else the duration is checked to ± 30 ms. */
  lossless: boolean;
}

const sine1k = (rate: number, seconds = 1): string => `sine=frequency=1000:sample_rate=${rate}:duration=${seconds}`;
const variant = (file: string, rate: number, args: string[], format: RegExp, opts: Partial<Variant> = {}): Variant => ({
  file, input: sine1k(rate), args, rate, channels: 1, format, lossless: true, ...opts,
});

const VARIANTS: Variant[] = [
  variant('u8.wav', 44100, ['-c:a', 'pcm_u8'], /^WAV 8-bit unsigned/),
  variant('s16.wav', 44100, ['-c:a', 'pcm_s16le'], /^WAV 16-bit integer/),
  variant('s24.wav', 44100, ['-c:a', 'pcm_s24le'], /^WAV 24-bit integer/), // WAVE_FORMAT_EXTENSIBLE
  variant('s32.wav', 44100, ['-c:a', 'pcm_s32le'], /^WAV 32-bit integer/),
  variant('f32.wav', 44100, ['-c:a', 'pcm_f32le'], /^WAV 32-bit float/),
  variant('f64.wav', 44100, ['-c:a', 'pcm_f64le'], /^WAV 64-bit float/),
  variant('8k.wav', 8000, ['-c:a', 'pcm_s16le'], /^WAV/),
  variant('11k.wav', 11025, ['-c:a', 'pcm_s16le'], /^WAV/),
  variant('48k.wav', 48000, ['-c:a', 'pcm_s16le'], /^WAV/),
  variant('96k-24.wav', 96000, ['-c:a', 'pcm_s24le'], /^WAV 24-bit/),
  variant('192k-f32.wav', 192000, ['-c:a', 'pcm_f32le'], /^WAV 32-bit float/),
  variant('22k.wav', 22050, ['-c:a', 'pcm_s16le'], /^WAV/), // no resampling at all
  variant('rf64.wav', 44100, ['-c:a', 'pcm_s16le', '-rf64', 'always'], /^WAV \(RF64\)/),
  variant('s24.aiff', 44100, ['-c:a', 'pcm_s24be'], /^AIFF 24-bit integer \(big-endian\)/),
  variant('sowt.aiff', 44100, ['-c:a', 'pcm_s16le'], /^AIFF-C 16-bit integer \(little-endian\)/),
  variant('fl32.aiff', 48000, ['-c:a', 'pcm_f32be'], /^AIFF-C 32-bit float/),
  variant('fl64.aiff', 44100, ['-c:a', 'pcm_f64be'], /^AIFF-C 64-bit float/),
  variant('96k.flac', 96000, ['-c:a', 'flac', '-sample_fmt', 's32'], /^FLAC$/),
  variant('192k.flac', 192000, ['-c:a', 'flac'], /^FLAC$/),
  variant('8k.flac', 8000, ['-c:a', 'flac'], /^FLAC$/),
  variant('ogg-flac.oga', 44100, ['-c:a', 'flac', '-f', 'ogg'], /^Ogg FLAC$/),
  variant('8k.mp3', 8000, ['-c:a', 'libmp3lame', '-b:a', '32k'], /^MP3$/, { lossless: false }), // MPEG-2.5
  variant('48k.mp3', 48000, ['-c:a', 'libmp3lame', '-b:a', '192k'], /^MP3$/, { lossless: false }),
  variant('layer2.mp2', 44100, ['-c:a', 'mp2', '-b:a', '192k'], /^MP2$/, { lossless: false }),
  variant('mono.opus', 48000, ['-c:a', 'libopus', '-b:a', '64k'], /^Ogg Opus$/, { lossless: false }),
  variant('96k.ogg', 96000, ['-c:a', 'libvorbis', '-q:a', '5'], /^Ogg Vorbis$/, { lossless: false }),
  { ...variant('1s-stereo.flac', 44100, ['-c:a', 'flac', '-ac', '2'], /^FLAC$/), channels: 2 },
];

/**
 * Six channels (FL FR FC LFE BL BR), each a different tone at 0.3: the mono mix must hold each at
 * 0.3 / 6. The LFE channel gets a low tone, as Vorbis low-passes it.
 */
const SURROUND_TONES = [300, 400, 500, 100, 700, 800];
const SURROUND = 'aevalsrc=' + SURROUND_TONES.map((f) => `0.3*sin(2*PI*${f}*t)`).join('|') + ':c=5.1:s=48000:d=1';
const SURROUND_FILES: [string, string[], RegExp][] = [
  ['5.1.wav', ['-c:a', 'pcm_s24le'], /^WAV 24-bit/],
  ['5.1.flac', ['-c:a', 'flac'], /^FLAC$/],
  ['5.1.ogg', ['-c:a', 'libvorbis', '-q:a', '6'], /^Ogg Vorbis$/],
  ['5.1.opus', ['-c:a', 'libopus', '-b:a', '256k'], /^Ogg Opus$/],
];

describe('generated variants', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('decode'));
    await Promise.all([
      ...VARIANTS.map((v) => ffmpeg(['-f', 'lavfi', '-i', v.input, ...(v.channels === 2 && !v.args.includes('-ac') ? ['-ac', '2'] : []), ...v.args, path.join(dir, v.file)])),
      ...SURROUND_FILES.map(([file, args]) => ffmpeg(['-f', 'lavfi', '-i', SURROUND, ...args, path.join(dir, file)])),
    ]);
  }, 120_000);
  afterAll(async () => cleanup?.());

  it.each(VARIANTS)('$file: 1 kHz stays 1 kHz at 22050 Hz, exact length, right level', async (v) => {
    const { samples, stream } = await decodeAll(path.join(dir, v.file));
    expect(stream.format).toMatch(v.format);
    expect(stream.info).toMatchObject({ sampleRate: RATE, sourceSampleRate: v.rate, sourceChannels: v.channels });
    if (v.lossless) expect(samples.length).toBe(RATE); // round(rate × 1 s × 22050 / rate)
    else expect(Math.abs(samples.length / RATE - 1)).toBeLessThan(0.03);
    expect(Math.abs(stream.info.durationHint! - 1)).toBeLessThan(0.03);
    const mid = middle(samples, 1000);
    expect(Math.abs(zeroCrossingFrequency(mid, RATE) - 1000)).toBeLessThan(0.5);
    const level = toneAmplitude(mid, 1000, RATE);
    const expected = v.channels === 2 ? 0.125 * Math.SQRT1_2 : 0.125; // ffmpeg's upmix: −3 dB per channel
    expect(Math.abs(db(level / expected)), `level ${level}`).toBeLessThan(v.lossless ? 0.1 : 1);
  });

  it.each(SURROUND_FILES)('%s: 5.1 is downmixed as the average of all six channels', async (file, _args, format) => {
    const { samples, stream } = await decodeAll(path.join(dir, file));
    expect(stream.format).toMatch(format);
    expect(stream.info.sourceChannels).toBe(6);
    expect(stream.info.sourceSampleRate).toBe(48000);
    const mid = middle(samples, 1000);
    // Against ffmpeg's decode averaged over the channels (lossy encoders change levels a little,
    // e.g. libvorbis' LFE handling), and for lossless files against the exact 0.3 / 6.
    const reference = middle(await ffmpegDecodeAverage(path.join(dir, file), 6), 2000);
    const lossless = /^(WAV|FLAC)/.test(stream.format);
    for (const f of SURROUND_TONES) {
      const a = toneAmplitude(mid, f, RATE);
      expect(Math.abs(db(a / toneAmplitude(reference, f, 48000))), `${f} Hz: ${a}`).toBeLessThan(0.1);
      if (lossless) expect(Math.abs(db(a / (0.3 / 6))), `${f} Hz: ${a}`).toBeLessThan(0.05);
    }
  });

  it('decodes at any analysis rate the caller asks for', async () => {
    for (const rate of [8000, 16000, 44100, 48000]) {
      const { samples, stream } = await decodeAll(path.join(dir, '96k-24.wav'), { sampleRate: rate });
      expect(stream.info.sampleRate).toBe(rate);
      expect(samples.length).toBe(rate);
      expect(Math.abs(zeroCrossingFrequency(middle(samples, 500), rate) - 1000)).toBeLessThan(0.5);
    }
  });

  it('stops on abort, with the signal’s reason', async () => {
    const controller = new AbortController();
    const stream = await openAudio(path.join(dir, '192k.flac'), { blockSize: 1000, readSize: 4096, signal: controller.signal });
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const b of stream.blocks()) {
          seen.push(b.length);
          if (seen.length === 2) controller.abort(new Error('user cancelled'));
        }
      })(),
    ).rejects.toThrow('user cancelled');
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.length).toBeLessThan(22);
    await expect(openAudio(path.join(dir, '8k.flac'), { signal: controller.signal })).rejects.toThrow('user cancelled');
  });

  it('can be closed early (breaking out of the loop) and iterated only once', async () => {
    const stream = await openAudio(path.join(dir, '48k.mp3'), { blockSize: 1000 });
    for await (const _ of stream.blocks()) break;
    await stream.close();
    await stream.close(); // idempotent
    await expect(stream.blocks().next()).rejects.toThrow(/only be iterated once/);
  });

  it.each(['48k.mp3', '96k-24.wav'])('%s: close() while a read is in flight ends the iteration quietly', async (file) => {
    const stream = await openAudio(path.join(dir, file), { blockSize: 100, readSize: 4096 });
    const gen = stream.blocks();
    await gen.next();
    await gen.next();
    const pending = gen.next(); // may need a read
    await stream.close();
    await expect(pending).resolves.toBeDefined();
    expect((await gen.next()).done).toBe(true);
  });

  it('refuses nonsense options', async () => {
    await expect(openAudio(path.join(dir, '8k.wav'), { sampleRate: 0 })).rejects.toThrow(RangeError);
    await expect(openAudio(path.join(dir, '8k.wav'), { blockSize: 0 })).rejects.toThrow(RangeError);
  });
});
