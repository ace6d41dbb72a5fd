import { describe, expect, it } from 'vitest';
import { FRONTEND_VERSION, FrontEndAnalyser } from '../../../app/analysis/frontend/frontend.ts';
import { RHYTHM_VERSION, RhythmAnalyser, analyseRhythm } from '../../../app/analysis/rhythm/rhythm.ts';
import { runPipeline } from '../../../app/analysis/pipeline.ts';
import { DEMO_SONGS } from '../../../app/demo/songs.ts';
import type { RhythmResult } from '../../../app/analysis/types.ts';
import { SR, frontEnd, renderMono } from '../frontend/helpers.ts';
import { beatFMeasure } from './beatEval.ts';
import { truthBeats, truthDownbeats } from './truth.ts';

describe('rhythm: the twelve demo songs (22050 Hz, downmixed)', () => {
  for (const spec of DEMO_SONGS) {
    it(`${spec.id} (${spec.tempo} BPM, ${spec.meter}): tempo within 4 %, meter, beat F ≥ 0.9, downbeat F ≥ 0.8`, async () => {
      const r = analyseRhythm(await frontEnd(renderMono(spec)));
      expect(Math.abs(r.bpm / spec.tempo - 1)).toBeLessThan(0.04);
      expect(r.meter).toBe(spec.meter);
      expect(r.beatsPerBar).toBe(spec.meter === '4/4' ? 4 : spec.meter === '3/4' ? 3 : 2);
      expect(beatFMeasure(truthBeats(spec), r.beats)).toBeGreaterThanOrEqual(0.9);
      expect(beatFMeasure(truthDownbeats(spec), r.downbeats)).toBeGreaterThanOrEqual(0.8);
      expect(r.confidence).toBeGreaterThan(0.5);
      expect(r.meterConfidence).toBeGreaterThan(0.2);
      expect(r.tempoCurve).toEqual([]);
    });
  }

  it('runs as the frontend → rhythm pair in the analysis pipeline, one block stream', async () => {
    const spec = DEMO_SONGS.find((s) => s.id === 'waltz-of-the-lanterns')!;
    const audio = renderMono(spec);
    async function* blocks() {
      for (let i = 0; i < audio.length; i += 8192) yield audio.subarray(i, Math.min(audio.length, i + 8192));
    }
    const info = { sampleRate: SR, sourceSampleRate: SR, sourceChannels: 2, durationHint: audio.length / SR };
    const run = await runPipeline(info, blocks(), [new RhythmAnalyser(), new FrontEndAnalyser()]);
    const r = run.results.rhythm as RhythmResult;
    expect(run.versions).toEqual({ frontend: FRONTEND_VERSION, rhythm: RHYTHM_VERSION });
    expect(r.meter).toBe('3/4');
    expect(beatFMeasure(truthBeats(spec), r.beats)).toBeGreaterThanOrEqual(0.9);
  });
});
