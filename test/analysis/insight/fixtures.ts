// Engine-II results for tests: hand-made loudness, sound, form and descriptor values (fixtures, not
// measurements), and a whole TrackAnalysis built from engine-I results with the descriptors and
// insight computed from them the way analyzeFile does.
import { describeTrack } from '../../../app/analysis/descriptors/index.ts';
import { writeInsight } from '../../../app/analysis/insight/index.ts';
import type { DescriptorResult, FormResult, HarmonyAnalysis, LoudnessResult, SoundResult, TrackAnalysis } from '../../../app/analysis/types.ts';

/** Loudness of a fairly loud master (−11.3 LUFS, −0.4 dBTP) with a gently swaying short-term curve. */
export function loudness(duration: number): LoudnessResult {
  const hop = 1;
  const values = Array.from({ length: Math.floor(duration) }, (_, i) => -14 + 4 * Math.sin(i / 5));
  return {
    integratedLufs: -11.3,
    loudnessRangeLu: 6.2,
    shortTermMaxLufs: -8,
    momentaryMaxLufs: -6.5,
    shortTerm: { hop, values },
    truePeakDbtp: -0.4,
    samplePeakDbfs: -0.6,
    plrDb: 10.9,
    replayGainDb: -6.7,
    replayGainPeak: 0.95,
    stereoWidth: 0.3,
    channels: 2,
    sampleRate: 44100,
  };
}

/** intro–verse–chorus–verse–chorus in five equal sections, each with `confidence`. */
export function form(duration: number, confidence = 0.8): FormResult {
  const b = duration / 5;
  const labels = ['intro', 'verse', 'chorus', 'verse', 'chorus'] as const;
  const groups = ['A', 'B', 'C', 'B', 'C'];
  return {
    sections: labels.map((label, i) => ({ start: i * b, end: (i + 1) * b, label, group: groups[i]!, confidence, energy: label === 'chorus' ? 0.9 : 0.5, progression: label === 'chorus' ? 'I–V–vi–IV' : 'vi–IV' })),
    summary: 'intro–verse–chorus–verse–chorus',
    confidence,
  };
}

/** Descriptors (bright, energetic, danceable, electronic by default), each with `confidence`. */
export function descriptors(over: Partial<Record<'energy' | 'valence' | 'arousal' | 'danceability' | 'acousticness', number>> = {}, confidence = 0.8): DescriptorResult {
  const d = (v: number) => ({ value: v, confidence });
  return {
    energy: d(over.energy ?? 0.8),
    danceability: d(over.danceability ?? 0.7),
    acousticness: d(over.acousticness ?? 0.2),
    valence: d(over.valence ?? 0.7),
    arousal: d(over.arousal ?? 0.75),
    tempoClass: 'fast',
    tags: [{ tag: 'major key', confidence: 0.9 }],
  };
}

/** Sound with one energy peak at 70 % of the track and the given vocal presence. */
export function sound(duration: number, vocals: { presence: number; confidence: number }): SoundResult {
  const hop = 0.5;
  const n = Math.floor(duration / hop);
  const energy = Array.from({ length: n }, (_, i) => (i === Math.floor(n * 0.7) ? 1 : 0.4));
  return {
    spectralCentroidHz: { mean: 2000, std: 300 },
    spectralRolloffHz: { mean: 4000, std: 500 },
    spectralFlatness: { mean: 0.1, std: 0.05 },
    spectralContrast: [20, 18, 16, 14, 12, 10, 8],
    mfcc: { mean: new Array(13).fill(0), std: new Array(13).fill(1) },
    dynamicRangeDb: 12,
    energy: { hop, values: energy },
    onsetDensity: 3,
    harmonicRatio: 0.7,
    vocals: { ...vocals, curve: { hop, values: new Array(n).fill(vocals.presence) }, segments: vocals.presence > 0.3 ? [{ start: 4, end: duration - 2, confidence: vocals.confidence }] : [] },
  };
}

/**
 * A whole TrackAnalysis from engine-I results: the fixtures above for loudness, sound and form, then the
 * descriptors and the insight computed from everything, as analyzeFile does.
 */
export function fullAnalysis(base: HarmonyAnalysis, opts: { vocals?: { presence: number; confidence: number } } = {}): TrackAnalysis {
  const measured = {
    ...base,
    loudness: loudness(base.durationSec),
    sound: sound(base.durationSec, opts.vocals ?? { presence: 0.05, confidence: 0.35 }),
    form: form(base.durationSec),
  };
  const withDescriptors = { ...measured, descriptors: describeTrack(measured) };
  return { ...withDescriptors, insight: writeInsight(withDescriptors) };
}
