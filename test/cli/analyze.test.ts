import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import path from 'node:path';
import { EXIT } from '../../app/cli/exitCodes.ts';
import { runInProcess } from './run.ts';
import { writeDemoLibrary } from '../../app/demo/library.ts';
import { DEMO_SONGS } from '../../app/demo/songs.ts';
import { jamsSegments, parseJams } from '../../app/analysis/jams.ts';
import { openStore } from '../../app/store/index.ts';
import { tempDir } from '../library/helpers.ts';

const cli = runInProcess;

let base: string;
let data: string;
let music: string;
const songs = DEMO_SONGS.filter((s) => ['Borrowed Light', 'Night Ferry', 'Waltz of the Lanterns'].includes(s.title));

beforeAll(async () => {
  base = await tempDir('ln-analyze-');
  data = path.join(base, 'data');
  music = path.join(base, 'music');
  await writeDemoLibrary(music, { songs });
  expect((await cli(['--data-dir', data, 'scan', music])).code).toBe(EXIT.OK);
});
afterAll(async () => {
  await fs.rm(base, { recursive: true, force: true });
});

describe('linernotes analyze', () => {
  it('analyses every library track, stores the results, and a second run has nothing to do', async () => {
    const first = await cli(['--data-dir', data, 'analyze']);
    expect(first.code, first.stderr).toBe(EXIT.OK);
    expect(first.stdout).toMatch(/analysed 3 track\(s\)/);
    const store = openStore(data);
    expect(store.analyses.analysedCount()).toBe(3);
    for (const t of store.tracks.list()) {
      const spec = songs.find((s) => s.title === t.title)!;
      const summary = store.analyses.summary(t.id)!;
      expect(summary.keyTonic, t.title!).toBe(spec.key.tonic);
      expect(summary.keyMode, t.title!).toBe(spec.key.mode);
      expect(summary.meter, t.title!).toBe(spec.meter);
    }
    store.close();
    const second = await cli(['--data-dir', data, 'analyze']);
    expect(second.stdout).toMatch(/up to date/);
  });

  it('prints a readable summary of one track and writes a valid JAMS file', async () => {
    const file = path.join(music, 'Juniper Vale - Borrowed Light.wav');
    const jams = path.join(base, 'borrowed.jams');
    const r = await cli(['--data-dir', data, 'analyze', file, '--jams', jams]);
    expect(r.code, r.stderr).toBe(EXIT.OK);
    expect(r.stdout).toMatch(/Key\s+C major \(8B\)/);
    expect(r.stdout).toMatch(/Tempo\s+12[78]\.\d BPM/);
    expect(r.stdout).toMatch(/borrowed/i);
    // The written description comes first, in layers: surface (tempo, key, loudness), middle (harmony, form), top (mood).
    const [surface, middle, top] = r.stdout.split('\n\n').slice(1, 4).map((p) => p.replace(/\n/g, ' '));
    expect(surface).toMatch(/128 BPM/);
    expect(surface).toMatch(/C major/);
    expect(surface).toMatch(/LUFS/);
    expect(middle).toMatch(/♭VI–♭VII \(A♭–B♭\)[^.]* at 0:1\d/);
    expect(top).toMatch(/mood|feels|character|comes across|seems|track/i);
    expect(r.stdout).toMatch(/Loudness\s+-\d+\.\d LUFS integrated/);
    expect(r.stdout).toMatch(/Form\s+\S*chorus/);
    expect(r.stdout).not.toMatch(/NaN|undefined/);
    const doc = parseJams(await fs.readFile(jams, 'utf8'));
    expect(doc.annotations.map((a) => a.namespace).sort()).toEqual(['beat', 'chord', 'key_mode', 'segment_open', 'tempo']);
    const sections = jamsSegments(doc);
    expect(sections.length).toBeGreaterThanOrEqual(2);
    expect(sections.map((x) => x.label)).toContain('chorus');
    expect(sections[sections.length - 1]!.end).toBeLessThanOrEqual(doc.file_metadata.duration! + 1e-6);
  });

  it('--json gives the measurements; bad targets give clear errors', async () => {
    const json = JSON.parse((await cli(['--data-dir', data, 'analyze', '1', '--json'])).stdout);
    expect(json.rhythm.bpm).toBeGreaterThan(60);
    expect(json.chords.chords.length).toBeGreaterThan(5);
    for (const k of ['loudness', 'sound', 'form', 'descriptors', 'insight']) expect(json, k).toHaveProperty(k);
    expect(json.insight.paragraphs.length).toBeGreaterThanOrEqual(2);
    expect(json.insight.claims.every((c: { evidence: unknown[] }) => c.evidence.length > 0)).toBe(true);
    expect(json.loudness.integratedLufs).toBeLessThan(0);
    const missing = await cli(['--data-dir', data, 'analyze', path.join(base, 'nope.mp3')]);
    expect(missing.code).toBe(EXIT.USAGE);
    expect(missing.stderr).toMatch(/file not found/);
    await fs.writeFile(path.join(base, 'text.mp3'), 'not audio at all');
    const text = await cli(['--data-dir', data, 'analyze', path.join(base, 'text.mp3')]);
    expect(text.code).toBe(EXIT.FILE_ERRORS);
    expect(text.stderr).toMatch(/cannot analyse text\.mp3/);
  });
});
