// Apple Lossless (ALAC) frame decoder, written from Apple's open-source ALAC codec description
// (github.com/macosforge/alac, Apache-2.0): adaptive Golomb–Rice entropy coding (ag_dec), the adaptive
// LPC "dynamic predictor" (dp_dec), mid/side "matrixing" with mixBits/mixRes (matrix_dec), escape
// (uncompressed) frames and shifted-off low bytes for 20/24/32-bit audio. Integer arithmetic wraps
// like the reference's 32-bit C, so the output is bit-exact.

/** The ALACSpecificConfig ("magic cookie", 24 bytes) of the MP4 'alac' sample entry. */
export interface AlacConfig {
  frameLength: number;
  compatibleVersion: number;
  bitDepth: number;
  /** Rice parameters: history multiplier, initial history, Rice parameter limit. */
  pb: number;
  mb: number;
  kb: number;
  numChannels: number;
  maxRun: number;
  maxFrameBytes: number;
  avgBitRate: number;
  sampleRate: number;
}

/** Reads the 24-byte ALACSpecificConfig (big-endian); null if it is not a config we can decode. */
export function parseAlacConfig(b: Uint8Array): AlacConfig | null {
  if (b.length < 24) return null;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const c: AlacConfig = {
    frameLength: dv.getUint32(0),
    compatibleVersion: b[4]!,
    bitDepth: b[5]!,
    pb: b[6]!,
    mb: b[7]!,
    kb: b[8]!,
    numChannels: b[9]!,
    maxRun: dv.getUint16(10),
    maxFrameBytes: dv.getUint32(12),
    avgBitRate: dv.getUint32(16),
    sampleRate: dv.getUint32(20),
  };
  const ok = c.compatibleVersion === 0 && [16, 20, 24, 32].includes(c.bitDepth) && c.numChannels >= 1 && c.numChannels <= 8
    && c.frameLength >= 1 && c.frameLength <= 1 << 16 && c.kb <= 31 && c.sampleRate >= 1; // kb, pb, mb are 0 in all-escape streams
  return ok ? c : null;
}

/** A frame the decoder could not read (damaged data). */
export class AlacFrameError extends Error {
  override name = 'AlacFrameError';
}

// Element tags (ALACAudioTypes.h).
const ID_SCE = 0;
const ID_CPE = 1;
const ID_CCE = 2;
const ID_LFE = 3;
const ID_DSE = 4;
const ID_PCE = 5;
const ID_FIL = 6;
const ID_END = 7;

// Adaptive Golomb constants (aglib.h).
const QBSHIFT = 9;
const QB = 1 << QBSHIFT;
const MMULSHIFT = 2;
const MDENSHIFT = QBSHIFT - MMULSHIFT - 1;
const MOFF = 1 << (MDENSHIFT - 2);
const BITOFF = 24;
const MAX_PREFIX = 9;
const MAX_DATATYPE_BITS_16 = 16;
const N_MAX_MEAN_CLAMP = 0xffff;
const N_MEAN_CLAMP_VAL = 0xffff;

/** ALAC channel order → WAV order (L R C LFE Ls Rs …), per channel count: decoded channel i goes to slot MAP[n][i]. */
const TO_WAV: readonly (readonly number[])[] = [
  [],
  [0],
  [0, 1],
  [2, 0, 1], // C L R
  [2, 0, 1, 3], // C L R Cs
  [2, 0, 1, 3, 4], // C L R Ls Rs
  [2, 0, 1, 4, 5, 3], // C L R Ls Rs LFE
  [2, 0, 1, 4, 5, 6, 3], // C L R Ls Rs Cs LFE
  [2, 6, 7, 0, 1, 4, 5, 3], // C Lc Rc L R Ls Rs LFE
];

const fail = (why: string): never => {
  throw new AlacFrameError(why);
};

/** Big-endian bit reader over one frame (padded with zero bytes so 32-bit peeks never run off). */
class Bits {
  pos = 0;
  readonly end: number;
  private readonly b: Uint8Array;

