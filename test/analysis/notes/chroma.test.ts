import { describe, expect, it } from 'vitest';
import { featuresWithNoteChroma, mixChroma, noteChroma } from '../../../app/analysis/notes/chroma.ts';
import type { TranscribedNote } from '../../../app/analysis/notes/types.ts';
import type { FrontEndFeatures } from '../../../app/analysis/types.ts';

const n = (pitch: number, start: number, end: number, velocity = 1): TranscribedNote => ({ pitch, start, end, velocity });
const row = (m: Float32Array, i: number) => Array.from(m.subarray(i * 12, i * 12 + 12), (v) => Math.round(v * 1000) / 1000);

describe('note-level chroma', () => {
  // 10 frames a second, 3 s: C4 (loud) and E4 (half as loud) for the first second over a C2 held for two.
  const notes = [n(60, 0, 1), n(64, 0, 1, 0.5), n(36, 0, 2)];
  const { treble, bass } = noteChroma(notes, 30, 10);

  it('treble: every note from C3 up, weighted by amplitude, each frame summing to 1', () => {
    expect(row(treble, 5)).toEqual([0.667, 0, 0, 0, 0.333, 0, 0, 0, 0, 0, 0, 0]);
    // Only the C2 sounds: below the treble, so the treble row is empty; nothing at all after 2 s.
    expect(row(treble, 15).every((v) => v === 0)).toBe(true);
    expect(row(treble, 25).every((v) => v === 0)).toBe(true);
  });

  it('bass: the lowest sounding note, when below C4', () => {
    expect(row(bass, 5)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(row(bass, 15)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const high = noteChroma([n(67, 0, 1)], 10, 10);
    expect(row(high.bass, 5).every((v) => v === 0)).toBe(true);
    expect(row(high.treble, 5)[7]).toBe(1);
  });

  it('ignores notes that have no length, no amplitude or a non-finite pitch, and clips notes to the frames', () => {
    const odd = noteChroma([n(60, 1, 1), n(62, 0, 1, 0), n(Number.NaN, 0, 1), n(64, -1, 99)], 10, 10);
    for (let i = 0; i < 10; i++) expect(row(odd.treble, i)).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(noteChroma([], 0, 10).treble.length).toBe(0);
  });

  it("mixes per frame; where no note sounds the audio's row is kept whole", () => {
    const audio = Float32Array.from([...new Array(12).fill(1 / 12), ...new Array(12).fill(1 / 12)]);
    const fromNotes = new Float32Array(24);
    fromNotes[0] = 1; // first frame: C only; second frame: nothing
    const mixed = mixChroma(audio, fromNotes, 0.5);
    expect(mixed[0]).toBeCloseTo(0.5 / 12 + 0.5, 6);
    expect(mixed[1]).toBeCloseTo(0.5 / 12, 6);
    expect(Array.from(mixed.subarray(12))).toEqual(Array.from(audio.subarray(12)));
    expect(Array.from(mixChroma(audio, fromNotes, 0))).toEqual(Array.from(audio));
  });

  it("replaces only the features' chroma", () => {
    const frames = 20;
    const features = { frameRate: 10, frameCount: frames, durationSec: 2, chromaTreble: new Float32Array(frames * 12).fill(1 / 12), chromaBass: new Float32Array(frames * 12).fill(1 / 12), rms: new Float32Array(frames) } as unknown as FrontEndFeatures;
    const out = featuresWithNoteChroma(features, [n(57, 0, 2)], { treble: 1, bass: 0 });
    expect(out.rms).toBe(features.rms);
    expect(row(out.chromaTreble, 3)[9]).toBe(1);
    expect(Array.from(out.chromaBass)).toEqual(Array.from(features.chromaBass));
  });
});
