// The annotation check for key changes (pop909/keyChangeCheck.ts) and how the accuracy score uses it.
import { describe, expect, it } from 'vitest';
import type { KeySegment } from '../../app/analysis/types.ts';
import { checkKeyChanges, chordPitchClasses, keyFit, keyScale } from './pop909/keyChangeCheck.ts';
import type { SongTruth } from './pop909/groundTruth.ts';

const G = { tonic: 7, mode: 'major' } as const;
const A = { tonic: 9, mode: 'major' } as const;
const Em = { tonic: 4, mode: 'minor' } as const;

/** 2-s chords from 0 s, annotated in G major throughout. */
function song(labels: string[]): Pick<SongTruth, 'chords' | 'keySegments'> {
  const end = labels.length * 2;
  return {
    chords: { intervals: labels.map((_, i) => [i * 2, i * 2 + 2] as const), labels },
    keySegments: [{ start: 0, end, value: 'G:major', key: G }],
  };
}
const seg = (start: number, end: number, key: KeySegment['key']): KeySegment => ({ start, end, key, confidence: 0.8 });

describe('keyChangeCheck', () => {
  it('spells chords and scales as pitch classes', () => {
    expect(chordPitchClasses('A:maj')).toEqual([9, 1, 4]);
    expect(chordPitchClasses('D:7/3').sort((x, y) => x - y)).toEqual([0, 2, 6, 9]);
    expect(chordPitchClasses('N')).toEqual([]);
    expect(chordPitchClasses('not a chord')).toEqual([]);
    expect([...keyScale(A)].sort((x, y) => x - y)).toEqual([1, 2, 4, 6, 8, 9, 11]);
    expect(keyScale(Em).has(3)).toBe(true); // D♯, the leading tone of E minor
  });

  it('measures the share of chord time inside a key, N left out', () => {
    const s = song(['G:maj', 'N', 'C:maj', 'A:maj']);
    expect(keyFit(s, 0, 8, G)).toBeCloseTo(2 / 3, 12);
    expect(keyFit(s, 2, 4, G)).toBeNaN();
  });

  it('confirms a lift from G to A major that the annotation lacks (as in POP909 080)', () => {
    const s = song(['G:maj', 'C:maj', 'D:maj', 'G:maj', 'A:maj', 'E:maj', 'D:maj', 'C#:min', 'F#:min', 'B:min', 'E:7', 'A:maj']);
    const [c] = checkKeyChanges(s, [seg(0, 8, G), seg(8, 24, A)]);
    expect(c).toMatchObject({ time: 8, to: A, annotated: G, fitOurs: 1, confirmed: true });
    expect(c!.fitAnnotated).toBeCloseTo(2 / 8, 12); // only D major and B minor fit G as well
  });

  it('does not confirm a change the chords do not support, a move to the relative minor, or a return to the annotated key', () => {
    const diatonic = song(['G:maj', 'C:maj', 'D:maj', 'G:maj', 'E:min', 'C:maj', 'D:maj', 'G:maj']);
    expect(checkKeyChanges(diatonic, [seg(0, 8, G), seg(8, 16, A)])[0]!.confirmed).toBe(false);
    expect(checkKeyChanges(diatonic, [seg(0, 8, G), seg(8, 16, Em)])[0]!.confirmed).toBe(false);
    const lift = song(['G:maj', 'C:maj', 'A:maj', 'E:maj', 'D:maj', 'A:maj', 'G:maj', 'C:maj']);
    const checks = checkKeyChanges(lift, [seg(0, 4, G), seg(4, 12, A), seg(12, 16, G)]);
    expect(checks.map((c) => c.confirmed)).toEqual([true, false]);
  });
});
