// Table-driven CRCs (MSB-first, no reflection, zero initial value, no final XOR) for checking FLAC
// frames and Ogg pages before they reach the decoders.

/** 256-entry table of a CRC of `width` bits with polynomial `poly`. */
function table(width: 8 | 16 | 32, poly: number): Uint32Array {
  const top = 2 ** (width - 1);
  const mask = 2 ** width - 1;
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i * 2 ** (width - 8);
    for (let k = 0; k < 8; k++) c = c >= top ? (((c - top) * 2) ^ poly) >>> 0 : c * 2;
    t[i] = (c & mask) >>> 0;
  }
  return t;
}

const T8 = table(8, 0x07);
const T16 = table(16, 0x8005);
const T32 = table(32, 0x04c11db7);

/** CRC-8 (poly x^8+x^2+x+1), the FLAC frame header check (RFC 9639 §9.1.8). */
export function crc8(b: Uint8Array, from: number, to: number): number {
  let c = 0;
  for (let i = from; i < to; i++) c = T8[c ^ b[i]!]!;
  return c;
}

/** CRC-16 (poly x^16+x^15+x^2+1), the FLAC frame footer check (RFC 9639 §9.3); `c` continues a running CRC. */
export function crc16(b: Uint8Array, from: number, to: number, c = 0): number {
  for (let i = from; i < to; i++) c = ((c << 8) & 0xff00) ^ T16[(c >> 8) ^ b[i]!]!;
  return c;
}

/** CRC-32 (poly 0x04C11DB7, unreflected), the Ogg page checksum (RFC 3533 §6); `c` continues a running CRC. */
export function crc32(b: Uint8Array, from: number, to: number, c = 0): number {
  for (let i = from; i < to; i++) c = ((c << 8) ^ T32[((c >>> 24) ^ b[i]!) & 0xff]!) >>> 0;
  return c;
}
