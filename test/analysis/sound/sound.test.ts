import { describe, expect, it } from 'vitest';
import { analyseRhythm } from '../../../app/analysis/rhythm/rhythm.ts';
import { MAX_VOCAL_CONFIDENCE, MFCC_COUNT, SOUND_VERSION, analyseSound, createSoundAnalyser } from '../../../app/analysis/sound/index.ts';
import { dctBasis } from '../../../app/analysis/sound/mfcc.ts';
import { DEMO_SONGS } from '../../../app/demo/songs.ts';
import { SR, frontEnd, renderMono } from '../frontend/helpers.ts';
import { clicksAt, signal, sine } from '../frontend/signals.ts';
import { singer } from './voice.ts';

async function sound(x: Float32Array) {
  const fe = await frontEnd(x);
  return analyseSound(fe, analyseRhythm(fe));
}

function finiteEverywhere(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  if (v === null) return true;
  if (Array.isArray(v)) return v.every(finiteEverywhere);
  if (typeof v === 'object') return Object.values(v as object).every(finiteEverywhere);
  return true;
}

describe('sound analyser', () => {
  it('is the documented analyser: name sound, version 1, after frontend and rhythm', () => {
    const a = createSoundAnalyser();
    expect([a.name, a.version, SOUND_VERSION]).toEqual(['sound', 1, 1]);
    expect(a.dependsOn).toEqual(['frontend', 'rhythm']);
  });

  it('MFCC basis is orthonormal (DCT-II, norm=ortho)', () => {
    const b = dctBasis(13, 40);
    for (let i = 0; i < 13; i++) {
      for (let j = 0; j < 13; j++) {
        let s = 0;
        for (let k = 0; k < 40; k++) s += b[i * 40 + k]! * b[j * 40 + k]!;
        expect(s).toBeCloseTo(i === j ? 1 : 0, 9);
      }
    }
  });

  it('clicks are percussive, a sustained chord is harmonic (median-filter HPSS on the mel spectrogram)', async () => {
    const times = Array.from({ length: 24 }, (_, i) => 0.25 + i * 0.25);
    const clicks = await sound(clicksAt(times, 6.5));
    const chord = signal(6.5, (i) => 0.2 * (Math.sin((2 * Math.PI * 261.6 * i) / SR) + Math.sin((2 * Math.PI * 329.6 * i) / SR) + Math.sin((2 * Math.PI * 392 * i) / SR)));
    const sustained = await sound(chord);
    expect(clicks.harmonicRatio).toBeLessThan(0.3);
    expect(sustained.harmonicRatio).toBeGreaterThan(0.9);
  });

  it('onset density counts the onsets per audible second; a steady sine has none', async () => {
    const times = Array.from({ length: 24 }, (_, i) => 0.25 + i * 0.25);
    const s = await sound(clicksAt(times, 6.25));
    expect(s.onsetDensity).toBeGreaterThan(3.5);
    expect(s.onsetDensity).toBeLessThan(4.5);
    const steady = await sound(sine(4, 440, 0.3));
    expect(steady.onsetDensity).toBeLessThan(0.6);
  });

  it('dynamic range: a steady tone ≈ 0 dB, a tone alternating 20 dB up and down ≈ 20 dB; energy curve peaks at 1', async () => {
    const steady = await sound(sine(4, 440, 0.3));
    expect(steady.dynamicRangeDb).toBeLessThan(1);
    const alternating = signal(8, (i) => (Math.floor(i / SR) % 2 === 0 ? 0.3 : 0.03) * Math.sin((2 * Math.PI * 440 * i) / SR));
    const s = await sound(alternating);
    expect(s.dynamicRangeDb).toBeGreaterThan(18);
    expect(s.dynamicRangeDb).toBeLessThan(21);
    expect(Math.max(...(s.energy.values as number[]))).toBe(1);
    expect(s.energy.hop).toBeCloseTo(0.5, 1);
    expect(s.energy.values.length).toBe(Math.ceil(8 / s.energy.hop));
  });

  it('a 6 dB quieter copy changes MFCC 0 and nothing else that describes the timbre', async () => {
    const x = renderMono(DEMO_SONGS[2]!).subarray(0, 10 * SR);
    const a = await sound(x);
    const b = await sound(x.map((v) => v * 0.5));
    expect(a.mfcc.mean).toHaveLength(MFCC_COUNT);
    // √40 × 6 dB: every band moves by 6 dB, the floor (loudest − 80 dB) too.
    expect(a.mfcc.mean[0]! - b.mfcc.mean[0]!).toBeCloseTo(Math.sqrt(40) * 20 * Math.log10(2), 0);
    for (let c = 1; c < MFCC_COUNT; c++) expect(Math.abs(a.mfcc.mean[c]! - b.mfcc.mean[c]!)).toBeLessThan(0.3);
    expect(Math.abs(a.spectralCentroidHz.mean - b.spectralCentroidHz.mean)).toBeLessThan(10);
    expect(Math.abs(a.harmonicRatio - b.harmonicRatio)).toBeLessThan(0.01);
  });

  it('vocals: the instrumental demo songs are not called vocal; the same songs with a synthetic singer are, with capped confidence', async () => {
    for (const spec of [DEMO_SONGS[0]!, DEMO_SONGS[3]!]) {
      const x = renderMono(spec).subarray(0, 16 * SR);
      const instrumental = await sound(x);
      expect(instrumental.vocals.presence).toBeLessThan(0.2);
      expect(instrumental.vocals.segments).toEqual([]);
      const v = singer(16, SR, 0.25);
      const sung = await sound(x.map((s, i) => s + v[i]!));
      expect(sung.vocals.presence).toBeGreaterThan(0.5);
      expect(sung.vocals.segments.length).toBeGreaterThan(0);
      for (const r of [instrumental, sung]) {
        expect(r.vocals.confidence).toBeLessThanOrEqual(MAX_VOCAL_CONFIDENCE);
        for (const seg of r.vocals.segments) expect(seg.confidence).toBeLessThanOrEqual(MAX_VOCAL_CONFIDENCE);
      }
    }
  });

  it('silence and a one-frame file give finite, empty results', async () => {
    for (const x of [signal(2, () => 0), new Float32Array(10)]) {
      const s = await sound(x);
      expect(finiteEverywhere(s)).toBe(true);
      expect(s.vocals.presence).toBe(0);
      expect(s.onsetDensity).toBe(0);
      expect(s.harmonicRatio).toBe(0);
    }
  });
});
