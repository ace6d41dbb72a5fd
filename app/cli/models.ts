// `linernotes doctor` (runtime, providers, threads, versions, data folder, model checks) and
// `linernotes transcribe <file> [--midi out.mid]` (Basic Pitch notes of one file, MIDI export).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { openAudio } from '../audio/decode.ts';
import { runPipeline } from '../analysis/pipeline.ts';
import { createFrontEnd } from '../analysis/frontend/frontend.ts';
import { createRhythm } from '../analysis/rhythm/rhythm.ts';
import { createNotesAnalyser } from '../analysis/notes/analyser.ts';
import { pitchName } from '../analysis/notes/derived.ts';
import { notesToMidi } from '../analysis/notes/midi.ts';
import type { NotesResult } from '../analysis/notes/types.ts';
import type { Analyser, RhythmResult } from '../analysis/types.ts';
import { defaultModelsDir, loadManifest, verifyModelFile } from '../models/manifest.ts';
import { candidateProviders, parseProviderSetting } from '../models/providers.ts';
import { defaultIntraOpThreads, getModelSession, ort } from '../models/session.ts';
import { DATABASE_FILE } from '../store/db.ts';
import { EXIT } from './exitCodes.ts';
import type { Output } from './output.ts';
import type { Store } from '../store/index.ts';
import { storedNotes } from '../analysis/notes/stored.ts';

interface ModelCheck {
  name: string;
  version: string;
  file: string;
  licence: string;
  sha256: 'ok' | string;
  provider: string | null;
  fellBack: { provider: string; error: string }[];
  loadMs: number | null;
  error: string | null;
}

/** What `doctor` reports. */
export interface DoctorReport {
  node: string;
  platform: string;
  cpus: number;
  onnxruntime: string;
  backends: { name: string; bundled: boolean }[];
  providerOrder: string[];
  threads: number;
  sqlite: string | null;
  sqliteVec: string | null;
  dataDir: { path: string; exists: boolean; database: string | null; databaseBytes: number | null; check: string | null };
  modelsDir: string;
  models: ModelCheck[];
}

