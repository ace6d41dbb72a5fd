// Our ONNX conversion of Basic Pitch against the original TF.js model, on the same audio.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { convertBasicPitch } from '../../build/models/convert-basic-pitch.ts';
import { runBasicPitch } from '../../app/analysis/notes/basicPitch.ts';
import { noteFramesToTime, outputToNotesPoly } from '../../app/analysis/notes/postprocess.ts';
import { loadManifest, findModel } from '../../app/models/manifest.ts';
import { releaseModelSessions } from '../../app/models/session.ts';
import { bp, runOriginal } from './tfjsBasicPitch.ts';
import { synthTones } from './tones.ts';

const REPO = path.resolve(import.meta.dirname, '../..');

/** Largest |a − b| between a flat matrix and the original's nested rows. */
function maxAbsDiff(flat: Float32Array, rows: number[][], width: number): number {
  expect(flat.length).toBe(rows.length * width);
  let m = 0;
  rows.forEach((row, r) => {
    expect(row.length).toBe(width);
    row.forEach((v, c) => (m = Math.max(m, Math.abs(v - flat[r * width + c]!))));
  });
  return m;
}

const nested = (flat: Float32Array, n: number, width: number): number[][] => Array.from({ length: n }, (_, r) => Array.from(flat.subarray(r * width, (r + 1) * width)));

describe('Basic Pitch in ONNX', () => {
  afterAll(releaseModelSessions);

  it('gives the same posteriorgrams and notes as the original TF.js model (max abs diff ≤ 1e-4)', async () => {
    // 2.6 s: two model windows, so the windowing and the overlap trimming are compared too.
    const audio = synthTones(
      [
        { midi: 48, start: 0.1, duration: 1.2 },
        { midi: 60, start: 0.3, duration: 0.6 },
        { midi: 64, start: 0.9, duration: 0.6 },
        { midi: 67, start: 1.5, duration: 0.9 },
        { midi: 43, start: 1.6, duration: 0.8 },
      ],
      2.6,
    );
    const original = await runOriginal(audio);
    const ours = await runBasicPitch(audio, { threads: 1, providers: ['cpu'], log: () => {} });
    expect(ours.nFrames).toBe(original.frames.length);
    const diffs = {
      note: maxAbsDiff(ours.frames, original.frames, 88),
      onset: maxAbsDiff(ours.onsets, original.onsets, 88),
      contour: maxAbsDiff(ours.contours, original.contours, 264),
    };
    console.log('max abs diff ONNX vs TF.js:', diffs);
    expect(diffs.note).toBeLessThanOrEqual(1e-4);
    expect(diffs.onset).toBeLessThanOrEqual(1e-4);
    expect(diffs.contour).toBeLessThanOrEqual(1e-4);

    // The ported note decoding gives exactly the original's notes on the same posteriorgrams …
    const oursNotes = noteFramesToTime(outputToNotesPoly(ours.frames, ours.onsets, ours.nFrames));
    const theirs = bp.noteFramesToTime(bp.outputToNotesPoly(nested(ours.frames, ours.nFrames, 88), nested(ours.onsets, ours.nFrames, 88), 0.5, 0.3, 5, true, null, null, true, 11));
    expect(oursNotes.length).toBeGreaterThanOrEqual(5);
    expect(oursNotes).toEqual(theirs.map((n) => ({ pitchMidi: n.pitchMidi, amplitude: n.amplitude, startTimeSeconds: n.startTimeSeconds, durationSeconds: n.durationSeconds })));
    // … and the same notes as the whole original pipeline (TF.js posteriorgrams).
    const fromOriginal = bp.noteFramesToTime(bp.outputToNotesPoly(original.frames, original.onsets, 0.5, 0.3, 5, true, null, null, true, 11));
    expect(oursNotes.map((n) => [n.pitchMidi, n.startTimeSeconds, n.durationSeconds])).toEqual(fromOriginal.map((n) => [n.pitchMidi, n.startTimeSeconds, n.durationSeconds]));
  }, 180_000); // the original runs on TF.js's pure-JS CPU backend: ~10 s of CPU, longer on a busy machine

  it('re-running the converter reproduces the committed file byte for byte', () => {
    const bytes = convertBasicPitch();
    const sha = crypto.createHash('sha256').update(bytes).digest('hex');
    const entry = findModel(loadManifest(path.join(REPO, 'native-models')), 'basic-pitch');
    expect(sha).toBe(entry.sha256);
    expect(Buffer.compare(Buffer.from(bytes), fs.readFileSync(path.join(REPO, 'native-models', entry.file)))).toBe(0);
  });
});
