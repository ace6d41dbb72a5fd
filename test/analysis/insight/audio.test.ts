// The insight written by the real analysis (analyzeFile): digital silence says there is nothing to
// describe; a demo song's description names what the song was built with.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import path from 'node:path';
import { analyzeFile } from '../../../app/analysis/analyze.ts';
import { demoSongWav } from '../../../app/demo/library.ts';
import { DEMO_SONGS } from '../../../app/demo/songs.ts';
import { encodeWav } from '../../../app/demo/wav.ts';
import { tempDir } from '../../library/helpers.ts';

let dir: string;
const tags = { title: 'test', artist: 'test', album: '', genre: '', year: 2026, track: 1, comment: '' };

beforeAll(async () => {
  dir = await tempDir('ln-insight-audio-');
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('insight of real analyses', () => {
  it('digital silence: not enough musical content, and no invented facts', async () => {
    const file = path.join(dir, 'silence.wav');
    const rate = 22050;
    await fs.writeFile(file, encodeWav([new Float32Array(rate * 8), new Float32Array(rate * 8)], rate, tags));
    const a = await analyzeFile(file);
    expect(a.insight.paragraphs).toEqual(['There is not enough musical content here to describe: it is silent (below the −70 LUFS gate of BS.1770).']);
    expect(a.insight.claims).toHaveLength(1);
  });

  it('a demo song: its key, tempo, waltz meter and Picardy third, with times inside the track', async () => {
    const spec = DEMO_SONGS.find((s) => s.title === 'Waltz of the Lanterns')!;
    const file = path.join(dir, 'waltz.wav');
    await fs.writeFile(file, demoSongWav(spec, 22050));
    const a = await analyzeFile(file);
    const text = a.insight.paragraphs.join(' ');
    expect(text).toMatch(/D minor/);
    expect(text).toMatch(/3\/4/);
    expect(text).toMatch(/132 BPM/);
    expect(text).toMatch(/Picardy third/);
    expect(text).not.toMatch(/NaN|undefined|null/);
    for (const c of a.insight.claims) for (const e of c.evidence) expect(e.end).toBeLessThanOrEqual(a.durationSec);
  }, 60_000);
});