  constructor(frame: Uint8Array) {
    this.b = new Uint8Array(frame.length + 8);
    this.b.set(frame);
    this.end = frame.length * 8;
  }

  /** The 32 bits starting at bit `pos`, unsigned. */
  peek32(pos: number): number {
    const b = this.b;
    const i = pos >>> 3;
    const s = pos & 7;
    const w = ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
    return s === 0 ? w : ((w << s) | (b[i + 4]! >>> (8 - s))) >>> 0;
  }

  /** `n` (0–32) bits at `pos`, unsigned. */
  at(pos: number, n: number): number {
    return n === 0 ? 0 : this.peek32(pos) >>> (32 - n);
  }

  read(n: number): number {
    const v = this.at(this.pos, n);
    this.pos += n;
    if (this.pos > this.end) fail('the frame ends early');
    return v;
  }

  /** `n` bits as a two's-complement signed number. */
  readSigned(n: number): number {
    const v = this.read(n);
    return n === 32 ? v | 0 : (v << (32 - n)) >> (32 - n);
  }

  align(): void {
    this.pos = (this.pos + 7) & ~7;
  }
}

/**
 * Adaptive Golomb–Rice decoding of `n` prediction residuals into `out` (ag_dec.c dyn_decomp): the Rice
 * parameter follows a running mean, large values escape to `maxSize` raw bits, and when the mean
 * falls low a run of zeros is coded by its length.
 */
function agDecode(bits: Bits, out: Int32Array, n: number, maxSize: number, pb: number, mb0: number, kb: number): void {
  let pos = bits.pos;
  let mb = mb0;
  const wb = (1 << kb) - 1;
  let zmode = 0;
  let c = 0;
  while (c < n) {
    if (pos >= bits.end) fail('its entropy-coded data runs past the frame');
    let k = 31 - Math.clz32((mb >>> QBSHIFT) + 3);
    if (k > kb) k = kb;
    const m = (1 << k) - 1;
    let stream = bits.peek32(pos);
    let pre = Math.clz32(~stream);
    let value: number;
    if (pre >= MAX_PREFIX) {
      value = bits.at(pos + MAX_PREFIX, maxSize); // escape: the value in raw bits
      pos += MAX_PREFIX + maxSize;
    } else {
      pos += pre + 1;
      if (k !== 1) {
        const v = (stream << (pre + 1)) >>> (32 - k);
        pos += k - 1;
        value = pre * m;
        if (v >= 2) {
          value += v - 1;
          pos += 1;
        }
      } else value = pre;
    }
    const nd = value + zmode; // least significant bit is the sign: 0 1 2 3 4 … → 0 −1 1 −2 2 …
    out[c++] = (nd >>> 1) ^ -(nd & 1);
    mb = (Math.imul(pb, nd) + mb - (Math.imul(pb, mb) >>> QBSHIFT)) >>> 0;
    if (value > N_MAX_MEAN_CLAMP) mb = N_MEAN_CLAMP_VAL;
    zmode = 0;
    if (((mb << MMULSHIFT) >>> 0) < QB && c < n) {
      // A run of zeros, its length Rice-coded with a parameter from the (low) mean.
      zmode = 1;
      const kz = Math.clz32(mb) - BITOFF + ((mb + MOFF) >>> MDENSHIFT);
      const mz = ((1 << kz) - 1) & wb;
      stream = bits.peek32(pos);
      pre = Math.clz32(~stream);
      let run: number;
      if (pre >= MAX_PREFIX) {
        run = bits.at(pos + MAX_PREFIX, MAX_DATATYPE_BITS_16);
        pos += MAX_PREFIX + MAX_DATATYPE_BITS_16;
      } else {
        pos += pre + 1;
        const v = (stream << (pre + 1)) >>> (32 - kz);
        pos += kz;
        run = pre * mz + v - 1;
        if (v < 2) {
          run -= v - 1;
          pos -= 1;
        }
      }
      if (c + run > n) fail('a run of zeros runs past the end of the frame');
      out.fill(0, c, c + run);
      c += run;
      if (run >= 65535) zmode = 0;
      mb = 0;
    }
  }
  if (pos > bits.end) fail('its entropy-coded data runs past the frame');
  bits.pos = pos;
}

