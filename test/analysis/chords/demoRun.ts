// End-to-end run of the analysis chain on the demo songs: render (stereo, 22050 Hz) → downmix → the
// frontend analyser driven through prepare/begin/process/finish in decoder-sized blocks → rhythm →
// key → chords, as the pipeline would call them.
import { createChordAnalyser } from '../../../app/analysis/chords/index.ts';
import { createFrontEnd } from '../../../app/analysis/frontend/frontend.ts';
import { createKeyAnalyser } from '../../../app/analysis/key/index.ts';
import { createRhythm } from '../../../app/analysis/rhythm/rhythm.ts';
import type { ChordResult, FrontEndFeatures, KeyResult, RhythmResult } from '../../../app/analysis/types.ts';
import { renderSong } from '../../../app/demo/synth.ts';
import { chordTimeline } from '../../../app/demo/songs.ts';
import type { SongSpec } from '../../../app/demo/songs.ts';
import { demoSymbolToHarte } from './wcsr.ts';
import type { Labeled } from './wcsr.ts';

export const SAMPLE_RATE = 22050;
const BLOCK = 4096;

export interface DemoRun {
  spec: SongSpec;
  frontend: FrontEndFeatures;
  rhythm: RhythmResult;
  key: KeyResult;
  chords: ChordResult;
  /** Milliseconds in key.finish and chords.finish. */
  keyMs: number;
  chordsMs: number;
}

export function downmix(channels: Float32Array[]): Float32Array {
  const n = channels[0]?.length ?? 0;
  const out = new Float32Array(n);
  for (const ch of channels) for (let i = 0; i < n; i++) out[i]! += ch[i]! / channels.length;
  return out;
}

/** Runs the frontend over mono samples in blocks, as the decoder would deliver them. */
export async function runFrontEnd(samples: Float32Array, sampleRate = SAMPLE_RATE): Promise<FrontEndFeatures> {
  const fe = createFrontEnd({ sampleRate });
  await fe.prepare();
  fe.begin({ sampleRate, sourceSampleRate: sampleRate, sourceChannels: 2, durationHint: samples.length / sampleRate });
  for (let i = 0; i < samples.length; i += BLOCK) fe.process(samples.subarray(i, Math.min(samples.length, i + BLOCK)));
  return fe.finish();
}

/** Rhythm, key and chords from frontend features. */
export function analyseFeatures(frontend: FrontEndFeatures): Omit<DemoRun, 'spec' | 'frontend'> {
  const rhythm = createRhythm().finish({ frontend });
  let t = performance.now();
  const key = createKeyAnalyser().finish({ frontend, rhythm });
  const keyMs = performance.now() - t;
  t = performance.now();
  const chords = createChordAnalyser().finish({ frontend, rhythm, key });
  return { rhythm, key, chords, keyMs, chordsMs: performance.now() - t };
}

export async function runDemoSong(spec: SongSpec): Promise<DemoRun> {
  const frontend = await runFrontEnd(downmix(renderSong(spec, SAMPLE_RATE)));
  return { spec, frontend, ...analyseFeatures(frontend) };
}

/** The song's chords as Harte-labelled reference intervals. */
export function referenceChords(spec: SongSpec): Labeled[] {
  return chordTimeline(spec).map((e) => ({ start: e.startSec, end: e.endSec, label: demoSymbolToHarte(e.symbol) }));
}

export function estimatedChords(result: ChordResult): Labeled[] {
  return result.chords.map((c) => ({ start: c.start, end: c.end, label: c.label }));
}
