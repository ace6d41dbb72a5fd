import { describe, expect, it } from 'vitest';
import { chordFit, createKeyAnalyser, estimateKey, estimateKeyWithChords, keyName, refineCandidates, refineKey } from '../../../app/analysis/key/index.ts';
import { synthProgression } from '../chords/synthFeatures.ts';
import type { ChordQuality, ChordResult, ChordSegment, Key, KeyResult } from '../../../app/analysis/types.ts';

const ROOTS: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11, Bb: 10, Eb: 3 };

/** 'Am G F E' → two-second chords. */
function chords(spec: string): ChordResult {
  const out: ChordSegment[] = spec.split(/\s+/).map((s, i) => {
    const m = /^([A-G]b?)(m|7)?$/.exec(s)!;
    const root = ROOTS[m[1]!]!;
    const quality: ChordQuality = m[2] === 'm' ? 'min' : m[2] === '7' ? '7' : 'maj';
    return { start: 2 * i, end: 2 * i + 2, root, quality, bass: root, confidence: 0.9, label: `${m[1]}:${quality}` };
  });
  return { chords: out };
}

function keyResult(global: Key, segments: Key[] = [global], confidence = 0.5): KeyResult {
  return { global, confidence, segments: segments.map((key, i) => ({ start: 10 * i, end: 10 * i + 10, key, confidence })) };
}

const C: Key = { tonic: 0, mode: 'major' };
const Am: Key = { tonic: 9, mode: 'minor' };
const G: Key = { tonic: 7, mode: 'major' };

describe('key refinement with chords', () => {
  it('lists the key, its relative and the keys a fifth away with theirs', () => {
    expect(refineCandidates(C).map(keyName)).toEqual(['C major', 'A minor', 'G major', 'E minor', 'F major', 'D minor']);
    expect(refineCandidates(C, false).map(keyName)).toEqual(['C major', 'A minor']);
  });

  it('turns a relative major into the minor when i and V→i dominate', () => {
    const song = chords('Am Am F G E7 Am Am Dm E Am Am F C E Am Am');
    expect(chordFit(Am, song.chords)).toBeGreaterThan(chordFit(C, song.chords));
    expect(keyName(refineKey(keyResult(C), song).global)).toBe('A minor');
  });

  it('keeps a major key whose tonic dominates', () => {
    const song = chords('C C Am F G C C F G C Am Dm G7 C C');
    expect(refineKey(keyResult(C), song)).toEqual(keyResult(C));
    expect(keyName(refineKey(keyResult(Am), song).global)).toBe('C major');
  });

  it('fixes a fifth error when the chords centre on the other key', () => {
    // F major: Bb chords are diatonic, and F and C7 → F dominate; read as C major at first.
    const song = chords('F F Bb C7 F F Dm Bb C7 F F Bb Gm C7 F F');
    expect(keyName(refineKey(keyResult(C), song).global)).toBe('F major');
  });

  it('moves the local segments in the old key and merges equal neighbours', () => {
    const song = chords('Am Am F G E7 Am Am Dm E Am Am F C E Am Am');
    const r = refineKey(keyResult(C, [C, G, C]), song);
    expect(keyName(r.global)).toBe('A minor');
    expect(r.segments.map((s) => keyName(s.key))).toEqual(['A minor', 'G major', 'A minor']);
    const merged = refineKey(keyResult(C, [C, Am, C]), song);
    expect(merged.segments.map((s) => keyName(s.key))).toEqual(['A minor']);
    expect(merged.segments[0]).toMatchObject({ start: 0, end: 30 });
    expect(merged.segments.some((s) => keyName(s.key) === keyName(merged.global))).toBe(true);
  });

  it('leaves silence, no chords and zero confidence alone', () => {
    const k = keyResult(C, [C], 0);
    expect(refineKey(k, chords('Am E7 Am Am'))).toBe(k);
    expect(refineKey(keyResult(C), { chords: [{ start: 0, end: 4, root: null, quality: 'N', bass: null, confidence: 1, label: 'N' }] })).toEqual(keyResult(C));
    expect(chordFit(C, [])).toBe(0);
  });

  it('is part of the key analyser, which estimates chords in its first-pass key', () => {
    // C major by pitch classes alone; the chords centre on A minor (i, V→i) — see key.test.ts for the
    // profile estimate on synthetic audio.
    const { features, rhythm } = synthProgression({ tempo: 120, beatsPerBar: 4, bars: ['Am', 'Am', 'Dm', 'E7', 'Am', 'Am', 'Dm', 'E7', 'Am', 'Am', 'F', 'E7', 'Am', 'Am', 'E7', 'Am'] }, { seed: 1, noise: 0.3 });
    const first = estimateKey(features, rhythm);
    const final = createKeyAnalyser().finish({ frontend: features, rhythm });
    expect(final).toEqual(estimateKeyWithChords(features, rhythm));
    expect(keyName(final.global)).toBe('A minor');
    expect(createKeyAnalyser({}, false).finish({ frontend: features, rhythm })).toEqual(first);
    expect(final.segments.some((s) => keyName(s.key) === keyName(final.global))).toBe(true);
  });
});
