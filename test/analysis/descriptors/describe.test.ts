import { describe, expect, it } from 'vitest';
import { TAG_VOCABULARY, describeTrack, tempoClass } from '../../../app/analysis/descriptors/index.ts';
import type { DescriptorInput } from '../../../app/analysis/descriptors/index.ts';
import type { FormResult, HarmonicDevice, LoudnessResult, Section, SoundResult } from '../../../app/analysis/types.ts';

function soundOf(o: Partial<SoundResult> = {}): SoundResult {
  return {
    spectralCentroidHz: { mean: 1500, std: 300 },
    spectralRolloffHz: { mean: 3000, std: 500 },
    spectralFlatness: { mean: 0.05, std: 0.02 },
    spectralContrast: [20, 20, 20, 20, 20, 20, 20],
    mfcc: { mean: new Array(13).fill(0), std: new Array(13).fill(1) },
    dynamicRangeDb: 12,
    energy: { hop: 0.5, values: [0.5, 1] },
    onsetDensity: 3,
    harmonicRatio: 0.6,
    vocals: { presence: 0.5, confidence: 0.3, curve: { hop: 1, values: [] }, segments: [{ start: 10, end: 20, confidence: 0.3 }] },
    ...o,
  };
}

function loudnessOf(lufs: number, lra: number): LoudnessResult {
  return {
    integratedLufs: lufs, loudnessRangeLu: lra, shortTermMaxLufs: lufs + 3, momentaryMaxLufs: lufs + 5, shortTerm: { hop: 1, values: [] },
    truePeakDbtp: -1, samplePeakDbfs: -1, plrDb: -1 - lufs, replayGainDb: -18 - lufs, replayGainPeak: 0.9, stereoWidth: 0.3, channels: 2, sampleRate: 44100,
  };
}

function device(kind: HarmonicDevice['kind'], start: number, end: number, confidence = 0.8): HarmonicDevice {
  return { kind, label: kind, start, end, chordIndices: [0], confidence };
}

function input(o: { bpm?: number; meter?: '4/4' | '3/4' | '6/8'; mode?: 'major' | 'minor'; keyConf?: number; devices?: HarmonicDevice[]; sound?: Partial<SoundResult>; loudness?: LoudnessResult | null; form?: FormResult | null; segments?: number; drift?: boolean } = {}): DescriptorInput {
  const bpm = o.bpm ?? 120;
  const k = { tonic: 0, mode: o.mode ?? 'major' } as const;
  const segs = Array.from({ length: o.segments ?? 1 }, (_, i) => ({ start: i * 60, end: (i + 1) * 60, key: { tonic: (i * 2) % 12, mode: k.mode }, confidence: 0.7 }));
  return {
    rhythm: { bpm, confidence: 0.8, tempoCurve: o.drift ? [{ time: 0, bpm }, { time: 10, bpm: bpm + 3 }] : [], beats: [], downbeats: [], meter: o.meter ?? '4/4', beatsPerBar: o.meter === '3/4' ? 3 : 4, meterConfidence: 0.7 },
    key: { global: k, confidence: o.keyConf ?? 0.8, segments: segs },
    theory: { romans: [], devices: o.devices ?? [] },
    sound: soundOf(o.sound),
    loudness: o.loudness === undefined ? loudnessOf(-12, 6) : o.loudness,
    form: o.form,
  };
}

const tagsOf = (i: DescriptorInput) => describeTrack(i).tags.map((t) => t.tag);
const tag = (i: DescriptorInput, name: string) => describeTrack(i).tags.find((t) => t.tag === name);

function section(label: Section['label'], start: number, end: number): Section {
  return { start, end, label, group: 'A', confidence: 0.8, energy: 0.5, progression: '' };
}

