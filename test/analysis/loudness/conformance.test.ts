// EBU conformance: the synthetic test signals of EBU Tech 3341 (loudness meters, true peak) and
// EBU Tech 3342 (loudness range), generated here as the specifications describe them, at 48 kHz,
// with their stated tolerances: ±0.1 LU for M, S and I; +0.2/−0.4 dB for true peak; ±1 LU for LRA.
// Not generated: Tech 3341 cases 7, 8 (authentic programme), 10, 11, 13, 14 (sets of files) and
// 20–23 (recorded inter-sample signals: modelled here by tone bursts peaking at each quarter-sample
// offset), Tech 3342 cases 5 and 6 (programme excerpts).
import { describe, expect, it } from 'vitest';
import { loudnessOf, slidingMeans } from '../../../app/analysis/loudness/gating.ts';
import { LoudnessMeter } from '../../../app/analysis/loudness/meter.ts';
import { fade, measure, RATE, repeat, sineSequence, type Tone } from './signals.ts';

const stereo = (tones: Tone[]): Float32Array[] => {
  const x = sineSequence(tones);
  return [x, x];
};
const near = (got: number | null, want: number, tol: number): void => {
  expect(got).not.toBeNull();
  expect(Math.abs(got! - want), `${got} vs ${want} ±${tol}`).toBeLessThanOrEqual(tol + 1e-9);
};

/** Momentary (4 sub-blocks) or short-term (30) loudness of every complete window. */
function series(channels: Float32Array[], width: number): number[] {
  const m = new LoudnessMeter();
  m.process(channels, channels[0]!.length, RATE);
  return [...slidingMeans(m.totals().subBlocks, width)].map(loudnessOf);
}

describe('EBU Tech 3341 loudness cases', () => {
  it.each([
    [1, -23],
    [2, -33],
  ])('case %i: stereo 1 kHz at %i dBFS for 20 s reads M = S = I = that level', (_, level) => {
    const r = measure(stereo([{ dbfs: level, seconds: 20 }]));
    near(r.integratedLufs, level, 0.1);
    near(r.momentaryMaxLufs, level, 0.1);
    near(r.shortTermMaxLufs, level, 0.1);
    const x = stereo([{ dbfs: level, seconds: 20 }]);
    for (const v of series(x, 4)) near(v, level, 0.1);
    for (const v of series(x, 30)) near(v, level, 0.1);
  });

  it('case 3: −36 / −23 / −36 dBFS for 10 / 60 / 10 s reads I = −23', () => {
    near(measure(stereo([{ dbfs: -36, seconds: 10 }, { dbfs: -23, seconds: 60 }, { dbfs: -36, seconds: 10 }])).integratedLufs, -23, 0.1);
  });

  it('case 4: −72 / −36 / −23 / −36 / −72 dBFS for 10 / 10 / 60 / 10 / 10 s reads I = −23', () => {
    const tones = [-72, -36, -23, -36, -72].map((dbfs, i) => ({ dbfs, seconds: i === 2 ? 60 : 10 }));
    near(measure(stereo(tones)).integratedLufs, -23, 0.1);
  });

  it('case 5: −26 / −20 / −26 dBFS for 20 / 20.1 / 20 s reads I = −23', () => {
    near(measure(stereo([{ dbfs: -26, seconds: 20 }, { dbfs: -20, seconds: 20.1 }, { dbfs: -26, seconds: 20 }])).integratedLufs, -23, 0.1);
  });

  it('case 6: 5.0 (L, R −28; C −24; Ls, Rs −30 dBFS, 20 s) reads I = −23, and as 5.1 with a silent or loud LFE', () => {
    const side = sineSequence([{ dbfs: -28, seconds: 20 }]);
    const centre = sineSequence([{ dbfs: -24, seconds: 20 }]);
    const surround = sineSequence([{ dbfs: -30, seconds: 20 }]);
    near(measure([side, side, centre, surround, surround]).integratedLufs, -23, 0.1);
    near(measure([side, side, centre, new Float32Array(side.length), surround, surround]).integratedLufs, -23, 0.1);
    const lfe = sineSequence([{ dbfs: -6, seconds: 20 }], { freq: 60 });
    near(measure([side, side, centre, lfe, surround, surround]).integratedLufs, -23, 0.1); // LFE is not counted
  });

  it('case 9: 20 × (1.34 s at −20, 1.66 s at −30 dBFS) reads S = −23 throughout', () => {
    const x = stereo(repeat(20, { dbfs: -20, seconds: 1.34 }, { dbfs: -30, seconds: 1.66 }));
    const s = series(x, 30);
    expect(s.length).toBeGreaterThan(500);
    for (const v of s) near(v, -23, 0.1);
  });

  it('case 12: 25 × (0.18 s at −20, 0.22 s at −30 dBFS) reads M = −23 throughout, and max M = −23', () => {
    const x = stereo(repeat(25, { dbfs: -20, seconds: 0.18 }, { dbfs: -30, seconds: 0.22 }));
    for (const v of series(x, 4)) near(v, -23, 0.1);
    near(measure(x).momentaryMaxLufs, -23, 0.1);
  });
});

