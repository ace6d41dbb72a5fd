// The MPEG audio decoder (app/audio/minimp3.ts: minimp3 built to WebAssembly SIMD by
// build/wasm/build-wasm.js) against ffmpeg's decoder, sample by sample, on signals with onsets
// (gated tones) and sweeps, over the MPEG versions, layers and channel modes; plus the gapless trim,
// a mid-stream rate change, tags at the end, and the committed module being what the sources build.
import { execFileSync } from 'node:child_process';
import { writeFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAll, ffmpeg, ffmpegDecodeAverage, tempDir } from './helpers.ts';

/** Gated tones (an onset every 0.25 s) over a sweep: short blocks and long ones. Channel 2 differs. */
const SIGNAL = (rate: number, channels: number): string[] => {
  const left = '0.3*sin(2*PI*440*t)*lt(mod(t\\,0.5)\\,0.25)+0.05*sin(2*PI*(100+400*t)*t)';
  const right = '0.2*sin(2*PI*660*t)*gte(mod(t\\,0.5)\\,0.25)+0.05*sin(2*PI*(150+300*t)*t)';
  return ['-f', 'lavfi', '-i', `aevalsrc=${channels === 2 ? `${left}|${right}` : left}:s=${rate}:d=2`];
};

const CASES: { file: string; rate: number; channels: number; args: string[]; format: string }[] = [
  { file: 'stereo-44k.mp3', rate: 44100, channels: 2, args: ['-c:a', 'libmp3lame', '-b:a', '192k'], format: 'MP3' }, // joint stereo
  { file: 'stereo-lr-48k.mp3', rate: 48000, channels: 2, args: ['-c:a', 'libmp3lame', '-b:a', '256k', '-joint_stereo', '0'], format: 'MP3' },
  { file: 'vbr-44k.mp3', rate: 44100, channels: 2, args: ['-c:a', 'libmp3lame', '-q:a', '2'], format: 'MP3' },
  { file: 'mono-32k.mp3', rate: 32000, channels: 1, args: ['-c:a', 'libmp3lame', '-b:a', '96k'], format: 'MP3' },
  { file: 'mpeg2-22k.mp3', rate: 22050, channels: 2, args: ['-c:a', 'libmp3lame', '-b:a', '64k'], format: 'MP3' },
  { file: 'mpeg25-8k.mp3', rate: 8000, channels: 1, args: ['-c:a', 'libmp3lame', '-b:a', '32k'], format: 'MP3' },
  { file: 'layer2.mp2', rate: 44100, channels: 2, args: ['-c:a', 'mp2', '-b:a', '192k'], format: 'MP2' },
  { file: 'no-xing.mp3', rate: 44100, channels: 2, args: ['-c:a', 'libmp3lame', '-b:a', '128k', '-write_xing', '0'], format: 'MP3' },
];

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('minimp3'));
  await Promise.all(CASES.map((c) => ffmpeg([...SIGNAL(c.rate, c.channels), ...c.args, path.join(dir, c.file)])));
}, 60_000);
afterAll(async () => cleanup?.());

describe('minimp3 against ffmpeg', () => {
  it.each(CASES)('$file: the same samples, the same length (gapless trim included)', async (c) => {
    // At the file's own rate there is no resampling: the mono mix is the channel average of the decode.
    const { samples, stream } = await decodeAll(path.join(dir, c.file), { sampleRate: c.rate });
    expect(stream.format).toBe(c.format);
    expect(stream.warnings).toEqual([]);
    const reference = await ffmpegDecodeAverage(path.join(dir, c.file), c.channels);
    expect(samples.length).toBe(reference.length);
    let maxDiff = 0;
    for (let i = 0; i < samples.length; i++) maxDiff = Math.max(maxDiff, Math.abs(samples[i]! - reference[i]!));
    // Layer II dequantises in a different order from ffmpeg's: −90 dB apart rather than −100.
    expect(maxDiff).toBeLessThan(c.format === 'MP2' ? 1e-4 : 1e-5);
  });

  it('a file made of two MP3s at different rates: both parts, each at its rate', async () => {
    const a = await readFile(path.join(dir, 'stereo-44k.mp3'));
    const b = await readFile(path.join(dir, 'stereo-lr-48k.mp3'));
    await writeFile(path.join(dir, 'joined.mp3'), Buffer.concat([a, b]));
    const { samples, stream } = await decodeAll(path.join(dir, 'joined.mp3'), { sampleRate: 22050 });
    expect(stream.warnings.join('\n')).toMatch(/sample rate changes from 44100 to 48000 Hz/);
    // 2 s each (the second file's Info frame decodes as one frame of silence, as it does in any player that joins files).
    expect(Math.abs(samples.length / 22050 - 4)).toBeLessThan(0.1);
  });

  it('ID3v1 and APEv2 tags at the end are not taken for damage', async () => {
    const mp3 = await readFile(path.join(dir, 'stereo-44k.mp3'));
    const ape = Buffer.alloc(64);
    for (const at of [0, 32]) {
      ape.write('APETAGEX', at, 'latin1');
      ape.writeUInt32LE(2000, at + 8); // version
      ape.writeUInt32LE(32, at + 12); // size: the footer, no items
      ape.writeUInt32LE(0, at + 16);
      ape.writeUInt32LE(at === 0 ? 0xa0000000 : 0x80000000, at + 20); // header present (and: this is it)
    }
    const id3v1 = Buffer.concat([Buffer.from('TAG', 'latin1'), Buffer.alloc(125, 0x20)]);
    await writeFile(path.join(dir, 'tagged.mp3'), Buffer.concat([mp3, ape, id3v1]));
    const clean = await decodeAll(path.join(dir, 'stereo-44k.mp3'));
    const tagged = await decodeAll(path.join(dir, 'tagged.mp3'));
    expect(tagged.stream.warnings).toEqual([]);
    expect(tagged.samples.length).toBe(clean.samples.length);
  });
});

const hasClang = ((): boolean => {
  try {
    execFileSync('clang', ['--version'], { stdio: 'ignore' });
    execFileSync('wasm-ld', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

// Where clang and lld are installed (not in CI: the module is committed, so installing needs neither).
it.runIf(hasClang)('app/audio/minimp3Wasm.ts is what build/wasm/minimp3/ compiles to', () => {
  const repo = path.resolve(import.meta.dirname, '../..');
  expect(() => execFileSync(process.execPath, [path.join(repo, 'build/wasm/build-wasm.js'), '--check'], { stdio: 'pipe' })).not.toThrow();
}, 60_000);
