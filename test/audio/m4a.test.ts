// M4A decoding: ALAC by our own decoder, checked sample for sample against ffmpeg's decode of the same
// ffmpeg-made files; AAC through the user's ffmpeg (present: a tone of the right pitch and length;
// absent: a clear error); damaged and cut-off files fail clearly or decode what is there.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { copyFile, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { analyzeFile } from '../../app/analysis/analyze.ts';
import { AlacDecoder, parseAlacConfig, unpcBlock } from '../../app/audio/alac.ts';
import { DecodeError, openAudio } from '../../app/audio/decode.ts';
import { alacCookie, readMp4SoundTrack } from '../../app/audio/mp4Demux.ts';
import { openSource } from '../../app/audio/source.ts';
import { demoSongWav } from '../../app/demo/library.ts';
import { DEMO_SONGS, songDurationSeconds } from '../../app/demo/songs.ts';
import { decodeAll, ffmpeg, join, middle, tempDir, toneAmplitude, zeroCrossingFrequency } from './helpers.ts';

const execFileAsync = promisify(execFile);

let dir: string;
let cleanup: () => Promise<void>;
const at = (name: string): string => path.join(dir, name);

/** Two different tones (left 440, right 660 Hz) plus a little noise, so mid/side and the predictor both work. */
const stereoInput = (rate: number, seconds: number): string[] => [
  '-f', 'lavfi', '-i', `sine=f=440:r=${rate}:d=${seconds}`,
  '-f', 'lavfi', '-i', `sine=f=660:r=${rate}:d=${seconds}`,
  '-f', 'lavfi', '-i', `anoisesrc=r=${rate}:d=${seconds}:a=0.02:seed=7`,
  '-filter_complex', '[0][2]amix=inputs=2:normalize=0[l];[1][2]amix=inputs=2:normalize=0[r];[l][r]join=inputs=2:channel_layout=stereo[a]',
  '-map', '[a]',
];
const monoInput = (rate: number, seconds: number): string[] => ['-f', 'lavfi', '-i', `sine=f=1000:r=${rate}:d=${seconds}`];

/** The ALAC test files: name → ffmpeg arguments (made at test time). */
const ALAC_FILES: Record<string, string[]> = {
  'stereo16-44k.m4a': [...stereoInput(44100, 2.3), '-c:a', 'alac', '-sample_fmt', 's16p'],
  'mono16-48k.m4a': [...monoInput(48000, 1.7), '-c:a', 'alac', '-sample_fmt', 's16p'],
  'stereo24-48k.m4a': [...stereoInput(48000, 2.1), '-c:a', 'alac', '-sample_fmt', 's32p'],
  'mono24-44k.m4a': [...monoInput(44100, 1.2), '-c:a', 'alac', '-sample_fmt', 's32p'],
  // Compression level 0: the encoder writes escape (uncompressed) frames.
  'escape16.m4a': ['-f', 'lavfi', '-i', 'anoisesrc=r=44100:d=0.5:a=0.5:seed=3', '-ac', '2', '-c:a', 'alac', '-sample_fmt', 's16p', '-compression_level', '0'],
  'escape24.m4a': ['-f', 'lavfi', '-i', 'anoisesrc=r=44100:d=0.5:a=0.5:seed=4', '-ac', '1', '-c:a', 'alac', '-sample_fmt', 's32p', '-compression_level', '0'],
  // Full-scale noise: large residuals take the entropy coder's escape to raw bits.
  'noise16.m4a': ['-f', 'lavfi', '-i', 'anoisesrc=r=44100:d=0.5:a=1:c=white:seed=5', '-ac', '2', '-c:a', 'alac', '-sample_fmt', 's16p'],
  // Higher prediction orders and smaller frames.
  'order-max.m4a': [...stereoInput(44100, 1), '-c:a', 'alac', '-sample_fmt', 's16p', '-compression_level', '2', '-max_prediction_order', '30', '-frame_size', '1024'],
  // Orders 4 and 8 only, as Apple's encoder writes (the decoder has unrolled loops for them).
  'order4.m4a': [...stereoInput(44100, 1), '-c:a', 'alac', '-sample_fmt', 's16p', '-min_prediction_order', '4', '-max_prediction_order', '4'],
  'order8-24.m4a': [...stereoInput(48000, 1), '-c:a', 'alac', '-sample_fmt', 's32p', '-min_prediction_order', '8', '-max_prediction_order', '8'],
  'surround51.m4a': [
    ...[300, 500, 700, 80, 1100, 1300].flatMap((f) => ['-f', 'lavfi', '-i', `sine=f=${f}:r=48000:d=1`]),
    '-filter_complex', '[0][1][2][3][4][5]join=inputs=6:channel_layout=5.1:map=0.0-FL|1.0-FR|2.0-FC|3.0-LFE|4.0-BL|5.0-BR[a]', '-map', '[a]',
    '-c:a', 'alac', '-sample_fmt', 's16p',
  ],
};

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('m4a'));
  await Promise.all([
    ...Object.entries(ALAC_FILES).map(([name, args]) => ffmpeg([...args, at(name)])),
    ffmpeg(['-f', 'lavfi', '-i', 'sine=f=440:r=44100:d=3', '-ac', '2', '-c:a', 'aac', '-b:a', '128k', at('tone-aac.m4a')]),
    ffmpeg([...ALAC_FILES['surround51.m4a']!.slice(0, -4), '-c:a', 'aac', '-b:a', '384k', at('surround-aac.m4a')]),
  ]);
}, 120_000);
afterAll(() => cleanup?.());

