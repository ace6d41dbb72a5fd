// Bar-synchronous features for form analysis: the bar grid from the downbeats, and per bar the mean
// treble and bass chroma (harmony), loudness (dB of the mean RMS), onset strength, a timbre vector
// (mean log-mel row, when the front end provides one) and the activity in the lead register.
import type { FrontEndFeatures, RhythmResult } from '../types.ts';

export interface BarFeatures {
  /** Bar boundaries (s): bar i spans [edges[i], edges[i + 1]); edges[0] = 0, the last = duration. */
  edges: number[];
  /** Per bar: treble chroma (12) then bass chroma (12), each L2-normalised (zeros in silence). */
  harmony: Float64Array[];
  /** Per bar: timbre vector (log-mel bands, z-scored over the song), or empty without mel. */
  timbre: Float64Array[];
  /** Per bar: loudness in dB of the mean frame RMS (floored at −100 dB). */
  loudnessDb: number[];
  /** Per bar: mean onset strength. */
  onset: number[];
  /** Per bar: relative power flux of the mel bands of the lead register (≈ 500–1200 Hz): the summed rises over the summed power; null without mel. */
  leadActivity: (number | null)[];
}

/** Shortest grid unit when there are no downbeats to go by (s). */
const FALLBACK_BAR_SEC = 2;
const LEAD_LOW_HZ = 500;
const LEAD_HIGH_HZ = 1200;

/**
 * Bar boundaries from the downbeats (a pickup before the first downbeat becomes its own unit when it
 * lasts at least half a bar, else joins the first bar); without downbeats, beats grouped by the meter;
 * without beats, a fixed 2-second grid. Always starts at 0 and ends at `duration`.
 */
export function barEdges(rhythm: Pick<RhythmResult, 'beats' | 'downbeats' | 'beatsPerBar'>, duration: number): number[] {
  let marks = rhythm.downbeats.filter((t) => t > 0 && t < duration);
  if (marks.length < 2) {
    const per = Math.max(1, rhythm.beatsPerBar || 4);
    marks = rhythm.beats.filter((_, i) => i % per === 0).filter((t) => t > 0 && t < duration);
  }
  if (marks.length < 2) {
    const n = Math.max(1, Math.round(duration / FALLBACK_BAR_SEC));
    return Array.from({ length: n + 1 }, (_, i) => (duration * i) / n);
  }
  const typical = median(marks.slice(1).map((t, i) => t - marks[i]!));
  const edges = [0];
  for (const t of marks) if (t - edges[edges.length - 1]! >= typical * 0.5) edges.push(t);
  if (duration - edges[edges.length - 1]! < typical * 0.5 && edges.length > 1) edges.pop();
  edges.push(duration);
  return edges;
}

/**
 * At most `maxUnits` grid units: with more bars, every g-th edge, g = ⌈bars / maxUnits⌉ (units of g
 * bars, the last one what is left), keeping the track's end. Fewer bars: the edges unchanged.
 */
export function coarsenEdges(edges: readonly number[], maxUnits: number): number[] {
  const bars = edges.length - 1;
  if (bars <= maxUnits || maxUnits < 1) return [...edges];
  const g = Math.ceil(bars / maxUnits);
  const out: number[] = [];
  for (let i = 0; i < bars; i += g) out.push(edges[i]!);
  out.push(edges[bars]!);
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : 0;
}

function l2normalise(v: Float64Array, from: number, to: number): void {
  let s = 0;
  for (let i = from; i < to; i++) s += v[i]! * v[i]!;
  const n = Math.sqrt(s);
  if (n > 1e-12) for (let i = from; i < to; i++) v[i]! /= n;
}

