// Writes the demo library to a folder: one tagged WAV per song ('Artist - Title.wav') and
// ground-truth.json. Output is byte-for-byte deterministic; files already identical are left alone.
import fs from 'node:fs/promises';
import path from 'node:path';
import { DEMO_COMMENT, DEMO_SONGS, keyName, sectionTimeline, songDurationSeconds } from './songs.ts';
import type { SectionLabel, SongSpec } from './songs.ts';
import { renderSong } from './synth.ts';
import { encodeWav } from './wav.ts';

export const DEFAULT_DEMO_SAMPLE_RATE = 22050;
export const GROUND_TRUTH_FILE = 'ground-truth.json';

export interface GroundTruthEntry {
  /** File name inside the demo folder. */
  file: string;
  durationSec: number;
  keyName: string;
  /** The song's form: each section's start and end (s) and label, in order, tiling the song. */
  sections: GroundTruthSection[];
  spec: SongSpec;
}

export interface GroundTruthSection {
  start: number;
  end: number;
  label: SectionLabel;
}

/** The form ground truth of a spec: sections with their times. */
export function sectionTruth(spec: SongSpec): GroundTruthSection[] {
  return sectionTimeline(spec).map((s) => ({ start: s.startSec, end: s.endSec, label: s.label }));
}

export interface GroundTruth {
  sampleRate: number;
  songs: GroundTruthEntry[];
}

/** 'Artist - Title.wav', with characters that are unsafe in file names replaced by '_'. */
export function demoFileName(spec: SongSpec): string {
  return `${spec.artist} - ${spec.title}.wav`.replace(/[/\\:*?"<>|\u0000-\u001f]/g, '_');
}

/** Writes `bytes` to `file` unless it already holds exactly those bytes (write to a temp file, then rename). */
async function writeIfChanged(file: string, bytes: Uint8Array): Promise<boolean> {
  const existing = await fs.readFile(file).catch(() => undefined);
  if (existing && Buffer.compare(existing, bytes) === 0) return false;
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, bytes);
  await fs.rename(tmp, file);
  return true;
}

/** The WAV bytes of one demo song. */
export function demoSongWav(spec: SongSpec, sampleRate: number): Uint8Array {
  return encodeWav(renderSong(spec, sampleRate), sampleRate, {
    title: spec.title,
    artist: spec.artist,
    album: spec.album,
    genre: spec.genre,
    year: spec.year,
    track: spec.trackNo,
    comment: DEMO_COMMENT,
  });
}

/** Synthesises the demo songs into `dir` (created if missing) with their ground truth. */
export async function writeDemoLibrary(
  dir: string,
  opts: { sampleRate?: number; songs?: SongSpec[] } = {},
): Promise<{ files: string[]; songs: SongSpec[] }> {
  const sampleRate = opts.sampleRate ?? DEFAULT_DEMO_SAMPLE_RATE;
  const songs = opts.songs ?? [...DEMO_SONGS];
  const names = songs.map(demoFileName);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new Error(`two demo songs would share the file name '${dup}'`);
  await fs.mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (const [i, spec] of songs.entries()) {
    const file = path.join(dir, names[i]!);
    await writeIfChanged(file, demoSongWav(spec, sampleRate));
    files.push(file);
  }
  const truth: GroundTruth = {
    sampleRate,
    songs: songs.map((spec, i) => ({ file: names[i]!, durationSec: songDurationSeconds(spec), keyName: keyName(spec.key), sections: sectionTruth(spec), spec })),
  };
  await writeIfChanged(path.join(dir, GROUND_TRUTH_FILE), new TextEncoder().encode(`${JSON.stringify(truth, null, 2)}\n`));
  return { files, songs };
}
