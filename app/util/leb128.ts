// Unsigned LEB128, the WebAssembly binary format's encoding of integers and sizes (WebAssembly core
// spec §5.2.2). Shared by the hand-assembled SIMD kernels (audio resampling, search cosine).

export function uleb128(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}
