// Shared shapes of the analysis engine. Times are seconds from the start of the audio.
// Pitch classes are 0..11 with 0 = C. Every analyser's result carries its analyser's version.
import type { NotesResult } from './notes/types.ts';

export type PitchClass = number;
export type Mode = 'major' | 'minor';

export interface Key {
  tonic: PitchClass;
  mode: Mode;
}

/** Decoded audio as the analysers see it: mono float PCM at the analysis rate. */
export interface AudioStreamInfo {
  /** Analysis sample rate (Hz), e.g. 22050. */
  sampleRate: number;
  /** The file's own rate and channel count, for reporting. */
  sourceSampleRate: number;
  sourceChannels: number;
  /** Duration in seconds if known before decoding (from the container), else null. */
  durationHint: number | null;
}

/**
 * One analyser (after Mixxx's analyzer.h: initialize / processSamples / storeResults).
 * Streaming analysers get every block of the single decode pass through `process`; all of them get
 * the results of the analysers they depend on in `finish`.
 */
export interface Analyser<Result, Deps extends Record<string, unknown> = Record<string, unknown>> {
  /** Stable name, also the key of its result (e.g. 'frontend', 'rhythm'). */
  readonly name: string;
  /** Bumped whenever its output can change; stored with every result. */
  readonly version: number;
  /** Names of the analysers whose results `finish` needs. */
  readonly dependsOn: readonly string[];
  /** Async set-up (e.g. loading a WASM FFT) awaited once before the decode pass. */
  prepare?(): Promise<void>;
  begin?(info: AudioStreamInfo): void;
  /** Mono samples at the analysis rate, in order; blocks may have any length. */
  process?(samples: Float32Array): void;
  /**
   * The same decode pass before downmix and resampling: the file's own channels (WAV/SMPTE order
   * L R C LFE Ls Rs …) at its own rate, chunk by chunk, in order. For measurements defined on the
   * original signal (loudness, true peak, stereo width). The arrays are only valid during the call.
   */
  processSource?(channels: readonly Float32Array[], length: number, sampleRate: number): void;
  finish(deps: Deps): Result;
}

/** Frame-level features computed in the streaming pass ('frontend'). */
export interface FrontEndFeatures {
  sampleRate: number;
  /** Samples between frames and the resulting frame rate (frames per second). */
  hopSize: number;
  frameRate: number;
  frameCount: number;
  durationSec: number;
  /** Estimated deviation of the tuning from A4 = 440 Hz, in cents (−50..50). */
  tuningCents: number;
  /** Onset strength (spectral flux, half-wave rectified), one value per frame. */
  onset: Float32Array;
  /** RMS energy per frame. */
  rms: Float32Array;
  /** Chroma from roughly 130–2000 Hz, frameCount × 12, row-major, each row summing to 1 (or all 0 in silence). */
  chromaTreble: Float32Array;
  /** Chroma from roughly 40–250 Hz (the bass line), frameCount × 12, same layout. */
  chromaBass: Float32Array;
  // Spectral shape, from the same 512-sample (23 ms at 22050 Hz) Hann window as the onset strength:
  /** Number of mel bands per row of `mel` (40). */
  melBands: number;
  /**
   * Log-mel spectrogram, frameCount × melBands, row-major: triangular bands equally spaced in mel (HTK
   * formula) from 40 Hz to 11 kHz (or Nyquist), each the weighted mean of its bins' power, in dB re the front
   * end's full-scale power unit, floored at −120 dB. Absolute level: a gain of g dB adds g to every value.
   */
  mel: Float32Array;
  /** Spectral centroid of the magnitude spectrum, Hz, per frame (0 in silence). */
  spectralCentroid: Float32Array;
  /** Frequency below which 85 % of the frame's power lies, Hz, per frame (0 in silence). */
  spectralRolloff: Float32Array;
  /** Spectral flatness (geometric / arithmetic mean of the power spectrum), 0..1, per frame (0 in silence). */
  spectralFlatness: Float32Array;
  /** Number of octave bands per row of `spectralContrast` (7: <200, 200–400, …, 3.2–6.4 k, >6.4 kHz). */
  contrastBands: number;
  /** Spectral contrast (Jiang et al. 2002), frameCount × contrastBands, dB of power between each band's peak and valley (top and bottom 2 % of its bins); 0 in silence. */
  spectralContrast: Float32Array;
}

export type Meter = '4/4' | '3/4' | '6/8' | '2/4' | '12/8';

export interface RhythmResult {
  /** Global tempo in BPM (of the beat level reported in `beats`). */
  bpm: number;
  confidence: number;
  /** Present when the tempo drifts: local tempo over time. */
  tempoCurve: { time: number; bpm: number }[];
  /** Beat times (s). */
  beats: number[];
  /** Downbeat times (s), a subset of `beats`. */
  downbeats: number[];
  meter: Meter;
  beatsPerBar: number;
  meterConfidence: number;
}

