// Streaming sample-rate conversion of mono float PCM.
// Method: band-limited interpolation with a Kaiser-windowed sinc, fixed-ratio polyphase form
// (J. O. Smith, "Digital Audio Resampling Home Page", ccrma.stanford.edu/~jos/resample/).
//
// Output sample k sits exactly at input position k·M/L (L/M = outRate/inRate in lowest terms), so
// the filter adds no delay, positions are exact integers (no drift over hours), and a whole stream
// of n input samples gives exactly round(n·L/M) output samples. Samples before the start and after
// the end count as zero. Every output depends only on the input, never on how it was split into
// blocks, so block boundaries can't click.
import { createKernel, type PolyphaseKernel } from './polyphaseKernel.ts';

/** Greatest common divisor (Euclid). */
export function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Modified Bessel function of the first kind, order 0 (power series), for the Kaiser window. */
export function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 64; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** Kaiser β for a stopband attenuation of `db` decibels (Kaiser's empirical formula). */
export function kaiserBeta(db: number): number {
  if (db > 50) return 0.1102 * (db - 8.7);
  if (db >= 21) return 0.5842 * (db - 21) ** 0.4 + 0.07886 * (db - 21);
  return 0;
}

export interface ResamplerOptions {
  /** Filter taps per output sample when the rate is halved (scaled by the ratio for other rates). Default 32. */
  taps?: number;
  /** Stopband attenuation the Kaiser window is designed for, in dB. Default 60. */
  attenuationDb?: number;
}

/** Most phases kept as a precomputed table; rarer ratios (huge L) interpolate between table rows. */
const MAX_TABLE_PHASES = 4096;

/** The filter that `Resampler` uses, exposed for tests and reports. */
export interface ResampleFilter {
  /** Reduced ratio: L output samples per M input samples. */
  up: number;
  down: number;
  /** Taps per phase (input samples per output sample), a multiple of 4. */
  taps: number;
  /** Number of rows in `table` minus one (= L when exact, else MAX_TABLE_PHASES). */
  phases: number;
  /** Row p (0..phases) holds the taps for output fraction p/phases, for input offsets -taps/2+1 … taps/2. */
  table: Float32Array;
  /** −6 dB cut-off and stopband edge, in Hz at the output. */
  cutoffHz: number;
  stopbandHz: number;
}

/**
 * Designs the polyphase filter for inRate → outRate (Kaiser-windowed sinc). The stopband starts at
 * the lower of the two Nyquist frequencies, so nothing above the new Nyquist can alias.
 */
export function designFilter(inRate: number, outRate: number, opts: ResamplerOptions = {}): ResampleFilter {
  if (!(Number.isInteger(inRate) && Number.isInteger(outRate) && inRate > 0 && outRate > 0)) {
    throw new RangeError(`sample rates must be positive integers (got ${inRate} → ${outRate})`);
  }
  const g = gcd(inRate, outRate);
  const up = outRate / g;
  const down = inRate / g;
  const ratio = Math.min(1, up / down); // narrower band, relative to the input rate
  const baseTaps = opts.taps ?? 32;
  const db = opts.attenuationDb ?? 60;
  // Taps scale with the decimation factor so the transition band stays the same width at the output.
  // `baseTaps` at 2:1; more when decimating harder, so the transition band keeps its width at the
  // output. A multiple of 4 for the SIMD kernel.
  const n = 4 * Math.max(1, Math.ceil(baseTaps / 4), Math.ceil(baseTaps / (8 * ratio)));
  // Kaiser transition width (cycles per input sample) for this length and attenuation.
  const transition = Math.min((db - 7.95) / (14.36 * n), 0.5 * ratio);
  const stopband = 0.5 * ratio; // cycles per input sample
  const cutoff = stopband - transition / 2; // −6 dB point
  const beta = kaiserBeta(db);
  const half = n / 2;
  const phases = up <= MAX_TABLE_PHASES ? up : MAX_TABLE_PHASES;
  const table = new Float32Array((phases + 1) * n);
  const i0beta = besselI0(beta);
  for (let p = 0; p <= phases; p++) {
    const frac = p / phases;
    let sum = 0;
    const row = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const t = j - half + 1 - frac; // distance of input sample from the output position
      const x = 2 * cutoff * t;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const u = t / half;
      const w = Math.abs(u) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - u * u)) / i0beta;
      row[j] = 2 * cutoff * sinc * w;
      sum += row[j]!;
    }
    // Unity gain at DC in every phase, so a constant stays constant (no phase-dependent ripple).
    for (let j = 0; j < n; j++) table[p * n + j] = row[j]! / sum;
  }
  return { up, down, taps: n, phases, table, cutoffHz: cutoff * inRate, stopbandHz: stopband * inRate };
}

