// `linernotes analyze [file|track-id…] [--json] [--jams out.jams] [--force]`: measures tracks.
// Library tracks store their results; a file outside the library is analysed and printed only.
import fs from 'node:fs/promises';
import path from 'node:path';
import { analyzeFile, analyserVersions } from '../analysis/analyze.ts';
import { loadAnalysis, saveAnalysis } from '../analysis/libraryAnalysis.ts';
import { describeAnalysis } from '../analysis/report.ts';
import { toJams } from '../analysis/jams.ts';
import { camelot, keyName } from '../analysis/key/names.ts';
import type { TrackAnalysis } from '../analysis/types.ts';
import type { Track } from '../store/index.ts';
import { EXIT } from './exitCodes.ts';
import type { Context } from './commands.ts';
import { runQueueCommand } from './queue.ts';
import { versionKey } from '../queue/versions.ts';

export interface AnalyzeOptions {
  json?: boolean;
  jams?: string;
  force?: boolean;
  /** Every library track that needs it, through the queue (also what no target means). */
  all?: boolean;
  /** Worker processes for --all (default: the queue's setting). */
  workers?: number;
  signal?: AbortSignal;
}

interface Target {
  path: string;
  track?: Track;
}

async function resolveTarget(ctx: Context, target: string): Promise<Target | string> {
  if (/^\d+$/.test(target)) {
    const track = ctx.store.tracks.byId(Number(target));
    return track ? { path: track.path, track } : `no track with id ${target} (see linernotes list)`;
  }
  const abs = path.resolve(target);
  const real = await fs.realpath(abs).catch(() => undefined);
  if (!real) return `file not found: ${abs}`;
  const track = ctx.store.tracks.byPath(real) ?? ctx.store.tracks.byPath(abs);
  return { path: real, track };
}

/** Analyses one target, reusing a stored analysis that is current unless --force. */
async function analyseOne(ctx: Context, t: Target, force: boolean): Promise<TrackAnalysis> {
  const versions = analyserVersions();
  if (t.track && !force) {
    const stored = loadAnalysis(ctx.store, t.track.id);
    if (stored && Object.entries(versions).every(([k, v]) => stored.versions[k] === v)) return stored;
  }
  const analysis = await analyzeFile(t.path);
  const track = t.track;
  if (track) {
    ctx.store.transaction(() => {
      saveAnalysis(ctx.store, track.id, analysis);
      ctx.store.jobs.markQueuedDone(track.id, versionKey(versions));
    });
  }
  return analysis;
}

export async function analyzeCommand(ctx: Context, targets: string[], opts: AnalyzeOptions): Promise<number> {
  const { out } = ctx;
  if (opts.jams && targets.length !== 1) {
    out.err('linernotes: --jams needs exactly one file or track id');
    return EXIT.USAGE;
  }
  if (targets.length === 0 || opts.all) {
    // The whole library, through the analysis queue and its worker processes.
    if (targets.length) {
      out.err('linernotes: give track ids or files, or --all, not both');
      return EXIT.USAGE;
    }
    return runQueueCommand(ctx, { force: opts.force, workers: opts.workers, signal: opts.signal });
  }
  let failed = 0;
  const results: unknown[] = [];
  for (const target of targets) {
    const t = await resolveTarget(ctx, target);
    if (typeof t === 'string') {
      out.err(`linernotes: ${t}`);
      return EXIT.USAGE;
    }
    try {
      const a = await analyseOne(ctx, t, !!opts.force);
      if (out.json) results.push({ path: t.path, trackId: t.track?.id ?? null, ...a });
      else out.out(describeAnalysis(a, { title: t.track?.title, artist: t.track?.artist, path: path.basename(t.path) }) + '\n');
      if (opts.jams) {
        const doc = toJams(a, { title: t.track?.title ?? path.basename(t.path), artist: t.track?.artist ?? undefined, durationSec: a.durationSec });
        await fs.writeFile(opts.jams, JSON.stringify(doc, null, 1));
        if (!out.json) out.out(`wrote ${opts.jams}`);
      }
    } catch (err) {
      failed++;
      out.err(`linernotes: cannot analyse ${path.basename(t.path)}: ${(err as Error).message}`);
    }
  }
  if (out.json) out.data(targets.length === 1 ? results[0] : results);
  return failed > 0 ? EXIT.FILE_ERRORS : EXIT.OK;
}

/** One line per track for batch runs. */
export function oneLine(a: TrackAnalysis | undefined): string {
  if (!a) return 'no result';
  const devices = [...new Set(a.theory.devices.map((d) => d.kind))].join(', ');
  const key = a.key.segments.length > 1 ? `${a.key.segments.length - 1} key change(s)` : 'no key change';
  const lufs = a.loudness.integratedLufs === null ? 'silent' : `${a.loudness.integratedLufs.toFixed(1)} LUFS`;
  const form = a.form.summary ? `; ${a.form.summary}` : '';
  return `${a.rhythm.bpm.toFixed(0)} BPM ${a.rhythm.meter}, ${describeKey(a)}, ${key}, ${lufs}${devices ? `; ${devices}` : ''}${form}`;
}

function describeKey(a: TrackAnalysis): string {
  return `${keyName(a.key.global)} (${camelot(a.key.global)})`;
}