export interface KeySegment {
  start: number;
  end: number;
  key: Key;
  confidence: number;
}

export interface KeyResult {
  global: Key;
  confidence: number;
  /** Local keys over time; consecutive segments differ in key. Passing tonicisations are not segments. */
  segments: KeySegment[];
}

/** Chord qualities we recognise (Harte shorthands). 'N' = no chord. */
export type ChordQuality = 'maj' | 'min' | '7' | 'maj7' | 'min7' | 'dim' | 'aug' | 'sus2' | 'sus4' | 'hdim7' | 'dim7';

export interface ChordSegment {
  start: number;
  end: number;
  /** null for 'N' (no chord). */
  root: PitchClass | null;
  quality: ChordQuality | 'N';
  /** Bass pitch class when it isn't the root (inversion), else equal to root; null for N. */
  bass: PitchClass | null;
  confidence: number;
  /** Harte label, e.g. 'A:min7', 'G:7/3', 'N'. */
  label: string;
}

export interface ChordResult {
  chords: ChordSegment[];
  /** 'notes' when each chord's bass was taken from the transcribed bass line (note transcription on). */
  bassFrom?: 'notes';
  /** 'audio+notes' when the chords were recognised from the audio chroma with the transcribed notes' chroma mixed in (notes/chroma.ts). */
  chromaFrom?: 'audio+notes';
}

export type HarmonicFunction = 'tonic' | 'predominant' | 'dominant' | 'chromatic' | 'none';

export interface RomanChord {
  /** Index into ChordResult.chords. */
  chordIndex: number;
  start: number;
  end: number;
  /** The local key the numeral is relative to. */
  key: Key;
  /** e.g. 'I', 'vi', 'V7/V', '♭VII', 'iiø7', 'V6' (figured inversion), 'N' for no chord. */
  numeral: string;
  function: HarmonicFunction;
}

export type DeviceKind =
  | 'modal-interchange'
  | 'secondary-dominant'
  | 'tritone-substitution'
  | 'modulation'
  | 'chromatic-mediant'
  | 'pedal-point'
  | 'picardy-third'
  | 'progression'
  | 'cadence';

export interface HarmonicDevice {
  kind: DeviceKind;
  /** Human label, e.g. '♭VI borrowed from the parallel minor', 'I–V–vi–IV', 'Andalusian cadence'. */
  label: string;
  start: number;
  end: number;
  /** Evidence: the chords (indices into ChordResult.chords) that make the device. */
  chordIndices: number[];
  confidence: number;
  /** Extra facts, e.g. { from: 'E minor', to: 'B minor', pivot: 'G' }. */
  detail?: Record<string, string | number>;
}

export interface TheoryResult {
  romans: RomanChord[];
  devices: HarmonicDevice[];
}

/** Everything one analysis of a track produced, with each analyser's version. */
export interface TrackAnalysis {
  durationSec: number;
  sampleRate: number;
  versions: Record<string, number>;
  /** What the front end measured that is worth keeping (its frame features are not stored). */
  frontend: { tuningCents: number; frameRate: number };
  rhythm: RhythmResult;
  key: KeyResult;
  chords: ChordResult;
  theory: TheoryResult;
  loudness: LoudnessResult;
  sound: SoundResult;
  form: FormResult;
  /** Computed after the pipeline from the measured results (not a streaming analyser). */
  descriptors: DescriptorResult;
  /** The written description, computed last from everything above. */
  insight: Insight;
  /** Note transcription, only when it was asked for (queue setting 'transcribe'): the notes or why it failed. */
  notes?: NotesResult | { error: string };
  /** Milliseconds spent, per analyser and for decoding. */
  timings: Record<string, number>;
}

/** The engine-I part of an analysis: what chord, key and beat scoring (and JAMS export) read. */
export type HarmonyAnalysis = Pick<TrackAnalysis, 'durationSec' | 'sampleRate' | 'versions' | 'frontend' | 'rhythm' | 'key' | 'chords' | 'theory' | 'timings'>;

// ---------------------------------------------------------------------------------------------
// Analysis engine II: loudness, sound, form, descriptors, the written insight (issue 4).
// Curves are sampled every `hop` seconds from time 0; a null value means "not measurable there"
// (e.g. silence below the loudness gate). JSON has no ±Infinity, so nulls stand in for it.

export interface Curve {
  hop: number;
  values: (number | null)[];
}

