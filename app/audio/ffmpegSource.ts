// AAC (in MP4/M4A) through the user's own ffmpeg: no permissively licensed AAC decoder exists for us to
// ship (npm's are LGPL or GPL), so when an `ffmpeg` is on PATH (or at LINERNOTES_FFMPEG) it runs as a
// separate process that reads the file and pipes 32-bit float WAV to us: the file's own channels at its
// own rate, so the stream's downmix, resampler and source tap (loudness) work as for every other format.
// ffmpeg writes nothing but that pipe; without ffmpeg the error names the codec and what to install.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { DecodeError, quoteName } from './errors.ts';
import type { Piece, PieceSource } from './pieces.ts';

/** If ffmpeg sends nothing for this long, it is stopped and the decode fails (no hang). */
const STALL_MS = 30_000;
/** The tail of ffmpeg's error output kept for messages. */
const STDERR_KEEP = 4096;
/** At most this many of ffmpeg's error lines become warnings. */
const MAX_WARNINGS = 20;

/** Where ffmpeg is: LINERNOTES_FFMPEG if set, else the first `ffmpeg` on PATH; or why there is none. */
export async function findFfmpeg(env: NodeJS.ProcessEnv = process.env): Promise<{ path: string } | { missing: string }> {
  const isExecutable = async (p: string): Promise<boolean> => {
    try {
      if (!(await fs.stat(p)).isFile()) return false;
      await fs.access(p, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  const chosen = env.LINERNOTES_FFMPEG;
  if (chosen) return (await isExecutable(chosen)) ? { path: chosen } : { missing: `LINERNOTES_FFMPEG is set to ${JSON.stringify(chosen)}, which is not an executable file` };
  const names = process.platform === 'win32' ? ['ffmpeg.exe'] : ['ffmpeg'];
  for (const dir of (env.PATH ?? env.Path ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const n of names) if (await isExecutable(path.join(dir, n))) return { path: path.join(dir, n) };
  }
  return { missing: 'no ffmpeg was found on PATH' };
}

/** The message for an AAC file when ffmpeg can't be used. */
export function noFfmpegMessage(file: string, container: string, codec: string, why: string): string {
  return `${container}/${codec} audio can't be decoded: ${quoteName(file)} holds ${codec}, which Linernotes decodes through your own ffmpeg, and ${why}. Install ffmpeg (from ffmpeg.org or your package manager, e.g. "apt install ffmpeg" or "brew install ffmpeg") or set LINERNOTES_FFMPEG to its path`;
}

interface WavFormat {
  channels: number;
  sampleRate: number;
}

/** Parses ffmpeg's streamed WAV header from `b`: the format and where the samples start, or null if more bytes are needed. */
export function parseStreamedWavHeader(b: Uint8Array): { format: WavFormat; dataStart: number } | 'invalid' | null {
  if (b.length < 12) return null;
  const tag = (at: number): string => String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') return 'invalid';
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let at = 12;
  let format: WavFormat | null = null;
  while (at + 8 <= b.length) {
    const id = tag(at);
    const size = dv.getUint32(at + 4, true);
    if (id === 'data') return format ? { format, dataStart: at + 8 } : 'invalid';
    if (at + 8 + size > b.length) return at + 8 + size > 1 << 20 ? 'invalid' : null;
    if (id === 'fmt ') {
      const tagCode = dv.getUint16(at + 8, true);
      const channels = dv.getUint16(at + 10, true);
      const sampleRate = dv.getUint32(at + 12, true);
      const bits = dv.getUint16(at + 22, true);
      const float = tagCode === 3 || (tagCode === 0xfffe && size >= 40 && dv.getUint16(at + 32, true) === 3);
      if (!float || bits !== 32 || channels < 1 || sampleRate < 1) return 'invalid';
      format = { channels, sampleRate };
    }
    at += 8 + size + (size & 1);
  }
  return null;
}

/** ffmpeg decoding one file's first audio stream into our pieces. */
export class FfmpegSource implements PieceSource {
  private readonly child: ChildProcessByStdio<null, Readable, Readable>;
  private readonly chunks: AsyncIterator<Buffer>;
  private stderr = '';
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private spawnError: Error | null = null;
  private format: WavFormat | null = null;
  private carry: Uint8Array = new Uint8Array(0);
  private closed = false;
  private producedAny = false;

  /** Starts ffmpeg on `file` (read through ffmpeg's file protocol, container forced to `demuxer`). */
  constructor(
    private readonly ffmpegPath: string,
    private readonly file: string,
    demuxer: string,
    private readonly describe: string,
    private readonly warnings: string[],
  ) {
    const args = [
      '-nostdin', '-hide_banner', '-loglevel', 'error',
      '-f', demuxer, '-i', `file:${path.resolve(file)}`,
      '-map', '0:a:0', '-vn', '-sn', '-dn', '-map_metadata', '-1', '-fflags', '+bitexact',
      '-c:a', 'pcm_f32le', '-f', 'wav', 'pipe:1',
    ];
    this.child = spawn(this.ffmpegPath, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    this.exited = new Promise((resolve) => {
      this.child.on('error', (err) => {
        this.spawnError = err;
        resolve({ code: null, signal: null });
      });
      this.child.on('close', (code, signal) => resolve({ code, signal }));
    });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (s: string) => {
      this.stderr = (this.stderr + s).slice(-STDERR_KEEP);
    });
    this.chunks = this.child.stdout[Symbol.asyncIterator]();
  }

  /** The file's channels and rate, from ffmpeg's WAV header (reads until it has come). */
  async open(): Promise<WavFormat> {
    let head: Uint8Array = new Uint8Array(0);
    for (;;) {
      const chunk = await this.pull();
      if (!chunk) throw await this.failure('it produced no audio', true);
      head = concat(head, chunk);
      const parsed = parseStreamedWavHeader(head);
      if (parsed === 'invalid') throw await this.failure('its output was not the float WAV asked for', false);
      if (parsed) {
        this.format = parsed.format;
        this.carry = head.subarray(parsed.dataStart);
        return parsed.format;
      }
    }
  }

  async next(): Promise<Piece | null> {
    const fmt = this.format;
    if (!fmt || this.closed) return null;
    const frameBytes = 4 * fmt.channels;
    for (;;) {
      const chunk = await this.pull();
      if (!chunk) {
        await this.finish();
        return null;
      }
      const bytes = this.carry.length ? concat(this.carry, chunk) : chunk;
      const frames = Math.floor(bytes.length / frameBytes);
      this.carry = bytes.slice(frames * frameBytes);
      if (frames === 0) continue;
      this.producedAny = true;
      return { channels: deinterleave(bytes, frames, fmt.channels), length: frames, rate: fmt.sampleRate };
    }
  }

  /** The next chunk of ffmpeg's output, or null at its end; fails if ffmpeg stalls. */
  private async pull(): Promise<Uint8Array | null> {
    if (this.closed) return null;
    let timer: NodeJS.Timeout | undefined;
    const stall = new Promise<'stall'>((resolve) => {
      timer = setTimeout(() => resolve('stall'), STALL_MS);
    });
    try {
      const r = await Promise.race([this.chunks.next().catch((): IteratorResult<Buffer> => ({ done: true, value: undefined })), stall]);
      if (r === 'stall') {
        this.close();
        throw new DecodeError('CORRUPT', this.file, `${quoteName(this.file)} could not be decoded: ffmpeg sent nothing for ${STALL_MS / 1000} s and was stopped`);
      }
      return r.done ? null : new Uint8Array(r.value.buffer, r.value.byteOffset, r.value.byteLength);
    } finally {
      clearTimeout(timer);
    }
  }

  /** After the output ends: ffmpeg's complaints become warnings, a failure with no audio an error. */
  private async finish(): Promise<void> {
    const { code, signal } = await this.exited;
    const lines = this.stderr.split('\n').map((l) => l.trim()).filter(Boolean);
    for (const l of lines.slice(0, MAX_WARNINGS)) this.warnings.push(`ffmpeg: ${l}`);
    if (lines.length > MAX_WARNINGS) this.warnings.push('more ffmpeg messages (not listed)');
    if (code !== 0 && !this.closed) {
      if (!this.producedAny) throw await this.failure('it stopped before any audio', true);
      this.warnings.push(`ffmpeg stopped with ${signal ? `signal ${signal}` : `exit code ${code}`}: the audio may be cut short`);
    }
  }

  /** A DecodeError for a run that gave no audio, with ffmpeg's own last words. */
  private async failure(what: string, outputEnded: boolean): Promise<DecodeError> {
    if (!outputEnded) this.close(); // still running: stop it; else let it finish so its last words are read
    const { code } = await this.exited;
    this.close();
    const name = quoteName(this.file);
    if (this.spawnError) {
      return new DecodeError('UNSUPPORTED_CODEC', this.file, `${name} holds ${this.describe}, decoded through ffmpeg, which could not be started (${this.spawnError.message})`, { cause: this.spawnError });
    }
    const last = this.stderr.split('\n').map((l) => l.trim()).filter(Boolean).at(-1);
    const detail = last ? `: ${last}` : code !== null && code !== 0 ? ` (exit code ${code})` : '';
    return new DecodeError('CORRUPT', this.file, `${name} is a damaged ${this.describe} file: ffmpeg (${this.ffmpegPath}) could not decode it, ${what}${detail}`);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    this.child.stdout.destroy();
    this.child.stderr.destroy();
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Interleaved little-endian float32 frames → one array per channel. */
function deinterleave(bytes: Uint8Array, frames: number, channels: number): Float32Array[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, frames * channels * 4);
  const out = Array.from({ length: channels }, () => new Float32Array(frames));
  for (let i = 0, p = 0; i < frames; i++) for (let c = 0; c < channels; c++, p += 4) out[c]![i] = dv.getFloat32(p, true);
  return out;
}
