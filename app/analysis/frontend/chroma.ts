// Pitch-class profiles from spectral peaks. Peaks are first binned at 3 bins per semitone relative to
// A4 = 440 Hz ("fine" chroma, 36 bins); once the file's tuning is known they are folded to 12 pitch
// classes centred on the tuned semitones, log-compressed and L1-normalised.

export const FINE_PER_SEMITONE = 3;
export const FINE_BINS = 12 * FINE_PER_SEMITONE;

/** Fractional MIDI note number of a frequency (A4 = 69 = 440 Hz). */
export function hzToMidi(hz: number): number {
  return 69 + 12 * Math.log2(hz / 440);
}

/** Adds a peak of amplitude `amp` at fractional MIDI pitch `midi` to a fine chroma row, split linearly between the two nearest fine bins. */
export function addToFineChroma(fine: Float32Array, offset: number, midi: number, amp: number): void {
  let u = (midi % 12) * FINE_PER_SEMITONE;
  if (u < 0) u += FINE_BINS;
  const j0 = Math.floor(u);
  const frac = u - j0;
  fine[offset + (j0 % FINE_BINS)]! += amp * (1 - frac);
  fine[offset + ((j0 + 1) % FINE_BINS)]! += amp * frac;
}

/** Each fine bin's weights towards its (at most two) pitch classes: class0/weight0 and class1/weight1. */
export interface Folding {
  class0: Uint8Array;
  weight0: Float32Array;
  class1: Uint8Array;
  weight1: Float32Array;
}

/**
 * Folding of the 36 fine bins to 12 pitch classes for a tuning offset (semitones): a raised-cosine
 * kernel one semitone wide each side of the tuned pitch-class centre, so every fine bin's two weights
 * sum to 1 (Gómez 2006, Tonal description of music audio signals: HPCP weighting).
 */
export function folding(tuningSemitones: number): Folding {
  const f: Folding = { class0: new Uint8Array(FINE_BINS), weight0: new Float32Array(FINE_BINS), class1: new Uint8Array(FINE_BINS), weight1: new Float32Array(FINE_BINS) };
  for (let j = 0; j < FINE_BINS; j++) {
    const pos = j / FINE_PER_SEMITONE - tuningSemitones;
    const c0 = Math.floor(pos);
    const x = pos - c0;
    f.class0[j] = ((c0 % 12) + 12) % 12;
    f.weight0[j] = Math.cos((Math.PI * x) / 2) ** 2;
    f.class1[j] = (((c0 + 1) % 12) + 12) % 12;
    f.weight1[j] = 1 - f.weight0[j]!;
  }
  return f;
}

/**
 * Folds `frames` fine rows to 12-bin chroma rows: fold, log-compress log(1 + γ·E) (Müller 2015, FMP §3.1.2.1),
 * L1-normalise; rows whose folded energy is below `minEnergy` become all zeros.
 */
export function foldChroma(fine: Float32Array, frames: number, fold: Folding, gamma: number, minEnergy: number): Float32Array {
  const out = new Float32Array(frames * 12);
  const e = new Float64Array(12);
  const { class0, weight0, class1, weight1 } = fold;
  for (let t = 0; t < frames; t++) {
    const fo = t * FINE_BINS;
    e.fill(0);
    let total = 0;
    for (let j = 0; j < FINE_BINS; j++) {
      const v = fine[fo + j]!;
      if (v === 0) continue;
      e[class0[j]!]! += weight0[j]! * v;
      e[class1[j]!]! += weight1[j]! * v;
      total += v;
    }
    if (!(total >= minEnergy)) continue;
    let sum = 0;
    for (let c = 0; c < 12; c++) sum += e[c] = Math.log1p(gamma * e[c]!);
    if (!(sum > 0)) continue;
    const o = t * 12;
    for (let c = 0; c < 12; c++) out[o + c] = e[c]! / sum;
  }
  return out;
}

/** Circular mean of peak deviations from the equal-tempered A440 grid, amplitude-weighted (cf. librosa.estimate_tuning, which uses a histogram instead). */
export class TuningEstimator {
  private re = 0;
  private im = 0;
  private weight = 0;
  private count = 0;

  add(midi: number, amp: number): void {
    this.count++;
    const phase = 2 * Math.PI * (midi - Math.round(midi));
    this.re += amp * Math.cos(phase);
    this.im += amp * Math.sin(phase);
    this.weight += amp;
  }

  /** Tuning in semitones (−0.5..0.5), its strength (resultant length 0..1; 0 with no peaks) and the number of peaks behind it. */
  estimate(): { semitones: number; strength: number; peaks: number } {
    if (!(this.weight > 0)) return { semitones: 0, strength: 0, peaks: 0 };
    const strength = Math.hypot(this.re, this.im) / this.weight;
    let semitones = Math.atan2(this.im, this.re) / (2 * Math.PI);
    if (!Number.isFinite(semitones)) semitones = 0;
    if (semitones >= 0.5) semitones -= 1;
    return { semitones, strength: Number.isFinite(strength) ? strength : 0, peaks: this.count };
  }

  reset(): void {
    this.re = this.im = this.weight = this.count = 0;
  }
}
