// K-weighting of ITU-R BS.1770-4 (Annex 1): a high-shelf "pre-filter" (+4 dB above ~1.7 kHz, the head's
// acoustic effect) followed by the RLB high-pass (~38 Hz). The standard tabulates the biquads at
// 48 kHz only; here they are derived for any rate from the analog prototypes by the bilinear
// transform, as libebur128 does (same f0, gain and Q), which reproduces the 48 kHz table.
// A stereo pair is filtered in WebAssembly SIMD (kweighting.c: the two channels in the lanes of one
// f64x2, the same arithmetic bit for bit) where it loads, in JavaScript otherwise.
import { compileBase64, instantiate } from '../../util/wasm.ts';
import { K_WEIGHTING_WASM_BASE64 } from './kWeightingWasm.ts';

/** Biquad coefficients, a0 normalised to 1: y = b0 x + b1 x1 + b2 x2 − a1 y1 − a2 y2. */
export interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/** Stage 1, the high-shelf pre-filter at `rate` Hz (libebur128's analog prototype: f0 1681.97 Hz, +4 dB, Q 0.7072). */
export function preFilter(rate: number): Biquad {
  const f0 = 1681.974450955533;
  const gainDb = 3.999843853973347;
  const q = 0.7071752369554196;
  const k = Math.tan((Math.PI * f0) / rate);
  const vh = 10 ** (gainDb / 20);
  const vb = vh ** 0.4996667741545416;
  const a0 = 1 + k / q + k * k;
  return {
    b0: (vh + (vb * k) / q + k * k) / a0,
    b1: (2 * (k * k - vh)) / a0,
    b2: (vh - (vb * k) / q + k * k) / a0,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / q + k * k) / a0,
  };
}

/** Stage 2, the RLB high-pass at `rate` Hz (libebur128's analog prototype: f0 38.135 Hz, Q 0.5003; numerator 1, −2, 1 as in the standard). */
export function rlbHighPass(rate: number): Biquad {
  const f0 = 38.13547087602444;
  const q = 0.5003270373238773;
  const k = Math.tan((Math.PI * f0) / rate);
  const a0 = 1 + k / q + k * k;
  return { b0: 1, b1: -2, b2: 1, a1: (2 * (k * k - 1)) / a0, a2: (1 - k / q + k * k) / a0 };
}

/** Power gain of a biquad at `freq` Hz (|H(e^jω)|², for tests and documentation). */
export function biquadPowerGain(f: Biquad, freq: number, rate: number): number {
  const w = (2 * Math.PI * freq) / rate;
  const c1 = Math.cos(w);
  const s1 = Math.sin(w);
  const c2 = Math.cos(2 * w);
  const s2 = Math.sin(2 * w);
  const nr = f.b0 + f.b1 * c1 + f.b2 * c2;
  const ni = -(f.b1 * s1 + f.b2 * s2);
  const dr = 1 + f.a1 * c1 + f.a2 * c2;
  const di = -(f.a1 * s1 + f.a2 * s2);
  return (nr * nr + ni * ni) / (dr * dr + di * di);
}

/**
 * One channel's K-weighting filter (the two biquads in cascade, transposed direct form II, double
 * precision), streaming: state carries over from one call to the next.
 */
export class KWeighting {
  private s1 = 0;
  private s2 = 0;
  private t1 = 0;
  private t2 = 0;
  private readonly p: Biquad;
  private readonly r: Biquad;

  constructor(readonly rate: number) {
    this.p = preFilter(rate);
    this.r = rlbHighPass(rate);
  }