/** ffmpeg's decode of `file` as interleaved signed 32-bit integers (its ALAC output, left-aligned). */
async function ffmpegInts(file: string): Promise<Int32Array> {
  const { stdout } = await execFileAsync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-i', file, '-f', 's32le', '-'], { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 });
  return new Int32Array(stdout.buffer.slice(stdout.byteOffset, stdout.byteOffset + stdout.byteLength));
}

/** Our decoder over every frame of `file`, interleaved and left-aligned to 32 bits like ffmpeg's s32le. */
async function ourInts(file: string): Promise<{ ints: Int32Array; channels: number; bitDepth: number }> {
  const src = await openSource(file);
  try {
    const track = (await readMp4SoundTrack((p, n) => src.read(p, n), src.size, file))!;
    const config = parseAlacConfig(alacCookie(track.entry)!)!;
    const dec = new AlacDecoder(config);
    const parts: Int32Array[] = [];
    for (let f = 0; f < track.sizes.length; f++) {
      const n = dec.decodeFrame(await src.read(track.offsets[f]!, track.sizes[f]!));
      const out = new Int32Array(n * config.numChannels);
      const shift = 32 - config.bitDepth;
      for (let c = 0; c < config.numChannels; c++) for (let i = 0; i < n; i++) out[i * config.numChannels + c] = dec.channels[c]![i]! << shift;
      parts.push(out);
    }
    const ints = new Int32Array(parts.reduce((t, p) => t + p.length, 0));
    let o = 0;
    for (const p of parts) {
      ints.set(p, o);
      o += p.length;
    }
    return { ints, channels: config.numChannels, bitDepth: config.bitDepth };
  } finally {
    await src.close();
  }
}

