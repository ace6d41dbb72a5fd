// The loudness analyser on real files through the single decode pass: openAudio's source tap →
// runPipeline (tapSource) → processSource. Files are 32-bit float WAVs written here, and a FLAC.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAudio } from '../../../app/audio/decode.ts';
import { runPipeline } from '../../../app/analysis/pipeline.ts';
import { createLoudnessAnalyser } from '../../../app/analysis/loudness/index.ts';
import type { Analyser, LoudnessResult } from '../../../app/analysis/types.ts';
import { ffmpeg, tempDir } from '../../audio/helpers.ts';
import { sineSequence } from './signals.ts';

/** A 32-bit float WAV of planar channels. */
function floatWav(channels: Float32Array[], rate: number): Buffer {
  const n = channels[0]!.length;
  const c = channels.length;
  const data = Buffer.alloc(n * c * 4);
  for (let i = 0; i < n; i++) for (let k = 0; k < c; k++) data.writeFloatLE(channels[k]![i]!, (i * c + k) * 4);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(3, 20); // IEEE float
  h.writeUInt16LE(c, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * c * 4, 28);
  h.writeUInt16LE(c * 4, 32);
  h.writeUInt16LE(32, 34);
  h.write('data', 36);
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

/** Decodes `file` once and runs only the loudness analyser (plus a mono sample counter) over it. */
async function analyse(file: string): Promise<{ loudness: LoudnessResult; monoSamples: number; timings: Record<string, number> }> {
  const stream = await openAudio(file);
  let monoSamples = 0;
  const counter: Analyser<number> = { name: 'count', version: 1, dependsOn: [], process: (b) => void (monoSamples += b.length), finish: () => monoSamples };
  const run = await runPipeline(stream.info, stream.blocks(), [createLoudnessAnalyser() as Analyser<unknown>, counter as Analyser<unknown>], {
    tapSource: (sink) => stream.tapSource(sink),
  });
  return { loudness: run.results.loudness as LoudnessResult, monoSamples, timings: run.timings };
}

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('loudness'));
  const side = sineSequence([{ dbfs: -28, seconds: 10 }]);
  const centre = sineSequence([{ dbfs: -24, seconds: 10 }]);
  const surround = sineSequence([{ dbfs: -30, seconds: 10 }]);
  const lfe = sineSequence([{ dbfs: -10, seconds: 10 }], { freq: 60 });
  await writeFile(path.join(dir, 'surround.wav'), floatWav([side, side, centre, lfe, surround, surround], 48000));
  await ffmpeg(['-i', path.join(dir, 'surround.wav'), '-c:a', 'flac', '-sample_fmt', 's32', path.join(dir, 'surround.flac')]);
  const tone44 = sineSequence([{ dbfs: -23, seconds: 10 }], { rate: 44100 });
  await writeFile(path.join(dir, 'stereo44.wav'), floatWav([tone44, tone44], 44100));
  await writeFile(path.join(dir, 'mono.wav'), floatWav([sineSequence([{ dbfs: -20, seconds: 5 }])], 48000));
}, 60_000);
afterAll(() => cleanup());

describe('loudness through the decode pass', () => {
  it.each(['surround.wav', 'surround.flac'])('measures 5.1 (%s) with the BS.1770 weights: −23 LUFS, the loud LFE left out', async (name) => {
    const { loudness, monoSamples, timings } = await analyse(path.join(dir, name));
    expect(loudness.channels).toBe(6);
    expect(loudness.sampleRate).toBe(48000);
    expect(Math.abs(loudness.integratedLufs! + 23)).toBeLessThan(0.1);
    expect(Math.abs(loudness.truePeakDbtp! + 10)).toBeLessThan(0.2); // the LFE's peak still counts for true peak
    expect(Math.abs(monoSamples - 10 * 22050)).toBeLessThan(100); // the mono analysis stream is still there
    expect(timings.loudness).toBeGreaterThan(0);
  });

  it('measures a stereo 44.1 kHz file at its own rate: −23 dBFS per channel is −23 LUFS', async () => {
    const { loudness } = await analyse(path.join(dir, 'stereo44.wav'));
    expect(loudness.sampleRate).toBe(44100);
    expect(loudness.channels).toBe(2);
    expect(Math.abs(loudness.integratedLufs! + 23)).toBeLessThan(0.1);
    expect(loudness.stereoWidth).toBe(0);
  });

  it('measures a mono file as one channel', async () => {
    const { loudness } = await analyse(path.join(dir, 'mono.wav'));
    expect(loudness.channels).toBe(1);
    expect(Math.abs(loudness.integratedLufs! + 23.01)).toBeLessThan(0.1);
  });
});
