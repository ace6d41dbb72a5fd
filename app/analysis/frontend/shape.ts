// Spectral shape of one short-window frame, from the spectrum the onset detector already computed (no
// second FFT): a log-mel band row, spectral centroid, 85 % roll-off, flatness and octave-band contrast.
import { hannPowerFull, melBands } from './spectral.ts';

/** Log-mel spectrogram: 40 triangular bands equally spaced in mel from 40 Hz to 11 kHz (or Nyquist). */
export const MEL_BANDS = 40;
export const MEL_FMIN = 40;
export const MEL_FMAX = 11000;
/** Band powers are floored at −120 dB (re the full-scale power unit of the front end) before the log. */
export const MEL_FLOOR_DB = -120;
/** Octave bands of the spectral contrast: [0, 200), [200, 400), … [3200, 6400), [6400, Nyquist] Hz (librosa's defaults). */
export const CONTRAST_EDGES_HZ: readonly number[] = [0, 200, 400, 800, 1600, 3200, 6400];
export const CONTRAST_BANDS = CONTRAST_EDGES_HZ.length;
/** Share of each contrast band's bins averaged for its peak and its valley (Jiang et al. 2002: α = 0.02). */
const CONTRAST_QUANTILE = 0.02;
/** At most this many bins are averaged for a peak or valley (bands of up to 175 bins: the short window has ≤ 110 per band). */
const MAX_QUANTILE_BINS = 3;
export const ROLLOFF_SHARE = 0.85;
/** Power floor of flatness and contrast (librosa's amin = 1e-10). */
export const AMIN = 1e-10;
/** A frame whose total power is below this (−100 dB) is silence: shape values 0, mel at the floor. */
export const SILENT_POWER = 1e-10;

/** The contrast bands of an FFT size: the first bin of each band plus one past the last, and how many bins each band's peak and valley average. */
export function contrastTable(fftSize: number, sampleRate: number): { bins: Int32Array; quantile: Int32Array } {
  const count = fftSize / 2 + 1;
  const binHz = sampleRate / fftSize;
  const bins = new Int32Array(CONTRAST_BANDS + 1);
  for (let b = 0; b < CONTRAST_BANDS; b++) bins[b] = Math.min(count, Math.ceil(CONTRAST_EDGES_HZ[b]! / binHz));
  bins[CONTRAST_BANDS] = count;
  const quantile = Int32Array.from({ length: CONTRAST_BANDS }, (_, b) => Math.min(MAX_QUANTILE_BINS, Math.max(1, Math.round(CONTRAST_QUANTILE * (bins[b + 1]! - bins[b]!)))));
  return { bins, quantile };
}

/** Per-frame spectral shape of one FFT size; stateless between frames. */
export class SpectralShape {
  readonly binHz: number;
  private readonly power: Float32Array;
  private readonly melBand0: Int16Array;
  private readonly melWeight0: Float32Array;
  private readonly melBand1: Int16Array;
  private readonly melWeight1: Float32Array;
  private readonly melCount: number;
  private readonly melPower = new Float64Array(MEL_BANDS);
  private readonly contrastBins: Int32Array;
  private readonly contrastQuantile: Int32Array;
  private readonly low = new Float64Array(MAX_QUANTILE_BINS);
  private readonly high = new Float64Array(MAX_QUANTILE_BINS);
  /** Results of the last `next` call. */
  centroidHz = 0;
  rolloffHz = 0;
  flatness = 0;

  constructor(readonly fftSize: number, sampleRate: number) {
    const bins = fftSize / 2 + 1;
    this.binHz = sampleRate / fftSize;
    this.power = new Float32Array(bins);
    const mel = melBands(fftSize, sampleRate, MEL_BANDS, MEL_FMIN, MEL_FMAX);
    this.melBand0 = mel.band0;
    this.melWeight0 = mel.weight0;
    this.melBand1 = mel.band1;
    this.melWeight1 = mel.weight1;
    this.melCount = mel.count;
    const table = contrastTable(fftSize, sampleRate);
    this.contrastBins = table.bins;
    this.contrastQuantile = table.quantile;
  }

