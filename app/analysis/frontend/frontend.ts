// The 'frontend' analyser: one streaming STFT pass producing per-frame RMS, onset strength, tuning and
// treble/bass chroma for the analysers after it (rhythm, key, chords).
//
// Frames are centred at multiples of the hop (librosa's center=True: frame i covers the signal around
// i·hop, zero-padded beyond both ends), hop = 512 samples at 22050 Hz (≈ 43.07 frames/s). Two Hann windows
// are centred on the frames:
//  - 4096 samples (186 ms, 5.4 Hz bins) for tuning and chroma: long enough to separate semitones in the
//    bass (a semitone at 65 Hz is 3.9 Hz; peaks are located to a fraction of a bin by interpolation). It
//    is computed at every second frame: consecutive long windows still overlap by 75 % (librosa's chroma
//    default), and the rows of the frames in between are interpolated, which halves the dominant cost;
//  - 512 samples (23 ms, one hop) at every frame for the onset envelope: a 2048- or 4096-sample window
//    smears an attack over 4–8 frames, while beat tracking wants it in one. 1024 samples gave the same
//    beat accuracy on the demo songs but cost twice as much (frontend on 4 min of audio: 314 vs 162 ms).
// RMS is taken over the two hops around the frame centre (46 ms). Windowing is applied in the frequency
// domain (three taps), and only the samples the next frame still needs (one long window) are kept
// between blocks. Transient memory: 72 floats per frame (fine chroma) until `finish` folds them to 24.
// The short window's spectrum also gives the spectral shape of every frame (shape.ts): a 40-band log-mel
// row (dB), centroid, 85 % roll-off, flatness and 7 octave-band contrasts — 50 floats per frame kept, no
// second FFT. Flux and shape come from one WebAssembly pass over the bins (shortFrame.ts), the long
// window's peaks and fine chroma rows from another kernel (pitchFrame.ts).
import type { Analyser, AudioStreamInfo, FrontEndFeatures } from '../types.ts';
import { FINE_BINS, foldChroma, folding } from './chroma.ts';
import { loadPffft, realFftOn } from './fft.ts';
import type { RealFft } from './fft.ts';
import type { PffftModule } from '@echogarden/pffft-wasm/simd';
import { GrowableFloat32Array } from './growable.ts';
import { createPitchFrame } from './pitchFrame.ts';
import type { PitchFrame } from './pitchFrame.ts';
import { CONTRAST_BANDS, MEL_BANDS } from './shape.ts';
import { createShortFrame } from './shortFrame.ts';
import type { ShortFrame } from './shortFrame.ts';

// 3: the treble chroma no longer counts low notes' 5th and 10th partials as played thirds (pitch.ts).
export const FRONTEND_VERSION = 3;

/** Sizes in hops; the hop is 512 at 22050 Hz and the power of two nearest 23.2 ms at other rates. */
const HOP_AT_22050 = 512;
const LONG_PER_HOP = 8;
const SHORT_PER_HOP = 1;
/** The long (pitch) window is computed at every CHROMA_STRIDE-th frame. */
const CHROMA_STRIDE = 2;
/** Hop sums of squares kept (a power of two ≥ LONG_PER_HOP / 2 + 2). */
const HOP_RING = 8;
/** Fewer tuning peaks than this (a click, a blip) say nothing about tuning: 0 cents. */
const MIN_TUNING_PEAKS = 50;
/** Chroma log compression log(1 + γ·E), E in full-scale amplitude units, and the silence threshold on E. */
const CHROMA_GAMMA = 100;
const CHROMA_MIN_ENERGY = 1e-3;

export interface FrontEndOptions {
  /** Sample rate expected (default 22050 Hz); `begin` reconfigures for another. */
  sampleRate?: number;
}

/** Streaming STFT front end (see the file comment). One instance can analyse many files in turn. */
export class FrontEndAnalyser implements Analyser<FrontEndFeatures> {
  readonly name = 'frontend';
  readonly version = FRONTEND_VERSION;
  readonly dependsOn: readonly string[] = [];

