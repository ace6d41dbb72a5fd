// The beat grid as time spans, and chroma averaged over a span. Shared by the key and chord analysers:
// everything harmonic is measured per beat (chords) or per bar (keys), so boundaries snap to the grid.
import type { FrontEndFeatures, RhythmResult } from '../types.ts';

export interface Span {
  start: number;
  end: number;
}

export interface BeatSpan extends Span {
  /** Index of the bar (see barSpans) and position of the beat in it, 0 = downbeat. */
  bar: number;
  beatInBar: number;
}

export interface BarSpan extends Span {
  /** Beat spans [firstBeat, firstBeat + beatCount). */
  firstBeat: number;
  beatCount: number;
}

export interface Grid {
  beats: BeatSpan[];
  bars: BarSpan[];
  beatsPerBar: number;
  /** Median beat period (s). */
  period: number;
}

const MIN_GAP = 0.05;

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Beat and bar spans covering [0, duration] exactly. Beats come from the rhythm analysis; the time before
 * the first beat and after the last is cut into beat-long pieces (so a beat tracker that starts late
 * or stops early still leaves a grid); without beats the grid is a plain `fallbackPeriod` one.
 * A bar starts at every downbeat; without downbeats bars are counted in `beatsPerBar` from the first beat.
 */
export function beatGrid(rhythm: Pick<RhythmResult, 'beats' | 'downbeats' | 'beatsPerBar'> | null | undefined, duration: number, fallbackPeriod = 0.5): Grid {
  const beatsPerBar = rhythm && rhythm.beatsPerBar > 0 ? Math.round(rhythm.beatsPerBar) : 4;
  if (!(duration > 0)) return { beats: [], bars: [], beatsPerBar, period: fallbackPeriod };
  const raw = (rhythm?.beats ?? []).filter((t) => Number.isFinite(t) && t >= 0 && t < duration).sort((a, b) => a - b);
  const beats: number[] = [];
  for (const t of raw) if (beats.length === 0 || t - beats[beats.length - 1]! >= MIN_GAP) beats.push(t);
  const gaps = beats.slice(1).map((t, i) => t - beats[i]!);
  const period = gaps.length > 0 ? median(gaps) : fallbackPeriod;

  // Boundaries: lead-in pieces, the beats, tail pieces, then the end.
  const bounds: number[] = [];
  let firstBeatIndex = 0;
  if (beats.length === 0) {
    const n = Math.max(1, Math.round(duration / period));
    for (let i = 0; i < n; i++) bounds.push((i * duration) / n);
  } else {
    const first = beats[0]!;
    const lead = Math.round(first / period);
    for (let i = lead; i >= 1; i--) bounds.push(Math.max(0, first - i * period));
    if (bounds.length > 0 && first - bounds[bounds.length - 1]! < MIN_GAP) bounds.pop();
    firstBeatIndex = bounds.length;
    bounds.push(first);
    for (const t of beats.slice(1)) bounds.push(t);
    const last = beats[beats.length - 1]!;
    const tail = Math.round((duration - last) / period);
    for (let i = 1; i < tail; i++) bounds.push(last + i * period);
    bounds[0] = 0;
  }
  while (bounds.length > 1 && duration - bounds[bounds.length - 1]! < MIN_GAP) bounds.pop();
  const spans: Span[] = bounds.map((start, i) => ({ start, end: i + 1 < bounds.length ? bounds[i + 1]! : duration }));

  // Bars: a new bar at each downbeat (matched to the nearest boundary), else every beatsPerBar beats.
  const isBarStart = new Array<boolean>(spans.length).fill(false);
  const downbeats = (rhythm?.downbeats ?? []).filter((t) => Number.isFinite(t) && t >= 0 && t < duration);
  if (downbeats.length > 0) {
    // Both sorted: walk the span starts once, matching each downbeat to the nearest start.
    const sorted = [...downbeats].sort((a, b) => a - b);
    let i = 0;
    for (const d of sorted) {
      while (i + 1 < spans.length && Math.abs(spans[i + 1]!.start - d) <= Math.abs(spans[i]!.start - d)) i++;
      if (Math.abs(spans[i]!.start - d) <= 0.5 * period) isBarStart[i] = true;
    }
  } else {
    for (let i = firstBeatIndex; i < spans.length; i += beatsPerBar) isBarStart[i] = true;
    for (let i = firstBeatIndex - beatsPerBar; i >= 0; i -= beatsPerBar) isBarStart[i] = true;
  }
  isBarStart[0] = true;
  const bars: BarSpan[] = [];
  const beatSpans: BeatSpan[] = [];
  spans.forEach((s, i) => {
    if (isBarStart[i]) bars.push({ start: s.start, end: s.end, firstBeat: i, beatCount: 0 });
    const bar = bars[bars.length - 1]!;
    beatSpans.push({ ...s, bar: bars.length - 1, beatInBar: bar.beatCount });
    bar.beatCount++;
    bar.end = s.end;
  });
  return { beats: beatSpans, bars, beatsPerBar, period };
}

