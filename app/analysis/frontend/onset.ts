// Onset strength of one frame from its power spectrum: log mel-band power flux (librosa.onset.onset_strength
// style) with SuperFlux's max filter across bands.
import { melBands } from './spectral.ts';

const BANDS = 64;
const FMIN = 30;
const FMAX = 11025;
/**
 * Band powers are floored 80 dB below the loudest band power so far (librosa's top_db = 80, made causal)
 * and never below −120 dB re a full-scale sine: the envelope does not depend on the file's level, and
 * digital silence has no flux.
 */
export const RANGE = 1e-8;
export const MIN_FLOOR = 1e-12;

/** The flux's mel bands per bin: bin k adds lowWeight[k] of its power to band lowBand[k] and highWeight[k] to band lowBand[k] + 1 (slot `count` is a sink). */
export interface FluxBandTable {
  count: number;
  lowBand: Int32Array;
  lowWeight: Float32Array;
  highWeight: Float32Array;
}

/** The flux's BANDS mel bands (FMIN–FMAX) for an FFT size, one low and one high band per bin. */
export function fluxBandTable(fftSize: number, sampleRate: number): FluxBandTable {
  const bands = melBands(fftSize, sampleRate, BANDS, FMIN, FMAX);
  const bins = fftSize / 2 + 1;
  const count = bands.count;
  const lowBand = new Int32Array(bins).fill(count);
  const lowWeight = new Float32Array(bins);
  const highWeight = new Float32Array(bins);
  for (let k = 0; k < bins; k++) {
    const b0 = bands.band0[k]!;
    const b1 = bands.band1[k]!;
    if (b0 < 0) continue;
    // A bin lies on the falling slope of one band and the rising slope of the next.
    const lo = b1 >= 0 ? Math.min(b0, b1) : b0;
    lowBand[k] = lo;
    lowWeight[k] = b1 >= 0 && b1 < b0 ? bands.weight1[k]! : bands.weight0[k]!;
    highWeight[k] = b1 < 0 ? 0 : b1 > b0 ? bands.weight1[k]! : bands.weight0[k]!;
  }
  return { count, lowBand, lowWeight, highWeight };
}

/** Per-frame spectral flux; feed frames in order, `reset()` between files. */
export class SpectralFlux {
  private readonly count: number;
  private readonly lowBand: Int32Array;
  private readonly lowWeight: Float32Array;
  private readonly highWeight: Float32Array;
  private readonly db: Float32Array;
  private readonly prev: Float32Array;
  private loudest = 0;

  constructor(private readonly fftSize: number, sampleRate: number) {
    const table = fluxBandTable(fftSize, sampleRate);
    this.count = table.count;
    this.lowBand = table.lowBand;
    this.lowWeight = table.lowWeight;
    this.highWeight = table.highWeight;
    this.db = new Float32Array(this.count + 2);
    this.prev = new Float32Array(this.count);
    this.reset();
  }

  reset(): void {
    this.prev.fill(10 * Math.log10(MIN_FLOOR));
    this.loudest = 0;
  }

  /**
   * Onset strength of the next frame: mean over mel bands of the half-wave-rectified rise in log band
   * power against the previous frame's maximum over the band and its two neighbours (Böck & Widmer 2013,
   * Maximum filter vibrato suppression for onset detection (SuperFlux); librosa.onset.onset_strength).
   * `spectrum` is the frame's unwindowed FFT in PFFFT's ordered layout; the periodic Hann window is applied
   * here in the frequency domain (X_w[k] = ½X[k] − ¼(X[k−1] + X[k+1]), Harris 1978) and `scale` converts
   * |X_w|² to full-scale power.
   */
  next(spectrum: Float32Array, scale: number): number {
    const n = this.fftSize;
    const half = n / 2;
    const { lowBand, lowWeight, highWeight, db, count } = this;
    db.fill(0);
    const add = (k: number, p: number) => {
      db[lowBand[k]!]! += lowWeight[k]! * p;
      db[lowBand[k]! + 1]! += highWeight[k]! * p;
    };
    const dc = 0.5 * spectrum[0]! - 0.5 * spectrum[2]!;
    add(0, dc * dc);
    const ny = 0.5 * spectrum[1]! - 0.5 * spectrum[n - 2]!;
    add(half, ny * ny);
    // Bins 1 and n/2 − 1 have a real neighbour (DC / Nyquist, packed into spectrum[0] / spectrum[1]).
    let re = 0.5 * spectrum[2]! - 0.25 * (spectrum[0]! + spectrum[4]!);
    let im = 0.5 * spectrum[3]! - 0.25 * spectrum[5]!;
    add(1, re * re + im * im);
    re = 0.5 * spectrum[n - 2]! - 0.25 * (spectrum[n - 4]! + spectrum[1]!);
    im = 0.5 * spectrum[n - 1]! - 0.25 * spectrum[n - 3]!;
    add(half - 1, re * re + im * im);
    for (let k = 2, i = 4; k < half - 1; k++, i += 2) {
      const r = 0.5 * spectrum[i]! - 0.25 * (spectrum[i - 2]! + spectrum[i + 2]!);
      const m = 0.5 * spectrum[i + 1]! - 0.25 * (spectrum[i - 1]! + spectrum[i + 3]!);
      const p = r * r + m * m;
      const b = lowBand[k]!;
      db[b]! += lowWeight[k]! * p;
      db[b + 1]! += highWeight[k]! * p;
    }
    let loudest = this.loudest;
    for (let b = 0; b < count; b++) {
      db[b] = db[b]! * scale;
      if (db[b]! > loudest) loudest = db[b]!;
    }
    this.loudest = loudest;
    const floor = Math.max(MIN_FLOOR, loudest * RANGE);
    const prev = this.prev;
    let flux = 0;
    let before = -Infinity;
    for (let b = 0; b < count; b++) {
      const level = 10 * Math.log10(db[b]! > floor ? db[b]! : floor);
      let ref = prev[b]!;
      if (b > 0 && before > ref) ref = before;
      if (b + 1 < count && prev[b + 1]! > ref) ref = prev[b + 1]!;
      before = prev[b]!;
      prev[b] = level;
      if (level > ref) flux += level - ref;
    }
    return count > 0 ? flux / count : 0;
  }
}