  private mod: PffftModule | null = null;
  // Per-rate configuration (see configure).
  private sampleRate: number;
  private hop = HOP_AT_22050;
  private longSize = HOP_AT_22050 * LONG_PER_HOP;
  private shortSize = HOP_AT_22050 * SHORT_PER_HOP;
  private longFft: RealFft | null = null;
  private shortFft: RealFft | null = null;
  private short: ShortFrame | null = null;
  private pitch: PitchFrame | null = null;

  // Per-file state.
  private buf = new Float32Array(0);
  /** Absolute index of buf[0] (negative at first: the zero padding before the signal). */
  private bufStart = 0;
  private bufLen = 0;
  private samplesSeen = 0;
  private nextFrame = 0;
  /** Hops [0, checkedHops) have been cleaned of non-finite samples and summed. */
  private checkedHops = 0;
  private readonly hopSums = new Float64Array(HOP_RING);
  private onset = new GrowableFloat32Array();
  private rms = new GrowableFloat32Array();
  private fineTreble = new GrowableFloat32Array();
  private fineBass = new GrowableFloat32Array();
  private mel = new GrowableFloat32Array();
  private centroid = new GrowableFloat32Array();
  private rolloff = new GrowableFloat32Array();
  private flatness = new GrowableFloat32Array();
  private contrast = new GrowableFloat32Array();
  private begun = false;

  constructor(options: FrontEndOptions = {}) {
    this.sampleRate = options.sampleRate ?? 22050;
  }

  /** Loads the WASM FFT (once per process) and makes the expected rate's transforms. */
  async prepare(): Promise<void> {
    this.mod = await loadPffft();
    this.configure(this.sampleRate);
  }

  begin(info: AudioStreamInfo): void {
    if (info.sampleRate !== this.sampleRate || !this.short) this.configure(info.sampleRate);
    const hint = info.durationHint && info.durationHint > 0 ? Math.ceil((info.durationHint * info.sampleRate) / this.hop) + 8 : 4096;
    this.reset(Math.min(hint, 1 << 20));
  }

  /** Sizes, transforms and tables for a sample rate: the hop is the power of two nearest 23.2 ms (512 at 22050 Hz). */
  private configure(sampleRate: number): void {
    if (!this.mod) throw new Error('frontend: prepare() was not awaited before the decode pass');
    if (!(sampleRate >= 4000 && sampleRate <= 384000)) throw new Error(`frontend: bad sample rate ${sampleRate}`);
    this.sampleRate = sampleRate;
    this.hop = 2 ** Math.round(Math.log2((sampleRate * HOP_AT_22050) / 22050));
    this.longSize = this.hop * LONG_PER_HOP;
    this.shortSize = this.hop * SHORT_PER_HOP;
    this.longFft = realFftOn(this.mod, this.longSize);
    this.shortFft = realFftOn(this.mod, this.shortSize);
    this.short = createShortFrame(this.shortSize, sampleRate);
    this.pitch = createPitchFrame(this.longSize, sampleRate);
  }

  process(samples: Float32Array): void {
    if (!this.begun) this.begin({ sampleRate: this.sampleRate, sourceSampleRate: this.sampleRate, sourceChannels: 1, durationHint: null });
    let at = 0;
    while (at < samples.length) {
      const n = Math.min(samples.length - at, this.buf.length - this.bufLen);
      this.buf.set(samples.subarray(at, at + n), this.bufLen);
      this.bufLen += n;
      at += n;
      this.samplesSeen += n;
      this.drain(Infinity);
    }
  }

