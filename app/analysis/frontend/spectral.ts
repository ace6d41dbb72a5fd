// Small pure helpers on spectra: frequency-domain Hann windowing, a sparse mel filterbank, spectral peaks.

/** Hz → mel (O'Shaughnessy 1987 / HTK formula). */
export function hzToMel(hz: number): number {
  return 2595 * Math.log10(1 + hz / 700);
}

export function melToHz(mel: number): number {
  return 700 * (10 ** (mel / 2595) - 1);
}

/**
 * Triangular mel bands over the bins of one FFT, stored per bin: bin k adds weight0[k] of its power to band
 * band0[k] and weight1[k] to band1[k] (−1: none). Adjacent triangles overlap, so no bin is in more than two.
 */
export interface SparseBands {
  count: number;
  band0: Int16Array;
  weight0: Float32Array;
  band1: Int16Array;
  weight1: Float32Array;
}

/**
 * Triangular filters with centres equally spaced in mel between fmin and fmax (Davis & Mermelstein 1980,
 * as in librosa.filters.mel); bands that would cover no FFT bin are dropped.
 */
export function melBands(fftSize: number, sampleRate: number, bands: number, fmin: number, fmax: number): SparseBands {
  const binHz = sampleRate / fftSize;
  const nBins = fftSize / 2 + 1;
  const lo = hzToMel(fmin);
  const hi = hzToMel(Math.min(fmax, sampleRate / 2));
  const edges = Array.from({ length: bands + 2 }, (_, i) => melToHz(lo + ((hi - lo) * i) / (bands + 1)));
  const nb: SparseBands = {
    count: 0,
    band0: new Int16Array(nBins).fill(-1),
    weight0: new Float32Array(nBins),
    band1: new Int16Array(nBins).fill(-1),
    weight1: new Float32Array(nBins),
  };
  for (let b = 0; b < bands; b++) {
    const [f0, f1, f2] = [edges[b]!, edges[b + 1]!, edges[b + 2]!];
    const first = Math.max(0, Math.ceil(f0 / binHz));
    const last = Math.min(nBins - 1, Math.floor(f2 / binHz));
    const w: number[] = [];
    for (let k = first; k <= last; k++) {
      const f = k * binHz;
      w.push(Math.max(0, f <= f1 ? (f - f0) / (f1 - f0) : (f2 - f) / (f2 - f1)));
    }
    const sum = w.reduce((a, x) => a + x, 0);
    if (sum <= 1e-6) continue;
    const band = nb.count++;
    w.forEach((x, i) => {
      const k = first + i;
      if (x <= 0) return;
      if (nb.band0[k] === -1) {
        nb.band0[k] = band;
        nb.weight0[k] = x / sum;
      } else {
        nb.band1[k] = band;
        nb.weight1[k] = x / sum;
      }
    });
  }
  return nb;
}

/**
 * Local maxima of a power spectrum between bins lo and hi (inclusive) above `floor` (power), refined by
 * quadratic interpolation of the log power (Smith & Serra 1987, PARSHL; Serra 1989). Writes fractional
 * bin positions and amplitudes (square roots of the interpolated peak powers); returns the number of peaks.
 */
export function spectralPeaks(power: Float32Array, lo: number, hi: number, floor: number, outBin: Float32Array, outAmp: Float32Array): number {
  let n = 0;
  const first = Math.max(1, lo);
  const last = Math.min(power.length - 2, hi);
  for (let k = first; k <= last && n < outBin.length; k++) {
    const m = power[k]!;
    if (m <= floor || m <= power[k - 1]! || m < power[k + 1]!) continue;
    const a = Math.log(power[k - 1]! + 1e-24);
    const b = Math.log(m + 1e-24);
    const c = Math.log(power[k + 1]! + 1e-24);
    const den = a - 2 * b + c;
    const p = den < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / den)) : 0;
    outBin[n] = k + p;
    outAmp[n] = Math.exp(0.5 * (b - 0.25 * (a - c) * p));
    n++;
  }
  return n;
}

/**
 * Powers |X_w[k]|²·scale for k = 0 … power.length − 1 of a periodic-Hann-windowed frame, from the
 * unwindowed spectrum `out` in PFFFT's ordered layout ([DC, Nyquist, re1, im1, …]): windowing is applied
 * in the frequency domain as X_w[k] = ½X[k] − ¼(X[k−1] + X[k+1]) (Harris 1978), so only the bins needed
 * are computed. `power.length` must be < n/2.
 */
export function hannPowerLow(out: Float32Array, power: Float32Array, scale: number): void {
  const kMax = power.length - 1;
  const dc = 0.5 * out[0]! - 0.5 * out[2]!;
  power[0] = dc * dc * scale;
  if (kMax >= 1) {
    const re = 0.5 * out[2]! - 0.25 * (out[0]! + out[4]!);
    const im = 0.5 * out[3]! - 0.25 * out[5]!;
    power[1] = (re * re + im * im) * scale;
  }
  for (let k = 2, i = 4; k <= kMax; k++, i += 2) {
    const re = 0.5 * out[i]! - 0.25 * (out[i - 2]! + out[i + 2]!);
    const im = 0.5 * out[i + 1]! - 0.25 * (out[i - 1]! + out[i + 3]!);
    power[k] = (re * re + im * im) * scale;
  }
}

/**
 * Powers |X_w[k]|²·scale for every bin k = 0 … n/2 of a periodic-Hann-windowed frame of size n, from the
 * unwindowed spectrum in PFFFT's ordered layout (DC and Nyquist packed into out[0] and out[1]); the same
 * frequency-domain windowing as hannPowerLow (Harris 1978). `power.length` must be n/2 + 1.
 */
export function hannPowerFull(out: Float32Array, power: Float32Array, scale: number): void {
  const n = out.length;
  const half = n / 2;
  const dc = 0.5 * out[0]! - 0.5 * out[2]!;
  power[0] = dc * dc * scale;
  const ny = 0.5 * out[1]! - 0.5 * out[n - 2]!;
  power[half] = ny * ny * scale;
  let re = 0.5 * out[2]! - 0.25 * (out[0]! + out[4]!);
  let im = 0.5 * out[3]! - 0.25 * out[5]!;
  power[1] = (re * re + im * im) * scale;
  re = 0.5 * out[n - 2]! - 0.25 * (out[n - 4]! + out[1]!);
  im = 0.5 * out[n - 1]! - 0.25 * out[n - 3]!;
  power[half - 1] = (re * re + im * im) * scale;
  for (let k = 2, i = 4; k < half - 1; k++, i += 2) {
    const r = 0.5 * out[i]! - 0.25 * (out[i - 2]! + out[i + 2]!);
    const m = 0.5 * out[i + 1]! - 0.25 * (out[i - 1]! + out[i + 3]!);
    power[k] = (r * r + m * m) * scale;
  }
}
