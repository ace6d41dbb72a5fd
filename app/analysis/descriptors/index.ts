// Descriptors people search with (issue 4, item 4): energy, danceability, acousticness, valence, arousal,
// tempo class and tags, each computed from measured results by a documented formula, with a confidence.
//
// Scaled inputs (each 0..1; a missing input drops out of a weighted mean and lowers the confidence):
//   L  loudness     ramp(integrated LUFS, −30 → 0, −6 → 1)                       (loudness result)
//   T  tempo        ramp(BPM, 60 → 0, 180 → 1)
//   O  onset rate   ramp(onsets per second, 0 → 0, 6 → 1)
//   B  brightness   ramp(spectral centroid, 500 Hz → 0, 3000 Hz → 1)
//   P  percussive   1 − harmonic ratio (HPSS)
//   Dy dynamics     ramp(loudness range, 3 → 0, 15 LU → 1), else ramp(frame-RMS range, 6 → 0, 24 dB → 1)
//   Mo mode         0.5 ± 0.5 × key confidence (+ for major, − for minor)
//   Pu pulse        rhythm confidence;  Tf tempo fit  exp(−log2(BPM/120)² / (2·0.3²))
//   Dr drift        1 when the tempo curve is present (a drifting, played tempo), else 0
//
// | descriptor   | formula                                        | confidence                        | after |
// |--------------|------------------------------------------------|-----------------------------------|-------|
// | energy       | 0.35 L + 0.25 O + 0.20 B + 0.20 P              | 0.6 × coverage                    | Spotify/Echo Nest "energy" (loudness, onset rate, timbre); Gabrielsson & Lindström 2010 |
// | danceability | 0.35 Pu + 0.30 Tf + 0.20 P + 0.15 O            | 0.5 × coverage × (0.5 + 0.5 Pu)   | Streich & Herrera 2005 (beat strength and regularity); tempo preference near 120 BPM (Moelants 2002) |
// | acousticness | 0.35 Dy + 0.25 (1 − L) + 0.20 Dr + 0.20 (1 − P)| 0.35 × coverage                   | mastering loudness and compression of electronic production; played tempo drift |
// | valence      | 0.50 Mo + 0.25 T + 0.15 B + 0.10 (1 − P)       | 0.4 × coverage × (0.5 + 0.5 key c)| Russell 1980 circumplex; mode and tempo cues, Gabrielsson & Lindström 2010; Eerola & Vuoskoski 2011 |
// | arousal      | 0.30 L + 0.30 T + 0.20 O + 0.20 B              | 0.55 × coverage                   | Russell 1980; loudness, tempo and brightness cues of arousal, Gabrielsson & Lindström 2010 |
//
// None of the weights is fitted to listener ratings: they encode the direction and rough size of the
// published correlations, hence the moderate confidences.
import type { DescriptorResult, FormResult, HarmonicDevice, KeyResult, LoudnessResult, RhythmResult, SoundResult, Tag, TempoClass, TheoryResult } from '../types.ts';
import { above, danceTempo, ramp, unit, weighted } from './formulas.ts';

export interface DescriptorInput {
  rhythm: RhythmResult;
  key: KeyResult;
  theory: TheoryResult;
  sound: SoundResult;
  loudness?: LoudnessResult | null;
  form?: FormResult | null;
}

/**
 * The full tag vocabulary. Every tag is given only when its membership (a logistic or a device's own
 * confidence) is at least 0.5; its confidence is that membership × the confidence of what it rests on.
 */
export const TAG_VOCABULARY = [
  'major key', // key mode major; confidence = key confidence
  'minor key', // key mode minor
  'key change', // more than one local key segment, or a modulation device; evidence at each change
  'modal interchange', // theory device 'modal-interchange'; evidence = the borrowed chords
  'secondary dominants', // theory device 'secondary-dominant'
  'tritone substitution', // theory device 'tritone-substitution'
  'chromatic mediants', // theory device 'chromatic-mediant'
  'pedal point', // theory device 'pedal-point'
  'picardy third', // theory device 'picardy-third'
  'waltz', // 3/4 meter; confidence = meter confidence, halved outside 84–200 BPM
  'compound meter', // 6/8 or 12/8
  'slow', // BPM below 90 (logistic, scale 4 BPM) × tempo confidence
  'fast', // BPM above 130 (logistic, scale 5 BPM) × tempo confidence
  'loud master', // integrated loudness above −9 LUFS (logistic, scale 1 LU)
  'dynamic', // loudness range above 10 LU (scale 1.5 LU), or frame-RMS range above 18 dB (scale 2 dB) without a loudness result
  'acoustic', // acousticness ≥ 0.6
  'electronic', // acousticness ≤ 0.4
  'danceable', // danceability ≥ 0.6
  'high energy', // energy ≥ 0.7
  'calm', // energy ≤ 0.3
  'percussive', // harmonic ratio below 0.5 (scale 0.05)
  'bright', // spectral centroid above 2500 Hz (scale 250 Hz)
  'dark', // spectral centroid below 900 Hz (scale 100 Hz)
  'instrumental', // vocal presence below 0.1; confidence = the vocal estimate's confidence
  'has vocals', // vocal presence above 0.3; evidence = the vocal segments
  'has a bridge', // a form section labelled bridge; evidence = the bridge
  'no chorus', // a form result without any chorus; confidence = form confidence
] as const;

