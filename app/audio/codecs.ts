// One streaming interface over the WASM decoders (minimp3, libFLAC, libvorbis, libopus): feed chunks
// of the file, get planar float PCM back. Native FLAC is split into checked frames here (flacFramer.ts)
// and Ogg pages are CRC-checked (oggPages.ts) before decoding, so damage costs only what it covers. Each decoder is loaded on first use. They print every
// decode error to the console as well as returning it; the printing is filtered out.

import { flacFrameBound, type FlacStreamInfo } from './flac.ts';
import { FlacFramer, type FramerEvent } from './flacFramer.ts';
import { OggPageFilter, type PageFilterResult } from './oggPages.ts';
import { MpegDecoder } from './minimp3.ts';
import type { MpegInfoFrame } from './mpeg.ts';

export type CodecKind = 'mpeg' | 'flac' | 'ogg-vorbis' | 'ogg-opus' | 'ogg-flac';

export interface Decoded {
  /** Planar samples, one array per channel, `length` samples each; valid until the next decode(), flush() or drain() (MP3 hands out views of its memory). */
  channels: Float32Array[];
  /** The channel average, when the decoder makes it as it goes (MPEG): saves the downmix a pass. */
  mix?: Float32Array;
  length: number;
  sampleRate: number;
  /** Problems in this chunk, as sentences (decoding continues past them). */
  errors: string[];
}

export interface ChunkDecoder {
  decode(chunk: Uint8Array): Promise<Decoded>;
  /** Whatever the decoder still holds at the end of the input. */
  flush(): Promise<Decoded>;
  /** More output from the bytes already given, to take before giving more (MPEG hands out one batch per call); null when none. */
  drain?(): Decoded | null;
  free(): void;
}

/** What the packages return (the shared shape of their result types). */
interface PackageResult {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors: { message: string }[];
}

interface PackageDecoder {
  ready: Promise<void>;
  decode(data: Uint8Array): PackageResult | Promise<PackageResult>;
  /** Decodes frames already split (FLAC: by FlacFramer). */
  decodeFrames?(frames: Uint8Array[]): PackageResult | Promise<PackageResult>;
  flush?(): Promise<PackageResult>;
  free(): void;
}

/** What the decoder packages print for each decode error (they also return it in `errors`). */
const DECODER_LOG = /^\s*(@wasm-audio-decoders|libopus|opus-decoder|ogg-opus-decoder|codec-parser)\b/;

let quietDepth = 0;
let original: { error: typeof console.error; warn: typeof console.warn } | null = null;

/**
 * Runs `fn` (to its promise's end: Opus and Vorbis decode after an await) with the decoders' own
 * console messages dropped; anything else printed meanwhile still goes through. Reference-counted,
 * so overlapping decodes (two streams at once) install and remove the filter once.
 */
async function quietly<T>(fn: () => T | Promise<T>): Promise<T> {
  if (quietDepth++ === 0) {
    const saved = { error: console.error, warn: console.warn };
    original = saved;
    console.error = (...args: unknown[]): void => {
      if (!DECODER_LOG.test(String(args[0]))) saved.error(...args);
    };
    console.warn = (...args: unknown[]): void => {
      if (!DECODER_LOG.test(String(args[0]))) saved.warn(...args);
    };
  }
  try {
    return await fn();
  } finally {
    if (--quietDepth === 0 && original) {
      console.error = original.error;
      console.warn = original.warn;
      original = null;
    }
  }
}

async function load(kind: Exclude<CodecKind, 'mpeg'>): Promise<PackageDecoder> {
  switch (kind) {
    case 'flac':
    case 'ogg-flac': {
      const { FLACDecoder } = await import('@wasm-audio-decoders/flac');
      return new FLACDecoder();
    }
    case 'ogg-vorbis': {
      const { OggVorbisDecoder } = await import('@wasm-audio-decoders/ogg-vorbis');
      return new OggVorbisDecoder();
    }
    case 'ogg-opus': {
      const { OggOpusDecoder } = await import('ogg-opus-decoder');
      return new OggOpusDecoder(); // applies the Opus pre-skip and end trimming from the granule positions
    }
  }
}

/** A package's terse error (e.g. '-1 MPG123_ERR'), said to come from the decoder. */
const decoderMessage = (e: { message: string }): string => `decoder error: ${e.message.trim()}`;

