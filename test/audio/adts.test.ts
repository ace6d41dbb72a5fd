// Raw AAC (ADTS, ".aac"): decoded through the user's ffmpeg like AAC in M4A (present: a tone of the
// right pitch and length; absent: a clear error naming ADTS/AAC and what to install).
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DecodeError } from '../../app/audio/decode.ts';
import { decodeAll, ffmpeg, middle, tempDir, zeroCrossingFrequency } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
const at = (name: string): string => path.join(dir, name);

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('adts'));
  await ffmpeg(['-f', 'lavfi', '-i', 'sine=f=440:r=44100:d=3', '-ac', '2', '-c:a', 'aac', '-b:a', '128k', '-f', 'adts', at('tone.aac')]);
}, 60_000);
afterAll(() => cleanup());

describe('ADTS AAC through ffmpeg', () => {
  const saved = process.env.LINERNOTES_FFMPEG;
  afterEach(() => {
    if (saved === undefined) delete process.env.LINERNOTES_FFMPEG;
    else process.env.LINERNOTES_FFMPEG = saved;
  });

  it('with ffmpeg on PATH: a 3 s 440 Hz tone of the right length, the stereo source tapped at 44.1 kHz', async () => {
    delete process.env.LINERNOTES_FFMPEG;
    let tapped = 0;
    let tapChannels = 0;
    const { samples, stream } = await decodeAll(at('tone.aac'), {
      onSource: (ch, n) => {
        tapped += n;
        tapChannels = ch.length;
      },
    });
    expect(stream.format).toBe('ADTS AAC (decoded by ffmpeg)');
    expect(Math.abs(samples.length / 22050 - 3)).toBeLessThan(0.05);
    expect(Math.abs(zeroCrossingFrequency(middle(samples, 4000), 22050) - 440)).toBeLessThan(1);
    expect(tapChannels).toBe(2);
    expect(Math.abs(tapped / 44100 - 3)).toBeLessThan(0.05);
  });

  it('with LINERNOTES_FFMPEG pointing nowhere: UNSUPPORTED_CODEC naming ADTS/AAC and what to install', async () => {
    process.env.LINERNOTES_FFMPEG = at('no-such-ffmpeg');
    const err = await decodeAll(at('tone.aac')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DecodeError);
    expect(err).toMatchObject({ code: 'UNSUPPORTED_CODEC', file: at('tone.aac') });
    expect((err as Error).message).toMatch(/^ADTS\/AAC audio can't be decoded: "tone\.aac" holds AAC.*Install ffmpeg/);
  });
});
