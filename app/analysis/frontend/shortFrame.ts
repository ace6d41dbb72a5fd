// The front end's short-window frame: from one frame's unwindowed FFT, its onset flux (onset.ts) and its
// spectral shape (shape.ts). The WebAssembly kernel (build/wasm/shortframe/shortframe.c) does both in one
// pass over the bins, computing the Hann-windowed power once; SpectralFlux and SpectralShape are the
// reference it is tested against (test/analysis/frontend/shortFrame.test.ts) and the fallback where the
// kernel can't load.
import { instantiate, lazyModule } from '../../util/wasm.ts';
import { fluxBandTable, MIN_FLOOR, RANGE, SpectralFlux } from './onset.ts';
import { AMIN, CONTRAST_BANDS, contrastTable, MEL_BANDS, MEL_FLOOR_DB, MEL_FMAX, MEL_FMIN, ROLLOFF_SHARE, SILENT_POWER, SpectralShape } from './shape.ts';
import { SHORT_FRAME_WASM_BASE64 } from './shortFrameWasm.ts';
import { melBands } from './spectral.ts';

/** Flux and shape of a stream's short frames, fed in order; `reset()` between streams. */
export interface ShortFrame {
  /** Shape results of the last `next` call. */
  readonly centroidHz: number;
  readonly rolloffHz: number;
  readonly flatness: number;
  reset(): void;
  /**
   * One frame: `spectrum` is its unwindowed FFT in PFFFT's ordered layout and `scale` turns |X_w|² into the
   * front end's power unit. Writes MEL_BANDS log-mel powers (dB) to mel[melAt…] and CONTRAST_BANDS contrasts
   * (dB) to contrast[contrastAt…], sets the shape results, and returns the frame's onset strength.
   */
  next(spectrum: Float32Array, scale: number, mel: Float32Array, melAt: number, contrast: Float32Array, contrastAt: number): number;
}

/** The reference: SpectralFlux and SpectralShape, each windowing the spectrum itself. */
export class ShortFrameJs implements ShortFrame {
  private readonly flux: SpectralFlux;
  private readonly shape: SpectralShape;

  constructor(fftSize: number, sampleRate: number) {
    this.flux = new SpectralFlux(fftSize, sampleRate);
    this.shape = new SpectralShape(fftSize, sampleRate);
  }

  get centroidHz(): number {
    return this.shape.centroidHz;
  }
  get rolloffHz(): number {
    return this.shape.rolloffHz;
  }
  get flatness(): number {
    return this.shape.flatness;
  }

  reset(): void {
    this.flux.reset();
  }

  next(spectrum: Float32Array, scale: number, mel: Float32Array, melAt: number, contrast: Float32Array, contrastAt: number): number {
    this.shape.next(spectrum, scale, mel, melAt, contrast, contrastAt);
    return this.flux.next(spectrum, scale);
  }
}

type Exports = Record<string, (...a: number[]) => number> & { memory: { buffer: ArrayBuffer } };

/** The kernel's compiled module, or null where it can't load. */
const kernelModule = lazyModule(SHORT_FRAME_WASM_BASE64);

/** The WebAssembly kernel; one instance per stream (the flux keeps the previous frame's bands). */
export class ShortFrameWasm implements ShortFrame {
  centroidHz = 0;
  rolloffHz = 0;
  flatness = 0;
  private readonly w: Exports;
  private readonly spectrum: Float32Array;
  private readonly out: Float32Array;
  private readonly scalars: Float64Array;
  private readonly binHz: number;

  /** Throws where the kernel can't load or the size is beyond it (createShortFrame falls back). */
  constructor(readonly fftSize: number, sampleRate: number) {
    const module = kernelModule();
    if (!module) throw new Error('short-frame kernel: WebAssembly module unavailable');
    const w = instantiate(module) as Exports;
    if (!(fftSize >= 16 && fftSize <= w.sf_max_n!())) throw new Error(`short-frame kernel: FFT size ${fftSize} out of range`);
    this.w = w;
    const heap = w.memory.buffer;
    const bins = fftSize / 2 + 1;
    this.binHz = sampleRate / fftSize;
    this.spectrum = new Float32Array(heap, w.sf_spectrum!(), fftSize);
    this.out = new Float32Array(heap, w.sf_out!(), MEL_BANDS + CONTRAST_BANDS);
    this.scalars = new Float64Array(heap, w.sf_scalars!(), 4);
    const flux = fluxBandTable(fftSize, sampleRate);
    new Int32Array(heap, w.sf_flux_band!(), bins).set(flux.lowBand);
    new Float32Array(heap, w.sf_flux_low!(), bins).set(flux.lowWeight);
    new Float32Array(heap, w.sf_flux_high!(), bins).set(flux.highWeight);
    const mel = melBands(fftSize, sampleRate, MEL_BANDS, MEL_FMIN, MEL_FMAX);
    new Int32Array(heap, w.sf_mel_band0!(), bins).set(mel.band0);
    new Int32Array(heap, w.sf_mel_band1!(), bins).set(mel.band1);
    new Float32Array(heap, w.sf_mel_weight0!(), bins).set(mel.weight0);
    new Float32Array(heap, w.sf_mel_weight1!(), bins).set(mel.weight1);
    const contrast = contrastTable(fftSize, sampleRate);
    new Int32Array(heap, w.sf_contrast_bins!(), CONTRAST_BANDS + 1).set(contrast.bins);
    new Int32Array(heap, w.sf_contrast_q!(), CONTRAST_BANDS).set(contrast.quantile);
    new Int32Array(heap, w.sf_config!(), 3).set([fftSize, flux.count, mel.count]);
    new Float64Array(heap, w.sf_params!(), 6).set([10 ** (MEL_FLOOR_DB / 10), AMIN, SILENT_POWER, ROLLOFF_SHARE, RANGE, MIN_FLOOR]);
    w.sf_reset!();
  }

  reset(): void {
    this.w.sf_reset!();
  }

  next(spectrum: Float32Array, scale: number, mel: Float32Array, melAt: number, contrast: Float32Array, contrastAt: number): number {
    this.spectrum.set(spectrum);
    const flux = this.w.sf_frame!(scale);
    const out = this.out;
    mel.set(out.subarray(0, MEL_BANDS), melAt);
    contrast.set(out.subarray(MEL_BANDS), contrastAt);
    const s = this.scalars;
    // Centroid and roll-off come in bins; flatness is the geometric over the arithmetic mean (Dubnov 2004).
    this.centroidHz = s[0]! * this.binHz;
    this.rolloffHz = s[1]! * this.binHz;
    this.flatness = s[3]! > 0 ? Math.min(1, Math.exp(s[2]!) / s[3]!) : 0;
    return flux;
  }
}

/** The kernel where it loads, else the JavaScript reference. */
export function createShortFrame(fftSize: number, sampleRate: number): ShortFrame {
  try {
    return new ShortFrameWasm(fftSize, sampleRate);
  } catch {
    return new ShortFrameJs(fftSize, sampleRate);
  }
}
