// Pitch evidence of one long-window frame: spectral peaks → fine (36-bin) treble and bass chroma rows and
// the tuning estimate. The treble row takes each peak less what the partials of lower peaks explain
// (partials.ts): a low note's 5th and 10th partials (its major third, two and three octaves up) are not
// read as played thirds.
import { TuningEstimator, addToFineChroma, hzToMidi } from './chroma.ts';
import { spectralPeaks } from './spectral.ts';
import { partialResiduals } from './partials.ts';
import type { PartialModel } from './partials.ts';

/** Frequency ranges (Hz) folded into the two chroma vectors. */
export const TREBLE_RANGE: readonly [number, number] = [130, 2000];
export const BASS_RANGE: readonly [number, number] = [40, 250];
/** Peaks below this amplitude (−80 dBFS) or 50 dB below the frame's strongest peak are not pitch evidence. */
const PEAK_FLOOR = 1e-4;
const PEAK_RELATIVE = 10 ** (-50 / 20);
/** Only peaks within 30 dB of the frame's strongest, between 60 and 2000 Hz, count towards the tuning. */
const TUNING_RELATIVE = 10 ** (-30 / 20);
const TUNING_RANGE: readonly [number, number] = [60, 2000];
const MAX_PEAKS = 256;
/**
 * Partials explained away before the treble chroma: the 5th and 10th (major thirds; octaves and fifths keep
 * their chord's pitch classes, and removing them cost root accuracy on POP909), partial h expected at
 * 0.5^(h−1) of its fundamental (5th: −24 dB; measured −15 to −22 dB on rendered piano bass notes, so this
 * errs towards keeping soft played thirds), from bass fundamentals only (up to 260 Hz): with melody and
 * pad notes as fundamentals too, or 0.6, played thirds of the synthesised demo songs were lost.
 */
const PARTIALS = { decay: 0.5, partials: [5, 10], toleranceCents: 40, maxFundamentalHz: 260 } as const;

/** What one FFT size's pitch frames look at (PitchPeaks, and the WebAssembly kernel in pitchFrame.ts). */
export interface PitchSettings {
  binHz: number;
  /** Bins searched for peaks; the power is needed for bins 0 … highBin + 1. */
  lowBin: number;
  highBin: number;
  /** Peaks at or below this power are not pitch evidence; nor are those below `relative` of the frame's strongest amplitude. */
  floorPower: number;
  relative: number;
  /** Peaks from `tuningRelative` of the strongest, within `tuningRange` (Hz), count towards the tuning. */
  tuningRelative: number;
  tuningRange: readonly [number, number];
  trebleRange: readonly [number, number];
  bassRange: readonly [number, number];
  model: PartialModel;
}

export function pitchSettings(fftSize: number, sampleRate: number): PitchSettings {
  const binHz = sampleRate / fftSize;
  return {
    binHz,
    lowBin: Math.max(1, Math.floor(BASS_RANGE[0] / binHz) - 1),
    // The power is read up to highBin + 1, which hannPowerLow computes below n/2 − 1 only (at 4 kHz the
    // treble range reaches Nyquist).
    highBin: Math.min(fftSize / 2 - 3, Math.ceil(TREBLE_RANGE[1] / binHz) + 1),
    floorPower: PEAK_FLOOR * PEAK_FLOOR,
    relative: PEAK_RELATIVE,
    tuningRelative: TUNING_RELATIVE,
    tuningRange: TUNING_RANGE,
    trebleRange: TREBLE_RANGE,
    bassRange: BASS_RANGE,
    model: { decay: PARTIALS.decay, partials: PARTIALS.partials, toleranceCents: PARTIALS.toleranceCents, maxFundamentalBin: PARTIALS.maxFundamentalHz / binHz },
  };
}

/** The pitch frame in JavaScript: the reference the WebAssembly kernel (pitchFrame.ts) is tested against, and its fallback. */
export class PitchPeaks {
  readonly settings: PitchSettings;
  /** Highest bin whose power `analyse` needs (size the power array as highBin + 2). */
  readonly highBin: number;
  private readonly peakBin = new Float32Array(MAX_PEAKS);
  private readonly peakAmp = new Float32Array(MAX_PEAKS);
  private readonly residual = new Float32Array(MAX_PEAKS);
  readonly tuning = new TuningEstimator();

  constructor(fftSize: number, sampleRate: number) {
    this.settings = pitchSettings(fftSize, sampleRate);
    this.highBin = this.settings.highBin;
  }

  reset(): void {
    this.tuning.reset();
  }

  /**
   * Adds the frame's peaks (power spectrum in full-scale amplitude² units, bins 0 … highBin + 1) to the
   * fine chroma rows at `trebleAt` / `bassAt` (which must be zero) and to the tuning estimate.
   */
  analyse(power: Float32Array, treble: Float32Array, trebleAt: number, bass: Float32Array, bassAt: number): void {
    const s = this.settings;
    const count = spectralPeaks(power, s.lowBin, s.highBin, s.floorPower, this.peakBin, this.peakAmp);
    if (count === 0) return;
    let max = 0;
    for (let p = 0; p < count; p++) if (this.peakAmp[p]! > max) max = this.peakAmp[p]!;
    const floor = max * s.relative;
    const tuningFloor = max * s.tuningRelative;
    const residual = this.residual;
    partialResiduals(this.peakBin, this.peakAmp, count, residual, s.model);
    for (let p = 0; p < count; p++) {
      const amp = this.peakAmp[p]!;
      if (amp < floor) continue;
      const hz = this.peakBin[p]! * s.binHz;
      const midi = hzToMidi(hz);
      if (hz >= s.trebleRange[0] && hz <= s.trebleRange[1] && residual[p]! > 0) addToFineChroma(treble, trebleAt, midi, residual[p]!);
      if (hz >= s.bassRange[0] && hz <= s.bassRange[1]) addToFineChroma(bass, bassAt, midi, amp);
      if (amp >= tuningFloor && hz >= s.tuningRange[0] && hz <= s.tuningRange[1]) this.tuning.add(midi, amp);
    }
  }
}