export async function collectDoctorReport(dataDir: string): Promise<DoctorReport> {
  const backends = ort.listSupportedBackends().map((b) => ({ name: b.name, bundled: b.bundled }));
  let providerOrder: string[];
  try {
    providerOrder = candidateProviders(process.platform, backends, parseProviderSetting(process.env.LINERNOTES_EXECUTION_PROVIDERS));
  } catch (err) {
    providerOrder = [`invalid LINERNOTES_EXECUTION_PROVIDERS: ${(err as Error).message}`];
  }
  let sqlite: string | null = null;
  let vec: string | null = null;
  try {
    const mem = new Database(':memory:');
    sqlite = (mem.prepare('select sqlite_version() as v').get() as { v: string }).v;
    try {
      sqliteVec.load(mem);
      vec = (mem.prepare('select vec_version() as v').get() as { v: string }).v;
    } catch (err) {
      vec = `not loadable: ${(err as Error).message}`;
    }
    mem.close();
  } catch (err) {
    sqlite = `not loadable: ${(err as Error).message}`;
  }
  const dbFile = path.join(dataDir, DATABASE_FILE);
  const dataInfo: DoctorReport['dataDir'] = { path: dataDir, exists: fs.existsSync(dataDir), database: null, databaseBytes: null, check: null };
  if (fs.existsSync(dbFile)) {
    dataInfo.database = dbFile;
    dataInfo.databaseBytes = fs.statSync(dbFile).size;
    try {
      const db = new Database(dbFile, { readonly: true, fileMustExist: true });
      const rows = db.prepare('pragma quick_check').all() as { quick_check: string }[];
      dataInfo.check = rows.map((r) => r.quick_check).join('; ');
      db.close();
    } catch (err) {
      dataInfo.check = `cannot open: ${(err as Error).message}`;
    }
  }
  const modelsDir = defaultModelsDir();
  const models: ModelCheck[] = [];
  try {
    for (const entry of loadManifest(modelsDir).models) {
      const check: ModelCheck = { name: entry.name, version: entry.version, file: entry.file, licence: entry.licence, sha256: 'ok', provider: null, fellBack: [], loadMs: null, error: null };
      try {
        verifyModelFile(entry, modelsDir);
        const loaded = await getModelSession(entry.name, { modelsDir, log: () => {} });
        check.provider = loaded.provider;
        check.fellBack = loaded.fellBack;
        check.loadMs = Math.round(loaded.loadMs);
      } catch (err) {
        check.error = (err as Error).message;
        if ((err as { code?: string }).code === 'MODEL_CHECKSUM' || (err as { code?: string }).code === 'MODEL_MISSING') check.sha256 = 'failed';
      }
      models.push(check);
    }
  } catch (err) {
    models.push({ name: '(manifest)', version: '', file: 'manifest.json', licence: '', sha256: 'failed', provider: null, fellBack: [], loadMs: null, error: (err as Error).message });
  }
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch} (${os.release()})`,
    cpus: os.availableParallelism(),
    onnxruntime: ort.env.versions.node ?? ort.env.versions.common,
    backends,
    providerOrder,
    threads: defaultIntraOpThreads(),
    sqlite,
    sqliteVec: vec,
    dataDir: dataInfo,
    modelsDir,
    models,
  };
}

export async function doctorCommand(out: Output, dataDir: string): Promise<number> {
  const r = await collectDoctorReport(dataDir);
  const healthy = r.models.every((m) => !m.error) && (r.dataDir.check === null || r.dataDir.check === 'ok') && !!r.sqlite && !r.sqlite.startsWith('not');
  if (out.json) {
    out.data({ ...r, healthy });
    return healthy ? EXIT.OK : EXIT.FAILURE;
  }
  out.out(`Node ${r.node} on ${r.platform}, ${r.cpus} core(s)`);
  out.out(`SQLite ${r.sqlite ?? '–'}, sqlite-vec ${r.sqliteVec ?? '–'}`);
  out.out(`data folder ${r.dataDir.path}${r.dataDir.exists ? '' : ' (not created yet)'}`);
  if (r.dataDir.database) out.out(`  ${DATABASE_FILE}: ${(r.dataDir.databaseBytes! / 1e6).toFixed(1)} MB, integrity ${r.dataDir.check}`);
  out.out(`ONNX Runtime ${r.onnxruntime}: backends in this build ${r.backends.map((b) => `${b.name}${b.bundled ? '' : ' (needs its libraries)'}`).join(', ')}`);
  out.out(`  providers tried in order: ${r.providerOrder.join(' → ')}; ${r.threads} intra-op thread(s)`);
  out.out(`models in ${r.modelsDir}:`);
  for (const m of r.models) {
    if (m.error) out.out(`  ${m.name} ${m.version}: PROBLEM: ${m.error}`);
    else {
      const fb = m.fellBack.length ? ` (${m.fellBack.map((f) => `${f.provider} unavailable: ${f.error}`).join('; ')})` : '';
      out.out(`  ${m.name} ${m.version} (${m.licence}): sha256 ok, runs on ${m.provider}, loaded in ${m.loadMs} ms${fb}`);
    }
  }
  out.out(healthy ? 'everything looks fine' : 'problems found (see above)');
  return healthy ? EXIT.OK : EXIT.FAILURE;
}

export interface TranscribeCommandOptions {
  midi?: string;
  force?: boolean;
  /** The library: with it, `file` may be a track id, and the track's stored notes are used when present. */
  store?: Store;
}

/**
 * Transcribes one audio file (never written to), or a library track by id (its stored notes when the
 * queue transcribed it, else its file); optionally writes the notes as a MIDI file.
 */
export async function transcribeCommand(out: Output, file: string, opts: TranscribeCommandOptions): Promise<number> {
  let input = path.resolve(file);
  let stored: { notes: NotesResult; bpm?: number } | undefined;
  if (opts.store && /^\d+$/.test(file)) {
    const track = opts.store.tracks.byId(Number(file));
    if (!track) {
      out.err(`linernotes: no track with id ${file} in the library`);
      return EXIT.USAGE;
    }
    input = track.path;
    const notes = storedNotes(opts.store, track.id);
    const rhythm = opts.store.analyses.forTrack(track.id).find((r) => r.analyser === 'rhythm')?.result as RhythmResult | null | undefined;
    if (notes) stored = { notes, bpm: rhythm?.bpm };
  }
  if (!stored && !fs.existsSync(input)) {
    out.err(`linernotes: file not found: ${input}`);
    return EXIT.USAGE;
  }
  if (opts.midi) {
    const target = path.resolve(opts.midi);
    if (fs.existsSync(target) && fs.existsSync(input) && fs.realpathSync(target) === fs.realpathSync(input)) {
      out.err('linernotes: --midi must name a new file, not the audio file itself');
      return EXIT.USAGE;
    }
    if (fs.existsSync(target) && !opts.force) {
      out.err(`linernotes: ${target} exists; add --force to replace it`);
      return EXIT.USAGE;
    }
  }
  const started = performance.now();
  let result: NotesResult;
  let bpm: number | undefined;
  if (stored) {
    result = stored.notes;
    bpm = stored.bpm;
  } else {
    try {
      const stream = await openAudio(input, { sampleRate: 22050 });
      try {
        const run = await runPipeline(stream.info, stream.blocks(), [createFrontEnd(), createRhythm(), createNotesAnalyser({ log: () => {} })] as Analyser<unknown>[]);
        result = await (run.results.notes as Promise<NotesResult>);
        bpm = (run.results.rhythm as RhythmResult).bpm;
      } finally {
        await stream.close();
      }
    } catch (err) {
      out.err(`linernotes: cannot transcribe ${path.basename(input)}: ${(err as Error).message}`);
      return EXIT.FILE_ERRORS;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  if (opts.midi) fs.writeFileSync(path.resolve(opts.midi), notesToMidi(result.notes, { bpm, name: path.basename(input) }));
  if (out.json) {
    out.data({ path: input, ...result, stored: !!stored, midi: opts.midi ? path.resolve(opts.midi) : null, seconds });
    return EXIT.OK;
  }
  if (stored) out.out(`${path.basename(input)}: ${result.notes.length} notes in ${result.durationSec.toFixed(1)} s (stored transcription, Basic Pitch ${result.model.version} on ${result.model.provider})`);
  else out.out(`${path.basename(input)}: ${result.notes.length} notes in ${result.durationSec.toFixed(1)} s (Basic Pitch ${result.model.version} on ${result.model.provider}, ${seconds.toFixed(1)} s, ${(result.durationSec / seconds).toFixed(1)}× real time)`);
  if (result.melodyRange) out.out(`melody range ${result.melodyRange.lowestName}–${result.melodyRange.highestName} (${result.melodyRange.semitones} semitones)${result.melodyRange.tessitura ? `, mostly ${result.melodyRange.tessitura.lowName}–${result.melodyRange.tessitura.highName}` : ''}`);
  const bass = result.bassLine.map((b) => (b.pitch === null ? '·' : pitchName(b.pitch)));
  out.out(`bass line (per ${result.bassGrid === 'beats' ? 'beat' : '0.5 s'}): ${bass.slice(0, 32).join(' ')}${bass.length > 32 ? ' …' : ''}`);
  if (opts.midi) out.out(`wrote ${opts.midi}`);
  return EXIT.OK;
}
