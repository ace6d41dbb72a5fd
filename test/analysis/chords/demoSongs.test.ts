// End to end on the 12 rendered demo songs (exact ground truth): key, key changes, chord recall.
import { beforeAll, describe, expect, it } from 'vitest';
import { keyName } from '../../../app/analysis/key/index.ts';
import { DEMO_SONGS, keyName as demoKeyName, secondsPerBar } from '../../../app/demo/songs.ts';
import { estimatedChords, referenceChords, runDemoSong } from './demoRun.ts';
import type { DemoRun } from './demoRun.ts';
import { majmin, sevenths, wcsr } from './wcsr.ts';

const runs: DemoRun[] = [];

beforeAll(async () => {
  for (const spec of DEMO_SONGS) runs.push(await runDemoSong(spec));
  const rows = runs.map((r) => {
    const ref = referenceChords(r.spec);
    const est = estimatedChords(r.chords);
    const bar = secondsPerBar(r.spec);
    const segs = r.key.segments.map((s) => `${keyName(s.key)}@bar ${(s.start / bar + 1).toFixed(2)}`).join(' → ');
    return `${r.spec.title.padEnd(22)} key ${keyName(r.key.global).padEnd(9)} (truth ${demoKeyName(r.spec.key).padEnd(9)}, conf ${r.key.confidence.toFixed(2)})  majmin ${wcsr(ref, est, majmin).toFixed(3)}  sevenths ${wcsr(ref, est, sevenths).toFixed(3)}  | ${segs}`;
  });
  console.log(rows.join('\n'));
}, 120_000);

describe('demo songs end to end', () => {
  it('finds the global key of at least 11 of the 12 songs', () => {
    const right = runs.filter((r) => keyName(r.key.global) === demoKeyName(r.spec.key));
    expect(right.length).toBeGreaterThanOrEqual(11);
    for (const r of runs) expect(r.key.confidence).toBeGreaterThan(0);
  });

  it('finds the key changes of the two modulating songs at bar 9, and none elsewhere', () => {
    for (const r of runs) {
      const bar = secondsPerBar(r.spec);
      const change = r.spec.keyChange;
      if (!change) {
        expect(r.key.segments.map((s) => keyName(s.key)), r.spec.title).toEqual([demoKeyName(r.spec.key)]);
        continue;
      }
      expect(r.key.segments.map((s) => keyName(s.key)), r.spec.title).toEqual([demoKeyName(r.spec.key), demoKeyName(change.key)]);
      // The boundary is on the bar line of bar 9 (within half a bar: the beat grid is measured).
      expect(Math.abs(r.key.segments[1]!.start / bar + 1 - change.bar), r.spec.title).toBeLessThan(0.5);
    }
    expect(runs.filter((r) => r.spec.keyChange).map((r) => r.spec.title).sort()).toEqual(['Higher Still', 'Night Ferry']);
  });

  it('recalls the chord symbols: majmin WCSR ≥ 0.8 averaged over the songs, sevenths ≥ 0.7', () => {
    const mm = runs.map((r) => wcsr(referenceChords(r.spec), estimatedChords(r.chords), majmin));
    const sv = runs.map((r) => wcsr(referenceChords(r.spec), estimatedChords(r.chords), sevenths));
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    expect(mean(mm)).toBeGreaterThanOrEqual(0.8);
    expect(mean(sv)).toBeGreaterThanOrEqual(0.7);
    for (const v of mm) expect(v).toBeGreaterThan(0.6);
  });

  it('labels the inversions of "Higher Still" (E/G#, F#/A#) with the bass as a degree', () => {
    const r = runs.find((x) => x.spec.id === 'higher-still')!;
    const labels = r.chords.chords.map((c) => c.label);
    expect(labels).toContain('E:maj/3');
    expect(labels).toContain('F#:maj/3');
  });
});