/** Mel band centre frequencies (Hz) of `bands` bands from 40 Hz to min(11 kHz, Nyquist), HTK mel scale. */
function melCentres(bands: number, sampleRate: number): number[] {
  const mel = (hz: number) => 2595 * Math.log10(1 + hz / 700);
  const lo = mel(40);
  const hi = mel(Math.min(11000, sampleRate / 2));
  return Array.from({ length: bands }, (_, i) => 700 * (10 ** ((lo + ((hi - lo) * (i + 1)) / (bands + 1)) / 2595) - 1));
}

/** Averages the front end's frame features over each bar. */
export function barFeatures(fe: FrontEndFeatures, edges: readonly number[]): BarFeatures {
  const bars = edges.length - 1;
  const frameOf = (t: number) => Math.max(0, Math.min(fe.frameCount, Math.round(t * fe.frameRate)));
  // Features from before front end v2 (or made by hand in tests) may lack the log-mel rows: then no timbre.
  const melBands = fe.mel?.length && fe.melBands > 0 && fe.mel.length >= fe.frameCount * fe.melBands ? fe.melBands : 0;
  const lead = melBands ? melCentres(melBands, fe.sampleRate).map((hz) => hz >= LEAD_LOW_HZ && hz <= LEAD_HIGH_HZ) : [];
  const harmony: Float64Array[] = [];
  const timbreRaw: Float64Array[] = [];
  const loudnessDb: number[] = [];
  const onset: number[] = [];
  const leadActivity: (number | null)[] = [];
  for (let b = 0; b < bars; b++) {
    let f0 = frameOf(edges[b]!);
    let f1 = frameOf(edges[b + 1]!);
    if (f1 <= f0) [f0, f1] = [Math.min(f0, fe.frameCount - 1), Math.min(f0, fe.frameCount - 1) + 1];
    const n = Math.max(1, f1 - f0);
    const h = new Float64Array(24);
    let energy = 0;
    let on = 0;
    for (let f = f0; f < f1 && f < fe.frameCount; f++) {
      for (let k = 0; k < 12; k++) {
        h[k]! += fe.chromaTreble[f * 12 + k]!;
        h[12 + k]! += fe.chromaBass[f * 12 + k]!;
      }
      energy += fe.rms[f]! * fe.rms[f]!;
      on += fe.onset[f]!;
    }
    l2normalise(h, 0, 12);
    l2normalise(h, 12, 24);
    harmony.push(h);
    loudnessDb.push(10 * Math.log10(Math.max(1e-10, energy / n)));
    onset.push(on / n);
    if (melBands) {
      const t = new Float64Array(melBands);
      let rise = 0;
      let level = 0;
      for (let f = f0; f < f1 && f < fe.frameCount; f++) {
        for (let k = 0; k < melBands; k++) {
          const v = fe.mel[f * melBands + k]!;
          t[k]! += v / n;
          if (lead[k] && f > 0) {
            const p = 10 ** (v / 10);
            rise += Math.max(0, p - 10 ** (fe.mel[(f - 1) * melBands + k]! / 10));
            level += p;
          }
        }
      }
      timbreRaw.push(t);
      leadActivity.push(level > 0 ? rise / level : 0);
    } else {
      leadActivity.push(null);
    }
  }
  return { edges: [...edges], harmony, timbre: zscoreColumns(timbreRaw), loudnessDb, onset, leadActivity };
}

/** Z-scores each column over the rows (a column with no spread becomes 0). */
export function zscoreColumns(rows: readonly Float64Array[]): Float64Array[] {
  if (rows.length === 0) return [];
  const d = rows[0]!.length;
  const out = rows.map(() => new Float64Array(d));
  for (let k = 0; k < d; k++) {
    let m = 0;
    for (const r of rows) m += r[k]!;
    m /= rows.length;
    let v = 0;
    for (const r of rows) v += (r[k]! - m) ** 2;
    const sd = Math.sqrt(v / rows.length);
    rows.forEach((r, i) => (out[i]![k] = sd > 1e-9 ? (r[k]! - m) / sd : 0));
  }
  return out;
}