describe('describeTrack: descriptors', () => {
  it('every value and confidence is within 0..1 and every tag is from the vocabulary', () => {
    for (const i of [input(), input({ bpm: 0, loudness: null }), input({ mode: 'minor', bpm: 200, sound: { harmonicRatio: 0, onsetDensity: 50 } })]) {
      const d = describeTrack(i);
      for (const x of [d.energy, d.danceability, d.acousticness, d.valence, d.arousal]) {
        expect(x.value).toBeGreaterThanOrEqual(0);
        expect(x.value).toBeLessThanOrEqual(1);
        expect(x.confidence).toBeGreaterThanOrEqual(0);
        expect(x.confidence).toBeLessThanOrEqual(1);
      }
      for (const t of d.tags) expect(TAG_VOCABULARY).toContain(t.tag);
    }
  });

  it('energy and arousal follow loudness, tempo, onset rate and brightness', () => {
    const quiet = describeTrack(input({ bpm: 70, loudness: loudnessOf(-24, 12), sound: { onsetDensity: 1, spectralCentroidHz: { mean: 700, std: 1 }, harmonicRatio: 0.9 } }));
    const loud = describeTrack(input({ bpm: 160, loudness: loudnessOf(-7, 4), sound: { onsetDensity: 6, spectralCentroidHz: { mean: 2800, std: 1 }, harmonicRatio: 0.4 } }));
    expect(loud.energy.value).toBeGreaterThan(quiet.energy.value + 0.4);
    expect(loud.arousal.value).toBeGreaterThan(quiet.arousal.value + 0.4);
    expect(loud.energy.value).toBeCloseTo(0.35 * (23 / 24) + 0.25 * 1 + 0.2 * (2300 / 2500) + 0.2 * 0.6, 2);
  });

  it('valence: the same track in major reads happier than in minor; no key confidence, no difference', () => {
    expect(describeTrack(input({ mode: 'major' })).valence.value).toBeGreaterThan(describeTrack(input({ mode: 'minor' })).valence.value + 0.3);
    expect(describeTrack(input({ mode: 'major', keyConf: 0 })).valence.value).toBeCloseTo(describeTrack(input({ mode: 'minor', keyConf: 0 })).valence.value, 6);
  });

  it('danceability peaks near 120 BPM with a clear pulse; acousticness follows dynamics, quiet masters and drift', () => {
    expect(describeTrack(input({ bpm: 120 })).danceability.value).toBeGreaterThan(describeTrack(input({ bpm: 60 })).danceability.value + 0.15);
    const acoustic = describeTrack(input({ loudness: loudnessOf(-20, 14), drift: true, sound: { harmonicRatio: 0.85 } }));
    const electronic = describeTrack(input({ loudness: loudnessOf(-6, 3), drift: false, sound: { harmonicRatio: 0.4 } }));
    expect(acoustic.acousticness.value).toBeGreaterThan(0.6);
    expect(electronic.acousticness.value).toBeLessThan(0.3);
    expect(tagsOf(input({ loudness: loudnessOf(-20, 14), drift: true, sound: { harmonicRatio: 0.85 } }))).toContain('acoustic');
  });

  it('a missing loudness result lowers the confidence instead of guessing', () => {
    const withL = describeTrack(input());
    const without = describeTrack(input({ loudness: null }));
    expect(without.energy.confidence).toBeLessThan(withL.energy.confidence);
    expect(without.arousal.confidence).toBeLessThan(withL.arousal.confidence);
  });

  it('tempo classes at their boundaries', () => {
    expect([0, 69.9, 70, 94.9, 95, 119.9, 120, 149.9, 150].map(tempoClass)).toEqual(['very slow', 'very slow', 'slow', 'slow', 'moderate', 'moderate', 'fast', 'fast', 'very fast']);
  });
});