/** Input samples taken per step, which bounds the working memory whatever block size the caller uses. */
const CHUNK = 16384;

const align16 = (n: number): number => (n + 15) & ~15;

/** Streaming resampler: feed blocks with `process`, end with `flush`. Output is identical however the input is split. */
export class Resampler {
  readonly inRate: number;
  readonly outRate: number;
  readonly filter: ResampleFilter;
  /** True when the WebAssembly SIMD kernel does the filtering (else the JavaScript loop). */
  readonly simd: boolean;
  private readonly kernel: PolyphaseKernel | null;
  /** Input samples held: absolute indices [base, base + length). Starts with taps/2 − 1 zeros of history. */
  private readonly x: Float32Array;
  private readonly xOffset: number;
  private readonly out: Float32Array;
  private readonly outOffset: number;
  private length: number;
  private base: number;
  /** Next output: its input position is pos + phase/up, with 0 ≤ phase < up. */
  private pos = 0;
  private phase = 0;
  private produced = 0;
  private consumed = 0;
  private flushed = false;
  private readonly step: number;
  private readonly stepPhase: number;

  constructor(inRate: number, outRate: number, opts: ResamplerOptions & { simd?: boolean } = {}) {
    this.inRate = inRate;
    this.outRate = outRate;
    const f = designFilter(inRate, outRate, opts);
    this.filter = f;
    const half = f.taps / 2;
    const inCap = Math.max(CHUNK, 2 * f.taps) + f.taps;
    const outCap = Math.ceil((inCap * f.up) / f.down) + 4;
    const tableBytes = f.table.length * 4;
    this.xOffset = align16(tableBytes);
    this.outOffset = align16(this.xOffset + inCap * 4);
    const exact = f.phases === f.up;
    this.kernel = exact && opts.simd !== false ? createKernel(this.outOffset + outCap * 4) : null;
    this.simd = this.kernel !== null;
    if (this.kernel) {
      const mem = this.kernel.memory.buffer;
      new Float32Array(mem, 0, f.table.length).set(f.table);
      this.x = new Float32Array(mem, this.xOffset, inCap);
      this.out = new Float32Array(mem, this.outOffset, outCap);
    } else {
      this.x = new Float32Array(inCap);
      this.out = new Float32Array(outCap);
    }
    this.length = half - 1;
    this.base = -(half - 1);
    this.step = Math.floor(f.down / f.up);
    this.stepPhase = f.down % f.up;
  }

  /** Output samples a stream of `inputLength` samples turns into: round(n·out/in), exactly. */
  static outputLength(inputLength: number, inRate: number, outRate: number): number {
    const g = gcd(inRate, outRate);
    const num = BigInt(inputLength) * BigInt(outRate / g);
    const den = BigInt(inRate / g);
    return Number((2n * num + den) / (2n * den)); // round half up, in integers
  }

  /** Consumes `input`; returns the output samples that are now complete. */
  process(input: Float32Array): Float32Array {
    return this.processPlanar([input], input.length);
  }

  /**
   * Consumes `length` samples of several channels, downmixed on the way in as their plain average
   * (the same as downmix.ts, without the intermediate array); returns the output now complete.
   */
  processPlanar(channels: readonly Float32Array[], length: number): Float32Array {
    if (this.flushed) throw new Error('Resampler: process() after flush()');
    const parts: Float32Array[] = [];
    for (let i = 0; i < length; i += CHUNK) {
      const n = Math.min(CHUNK, length - i);
      this.makeRoom();
      writeAverage(channels, i, n, this.x, this.length);
      this.length += n;
      this.consumed += n;
      parts.push(this.run(Infinity));
    }
    return concat(parts);
  }

