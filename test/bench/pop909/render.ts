/**
 * Rendering cache for the POP909 accuracy bench: renders a song's MIDI with fluidsynth (General MIDI
 * soundfont, 44.1 kHz, 16-bit stereo WAV) on demand, and encodes that WAV to 192 kbps MP3 with ffmpeg
 * when MP3 is asked for. Files are cached OUTSIDE the repo, in `$LINERNOTES_BENCH_CACHE` or else
 * `~/.cache/linernotes-bench/pop909`, as `<cache>/NNN.wav` and `<cache>/NNN.mp3`; what is cached is
 * skipped. Every file is written under a temporary name in the cache folder and renamed into place,
 * so an interrupted run never leaves a truncated file that a later run would take for a cached one.
 *
 * Needs the Debian packages `fluidsynth fluid-soundfont-gm` (and `ffmpeg` for MP3).
 *
 * Also a CLI, to warm the cache:
 *   node bin/run-ts.js test/bench/pop909/render.ts [--subset every7|all|N|ids] [--format wav|mp3] [--jobs 2]
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { REPO, datasetDir, listSongIds, midiPath, selectSubset } from './dataset.ts';

export type AudioFormat = 'wav' | 'mp3';

export const RENDER_SAMPLE_RATE = 44100;
export const MP3_BITRATE = '192k';
export const DEFAULT_SOUNDFONT = '/usr/share/sounds/sf2/FluidR3_GM.sf2';

export interface RenderOptions {
  format?: AudioFormat;
  /** Cache folder (default: benchCacheDir()). */
  cacheDir?: string;
  /** Soundfont (default: `$LINERNOTES_SOUNDFONT` or FluidR3_GM.sf2). */
  soundfont?: string;
  /** Data set root (default: datasetDir()). */
  datasetDir?: string;
}

export interface RenderOutcome {
  id: string;
  /** The audio file, or null when rendering failed. */
  path: string | null;
  /** True when the file was already in the cache (nothing was run). */
  cached: boolean;
  seconds: number;
  error?: string;
}

/** `$LINERNOTES_BENCH_CACHE`, else `~/.cache/linernotes-bench/pop909`. Refuses a folder inside the repo. */
export function benchCacheDir(): string {
  const env = process.env.LINERNOTES_BENCH_CACHE;
  const dir = env ? path.resolve(env) : path.join(os.homedir(), '.cache', 'linernotes-bench', 'pop909');
  const rel = path.relative(REPO, dir);
  if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) {
    throw new Error(`the bench cache must be outside the repository, not ${dir}`);
  }
  return dir;
}

export function soundfontPath(): string {
  return process.env.LINERNOTES_SOUNDFONT ?? DEFAULT_SOUNDFONT;
}

export function cachedPath(id: string, format: AudioFormat, cacheDir = benchCacheDir()): string {
  return path.join(cacheDir, `${id}.${format}`);
}

/** A file counts as cached when it exists and is more than a header. */
function isCached(file: string): boolean {
  try {
    return statSync(file).size > 1024;
  } catch {
    return false;
  }
}

