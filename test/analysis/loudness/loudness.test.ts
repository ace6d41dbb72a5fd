// The loudness analyser beyond the EBU cases: filter design at any rate, the gating and percentile
// maths, silence, mono, rate independence, ReplayGain, PLR, stereo width, the short-term curve, and
// the true-peak shortcut against full interpolation.
import { describe, expect, it } from 'vitest';
import { createLoudnessAnalyser } from '../../../app/analysis/loudness/index.ts';
import { gatedLoudness, loudnessRange, percentile, energyOf } from '../../../app/analysis/loudness/gating.ts';
import { biquadPowerGain, preFilter, rlbHighPass } from '../../../app/analysis/loudness/kWeighting.ts';
import { interpolatorPhases, phaseGainBound, truePeakFactor, TruePeakMeter } from '../../../app/analysis/loudness/truePeak.ts';
import { channelWeights } from '../../../app/analysis/loudness/channels.ts';
import { measure, noise, RATE, sineSequence } from './signals.ts';

const db = (p: number): number => 10 * Math.log10(p);

describe('K-weighting design', () => {
  it('reproduces the 48 kHz coefficients tabulated in BS.1770-4 (Tables 1 and 2)', () => {
    const p = preFilter(48000);
    const r = rlbHighPass(48000);
    const close = (got: number, want: number): void => expect(Math.abs(got - want)).toBeLessThan(1e-7);
    close(p.b0, 1.53512485958697);
    close(p.b1, -2.69169618940638);
    close(p.b2, 1.19839281085285);
    close(p.a1, -1.69065929318241);
    close(p.a2, 0.73248077421585);
    close(r.a1, -1.99004745483398);
    close(r.a2, 0.99007225036621);
    expect([r.b0, r.b1, r.b2]).toEqual([1, -2, 1]);
  });

  // The bilinear transform bends the response a little with the rate: up to 0.07 dB from the 48 kHz one at 22.05 kHz, 0.005 dB at 44.1 kHz.
  it.each([22050, 32000, 44100, 48000, 96000, 192000])('has the same response at %i Hz (within 0.1 dB): +4 dB shelf, ≈ +0.7 dB at 1 kHz', (rate) => {
    const k = (f: number): number => db(biquadPowerGain(preFilter(rate), f, rate) * biquadPowerGain(rlbHighPass(rate), f, rate));
    const ref = (f: number): number => db(biquadPowerGain(preFilter(48000), f, 48000) * biquadPowerGain(rlbHighPass(48000), f, 48000));
    for (const f of [20, 40, 100, 500, 1000, 2000, 5000]) expect(Math.abs(k(f) - ref(f))).toBeLessThan(0.1);
    if (rate === 44100) for (const f of [20, 100, 1000, 5000]) expect(Math.abs(k(f) - ref(f))).toBeLessThan(0.01);
    expect(Math.abs(k(1000) - 0.691)).toBeLessThan(0.05);
    expect(Math.abs(k(Math.min(8000, rate / 4)) - 4)).toBeLessThan(0.2);
  });
});

describe('gating and percentile maths', () => {
  it('ignores blocks under −70 LUFS and under the relative gate', () => {
    const loud = energyOf(-20);
    const quiet = energyOf(-35); // more than 10 LU below: gated out
    const silent = energyOf(-80);
    expect(gatedLoudness([loud, loud, quiet, silent, 0]).lufs).toBeCloseTo(-20, 9);
    expect(gatedLoudness([silent, 0]).lufs).toBeNull();
    expect(gatedLoudness([]).lufs).toBeNull();
  });

  it('takes the nearest rank on (n − 1)·p', () => {
    const xs = Array.from({ length: 21 }, (_, i) => i);
    expect(percentile(xs, 0.1)).toBe(2);
    expect(percentile(xs, 0.95)).toBe(19);
    expect(percentile([5], 0.95)).toBe(5);
  });

  it('gives no loudness range without gated short-term blocks', () => {
    expect(loudnessRange([0, 0])).toBeNull();
    expect(loudnessRange([energyOf(-20), energyOf(-20)])).toBe(0);
  });
});