/**
 * The adaptive LPC "dynamic predictor" (dp_dec.c unpc_block): rebuilds samples from residuals `pc`
 * into `out` (may be the same array), adapting the coefficients by the sign of each residual.
 * `numActive` 31 is a first-order running sum; 0 copies.
 */
export function unpcBlock(pc: Int32Array, out: Int32Array, num: number, coefs: Int16Array, numActive: number, chanBits: number, denShift: number): void {
  const chanShift = 32 - chanBits;
  const denHalf = denShift > 0 ? 1 << (denShift - 1) : 0;
  out[0] = pc[0]!;
  if (numActive === 0) {
    if (num > 1 && pc !== out) out.set(pc.subarray(1, num), 1);
    return;
  }
  if (numActive === 31) {
    let prev = out[0]!;
    for (let j = 1; j < num; j++) {
      prev = (((pc[j]! + prev) | 0) << chanShift) >> chanShift;
      out[j] = prev;
    }
    return;
  }
  for (let j = 1; j <= numActive && j < num; j++) out[j] = (((pc[j]! + out[j - 1]!) | 0) << chanShift) >> chanShift;
  if (numActive === 4) return unpcOrder4(pc, out, num, coefs, chanShift, denHalf, denShift);
  if (numActive === 8) return unpcOrder8(pc, out, num, coefs, chanShift, denHalf, denShift);
  const lim = numActive + 1;
  for (let j = lim; j < num; j++) {
    const top = out[j - lim]!;
    const last = j - 1; // out[last - k] is the k-th previous sample
    let sum = 0;
    for (let k = 0; k < numActive; k++) sum = (sum + Math.imul(coefs[k]!, (out[last - k]! - top) | 0)) | 0;
    const del0Start = pc[j]!;
    out[j] = (((del0Start + top + (((sum + denHalf) | 0) >> denShift)) | 0) << chanShift) >> chanShift;
    // Adapt the coefficients by the residual's sign, nearest sample last, until the residual is used up.
    let del0 = del0Start;
    if (del0 > 0) {
      for (let k = numActive - 1; k >= 0; k--) {
        const dd = (top - out[last - k]!) | 0;
        const sgn = (dd >> 31) | (-dd >>> 31);
        coefs[k] = coefs[k]! - sgn;
        del0 = (del0 - Math.imul(numActive - k, Math.imul(sgn, dd) >> denShift)) | 0;
        if (del0 <= 0) break;
      }
    } else if (del0 < 0) {
      for (let k = numActive - 1; k >= 0; k--) {
        const dd = (top - out[last - k]!) | 0;
        const sgn = (dd >> 31) | (-dd >>> 31);
        coefs[k] = coefs[k]! + sgn;
        del0 = (del0 - Math.imul(numActive - k, Math.imul(-sgn, dd) >> denShift)) | 0;
        if (del0 >= 0) break;
      }
    }
  }
}