export type TagName = (typeof TAG_VOCABULARY)[number];

/** Tempo class by BPM: < 70 very slow, < 95 slow, < 120 moderate, < 150 fast, else very fast (no pulse: very slow). */
export function tempoClass(bpm: number): TempoClass {
  if (!(bpm >= 70)) return 'very slow';
  if (bpm < 95) return 'slow';
  if (bpm < 120) return 'moderate';
  if (bpm < 150) return 'fast';
  return 'very fast';
}

function r3(x: number): number {
  return Math.round(unit(x) * 1000) / 1000;
}

/** Descriptors and tags of one track from its measured results (a pure function; see the file comment). */
export function describeTrack(input: DescriptorInput): DescriptorResult {
  const { rhythm, key, sound } = input;
  const lufs = input.loudness?.integratedLufs ?? null;
  const lra = input.loudness?.loudnessRangeLu ?? null;
  const bpm = rhythm.bpm > 0 && Number.isFinite(rhythm.bpm) ? rhythm.bpm : 0;
  const L = lufs === null ? null : ramp(lufs, -30, -6);
  const T = bpm > 0 ? ramp(bpm, 60, 180) : null;
  const O = ramp(sound.onsetDensity, 0, 6);
  const B = ramp(sound.spectralCentroidHz.mean, 500, 3000);
  const P = unit(1 - sound.harmonicRatio);
  const Dy = lra !== null ? ramp(lra, 3, 15) : ramp(sound.dynamicRangeDb, 6, 24);
  const Mo = 0.5 + (key.global.mode === 'major' ? 0.5 : -0.5) * unit(key.confidence);
  const Pu = bpm > 0 ? unit(rhythm.confidence) : 0;
  const Dr = bpm > 0 ? (rhythm.tempoCurve.length > 0 ? 1 : 0) : null;

  const energy = weighted([[L, 0.35], [O, 0.25], [B, 0.2], [P, 0.2]]);
  const dance = weighted([[Pu, 0.35], [danceTempo(bpm), 0.3], [P, 0.2], [O, 0.15]]);
  const acoustic = weighted([[Dy, 0.35], [L === null ? null : 1 - L, 0.25], [Dr, 0.2], [1 - P, 0.2]]);
  const valence = weighted([[Mo, 0.5], [T, 0.25], [B, 0.15], [1 - P, 0.1]]);
  const arousal = weighted([[L, 0.3], [T, 0.3], [O, 0.2], [B, 0.2]]);
  const result: DescriptorResult = {
    energy: { value: r3(energy.value), confidence: r3(0.6 * energy.coverage) },
    danceability: { value: r3(dance.value), confidence: r3(0.5 * dance.coverage * (0.5 + 0.5 * Pu)) },
    acousticness: { value: r3(acoustic.value), confidence: r3(0.35 * acoustic.coverage) },
    valence: { value: r3(valence.value), confidence: r3(0.4 * valence.coverage * (0.5 + 0.5 * unit(key.confidence))) },
    arousal: { value: r3(arousal.value), confidence: r3(0.55 * arousal.coverage) },
    tempoClass: tempoClass(bpm),
    tags: [],
  };
  result.tags = describeTags(input, result, { bpm, lufs, lra });
  return result;
}

interface Measured {
  bpm: number;
  lufs: number | null;
  lra: number | null;
}