const EMPTY = (rate: number): Decoded => ({ channels: [], length: 0, sampleRate: rate, errors: [] });

export interface DecoderOptions {
  /** File offset of the first byte fed (for messages about damaged data). */
  startOffset: number;
  /** Native FLAC: the STREAMINFO, for frame numbers and a bound on frame sizes. */
  flac?: FlacStreamInfo | null;
  /** Ogg Opus: the pre-skip, which granule positions include and the decoded output doesn't. */
  oggPreSkip?: number;
  /** MPEG: the first frame's Xing/Info header (skipped, with its gapless trim) and the samples per frame. */
  mpeg?: { infoFrame: MpegInfoFrame | null; samplesPerFrame: number };
}

/** A ready decoder for `kind`. */
export async function createDecoder(kind: CodecKind, opts: DecoderOptions): Promise<ChunkDecoder> {
  if (kind === 'mpeg') return mpegDecoder(opts);
  const dec = await load(kind);
  await dec.ready;
  let rate = 0;
  let freed = false;
  const convert = (r: PackageResult, errors: string[] = []): Decoded => {
    if (r.sampleRate) rate = r.sampleRate;
    return { channels: r.channelData, length: r.samplesDecoded, sampleRate: r.sampleRate || rate, errors: [...errors, ...r.errors.map(decoderMessage)] };
  };
  const free = (): void => {
    if (freed) return;
    freed = true;
    dec.free();
  };
  if (kind === 'flac') return framedFlac(dec, opts, free);
  return oggChecked(dec, opts, convert, free);
}

/** MPEG audio through minimp3 (minimp3.ts): synchronous, batch by batch, views of its memory. */
function mpegDecoder(opts: DecoderOptions): ChunkDecoder {
  const dec = new MpegDecoder({ startOffset: opts.startOffset, infoFrame: opts.mpeg?.infoFrame ?? null, samplesPerFrame: opts.mpeg?.samplesPerFrame ?? 1152 });
  return {
    decode: async (chunk) => dec.decode(chunk),
    flush: async () => dec.decode(new Uint8Array(0), true),
    drain: () => dec.drain(),
    free: () => dec.free(),
  };
}

/**
 * Ogg: only pages whose CRC checks reach the decoder. Damage is put back as silence, so the timeline
 * stays right: every good page's granule position says how many samples the stream holds up to its
 * end. The decoders hold back the newest page fed, so after damage their output is held here until
 * a second good page gives a position its output reaches; then the missing samples are inserted
 * where the damage was (after the last good page before it).
 */
function oggChecked(dec: PackageDecoder, opts: DecoderOptions, convert: (r: PackageResult, errors?: string[]) => Decoded, free: () => void): ChunkDecoder {
  const pages = new OggPageFilter(opts.startOffset);
  const preSkip = opts.oggPreSkip ?? 0;
  let position = 0; // samples handed out so far (decoded + silence)
  /** Granule positions (minus pre-skip) of the last two good pages that end a packet. */
  let last = -1;
  let beforeLast = -1;
  /** After damage: where the silence goes, how many good pages since, and the output held meanwhile. */
  let gap: { at: number; pagesSince: number; held: Decoded[] } | null = null;
  const lost = (d: PageFilterResult['damaged']): string[] =>
    d.map((x) => (x.truncated ? `the last ${x.bytes} bytes (from byte ${x.at}) are an incomplete Ogg page: cut off` : `damaged Ogg data at byte ${x.at} (${x.bytes} bytes skipped)`));

  /** Releases the held output with the silence inserted, if the position `expected` is known. */
  const release = (expected: number | null): Decoded => {
    const g = gap!;
    gap = null;
    const held = joinDecoded(g.held, g.held.at(-1)?.sampleRate ?? 0);
    const missing = expected === null ? 0 : expected - (position + held.length);
    if (missing <= 0 || missing > 1 << 24 || !held.channels.length) {
      position += held.length;
      return held;
    }
    const split = Math.max(0, Math.min(held.length, g.at - position));
    const piece = (from: number, to: number): Decoded => ({ channels: held.channels.map((c) => c.subarray(from, to)), length: to - from, sampleRate: held.sampleRate, errors: [] });
    const silence: Decoded = { channels: held.channels.map(() => new Float32Array(missing)), length: missing, sampleRate: held.sampleRate, errors: [] };
    const out = joinDecoded([piece(0, split), silence, piece(split, held.length)], held.sampleRate);
    out.errors = [...held.errors, `${missing} samples lost in damaged pages were replaced by silence`];
    position += out.length;
    return out;
  };

  const decodePages = async (f: PageFilterResult, atEnd: boolean): Promise<Decoded> => {
    for (const page of f.info) {
      if (page.afterDamage && !gap) gap = { at: last < 0 ? position : last, pagesSince: 0, held: [] };
      if (page.granule < 0) continue;
      beforeLast = last;
      last = page.granule - preSkip;
      if (gap) gap.pagesSince++;
    }
    const errors = lost(f.damaged);
    let d = f.pages.length ? convert(await quietly(() => dec.decode(f.pages)), errors) : { channels: [], length: 0, sampleRate: 0, errors };
    if (atEnd && dec.flush) d = joinDecoded([d, convert(await quietly(() => dec.flush!()))], d.sampleRate);
    if (!gap) {
      position += d.length;
      return d;
    }
    gap.held.push(d);
    // Output now reaches the page before the newest (held back by the decoder), or the end.
    if (atEnd) return release(last >= 0 ? last : null);
    if (gap.pagesSince >= 2) return release(beforeLast);
    return { channels: [], length: 0, sampleRate: d.sampleRate, errors: [] };
  };
  return {
    decode: (chunk) => decodePages(pages.push(chunk), false),
    flush: () => decodePages(pages.end(), true),
    free,
  };
}

