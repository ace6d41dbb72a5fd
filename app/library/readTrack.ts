// Reads one audio file, read-only: sniffs its format from content, fingerprints it, checks it is
// whole, and reads its format facts and tags with music-metadata.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { parseFromTokenizer } from 'music-metadata';
import type { IAudioMetadata } from 'music-metadata';
import { fromFile } from 'strtok3';
import type { TrackFacts } from '../store/tracks.ts';
import { checkIntegrity, type ReadAt } from './integrity.ts';
import { isAudioMime, kindByName } from './formats.ts';
import { ScanFileError, fromFsError } from './scanErrors.ts';

const SAMPLE = 64 * 1024;

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

/**
 * Reads an audio file's facts. Throws ScanFileError (with a clear message) for anything that is
 * not a whole, readable audio file. Opens the file read-only, once.
 */
export async function readTrack(file: string): Promise<TrackFacts> {
  const name = JSON.stringify(path.basename(file));
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (err) {
    throw fromFsError(err, `the file ${name}`);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new ScanFileError('NOT_A_FILE', `${name} is not a regular file`);
    if (stat.size === 0) throw new ScanFileError('EMPTY', `${name} is empty (0 bytes)`);
    const read: ReadAt = async (position, length) => {
      const buf = new Uint8Array(Math.max(0, Math.min(length, stat.size - position)));
      if (buf.length > 0) await handle.read(buf, 0, buf.length, position);
      return buf;
    };
    const head = await read(0, 4100);
    const sniffed = await fileTypeFromBuffer(head, { mpegOffsetTolerance: 10 } as never);
    if (!isAudioMime(sniffed?.mime)) {
      const what = sniffed ? `its content is ${sniffed.mime}` : 'its content matches no known audio format';
      throw new ScanFileError('NOT_AUDIO', `${name} is not an audio file: ${what}`);
    }
    const fingerprint = await sampledFingerprint(stat.size, read);
    let meta: IAudioMetadata;
    try {
      // A second read-only handle: strtok3's tokenizer owns and closes its own.
      const tokenizer = await fromFile(file, { fileInfo: { mimeType: sniffed!.mime } });
      try {
        meta = await parseFromTokenizer(tokenizer, { duration: true });
      } finally {
        await tokenizer.close();
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