describe('loudness analyser', () => {
  it('measures digital silence as nulls, never NaN', () => {
    const z = new Float32Array(5 * RATE);
    const r = measure([z, z]);
    expect(r).toMatchObject({
      integratedLufs: null,
      loudnessRangeLu: null,
      shortTermMaxLufs: null,
      momentaryMaxLufs: null,
      truePeakDbtp: null,
      samplePeakDbfs: null,
      plrDb: null,
      replayGainDb: null,
      replayGainPeak: null,
      stereoWidth: null,
      channels: 2,
      sampleRate: RATE,
    });
    expect(r.shortTerm.values.every((v) => v === null)).toBe(true);
    expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
  });

  it('measures a mono file as one channel (BS.1770: a −23 dBFS tone is −26 LUFS), with no stereo width', () => {
    const r = measure([sineSequence([{ dbfs: -23, seconds: 10 }])]);
    expect(Math.abs(r.integratedLufs! - (-23 - 3.01))).toBeLessThan(0.1);
    expect(r.channels).toBe(1);
    expect(r.stereoWidth).toBeNull();
  });

  it('gives the same loudness at 44.1 and 48 kHz (within 0.1 LU) for the same broadband material', () => {
    const make = (rate: number): Float32Array[] => {
      const tones = [45, 120, 440, 1000, 3150, 7000, 12500];
      const n = 8 * rate;
      const l = new Float32Array(n);
      const r = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        let a = 0;
        let b = 0;
        tones.forEach((f, k) => {
          a += 0.08 * Math.sin((2 * Math.PI * f * i) / rate + k);
          b += 0.08 * Math.sin((2 * Math.PI * f * i) / rate + 2 * k);
        });
        l[i] = a;
        r[i] = b;
      }
      return [l, r];
    };
    const a = measure(make(44100), 44100);
    const b = measure(make(48000), 48000);
    expect(a.sampleRate).toBe(44100);
    expect(Math.abs(a.integratedLufs! - b.integratedLufs!)).toBeLessThan(0.1);
    expect(Math.abs(a.truePeakDbtp! - b.truePeakDbtp!)).toBeLessThan(0.3);
  });

  it('derives ReplayGain 2.0 (−18 LUFS reference), its peak, and PLR from the measurements', () => {
    const x = sineSequence([{ dbfs: -23, seconds: 10 }]);
    const r = measure([x, x]);
    expect(Math.abs(r.replayGainDb! - 5)).toBeLessThan(0.1);
    expect(r.replayGainPeak!).toBeCloseTo(10 ** (r.truePeakDbtp! / 20), 3);
    expect(r.plrDb).toBeCloseTo(r.truePeakDbtp! - r.integratedLufs!, 6);
    expect(Math.abs(r.plrDb! - 0)).toBeLessThan(0.2); // a sine's peak is its level in dBFS
  });

  it('measures stereo width: 0 for identical channels, 0.5 for one side only or unrelated noise, 1 for antiphase', () => {
    const x = sineSequence([{ dbfs: -20, seconds: 5 }]);
    const neg = x.map((v) => -v);
    const zero = new Float32Array(x.length);
    expect(measure([x, x]).stereoWidth).toBe(0);
    expect(measure([x, zero]).stereoWidth).toBe(0.5);
    expect(measure([x, neg]).stereoWidth).toBe(1);
    const na = noise(1);
    const nb = noise(2);
    const l = new Float32Array(5 * RATE).map(() => 0.1 * na());
    const r = new Float32Array(5 * RATE).map(() => 0.1 * nb());
    expect(Math.abs(measure([l, r]).stereoWidth! - 0.5)).toBeLessThan(0.02);
  });

  it('draws the short-term curve every second, null where the audio is below the gate', () => {
    const x = sineSequence([{ dbfs: -80, seconds: 10 }, { dbfs: -23, seconds: 20 }, { dbfs: -80, seconds: 10 }]);
    const r = measure([x, x]);
    expect(r.shortTerm.hop).toBe(1);
    expect(r.shortTerm.values).toHaveLength(41);
    expect(r.shortTerm.values.slice(0, 8)).toEqual(Array(8).fill(null));
    for (const v of r.shortTerm.values.slice(12, 29)) expect(Math.abs(v! + 23)).toBeLessThan(0.1);
    expect(r.shortTerm.values.slice(33)).toEqual(Array(8).fill(null));
    expect(Math.abs(r.shortTermMaxLufs! + 23)).toBeLessThan(0.1);
  });

  it('measures audio shorter than the windows as one window, and under 100 ms gives peaks only', () => {
    const short = measure([sineSequence([{ dbfs: -20, seconds: 0.2 }])]);
    expect(Math.abs(short.integratedLufs! + 23.01)).toBeLessThan(0.1);
    expect(Math.abs(short.momentaryMaxLufs! + 23.01)).toBeLessThan(0.1);
    expect(Math.abs(short.shortTermMaxLufs! + 23.01)).toBeLessThan(0.1);
    expect(short.loudnessRangeLu).toBe(0);
    const two = measure([sineSequence([{ dbfs: -20, seconds: 2 }])]);
    expect(Math.abs(two.shortTermMaxLufs! + 23.01)).toBeLessThan(0.1);
    const tiny = measure([sineSequence([{ dbfs: -20, seconds: 0.05 }])]);
    expect(tiny.integratedLufs).toBeNull();
    expect(tiny.shortTerm.values).toEqual([]);
    expect(Math.abs(tiny.truePeakDbtp! + 20)).toBeLessThan(0.1);
    expect(JSON.stringify(tiny)).not.toMatch(/NaN|Infinity/);
  });

  it('does not depend on how the stream is cut into chunks', () => {
    const n = noise(7);
    const l = new Float32Array(4 * RATE).map(() => 0.3 * n());
    const r = new Float32Array(4 * RATE).map(() => 0.3 * n());
    expect(measure([l, r], RATE, 1000)).toEqual(measure([l, r], RATE, 65536));
  });

  it('refuses to finish when no source audio reached it, and names non-numbers in the audio', () => {
    expect(() => createLoudnessAnalyser().finish({})).toThrow(/no source audio/);
    const x = sineSequence([{ dbfs: -20, seconds: 1 }]);
    x[100] = NaN;
    expect(() => measure([x])).toThrow(/not numbers/);
  });
});

