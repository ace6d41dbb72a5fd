import { describe, expect, it } from 'vitest';
import { VECTOR_DIMENSIONS, VECTOR_LENGTH, similarityVector } from '../../../app/analysis/vector/index.ts';
import type { VectorInput } from '../../../app/analysis/vector/index.ts';
import type { ChordSegment } from '../../../app/analysis/types.ts';

function chord(start: number, end: number, root: number, quality: ChordSegment['quality']): ChordSegment {
  return { start, end, root, quality, bass: root, confidence: 0.8, label: `${root}:${quality}` };
}

function input(shift = 0, o: Partial<VectorInput['sound']> = {}): VectorInput {
  const t = (pc: number) => (pc + shift) % 12;
  return {
    sound: {
      spectralCentroidHz: { mean: 1400, std: 500 }, spectralRolloffHz: { mean: 2500, std: 700 }, spectralFlatness: { mean: 0.02, std: 0.01 },
      spectralContrast: [20, 22, 25, 28, 30, 26, 10], mfcc: { mean: [-300, 120, 5, -3, 2, 1, 0, -1, 2, 0, 1, 0, -1], std: [30, 15, 12, 10, 8, 6, 6, 4, 4, 4, 4, 4, 4] },
      dynamicRangeDb: 9, energy: { hop: 0.5, values: [1] }, onsetDensity: 2.5, harmonicRatio: 0.7,
      vocals: { presence: 0, confidence: 0.3, curve: { hop: 1, values: [] }, segments: [] }, ...o,
    },
    rhythm: { bpm: 100, confidence: 0.8, tempoCurve: [], beats: [], downbeats: [], meter: '4/4', beatsPerBar: 4, meterConfidence: 0.8 },
    key: { global: { tonic: t(0), mode: 'major' }, confidence: 0.8, segments: [] },
    chords: { chords: [chord(0, 2, t(0), 'maj'), chord(2, 4, t(7), '7'), chord(4, 6, t(9), 'min'), chord(6, 8, t(5), 'maj')] },
  };
}

const norm = (v: Float32Array) => Math.sqrt(v.reduce((a, x) => a + x * x, 0));

describe('similarity vector', () => {
  it('has the documented fixed length, names every dimension once, and is a unit vector', () => {
    const v = similarityVector(input());
    expect(v).toHaveLength(VECTOR_LENGTH);
    expect(VECTOR_LENGTH).toBe(58);
    expect(new Set(VECTOR_DIMENSIONS.map((d) => d.name)).size).toBe(VECTOR_LENGTH);
    expect(norm(v)).toBeCloseTo(1, 5);
  });

  it('is key-invariant: the same song a whole tone up gives the same vector', () => {
    expect(Array.from(similarityVector(input(2)))).toEqual(Array.from(similarityVector(input(0))));
  });

  it('ignores MFCC 0 (the level) and moves with the timbre and harmony', () => {
    const a = similarityVector(input());
    const louder = similarityVector(input(0, { mfcc: { mean: [-250, 120, 5, -3, 2, 1, 0, -1, 2, 0, 1, 0, -1], std: [30, 15, 12, 10, 8, 6, 6, 4, 4, 4, 4, 4, 4] } }));
    expect(Array.from(louder)).toEqual(Array.from(a));
    const brighter = similarityVector(input(0, { spectralCentroidHz: { mean: 2800, std: 500 } }));
    expect(Array.from(brighter)).not.toEqual(Array.from(a));
  });

  it('turns non-finite or missing features into the centre, never NaN', () => {
    const broken = input(0, { spectralCentroidHz: { mean: NaN, std: NaN }, mfcc: { mean: [], std: [] }, onsetDensity: Infinity });
    const v = similarityVector({ ...broken, chords: { chords: [] }, rhythm: { ...broken.rhythm, bpm: 0 } });
    expect(v.every(Number.isFinite)).toBe(true);
  });
});