  /**
   * Analyses one frame: `spectrum` is its unwindowed FFT in PFFFT's ordered layout (the Hann window is applied
   * in the frequency domain) and `scale` turns |X_w|² into the front end's power unit. Writes MEL_BANDS log
   * band powers (dB) to mel[melAt…] and CONTRAST_BANDS contrasts (dB) to contrast[contrastAt…]; sets
   * centroidHz, rolloffHz and flatness.
   */
  next(spectrum: Float32Array, scale: number, mel: Float32Array, melAt: number, contrast: Float32Array, contrastAt: number): void {
    const p = this.power;
    hannPowerFull(spectrum, p, scale);
    const bins = p.length;
    const binHz = this.binHz;
    const melPower = this.melPower;
    melPower.fill(0);
    let total = 0;
    let magSum = 0;
    let magMoment = 0;
    let logSum = 0;
    // The log of a product of 16 floored powers (each ≥ 1e-10, ≤ ~10: no under- or overflow) replaces 16 logs.
    let product = 1;
    const { melBand0, melWeight0, melBand1, melWeight1 } = this;
    for (let k = 0; k < bins; k++) {
      const x = p[k]!;
      total += x;
      const m = Math.sqrt(x);
      magSum += m;
      magMoment += m * k;
      product *= x > AMIN ? x : AMIN;
      if ((k & 15) === 15) {
        logSum += Math.log(product);
        product = 1;
      }
      const b0 = melBand0[k]!;
      if (b0 >= 0) {
        melPower[b0]! += melWeight0[k]! * x;
        const b1 = melBand1[k]!;
        if (b1 >= 0) melPower[b1]! += melWeight1[k]! * x;
      }
    }
    logSum += Math.log(product);
    const floor = 10 ** (MEL_FLOOR_DB / 10);
    for (let b = 0; b < MEL_BANDS; b++) {
      const x = b < this.melCount ? melPower[b]! : 0;
      mel[melAt + b] = 10 * Math.log10(x > floor ? x : floor);
    }
    if (!(total > SILENT_POWER)) {
      this.centroidHz = 0;
      this.rolloffHz = 0;
      this.flatness = 0;
      contrast.fill(0, contrastAt, contrastAt + CONTRAST_BANDS);
      return;
    }
    // Spectral centroid of the magnitude spectrum (librosa.feature.spectral_centroid).
    this.centroidHz = (magMoment / magSum) * binHz;
    // Roll-off: the centre of the first bin where the cumulative power reaches 85 % (librosa.feature.spectral_rolloff).
    const target = ROLLOFF_SHARE * total;
    let cum = 0;
    let k = 0;
    for (; k < bins - 1; k++) {
      cum += p[k]!;
      if (cum >= target) break;
    }
    this.rolloffHz = k * binHz;
    // Flatness: geometric over arithmetic mean of the power spectrum (Dubnov 2004; librosa's amin).
    const arith = Math.max(AMIN, total / bins);
    this.flatness = Math.min(1, Math.exp(logSum / bins) / arith);
    // Octave-band contrast: dB between the mean of the top and of the bottom α share of bins (Jiang et al. 2002).
    for (let b = 0; b < CONTRAST_BANDS; b++) {
      const from = this.contrastBins[b]!;
      const to = this.contrastBins[b + 1]!;
      const n = to - from;
      if (n <= 0) {
        contrast[contrastAt + b] = 0;
        continue;
      }
      const q = this.contrastQuantile[b]!;
      let valley: number;
      let peak: number;
      if (q === 1) {
        valley = Infinity;
        peak = -Infinity;
        for (let k = from; k < to; k++) {
          const x = p[k]!;
          if (x < valley) valley = x;
          if (x > peak) peak = x;
        }
      } else {
        valley = meanOfExtremes(p, from, to, q, this.low, -1);
        peak = meanOfExtremes(p, from, to, q, this.high, 1);
      }
      contrast[contrastAt + b] = 10 * Math.log10((peak + AMIN) / (valley + AMIN));
    }
  }
}

/**
 * Mean of the q largest (sign 1) or smallest (sign −1) of x[from, to), by insertion into a sorted buffer of q
 * (q is 1–3 here: a full sort per band and frame cost more than the rest of the frame).
 */
function meanOfExtremes(x: Float32Array, from: number, to: number, q: number, buf: Float64Array, sign: 1 | -1): number {
  let have = 0;
  for (let k = from; k < to; k++) {
    const v = sign * x[k]!;
    if (have === q && v <= buf[q - 1]!) continue;
    let i = have < q ? have++ : q - 1;
    while (i > 0 && buf[i - 1]! < v) {
      buf[i] = buf[i - 1]!;
      i--;
    }
    buf[i] = v;
  }
  let sum = 0;
  for (let i = 0; i < have; i++) sum += buf[i]!;
  return (sign * sum) / have;
}
