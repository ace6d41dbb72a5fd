// The front end's long-window (pitch) frame: from one frame's unwindowed FFT, its fine treble and bass
// chroma rows and its tuning peaks (pitch.ts). The WebAssembly kernel (build/wasm/pitchframe/pitchframe.c)
// computes the windowed power, the peaks, the partial residuals and the rows in one call; hannPowerLow +
// PitchPeaks are the reference it is tested against (test/analysis/frontend/pitchFrame.test.ts) and the
// fallback where the kernel can't load. The tuning's circular mean (TuningEstimator) is kept here.
import { instantiate, lazyModule } from '../../util/wasm.ts';
import { FINE_BINS, TuningEstimator } from './chroma.ts';
import { PitchPeaks, pitchSettings } from './pitch.ts';
import { PITCH_FRAME_WASM_BASE64 } from './pitchFrameWasm.ts';
import { hannPowerLow } from './spectral.ts';

/** Pitch evidence of a stream's long frames; `reset()` between streams. */
export interface PitchFrame {
  readonly tuning: TuningEstimator;
  reset(): void;
  /**
   * One frame: `spectrum` is its unwindowed FFT in PFFFT's ordered layout and `scale` turns |X_w|² into
   * full-scale amplitude². Adds its peaks to the fine chroma rows at `trebleAt` / `bassAt` (which must be
   * zero) and to the tuning estimate.
   */
  next(spectrum: Float32Array, scale: number, treble: Float32Array, trebleAt: number, bass: Float32Array, bassAt: number): void;
}

/** The reference: the low bins' windowed power (spectral.ts) into PitchPeaks. */
export class PitchFrameJs implements PitchFrame {
  private readonly peaks: PitchPeaks;
  private readonly power: Float32Array;

  constructor(fftSize: number, sampleRate: number) {
    this.peaks = new PitchPeaks(fftSize, sampleRate);
    this.power = new Float32Array(this.peaks.highBin + 2);
  }

  get tuning(): TuningEstimator {
    return this.peaks.tuning;
  }

  reset(): void {
    this.peaks.reset();
  }

  next(spectrum: Float32Array, scale: number, treble: Float32Array, trebleAt: number, bass: Float32Array, bassAt: number): void {
    hannPowerLow(spectrum, this.power, scale);
    this.peaks.analyse(this.power, treble, trebleAt, bass, bassAt);
  }
}

type Exports = Record<string, (...a: number[]) => number> & { memory: { buffer: ArrayBuffer } };

/** The kernel's compiled module, or null where it can't load. */
const kernelModule = lazyModule(PITCH_FRAME_WASM_BASE64);

/** The WebAssembly kernel; one instance per stream. */
export class PitchFrameWasm implements PitchFrame {
  readonly tuning = new TuningEstimator();
  private readonly w: Exports;
  private readonly spectrum: Float32Array;
  private readonly treble: Float32Array;
  private readonly bass: Float32Array;
  private readonly tuningMidi: Float64Array;
  private readonly tuningAmp: Float64Array;

  /** Throws where the kernel can't load or the size is beyond it (createPitchFrame falls back). */
  constructor(readonly fftSize: number, sampleRate: number) {
    const module = kernelModule();
    if (!module) throw new Error('pitch-frame kernel: WebAssembly module unavailable');
    const w = instantiate(module) as Exports;
    const s = pitchSettings(fftSize, sampleRate);
    const partials = s.model.partials;
    if (!(fftSize >= 16 && fftSize <= w.pf_max_n!() && s.highBin + 2 <= w.pf_max_power!() && partials.length <= w.pf_max_partials!())) {
      throw new Error(`pitch-frame kernel: FFT size ${fftSize} out of range`);
    }
    this.w = w;
    const heap = w.memory.buffer;
    this.spectrum = new Float32Array(heap, w.pf_spectrum!(), fftSize);
    this.treble = new Float32Array(heap, w.pf_treble!(), FINE_BINS);
    this.bass = new Float32Array(heap, w.pf_bass!(), FINE_BINS);
    this.tuningMidi = new Float64Array(heap, w.pf_tuning_midi!(), w.pf_max_peaks!());
    this.tuningAmp = new Float64Array(heap, w.pf_tuning_amp!(), w.pf_max_peaks!());
    new Int32Array(heap, w.pf_config!(), 4 + partials.length).set([fftSize, s.lowBin, s.highBin, partials.length, ...partials]);
    new Float64Array(heap, w.pf_params!(), 13).set([
      s.binHz,
      s.floorPower,
      s.relative,
      s.tuningRelative,
      ...s.trebleRange,
      ...s.bassRange,
      ...s.tuningRange,
      s.model.decay,
      2 ** (s.model.toleranceCents / 1200) - 1,
      s.model.maxFundamentalBin,
    ]);
  }

  reset(): void {
    this.tuning.reset();
  }

  next(spectrum: Float32Array, scale: number, treble: Float32Array, trebleAt: number, bass: Float32Array, bassAt: number): void {
    this.spectrum.set(spectrum);
    const count = this.w.pf_frame!(scale);
    treble.set(this.treble, trebleAt);
    bass.set(this.bass, bassAt);
    for (let i = 0; i < count; i++) this.tuning.add(this.tuningMidi[i]!, this.tuningAmp[i]!);
  }
}

/** The kernel where it loads, else the JavaScript reference. */
export function createPitchFrame(fftSize: number, sampleRate: number): PitchFrame {
  try {
    return new PitchFrameWasm(fftSize, sampleRate);
  } catch {
    return new PitchFrameJs(fftSize, sampleRate);
  }
}
