// What openAudio does with files that aren't whole, decodable audio: decode what's there, or throw a
// DecodeError whose code says why and whose message names the file and the format.
import { readdirSync } from 'node:fs';
import { copyFile, mkdir, readFile, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecodeError, openAudio, type DecodeErrorCode } from '../../app/audio/decode.ts';
import { encodedFixtures } from '../fixtures/encoded.ts';
import { decodeAll, ffmpeg, middle, tempDir, toneAmplitude } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
let fixtures: Awaited<ReturnType<typeof encodedFixtures>>;
const at = (name: string): string => path.join(dir, name);
const TEN_S = 'sine=frequency=440:sample_rate=44100:duration=10';

beforeAll(async () => {
  fixtures = await encodedFixtures();
  ({ dir, cleanup } = await tempDir('decode-errors'));
  await Promise.all([
    ffmpeg(['-f', 'lavfi', '-i', TEN_S, '-ac', '2', '-c:a', 'libmp3lame', '-b:a', '128k', at('ten.mp3')]),
    ffmpeg(['-f', 'lavfi', '-i', TEN_S, '-ac', '2', '-c:a', 'flac', at('ten.flac')]),
    ffmpeg(['-f', 'lavfi', '-i', TEN_S, '-ac', '2', '-c:a', 'libvorbis', at('ten.ogg')]),
    ffmpeg(['-f', 'lavfi', '-i', TEN_S, '-ac', '2', '-c:a', 'libopus', at('ten.opus')]),
    ffmpeg(['-f', 'lavfi', '-i', TEN_S, '-ac', '2', '-c:a', 'pcm_s16le', at('ten.wav')]),
    ffmpeg(['-f', 'lavfi', '-i', TEN_S, '-c:a', 'adpcm_ms', at('adpcm.wav')]),
    ffmpeg(['-f', 'lavfi', '-i', TEN_S, '-c:a', 'pcm_mulaw', at('mulaw.aifc')]),
    ffmpeg(['-f', 'lavfi', '-i', TEN_S, '-c:a', 'libspeex', '-ar', '16000', at('speech.spx')]),
    ffmpeg(['-f', 'lavfi', '-i', TEN_S, '-c:a', 'libopus', at('clip.webm')]),
    ffmpeg(['-f', 'lavfi', '-i', TEN_S, '-t', '0', '-c:a', 'pcm_s16le', at('header-only.wav')]),
    ffmpeg(['-f', 'lavfi', '-i', TEN_S, '-t', '1', '-c:a', 'ac3', at('ac3.mp4')]),
  ]);
  await mkdir(at('folder.mp3'));
}, 120_000);
afterAll(async () => cleanup?.());

/** The DecodeError openAudio (and a full decode) throws for `file`. */
async function failure(file: string): Promise<DecodeError> {
  try {
    await decodeAll(file);
  } catch (err) {
    expect(err).toBeInstanceOf(DecodeError);
    return err as DecodeError;
  }
  throw new Error(`expected ${file} to fail`);
}

async function expectFailure(file: string, code: DecodeErrorCode, message: RegExp): Promise<void> {
  const err = await failure(file);
  expect(err.code).toBe(code);
  expect(err.message).toMatch(message);
  expect(err.message).toContain(JSON.stringify(path.basename(file)));
  expect(err.file).toBe(file);
}

/** Copy of `src` cut to `fraction` of its size. */
async function truncated(src: string, name: string, fraction: number): Promise<string> {
  const dest = at(name);
  await copyFile(src, dest);
  const { size } = await import('node:fs/promises').then((fs) => fs.stat(dest));
  await truncate(dest, Math.floor(size * fraction));
  return dest;
}

describe('files that are not audio', () => {
  it('zero bytes → EMPTY', async () => {
    await writeFile(at('empty.mp3'), '');
    await expectFailure(at('empty.mp3'), 'EMPTY', /is empty \(0 bytes\)/);
  });

  it('a text file named .mp3 → UNSUPPORTED_FORMAT, by content, not name', async () => {
    await writeFile(at('notes.mp3'), 'These are my liner notes.\n'.repeat(200));
    await expectFailure(at('notes.mp3'), 'UNSUPPORTED_FORMAT', /is not audio we can decode: its content matches no audio format/);
  });

  it('random bytes named .flac → UNSUPPORTED_FORMAT', async () => {
    const bytes = new Uint8Array(50_000).map((_, i) => (i * 7919 + 13) % 251);
    await writeFile(at('noise.flac'), bytes);
    await expectFailure(at('noise.flac'), 'UNSUPPORTED_FORMAT', /not audio/);
  });

  it('a PNG named .wav names what it is', async () => {
    await ffmpeg(['-f', 'lavfi', '-i', 'color=c=red:s=8x8', '-frames:v', '1', '-f', 'image2', '-c:v', 'png', at('cover.wav')]);
    await expectFailure(at('cover.wav'), 'UNSUPPORTED_FORMAT', /its content is image\/png/);
  });

  it('a missing file or a folder → UNREADABLE', async () => {
    await expectFailure(at('missing.mp3'), 'UNREADABLE', /does not exist/);
    await expectFailure(at('folder.mp3'), 'UNREADABLE', /folder|not a regular file/);
  });

  it('a WAV header with no samples → EMPTY', async () => {
    await expectFailure(at('header-only.wav'), 'EMPTY', /holds no audio/);
  });
});

