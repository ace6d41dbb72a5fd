import { describe, expect, it } from 'vitest';
import { tempoSpan } from '../../../app/analysis/rhythm/span.ts';

const curve = (...bpms: number[]) => bpms.map((bpm, i) => ({ time: 10 * i, bpm }));

describe('tempoSpan', () => {
  it('is steady without a curve or within 3 BPM', () => {
    expect(tempoSpan({ bpm: 120.4, tempoCurve: [] })).toEqual({ lo: 120, hi: 120, kind: 'steady' });
    expect(tempoSpan({ bpm: 120, tempoCurve: curve(119, 121) })).toEqual({ lo: 119, hi: 121, kind: 'steady' });
  });
  it('drifts within 25 %, changes beyond it', () => {
    expect(tempoSpan({ bpm: 110, tempoCurve: curve(100, 110, 120) })).toEqual({ lo: 100, hi: 120, kind: 'drifts' });
    expect(tempoSpan({ bpm: 116, tempoCurve: curve(66, 116, 160) })).toEqual({ lo: 66, hi: 160, kind: 'changes' });
  });
  it('ignores points that are not finite and positive', () => {
    expect(tempoSpan({ bpm: 100, tempoCurve: curve(Number.NaN, 0, 99, 101) })).toEqual({ lo: 99, hi: 101, kind: 'steady' });
  });
});
