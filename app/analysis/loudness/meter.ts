// The streaming half of the loudness analyser: K-weighted energy per 100 ms sub-block (the step of
// BS.1770-4's 400 ms blocks with 75 % overlap, and of EBU Tech 3341/3342's 10 Hz meters), mid and
// side energy per sub-block for the stereo width, and the peaks. Everything kept grows by three
// numbers per 100 ms (about 0.9 MB for an hour), whatever the sample rate and channel count.
import { channelWeights } from './channels.ts';
import { KWeighting } from './kWeighting.ts';
import { TruePeakMeter } from './truePeak.ts';

/** A growable array of doubles. */
class Doubles {
  private data = new Float64Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

export interface MeterTotals {
  /** Per complete 100 ms sub-block: weighted sum over channels of the K-weighted mean square (BS.1770-4 z_i·G_i). */
  subBlocks: Float64Array;
  /** Per sub-block: mean square of mid (L+R)/2 and side (L−R)/2 of the first two channels (0 for mono). */
  mid: Float64Array;
  side: Float64Array;
  /** Seconds per sub-block (0.1, or the nearest whole number of samples to it). */
  subBlockSec: number;
  truePeak: number;
  samplePeak: number;
  channels: number;
  sampleRate: number;
  /** Source samples per channel seen in all. */
  frames: number;
}

export class LoudnessMeter {
  private rate = 0;
  private channelCount = 0;
  private weights: number[] = [];
  private filters: KWeighting[] = [];
  private peaks: TruePeakMeter | null = null;
  private truePeak = 0;
  private samplePeak = 0;
  private subBlockLength = 0;
  /** Samples of the current sub-block so far, and its sums. */
  private filled = 0;
  private acc: number[] = [];
  /** Scratch: per channel, the K-weighted sums of squares of the spans of the current chunk. */
  private spanSums = new Float64Array(0);
  private midAcc = 0;
  private sideAcc = 0;
  private readonly subBlocks = new Doubles();
  private readonly mid = new Doubles();
  private readonly side = new Doubles();
  private firstRate = 0;
  private firstChannels = 0;
  private frames = 0;

  /** One chunk of the file's own channels (WAV order) at `rate` Hz. */
  process(channels: readonly Float32Array[], length: number, rate: number): void {
    if (channels.length === 0 || length === 0) return;
    if (rate !== this.rate || channels.length !== this.channelCount) this.configure(channels.length, rate);
    this.peaks!.process(channels, length);
    // Per channel, one pass over the whole chunk: the sums of each span up to a sub-block's end.
    const first = this.subBlockLength - this.filled;
    const spans = 1 + Math.max(0, Math.ceil((length - first) / this.subBlockLength));
    const perSpan = Math.max(4, channels.length);
    if (this.spanSums.length < perSpan * spans) this.spanSums = new Float64Array(perSpan * spans);
    const sums = this.spanSums;
    if (channels.length === 2 && this.weights[0]! > 0 && this.weights[1]! > 0) {
      // Stereo: both filters and the mid/side energies in one pass.
      KWeighting.stereoSpanSums(this.filters[0]!, this.filters[1]!, channels[0]!, channels[1]!, length, first, this.subBlockLength, sums);
      this.addStereoSpans(sums, length);
      this.frames += length;
      return;
    }
    for (let c = 0; c < channels.length; c++) if (this.weights[c]! > 0) this.filters[c]!.spanSums(channels[c]!, length, first, this.subBlockLength, sums.subarray(c * spans, (c + 1) * spans));
    let i = 0;
    for (let k = 0; i < length; k++) {
      const end = Math.min(length, i + this.subBlockLength - this.filled);
      for (let c = 0; c < channels.length; c++) if (this.weights[c]! > 0) this.acc[c]! += sums[c * spans + k]!;
      if (channels.length >= 2) this.midSide(channels[0]!, channels[1]!, i, end);
      this.filled += end - i;
      i = end;
      if (this.filled === this.subBlockLength) this.closeSubBlock();
    }
    this.frames += length;
  }

  /** Adds the spans of `KWeighting.stereoSpanSums` to the sub-blocks, as the loop of `process` does for other layouts. */
  private addStereoSpans(sums: Float64Array, length: number): void {
    let i = 0;
    for (let k = 0; i < length; k++) {
      const end = Math.min(length, i + this.subBlockLength - this.filled);
      this.acc[0]! += sums[4 * k]!;
      this.acc[1]! += sums[4 * k + 1]!;
      this.midAcc += sums[4 * k + 2]! * 0.25;
      this.sideAcc += sums[4 * k + 3]! * 0.25;
      this.filled += end - i;
      i = end;
      if (this.filled === this.subBlockLength) this.closeSubBlock();
    }
  }

  private midSide(l: Float32Array, r: Float32Array, from: number, to: number): void {
    let m = 0;
    let s = 0;
    for (let i = from; i < to; i++) {
      const a = l[i]!;
      const b = r[i]!;
      m += (a + b) * (a + b);
      s += (a - b) * (a - b);
    }
    this.midAcc += m * 0.25;
    this.sideAcc += s * 0.25;
  }

  private closeSubBlock(): void {
    let z = 0;
    for (let c = 0; c < this.acc.length; c++) z += this.weights[c]! * this.acc[c]!;
    const n = this.subBlockLength;
    if (!Number.isFinite(z) || !Number.isFinite(this.midAcc + this.sideAcc)) throw new Error('the audio holds samples that are not numbers (NaN or infinity)');
    this.subBlocks.push(z / n);
    this.mid.push(this.midAcc / n);
    this.side.push(this.sideAcc / n);
    this.acc.fill(0);
    this.midAcc = 0;
    this.sideAcc = 0;
    this.filled = 0;
  }

  /** Filters and weights for a layout; a chained stream that changes rate or channels starts fresh filters. */
  private configure(channels: number, rate: number): void {
    if (this.peaks) {
      this.truePeak = Math.max(this.truePeak, this.peaks.truePeak);
      this.samplePeak = Math.max(this.samplePeak, this.peaks.samplePeak);
    } else {
      this.firstRate = rate;
      this.firstChannels = channels;
    }
    this.rate = rate;
    this.channelCount = channels;
    this.weights = channelWeights(channels);
    this.filters = Array.from({ length: channels }, () => new KWeighting(rate));
    this.peaks = new TruePeakMeter(rate);
    this.subBlockLength = Math.max(1, Math.round(rate / 10));
    this.acc = new Array<number>(channels).fill(0);
    // A partly filled sub-block carries on at the new rate (its length in samples changes).
    this.filled = Math.min(this.filled, this.subBlockLength - 1);
  }

  totals(): MeterTotals {
    const truePeak = Math.max(this.truePeak, this.peaks?.truePeak ?? 0);
    const samplePeak = Math.max(this.samplePeak, this.peaks?.samplePeak ?? 0);
    return {
      subBlocks: this.subBlocks.view(),
      mid: this.mid.view(),
      side: this.side.view(),
      subBlockSec: this.subBlockLength / (this.rate || 1),
      truePeak,
      samplePeak,
      channels: this.firstChannels,
      sampleRate: this.firstRate,
      frames: this.frames,
    };
  }
}
