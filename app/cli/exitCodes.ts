/** What `linernotes` exit statuses mean (also listed in README.md). */
export const EXIT = {
  OK: 0,
  /** Something unexpected failed; the message says what. */
  FAILURE: 1,
  /** Bad command line: unknown command or option, a folder that doesn't exist. */
  USAGE: 2,
  /** The job finished, but some files could not be read (see `linernotes errors`). */
  FILE_ERRORS: 3,
  /** A music folder could not be reached (offline drive or share); nothing under it was changed. */
  ROOT_OFFLINE: 4,
  /** The database could not be opened or is newer than this version of Linernotes. */
  DATABASE: 5,
} as const;