describe('EBU Tech 3341 true-peak cases 15–19', () => {
  // Mono sines whose samples miss the waveform's peaks. The 20 ms fades keep the abrupt start of a sine at
  // a non-zero phase (a step, whose Gibbs ringing a steady tone doesn't have) out of the measurement.
  it.each([
    [15, 4, 0, -6],
    [16, 4, 45, -6],
    [17, 6, 60, -6],
    [18, 8, 67.5, -6],
    [19, 4, 45, 3],
  ])('case %i: sine at fs/%i, %f° phase, reads %i dBTP (+0.2/−0.4)', (_, divisor, phaseDeg, level) => {
    const x = fade(sineSequence([{ dbfs: level, seconds: 1 }], { freq: RATE / divisor, phaseDeg }), 0.02);
    const r = measure([x]);
    expect(r.truePeakDbtp).not.toBeNull();
    expect(r.truePeakDbtp!).toBeGreaterThanOrEqual(level - 0.4);
    expect(r.truePeakDbtp!).toBeLessThanOrEqual(level + 0.2);
    if (phaseDeg !== 0) expect(r.samplePeakDbfs!).toBeLessThan(level - 0.5); // the samples really miss the peak
  });
});

describe('inter-sample peaks at every offset (modelled on Tech 3341 cases 20–23, whose files are recorded, not described)', () => {
  // A 12 kHz (fs/4) tone burst under a Gaussian envelope (σ 2 ms: band-limited well inside 20 kHz)
  // whose waveform peaks at 1.0 (0 dBTP) ¼, ½ or ¾ of a sample after a sample, or on one.
  it.each([0, 1, 2, 3])('offset %i/4 of a sample reads 0 dBTP (+0.2/−0.4)', (quarter) => {
    const t0 = 4800 + quarter / 4;
    const x = new Float32Array(9600).map((_, n) => Math.exp(-0.5 * ((n - t0) / 96) ** 2) * Math.cos((2 * Math.PI * 12000 * (n - t0)) / RATE));
    const r = measure([x, x]);
    expect(r.truePeakDbtp!).toBeGreaterThanOrEqual(-0.4);
    expect(r.truePeakDbtp!).toBeLessThanOrEqual(0.2);
    if (quarter === 2) expect(r.samplePeakDbfs!).toBeLessThan(-2.9); // half a sample off: the samples sit 3 dB down
  });
});

describe('EBU Tech 3342 loudness range cases 1–4', () => {
  it.each([
    [1, 10, [-20, -30]],
    [2, 5, [-20, -15]],
    [3, 20, [-40, -20]],
    [4, 15, [-50, -35, -20, -35, -50]],
  ])('case %i: LRA = %i LU (±1)', (_, want, levels) => {
    const r = measure(stereo(levels.map((dbfs) => ({ dbfs, seconds: 20 }))));
    near(r.loudnessRangeLu, want, 1);
  });
});