/** Native FLAC through FlacFramer: checked frames to libFLAC, silence for the samples of damaged ones. */
function framedFlac(dec: PackageDecoder, opts: DecoderOptions, free: () => void): ChunkDecoder {
  const info = opts.flac ?? null;
  const framer = new FlacFramer(info?.maxBlockSize || 4096, flacFrameBound(info), opts.startOffset);
  let rate = info?.sampleRate ?? 0;
  let channels = info?.channels ?? 2;
  const render = async (events: FramerEvent[]): Promise<Decoded> => {
    const parts: Decoded[] = [];
    const errors: string[] = [];
    let frames: Uint8Array[] = [];
    const decodeFrames = async (): Promise<void> => {
      if (!frames.length) return;
      const batch = frames;
      frames = [];
      const r = await quietly(() => dec.decodeFrames!(batch));
      if (r.sampleRate) rate = r.sampleRate;
      if (r.channelData.length) channels = r.channelData.length;
      parts.push({ channels: r.channelData, length: r.samplesDecoded, sampleRate: rate, errors: r.errors.map(decoderMessage) });
    };
    for (const e of events) {
      if (e.kind === 'frame') frames.push(e.data);
      else if (e.kind === 'damaged') {
        errors.push(e.truncated ? `the last ${e.bytes} bytes (from byte ${e.at}) are an incomplete FLAC frame: cut off` : `damaged FLAC data at byte ${e.at} (${e.bytes} bytes skipped)`);
      } else {
        await decodeFrames();
        errors.push(`${e.samples} samples lost in damaged frames were replaced by silence`);
        parts.push({ channels: Array.from({ length: channels }, () => new Float32Array(e.samples)), length: e.samples, sampleRate: rate, errors: [] });
      }
    }
    await decodeFrames();
    const out = joinDecoded(parts, rate);
    out.errors.unshift(...errors);
    return out;
  };
  return {
    decode: (chunk) => render(framer.push(chunk)),
    flush: () => render(framer.end()),
    free,
  };
}

/** Joins decoded pieces in order (channel by channel). */
function joinDecoded(parts: Decoded[], rate: number): Decoded {
  const filled = parts.filter((p) => p.length > 0);
  const errors = parts.flatMap((p) => p.errors);
  if (filled.length === 0) return { ...EMPTY(rate), errors };
  if (filled.length === 1) return { ...filled[0]!, errors };
  const n = Math.max(...filled.map((p) => p.channels.length));
  const length = filled.reduce((t, p) => t + p.length, 0);
  const channels = Array.from({ length: n }, () => new Float32Array(length));
  let o = 0;
  for (const p of filled) {
    // A piece with fewer channels (shouldn't happen) repeats its last channel.
    for (let c = 0; c < n; c++) channels[c]!.set(p.channels[Math.min(c, p.channels.length - 1)]!.subarray(0, p.length), o);
    o += p.length;
  }
  return { channels, length, sampleRate: filled.at(-1)!.sampleRate || rate, errors };
}
