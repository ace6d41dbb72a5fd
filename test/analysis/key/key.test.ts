import { describe, expect, it } from 'vitest';
import { analyseKey, camelot, createKeyAnalyser, estimateKey, keyAnalyser, keyName, parseKeyName, relativeKey, spellPitchClass } from '../../../app/analysis/key/index.ts';
import type { Key, KeyResult } from '../../../app/analysis/types.ts';
import { synthFeatures, synthProgression, synthRhythm } from '../chords/synthFeatures.ts';
import type { Progression } from '../chords/synthFeatures.ts';

const TEMPO = 120;
const BAR = (4 * 60) / TEMPO;

function repeat<T>(items: T[], times: number): T[] {
  return Array.from({ length: times }, () => items).flat();
}

function analyse(p: Progression, seed = 1): KeyResult {
  const { features, rhythm } = synthProgression(p, { seed, noise: 0.3 });
  return estimateKey(features, rhythm);
}

const names = (r: KeyResult) => r.segments.map((s) => keyName(s.key));

describe('key names', () => {
  it('names keys the usual way', () => {
    expect(keyName({ tonic: 9, mode: 'minor' })).toBe('A minor');
    expect(keyName({ tonic: 10, mode: 'major' })).toBe('Bb major');
    expect(keyName({ tonic: 6, mode: 'minor' })).toBe('F# minor');
    expect(keyName({ tonic: 3, mode: 'minor' })).toBe('Eb minor');
    expect(parseKeyName('F# minor')).toEqual({ tonic: 6, mode: 'minor' });
    expect(parseKeyName('Bb major')).toEqual({ tonic: 10, mode: 'major' });
    expect(relativeKey({ tonic: 0, mode: 'major' })).toEqual({ tonic: 9, mode: 'minor' });
  });

  it('gives the Camelot code of all 24 keys', () => {
    const table: Record<string, string> = {
      'C major': '8B', 'G major': '9B', 'D major': '10B', 'A major': '11B', 'E major': '12B', 'B major': '1B',
      'Gb major': '2B', 'Db major': '3B', 'Ab major': '4B', 'Eb major': '5B', 'Bb major': '6B', 'F major': '7B',
      'A minor': '8A', 'E minor': '9A', 'B minor': '10A', 'F# minor': '11A', 'C# minor': '12A', 'G# minor': '1A',
      'Eb minor': '2A', 'Bb minor': '3A', 'F minor': '4A', 'C minor': '5A', 'G minor': '6A', 'D minor': '7A',
    };
    const seen = new Set<string>();
    for (let tonic = 0; tonic < 12; tonic++) {
      for (const mode of ['major', 'minor'] as const) {
        const k: Key = { tonic, mode };
        expect(camelot(k), keyName(k)).toBe(table[keyName(k)]);
        seen.add(camelot(k));
      }
    }
    expect(seen.size).toBe(24);
    // Relative keys share a number; a fifth up is one step round the wheel.
    expect(camelot(relativeKey({ tonic: 4, mode: 'major' }))).toBe('12A');
  });

  it('spells chromatic notes by their function in the key', () => {
    const C: Key = { tonic: 0, mode: 'major' };
    expect(spellPitchClass(8, C)).toBe('Ab'); // ♭VI
    expect(spellPitchClass(10, C)).toBe('Bb'); // ♭VII
    expect(spellPitchClass(6, C)).toBe('F#'); // ♯IV
    expect(spellPitchClass(6, { tonic: 7, mode: 'major' })).toBe('F#'); // leading tone of G
    expect(spellPitchClass(3, { tonic: 9, mode: 'major' })).toBe('D#'); // ♯IV of A
  });
});