  finish(): FrontEndFeatures {
    if (!this.begun) this.begin({ sampleRate: this.sampleRate, sourceSampleRate: this.sampleRate, sourceChannels: 1, durationHint: null });
    const total = this.samplesSeen;
    const frameCount = total > 0 ? Math.floor((total - 1) / this.hop) + 1 : 0;
    // Zero-pad past the end until every frame centred inside the signal is done.
    while (this.nextFrame < frameCount) {
      this.buf.fill(0, this.bufLen);
      this.bufLen = this.buf.length;
      this.drain(frameCount);
    }
    // A last frame that fell between two long windows copies the one before.
    if (frameCount > 1 && (frameCount - 1) % CHROMA_STRIDE !== 0) {
      this.interpolateRows(frameCount - 1, frameCount - 1 - ((frameCount - 1) % CHROMA_STRIDE), -1);
    }
    const { semitones, peaks } = this.pitch!.tuning.estimate();
    const tuning = peaks >= MIN_TUNING_PEAKS ? semitones : 0;
    const fold = folding(tuning);
    const features: FrontEndFeatures = {
      sampleRate: this.sampleRate,
      hopSize: this.hop,
      frameRate: this.sampleRate / this.hop,
      frameCount,
      durationSec: total / this.sampleRate,
      tuningCents: Math.round(tuning * 1000) / 10,
      onset: this.onset.raw().slice(0, frameCount),
      rms: this.rms.raw().slice(0, frameCount),
      chromaTreble: foldChroma(this.fineTreble.raw(), frameCount, fold, CHROMA_GAMMA, CHROMA_MIN_ENERGY),
      chromaBass: foldChroma(this.fineBass.raw(), frameCount, fold, CHROMA_GAMMA, CHROMA_MIN_ENERGY),
      melBands: MEL_BANDS,
      mel: this.mel.raw().slice(0, frameCount * MEL_BANDS),
      spectralCentroid: this.centroid.raw().slice(0, frameCount),
      spectralRolloff: this.rolloff.raw().slice(0, frameCount),
      spectralFlatness: this.flatness.raw().slice(0, frameCount),
      contrastBands: CONTRAST_BANDS,
      spectralContrast: this.contrast.raw().slice(0, frameCount * CONTRAST_BANDS),
    };
    this.release();
    return features;
  }

  private reset(expectedFrames: number): void {
    const half = this.longSize / 2;
    this.buf = new Float32Array(this.longSize + 16 * this.hop);
    this.bufStart = -half;
    this.bufLen = half;
    this.samplesSeen = 0;
    this.nextFrame = 0;
    this.checkedHops = 0;
    this.hopSums.fill(0);
    this.short!.reset();
    this.pitch!.reset();
    this.onset = new GrowableFloat32Array(expectedFrames);
    this.rms = new GrowableFloat32Array(expectedFrames);
    this.fineTreble = new GrowableFloat32Array(expectedFrames * FINE_BINS);
    this.fineBass = new GrowableFloat32Array(expectedFrames * FINE_BINS);
    this.mel = new GrowableFloat32Array(expectedFrames * MEL_BANDS);
    this.centroid = new GrowableFloat32Array(expectedFrames);
    this.rolloff = new GrowableFloat32Array(expectedFrames);
    this.flatness = new GrowableFloat32Array(expectedFrames);
    this.contrast = new GrowableFloat32Array(expectedFrames * CONTRAST_BANDS);
    this.begun = true;
  }

  private release(): void {
    this.begun = false;
    this.buf = new Float32Array(0);
    this.onset = new GrowableFloat32Array(16);
    this.rms = new GrowableFloat32Array(16);
    this.fineTreble = new GrowableFloat32Array(16);
    this.fineBass = new GrowableFloat32Array(16);
    this.mel = new GrowableFloat32Array(16);
    this.centroid = new GrowableFloat32Array(16);
    this.rolloff = new GrowableFloat32Array(16);
    this.flatness = new GrowableFloat32Array(16);
    this.contrast = new GrowableFloat32Array(16);
  }

  /** Computes every frame whose long window is in the buffer (frames below `limit`), then drops samples no later frame needs. */
  private drain(limit: number): void {
    const half = this.longSize / 2;
    while (this.nextFrame < limit && this.nextFrame * this.hop + half <= this.bufStart + this.bufLen) {
      this.frame(this.nextFrame);
      this.nextFrame++;
    }
    const keepFrom = this.nextFrame * this.hop - half - this.bufStart;
    if (keepFrom > 0) {
      this.buf.copyWithin(0, keepFrom, this.bufLen);
      this.bufLen -= keepFrom;
      this.bufStart += keepFrom;
    }
  }

