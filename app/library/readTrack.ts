// Reads one audio file, read-only: sniffs its format from content, fingerprints it, checks it is
// whole, and reads its format facts and tags with music-metadata.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import fsSync from 'node:fs';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { parseBuffer, parseFromTokenizer } from 'music-metadata';
import type { IAudioMetadata } from 'music-metadata';
import { fromFile } from 'strtok3';
import type { TrackFacts } from '../store/tracks.ts';
import { checkIntegrity, type ReadAt } from './integrity.ts';
import { isAudioMime, kindByName } from './formats.ts';
import { ScanFileError, fromFsError } from './scanErrors.ts';

const SAMPLE = 64 * 1024;
/** Files up to this size are read in one go and parsed from memory (one read instead of many small ones). */
const WHOLE_FILE_LIMIT = 4 * 1024 * 1024;

/**
 * Content fingerprint: SHA-1 of the size and three 64 KiB samples (start, middle, end). Identical
 * files share it, so a moved or renamed file is recognised without reading it whole.
 */
export async function sampledFingerprint(size: number, read: ReadAt): Promise<string> {
  const hash = createHash('sha1');
  hash.update(String(size));
  if (size <= 3 * SAMPLE) hash.update(await read(0, size));
  else {
    hash.update(await read(0, SAMPLE));
    hash.update(await read(Math.floor(size / 2) - SAMPLE / 2, SAMPLE));
    hash.update(await read(size - SAMPLE, SAMPLE));
  }
  return hash.digest('hex');
}

/** The container name music-metadata would report, from a sniffed MIME type (for the integrity check). */
function containerOfMime(mime: string): string {
  if (mime.includes('ogg') || mime.includes('opus')) return 'ogg';
  if (mime.includes('mp4') || mime.includes('m4a')) return 'mp4';
  if (mime === 'audio/mpeg') return 'mpeg';
  if (mime.includes('flac')) return 'flac';
  if (mime.includes('wav')) return 'wave';
  if (mime.includes('aiff')) return 'aiff';
  return mime;
}

const firstNumber = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? parseFloat(v) : NaN;
  return Number.isFinite(n) ? n : null;
};
const clean = (s: string | undefined | null): string | null => {
  const t = s?.replace(/\0+$/, '').trim();
  return t ? t : null;
};

/** The initial-key tag, wherever the format keeps it (TKEY, INITIALKEY, ----:com.apple.iTunes:initialkey). */
function keyTag(meta: IAudioMetadata): string | null {
  if (meta.common.key) return clean(meta.common.key);
  for (const tags of Object.values(meta.native)) {
    for (const t of tags) {
      if (/^(TKEY|INITIALKEY|INITIAL KEY|KEY|----:com\.apple\.iTunes:initialkey)$/i.test(t.id) && typeof t.value === 'string') return clean(t.value);
    }
  }
  return null;
}

/** Maps music-metadata's result to the columns we store. */
export function factsFromMetadata(meta: IAudioMetadata, file: { path: string; size: number; mtimeMs: number; fingerprint: string }): TrackFacts {
  const f = meta.format;
  const c = meta.common;
  return {
    ...file,
    container: f.container ?? null,
    codec: f.codec ?? null,
    lossless: f.lossless ?? null,
    duration: f.duration ?? null,
    sampleRate: f.sampleRate ?? null,
    channels: f.numberOfChannels ?? null,
    bitDepth: f.bitsPerSample ?? null,
    bitrate: f.bitrate ?? null,
    title: clean(c.title),
    artist: clean(c.artist) ?? clean(c.artists?.join(', ')),
    album: clean(c.album),
    albumArtist: clean(c.albumartist),
    trackNo: c.track?.no ?? null,
    trackTotal: c.track?.of ?? null,
    discNo: c.disk?.no ?? null,
    discTotal: c.disk?.of ?? null,
    year: c.year ?? (c.date ? firstNumber(c.date.slice(0, 4)) : null),
    genre: clean(c.genre?.join('; ')),
    composer: clean(c.composer?.join('; ')),
    tagBpm: firstNumber(c.bpm),
    tagKey: keyTag(meta),
    hasArtwork: (c.picture?.length ?? 0) > 0,
  };
}