/** ITU-R BS.1770-4 / EBU R128 loudness of the file's own channels at its own sample rate. */
export interface LoudnessResult {
  /** Integrated (gated) loudness, LUFS; null when everything is below the absolute gate (silence). */
  integratedLufs: number | null;
  /** Loudness range per EBU Tech 3342, LU; null when too little gated audio. */
  loudnessRangeLu: number | null;
  /** Highest short-term (3 s) and momentary (400 ms) loudness, LUFS. */
  shortTermMaxLufs: number | null;
  momentaryMaxLufs: number | null;
  /** Short-term loudness curve (3 s window), LUFS. */
  shortTerm: Curve;
  /** True peak (4× oversampled, BS.1770-4 Annex 2), dBTP, highest over channels; null for digital silence. */
  truePeakDbtp: number | null;
  samplePeakDbfs: number | null;
  /** Peak-to-loudness ratio (true peak − integrated), dB: the dynamic-range figure of a master. */
  plrDb: number | null;
  /** ReplayGain 2.0 track gain (reference −18 LUFS), dB, and the track peak (linear, true peak). */
  replayGainDb: number | null;
  replayGainPeak: number | null;
  /** Stereo width 0 (mono) … 1 (wide): side energy / (mid + side energy), gated to non-silent audio; null for one channel. */
  stereoWidth: number | null;
  channels: number;
  sampleRate: number;
}

export interface Stat {
  mean: number;
  std: number;
}

/** Timbre and texture, from the analysis-rate mono signal. */
export interface SoundResult {
  spectralCentroidHz: Stat;
  /** Frequency below which 85 % of the spectral energy lies. */
  spectralRolloffHz: Stat;
  /** Spectral flatness (geometric / arithmetic mean of the power spectrum), 0..1. */
  spectralFlatness: Stat;
  /** Spectral contrast per octave band (Jiang et al. 2002), dB, lowest band first. */
  spectralContrast: number[];
  /** MFCC 0..12 statistics over the track. */
  mfcc: { mean: number[]; std: number[] };
  /** Spread of frame loudness over the non-silent part: 95th − 10th percentile of frame RMS, dB. */
  dynamicRangeDb: number;
  /** Energy curve (frame RMS smoothed to `hop` seconds), 0..1 of the track's own maximum. */
  energy: Curve;
  /** Detected onsets per second over the non-silent part. */
  onsetDensity: number;
  /** Harmonic share of the energy after harmonic/percussive separation, 0..1. */
  harmonicRatio: number;
  /** Vocal presence over time, honestly estimated: a probability curve, the segments above threshold, and how sure we are. */
  vocals: { presence: number; confidence: number; curve: Curve; segments: { start: number; end: number; confidence: number }[] };
}

export type SectionLabel = 'intro' | 'verse' | 'pre-chorus' | 'chorus' | 'bridge' | 'instrumental' | 'outro';

export interface Section {
  start: number;
  end: number;
  label: SectionLabel;
  /** Repetition group: sections with the same letter repeat the same material ('A', 'B', …). */
  group: string;
  confidence: number;
  /** Mean energy 0..1 (of the track's maximum). */
  energy: number;
  /** The section's chord loop in Roman numerals, e.g. 'I–V–vi–IV' ('' when no chords). */
  progression: string;
}

export interface FormResult {
  sections: Section[];
  /** e.g. 'intro–verse–chorus–verse–chorus–bridge–chorus–outro'. */
  summary: string;
  confidence: number;
}

export interface Descriptor {
  /** 0..1 unless stated. */
  value: number;
  confidence: number;
}

export type TempoClass = 'very slow' | 'slow' | 'moderate' | 'fast' | 'very fast';

export interface Tag {
  /** From the documented vocabulary, e.g. 'minor key', 'modal interchange', 'waltz', 'loud master'. */
  tag: string;
  confidence: number;
  /** Where it is heard, when it is a moment rather than the whole track. */
  evidence?: { start: number; end: number }[];
}

/** What people search with, each from measured features by a documented formula. */
export interface DescriptorResult {
  energy: Descriptor;
  danceability: Descriptor;
  /** 1 = acoustic instruments, 0 = electronic. */
  acousticness: Descriptor;
  valence: Descriptor;
  arousal: Descriptor;
  tempoClass: TempoClass;
  tags: Tag[];
}

export type InsightLayer = 'surface' | 'middle' | 'top';

/** One statement of the written insight, tied to its evidence. */
export interface InsightClaim {
  layer: InsightLayer;
  /** e.g. 'tempo', 'key', 'chords', 'modal-interchange', 'form', 'mood'. */
  topic: string;
  text: string;
  confidence: number;
  evidence: { start: number; end: number }[];
}

export interface Insight {
  claims: InsightClaim[];
  /** Surface, middle and top paragraphs, in Music Flamingo's caption order. */
  paragraphs: string[];
}