describe('key estimation on synthetic chroma', () => {
  it('finds C major in I–V–vi–IV with noise, as one confident segment', () => {
    const r = analyse({ tempo: TEMPO, beatsPerBar: 4, bars: repeat(['C', 'G', 'Am', 'F'], 6) });
    expect(keyName(r.global)).toBe('C major');
    expect(r.confidence).toBeGreaterThan(0.5);
    expect(names(r)).toEqual(['C major']);
    expect(r.segments[0]!.start).toBe(0);
    expect(r.segments[0]!.end).toBeCloseTo(24 * BAR, 6);
  });

  it('finds a modulation C major → D major (16 bars each) as two segments split at the bar line', () => {
    const bars = [...repeat(['C', 'F', 'G', 'C'], 4), ...repeat(['D', 'G', 'A', 'D'], 4)];
    for (const seed of [1, 2, 3]) {
      const r = analyse({ tempo: TEMPO, beatsPerBar: 4, bars }, seed);
      expect(names(r)).toEqual(['C major', 'D major']);
      expect(r.segments[1]!.start).toBeCloseTo(16 * BAR, 6);
      expect(keyName(r.global)).toBe('C major');
      for (const s of r.segments) expect(s.confidence).toBeGreaterThan(0.3);
    }
  });

  it('keeps a two-chord tonicisation of V (V/V → V) inside C major as one segment', () => {
    const bars = ['C', 'F', 'G', 'C', 'Am', 'F', 'G', 'C', 'C', 'Am', 'D7', 'G', 'C', 'F', 'G', 'C'];
    for (const seed of [1, 2, 3]) {
      const r = analyse({ tempo: TEMPO, beatsPerBar: 4, bars }, seed);
      expect(names(r)).toEqual(['C major']);
    }
  });

  it('keeps a ii–V into vi (a bar each) and a borrowed ♭VI–♭VII inside the home key', () => {
    const bars = ['F', 'Dm', 'Gm', 'C', 'Em7b5', 'A7', 'Dm', 'C', 'F', 'Db', 'Eb', 'F', 'Bb', 'C', 'F', 'F'];
    const r = analyse({ tempo: TEMPO, beatsPerBar: 4, bars });
    expect(names(r)).toEqual(['F major']);
  });

  it('tells the relative minor from the major: A minor (harmonic and aeolian) vs C major', () => {
    expect(keyName(analyse({ tempo: TEMPO, beatsPerBar: 4, bars: repeat(['Am', 'Dm', 'E', 'Am'], 4) }).global)).toBe('A minor');
    expect(keyName(analyse({ tempo: TEMPO, beatsPerBar: 4, bars: repeat(['Am', 'F', 'G', 'Am'], 4) }).global)).toBe('A minor');
    expect(keyName(analyse({ tempo: TEMPO, beatsPerBar: 4, bars: repeat(['C', 'Am', 'F', 'G'], 3).concat(['C']) }).global)).toBe('C major');
    // Aeolian (♭VII instead of V): i–iv–i–♭VII–i–♭VI–♭VII–i and i–♭VII–♭VI–♭VII.
    expect(keyName(analyse({ tempo: TEMPO, beatsPerBar: 4, bars: repeat(['Em', 'Am', 'Em', 'D', 'Em', 'C', 'D', 'Em'], 2) }).global)).toBe('E minor');
    expect(keyName(analyse({ tempo: TEMPO, beatsPerBar: 4, bars: repeat(['Em', 'D', 'C', 'D'], 3).concat(['Em']) }).global)).toBe('E minor');
    expect(keyName(analyse({ tempo: TEMPO, beatsPerBar: 4, bars: repeat(['G', 'D', 'Em', 'C'], 4).concat(['G']) }).global)).toBe('G major');
  });

  it('reports low confidence for silence and for pitchless noise', () => {
    const silent = synthFeatures([{ symbol: 'N', start: 0, end: 20 }], 20);
    const r = estimateKey(silent, synthRhythm(20, TEMPO, 4));
    expect(r.confidence).toBe(0);
    expect(r.segments).toHaveLength(1);
    expect(r.segments[0]!.confidence).toBe(0);
    // Flat noise chroma: every frame random, no tonal centre.
    const noise = synthFeatures([{ symbol: 'N', start: 0, end: 20 }], 20);
    let seed = 7;
    for (let i = 0; i < noise.frameCount; i++) {
      let sum = 0;
      for (let p = 0; p < 12; p++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        const v = 0.5 + seed / 2147483648;
        noise.chromaTreble[i * 12 + p] = v;
        noise.chromaBass[i * 12 + p] = v;
        sum += v;
      }
      for (let p = 0; p < 12; p++) {
        noise.chromaTreble[i * 12 + p]! /= sum;
        noise.chromaBass[i * 12 + p]! /= sum;
      }
      noise.rms[i] = 0.1;
    }
    expect(estimateKey(noise, synthRhythm(20, TEMPO, 4)).confidence).toBeLessThan(0.3);
  });

  it('works without a beat grid (fixed blocks) and is a pipeline analyser', () => {
    const { features, rhythm } = synthProgression({ tempo: TEMPO, beatsPerBar: 4, bars: repeat(['G', 'C', 'D', 'G'], 4) });
    expect(keyName(estimateKey(features, { ...rhythm, beats: [], downbeats: [] }).global)).toBe('G major');
    expect(keyAnalyser.name).toBe('key');
    expect(keyAnalyser.version).toBe(3);
    expect([...keyAnalyser.dependsOn]).toEqual(['frontend', 'rhythm']);
    const r = createKeyAnalyser().finish({ frontend: features, rhythm });
    expect(keyName(r.global)).toBe('G major');
    const detail = analyseKey(features, rhythm);
    expect(detail.barKeys).toHaveLength(16);
  });
});
