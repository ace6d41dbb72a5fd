// The one error type of the decoding layer. Messages name the file and the format.
import path from 'node:path';

export type DecodeErrorCode =
  /** Not audio, or a container we can't read at all (e.g. Matroska, WavPack). */
  | 'UNSUPPORTED_FORMAT'
  /** A container we read, holding a codec we can't decode (e.g. AAC or ALAC in MP4, ADPCM in WAV). */
  | 'UNSUPPORTED_CODEC'
  /** The data is damaged: headers unreadable, or nothing at all decoded. */
  | 'CORRUPT'
  /** Zero bytes, or a valid header with no samples. */
  | 'EMPTY'
  /** The file system refused: missing file, no permission, a folder, an I/O error. */
  | 'UNREADABLE';

export class DecodeError extends Error {
  override name = 'DecodeError';
  readonly code: DecodeErrorCode;
  /** The file the error is about. */
  readonly file: string;

  constructor(code: DecodeErrorCode, file: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.file = file;
  }
}

/** The file's base name, quoted, for messages. */
export function quoteName(file: string): string {
  return JSON.stringify(path.basename(file));
}

/** Turns a file-system error into DecodeError 'UNREADABLE' with a plain message. */
export function fromFsError(err: unknown, file: string): DecodeError {
  if (err instanceof DecodeError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const name = quoteName(file);
  const why =
    code === 'ENOENT' ? 'it does not exist'
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : code === 'EISDIR' ? 'it is a folder'
    : code === 'EMFILE' || code === 'ENFILE' ? 'too many open files'
    : `${(err as Error | undefined)?.message ?? String(err)}`;
  return new DecodeError('UNREADABLE', file, `Can't read ${name}: ${why}`, { cause: err });
}
