// Adding and removing music folders (roots), with the checks a user needs before a long scan.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Store, Root } from '../store/index.ts';

export class RootError extends Error {
  override name = 'RootError';
  constructor(
    message: string,
    readonly code: 'NOT_FOUND' | 'NOT_A_FOLDER' | 'UNREADABLE' | 'INSIDE_ROOT' | 'UNKNOWN_ROOT',
  ) {
    super(message);
  }
}

const contains = (parent: string, child: string) => child !== parent && child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);

/**
 * Adds a music folder. The path is made absolute and real (symlinks resolved) so one folder is one
 * root. A folder inside an existing root is refused (it is already scanned); a folder that contains
 * existing roots absorbs them, and their tracks keep their ids.
 */
export async function addRoot(store: Store, folder: string): Promise<Root> {
  const abs = path.resolve(folder);
  let real: string;
  try {
    real = await fs.realpath(abs);
    const st = await fs.stat(real);
    if (!st.isDirectory()) throw new RootError(`${abs} is not a folder`, 'NOT_A_FOLDER');
    await (await fs.opendir(real)).close();
  } catch (err) {
    if (err instanceof RootError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new RootError(`folder not found: ${abs}`, 'NOT_FOUND');
    throw new RootError(`cannot read the folder ${abs} (${code ?? (err as Error).message})`, 'UNREADABLE');
  }
  const active = store.roots.list();
  const outer = active.find((r) => contains(r.path, real));
  if (outer) throw new RootError(`${real} is already part of the music folder ${outer.path}`, 'INSIDE_ROOT');
  return store.transaction(() => {
    const root = store.roots.upsert(real);
    const inner = active.filter((r) => contains(real, r.path));
    store.tracks.reparent(
      inner.map((r) => r.id),
      root.id,
    );
    for (const r of inner) store.roots.setStatus(r.id, 'removed');
    return store.roots.byId(root.id)!;
  });
}

/** Finds a root by id or by (absolute or real) path. */
export async function findRoot(store: Store, idOrPath: string): Promise<Root | undefined> {
  if (/^\d+$/.test(idOrPath)) return store.roots.byId(Number(idOrPath));
  const abs = path.resolve(idOrPath);
  const real = await fs.realpath(abs).catch(() => abs);
  return store.roots.byPath(real) ?? store.roots.byPath(abs);
}

/**
 * Stops following a music folder. Its tracks stay in the database (hidden), so adding the folder
 * again brings back everything attached to them. No file is touched.
 */
export async function removeRoot(store: Store, idOrPath: string): Promise<Root> {
  const root = await findRoot(store, idOrPath);
  if (!root || root.status === 'removed') throw new RootError(`not a music folder of this library: ${idOrPath}`, 'UNKNOWN_ROOT');
  store.roots.setStatus(root.id, 'removed');
  return store.roots.byId(root.id)!;
}
