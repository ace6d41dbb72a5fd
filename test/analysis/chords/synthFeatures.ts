// Synthetic FrontEndFeatures and RhythmResult for the key and chord tests: the ideal chroma of chord
// symbols (chord tones, a little harmonic leakage, the bass note in the bass chroma) with seeded noise
// and smearing across chord changes, on an exact beat grid.
import { parseChord } from '../../../app/demo/chords.ts';
import { mulberry32 } from '../../../app/demo/synth.ts';
import { beatsPerBar as demoBeatsPerBar, chordTimeline, songDurationSeconds } from '../../../app/demo/songs.ts';
import type { SongSpec } from '../../../app/demo/songs.ts';
import type { FrontEndFeatures, RhythmResult } from '../../../app/analysis/types.ts';
import { silentShape } from '../frontend/helpers.ts';

export interface ChordSpan {
  /** A demo chord symbol ('C', 'Am7', 'E/G#', 'Em7b5') or 'N' for silence. */
  symbol: string;
  start: number;
  end: number;
}

export interface SynthOptions {
  frameRate: number;
  /** Uniform noise added to every chroma bin, relative to a chord tone's weight. */
  noise: number;
  /** Seconds over which a chord change cross-fades (analysis-window smearing). */
  smear: number;
  /** Weight of each chord tone's fifth (third harmonic leakage). */
  leakage: number;
  seed: number;
}

export const DEFAULT_SYNTH: SynthOptions = { frameRate: 22050 / 512, noise: 0.15, smear: 0.12, leakage: 0.1, seed: 1 };

function chordVectors(symbol: string): { treble: Float64Array; bass: Float64Array } | null {
  if (symbol === 'N') return null;
  const chord = parseChord(symbol);
  const treble = new Float64Array(12);
  const bass = new Float64Array(12);
  for (const pc of chord.pitchClasses) treble[pc]! += pc === chord.root ? 1.1 : 1;
  bass[chord.bass] = 1;
  bass[(chord.bass + 7) % 12]! += 0.12;
  return { treble, bass };
}

/** Features for a list of chord spans (time-ordered, covering [0, duration]). */
export function synthFeatures(spans: readonly ChordSpan[], duration: number, options: Partial<SynthOptions> = {}): FrontEndFeatures {
  const o = { ...DEFAULT_SYNTH, ...options };
  const rand = mulberry32(o.seed);
  const frameCount = Math.floor(duration * o.frameRate);
  const chromaTreble = new Float32Array(frameCount * 12);
  const chromaBass = new Float32Array(frameCount * 12);
  const rms = new Float32Array(frameCount);
  const onset = new Float32Array(frameCount);
  const vectors = spans.map((s) => chordVectors(s.symbol));
  let si = 0;
  for (let i = 0; i < frameCount; i++) {
    const t = i / o.frameRate;
    while (si + 1 < spans.length && t >= spans[si]!.end) si++;
    const cur = vectors[si];
    // Smearing: just after a change, part of the previous chord is still in the analysis window.
    const sinceChange = t - spans[si]!.start;
    const prev = si > 0 && sinceChange < o.smear ? vectors[si - 1] : null;
    const mix = prev ? 1 - sinceChange / o.smear : 0;
    if (!cur && !prev) continue;
    const tr = new Float64Array(12);
    const bs = new Float64Array(12);
    for (const [v, w] of [[cur, 1 - mix], [prev, mix]] as const) {
      if (!v) continue;
      for (let p = 0; p < 12; p++) {
        tr[p]! += w * v.treble[p]!;
        bs[p]! += w * v.bass[p]!;
      }
    }
    // Harmonic leakage (each tone's fifth), then noise.
    const leak = new Float64Array(12);
    for (let p = 0; p < 12; p++) leak[(p + 7) % 12]! += o.leakage * tr[p]!;
    let ts = 0;
    let bsum = 0;
    for (let p = 0; p < 12; p++) {
      tr[p] = tr[p]! + leak[p]! + o.noise * rand();
      bs[p] = bs[p]! + 0.5 * o.noise * rand();
      ts += tr[p]!;
      bsum += bs[p]!;
    }
    for (let p = 0; p < 12; p++) {
      chromaTreble[i * 12 + p] = tr[p]! / ts;
      chromaBass[i * 12 + p] = bs[p]! / bsum;
    }
    rms[i] = (cur ? 1 - mix : 0) * 0.2 + mix * 0.2 + 0.01 * rand();
    if (sinceChange < 1 / o.frameRate) onset[i] = 1;
  }
  return { sampleRate: 22050, hopSize: Math.round(22050 / o.frameRate), frameRate: o.frameRate, frameCount, durationSec: duration, tuningCents: 0, onset, rms, chromaTreble, chromaBass, ...silentShape(frameCount) };
}

/** An exact beat grid. */
export function synthRhythm(duration: number, tempo: number, beatsPerBar: number): RhythmResult {
  const beatSec = 60 / tempo;
  const beats: number[] = [];
  for (let t = 0; t < duration - 1e-9; t += beatSec) beats.push(Math.round(t * 1e6) / 1e6);
  const downbeats = beats.filter((_, i) => i % beatsPerBar === 0);
  const meter = beatsPerBar === 3 ? '3/4' : beatsPerBar === 2 ? '2/4' : '4/4';
  return { bpm: tempo, confidence: 1, tempoCurve: [], beats, downbeats, meter, beatsPerBar, meterConfidence: 1 };
}

/** A progression given as one entry per bar (a chord, or several chords sharing the bar evenly). */
export interface Progression {
  tempo: number;
  beatsPerBar: number;
  bars: (string | string[])[];
}

export function progressionSpans(p: Progression): { spans: ChordSpan[]; duration: number } {
  const barSec = (p.beatsPerBar * 60) / p.tempo;
  const spans: ChordSpan[] = [];
  p.bars.forEach((bar, b) => {
    const chords = typeof bar === 'string' ? [bar] : bar;
    chords.forEach((symbol, i) => {
      const start = (b + i / chords.length) * barSec;
      const end = (b + (i + 1) / chords.length) * barSec;
      const last = spans[spans.length - 1];
      if (last && last.symbol === symbol) last.end = end;
      else spans.push({ symbol, start, end });
    });
  });
  return { spans, duration: p.bars.length * barSec };
}

/** Features and beat grid for a progression. */
export function synthProgression(p: Progression, options: Partial<SynthOptions> = {}): { features: FrontEndFeatures; rhythm: RhythmResult; spans: ChordSpan[] } {
  const { spans, duration } = progressionSpans(p);
  return { features: synthFeatures(spans, duration, options), rhythm: synthRhythm(duration, p.tempo, p.beatsPerBar), spans };
}

/** Ideal features of a demo song (its chord timeline) and its exact beat grid. */
export function synthDemoSong(spec: SongSpec, options: Partial<SynthOptions> = {}): { features: FrontEndFeatures; rhythm: RhythmResult; spans: ChordSpan[] } {
  const spans = chordTimeline(spec).map((e) => ({ symbol: e.symbol, start: e.startSec, end: e.endSec }));
  const duration = songDurationSeconds(spec);
  return { features: synthFeatures(spans, duration, options), rhythm: synthRhythm(duration, spec.tempo, demoBeatsPerBar(spec.meter)), spans };
}
