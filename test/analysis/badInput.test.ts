// Whole-file analysis of awkward input: each gives finite numbers and honest confidences, never a
// crash, a hang or a NaN.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { analyzeFile } from '../../app/analysis/analyze.ts';
import type { TrackAnalysis } from '../../app/analysis/types.ts';
import { DEMO_SONGS } from '../../app/demo/songs.ts';
import { demoSongWav } from '../../app/demo/library.ts';
import { tempDir } from '../library/helpers.ts';

let dir: string;
let song: string;

const ffmpeg = (...args: string[]) => execFileSync('ffmpeg', ['-v', 'error', '-y', ...args]);

/** Every number anywhere in the analysis. */
function numbers(value: unknown, out: number[] = []): number[] {
  if (typeof value === 'number') out.push(value);
  else if (Array.isArray(value)) for (const v of value) numbers(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) numbers(v, out);
  return out;
}

function expectSane(a: TrackAnalysis): void {
  expect(numbers(a).every(Number.isFinite)).toBe(true);
  for (const c of [a.rhythm.confidence, a.rhythm.meterConfidence, a.key.confidence, ...a.chords.chords.map((c) => c.confidence)]) {
    expect(c).toBeGreaterThanOrEqual(0);
    expect(c).toBeLessThanOrEqual(1);
  }
}

beforeAll(async () => {
  dir = await tempDir('ln-bad-audio-');
  song = path.join(dir, 'song.wav');
  const spec = DEMO_SONGS.find((s) => s.title === 'Borrowed Light')!;
  await fs.writeFile(song, demoSongWav(spec, 44100));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('analysis of awkward input', () => {
  it('silence: no tempo, no key claimed with confidence, only N chords', async () => {
    const f = path.join(dir, 'silence.wav');
    ffmpeg('-f', 'lavfi', '-i', 'anullsrc=r=44100:cl=stereo', '-t', '10', f);
    const a = await analyzeFile(f);
    expectSane(a);
    expect(a.rhythm.confidence).toBeLessThan(0.2);
    expect(a.key.confidence).toBeLessThan(0.2);
    expect(a.chords.chords.every((c) => c.quality === 'N')).toBe(true);
    expect(a.theory.devices).toEqual([]);
  });

  it('white noise and a single sine: low confidence', async () => {
    const noise = path.join(dir, 'noise.wav');
    const sine = path.join(dir, 'sine.wav');
    ffmpeg('-f', 'lavfi', '-i', 'anoisesrc=r=44100:a=0.3:seed=7', '-t', '10', noise);
    ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=44100', '-t', '10', sine);
    for (const f of [noise, sine]) {
      const a = await analyzeFile(f);
      expectSane(a);
      expect(a.rhythm.confidence, f).toBeLessThan(0.3);
    }
  });

  it('8 kHz, 192 kHz, 5.1 channels and heavy clipping still give the song its key and tempo', async () => {
    const variants = {
      '8k.wav': ['-ar', '8000'],
      '192k.flac': ['-ar', '192000'],
      '51.flac': ['-af', 'pan=5.1|FL=c0|FR=c1|FC=0.5*c0+0.5*c1|LFE=0*c0|BL=c0|BR=c1'],
      'clipped.wav': ['-af', 'volume=12dB,alimiter=limit=0.9:attack=0.1:release=1,volume=6dB'],
    };
    for (const [name, args] of Object.entries(variants)) {
      const f = path.join(dir, name);
      ffmpeg('-i', song, ...args, f);
      const a = await analyzeFile(f);
      expectSane(a);
      expect(a.key.global, name).toEqual({ tonic: 0, mode: 'major' });
      expect(Math.abs(a.rhythm.bpm - 128), name).toBeLessThan(3);
    }
  }, 120_000);

  it('a one-second file: finite results, low confidence', async () => {
    const f = path.join(dir, 'short.wav');
    ffmpeg('-i', song, '-t', '1', f);
    const a = await analyzeFile(f);
    expectSane(a);
    expect(a.durationSec).toBeCloseTo(1, 1);
    expect(a.rhythm.confidence).toBeLessThan(0.5);
  });
});
