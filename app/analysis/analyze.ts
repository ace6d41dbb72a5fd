// Analyses one audio file: decode once, run every analyser, return the measured facts.
import { openAudio } from '../audio/decode.ts';
import { runPipeline } from './pipeline.ts';
import { createFrontEnd } from './frontend/frontend.ts';
import { createRhythm } from './rhythm/rhythm.ts';
import { createKeyAnalyser } from './key/index.ts';
import { createChordAnalyser } from './chords/index.ts';
import { theoryAnalyser } from './theory/analyse.ts';
import type { Analyser, ChordResult, FrontEndFeatures, KeyResult, RhythmResult, TheoryResult, TrackAnalysis } from './types.ts';

/** The analysis sample rate: enough for chroma up to ~2 kHz and onsets, half the work of 44.1 kHz. */
export const ANALYSIS_SAMPLE_RATE = 22050;

/** A fresh set of the analysers (they keep per-track state while streaming). */
export function defaultAnalysers(): Analyser<unknown>[] {
  return [createFrontEnd(), createRhythm(), createKeyAnalyser(), createChordAnalyser(), theoryAnalyser] as Analyser<unknown>[];
}

/** Versions of the default analysers, for deciding what needs re-analysing. */
export function analyserVersions(): Record<string, number> {
  return Object.fromEntries(defaultAnalysers().map((a) => [a.name, a.version]));
}

export async function analyzeFile(path: string, opts: { sampleRate?: number; signal?: AbortSignal } = {}): Promise<TrackAnalysis> {
  const stream = await openAudio(path, { sampleRate: opts.sampleRate ?? ANALYSIS_SAMPLE_RATE, signal: opts.signal });
  try {
    const run = await runPipeline(stream.info, stream.blocks(), defaultAnalysers());
    const fe = run.results.frontend as FrontEndFeatures;
    return {
      durationSec: run.samples / stream.info.sampleRate,
      sampleRate: stream.info.sampleRate,
      versions: run.versions,
      frontend: { tuningCents: fe.tuningCents, frameRate: fe.frameRate },
      rhythm: run.results.rhythm as RhythmResult,
      key: run.results.key as KeyResult,
      chords: run.results.chords as ChordResult,
      theory: run.results.theory as TheoryResult,
      timings: run.timings,
    };
  } finally {
    await stream.close();
  }
}