  /**
   * Filters x[0..length) and writes the sums of the squared outputs of consecutive spans to `out`:
   * out[0] for x[0..first), then one per `span` samples (the last may be shorter). One call per chunk
   * rather than one per span keeps the loop in V8's optimised code (its compiled loop bailed out
   * at the end of every call, so thousands of short calls ran about half in the interpreter).
   * Returns the number of spans.
   */
  spanSums(x: Float32Array, length: number, first: number, span: number, out: Float64Array): number {
    const { b0, b1, b2, a1, a2 } = this.p;
    const { a1: d1, a2: d2 } = this.r; // the high-pass's numerator is 1, −2, 1: written out below
    let s1 = this.s1;
    let s2 = this.s2;
    let t1 = this.t1;
    let t2 = this.t2;
    let k = 0;
    for (let i = 0, end = Math.min(first, length); i < length; end = Math.min(length, end + span)) {
      let sum = 0;
      for (; i < end; i++) {
        const v = x[i]!;
        const u = b0 * v + s1;
        s1 = b1 * v - a1 * u + s2;
        s2 = b2 * v - a2 * u;
        const y = u + t1;
        t1 = -2 * u - d1 * y + t2;
        t2 = u - d2 * y;
        sum += y * y;
      }
      out[k++] = sum;
    }
    this.s1 = s1;
    this.s2 = s2;
    this.t1 = t1;
    this.t2 = t2;
    return k;
  }

  /**
   * `spanSums` of a stereo pair in one pass, with the mid and side energies of the same spans: writes
   * out[4k … 4k + 3] = K-weighted Σy² of left and of right, Σ(l + r)² and Σ(l − r)², for the spans of
   * `spanSums`. The same arithmetic as filtering each channel alone, in WebAssembly SIMD (both channels
   * at once) where it loads. Returns the number of spans.
   */
  static stereoSpanSums(left: KWeighting, right: KWeighting, l: Float32Array, r: Float32Array, length: number, first: number, span: number, out: Float64Array): number {
    if (left.rate !== right.rate) throw new Error('stereoSpanSums: the two filters are for different rates');
    const kernel = stereoKernel();
    return kernel ? KWeighting.stereoSpanSumsWasm(kernel, left, right, l, r, length, first, span, out) : KWeighting.stereoSpanSumsJs(left, right, l, r, length, first, span, out);
  }

  /** Whether stereo pairs are filtered in WebAssembly here (else in JavaScript). */
  static get stereoInWasm(): boolean {
    return stereoKernel() !== null;
  }

  /**
   * `stereoSpanSums` in JavaScript (the reference the WebAssembly kernel is tested against): interleaving
   * the two filters' independent recursions lets the processor overlap them.
   */
  static stereoSpanSumsJs(left: KWeighting, right: KWeighting, l: Float32Array, r: Float32Array, length: number, first: number, span: number, out: Float64Array): number {
    if (left.rate !== right.rate) throw new Error('stereoSpanSums: the two filters are for different rates');
    const { b0, b1, b2, a1, a2 } = left.p;
    const { a1: d1, a2: d2 } = left.r;
    let ls1 = left.s1, ls2 = left.s2, lt1 = left.t1, lt2 = left.t2;
    let rs1 = right.s1, rs2 = right.s2, rt1 = right.t1, rt2 = right.t2;
    let k = 0;
    for (let i = 0, end = Math.min(first, length); i < length; end = Math.min(length, end + span)) {
      let sumL = 0;
      let sumR = 0;
      let mid = 0;
      let side = 0;
      for (; i < end; i++) {
        const v = l[i]!;
        const w = r[i]!;
        const u = b0 * v + ls1;
        ls1 = b1 * v - a1 * u + ls2;
        ls2 = b2 * v - a2 * u;
        const y = u + lt1;
        lt1 = -2 * u - d1 * y + lt2;
        lt2 = u - d2 * y;
        sumL += y * y;
        const uu = b0 * w + rs1;
        rs1 = b1 * w - a1 * uu + rs2;
        rs2 = b2 * w - a2 * uu;
        const yy = uu + rt1;
        rt1 = -2 * uu - d1 * yy + rt2;
        rt2 = uu - d2 * yy;
        sumR += yy * yy;
        mid += (v + w) * (v + w);
        side += (v - w) * (v - w);
      }
      out[4 * k] = sumL;
      out[4 * k + 1] = sumR;
      out[4 * k + 2] = mid;
      out[4 * k + 3] = side;
      k++;
    }
    left.s1 = ls1;
    left.s2 = ls2;
    left.t1 = lt1;
    left.t2 = lt2;
    right.s1 = rs1;
    right.s2 = rs2;
    right.t1 = rt1;
    right.t2 = rt2;
    return k;
  }