  /** Ends the stream (zeros after the end) and returns the remaining output samples. */
  flush(): Float32Array {
    if (this.flushed) return new Float32Array(0);
    this.flushed = true;
    this.makeRoom();
    this.x.fill(0, this.length, this.length + this.filter.taps); // zeros after the end
    this.length += this.filter.taps;
    const total = Resampler.outputLength(this.consumed, this.inRate, this.outRate);
    return this.run(total - this.produced);
  }

  /** Drops input that no later output reaches (at most taps − 1 samples are kept). */
  private makeRoom(): void {
    const first = this.pos - this.filter.taps / 2 + 1;
    const drop = Math.max(0, Math.min(first - this.base, this.length));
    if (drop > 0) {
      this.x.copyWithin(0, drop, this.length);
      this.length -= drop;
      this.base += drop;
    }
  }

  /** Computes the outputs whose input is all held, at most `limit` of them. */
  private run(limit: number): Float32Array {
    const f = this.filter;
    const half = f.taps / 2;
    const newest = this.base + this.length - 1;
    const count = Math.max(0, Math.min(this.countUpTo(newest - half), limit));
    if (count === 0) return new Float32Array(0);
    const first = this.pos - half + 1 - this.base; // index in x of the first tap of this output
    if (this.kernel) {
      this.kernel.run(0, f.taps * 4, this.xOffset + first * 4, this.outOffset, count, this.phase, this.step * 4, this.stepPhase, f.up);
    } else {
      filterJs(f, this.x, first, this.phase, this.step, this.stepPhase, count, this.out);
    }
    const carried = this.phase + count * this.stepPhase;
    this.pos += count * this.step + Math.floor(carried / f.up);
    this.phase = carried % f.up;
    this.produced += count;
    return this.out.slice(0, count);
  }

  /** How many outputs, from the next one on, sit at input positions whose integer part is ≤ maxPos. */
  private countUpTo(maxPos: number): number {
    if (maxPos < this.pos) return 0;
    // Output k is at (pos·up + phase + k·down)/up; it fits while k·down < (maxPos + 1 − pos)·up − phase.
    const span = (maxPos - this.pos + 1) * this.filter.up - this.phase;
    return Math.max(0, Math.ceil(span / this.filter.down));
  }
}

/** The polyphase filter loop in JavaScript (reference for the SIMD kernel, and the path for huge L). */
function filterJs(f: ResampleFilter, x: Float32Array, first: number, phase: number, step: number, stepPhase: number, count: number, out: Float32Array): void {
  const { taps, table, up, phases } = f;
  const exact = phases === up;
  let xo = first;
  for (let k = 0; k < count; k++) {
    let acc = 0;
    if (exact) {
      const co = phase * taps;
      for (let j = 0; j < taps; j++) acc += table[co + j]! * x[xo + j]!;
    } else {
      // Between table rows: taps linearly interpolated.
      const pf = (phase / up) * phases;
      const row = Math.min(Math.floor(pf), phases - 1);
      const a = pf - row;
      const c0 = row * taps;
      for (let j = 0; j < taps; j++) {
        const c = table[c0 + j]!;
        acc += (c + a * (table[c0 + taps + j]! - c)) * x[xo + j]!;
      }
    }
    out[k] = acc;
    xo += step;
    phase += stepPhase;
    if (phase >= up) {
      phase -= up;
      xo++;
    }
  }
}

/** dst[at + k] = average over channels of ch[from + k], k < n (the downmix of downmix.ts). */
function writeAverage(channels: readonly Float32Array[], from: number, n: number, dst: Float32Array, at: number): void {
  if (channels.length === 1) {
    dst.set(channels[0]!.subarray(from, from + n), at);
  } else if (channels.length === 2) {
    const l = channels[0]!;
    const r = channels[1]!;
    for (let k = 0; k < n; k++) dst[at + k] = (l[from + k]! + r[from + k]!) * 0.5;
  } else {
    dst.fill(0, at, at + n);
    for (const ch of channels) for (let k = 0; k < n; k++) dst[at + k]! += ch[from + k]!;
    const g = 1 / channels.length;
    for (let k = 0; k < n; k++) dst[at + k]! *= g;
  }
}

/** Joins arrays into one (returns the only one as is). */
export function concat(parts: Float32Array[]): Float32Array {
  if (parts.length === 1) return parts[0]!;
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Float32Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