describe('channel weights', () => {
  it('weighs 5.1 as L R C 1.0, LFE 0, Ls Rs 1.41 (WAV order)', () => {
    expect(channelWeights(6)).toEqual([1, 1, 1, 0, 1.41, 1.41]);
    expect(channelWeights(2)).toEqual([1, 1]);
  });
});

describe('true peak', () => {
  it('oversamples 4× below 96 kHz, 2× below 192 kHz, and not above', () => {
    expect([44100, 48000, 88200, 96000, 176400, 192000].map(truePeakFactor)).toEqual([4, 4, 4, 2, 2, 1]);
    expect(interpolatorPhases(4)).toHaveLength(3);
    expect(interpolatorPhases(4)[0]).toHaveLength(12);
    expect(phaseGainBound(interpolatorPhases(4))).toBeGreaterThan(1);
  });

  it('equals a plain polyphase interpolation (phase by phase, tap by tap) of the same filter', () => {
    const n = noise(11);
    const x = new Float32Array(20000).map(() => 0.8 * n());
    const phases = interpolatorPhases(4);
    let want = 0;
    for (let i = 0; i < x.length; i++) {
      want = Math.max(want, Math.abs(x[i]!));
      for (const ph of phases) {
        let u = 0;
        for (let k = 0; k < ph.length; k++) u += ph[k]! * (x[i - k] ?? 0);
        want = Math.max(want, Math.abs(u));
      }
    }
    const m = new TruePeakMeter(RATE, false);
    m.process([x], x.length);
    expect(Math.abs(m.truePeak - want)).toBeLessThan(1e-12);
  });

  it('skips only what cannot raise the peak: the same result as interpolating every sample', () => {
    for (const seed of [1, 2, 3]) {
      const n = noise(seed);
      // Noise with bursts and a few hot transients, so some stretches are skipped and some not.
      const x = new Float32Array(3 * RATE).map((_, i) => n() * (0.05 + (i % 20000 < 3000 ? 0.6 : 0)) * (i % 37111 === 5 ? 1.5 : 1));
      const y = new Float32Array(x.length).map(() => 0.2 * n());
      const fast = new TruePeakMeter(RATE);
      for (let i = 0; i < x.length; i += 4096) {
        const len = Math.min(4096, x.length - i);
        fast.process([x.subarray(i, i + len), y.subarray(i, i + len)], len);
      }
      const full = new TruePeakMeter(RATE, false);
      full.process([x, y], x.length);
      expect(fast.truePeak).toBe(full.truePeak);
      expect(fast.truePeak).toBeGreaterThanOrEqual(fast.samplePeak);
    }
  });

  it('gives the same true peak however the stream is cut, chunks shorter than the filter included', () => {
    const n = noise(7);
    const x = new Float32Array(RATE).map((_, i) => n() * (i % 9000 < 700 ? 0.9 : 0.1));
    const full = new TruePeakMeter(RATE, false);
    full.process([x], x.length);
    const cut = new TruePeakMeter(RATE);
    const sizes = [1, 5, 10, 11, 12, 31, 33, 64, 1000, 4097];
    for (let i = 0, k = 0; i < x.length; k++) {
      const len = Math.min(sizes[k % sizes.length]!, x.length - i);
      cut.process([x.subarray(i, i + len)], len);
      i += len;
    }
    expect(cut.truePeak).toBe(full.truePeak);
    expect(cut.samplePeak).toBe(full.samplePeak);
  });
});