describe('codecs and containers we do not decode', () => {
  it('M4A with AAC and no ffmpeg to decode it → UNSUPPORTED_CODEC naming M4A, AAC and ffmpeg', async () => {
    const saved = process.env.LINERNOTES_FFMPEG;
    process.env.LINERNOTES_FFMPEG = at('no-ffmpeg-here');
    try {
      await expectFailure(fixtures['m4a-aac'], 'UNSUPPORTED_CODEC', /^M4A\/AAC audio can't be decoded: .*AAC.*ffmpeg/);
    } finally {
      if (saved === undefined) delete process.env.LINERNOTES_FFMPEG;
      else process.env.LINERNOTES_FFMPEG = saved;
    }
  });

  it('MP4 with AC-3 → UNSUPPORTED_CODEC naming MP4 and AC-3', async () => {
    await expectFailure(at('ac3.mp4'), 'UNSUPPORTED_CODEC', /^MP4\/AC-3 audio can't be decoded yet: /);
  });

  it('WAV with ADPCM, AIFF-C with μ-law, Ogg Speex → UNSUPPORTED_CODEC', async () => {
    await expectFailure(at('adpcm.wav'), 'UNSUPPORTED_CODEC', /^WAV\/Microsoft ADPCM audio can't be decoded yet/);
    await expectFailure(at('mulaw.aifc'), 'UNSUPPORTED_CODEC', /^AIFF-C\/μ-law audio can't be decoded yet/);
    await expectFailure(at('speech.spx'), 'UNSUPPORTED_CODEC', /^Ogg\/Speex can't be decoded yet/);
  });

  it('WebM → UNSUPPORTED_FORMAT', async () => {
    await expectFailure(at('clip.webm'), 'UNSUPPORTED_FORMAT', /^WebM files can't be decoded yet/);
  });
});

describe('damaged files', () => {
  it.each([
    ['ten.mp3', 'MP3'],
    ['ten.flac', 'FLAC'],
    ['ten.ogg', 'Ogg Vorbis'],
    ['ten.wav', 'WAV'],
  ])('a cut-off %s decodes the part that is there', async (name, format) => {
    const file = await truncated(at(name), `half-${name}`, 0.5);
    const { samples, stream } = await decodeAll(file);
    expect(stream.format.startsWith(format)).toBe(true);
    expect(samples.length / 22050).toBeGreaterThan(4.5);
    expect(samples.length / 22050).toBeLessThan(5.5);
    expect(toneAmplitude(middle(samples, 5000), 440, 22050)).toBeGreaterThan(0.05);
    // The hint is what the header says (MP3, FLAC) or what is there (WAV's cut data chunk; Ogg's last page).
    const wholeLength = format === 'MP3' || format === 'FLAC';
    expect(stream.info.durationHint).toBeCloseTo(wholeLength ? 10 : samples.length / 22050, 1);
    expect(stream.warnings.join('\n')).toMatch(/cut off/);
  });

  it.each([
    ['ten.flac', 0.999],
    ['ten.ogg', 0.99],
    ['ten.opus', 0.99],
  ])('%s with garbage in the middle: the rest decodes in place, the lost part is silence', async (name, similarity) => {
    const clean = (await decodeAll(at(name))).samples;
    const bytes = new Uint8Array(await readFile(at(name)));
    for (let i = 0; i < 3000; i++) bytes[Math.floor(bytes.length / 2) + i] = (i * 31 + 7) & 0xff;
    await writeFile(at(`scratched-${name}`), bytes);
    const { samples, stream } = await decodeAll(at(`scratched-${name}`));
    // Same length: what was lost came back as silence, so everything after it keeps its time.
    expect(Math.abs(samples.length - clean.length)).toBeLessThan(0.01 * 22050);
    expect(stream.warnings.join('\n')).toMatch(/damaged (FLAC|Ogg) data at byte \d+/);
    expect(stream.warnings.join('\n')).toMatch(/samples lost in damaged (frames|pages) were replaced by silence/);
    let longestSilence = 0;
    for (let i = 0, run = 0; i < samples.length; i++) longestSilence = Math.max(longestSilence, (run = samples[i] === 0 ? run + 1 : 0));
    expect(longestSilence).toBeGreaterThan(0.05 * 22050);
    // The last 2 s line up with the undamaged decode, sample for sample.
    const a = samples.subarray(samples.length - 2 * 22050);
    const b = clean.subarray(clean.length - 2 * 22050);
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let i = 0; i < a.length; i++) {
      dot += a[i]! * b[i]!;
      na += a[i]! * a[i]!;
      nb += b[i]! * b[i]!;
    }
    expect(dot / Math.sqrt(na * nb)).toBeGreaterThan(similarity);
  });

  it('an MP3 with garbage in the middle decodes past it', async () => {
    const bytes = new Uint8Array(await readFile(at('ten.mp3')));
    for (let i = 0; i < 8000; i++) bytes[Math.floor(bytes.length / 2) + i] = (i * 31 + 7) & 0xff;
    await writeFile(at('scratched.mp3'), bytes);
    const { samples } = await decodeAll(at('scratched.mp3'));
    expect(samples.length / 22050).toBeGreaterThan(9);
    expect(toneAmplitude(samples.subarray(22050 * 8, 22050 * 9), 440, 22050)).toBeGreaterThan(0.05);
  });

  it('a FLAC cut inside its metadata (no frames) → CORRUPT', async () => {
    const file = await truncated(fixtures.flac, 'cut-in-header.flac', 0.05);
    await expectFailure(file, 'CORRUPT', /damaged FLAC file: nothing in it could be decoded/);
  });

  it('MPEG frame headers that do not chain → CORRUPT; chained ones with garbage bodies decode (as noise)', async () => {
    // 128 kbps / 44.1 kHz MPEG-1 layer III frames are 417 bytes; headers 418 bytes apart are no stream.
    const frames = (spacing: number): Uint8Array => {
      const bytes = new Uint8Array(spacing * 40).map((_, i) => (i * 7919 + 13) % 251);
      for (let f = 0; f < 40; f++) bytes.set([0xff, 0xfb, 0x90, 0x64], f * spacing);
      return bytes;
    };
    await writeFile(at('unchained.mp3'), frames(418));
    await expectFailure(at('unchained.mp3'), 'CORRUPT', /damaged MP3 file: no two consecutive MPEG audio frames/);
    await writeFile(at('chained.mp3'), frames(417));
    const { samples } = await decodeAll(at('chained.mp3'));
    expect(samples.length).toBe((40 * 1152) / 2);
  });
});

describe('content decides, not the name', () => {
  it('an MP3 named .flac decodes as MP3', async () => {
    await copyFile(fixtures.mp3, at('really-an-mp3.flac'));
    const { stream } = await decodeAll(at('really-an-mp3.flac'));
    expect(stream.format).toBe('MP3');
  });

  it('an MP3 with junk before its first frame is found by frame sync', async () => {
    const mp3 = await readFile(at('ten.mp3'));
    // Skip the ID3 tag, put 3000 bytes of text in front of the frames.
    const id3 = 10 + ((mp3[6]! << 21) | (mp3[7]! << 14) | (mp3[8]! << 7) | mp3[9]!);
    await writeFile(at('junk.mp3'), Buffer.concat([Buffer.from('x'.repeat(3000)), mp3.subarray(id3)]));
    const { samples, stream } = await decodeAll(at('junk.mp3'));
    expect(stream.format).toBe('MP3');
    expect(Math.abs(samples.length / 22050 - 10)).toBeLessThan(0.1);
  });

  it('a WAV file with an ID3v2 tag in front decodes as WAV', async () => {
    const tag = Buffer.concat([Buffer.from('ID3\x03\x00\x00\x00\x00\x00\x0b', 'latin1'), Buffer.alloc(11)]);
    await writeFile(at('id3.wav'), Buffer.concat([tag, await readFile(fixtures.wav)]));
    const { samples, stream } = await decodeAll(at('id3.wav'));
    expect(stream.format).toMatch(/^WAV/);
    expect(samples.length).toBe(33075);
  });

  it('a FLAC file with an ID3v2 tag in front decodes as FLAC', async () => {
    const tag = Buffer.concat([Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x14', 'latin1'), Buffer.alloc(20)]); // 20-byte empty tag
    await writeFile(at('id3.flac'), Buffer.concat([tag, await readFile(fixtures.flac)]));
    const { samples, stream } = await decodeAll(at('id3.flac'));
    expect(stream.format).toBe('FLAC');
    expect(samples.length).toBe(33075);
  });
});

describe('resources', () => {
  it.runIf(process.platform === 'linux')('leaves no file open after errors or early exits', async () => {
    const fds = (): number => readdirSync('/proc/self/fd').length;
    await decodeAll(fixtures.flac); // load the decoders once
    const before = fds();
    for (let i = 0; i < 5; i++) {
      await failure(await truncated(fixtures['m4a-alac'], `cut-${i}.m4a`, 0.5)); // cut before its moov
      await failure(at('adpcm.wav'));
      await failure(await truncated(fixtures.flac, `cut-${i}.flac`, 0.05));
      const s = await openAudio(fixtures.mp3);
      for await (const _ of s.blocks()) break;
    }
    expect(fds()).toBe(before);
  });
});
