// runPipeline's source tap: analysers with processSource get the decode pass's source chunks, timed
// under their own names, and the tap is released after the stream ends.
import { describe, expect, it } from 'vitest';
import { runPipeline, type SourceChunkSink } from '../../app/analysis/pipeline.ts';
import type { Analyser, AudioStreamInfo } from '../../app/analysis/types.ts';

const info: AudioStreamInfo = { sampleRate: 100, sourceSampleRate: 200, sourceChannels: 2, durationHint: null };

/** A fake stream: before each mono block, the "decoder" hands a stereo source chunk to the tap. */
function fakeStream(chunks: number) {
  let sink: SourceChunkSink | null = null;
  const taps: (SourceChunkSink | null)[] = [];
  async function* blocks() {
    for (let i = 0; i < chunks; i++) {
      sink?.([new Float32Array(20).fill(1), new Float32Array(20).fill(-1)], 20, 200);
      yield new Float32Array(10);
    }
  }
  return { blocks: blocks(), tapSource: (s: SourceChunkSink | null) => void taps.push((sink = s)), taps };
}

const sourceCounter = (): Analyser<{ frames: number; channels: number; rate: number }> => {
  const r = { frames: 0, channels: 0, rate: 0 };
  return {
    name: 'src',
    version: 1,
    dependsOn: [],
    processSource: (ch, length, rate) => {
      r.frames += length;
      r.channels = ch.length;
      r.rate = rate;
    },
    finish: () => r,
  };
};

describe('pipeline source tap', () => {
  it('hands every source chunk to processSource with its channels and rate, and releases the tap', async () => {
    const s = fakeStream(3);
    const run = await runPipeline(info, s.blocks, [sourceCounter() as Analyser<unknown>], { tapSource: s.tapSource });
    expect(run.results.src).toEqual({ frames: 60, channels: 2, rate: 200 });
    expect(run.samples).toBe(30);
    expect(Object.keys(run.timings).sort()).toEqual(['decode', 'src']);
    expect(s.taps).toHaveLength(2);
    expect(s.taps[1]).toBeNull();
  });

  it('does not tap the stream when no analyser wants source chunks', async () => {
    const s = fakeStream(2);
    const plain: Analyser<number> = { name: 'plain', version: 1, dependsOn: [], process: () => {}, finish: () => 1 };
    await runPipeline(info, s.blocks, [plain], { tapSource: s.tapSource });
    expect(s.taps).toEqual([]);
  });

  it('names the analyser whose processSource failed', async () => {
    const s = fakeStream(2);
    const broken: Analyser<number> = { name: 'broken', version: 1, dependsOn: [], processSource: () => { throw new Error('boom'); }, finish: () => 1 };
    await expect(runPipeline(info, s.blocks, [broken], { tapSource: s.tapSource })).rejects.toMatchObject({ code: 'ANALYSER_FAILED', analyser: 'broken' });
    expect(s.taps.at(-1)).toBeNull();
  });
});