describe('describeTrack: tags and near-misses', () => {
  it('key mode tags carry the key confidence', () => {
    expect(tag(input({ mode: 'minor', keyConf: 0.65 }), 'minor key')?.confidence).toBeCloseTo(0.65, 6);
    expect(tagsOf(input({ mode: 'minor' }))).not.toContain('major key');
  });

  it('harmonic devices become tags with their moments as evidence', () => {
    const i = input({ devices: [device('modal-interchange', 12, 14, 0.7), device('modal-interchange', 40, 42, 0.9), device('secondary-dominant', 30, 31, 0.6)] });
    const mi = tag(i, 'modal interchange')!;
    expect(mi.confidence).toBeCloseTo(0.9, 6);
    expect(mi.evidence).toEqual([{ start: 12, end: 14 }, { start: 40, end: 42 }]);
    expect(tag(i, 'secondary dominants')?.evidence).toEqual([{ start: 30, end: 31 }]);
    expect(tagsOf(input())).not.toContain('modal interchange');
  });

  it('key change from local key segments, evidence at the boundary; one segment is no key change', () => {
    const kc = tag(input({ segments: 2 }), 'key change')!;
    expect(kc.evidence).toEqual([{ start: 60, end: 60 }]);
    expect(tagsOf(input({ segments: 1 }))).not.toContain('key change');
  });

  it('waltz needs 3/4; 6/8 is compound meter, not a waltz', () => {
    expect(tagsOf(input({ meter: '3/4', bpm: 150 }))).toContain('waltz');
    expect(tagsOf(input({ meter: '6/8' }))).toEqual(expect.arrayContaining(['compound meter']));
    expect(tagsOf(input({ meter: '6/8' }))).not.toContain('waltz');
    expect(tag(input({ meter: '3/4', bpm: 60 }), 'waltz')!.confidence).toBeLessThan(tag(input({ meter: '3/4', bpm: 150 }), 'waltz')!.confidence);
  });

  it('slow and fast around their thresholds (90 and 130 BPM)', () => {
    expect(tagsOf(input({ bpm: 80 }))).toContain('slow');
    expect(tagsOf(input({ bpm: 92 }))).not.toContain('slow');
    expect(tagsOf(input({ bpm: 140 }))).toContain('fast');
    expect(tagsOf(input({ bpm: 128 }))).not.toContain('fast');
    expect(tag(input({ bpm: 131 }), 'fast')!.confidence).toBeLessThan(tag(input({ bpm: 150 }), 'fast')!.confidence);
  });

  it('loud master above −9 LUFS; −9.5 LUFS is a near miss; no loudness, no tag', () => {
    expect(tagsOf(input({ loudness: loudnessOf(-7, 4) }))).toContain('loud master');
    expect(tagsOf(input({ loudness: loudnessOf(-9.5, 4) }))).not.toContain('loud master');
    expect(tagsOf(input({ loudness: null }))).not.toContain('loud master');
  });

  it('dynamic from the loudness range (10 LU), else from the frame-RMS range', () => {
    expect(tagsOf(input({ loudness: loudnessOf(-16, 14) }))).toContain('dynamic');
    expect(tagsOf(input({ loudness: loudnessOf(-16, 9) }))).not.toContain('dynamic');
    expect(tagsOf(input({ loudness: null, sound: { dynamicRangeDb: 25 } }))).toContain('dynamic');
    expect(tagsOf(input({ loudness: null, sound: { dynamicRangeDb: 12 } }))).not.toContain('dynamic');
  });

  it('vocals: has vocals with the segments as evidence, instrumental when absent, neither when in between', () => {
    const sung = tag(input(), 'has vocals')!;
    expect(sung.evidence).toEqual([{ start: 10, end: 20 }]);
    expect(sung.confidence).toBeLessThanOrEqual(0.3);
    const none = input({ sound: { vocals: { presence: 0, confidence: 0.35, curve: { hop: 1, values: [] }, segments: [] } } });
    expect(tagsOf(none)).toContain('instrumental');
    expect(tagsOf(none)).not.toContain('has vocals');
    const between = input({ sound: { vocals: { presence: 0.2, confidence: 0.3, curve: { hop: 1, values: [] }, segments: [] } } });
    expect(tagsOf(between)).not.toContain('instrumental');
    expect(tagsOf(between)).not.toContain('has vocals');
  });

  it('form tags: a bridge with its time; no chorus only when there is a form to judge', () => {
    const withBridge: FormResult = { sections: [section('verse', 0, 20), section('chorus', 20, 40), section('bridge', 40, 55)], summary: 'verse–chorus–bridge', confidence: 0.7 };
    expect(tag(input({ form: withBridge }), 'has a bridge')!.evidence).toEqual([{ start: 40, end: 55 }]);
    expect(tagsOf(input({ form: withBridge }))).not.toContain('no chorus');
    const verses: FormResult = { sections: [section('verse', 0, 20), section('verse', 20, 40)], summary: 'verse–verse', confidence: 0.6 };
    expect(tag(input({ form: verses }), 'no chorus')!.confidence).toBeCloseTo(0.6, 6);
    expect(tagsOf(input({ form: null }))).not.toContain('no chorus');
  });

  it('bright/dark and percussive near their thresholds', () => {
    expect(tagsOf(input({ sound: { spectralCentroidHz: { mean: 3000, std: 0 } } }))).toContain('bright');
    expect(tagsOf(input({ sound: { spectralCentroidHz: { mean: 2400, std: 0 } } }))).not.toContain('bright');
    expect(tagsOf(input({ sound: { spectralCentroidHz: { mean: 700, std: 0 } } }))).toContain('dark');
    expect(tagsOf(input({ sound: { harmonicRatio: 0.4 } }))).toContain('percussive');
    expect(tagsOf(input({ sound: { harmonicRatio: 0.52 } }))).not.toContain('percussive');
  });
});
