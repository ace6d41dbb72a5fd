// One decode pass feeds every analyser (after Mixxx's AnalyzerThread): streaming analysers see
// each block once, then every analyser finishes in dependency order with the results it needs.
// Analysers that measure the original signal (loudness) also get the same pass's source chunks, the
// file's own channels at its own rate, through the stream's source tap.
import type { Analyser, AudioStreamInfo } from './types.ts';

export interface PipelineRun {
  results: Record<string, unknown>;
  versions: Record<string, number>;
  /** Milliseconds per analyser (process + finish) and for reading the stream ('decode'). */
  timings: Record<string, number>;
  samples: number;
}

export class AnalysisError extends Error {
  override name = 'AnalysisError';
  constructor(
    message: string,
    readonly code: 'DEPENDENCY_CYCLE' | 'UNKNOWN_DEPENDENCY' | 'ANALYSER_FAILED',
    readonly analyser?: string,
  ) {
    super(message);
  }
}

/** Receives the source chunks of the decode pass (the shape of audio/decode.ts's SourceSink). */
export type SourceChunkSink = (channels: readonly Float32Array[], length: number, sampleRate: number) => void;

export interface PipelineOptions {
  /**
   * Connects the pipeline to the stream's source chunks, e.g. `(sink) => stream.tapSource(sink)`;
   * called with the pipeline's receiver before reading and with null after. Without it, analysers
   * with `processSource` get no source chunks.
   */
  tapSource?: (sink: SourceChunkSink | null) => void;
}

/** Orders analysers so each comes after the ones it depends on (Kahn's topological sort). */
export function dependencyOrder(analysers: readonly Analyser<unknown>[]): Analyser<unknown>[] {
  const byName = new Map(analysers.map((a) => [a.name, a]));
  for (const a of analysers) {
    for (const d of a.dependsOn) if (!byName.has(d)) throw new AnalysisError(`analyser '${a.name}' needs '${d}', which is not in the pipeline`, 'UNKNOWN_DEPENDENCY', a.name);
  }
  const done = new Set<string>();
  const ordered: Analyser<unknown>[] = [];
  while (ordered.length < analysers.length) {
    const ready = analysers.find((a) => !done.has(a.name) && a.dependsOn.every((d) => done.has(d)));
    if (!ready) throw new AnalysisError(`analysers depend on each other in a cycle: ${analysers.filter((a) => !done.has(a.name)).map((a) => a.name).join(', ')}`, 'DEPENDENCY_CYCLE');
    done.add(ready.name);
    ordered.push(ready);
  }
  return ordered;
}

/**
 * Runs the analysers over one stream of mono blocks. The stream is read exactly once; source chunks
 * reach `processSource` while it is read (their time counts for the analyser, not for decoding).
 */
export async function runPipeline(info: AudioStreamInfo, blocks: AsyncIterable<Float32Array>, analysers: readonly Analyser<unknown>[], opts: PipelineOptions = {}): Promise<PipelineRun> {
  const ordered = dependencyOrder(analysers);
  const timings: Record<string, number> = { decode: 0 };
  const time = (name: string, fn: () => void) => {
    const t0 = performance.now();
    try {
      fn();
    } catch (err) {
      throw new AnalysisError(`analyser '${name}' failed: ${(err as Error).message}`, 'ANALYSER_FAILED', name);
    }
    timings[name] = (timings[name] ?? 0) + performance.now() - t0;
  };
  for (const a of ordered) await a.prepare?.();
  for (const a of ordered) time(a.name, () => a.begin?.(info));
  const streaming = ordered.filter((a) => a.process);
  const sourcing = ordered.filter((a) => a.processSource);
  let inSource = 0; // ms spent in processSource while the stream was producing the current block
  if (sourcing.length && opts.tapSource) {
    opts.tapSource((channels, length, sampleRate) => {
      const t0 = performance.now();
      for (const a of sourcing) time(a.name, () => a.processSource!(channels, length, sampleRate));
      inSource += performance.now() - t0;
    });
  }
  let samples = 0;
  let t = performance.now();
  try {
    for await (const block of blocks) {
      timings.decode! += performance.now() - t - inSource;
      inSource = 0;
      samples += block.length;
      for (const a of streaming) time(a.name, () => a.process!(block));
      t = performance.now();
    }
  } finally {
    if (sourcing.length) opts.tapSource?.(null);
  }
  timings.decode! += performance.now() - t - inSource;
  const results: Record<string, unknown> = {};
  const versions: Record<string, number> = {};
  for (const a of ordered) {
    const deps = Object.fromEntries(a.dependsOn.map((d) => [d, results[d]]));
    time(a.name, () => {
      results[a.name] = a.finish(deps);
    });
    // An analyser whose finish returns a Promise (the notes model runs asynchronously) is awaited here.
    if (results[a.name] instanceof Promise) results[a.name] = await awaitFinish(a.name, results[a.name] as Promise<unknown>, timings);
    versions[a.name] = a.version;
  }
  for (const k of Object.keys(timings)) timings[k] = Math.round(timings[k]! * 10) / 10;
  return { results, versions, timings, samples };
}

/** Awaits an analyser's asynchronous finish, adding the wait to its timing; a rejection becomes an AnalysisError. */
async function awaitFinish(name: string, pending: Promise<unknown>, timings: Record<string, number>): Promise<unknown> {
  const t0 = performance.now();
  try {
    return await pending;
  } catch (err) {
    throw new AnalysisError(`analyser '${name}' failed: ${(err as Error).message}`, 'ANALYSER_FAILED', name);
  } finally {
    timings[name] = (timings[name] ?? 0) + performance.now() - t0;
  }
}
