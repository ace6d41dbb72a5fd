/** A reason a file (or folder) could not be added to the library; `code` is stable, `message` is for people. */
export class ScanFileError extends Error {
  override name = 'ScanFileError';
  constructor(
    readonly code: ScanErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type ScanErrorCode =
  | 'EMPTY'
  | 'NOT_AUDIO'
  | 'UNSUPPORTED'
  | 'CORRUPT'
  | 'TRUNCATED'
  | 'UNREADABLE'
  | 'VANISHED'
  | 'NOT_A_FILE'
  | 'IO_ERROR'
  | 'SYMLINK_LOOP'
  | 'BROKEN_LINK'
  | 'FOLDER_UNREADABLE'
  | 'ROOT_OFFLINE';

/** Turns a Node file-system error into a clear ScanFileError about `what`. */
export function fromFsError(err: unknown, what: string): ScanFileError {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return new ScanFileError('VANISHED', `${what} disappeared before it could be read`);
    case 'EACCES':
    case 'EPERM':
      return new ScanFileError('UNREADABLE', `${what} cannot be read: permission denied`);
    case 'EISDIR':
      return new ScanFileError('NOT_A_FILE', `${what} is a folder, not a file`);
    case 'ELOOP':
      return new ScanFileError('SYMLINK_LOOP', `${what} is a symbolic link that loops`);
    case 'ENAMETOOLONG':
      return new ScanFileError('UNREADABLE', `${what} has a name too long for this system`);
    default:
      return new ScanFileError('IO_ERROR', `${what} could not be read (${code ?? (err as Error).message})`);
  }
}