/** Index of the first difference, or -1. */
function firstDifference(a: Int32Array, b: Int32Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

describe('ALAC: bit-exact against ffmpeg', () => {
  it.each(Object.keys(ALAC_FILES))('%s decodes to exactly the samples ffmpeg decodes', async (name) => {
    const [ours, theirs] = await Promise.all([ourInts(at(name)), ffmpegInts(at(name))]);
    expect(ours.ints.length).toBe(theirs.length);
    expect(theirs.length).toBeGreaterThan(0);
    expect(firstDifference(ours.ints, theirs)).toBe(-1);
  });

  it('the test files cover 16 and 24 bit, mono and stereo, 44.1 and 48 kHz', async () => {
    const facts = await Promise.all(['stereo16-44k.m4a', 'mono16-48k.m4a', 'stereo24-48k.m4a', 'mono24-44k.m4a'].map(async (n) => {
      const s = await openAudio(at(n));
      await s.close();
      return [s.format, s.info.sourceChannels, s.info.sourceSampleRate];
    }));
    expect(facts).toEqual([
      ['M4A ALAC 16-bit', 2, 44100],
      ['M4A ALAC 16-bit', 1, 48000],
      ['M4A ALAC 24-bit', 2, 48000],
      ['M4A ALAC 24-bit', 1, 44100],
    ]);
  });

  it('hands the source tap the same float samples ffmpeg decodes, in WAV channel order', async () => {
    for (const name of ['stereo24-48k.m4a', 'surround51.m4a']) {
      const parts: Float32Array[][] = [];
      const stream = await openAudio(at(name), { onSource: (ch, n) => ch.forEach((c, i) => (parts[i] ??= []).push(c.slice(0, n))) });
      for await (const _ of stream.blocks());
      const channels = parts.map(join);
      const { stdout } = await execFileAsync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', at(name), '-f', 'f32le', '-'], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
      const ref = new Float32Array(stdout.buffer.slice(stdout.byteOffset, stdout.byteOffset + stdout.byteLength));
      const interleaved = new Float32Array(channels[0]!.length * channels.length);
      for (let c = 0; c < channels.length; c++) for (let i = 0; i < channels[c]!.length; i++) interleaved[i * channels.length + c] = channels[c]![i]!;
      expect(interleaved.length).toBe(ref.length);
      let same = true;
      for (let i = 0; i < ref.length && same; i++) same = interleaved[i] === ref[i];
      expect(same).toBe(true);
    }
  });

  it('digital silence (a few bytes a frame) still comes in small pieces, not the whole file at once', async () => {
    await ffmpeg(['-f', 'lavfi', '-i', 'anullsrc=r=44100:cl=stereo', '-t', '60', '-c:a', 'alac', '-sample_fmt', 's16p', at('silence.m4a')]);
    expect((await stat(at('silence.m4a'))).size).toBeLessThan(256 * 1024); // the whole file fits in one read
    let largest = 0;
    let total = 0;
    const { samples } = await decodeAll(at('silence.m4a'), { onSource: (_, n) => ((largest = Math.max(largest, n)), (total += n)) });
    expect(total).toBe(60 * 44100);
    expect(largest).toBeLessThanOrEqual(1 << 18);
    expect(samples.every((x) => x === 0)).toBe(true);
  });

  it('decodes to mono at the analysis rate: the right tones and length', async () => {
    const { samples, stream } = await decodeAll(at('mono16-48k.m4a'));
    expect(Math.abs(samples.length / 22050 - 1.7)).toBeLessThan(0.01);
    expect(Math.abs(zeroCrossingFrequency(middle(samples, 2000), 22050) - 1000)).toBeLessThan(1);
    expect(stream.warnings).toEqual([]);
    const stereo = (await decodeAll(at('stereo16-44k.m4a'))).samples;
    const mid = middle(stereo, 2000);
    expect(toneAmplitude(mid, 440, 22050)).toBeGreaterThan(0.03);
    expect(toneAmplitude(mid, 660, 22050)).toBeGreaterThan(0.03);
  });
});

describe('ALAC predictor modes ffmpeg never writes', () => {
  it('numActive 31 (prediction mode ≠ 0, first pass) is a running sum wrapped to the channel width; 0 copies', () => {
    const pc = Int32Array.from([5, 1, 2, -3, 32763]);
    const out = new Int32Array(5);
    unpcBlock(pc, out, 5, new Int16Array(0), 31, 16, 0);
    expect([...out]).toEqual([5, 6, 8, 5, -32768]); // 5 + 32763 = 32768 wraps to −32768 at 16 bits
    const inPlace = Int32Array.from(pc);
    unpcBlock(inPlace, inPlace, 5, new Int16Array(0), 31, 16, 0);
    expect([...inPlace]).toEqual([...out]);
    const copy = new Int32Array(5);
    unpcBlock(pc, copy, 5, new Int16Array(0), 0, 16, 9);
    expect([...copy]).toEqual([...pc]);
  });
});

describe('ALAC: damaged and cut-off files', () => {
  it('a file cut in its sample data decodes what is there and warns', async () => {
    // ffmpeg puts mdat before moov; move the index to the front so a cut keeps it.
    await ffmpeg(['-i', at('stereo16-44k.m4a'), '-c', 'copy', '-movflags', '+faststart', at('faststart.m4a')]);
    await copyFile(at('faststart.m4a'), at('cut.m4a'));
    await truncate(at('cut.m4a'), Math.floor((await stat(at('cut.m4a'))).size * 0.5));
    const { samples, stream } = await decodeAll(at('cut.m4a'));
    expect(samples.length / 22050).toBeGreaterThan(0.7);
    expect(samples.length / 22050).toBeLessThan(1.5);
    expect(stream.warnings.join(' ')).toMatch(/cut off/);
  });

  it('a file cut before its index (moov) → CORRUPT naming the missing box', async () => {
    await copyFile(at('stereo16-44k.m4a'), at('no-moov.m4a'));
    await truncate(at('no-moov.m4a'), Math.floor((await stat(at('no-moov.m4a'))).size * 0.6));
    await expect(decodeAll(at('no-moov.m4a'))).rejects.toMatchObject({ code: 'CORRUPT', message: expect.stringMatching(/no-moov\.m4a.*'moov'/) });
  });

  it('garbage in the frames: damaged frames become silence with warnings; all damaged → CORRUPT; never a hang', async () => {
    const bytes = new Uint8Array(await readFile(at('faststart.m4a')));
    const src = await openSource(at('faststart.m4a'));
    const track = (await readMp4SoundTrack((p, n) => src.read(p, n), src.size, at('faststart.m4a')))!;
    await src.close();
    // Damage frame 3 (of about 25).
    const hit = bytes.slice();
    for (let i = 0; i < 64; i++) hit[track.offsets[2]! + 4 + i] = (i * 37 + 11) & 0xff;
    await writeFile(at('one-bad.m4a'), hit);
    const { samples, stream } = await decodeAll(at('one-bad.m4a'));
    expect(Math.abs(samples.length / 22050 - 2.3)).toBeLessThan(0.01);
    expect(stream.warnings.join(' ')).toMatch(/damaged ALAC frame 3/);
    // Damage every frame.
    const all = bytes.slice();
    for (let f = 0; f < track.sizes.length; f++) for (let i = 0; i < Math.min(64, track.sizes[f]!); i++) all[track.offsets[f]! + i] = 0xff;
    await writeFile(at('all-bad.m4a'), all);
    await expect(decodeAll(at('all-bad.m4a'))).rejects.toMatchObject({ code: 'CORRUPT', message: expect.stringMatching(/damaged M4A\/ALAC file/) });
  });
  it('a sample table that gives a frame an impossible size: that frame is damaged, never read or allocated', async () => {
    const bytes = new Uint8Array(await readFile(at('faststart.m4a')));
    const stsz = Buffer.from(bytes).indexOf('stsz') - 4; // box start
    new DataView(bytes.buffer).setUint32(stsz + 20 + 4 * 4, 0x7fffffff); // frame 5's size
    await writeFile(at('huge-frame.m4a'), bytes);
    const { samples, stream } = await decodeAll(at('huge-frame.m4a'));
    expect(stream.warnings.join(' ')).toMatch(/damaged ALAC frame 5 .*2147483647 bytes/);
    expect(samples.length).toBeGreaterThanOrEqual((4 * 4096) / 2); // the frames before it (44.1 → 22.05 kHz)
  });
});

/** Process ids of the ffmpeg processes this test process started (Linux /proc). */
function ffmpegChildren(): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === process.pid && stat.includes('(ffmpeg)')) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

