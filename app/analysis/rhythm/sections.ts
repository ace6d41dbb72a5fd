// Rhythm of a long recording whose tempo changes too much for one global estimate (a DJ mix with
// tempo changes, a live album or a medley in one file): over an hour of songs at different tempi, the
// autocorrelation of the whole onset envelope averages to no clear period. Each window is analysed on
// its own (the same tempo estimate and Ellis 2007 beat tracker as a song) and the windows are stitched:
// beats and downbeats in order, a tempo curve of the windows' tempi, the global tempo as their
// duration-weighted median and the meter of the longest share.
import type { FrontEndFeatures, Meter, RhythmResult } from '../types.ts';

/** Length of one window (s): long enough for a tempo estimate (dozens of beats), short enough for one song. */
export const SECTION_SECONDS = 30;
/** Windows with a pulse must cover at least this share of the recording, else it has no rhythm to report. */
const MIN_COVERAGE = 0.5;

/** The frames [f0, f1) of `fe` as features of their own (views, no copies); times restart at 0. */
export function sliceFrontEnd(fe: FrontEndFeatures, f0: number, f1: number): FrontEndFeatures {
  const a = Math.max(0, Math.min(fe.frameCount, Math.floor(f0)));
  const b = Math.max(a, Math.min(fe.frameCount, Math.floor(f1)));
  const rows = (x: Float32Array, width: number) => x.subarray(a * width, b * width);
  return {
    ...fe,
    frameCount: b - a,
    durationSec: (b - a) / fe.frameRate,
    onset: rows(fe.onset, 1),
    rms: rows(fe.rms, 1),
    chromaTreble: rows(fe.chromaTreble, 12),
    chromaBass: rows(fe.chromaBass, 12),
    mel: rows(fe.mel, fe.melBands),
    spectralCentroid: rows(fe.spectralCentroid, 1),
    spectralRolloff: rows(fe.spectralRolloff, 1),
    spectralFlatness: rows(fe.spectralFlatness, 1),
    spectralContrast: rows(fe.spectralContrast, fe.contrastBands),
  };
}

/** Frame ranges of the windows: SECTION_SECONDS each, a short remainder joined to the window before it. */
export function sectionFrames(frameCount: number, frameRate: number, seconds = SECTION_SECONDS): [number, number][] {
  const w = Math.max(1, Math.round(seconds * frameRate));
  const out: [number, number][] = [];
  for (let f = 0; f < frameCount; f += w) out.push([f, Math.min(frameCount, f + w)]);
  const last = out.at(-1);
  if (out.length > 1 && last && last[1] - last[0] < w / 2) {
    out.pop();
    out[out.length - 1]![1] = frameCount;
  }
  return out;
}

/**
 * Rhythm of `fe` window by window with `analyse` (the whole-song analysis), stitched into one result;
 * null when the windows with a pulse cover under half the recording.
 */
export function rhythmBySections(fe: FrontEndFeatures, analyse: (fe: FrontEndFeatures) => RhythmResult, seconds = SECTION_SECONDS): RhythmResult | null {
  const fps = fe.frameRate;
  const parts = sectionFrames(fe.frameCount, fps, seconds).map(([f0, f1]) => ({ t0: f0 / fps, dur: (f1 - f0) / fps, r: analyse(sliceFrontEnd(fe, f0, f1)) }));
  const withPulse = parts.filter((p) => p.r.bpm > 0 && p.r.beats.length >= 2);
  const total = parts.reduce((s, p) => s + p.dur, 0);
  const covered = withPulse.reduce((s, p) => s + p.dur, 0);
  if (total <= 0 || covered / total < MIN_COVERAGE) return null;

  // Beats in order; a window's first beat closer than half a beat to the previous window's last is the same beat.
  const beats: number[] = [];
  const downbeats: number[] = [];
  for (const p of withPulse) {
    const half = 30 / p.r.bpm;
    const down = new Set(p.r.downbeats);
    for (const b of p.r.beats) {
      const t = p.t0 + b;
      if (beats.length > 0 && t - beats[beats.length - 1]! < half) continue;
      beats.push(round3(t));
      if (down.has(b)) downbeats.push(round3(t));
    }
  }
  const bpm = weightedMedian(withPulse.map((p) => ({ value: p.r.bpm, weight: p.dur })));
  const meterShare = new Map<Meter, number>();
  for (const p of withPulse) meterShare.set(p.r.meter, (meterShare.get(p.r.meter) ?? 0) + p.dur);
  const meter = [...meterShare.entries()].sort((x, y) => y[1] - x[1])[0]![0];
  const ofMeter = withPulse.filter((p) => p.r.meter === meter);
  const share = meterShare.get(meter)! / total;
  const confidence = withPulse.reduce((s, p) => s + p.r.confidence * p.dur, 0) / total;
  const meterConfidence = (ofMeter.reduce((s, p) => s + p.r.meterConfidence * p.dur, 0) / Math.max(1e-9, meterShare.get(meter)!)) * share;
  return {
    bpm: Math.round(bpm * 100) / 100,
    confidence: round3(confidence),
    tempoCurve: withPulse.map((p) => ({ time: round3(p.t0 + p.dur / 2), bpm: p.r.bpm })),
    beats,
    downbeats,
    meter,
    beatsPerBar: ofMeter[0]!.r.beatsPerBar,
    meterConfidence: round3(meterConfidence),
  };
}

/** The value at which the cumulative weight reaches half the total (values sorted ascending). */
export function weightedMedian(items: readonly { value: number; weight: number }[]): number {
  const sorted = [...items].sort((a, b) => a.value - b.value);
  const half = sorted.reduce((s, x) => s + x.weight, 0) / 2;
  let acc = 0;
  for (const x of sorted) {
    acc += x.weight;
    if (acc >= half) return x.value;
  }
  return sorted.at(-1)?.value ?? 0;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
