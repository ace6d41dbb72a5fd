// The parts of the WebAssembly JS API the app uses, typed once (the project's `lib` has no WebAssembly
// types): the hand-assembled kernels (polyphaseKernel.ts, cosineKernel.ts) and the modules built from C
// (build/wasm/build-wasm.js, shipped as base64).

export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports?: object) => { exports: Record<string, unknown> };
}

/** The runtime's WebAssembly, or undefined where there is none. */
export const Wasm: WasmApi | undefined = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** Compiles a module shipped as base64 (throws where WebAssembly or the SIMD it needs is missing). */
export function compileBase64(base64: string): object {
  if (!Wasm) throw new Error('this runtime has no WebAssembly');
  return new Wasm.Module(Buffer.from(base64, 'base64'));
}

/** A module shipped as base64, compiled on first use, once per process; null where it can't be (the caller falls back). */
export function lazyModule(base64: string): () => object | null {
  let compiled: object | null | undefined;
  return () => {
    if (compiled === undefined) {
      try {
        compiled = compileBase64(base64);
      } catch {
        compiled = null;
      }
    }
    return compiled;
  };
}

/** A fresh instance of a compiled module with no imports: its exports. */
export function instantiate(module: object): Record<string, unknown> {
  return new Wasm!.Instance(module, {}).exports;
}