/** unpcBlock's loop for order 4 (Apple's encoder uses orders 4 and 8), unrolled with the coefficients in locals. */
function unpcOrder4(pc: Int32Array, out: Int32Array, num: number, coefs: Int16Array, chanShift: number, denHalf: number, denShift: number): void {
  let a0 = coefs[0]!; let a1 = coefs[1]!; let a2 = coefs[2]!; let a3 = coefs[3]!;
  for (let j = 5; j < num; j++) {
    const top = out[j - 5]!;
    const b0 = (top - out[j - 1]!) | 0;
    const b1 = (top - out[j - 2]!) | 0;
    const b2 = (top - out[j - 3]!) | 0;
    const b3 = (top - out[j - 4]!) | 0;
    let sum = -Math.imul(a0, b0) | 0;
    sum = (sum - Math.imul(a1, b1)) | 0;
    sum = (sum - Math.imul(a2, b2)) | 0;
    sum = (sum - Math.imul(a3, b3)) | 0;
    const d = pc[j]!;
    out[j] = (((d + top + (((sum + denHalf) | 0) >> denShift)) | 0) << chanShift) >> chanShift;
    let del0 = d;
    let sgn: number;
    if (d > 0) {
      sgn = (b3 >> 31) | (-b3 >>> 31);
      a3 = ((a3 - sgn) << 16) >> 16;
      del0 = (del0 - (Math.imul(sgn, b3) >> denShift)) | 0;
      if (del0 <= 0) continue;
      sgn = (b2 >> 31) | (-b2 >>> 31);
      a2 = ((a2 - sgn) << 16) >> 16;
      del0 = (del0 - Math.imul(2, Math.imul(sgn, b2) >> denShift)) | 0;
      if (del0 <= 0) continue;
      sgn = (b1 >> 31) | (-b1 >>> 31);
      a1 = ((a1 - sgn) << 16) >> 16;
      del0 = (del0 - Math.imul(3, Math.imul(sgn, b1) >> denShift)) | 0;
      if (del0 <= 0) continue;
      sgn = (b0 >> 31) | (-b0 >>> 31);
      a0 = ((a0 - sgn) << 16) >> 16;
    } else if (d < 0) {
      sgn = (b3 >> 31) | (-b3 >>> 31);
      a3 = ((a3 + sgn) << 16) >> 16;
      del0 = (del0 - (Math.imul(-sgn, b3) >> denShift)) | 0;
      if (del0 >= 0) continue;
      sgn = (b2 >> 31) | (-b2 >>> 31);
      a2 = ((a2 + sgn) << 16) >> 16;
      del0 = (del0 - Math.imul(2, Math.imul(-sgn, b2) >> denShift)) | 0;
      if (del0 >= 0) continue;
      sgn = (b1 >> 31) | (-b1 >>> 31);
      a1 = ((a1 + sgn) << 16) >> 16;
      del0 = (del0 - Math.imul(3, Math.imul(-sgn, b1) >> denShift)) | 0;
      if (del0 >= 0) continue;
      sgn = (b0 >> 31) | (-b0 >>> 31);
      a0 = ((a0 + sgn) << 16) >> 16;
    }
  }
  coefs[0] = a0; coefs[1] = a1; coefs[2] = a2; coefs[3] = a3;
}

