// One decode pass feeds every analyser (after Mixxx's AnalyzerThread): streaming analysers see
// each block once, then every analyser finishes in dependency order with the results it needs.
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

/** Runs the analysers over one stream of mono blocks. The stream is read exactly once. */
export async function runPipeline(info: AudioStreamInfo, blocks: AsyncIterable<Float32Array>, analysers: readonly Analyser<unknown>[]): Promise<PipelineRun> {
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
  let samples = 0;
  let t = performance.now();
  for await (const block of blocks) {
    timings.decode! += performance.now() - t;
    samples += block.length;
    for (const a of streaming) time(a.name, () => a.process!(block));
    t = performance.now();
  }
  timings.decode! += performance.now() - t;
  const results: Record<string, unknown> = {};
  const versions: Record<string, number> = {};
  for (const a of ordered) {
    const deps = Object.fromEntries(a.dependsOn.map((d) => [d, results[d]]));
    time(a.name, () => {
      results[a.name] = a.finish(deps);
    });
    versions[a.name] = a.version;
  }
  for (const k of Object.keys(timings)) timings[k] = Math.round(timings[k]! * 10) / 10;
  return { results, versions, timings, samples };
}
