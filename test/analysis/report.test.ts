// The summary `linernotes analyze` prints (app/analysis/report.ts): the written description first, in
// paragraphs wrapped for a terminal, then every measured fact, with no NaN or undefined anywhere.
import { describe, expect, it } from 'vitest';
import { describeAnalysis, wrap } from '../../app/analysis/report.ts';
import { analyseTheory } from '../../app/analysis/theory/index.ts';
import { DEMO_SONGS, songDurationSeconds } from '../../app/demo/songs.ts';
import { demoInput } from './theory/demoInput.ts';
import { fullAnalysis } from './insight/fixtures.ts';

function analysis(title: string) {
  const spec = DEMO_SONGS.find((s) => s.title === title)!;
  const { chords, key, rhythm } = demoInput(spec);
  return fullAnalysis({
    durationSec: songDurationSeconds(spec),
    sampleRate: 22050,
    versions: {},
    frontend: { tuningCents: -3, frameRate: 43 },
    rhythm,
    key,
    chords,
    theory: analyseTheory(chords, key, rhythm),
    timings: {},
  });
}

describe('describeAnalysis', () => {
  it('prints the insight paragraphs, then the facts of both engines', () => {
    const a = analysis('Night Ferry');
    const text = describeAnalysis(a, { title: 'Night Ferry', artist: 'Ashgrove' });
    const blocks = text.split('\n\n');
    expect(blocks[0]).toBe('Ashgrove — Night Ferry  (0:37)');
    for (const [i, p] of a.insight.paragraphs.entries()) expect(blocks[i + 1]!.replace(/\n/g, ' ')).toBe(p);
    for (const label of ['Tempo', 'Meter', 'Key', 'Loudness', 'Sound', 'Feel', 'Form', 'Chords', 'Harmony']) expect(text).toMatch(new RegExp(`^${label}\\b`, 'm'));
    expect(text).toMatch(/-11\.3 LUFS integrated, 6\.2 LU range, -0\.4 dBTP true peak/);
    expect(text).not.toMatch(/NaN|undefined|\bnull\b/);
  });

  it('wraps words into lines of at most the width', () => {
    const lines = wrap('one two three four five six seven eight nine ten', 12);
    expect(lines).toEqual(['one two', 'three four', 'five six', 'seven eight', 'nine ten']);
    expect(wrap('a-very-long-word short', 5)).toEqual(['a-very-long-word', 'short']);
    expect(wrap('')).toEqual([]);
  });
});
