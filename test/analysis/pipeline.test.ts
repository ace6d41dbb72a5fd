import { describe, expect, it } from 'vitest';
import { dependencyOrder, runPipeline, AnalysisError } from '../../app/analysis/pipeline.ts';
import type { Analyser, AudioStreamInfo } from '../../app/analysis/types.ts';

const info: AudioStreamInfo = { sampleRate: 100, sourceSampleRate: 100, sourceChannels: 1, durationHint: null };

async function* blocksOf(...lengths: number[]) {
  for (const n of lengths) yield new Float32Array(n).fill(1);
}

/** Counts samples it is fed. */
const counter = (): Analyser<number> => {
  let n = 0;
  return { name: 'count', version: 3, dependsOn: [], process: (b) => void (n += b.length), finish: () => n };
};
const doubler: Analyser<number, { count: number }> = { name: 'double', version: 1, dependsOn: ['count'], finish: (d) => d.count * 2 };

describe('analysis pipeline', () => {
  it('feeds every block once to streaming analysers and finishes in dependency order', async () => {
    const run = await runPipeline(info, blocksOf(10, 20, 5), [doubler as Analyser<unknown>, counter()]);
    expect(run.results).toEqual({ count: 35, double: 70 });
    expect(run.versions).toEqual({ count: 3, double: 1 });
    expect(run.samples).toBe(35);
    expect(Object.keys(run.timings).sort()).toEqual(['count', 'decode', 'double']);
  });

  it('rejects unknown dependencies and cycles', () => {
    expect(() => dependencyOrder([doubler as Analyser<unknown>])).toThrow(AnalysisError);
    const a: Analyser<number> = { name: 'a', version: 1, dependsOn: ['b'], finish: () => 1 };
    const b: Analyser<number> = { name: 'b', version: 1, dependsOn: ['a'], finish: () => 1 };
    expect(() => dependencyOrder([a, b])).toThrow(/cycle/);
  });

  it('names the analyser that failed', async () => {
    const broken: Analyser<number> = { name: 'broken', version: 1, dependsOn: [], finish: () => { throw new Error('boom'); } };
    await expect(runPipeline(info, blocksOf(1), [broken])).rejects.toMatchObject({ code: 'ANALYSER_FAILED', analyser: 'broken' });
  });
});