describe('AAC through ffmpeg', () => {
  const saved = process.env.LINERNOTES_FFMPEG;
  afterEach(() => {
    if (saved === undefined) delete process.env.LINERNOTES_FFMPEG;
    else process.env.LINERNOTES_FFMPEG = saved;
  });

  it('with ffmpeg on PATH: a 3 s 440 Hz tone of the right length, with the stereo source for loudness', async () => {
    delete process.env.LINERNOTES_FFMPEG;
    let tapped = 0;
    let tapChannels = 0;
    let tapRate = 0;
    const { samples, stream } = await decodeAll(at('tone-aac.m4a'), {
      onSource: (ch, n, rate) => {
        tapped += n;
        tapChannels = ch.length;
        tapRate = rate;
      },
    });
    expect(stream.format).toBe('M4A AAC (decoded by ffmpeg)');
    expect(Math.abs(samples.length / 22050 - 3)).toBeLessThan(0.05);
    expect(Math.abs(zeroCrossingFrequency(middle(samples, 4000), 22050) - 440)).toBeLessThan(1);
    expect([tapChannels, tapRate]).toEqual([2, 44100]);
    expect(Math.abs(tapped / 44100 - 3)).toBeLessThan(0.05);
  });

  it('5.1 AAC reaches the source tap as six channels in WAV order L R C LFE Ls Rs', async () => {
    delete process.env.LINERNOTES_FFMPEG;
    const tones = [300, 500, 700, 80, 1100, 1300];
    const parts: Float32Array[][] = [];
    const stream = await openAudio(at('surround-aac.m4a'), { onSource: (ch, n) => ch.forEach((c, i) => (parts[i] ??= []).push(c.slice(0, n))) });
    for await (const _ of stream.blocks());
    const channels = parts.map(join);
    expect(stream.info.sourceChannels).toBe(6);
    const strongest = channels.map((c) => {
      const a = tones.map((f) => toneAmplitude(middle(c, 4000), f, 48000));
      return a.indexOf(Math.max(...a));
    });
    expect(strongest).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('with LINERNOTES_FFMPEG pointing nowhere: UNSUPPORTED_CODEC naming AAC and what to install', async () => {
    process.env.LINERNOTES_FFMPEG = at('no-such-ffmpeg');
    const err = await decodeAll(at('tone-aac.m4a')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DecodeError);
    expect(err).toMatchObject({ code: 'UNSUPPORTED_CODEC', file: at('tone-aac.m4a') });
    expect((err as Error).message).toMatch(/^M4A\/AAC audio can't be decoded: "tone-aac\.m4a" holds AAC.*LINERNOTES_FFMPEG.*no-such-ffmpeg.*Install ffmpeg/);
  });

  it('a cut-off AAC file: what is there, or a clear CORRUPT error; never a hang', async () => {
    await ffmpeg(['-i', at('tone-aac.m4a'), '-c', 'copy', '-movflags', '+faststart', at('aac-fast.m4a')]);
    await copyFile(at('aac-fast.m4a'), at('aac-cut.m4a'));
    await truncate(at('aac-cut.m4a'), Math.floor((await stat(at('aac-cut.m4a'))).size * 0.5));
    const { samples } = await decodeAll(at('aac-cut.m4a'));
    expect(samples.length / 22050).toBeGreaterThan(0.5);
    expect(samples.length / 22050).toBeLessThan(2.5);
    // Garbage where the audio was: ffmpeg finds no decodable frame.
    const bytes = new Uint8Array(await readFile(at('aac-fast.m4a')));
    const src = await openSource(at('aac-fast.m4a'));
    const track = (await readMp4SoundTrack((p, n) => src.read(p, n), src.size, at('aac-fast.m4a')))!;
    await src.close();
    for (let f = 0; f < track.sizes.length; f++) bytes.fill(0xff, track.offsets[f]!, track.offsets[f]! + track.sizes[f]!);
    await writeFile(at('aac-garbage.m4a'), bytes);
    const outcome = await decodeAll(at('aac-garbage.m4a')).then((r) => r.stream.warnings, (e: unknown) => e);
    if (outcome instanceof DecodeError) expect(outcome.code).toBe('CORRUPT');
    else expect((outcome as string[]).join(' ')).toMatch(/ffmpeg/);
  }, 30_000);

  it.runIf(process.platform === 'linux')('stopping early ends the ffmpeg process; a finished decode leaves none', async () => {
    delete process.env.LINERNOTES_FFMPEG;
    const stream = await openAudio(at('tone-aac.m4a'), { blockSize: 4096 });
    expect(ffmpegChildren().length).toBe(1);
    for await (const _ of stream.blocks()) break; // closes the stream
    for (let i = 0; i < 50 && ffmpegChildren().length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(ffmpegChildren()).toEqual([]);
    await decodeAll(at('tone-aac.m4a'));
    for (let i = 0; i < 50 && ffmpegChildren().length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(ffmpegChildren()).toEqual([]);
  });
});

describe('an ALAC M4A through the normal analysis', () => {
  it('analyzeFile on a demo song encoded as ALAC measures its tempo and key', async () => {
    const spec = DEMO_SONGS.find((x) => x.title === 'Waltz of the Lanterns')!;
    await writeFile(at('waltz.wav'), demoSongWav(spec, 44100));
    await ffmpeg(['-i', at('waltz.wav'), '-c:a', 'alac', at('waltz.m4a')]);
    const a = await analyzeFile(at('waltz.m4a'));
    expect(Math.abs(a.durationSec - songDurationSeconds(spec))).toBeLessThan(0.1);
    expect(Math.abs(a.rhythm.bpm - spec.tempo)).toBeLessThan(2);
    expect(a.key.global).toEqual(spec.key);
    // Lossless: the same measurements as the WAV it was made from, loudness (from the source tap) included.
    const w = await analyzeFile(at('waltz.wav'));
    expect(a.loudness.integratedLufs).not.toBeNull();
    expect(a.loudness.integratedLufs).toBe(w.loudness.integratedLufs);
    expect(a.rhythm.bpm).toBe(w.rhythm.bpm);
  }, 90_000);
});