/** An open, read-only file: what readTrack needs of the file system. */
export interface OpenFile {
  size: number;
  mtimeMs: number;
  isFile: boolean;
  /** Reads into `buf` from `position`; returns the bytes read (0 at end of file). */
  read(buf: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  close(): Promise<void>;
}
export type Opener = (file: string) => Promise<OpenFile>;

/** Non-blocking file access (fs/promises), for the main thread. */
export const openAsync: Opener = async (file) => {
  const handle = await fs.open(file, 'r');
  try {
    const st = await handle.stat();
    return {
      size: st.size,
      mtimeMs: st.mtimeMs,
      isFile: st.isFile(),
      read: async (buf, offset, length, position) => (await handle.read(buf, offset, length, position)).bytesRead,
      close: () => handle.close(),
    };
  } catch (err) {
    await handle.close();
    throw err;
  }
};

/** Blocking file access, for reader threads, where blocking is the point and saves the thread-pool round trips. */
export const openSync: Opener = async (file) => {
  const fd = fsSync.openSync(file, 'r');
  try {
    const st = fsSync.fstatSync(fd);
    return {
      size: st.size,
      mtimeMs: st.mtimeMs,
      isFile: st.isFile(),
      read: async (buf, offset, length, position) => fsSync.readSync(fd, buf, offset, length, position),
      close: async () => fsSync.closeSync(fd),
    };
  } catch (err) {
    fsSync.closeSync(fd);
    throw err;
  }
};

/** Fills `buf` from `position` (fewer bytes only at end of file); returns the bytes read. */
async function readFully(f: OpenFile, buf: Uint8Array, position: number): Promise<number> {
  let done = 0;
  while (done < buf.length) {
    const n = await f.read(buf, done, buf.length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

/**
 * Reads an audio file's facts. Throws ScanFileError (with a clear message) for anything that is
 * not a whole, readable audio file. Opens the file read-only.
 */
export async function readTrack(file: string, open: Opener = openAsync): Promise<TrackFacts> {
  const name = JSON.stringify(path.basename(file));
  let handle: OpenFile;
  try {
    handle = await open(file);
  } catch (err) {
    throw fromFsError(err, `the file ${name}`);
  }
  try {
    const stat = handle;
    if (!stat.isFile) throw new ScanFileError('NOT_A_FILE', `${name} is not a regular file`);
    if (stat.size === 0) throw new ScanFileError('EMPTY', `${name} is empty (0 bytes)`);
    const head = new Uint8Array(Math.min(4100, stat.size));
    await readFully(handle, head, 0);
    const sniffed = await fileTypeFromBuffer(head, { mpegOffsetTolerance: 10 } as never);
    if (!isAudioMime(sniffed?.mime)) {
      const what = sniffed ? `its content is ${sniffed.mime}` : 'its content matches no known audio format';
      throw new ScanFileError('NOT_AUDIO', `${name} is not an audio file: ${what}`);
    }
    // Small files: one read, everything below served from memory.
    const whole = stat.size <= WHOLE_FILE_LIMIT ? new Uint8Array(stat.size) : undefined;
    if (whole && (await readFully(handle, whole, 0)) < whole.length) throw new ScanFileError('VANISHED', `${name} shrank while it was being read`);
    const read: ReadAt = async (position, length) => {
      const end = Math.min(position + length, stat.size);
      if (whole) return whole.subarray(Math.max(0, position), Math.max(0, end));
      const buf = new Uint8Array(Math.max(0, end - position));
      await readFully(handle, buf, position);
      return buf;
    };
    const fingerprint = await sampledFingerprint(stat.size, read);
    let meta: IAudioMetadata;
    try {
      if (whole) meta = await parseBuffer(whole, { mimeType: sniffed!.mime, size: stat.size, path: file }, { duration: true });
      else {
        // Large files: a tokenizer reads only what the parser needs (its own read-only handle).
        const tokenizer = await fromFile(file, { fileInfo: { mimeType: sniffed!.mime } });
        try {
          meta = await parseFromTokenizer(tokenizer, { duration: true });
        } finally {
          await tokenizer.close();
        }
      }
    } catch (err) {
      if (typeof (err as NodeJS.ErrnoException).code === 'string' && (err as NodeJS.ErrnoException).syscall) throw fromFsError(err, `the file ${name}`);
      const msg = (err as Error).message;
      const cut = await checkIntegrity(containerOfMime(sniffed!.mime), stat.size, read).catch(() => undefined);
      if (cut?.ok === false) throw new ScanFileError('TRUNCATED', `${name} is incomplete, probably a cut-off copy: ${cut.reason}`);
      if (/unsupported|not supported/i.test(msg)) throw new ScanFileError('UNSUPPORTED', `${name}: unsupported audio format (${sniffed!.mime})`);
      throw new ScanFileError('CORRUPT', `${name} is damaged: its ${sniffed!.ext.toUpperCase()} data could not be read (${msg})`);
    }
    if (meta.format.hasAudio === false) throw new ScanFileError('NOT_AUDIO', `${name} holds no audio stream`);
    const verdict = await checkIntegrity(meta.format.container ?? '', stat.size, read);
    if (verdict.ok === false) throw new ScanFileError('TRUNCATED', `${name} is incomplete, probably a cut-off copy: ${verdict.reason}`);
    return factsFromMetadata(meta, { path: file, size: stat.size, mtimeMs: stat.mtimeMs, fingerprint });
  } catch (err) {
    if (err instanceof ScanFileError) throw err;
    throw fromFsError(err, `the file ${name}`);
  } finally {
    await handle.close();
  }
}

export { kindByName };