/** unpcBlock's loop for order 8 (Apple's encoder uses orders 4 and 8), unrolled with the coefficients in locals. */
function unpcOrder8(pc: Int32Array, out: Int32Array, num: number, coefs: Int16Array, chanShift: number, denHalf: number, denShift: number): void {
  let a0 = coefs[0]!; let a1 = coefs[1]!; let a2 = coefs[2]!; let a3 = coefs[3]!; let a4 = coefs[4]!; let a5 = coefs[5]!; let a6 = coefs[6]!; let a7 = coefs[7]!;
  for (let j = 9; j < num; j++) {
    const top = out[j - 9]!;
    const b0 = (top - out[j - 1]!) | 0;
    const b1 = (top - out[j - 2]!) | 0;
    const b2 = (top - out[j - 3]!) | 0;
    const b3 = (top - out[j - 4]!) | 0;
    const b4 = (top - out[j - 5]!) | 0;
    const b5 = (top - out[j - 6]!) | 0;
    const b6 = (top - out[j - 7]!) | 0;
    const b7 = (top - out[j - 8]!) | 0;
    let sum = -Math.imul(a0, b0) | 0;
    sum = (sum - Math.imul(a1, b1)) | 0;
    sum = (sum - Math.imul(a2, b2)) | 0;
    sum = (sum - Math.imul(a3, b3)) | 0;
    sum = (sum - Math.imul(a4, b4)) | 0;
    sum = (sum - Math.imul(a5, b5)) | 0;
    sum = (sum - Math.imul(a6, b6)) | 0;
    sum = (sum - Math.imul(a7, b7)) | 0;
    const d = pc[j]!;
    out[j] = (((d + top + (((sum + denHalf) | 0) >> denShift)) | 0) << chanShift) >> chanShift;
    let del0 = d;
    let sgn: number;
    if (d > 0) {
      sgn = (b7 >> 31) | (-b7 >>> 31);
      a7 = ((a7 - sgn) << 16) >> 16;
      del0 = (del0 - (Math.imul(sgn, b7) >> denShift)) | 0;
      if (del0 <= 0) continue;
      sgn = (b6 >> 31) | (-b6 >>> 31);
      a6 = ((a6 - sgn) << 16) >> 16;
      del0 = (del0 - Math.imul(2, Math.imul(sgn, b6) >> denShift)) | 0;
      if (del0 <= 0) continue;
      sgn = (b5 >> 31) | (-b5 >>> 31);
      a5 = ((a5 - sgn) << 16) >> 16;
      del0 = (del0 - Math.imul(3, Math.imul(sgn, b5) >> denShift)) | 0;
      if (del0 <= 0) continue;
      sgn = (b4 >> 31) | (-b4 >>> 31);
      a4 = ((a4 - sgn) << 16) >> 16;
      del0 = (del0 - Math.imul(4, Math.imul(sgn, b4) >> denShift)) | 0;
      if (del0 <= 0) continue;
      sgn = (b3 >> 31) | (-b3 >>> 31);
      a3 = ((a3 - sgn) << 16) >> 16;
      del0 = (del0 - Math.imul(5, Math.imul(sgn, b3) >> denShift)) | 0;
      if (del0 <= 0) continue;
      sgn = (b2 >> 31) | (-b2 >>> 31);
      a2 = ((a2 - sgn) << 16) >> 16;
      del0 = (del0 - Math.imul(6, Math.imul(sgn, b2) >> denShift)) | 0;
      if (del0 <= 0) continue;
      sgn = (b1 >> 31) | (-b1 >>> 31);
      a1 = ((a1 - sgn) << 16) >> 16;
      del0 = (del0 - Math.imul(7, Math.imul(sgn, b1) >> denShift)) | 0;
      if (del0 <= 0) continue;
      sgn = (b0 >> 31) | (-b0 >>> 31);
      a0 = ((a0 - sgn) << 16) >> 16;
    } else if (d < 0) {
      sgn = (b7 >> 31) | (-b7 >>> 31);
      a7 = ((a7 + sgn) << 16) >> 16;
      del0 = (del0 - (Math.imul(-sgn, b7) >> denShift)) | 0;
      if (del0 >= 0) continue;
      sgn = (b6 >> 31) | (-b6 >>> 31);
      a6 = ((a6 + sgn) << 16) >> 16;
      del0 = (del0 - Math.imul(2, Math.imul(-sgn, b6) >> denShift)) | 0;
      if (del0 >= 0) continue;
      sgn = (b5 >> 31) | (-b5 >>> 31);
      a5 = ((a5 + sgn) << 16) >> 16;
      del0 = (del0 - Math.imul(3, Math.imul(-sgn, b5) >> denShift)) | 0;
      if (del0 >= 0) continue;
      sgn = (b4 >> 31) | (-b4 >>> 31);
      a4 = ((a4 + sgn) << 16) >> 16;
      del0 = (del0 - Math.imul(4, Math.imul(-sgn, b4) >> denShift)) | 0;
      if (del0 >= 0) continue;
      sgn = (b3 >> 31) | (-b3 >>> 31);
      a3 = ((a3 + sgn) << 16) >> 16;
      del0 = (del0 - Math.imul(5, Math.imul(-sgn, b3) >> denShift)) | 0;
      if (del0 >= 0) continue;
      sgn = (b2 >> 31) | (-b2 >>> 31);
      a2 = ((a2 + sgn) << 16) >> 16;
      del0 = (del0 - Math.imul(6, Math.imul(-sgn, b2) >> denShift)) | 0;
      if (del0 >= 0) continue;
      sgn = (b1 >> 31) | (-b1 >>> 31);
      a1 = ((a1 + sgn) << 16) >> 16;
      del0 = (del0 - Math.imul(7, Math.imul(-sgn, b1) >> denShift)) | 0;
      if (del0 >= 0) continue;
      sgn = (b0 >> 31) | (-b0 >>> 31);
      a0 = ((a0 + sgn) << 16) >> 16;
    }
  }
  coefs[0] = a0; coefs[1] = a1; coefs[2] = a2; coefs[3] = a3; coefs[4] = a4; coefs[5] = a5; coefs[6] = a6; coefs[7] = a7;
}