  /**
   * `stereoSpanSums` through the kernel, in pieces of at most its capacity. A piece ends at a span's end
   * when one falls inside it, so every span is summed in one pass as in JavaScript (the same result bit
   * for bit); only a span longer than the capacity (sample rates above 163 kHz) is summed in parts.
   */
  private static stereoSpanSumsWasm(k: StereoKernel, left: KWeighting, right: KWeighting, l: Float32Array, r: Float32Array, length: number, first: number, span: number, out: Float64Array): number {
    const lp = left.p;
    const lr = left.r;
    k.params.set([lp.b0, lp.b1, lp.b2, lp.a1, lp.a2, lr.a1, lr.a2]);
    const st = k.state;
    st[0] = left.s1; st[1] = left.s2; st[2] = left.t1; st[3] = left.t2;
    st[4] = right.s1; st[5] = right.s2; st[6] = right.t1; st[7] = right.t2;
    let written = 0;
    let open = false; // the last span written continues into the next piece
    let toSpanEnd = first;
    for (let at = 0; at < length; ) {
      let n = Math.min(length - at, k.capacity);
      if (at + n < length && toSpanEnd <= n) n = toSpanEnd + Math.floor((n - toSpanEnd) / span) * span;
      k.left.set(l.subarray(at, at + n));
      k.right.set(r.subarray(at, at + n));
      const m = k.run(n, toSpanEnd, span);
      for (let e = 0; e < m; e++) {
        if (e === 0 && open) for (let j = 0; j < 4; j++) out[4 * (written - 1) + j]! += k.sums[j]!;
        else {
          for (let j = 0; j < 4; j++) out[4 * written + j] = k.sums[4 * e + j]!;
          written++;
        }
      }
      if (toSpanEnd > n) {
        toSpanEnd -= n;
        open = true;
      } else {
        const rest = (n - toSpanEnd) % span;
        open = rest > 0;
        toSpanEnd = rest > 0 ? span - rest : span;
      }
      at += n;
    }
    left.s1 = st[0]!; left.s2 = st[1]!; left.t1 = st[2]!; left.t2 = st[3]!;
    right.s1 = st[4]!; right.s2 = st[5]!; right.t1 = st[6]!; right.t2 = st[7]!;
    return written;
  }
}

interface StereoKernel {
  run(length: number, first: number, span: number): number;
  capacity: number;
  left: Float32Array;
  right: Float32Array;
  sums: Float64Array;
  params: Float64Array;
  state: Float64Array;
}

let kernel: StereoKernel | null | undefined;

/** The WebAssembly stereo filter (one per process: its state is written before and read after each call), or null where it can't load. */
function stereoKernel(): StereoKernel | null {
  if (kernel !== undefined) return kernel;
  try {
    const w = instantiate(compileBase64(K_WEIGHTING_WASM_BASE64)) as Record<string, (...a: number[]) => number> & { memory: { buffer: ArrayBuffer } };
    const capacity = w.kw_capacity!();
    const heap = w.memory.buffer;
    kernel = {
      run: (length, first, span) => w.kw_stereo!(length, first, span),
      capacity,
      left: new Float32Array(heap, w.kw_left!(), capacity),
      right: new Float32Array(heap, w.kw_right!(), capacity),
      sums: new Float64Array(heap, w.kw_sums!(), 4 * (capacity + 1)),
      params: new Float64Array(heap, w.kw_params!(), 7),
      state: new Float64Array(heap, w.kw_state!(), 8),
    };
  } catch {
    kernel = null;
  }
  return kernel;
}
