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
  /** Per channel, the last 11 samples seen (float32, as the input: copies are exact). */
  private histories: Float32Array[] = [];
  private readonly symmetric: boolean;
  private readonly even = new Float64Array(6);
  private readonly odd = new Float64Array(6);
  private readonly half = new Float64Array(6);
  /** Largest L1 norm of a phase's 8 outer taps (all but the 4 around the point): see stretchPeak4. */
  private readonly tailBound: number;
  /** Per stretch of the current chunk, its largest sample magnitude. */
  private stretchMax = new Float64Array(0);
  /** The history followed by the chunk's first stretch. */
  private readonly head = new Float32Array(TAPS_PER_PHASE - 1 + STRETCH);

  /** `skipBelowBound` false interpolates every stretch (for tests of the shortcut). */
  constructor(readonly rate: number, skipBelowBound = true) {
    this.phases = interpolatorPhases(truePeakFactor(rate));
    this.bound = skipBelowBound ? phaseGainBound(this.phases) : Infinity;
    const [p1, p2] = this.phases;
    this.symmetric = this.phases.length === 3;
    // 4×: phase 3 is phase 1 reversed and phase 2 is symmetric, so one pass over 6 sums and 6
    // differences of mirrored samples gives all three (18 multiplications instead of 36).
    for (let k = 0; k < 6 && this.symmetric; k++) {
      this.even[k] = (p1![k]! + p1![11 - k]!) / 2;
      this.odd[k] = (p1![k]! - p1![11 - k]!) / 2;
      this.half[k] = p2![k]!;
    }
    const outer = (ph: Float64Array): number => ph.reduce((sum, v, k) => (k >= 4 && k <= 7 ? sum : sum + Math.abs(v)), 0);
    this.tailBound = skipBelowBound ? Math.max(0, ...this.phases.map(outer)) : Infinity;
  }

  process(channels: readonly Float32Array[], length: number): void {
    const h = TAPS_PER_PHASE - 1;
    const stretches = Math.ceil(length / STRETCH);
    if (this.stretchMax.length < stretches) this.stretchMax = new Float64Array(stretches);
    for (let c = 0; c < channels.length; c++) {
      const x = channels[c]!;
      const history = (this.histories[c] ??= new Float32Array(h));
      const sampleMax = this.stretchMaxima(x, length);
      if (sampleMax > this.samplePeak) this.samplePeak = sampleMax;
      if (sampleMax > this.truePeak) this.truePeak = sampleMax;
      if (this.phases.length) this.interpolate(x, length, history);
      // The newest 11 samples (of the history and this chunk together) are the next chunk's history.
      if (length >= h) history.set(x.subarray(length - h, length));
      else {
        history.copyWithin(0, length);
        history.set(x.subarray(0, length), h - length);
      }
    }
  }

  /** Fills stretchMax[j] with the largest magnitude of x[32j .. 32j + 32) and returns the largest of all. */
  private stretchMaxima(x: Float32Array, length: number): number {
    const out = this.stretchMax;
    let all = 0;
    for (let n0 = 0, j = 0; n0 < length; n0 += STRETCH, j++) {
      const n1 = Math.min(length, n0 + STRETCH);
      let m = 0;
      // Math.max compiles without a branch: about twice as fast on audio as compare-and-branch. (NaN
      // would spread here, but the loudness meter rejects audio with NaN anyway.)
      for (let i = n0; i < n1; i++) m = Math.max(m, Math.abs(x[i]!));
      out[j] = m;
      if (m > all) all = m;
    }
    return all;
  }

  /**
   * Interpolated values between the samples of the history (11 samples) and x, stretch by stretch:
   * output n lies between x[n − 6] and x[n − 5] and uses x[n − 11 .. n] (the history before x[0]).
   * A stretch's window, x[n0 − 11 .. n1), is bounded by its own and the previous stretch's maxima.
   */
  private interpolate(x: Float32Array, length: number, history: Float32Array): void {
    const h = TAPS_PER_PHASE - 1;
    const head = this.head;
    head.set(history);
    head.set(x.subarray(0, Math.min(length, STRETCH)), h);
    let previousMax = 0;
    for (let i = 0; i < h; i++) previousMax = Math.max(previousMax, Math.abs(history[i]!));
    for (let n0 = 0, j = 0; n0 < length; n0 += STRETCH, j++) {
      const n1 = Math.min(length, n0 + STRETCH);
      const ownMax = this.stretchMax[j]!;
      const windowMax = ownMax > previousMax ? ownMax : previousMax;
      previousMax = ownMax;
      if (this.bound !== Infinity && windowMax * this.bound <= this.truePeak) continue;
      // The first stretch reads the history and x through `head`; the others read x directly (offset −11).
      const src = n0 === 0 ? head : x;
      const offset = n0 === 0 ? 0 : -h;
      this.truePeak = this.symmetric ? this.stretchPeak4(src, offset, n0, n1, this.tailBound * windowMax) : this.stretchPeak(src, offset, n0, n1);
    }
  }

  /** Largest interpolated magnitude of outputs n0..n1 and the peak so far, any factor (12 taps per phase). */
  private stretchPeak(src: Float32Array, offset: number, n0: number, n1: number): number {
    let peak = this.truePeak;
    for (const ph of this.phases) {
      for (let n = n0; n < n1; n++) {
        let u = 0;
        for (let k = 0; k < TAPS_PER_PHASE; k++) u += ph[k]! * src[n + 11 - k + offset]!;
        const a = u < 0 ? -u : u;
        if (a > peak) peak = a;
      }
    }
    return peak;
  }

  /**
   * The same for 4×, from the symmetries of the three phases. Each output first gets the part of its
   * sum from the 4 taps around it; as the other 8 add at most `tail` (their L1 norm × the window's
   * sample peak), outputs whose central part can't reach the peak skip the rest, exactly.
   */
  private stretchPeak4(src: Float32Array, offset: number, n0: number, n1: number, tail: number): number {
    const e = this.even;
    const o = this.odd;
    const h = this.half;
    const e0 = e[0]!, e1 = e[1]!, e2 = e[2]!, e3 = e[3]!, e4 = e[4]!, e5 = e[5]!;
    const o0 = o[0]!, o1 = o[1]!, o2 = o[2]!, o3 = o[3]!, o4 = o[4]!, o5 = o[5]!;
    const h0 = h[0]!, h1 = h[1]!, h2 = h[2]!, h3 = h[3]!, h4 = h[4]!, h5 = h[5]!;
    let peak = this.truePeak;
    for (let n = n0; n < n1; n++) {
      const b = n + offset; // src[b + i] is the window's sample i (i = 0 oldest … 11 newest)
      // Sample k back from the newest (n + 11) and its mirror (k after the oldest, n).
      const a4 = src[b + 7]!, c4 = src[b + 4]!;
      const a5 = src[b + 6]!, c5 = src[b + 5]!;
      const s4 = a4 + c4, s5 = a5 + c5, d4 = a4 - c4, d5 = a5 - c5;
      const ce = e4 * s4 + e5 * s5;
      const co = o4 * d4 + o5 * d5;
      const cu2 = h4 * s4 + h5 * s5;
      const cu1 = ce + co;
      const cu3 = ce - co;
      if (Math.max(cu1 < 0 ? -cu1 : cu1, cu2 < 0 ? -cu2 : cu2, cu3 < 0 ? -cu3 : cu3) + tail <= peak) continue;
      const a0 = src[b + 11]!, c0 = src[b]!;
      const a1 = src[b + 10]!, c1 = src[b + 1]!;
      const a2 = src[b + 9]!, c2 = src[b + 2]!;
      const a3 = src[b + 8]!, c3 = src[b + 3]!;
      const s0 = a0 + c0, s1 = a1 + c1, s2 = a2 + c2, s3 = a3 + c3;
      const evenPart = e0 * s0 + e1 * s1 + e2 * s2 + e3 * s3 + ce;
      const oddPart = o0 * (a0 - c0) + o1 * (a1 - c1) + o2 * (a2 - c2) + o3 * (a3 - c3) + co;
      const u2 = h0 * s0 + h1 * s1 + h2 * s2 + h3 * s3 + cu2;
      const u1 = evenPart + oddPart;
      const u3 = evenPart - oddPart;
      const m = Math.max(u1 < 0 ? -u1 : u1, u2 < 0 ? -u2 : u2, u3 < 0 ? -u3 : u3);
      if (m > peak) peak = m;
    }
    return peak;
  }
}
