// Which file an audio request may read: a present track of an active music folder, named by its
// id (never by a path from the request), whose path lies inside its folder. Shared by serve and Electron.
import fs from 'node:fs';
import path from 'node:path';
import type { Store } from '../store/index.ts';
import { audioMime } from './range.ts';

export interface MediaFile {
  path: string;
  size: number;
  mime: string;
}

/** Parses a track id from a URL segment: digits only, no leading zeros, within a safe range. */
export function parseTrackId(segment: string): number | null {
  return /^[1-9]\d{0,14}$/.test(segment) ? Number(segment) : null;
}

export function mediaFileForTrack(store: Store, trackId: number): MediaFile | null {
  const track = store.tracks.byId(trackId);
  if (!track || track.status !== 'present') return null;
  const root = store.roots.byId(track.rootId);
  if (!root || root.status !== 'online') return null;
  const inside = track.path.startsWith(root.path.endsWith(path.sep) ? root.path : root.path + path.sep);
  if (!inside) return null;
  try {
    const st = fs.statSync(track.path);
    if (!st.isFile()) return null;
    return { path: track.path, size: st.size, mime: audioMime(track.container, track.path) };
  } catch {
    return null;
  }
}
