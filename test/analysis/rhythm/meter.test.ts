import { describe, expect, it } from 'vitest';
import { pulsesGroupInTwos } from '../../../app/analysis/rhythm/meter.ts';
import { analyseRhythm } from '../../../app/analysis/rhythm/rhythm.ts';
import { autocorrelation } from '../../../app/analysis/rhythm/envelope.ts';
import { frontEnd } from '../frontend/helpers.ts';
import { clicksAt } from '../frontend/signals.ts';
import { beatFMeasure } from './beatEval.ts';

/** An onset envelope with a pulse every `pulse` frames, `accent(i)` loud for pulse i. */
function pulses(pulse: number, count: number, accent: (i: number) => number): Float32Array {
  const x = new Float32Array(Math.ceil(pulse * count) + 8);
  for (let i = 0; i < count; i++) {
    const f = Math.round(i * pulse);
    x[f] = accent(i);
    x[f + 1] = accent(i) / 2;
  }
  return x;
}

/** Pulse i's loudness: 1 where the pattern (length `bar`) has an accent, else 0.3. */
const pattern = (accents: readonly number[], bar: number) => (i: number) => (accents.includes(i % bar) ? 1 : 0.3);

describe('pulsesGroupInTwos: a three-pulse beat that is really two beats of a simple meter', () => {
  const pulse = 10; // frames per eighth note
  const r = (accent: (i: number) => number) => autocorrelation(pulses(pulse, 400, accent), 16 * pulse);

  it('3+3+2 eighths (a pop piano pattern in 4/4): the dotted-quarter "beat" groups in twos by the bar', () => {
    expect(pulsesGroupInTwos(r(pattern([0, 3, 6], 8)), 3 * pulse)).toBe(true);
  });
  it('straight eighths in 3/4 read as dotted quarters: the quarter recurs more than the dotted quarter', () => {
    expect(pulsesGroupInTwos(r(pattern([0, 2, 4], 6)), 3 * pulse)).toBe(true);
  });
  it('true 6/8 and 12/8 (accents every three eighths) stay compound', () => {
    expect(pulsesGroupInTwos(r(pattern([0, 3], 6)), 3 * pulse)).toBe(false);
    expect(pulsesGroupInTwos(r(pattern([0, 3, 6, 9], 12)), 3 * pulse)).toBe(false);
  });
  it('says false when the autocorrelation is too short to see a bar of twelve pulses', () => {
    expect(pulsesGroupInTwos(r(pattern([0, 3, 6], 8)).subarray(0, 11 * pulse), 3 * pulse)).toBe(false);
  });
});

describe('rhythm: a 3+3+2 click pattern is 4/4 at the quarter note, not 12/8 at the dotted quarter', () => {
  it('132 BPM quarters with eighths accented 3+3+2', async () => {
    const eighth = 60 / 132 / 2;
    const seconds = 40;
    const strong: number[] = [];
    const weak: number[] = [];
    for (let i = 0; i * eighth < seconds - 0.05; i++) ([0, 3, 6].includes(i % 8) ? strong : weak).push(i * eighth);
    const x = clicksAt(strong, seconds, 0.8);
    const w = clicksAt(weak, seconds, 0.2);
    for (let i = 0; i < x.length; i++) x[i]! += w[i]!;
    const rh = analyseRhythm(await frontEnd(x));
    const quarters = strong.concat(weak).sort((a, b) => a - b).filter((_, i) => i % 2 === 0);
    expect(rh.meter).not.toMatch(/\/8$/);
    expect(Math.abs(rh.bpm / 132 - 1)).toBeLessThan(0.04);
    expect(beatFMeasure(quarters, rh.beats)).toBeGreaterThanOrEqual(0.9);
  });
});
