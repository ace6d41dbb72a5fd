// Analyses one audio file: decode once, run every analyser, then derive the insight from the results.
import { openAudio } from '../audio/decode.ts';
import { runPipeline, type PipelineRun } from './pipeline.ts';
import { createFrontEnd } from './frontend/frontend.ts';
import { createRhythm } from './rhythm/rhythm.ts';
import { createKeyAnalyser } from './key/index.ts';
import { createChordAnalyser } from './chords/index.ts';
import { theoryAnalyser } from './theory/analyse.ts';
import { createLoudnessAnalyser } from './loudness/index.ts';
import { createSoundAnalyser } from './sound/index.ts';
import { createFormAnalyser } from './form/index.ts';
import { describeTrack } from './descriptors/index.ts';
import { INSIGHT_VERSION, writeInsight } from './insight/index.ts';
import { VECTOR_VERSION } from './vector/index.ts';
import type { Analyser, ChordResult, FormResult, FrontEndFeatures, KeyResult, LoudnessResult, RhythmResult, SoundResult, TheoryResult, TrackAnalysis } from './types.ts';

/** The analysis sample rate: enough for chroma up to ~2 kHz and onsets, half the work of 44.1 kHz. */
export const ANALYSIS_SAMPLE_RATE = 22050;

/** A fresh set of the analysers (they keep per-track state while streaming). */
export function defaultAnalysers(): Analyser<unknown>[] {
  return [...engineOneAnalysers(), createLoudnessAnalyser(), createSoundAnalyser(), createFormAnalyser()] as Analyser<unknown>[];
}

/** Engine I's analysers (issue 3): front end, rhythm, key, chords and harmony theory; the rest (engine II) build on them. */
export function engineOneAnalysers(): Analyser<unknown>[] {
  return [createFrontEnd(), createRhythm(), createKeyAnalyser(), createChordAnalyser(), theoryAnalyser] as Analyser<unknown>[];
}

/**
 * Results computed after the pipeline from the analysers' results, with their versions (bump
 * `descriptors` when app/analysis/descriptors changes what it computes). The similarity vector is made
 * when an analysis is saved (libraryAnalysis.ts).
 */
export const DERIVED_VERSIONS: Readonly<Record<string, number>> = { descriptors: 1, insight: INSIGHT_VERSION, vector: VECTOR_VERSION };

/** Versions of the default analysers and the derived results, for deciding what needs re-analysing. */
export function analyserVersions(): Record<string, number> {
  return { ...Object.fromEntries(defaultAnalysers().map((a) => [a.name, a.version])), ...DERIVED_VERSIONS };
}

/** Runs `fn`, adding its milliseconds to `timings[name]`. */
function timed<T>(timings: Record<string, number>, name: string, fn: () => T): T {
  const t0 = performance.now();
  const out = fn();
  timings[name] = Math.round((performance.now() - t0) * 10) / 10;
  return out;
}

/** The TrackAnalysis of one pipeline run: the analysers' results, the descriptors from them, then the written insight from all of it. */
export function assembleAnalysis(run: PipelineRun, sampleRate: number): TrackAnalysis {
  const fe = run.results.frontend as FrontEndFeatures;
  const timings = { ...run.timings };
  const measured = {
    durationSec: run.samples / sampleRate,
    sampleRate,
    versions: { ...run.versions, ...DERIVED_VERSIONS },
    frontend: { tuningCents: fe.tuningCents, frameRate: fe.frameRate },
    rhythm: run.results.rhythm as RhythmResult,
    key: run.results.key as KeyResult,
    chords: run.results.chords as ChordResult,
    theory: run.results.theory as TheoryResult,
    loudness: run.results.loudness as LoudnessResult,
    sound: run.results.sound as SoundResult,
    form: run.results.form as FormResult,
  };
  const descriptors = timed(timings, 'descriptors', () => describeTrack(measured));
  const insight = timed(timings, 'insight', () => writeInsight({ ...measured, descriptors }));
  return { ...measured, descriptors, insight, timings };
}

/**
 * Analyses a file; with `notes` the same decode pass also transcribes notes (Basic Pitch). A failed
 * transcription (e.g. a track too long for it) is kept as `notes.error` and never costs the analysis.
 */
export async function analyzeFile(
  path: string,
  opts: { sampleRate?: number; signal?: AbortSignal; notes?: boolean; /** With notes: take the chords' bass from them (default true). */ harmonyFromNotes?: boolean } = {},
): Promise<TrackAnalysis> {
  const stream = await openAudio(path, { sampleRate: opts.sampleRate ?? ANALYSIS_SAMPLE_RATE, signal: opts.signal });
  try {
    const analysers = opts.notes ? [...defaultAnalysers(), await tolerantNotesAnalyser()] : defaultAnalysers();
    const run = await runPipeline(stream.info, stream.blocks(), analysers, { tapSource: (sink) => stream.tapSource(sink) });
    const notes = run.results.notes as TrackAnalysis['notes'];
    if (notes && !('error' in notes) && opts.harmonyFromNotes !== false) {
      // The transcribed bass line names the chords' inversions (measured better on POP909; notes/harmony.ts).
      const t0 = performance.now();
      Object.assign(run.results, (await import('./notes/harmony.ts')).harmonyWithNotes(run.results, notes));
      run.timings.notesHarmony = Math.round((performance.now() - t0) * 10) / 10;
    }
    const analysis = assembleAnalysis(run, stream.info.sampleRate);
    if (opts.notes) analysis.notes = run.results.notes as TrackAnalysis['notes'];
    return analysis;
  } finally {
    await stream.close();
  }
}

/**
 * The notes analyser, its failure turned into `{ error }` so a track it cannot transcribe still gets its
 * analysis. Imported on demand: the ONNX runtime is loaded only when transcription is on.
 */
async function tolerantNotesAnalyser(): Promise<Analyser<unknown>> {
  const { createNotesAnalyser } = await import('./notes/analyser.ts');
  const inner = createNotesAnalyser();
  return {
    ...inner,
    finish: (deps) => inner.finish(deps as Parameters<typeof inner.finish>[0]).catch((err: unknown) => ({ error: (err as Error).message })),
  } as Analyser<unknown>;
}