/** One channel's prediction parameters, read from the element header. */
interface ChannelParams {
  mode: number;
  denShift: number;
  pbFactor: number;
  coefs: Int16Array;
}

function readChannelParams(bits: Bits): ChannelParams {
  let h = bits.read(8);
  const mode = h >>> 4;
  const denShift = h & 15;
  h = bits.read(8);
  const pbFactor = h >>> 5;
  const num = h & 31;
  const coefs = new Int16Array(num);
  for (let i = 0; i < num; i++) coefs[i] = bits.read(16);
  return { mode, denShift, pbFactor, coefs };
}

/** Decodes Apple Lossless frames of one stream; `channels` hold the last frame's samples (WAV order). */
export class AlacDecoder {
  /** The decoded integer samples of the last frame, one array per channel in WAV order (L R C LFE …). */
  readonly channels: Int32Array[];
  private readonly predictor: Int32Array;
  private readonly mixU: Int32Array;
  private readonly mixV: Int32Array;
  private readonly shiftBuffer: Uint16Array;
  private readonly slots: readonly number[];

  constructor(readonly config: AlacConfig) {
    const n = config.frameLength;
    this.channels = Array.from({ length: config.numChannels }, () => new Int32Array(n));
    this.predictor = new Int32Array(n);
    this.mixU = new Int32Array(n);
    this.mixV = new Int32Array(n);
    this.shiftBuffer = new Uint16Array(2 * n);
    this.slots = TO_WAV[config.numChannels]!;
  }

  /** Decodes one frame; returns its number of samples per channel. Throws AlacFrameError on damage. */
  decodeFrame(frame: Uint8Array): number {
    const cfg = this.config;
    const bits = new Bits(frame);
    let channel = 0;
    let samples = cfg.frameLength;
    let decoded = false;
    for (;;) {
      if (bits.pos >= bits.end) fail('it has no end marker');
      const tag = bits.read(3);
      if (tag === ID_SCE || tag === ID_LFE || tag === ID_CPE) {
        const pair = tag === ID_CPE;
        if (channel + (pair ? 2 : 1) > cfg.numChannels) fail(`it holds more than the ${cfg.numChannels} channels its header declares`);
        samples = this.decodeElement(bits, pair, channel);
        channel += pair ? 2 : 1;
        decoded = true;
      } else if (tag === ID_DSE) {
        bits.read(4); // element instance tag
        const align = bits.read(1);
        let count = bits.read(8);
        if (count === 255) count += bits.read(8);
        if (align) bits.align();
        bits.pos += count * 8;
        if (bits.pos > bits.end) fail('a data element runs past the frame');
      } else if (tag === ID_FIL) {
        let count = bits.read(4);
        if (count === 15) count += bits.read(8) - 1;
        bits.pos += count * 8;
        if (bits.pos > bits.end) fail('a fill element runs past the frame');
      } else if (tag === ID_END) {
        break;
      } else {
        fail(tag === ID_CCE || tag === ID_PCE ? 'it uses an element type ALAC does not define for decoding' : 'unknown element');
      }
    }
    if (!decoded) fail('it holds no audio element');
    // Channels the frame didn't carry are silent (as the reference decoder does).
    for (let c = channel; c < cfg.numChannels; c++) this.channels[this.slots[c]!]!.fill(0, 0, samples);
    return samples;
  }

