// Vocal presence over time: a hand-set logistic score on three cues of the harmonic (HPSS) part of the mel
// spectrogram per one-second block — no trained model. The cues follow the speech/music and singing-voice
// literature: energy concentrated in the voice range 250–4000 Hz; the singer's formant, a peak of energy
// at 2–4 kHz relative to 250–2000 Hz (Sundberg 1974); and continuous fluctuation of the harmonic partials
// from vibrato and changing vowels (Scheirer & Slaney 1997's modulation cue; Regnier & Peeters 2009's
// vibrato/tremolo cue). Instruments can show all three — a bright lead with vibrato (a violin-like
// sawtooth over a demo song) is called vocal — so the result is a hedged estimate: its confidence never
// exceeds MAX_VOCAL_CONFIDENCE and shrinks when the evidence is near the threshold. A trained singing-voice
// detector would replace this.

/** Seconds per vocal-presence value. */
export const VOCAL_HOP = 1;
/** A heuristic without a trained model never claims more than this. */
export const MAX_VOCAL_CONFIDENCE = 0.3;
const VOICE_RANGE: readonly [number, number] = [250, 4000];
const FORMANT_RANGE: readonly [number, number] = [2000, 4000];
/** A frame-to-frame change of the harmonic band level is counted up to this many dB. */
const MAX_STEP_DB = 6;
/** Probability above which a block counts as vocal, and the shortest vocal segment (s). */
const VOCAL_THRESHOLD = 0.5;
const MIN_SEGMENT = 2;

/** The cues of one block, for tests and tuning. */
export interface VocalCues {
  /** Harmonic energy in 250–4000 Hz over all energy, 0..1. */
  voiceShare: number;
  /** Harmonic energy 2–4 kHz over 250–2000 Hz, dB. */
  formantDb: number;
  /** Mean absolute frame-to-frame change of the harmonic voice-band levels, dB. */
  fluctuationDb: number;
}

/**
 * Probability that a block holds singing, from its cues (measured at 21.5 frames/s). The weights were set by
 * hand to separate the eight demo songs (synthesised instruments: block means fluctuation 1.0–1.6 dB,
 * formant −29…−19 dB, voice share 0.17–0.30) from the same songs with a synthetic singer added (1.9–2.0 dB,
 * −17…−15 dB, 0.30–0.36); they are not fitted to real recordings, hence the capped confidence.
 */
export function vocalProbability(c: VocalCues): number {
  const z = 3 * (c.fluctuationDb - 1.75) + 0.3 * (c.formantDb + 18) + 5 * (c.voiceShare - 0.28);
  return 1 / (1 + Math.exp(-z));
}

/** Collects the cues frame by frame (feed the HPSS output of every frame in order). */
export class VocalCueCollector {
  private readonly voice: Uint8Array;
  private readonly formant: Uint8Array;
  private readonly low: Uint8Array;
  private readonly prevDb: Float64Array;
  private readonly framesPerBlock: number;
  private readonly blocks: VocalCues[] = [];
  private readonly audible: number[] = [];
  private voiceH = 0;
  private total = 0;
  private formantH = 0;
  private lowH = 0;
  private fluct = 0;
  private fluctN = 0;
  private frames = 0;
  private audibleFrames = 0;

  constructor(bandCentresHz: readonly number[], frameRate: number) {
    const within = (r: readonly [number, number]) => Uint8Array.from(bandCentresHz, (f) => (f >= r[0] && f < r[1] ? 1 : 0));
    this.voice = within(VOICE_RANGE);
    this.formant = within(FORMANT_RANGE);
    this.low = within([VOICE_RANGE[0], FORMANT_RANGE[0]]);
    this.prevDb = new Float64Array(bandCentresHz.length).fill(NaN);
    this.framesPerBlock = Math.max(1, Math.round(VOCAL_HOP * frameRate));
  }

