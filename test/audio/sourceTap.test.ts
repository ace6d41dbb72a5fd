// The source tap of openAudio: the same decode pass hands each chunk, before downmix and resampling,
// with the file's own channels (in WAV order) at its own rate. The mono blocks don't change.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAudio } from '../../app/audio/decode.ts';
import { channelLayout, toWavOrder } from '../../app/audio/channelOrder.ts';
import { decodeAll, ffmpeg, join, tempDir, toneAmplitude } from './helpers.ts';

/** Tone of each 5.1 channel in WAV order L R C LFE Ls Rs (LFE low: Opus and Vorbis band-limit it). */
const TONES_51 = [300, 500, 700, 80, 1100, 1300];

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('source-tap'));
  // Stereo 44.1 kHz: 440 Hz left, 660 Hz right.
  await ffmpeg(['-f', 'lavfi', '-i', 'sine=f=440:r=44100:d=1', '-f', 'lavfi', '-i', 'sine=f=660:r=44100:d=1', '-filter_complex', '[0][1]join=inputs=2:channel_layout=stereo:map=0.0-FL|1.0-FR[a]', '-map', '[a]', '-c:a', 'pcm_s16le', path.join(dir, 'stereo.wav')]);
  const inputs = TONES_51.flatMap((f) => ['-f', 'lavfi', '-i', `sine=f=${f}:r=48000:d=1`]);
  const join51 = ['-filter_complex', '[0][1][2][3][4][5]join=inputs=6:channel_layout=5.1:map=0.0-FL|1.0-FR|2.0-FC|3.0-LFE|4.0-BL|5.0-BR[a]', '-map', '[a]'];
  await ffmpeg([...inputs, ...join51, '-c:a', 'pcm_s24le', path.join(dir, 'surround.wav')]);
  await ffmpeg([...inputs, ...join51, '-c:a', 'flac', path.join(dir, 'surround.flac')]);
  await ffmpeg([...inputs, ...join51, '-c:a', 'libvorbis', path.join(dir, 'surround.ogg')]);
  await ffmpeg([...inputs, ...join51, '-c:a', 'libopus', '-b:a', '256k', path.join(dir, 'surround.opus')]);
  await ffmpeg(['-f', 'lavfi', '-i', 'sine=f=440:r=44100:d=1', '-c:a', 'libmp3lame', path.join(dir, 'mono.mp3')]);
  await ffmpeg(['-f', 'lavfi', '-i', 'sine=f=440:r=44100:d=1', '-c:a', 'pcm_s16le', path.join(dir, 'mono.wav')]);
}, 60_000);
afterAll(() => cleanup());

/** Decodes `file` with a tap; returns the source channels joined, their rate, and the mono blocks. */
async function tapAll(file: string): Promise<{ channels: Float32Array[]; rate: number; mono: Float32Array; chunks: number }> {
  const parts: Float32Array[][] = [];
  let rate = 0;
  let chunks = 0;
  const stream = await openAudio(file, {
    onSource: (ch, length, sampleRate) => {
      chunks++;
      rate = sampleRate;
      // The arrays are only valid during the call: keep copies.
      ch.forEach((c, i) => (parts[i] ??= []).push(c.slice(0, length)));
    },
  });
  const blocks: Float32Array[] = [];
  for await (const b of stream.blocks()) blocks.push(b);
  return { channels: parts.map(join), rate, mono: join(blocks), chunks };
}

/** The index of the strongest of `tones` in `x`. */
const strongest = (x: Float32Array, tones: number[], rate: number): number => {
  const a = tones.map((f) => toneAmplitude(x.subarray(2000, x.length - 2000), f, rate));
  return a.indexOf(Math.max(...a));
};

describe('source tap', () => {
  it('hands a stereo 44.1 kHz WAV over intact: two channels, 44100 Hz, left 440 and right 660 Hz', async () => {
    const { channels, rate, chunks } = await tapAll(path.join(dir, 'stereo.wav'));
    expect(rate).toBe(44100);
    expect(chunks).toBeGreaterThan(0);
    expect(channels).toHaveLength(2);
    expect(channels[0]!.length).toBe(44100);
    expect(strongest(channels[0]!, [440, 660], 44100)).toBe(0);
    expect(strongest(channels[1]!, [440, 660], 44100)).toBe(1);
    expect(Math.abs(toneAmplitude(channels[0]!, 440, 44100) - 0.125)).toBeLessThan(0.005); // lavfi sine is 1/8 full scale
  });

  it.each(['surround.wav', 'surround.flac', 'surround.ogg', 'surround.opus'])('hands 5.1 (%s) over as six channels in WAV order L R C LFE Ls Rs', async (name) => {
    const { channels, rate } = await tapAll(path.join(dir, name));
    expect(rate).toBe(48000);
    expect(channels).toHaveLength(6);
    expect(channels.map((c) => strongest(c, TONES_51, 48000))).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('gives a mono MP3 as one channel (the decoder doubles it)', async () => {
    const { channels, rate } = await tapAll(path.join(dir, 'mono.mp3'));
    expect(rate).toBe(44100);
    expect(channels).toHaveLength(1);
  });

  it('leaves the mono blocks unchanged, with and without a tap', async () => {
    for (const name of ['mono.wav', 'stereo.wav', 'surround.wav', 'surround.flac']) {
      const tapped = await tapAll(path.join(dir, name));
      const { samples } = await decodeAll(path.join(dir, name));
      expect(tapped.mono.length).toBe(samples.length);
      let maxDiff = 0;
      for (let i = 0; i < samples.length; i++) maxDiff = Math.max(maxDiff, Math.abs(samples[i]! - tapped.mono[i]!));
      expect(maxDiff).toBeLessThan(1e-6);
    }
  });

  it('can be set after opening, and cleared', async () => {
    const stream = await openAudio(path.join(dir, 'stereo.wav'), { readSize: 4096 });
    let calls = 0;
    stream.tapSource(() => calls++);
    const gen = stream.blocks();
    await gen.next();
    const seen = calls;
    expect(seen).toBeGreaterThan(0);
    stream.tapSource(null);
    for (let r = await gen.next(); !r.done; r = await gen.next());
    expect(calls).toBe(seen);
  });
});

describe('toWavOrder', () => {
  const ch = (n: number) => Array.from({ length: n }, (_, i) => new Float32Array([i]));
  it('reorders Vorbis 5.1 (L C R Ls Rs LFE) and leaves WAV order alone', () => {
    expect(toWavOrder(ch(6), 'vorbis').map((c) => c[0])).toEqual([0, 2, 1, 5, 3, 4]);
    expect(toWavOrder(ch(6), 'wav').map((c) => c[0])).toEqual([0, 1, 2, 3, 4, 5]);
    expect(toWavOrder(ch(2), 'vorbis').map((c) => c[0])).toEqual([0, 1]);
    expect(toWavOrder(ch(2), 'mpeg-mono').map((c) => c[0])).toEqual([0]);
  });

  it('knows each decoder\'s layout', () => {
    expect(channelLayout('Ogg Opus', 6)).toBe('vorbis');
    expect(channelLayout('Ogg Vorbis', 2)).toBe('vorbis');
    expect(channelLayout('Ogg FLAC', 6)).toBe('wav');
    expect(channelLayout('FLAC', 6)).toBe('wav');
    expect(channelLayout('MP3', 1)).toBe('mpeg-mono');
    expect(channelLayout('MP3', 2)).toBe('wav');
    expect(channelLayout('WAV 16-bit integer (little-endian)', 1)).toBe('wav');
  });
});
