// True peak per ITU-R BS.1770-4 Annex 2: oversample (4× below 96 kHz, 2× below 192 kHz, none above,
// so the oversampled rate is at least ~176 kHz) with a polyphase FIR interpolator and take the largest
// magnitude. The interpolator is libebur128's: a Hann-windowed sinc of 12 taps per phase (48 for 4×,
// as the Annex's example filter), cut off at the input's Nyquist frequency.
//
// Cost: a full 4× interpolation is 36 multiply-adds per sample and channel. Most of it is skipped,
// exactly: an interpolated value is Σ h_k·x[n−k], so it can't exceed (Σ|h_k|)·max|x[n−k]| (the
// filter's L1 norm, ~1.6, times the window's sample peak). A stretch whose bound is no higher than
// the peak already found can't raise it and is not interpolated; every other stretch is. The result
// is the same as interpolating everything.

const TAPS_PER_PHASE = 12;
/** Outputs checked against the bound at a time. */
const STRETCH = 32;

/** Oversampling factor for a sample rate (BS.1770-4 Annex 2: 4× at 48 kHz, i.e. an oversampled rate of at least ~192 kHz; libebur128's choice). */
export function truePeakFactor(rate: number): number {
  return rate < 96000 ? 4 : rate < 192000 ? 2 : 1;
}

/**
 * Polyphase interpolator (libebur128's interp_create): h[j] = sinc((j − c)/factor)·Hann(j), j = 0..12·factor,
 * centre c = 6·factor. Phase p (1..factor−1) gives the value p/factor of a sample after the input
 * sample 6 back: phases[p−1][k] multiplies x[n−k]. Phase 0 is the input sample itself (sinc zeros).
 */
export function interpolatorPhases(factor: number): Float64Array[] {
  const taps = TAPS_PER_PHASE * factor + 1;
  const c = (taps - 1) / 2;
  const h = new Float64Array(taps);
  for (let j = 0; j < taps; j++) {
    const m = (j - c) / factor;
    const sinc = Math.abs(m) < 1e-9 ? 1 : Math.sin(Math.PI * m) / (Math.PI * m);
    h[j] = sinc * 0.5 * (1 - Math.cos((2 * Math.PI * j) / (taps - 1)));
  }
  const phases: Float64Array[] = [];
  for (let p = 1; p < factor; p++) {
    const ph = new Float64Array(TAPS_PER_PHASE);
    for (let k = 0; k < TAPS_PER_PHASE; k++) ph[k] = h[p + factor * k]!;
    phases.push(ph);
  }
  return phases;
}

/** The largest L1 norm (Σ|h|) of the phases: an interpolated value is at most this times the window's sample peak. */
export function phaseGainBound(phases: readonly Float64Array[]): number {
  let bound = 1;
  for (const ph of phases) bound = Math.max(bound, ph.reduce((s, v) => s + Math.abs(v), 0));
  return bound;
}

/** Streaming true-peak and sample-peak meter over all channels of one stream. */
export class TruePeakMeter {
  /** Highest magnitude of the oversampled signal (linear), over all channels so far. */
  truePeak = 0;
  /** Highest sample magnitude (linear). */
  samplePeak = 0;
  private readonly phases: Float64Array[];
  private readonly bound: number;
  private histories: Float64Array[] = [];
  private buf = new Float64Array(0);

  /** `skipBelowBound` false interpolates every stretch (for tests of the shortcut). */
  constructor(readonly rate: number, skipBelowBound = true) {
    this.phases = interpolatorPhases(truePeakFactor(rate));
    this.bound = skipBelowBound ? phaseGainBound(this.phases) : Infinity;
  }

  process(channels: readonly Float32Array[], length: number): void {
    const h = TAPS_PER_PHASE - 1;
    if (this.buf.length < length + h) this.buf = new Float64Array(length + h);
    const buf = this.buf;
    for (let c = 0; c < channels.length; c++) {
      const x = channels[c]!;
      const history = (this.histories[c] ??= new Float64Array(h));
      buf.set(history);
      let sampleMax = 0;
      for (let i = 0; i < length; i++) {
        const v = x[i]!;
        buf[h + i] = v;
        const a = v < 0 ? -v : v;
        if (a > sampleMax) sampleMax = a;
      }
      if (sampleMax > this.samplePeak) this.samplePeak = sampleMax;
      if (sampleMax > this.truePeak) this.truePeak = sampleMax;
      if (this.phases.length) this.interpolate(buf, length);
      history.set(buf.subarray(length, length + h));
    }
  }

  /** Interpolated values between the samples of buf (11 of history, then `length` new ones), stretch by stretch. */
  private interpolate(buf: Float64Array, length: number): void {
    const phases = this.phases;
    for (let n0 = 0; n0 < length; n0 += STRETCH) {
      const n1 = Math.min(length, n0 + STRETCH);
      // Output n uses buf[n .. n + 11]: the stretch's window is buf[n0 .. n1 + 11).
      let windowMax = 0;
      for (let i = n0; i < n1 + TAPS_PER_PHASE - 1; i++) {
        const a = Math.abs(buf[i]!);
        if (a > windowMax) windowMax = a;
      }
      if (this.bound !== Infinity && windowMax * this.bound <= this.truePeak) continue;
      let peak = this.truePeak;
      for (const ph of phases) {
        const k0 = ph[0]!, k1 = ph[1]!, k2 = ph[2]!, k3 = ph[3]!, k4 = ph[4]!, k5 = ph[5]!;
        const k6 = ph[6]!, k7 = ph[7]!, k8 = ph[8]!, k9 = ph[9]!, k10 = ph[10]!, k11 = ph[11]!;
        for (let n = n0; n < n1; n++) {
          const b = n + 11;
          const u =
            k0 * buf[b]! + k1 * buf[b - 1]! + k2 * buf[b - 2]! + k3 * buf[b - 3]! + k4 * buf[b - 4]! + k5 * buf[b - 5]! +
            k6 * buf[b - 6]! + k7 * buf[b - 7]! + k8 * buf[b - 8]! + k9 * buf[b - 9]! + k10 * buf[b - 10]! + k11 * buf[b - 11]!;
          const a = u < 0 ? -u : u;
          if (a > peak) peak = a;
        }
      }
      this.truePeak = peak;
    }
  }
}