  private frame(i: number): void {
    const centre = i * this.hop - this.bufStart;
    this.checkHops(i * this.hop + this.longSize / 2);
    this.rms.push(this.frameRms(i));
    this.onset.push(this.onsetStrength(centre));
    const trebleAt = this.fineTreble.reserve(FINE_BINS);
    const bassAt = this.fineBass.reserve(FINE_BINS);
    this.fineTreble.raw().fill(0, trebleAt, trebleAt + FINE_BINS);
    this.fineBass.raw().fill(0, bassAt, bassAt + FINE_BINS);
    if (i % CHROMA_STRIDE === 0) {
      this.pitchFrame(centre, trebleAt, bassAt);
      if (i >= CHROMA_STRIDE) for (let j = i - CHROMA_STRIDE + 1; j < i; j++) this.interpolateRows(j, i - CHROMA_STRIDE, i);
    }
  }

  /**
   * Replaces NaN/±Infinity by 0 and sums the squares of every hop that ends at or before absolute sample
   * `end` and was not done yet (one pass over each sample, before any window reads it).
   */
  private checkHops(end: number): void {
    const hop = this.hop;
    const buf = this.buf;
    for (; (this.checkedHops + 1) * hop <= end; this.checkedHops++) {
      const from = this.checkedHops * hop - this.bufStart;
      let s = 0;
      for (let k = from; k < from + hop; k++) s += buf[k]! * buf[k]!;
      if (!Number.isFinite(s)) {
        s = 0;
        for (let k = from; k < from + hop; k++) {
          if (!Number.isFinite(buf[k]!)) buf[k] = 0;
          s += buf[k]! * buf[k]!;
        }
      }
      this.hopSums[this.checkedHops & (HOP_RING - 1)] = s;
    }
  }

  /** RMS over the two hops centred on frame i (a 46 ms window at 22050 Hz). */
  private frameRms(i: number): number {
    const a = i > 0 ? this.hopSums[(i - 1) & (HOP_RING - 1)]! : 0;
    const b = this.hopSums[i & (HOP_RING - 1)]!;
    return Math.sqrt((a + b) / (2 * this.hop));
  }

  private onsetStrength(centre: number): number {
    const fft = this.shortFft!;
    const n = this.shortSize;
    fft.input().set(this.buf.subarray(centre - n / 2, centre + n / 2));
    fft.forward();
    // A Hann window sums to n/2: this scale makes a full-scale sine's band power about 1.
    const scale = (4 / n) ** 2;
    const short = this.short!;
    const melAt = this.mel.reserve(MEL_BANDS);
    const contrastAt = this.contrast.reserve(CONTRAST_BANDS);
    const flux = short.next(fft.output(), scale, this.mel.raw(), melAt, this.contrast.raw(), contrastAt);
    this.centroid.push(short.centroidHz);
    this.rolloff.push(short.rolloffHz);
    this.flatness.push(short.flatness);
    return flux;
  }

  private pitchFrame(centre: number, trebleAt: number, bassAt: number): void {
    const fft = this.longFft!;
    const n = this.longSize;
    fft.input().set(this.buf.subarray(centre - n / 2, centre + n / 2));
    fft.forward();
    // A Hann window sums to n/2: this scale makes a full-scale sine read amplitude 1.
    this.pitch!.next(fft.output(), (4 / n) ** 2, this.fineTreble.raw(), trebleAt, this.fineBass.raw(), bassAt);
  }

  /** Fine chroma row j as the linear interpolation of rows a and b (b < 0: a copy of row a). */
  private interpolateRows(j: number, a: number, b: number): void {
    const w = b < 0 ? 0 : (j - a) / (b - a);
    for (const fine of [this.fineTreble.raw(), this.fineBass.raw()]) {
      for (let k = 0; k < FINE_BINS; k++) {
        fine[j * FINE_BINS + k] = (1 - w) * fine[a * FINE_BINS + k]! + (b < 0 ? 0 : w * fine[b * FINE_BINS + k]!);
      }
    }
  }
}

/** A new front-end analyser (name 'frontend'). */
export function createFrontEnd(options: FrontEndOptions = {}): FrontEndAnalyser {
  return new FrontEndAnalyser(options);
}
