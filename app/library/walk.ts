// Lists the files under a root without following symlink loops, collecting what it can't read.
import fs from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { kindByName, type FileKind } from './formats.ts';
import { ScanFileError, fromFsError } from './scanErrors.ts';

export interface ListedFile {
  path: string;
  size: number;
  mtimeMs: number;
  kind: Exclude<FileKind, 'skip'>;
}

export interface WalkProblem {
  path: string;
  error: ScanFileError;
}

export interface Listing {
  files: ListedFile[];
  problems: WalkProblem[];
  /** Folders we could not list: tracks below them must not be taken for deleted. */
  unreadableDirs: string[];
}

/**
 * Walks `root` depth-first. Symbolic links are followed, but a folder reached a second time
 * (same device and inode) is reported as a loop and not entered again. Skips hidden folders
 * (`.git`, `.Trash`…) and files that are never audio by their name.
 */
export async function listFiles(root: string, opts: { signal?: AbortSignal } = {}): Promise<Listing> {
  const listing: Listing = { files: [], problems: [], unreadableDirs: [] };
  const visited = new Set<string>();
  const rootStat = await fs.stat(root);
  visited.add(`${rootStat.dev}:${rootStat.ino}`);
  const stack: string[] = [root];
  while (stack.length > 0) {
    opts.signal?.throwIfAborted();
    const dir = stack.pop()!;
    let entries: string[];
    try {
      entries = (await fs.readdir(dir)).sort();
    } catch (err) {
      const e = fromFsError(err, `the folder ${JSON.stringify(dir)}`);
      listing.problems.push({ path: dir, error: new ScanFileError('FOLDER_UNREADABLE', e.message) });
      listing.unreadableDirs.push(dir);
      continue;
    }
    const subdirs: string[] = [];
    for (const name of entries) {
      const full = path.join(dir, name);
      let lst: Stats;
      let st: Stats;
      try {
        lst = await fs.lstat(full);
        st = lst.isSymbolicLink() ? await fs.stat(full) : lst;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' && lst! && lst.isSymbolicLink()) {
          listing.problems.push({ path: full, error: new ScanFileError('BROKEN_LINK', `${JSON.stringify(name)} is a symbolic link to something that does not exist`) });
        } else if (code === 'ELOOP') {
          listing.problems.push({ path: full, error: new ScanFileError('SYMLINK_LOOP', `${JSON.stringify(name)} is a symbolic link that points back to itself`) });
        } else if (code !== 'ENOENT') {
          listing.problems.push({ path: full, error: fromFsError(err, JSON.stringify(name)) });
        } // ENOENT on a plain entry: deleted since the folder was listed, nothing to report
        continue;
      }
      if (st.isDirectory()) {
        if (name.startsWith('.')) continue;
        const id = `${st.dev}:${st.ino}`;
        if (visited.has(id)) {
          if (lst.isSymbolicLink()) {
            const target = await fs.realpath(full).catch(() => '?');
            listing.problems.push({ path: full, error: new ScanFileError('SYMLINK_LOOP', `${JSON.stringify(name)} links to ${JSON.stringify(target)}, a folder already scanned: not followed`) });
          }
          continue;
        }
        visited.add(id);
        subdirs.push(full);
      } else if (st.isFile()) {
        const kind = kindByName(name);
        if (kind === 'skip') continue;
        listing.files.push({ path: full, size: st.size, mtimeMs: Math.trunc(st.mtimeMs), kind });
      }
    }
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
  }
  return listing;
}
