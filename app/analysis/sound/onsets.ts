// Onset picking on the onset-strength envelope (librosa.onset.onset_detect / util.peak_pick, after
// Böck, Krebs & Schedl 2012): a local maximum of the normalised envelope, above its local mean by a
// margin, at least `wait` frames after the previous onset.

export interface PeakPickOptions {
  /** Frames before/after that the peak must be the maximum of. */
  preMax: number;
  postMax: number;
  /** Frames before/after averaged for the local mean. */
  preAvg: number;
  postAvg: number;
  /** Margin above the local mean, in units of the envelope's maximum. */
  delta: number;
  /** Frames to wait after an onset. */
  wait: number;
}

/** librosa's onset_detect defaults at ~43 frames/s: 30 ms max window, 100 ms mean windows, δ = 0.07, 30 ms wait. */
export function defaultPeakPick(frameRate: number): PeakPickOptions {
  const f = (s: number) => Math.max(1, Math.round(s * frameRate));
  return { preMax: f(0.03), postMax: 1, preAvg: f(0.1), postAvg: f(0.1) + 1, delta: 0.07, wait: f(0.03) };
}

/** Frame indices of the onsets in an onset-strength envelope (non-finite values count as 0). */
export function pickOnsets(envelope: Float32Array, opts: PeakPickOptions): number[] {
  const n = envelope.length;
  let max = 0;
  for (let i = 0; i < n; i++) if (envelope[i]! > max) max = envelope[i]!;
  if (!(max > 0) || !Number.isFinite(max)) return [];
  const x = (i: number) => {
    const v = envelope[i]!;
    return Number.isFinite(v) && v > 0 ? v / max : 0;
  };
  // Prefix sums for the local means.
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i]! + x(i);
  const onsets: number[] = [];
  let last = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = x(i);
    if (v <= 0 || i - last <= opts.wait) continue;
    let isMax = true;
    for (let j = Math.max(0, i - opts.preMax); j < Math.min(n, i + opts.postMax) && isMax; j++) if (x(j) > v) isMax = false;
    if (!isMax) continue;
    const a = Math.max(0, i - opts.preAvg);
    const b = Math.min(n, i + opts.postAvg);
    const mean = (prefix[b]! - prefix[a]!) / (b - a);
    if (v < mean + opts.delta) continue;
    onsets.push(i);
    last = i;
  }
  return onsets;
}
