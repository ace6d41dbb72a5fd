// sniff.ts tells MP3, FLAC and Ogg apart by their first bytes without loading file-type: quickMime must
// agree with file-type wherever it answers, and answer null (leave it to file-type) for everything else.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quickMime } from '../../app/audio/sniff.ts';
import { ffmpeg, tempDir } from './helpers.ts';

let dir: { dir: string; cleanup: () => Promise<void> };
const at = (name: string): string => path.join(dir.dir, name);
const TONE = 'sine=frequency=440:sample_rate=44100:duration=2';

beforeAll(async () => {
  dir = await tempDir('sniff-quick-');
  await Promise.all([
    ffmpeg(['-f', 'lavfi', '-i', TONE, '-ac', '2', '-c:a', 'libmp3lame', '-b:a', '128k', '-write_xing', '0', '-id3v2_version', '0', at('plain.mp3')]),
    ffmpeg(['-f', 'lavfi', '-i', TONE, '-ac', '1', '-c:a', 'mp2', '-b:a', '128k', at('tone.mp2')]),
    ffmpeg(['-f', 'lavfi', '-i', TONE, '-ac', '2', '-c:a', 'flac', at('tone.flac')]),
    ffmpeg(['-f', 'lavfi', '-i', TONE, '-ac', '2', '-c:a', 'libvorbis', at('tone.ogg')]),
    ffmpeg(['-f', 'lavfi', '-i', TONE, '-ac', '2', '-c:a', 'libopus', at('tone.opus')]),
    ffmpeg(['-f', 'lavfi', '-i', TONE, '-ac', '2', '-c:a', 'pcm_s16le', at('tone.wav')]),
    ffmpeg(['-f', 'lavfi', '-i', TONE, '-ac', '2', '-c:a', 'aac', at('tone.m4a')]),
    ffmpeg(['-f', 'lavfi', '-i', TONE, '-ac', '2', '-c:a', 'aac', '-f', 'adts', at('tone.aac')]),
  ]);
  await writeFile(at('notes.txt'), 'These are my liner notes.\n'.repeat(200));
}, 60_000);
afterAll(() => dir.cleanup());

const head = async (name: string): Promise<Uint8Array> => new Uint8Array(await readFile(at(name))).subarray(0, 64 * 1024);

describe('quickMime', () => {
  it.each([
    ['plain.mp3', 'audio/mpeg'],
    ['tone.mp2', 'audio/mpeg'],
    ['tone.flac', 'audio/flac'],
    ['tone.ogg', 'audio/ogg'],
    ['tone.opus', 'audio/ogg'],
  ])('%s: %s, as file-type says (Ogg of any codec takes the one Ogg path)', async (name, mime) => {
    const h = await head(name);
    expect(quickMime(h)).toBe(mime);
    const ft = await fileTypeFromBuffer(h.subarray(0, 4100));
    const ogg = ft && (ft.mime.startsWith('audio/ogg') || ft.mime === 'application/ogg' || ft.mime === 'video/ogg'); // sniff's Ogg test
    expect(ogg ? 'audio/ogg' : ft?.mime).toBe(mime);
  });

  it.each(['tone.wav', 'tone.m4a', 'tone.aac', 'notes.txt'])('%s: no answer, file-type decides', async (name) => {
    expect(quickMime(await head(name))).toBeNull();
  });

  it('a lone MPEG frame header (no second frame after it) is left to file-type', async () => {
    const h = await head('plain.mp3');
    const lone = new Uint8Array(2000);
    lone.set(h.subarray(0, 4));
    expect(quickMime(lone)).toBeNull();
    expect(quickMime(new Uint8Array(0))).toBeNull();
  });
});