  /** One single-channel (SCE/LFE) or channel-pair (CPE) element into channels `first` (and `first + 1`). */
  private decodeElement(bits: Bits, pair: boolean, first: number): number {
    const cfg = this.config;
    bits.read(4); // element instance tag
    if (bits.read(12) !== 0) fail('its element header is damaged');
    const head = bits.read(4);
    const partial = head >>> 3;
    const bytesShifted = (head >>> 1) & 3;
    const escape = head & 1;
    if (bytesShifted === 3) fail('its element header is damaged');
    let n = cfg.frameLength;
    if (partial) {
      n = bits.read(32);
      if (n < 1 || n > cfg.frameLength) fail(`it declares ${n} samples, more than the frame length ${cfg.frameLength}`);
    }
    const shift = bytesShifted * 8;
    const u = this.mixU;
    const v = this.mixV;
    let mixBits = 0;
    let mixRes = 0;
    let shiftAt = -1;
    if (!escape) {
      mixBits = bits.read(8);
      mixRes = (bits.read(8) << 24) >> 24;
      const pu = readChannelParams(bits);
      const pv = pair ? readChannelParams(bits) : null;
      const chanBits = cfg.bitDepth - shift + (pair ? 1 : 0);
      if (chanBits < 1 || chanBits > 32) fail('its sample size is out of range');
      if (shift) {
        shiftAt = bits.pos; // the shifted-off low bits come first; skip them for now
        bits.pos += shift * n * (pair ? 2 : 1);
        if (bits.pos > bits.end) fail('the frame ends early');
      }
      this.predict(bits, pu, u, n, chanBits);
      if (pv) this.predict(bits, pv, v, n, chanBits);
    } else {
      const chanBits = cfg.bitDepth;
      for (let i = 0; i < n; i++) {
        u[i] = bits.readSigned(chanBits);
        if (pair) v[i] = bits.readSigned(chanBits);
      }
    }
    const useShift = !escape && shift > 0;
    if (useShift) {
      const sb = this.shiftBuffer;
      const count = n * (pair ? 2 : 1);
      for (let i = 0; i < count; i++, shiftAt += shift) sb[i] = bits.at(shiftAt, shift);
    }
    const a = this.channels[this.slots[first]!]!;
    if (!pair) {
      if (useShift) for (let i = 0; i < n; i++) a[i] = (u[i]! << shift) | this.shiftBuffer[i]!;
      else a.set(u.subarray(0, n));
      return n;
    }
    const b = this.channels[this.slots[first + 1]!]!;
    // Un-mix (matrix_dec.c): mixRes 0 means the two channels were coded independently.
    if (mixRes !== 0) {
      for (let i = 0; i < n; i++) {
        const vi = v[i]!;
        const l = (u[i]! + vi - (Math.imul(mixRes, vi) >> mixBits)) | 0;
        a[i] = l;
        b[i] = (l - vi) | 0;
      }
    } else {
      a.set(u.subarray(0, n));
      b.set(v.subarray(0, n));
    }
    if (useShift) {
      const sb = this.shiftBuffer;
      for (let i = 0; i < n; i++) {
        a[i] = (a[i]! << shift) | sb[2 * i]!;
        b[i] = (b[i]! << shift) | sb[2 * i + 1]!;
      }
    }
    return n;
  }

  /** Entropy-decodes one channel's residuals and runs its predictor into `out`. */
  private predict(bits: Bits, p: ChannelParams, out: Int32Array, n: number, chanBits: number): void {
    const cfg = this.config;
    const pred = this.predictor;
    agDecode(bits, pred, n, chanBits, (cfg.pb * p.pbFactor) >> 2, cfg.mb, cfg.kb);
    if (p.mode === 0) {
      unpcBlock(pred, out, n, p.coefs, p.coefs.length, chanBits, p.denShift);
    } else {
      unpcBlock(pred, pred, n, p.coefs, 31, chanBits, 0); // mode ≠ 0: a first-order pass first, in place
      unpcBlock(pred, out, n, p.coefs, p.coefs.length, chanBits, p.denShift);
    }
  }
}

/** Full-scale float of an ALAC integer sample at `bitDepth`. */
export const alacScale = (bitDepth: number): number => 1 / 2 ** (bitDepth - 1);
