// `linernotes transcribe <file> --midi out.mid` and `linernotes doctor`, in process.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../../../app/demo/wav.ts';
import { midiToNotes } from '../../../app/analysis/notes/midi.ts';
import { releaseModelSessions } from '../../../app/models/session.ts';
import { runInProcess } from '../../cli/run.ts';
import { synthTones, type KnownNote } from '../../models/tones.ts';

const KNOWN: KnownNote[] = [
  ...[36, 43, 45, 41].map((midi, i) => ({ midi, start: i, duration: 0.95 })),
  ...[64, 62, 60, 67, 69, 67, 65, 72].map((midi, i) => ({ midi, start: i * 0.5 + 0.02, duration: 0.45 })),
];

describe('linernotes transcribe', () => {
  afterAll(releaseModelSessions);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linernotes-transcribe-'));
  const wav = path.join(dir, 'tones.wav');
  fs.writeFileSync(wav, encodeWav([synthTones(KNOWN, 4.5)], 22050, {}));
  const before = crypto.createHash('sha256').update(fs.readFileSync(wav)).digest('hex');

  it('writes a MIDI file that re-reads with the known notes (pitch right, onset within 50 ms)', async () => {
    const mid = path.join(dir, 'out.mid');
    const r = await runInProcess(['transcribe', wav, '--midi', mid]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/tones\.wav: \d+ notes in 4\.5 s \(Basic Pitch 1\.0\.1 on \w+/);
    expect(r.stdout).toMatch(/melody range C4–C5 \(12 semitones\), mostly [A-G][♯♭]?[45]–[A-G][♯♭]?[45]\n/);
    expect(r.stdout).toMatch(/bass line \(per (beat|0\.5 s)\): C2 C2 G2 G2 A2 A2 F2 F2/);
    const notes = midiToNotes(fs.readFileSync(mid));
    for (const k of KNOWN) {
      expect(notes.some((n) => n.pitch === k.midi && Math.abs(n.start - k.start) <= 0.05), `note ${k.midi} at ${k.start} s`).toBe(true);
    }
    expect(notes.length).toBeLessThanOrEqual(Math.ceil(KNOWN.length / 0.8));
    // The audio file is never written to; an existing MIDI file is not replaced without --force.
    expect(crypto.createHash('sha256').update(fs.readFileSync(wav)).digest('hex')).toBe(before);
    const again = await runInProcess(['transcribe', wav, '--midi', mid]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists; add --force/);
    const self = await runInProcess(['transcribe', wav, '--midi', wav, '--force']);
    expect(self.code).toBe(2);
    expect(self.stderr).toMatch(/not the audio file itself/);
  });

  it('says clearly when the file is not audio or missing', async () => {
    const junk = path.join(dir, 'junk.mp3');
    fs.writeFileSync(junk, 'not audio at all');
    const r = await runInProcess(['transcribe', junk]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot transcribe junk\.mp3: /);
    expect((await runInProcess(['transcribe', path.join(dir, 'none.wav')])).code).toBe(2);
  });
});

describe('linernotes doctor', () => {
  it('reports runtime, providers, threads, versions, data folder and each model check', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linernotes-doctor-'));
    const r = await runInProcess(['--data-dir', dataDir, 'doctor', '--json']);
    const report = JSON.parse(r.stdout);
    expect(r.code).toBe(0);
    expect(report.node).toBe(process.version);
    expect(report.sqlite).toMatch(/^3\.\d+/);
    expect(report.sqliteVec).toMatch(/^v0\.1/);
    expect(report.dataDir.path).toBe(dataDir);
    expect(report.providerOrder.at(-1)).toBe('cpu');
    expect(report.threads).toBeGreaterThanOrEqual(1);
    expect(report.models).toEqual([expect.objectContaining({ name: 'basic-pitch', sha256: 'ok', error: null, licence: 'Apache-2.0' })]);
    expect(['cuda', 'dml', 'coreml', 'webgpu', 'cpu']).toContain(report.models[0].provider);
    expect(report.healthy).toBe(true);
  });
});