  /** One frame: linear band powers, the harmonic mask, and whether the frame is audible (above the silence gate). */
  add(power: Float64Array, harmonicMask: Float64Array, audible: boolean): void {
    if (audible) {
      this.audibleFrames++;
      for (let b = 0; b < power.length; b++) {
        const h = power[b]! * harmonicMask[b]!;
        this.total += power[b]!;
        if (this.voice[b]) {
          this.voiceH += h;
          const db = 10 * Math.log10(h + 1e-12);
          if (!Number.isNaN(this.prevDb[b]!)) {
            this.fluct += Math.min(MAX_STEP_DB, Math.abs(db - this.prevDb[b]!));
            this.fluctN++;
          }
          this.prevDb[b] = db;
        }
        if (this.formant[b]) this.formantH += h;
        if (this.low[b]) this.lowH += h;
      }
    } else {
      this.prevDb.fill(NaN);
    }
    if (++this.frames === this.framesPerBlock) this.closeBlock();
  }

  private closeBlock(): void {
    this.blocks.push({
      voiceShare: this.total > 0 ? this.voiceH / this.total : 0,
      formantDb: this.lowH > 0 ? 10 * Math.log10((this.formantH + 1e-12) / this.lowH) : -60,
      fluctuationDb: this.fluctN > 0 ? this.fluct / this.fluctN : 0,
    });
    this.audible.push(this.audibleFrames / Math.max(1, this.frames));
    this.voiceH = this.total = this.formantH = this.lowH = this.fluct = this.fluctN = this.frames = this.audibleFrames = 0;
  }

  /** The cues of every block and the share of audible frames in each (a partial last block is closed). */
  finish(): { cues: VocalCues[]; audible: number[] } {
    if (this.frames > 0) this.closeBlock();
    return { cues: this.blocks, audible: this.audible };
  }
}

export interface VocalEstimate {
  presence: number;
  confidence: number;
  curve: { hop: number; values: (number | null)[] };
  segments: { start: number; end: number; confidence: number }[];
}

/** Vocal presence from the block cues: probability curve (null where mostly silent), segments, share of audible time, confidence. */
export function estimateVocals(cues: readonly VocalCues[], audible: readonly number[]): VocalEstimate {
  const values = cues.map((c, i) => (audible[i]! >= 0.5 ? Math.round(vocalProbability(c) * 1000) / 1000 : null));
  const counted = values.filter((v): v is number => v !== null);
  if (counted.length === 0) return { presence: 0, confidence: 0, curve: { hop: VOCAL_HOP, values }, segments: [] };
  const segments: VocalEstimate['segments'] = [];
  let start = -1;
  let sum = 0;
  const close = (end: number) => {
    const len = end - start;
    if (len * VOCAL_HOP >= MIN_SEGMENT) {
      const mean = sum / len;
      segments.push({ start: start * VOCAL_HOP, end: end * VOCAL_HOP, confidence: round3(MAX_VOCAL_CONFIDENCE * Math.min(1, 2 * (mean - VOCAL_THRESHOLD) + 0.5)) });
    }
    start = -1;
    sum = 0;
  };
  values.forEach((v, i) => {
    if (v !== null && v > VOCAL_THRESHOLD) {
      if (start < 0) start = i;
      sum += v;
    } else if (start >= 0) close(i);
  });
  if (start >= 0) close(values.length);
  const vocalBlocks = segments.reduce((a, s) => a + (s.end - s.start) / VOCAL_HOP, 0);
  const presence = vocalBlocks / counted.length;
  // How decisive the blocks are: mean distance of the probabilities from the threshold, 0..1.
  const decisiveness = counted.reduce((a, v) => a + Math.abs(2 * (v - VOCAL_THRESHOLD)), 0) / counted.length;
  return { presence: round3(presence), confidence: round3(MAX_VOCAL_CONFIDENCE * decisiveness), curve: { hop: VOCAL_HOP, values }, segments };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