/** Frames whose time falls in [start, end): at least the nearest frame when the span is shorter than a hop. */
export function frameRange(features: Pick<FrontEndFeatures, 'frameRate' | 'frameCount'>, span: Span, frameOffsetSec = 0): [number, number] {
  const { frameRate, frameCount } = features;
  if (frameCount === 0) return [0, 0];
  let i0 = Math.ceil((span.start - frameOffsetSec) * frameRate - 1e-9);
  let i1 = Math.ceil((span.end - frameOffsetSec) * frameRate - 1e-9);
  i0 = Math.min(Math.max(i0, 0), frameCount);
  i1 = Math.min(Math.max(i1, 0), frameCount);
  if (i1 <= i0) {
    const mid = Math.min(frameCount - 1, Math.max(0, Math.round(((span.start + span.end) / 2 - frameOffsetSec) * frameRate)));
    return [mid, mid + 1];
  }
  return [i0, i1];
}

/** Weighted mean of the 12-bin rows [i0, i1) of a frameCount × 12 matrix. */
export function meanChroma(chroma: Float32Array, i0: number, i1: number, weights?: ArrayLike<number>): Float64Array {
  const out = new Float64Array(12);
  let total = 0;
  for (let i = i0; i < i1; i++) {
    const w = weights ? weights[i]! : 1;
    if (!(w > 0)) continue;
    total += w;
    for (let p = 0; p < 12; p++) out[p]! += w * chroma[i * 12 + p]!;
  }
  if (total > 0) for (let p = 0; p < 12; p++) out[p]! /= total;
  return out;
}

let medianScratch = new Float64Array(64);

/** Per-bin median of the rows [i0, i1) (robust to onsets and smearing at the span's edges). */
export function medianChroma(chroma: Float32Array, i0: number, i1: number): Float64Array {
  const out = new Float64Array(12);
  const n = i1 - i0;
  if (n <= 0) return out;
  if (medianScratch.length < n) medianScratch = new Float64Array(2 * n);
  const col = medianScratch;
  for (let p = 0; p < 12; p++) {
    // Insertion sort: spans hold a few dozen frames at most.
    for (let i = 0; i < n; i++) {
      const v = chroma[(i0 + i) * 12 + p]!;
      let j = i - 1;
      while (j >= 0 && col[j]! > v) {
        col[j + 1] = col[j]!;
        j--;
      }
      col[j + 1] = v;
    }
    const m = n >> 1;
    out[p] = n % 2 ? col[m]! : (col[m - 1]! + col[m]!) / 2;
  }
  return out;
}

/** Scales a vector to sum 1 (all zeros stays zeros). */
export function normaliseSum(v: Float64Array): Float64Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]!;
  if (s > 0) for (let i = 0; i < v.length; i++) v[i]! /= s;
  return v;
}

/**
 * Frame weights in [0, 1] from RMS: frames well below the track's loud level count less, so a fade-out's
 * noise floor (whose chroma is still normalised to sum 1) does not vote like music.
 */
export function loudnessWeights(rms: Float32Array, frameCount: number): Float32Array {
  const n = Math.min(frameCount, rms.length);
  const w = new Float32Array(frameCount);
  if (n === 0) return w;
  const sorted = Float32Array.from(rms.subarray(0, n)).sort();
  const loud = sorted[Math.min(n - 1, Math.floor(0.9 * n))]!;
  if (!(loud > 1e-5)) return w;
  const ref = 0.1 * loud;
  for (let i = 0; i < n; i++) w[i] = Math.min(1, rms[i]! / ref);
  return w;
}