function describeTags(input: DescriptorInput, d: DescriptorResult, m: Measured): Tag[] {
  const { rhythm, key, theory, sound, form } = input;
  const tags: Tag[] = [];
  /** Adds a tag when its membership reaches 0.5; confidence = membership × the evidence's own confidence. */
  const add = (tag: TagName, membership: number, confidence: number, evidence?: { start: number; end: number }[]) => {
    if (!(membership >= 0.5)) return;
    const c = r3(membership * unit(confidence));
    if (c <= 0) return;
    tags.push(evidence && evidence.length > 0 ? { tag, confidence: c, evidence } : { tag, confidence: c });
  };
  const devices = (kind: HarmonicDevice['kind']) => theory.devices.filter((x) => x.kind === kind);
  const deviceTag = (tag: TagName, kind: HarmonicDevice['kind']) => {
    const found = devices(kind);
    if (found.length === 0) return;
    const best = Math.max(...found.map((x) => unit(x.confidence)));
    add(tag, 1, best, found.map((x) => ({ start: x.start, end: x.end })));
  };

  if (key.confidence > 0) add(key.global.mode === 'major' ? 'major key' : 'minor key', 1, key.confidence);
  // Key change: the local-key segments' boundaries, or modulation devices.
  const changes = key.segments.slice(1).map((s, i) => ({ at: s.start, confidence: Math.min(s.confidence, key.segments[i]!.confidence) }));
  const modulations = devices('modulation');
  if (changes.length > 0 || modulations.length > 0) {
    const evidence = [...modulations.map((x) => ({ start: x.start, end: x.end })), ...changes.map((c) => ({ start: c.at, end: c.at }))].sort((a, b) => a.start - b.start);
    const confidence = Math.max(0, ...changes.map((c) => c.confidence), ...modulations.map((x) => x.confidence));
    add('key change', 1, confidence, evidence);
  }
  deviceTag('modal interchange', 'modal-interchange');
  deviceTag('secondary dominants', 'secondary-dominant');
  deviceTag('tritone substitution', 'tritone-substitution');
  deviceTag('chromatic mediants', 'chromatic-mediant');
  deviceTag('pedal point', 'pedal-point');
  deviceTag('picardy third', 'picardy-third');

  if (rhythm.meter === '3/4') add('waltz', 1, rhythm.meterConfidence * (m.bpm >= 84 && m.bpm <= 200 ? 1 : 0.5));
  if (rhythm.meter === '6/8' || rhythm.meter === '12/8') add('compound meter', 1, rhythm.meterConfidence);
  if (m.bpm > 0) {
    add('slow', above(-m.bpm, -90, 4), rhythm.confidence);
    add('fast', above(m.bpm, 130, 5), rhythm.confidence);
  }
  if (m.lufs !== null) add('loud master', above(m.lufs, -9, 1), 0.9);
  if (m.lra !== null) add('dynamic', above(m.lra, 10, 1.5), 0.8);
  else if (sound.dynamicRangeDb > 0) add('dynamic', above(sound.dynamicRangeDb, 18, 2), 0.5);
  const ac = d.acousticness;
  add('acoustic', above(ac.value, 0.6, 0.05), ac.confidence);
  add('electronic', above(-ac.value, -0.4, 0.05), ac.confidence);
  add('danceable', above(d.danceability.value, 0.6, 0.05), d.danceability.confidence);
  add('high energy', above(d.energy.value, 0.7, 0.05), d.energy.confidence);
  add('calm', above(-d.energy.value, -0.3, 0.05), d.energy.confidence);
  if (sound.harmonicRatio > 0) add('percussive', above(-sound.harmonicRatio, -0.5, 0.05), 0.6);
  if (sound.spectralCentroidHz.mean > 0) {
    add('bright', above(sound.spectralCentroidHz.mean, 2500, 250), 0.6);
    add('dark', above(-sound.spectralCentroidHz.mean, -900, 100), 0.6);
  }
  const v = sound.vocals;
  add('instrumental', above(-v.presence, -0.1, 0.03), v.confidence);
  add('has vocals', above(v.presence, 0.3, 0.05), v.confidence, v.segments.map((s) => ({ start: s.start, end: s.end })));
  if (form && form.sections.length > 0) {
    const bridges = form.sections.filter((s) => s.label === 'bridge');
    if (bridges.length > 0) add('has a bridge', 1, form.confidence * Math.max(...bridges.map((s) => unit(s.confidence))), bridges.map((s) => ({ start: s.start, end: s.end })));
    if (!form.sections.some((s) => s.label === 'chorus')) add('no chorus', 1, form.confidence);
  }
  return tags;
}
