// Types for @echogarden/pffft-wasm (the package ships none): an Emscripten module factory exposing
// PFFFT's C API (src/pffft.h) and the heap views. Only what fft.ts uses is declared.

declare module '@echogarden/pffft-wasm/simd' {
  /** Pointers are byte offsets into the WASM heap. */
  export interface PffftModule {
    HEAPF32: Float32Array;
    _pffft_new_setup(n: number, transform: number): number;
    _pffft_aligned_malloc(bytes: number): number;
    _pffft_transform_ordered(setup: number, input: number, output: number, work: number, direction: number): void;
  }
  const factory: (moduleArg?: Record<string, unknown>) => Promise<PffftModule>;
  export default factory;
}

declare module '@echogarden/pffft-wasm' {
  import type { PffftModule } from '@echogarden/pffft-wasm/simd';
  const factory: (moduleArg?: Record<string, unknown>) => Promise<PffftModule>;
  export default factory;
}