/** Returns why the render tools are unusable (missing binary or soundfont), or null when all is there. */
export function renderToolsProblem(format: AudioFormat = 'wav', soundfont = soundfontPath()): string | null {
  const probe = (cmd: string, args: string[]): boolean => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
  if (!probe('fluidsynth', ['--version'])) return 'fluidsynth is not installed (apt-get install -y fluidsynth fluid-soundfont-gm)';
  if (!existsSync(soundfont)) return `soundfont ${soundfont} not found (apt-get install -y fluid-soundfont-gm, or set $LINERNOTES_SOUNDFONT)`;
  if (format === 'mp3' && !probe('ffmpeg', ['-version'])) return 'ffmpeg is not installed (needed for --format mp3)';
  return null;
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const proc = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    proc.on('error', reject);
    proc.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${cmd} exited with ${signal ?? code}: ${stderr.trim().slice(-500)}`));
    });
  });
}

/** A temporary name next to `final`, keeping its extension (fluidsynth picks the file type by extension). */
function partName(final: string): string {
  const ext = path.extname(final);
  const rand = Math.random().toString(36).slice(2, 8);
  return final.slice(0, -ext.length) + `.part-${process.pid}-${rand}${ext}`;
}

/** Runs `produce(tmp)` and renames `tmp` to `final`; removes `tmp` on failure. */
async function atomically(final: string, produce: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = partName(final);
  try {
    await produce(tmp);
    if (!isCached(tmp)) throw new Error(`${path.basename(final)}: the output is empty`);
    await rename(tmp, final);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Ensures `<cache>/<id>.<format>` exists (rendering the WAV first when MP3 is asked for and no WAV is
 * cached) and returns its path. Throws when fluidsynth or ffmpeg fails.
 */
export async function renderSong(id: string, opts: RenderOptions = {}): Promise<{ path: string; cached: boolean }> {
  const format = opts.format ?? 'wav';
  const cacheDir = opts.cacheDir ?? benchCacheDir();
  const final = cachedPath(id, format, cacheDir);
  if (isCached(final)) return { path: final, cached: true };
  await mkdir(cacheDir, { recursive: true });

  const wav = cachedPath(id, 'wav', cacheDir);
  if (!isCached(wav)) {
    const midi = midiPath(id, opts.datasetDir ?? datasetDir());
    if (!existsSync(midi)) throw new Error(`no MIDI file ${midi}`);
    const sf2 = opts.soundfont ?? soundfontPath();
    await atomically(wav, (tmp) => run('fluidsynth', ['-ni', '-q', '-r', String(RENDER_SAMPLE_RATE), '-T', 'wav', '-F', tmp, sf2, midi]));
  }
  if (format === 'mp3') {
    await atomically(final, (tmp) =>
      run('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-i', wav, '-codec:a', 'libmp3lame', '-b:a', MP3_BITRATE, '-f', 'mp3', tmp]),
    );
  }
  return { path: final, cached: false };
}

/**
 * Renders many songs with `jobs` parallel workers (default 2). Never throws for one song: a failure is
 * recorded in its outcome (`path: null`, `error`). Outcomes come back in the order of `ids`.
 */
export async function renderSongs(
  ids: readonly string[],
  opts: RenderOptions & { jobs?: number; onProgress?: (done: number, total: number, outcome: RenderOutcome) => void } = {},
): Promise<RenderOutcome[]> {
  const jobs = Math.max(1, opts.jobs ?? 2);
  const outcomes: RenderOutcome[] = new Array<RenderOutcome>(ids.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < ids.length) {
      const i = next++;
      const id = ids[i]!;
      const t0 = performance.now();
      let outcome: RenderOutcome;
      try {
        const r = await renderSong(id, opts);
        outcome = { id, path: r.path, cached: r.cached, seconds: (performance.now() - t0) / 1000 };
      } catch (err) {
        outcome = { id, path: null, cached: false, seconds: (performance.now() - t0) / 1000, error: err instanceof Error ? err.message : String(err) };
      }
      outcomes[i] = outcome;
      done++;
      opts.onProgress?.(done, ids.length, outcome);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, ids.length) }, () => worker()));
  return outcomes;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      subset: { type: 'string', default: 'every7' },
      format: { type: 'string', default: 'wav' },
      jobs: { type: 'string', default: '2' },
    },
    strict: true,
  });
  const format = values.format as AudioFormat;
  if (format !== 'wav' && format !== 'mp3') throw new Error(`--format must be wav or mp3, not ${values.format}`);
  const problem = renderToolsProblem(format);
  if (problem) throw new Error(problem);
  const ids = selectSubset(listSongIds(), values.subset);
  const cacheDir = benchCacheDir();
  console.log(`rendering ${ids.length} songs (${format}) into ${cacheDir} with ${values.jobs} jobs`);
  const t0 = performance.now();
  const outcomes = await renderSongs(ids, {
    format,
    jobs: Number(values.jobs),
    onProgress: (done, total, o) => {
      if (o.error) console.log(`  [${done}/${total}] ${o.id} FAILED: ${o.error}`);
      else if (!o.cached) console.log(`  [${done}/${total}] ${o.id} ${o.seconds.toFixed(1)} s`);
    },
  });
  const wall = (performance.now() - t0) / 1000;
  const rendered = outcomes.filter((o) => o.path && !o.cached).length;
  const cached = outcomes.filter((o) => o.cached).length;
  const failed = outcomes.filter((o) => !o.path).length;
  console.log(`done in ${wall.toFixed(1)} s: ${rendered} rendered, ${cached} cached, ${failed} failed`);
  if (failed) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
