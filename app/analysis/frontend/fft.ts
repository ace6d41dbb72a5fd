// Real FFTs on PFFFT compiled to WASM (SIMD build, with the scalar build as a fallback). The module is
// instantiated once per process; each transform size gets one setup and one set of heap buffers,
// shared by every analyser (analysis is single-threaded and a transform never yields).

import type { PffftModule } from '@echogarden/pffft-wasm/simd';

const PFFFT_REAL = 0;
const PFFFT_FORWARD = 0;

let modulePromise: Promise<PffftModule> | null = null;

/** Loads the WASM FFT once (SIMD build, else the scalar one). */
export function loadPffft(): Promise<PffftModule> {
  modulePromise ??= (async () => {
    try {
      const { default: factory } = await import('@echogarden/pffft-wasm/simd');
      return await factory();
    } catch {
      const { default: factory } = await import('@echogarden/pffft-wasm');
      return await factory();
    }
  })();
  modulePromise.catch(() => (modulePromise = null));
  return modulePromise;
}

/**
 * A forward real FFT of one size. Write the (windowed) frame into `input()`, call `forward()`, read the
 * spectrum from `output()`: [DC, Nyquist, re1, im1, re2, im2, …] (PFFFT's ordered layout), unscaled.
 */
export class RealFft {
  private heap: Float32Array;
  private inputView: Float32Array;
  private outputView: Float32Array;

  constructor(
    private readonly mod: PffftModule,
    readonly size: number,
    private readonly setup: number,
    private readonly inPtr: number,
    private readonly outPtr: number,
    private readonly workPtr: number,
  ) {
    this.heap = mod.HEAPF32;
    this.inputView = this.heap.subarray(inPtr >> 2, (inPtr >> 2) + size);
    this.outputView = this.heap.subarray(outPtr >> 2, (outPtr >> 2) + size);
  }

  /** Re-creates the heap views if the WASM memory grew (a later allocation detaches them). */
  private refresh(): void {
    if (this.heap.buffer === this.mod.HEAPF32.buffer) return;
    this.heap = this.mod.HEAPF32;
    this.inputView = this.heap.subarray(this.inPtr >> 2, (this.inPtr >> 2) + this.size);
    this.outputView = this.heap.subarray(this.outPtr >> 2, (this.outPtr >> 2) + this.size);
  }

  input(): Float32Array {
    this.refresh();
    return this.inputView;
  }

  output(): Float32Array {
    this.refresh();
    return this.outputView;
  }

  forward(): void {
    this.mod._pffft_transform_ordered(this.setup, this.inPtr, this.outPtr, this.workPtr, PFFFT_FORWARD);
  }
}

const ffts = new Map<number, RealFft>();

/** The shared real FFT of size n (a power of two ≥ 32) on a loaded module, creating it on first use. */
export function realFftOn(mod: PffftModule, n: number): RealFft {
  let fft = ffts.get(n);
  if (!fft) {
    const setup = mod._pffft_new_setup(n, PFFFT_REAL);
    if (!setup) throw new Error(`PFFFT cannot make a real transform of size ${n}`);
    const inPtr = mod._pffft_aligned_malloc(n * 4);
    const outPtr = mod._pffft_aligned_malloc(n * 4);
    const workPtr = mod._pffft_aligned_malloc(n * 4);
    if (!inPtr || !outPtr || !workPtr) throw new Error('PFFFT: out of WASM memory');
    fft = new RealFft(mod, n, setup, inPtr, outPtr, workPtr);
    ffts.set(n, fft);
  }
  return fft;
}

/** The shared real FFT of size n, loading the module first if needed. */
export async function realFft(n: number): Promise<RealFft> {
  return realFftOn(await loadPffft(), n);
}
