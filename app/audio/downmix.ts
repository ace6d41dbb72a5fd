// Downmix to mono: the plain average of all channels, (c0 + c1 + … + cN−1) / N, for any channel count
// (5.1 and 7.1 included, LFE counted like any other channel). No pan law or centre boost: the analysis
// wants every instrument, wherever it is panned, at its relative level, and the average can't clip.
// Caveat: a channel in antiphase with another (e.g. a stereo pair with one side inverted) cancels.

/** Average of `channels[c][0..length)` over c: one mono array of `length` samples. */
export function downmix(channels: readonly Float32Array[], length: number): Float32Array {
  const out = new Float32Array(length);
  const n = channels.length;
  if (n === 0) return out;
  if (n === 1) {
    out.set(channels[0]!.subarray(0, length));
    return out;
  }
  if (n === 2) {
    const l = channels[0]!;
    const r = channels[1]!;
    for (let i = 0; i < length; i++) out[i] = (l[i]! + r[i]!) * 0.5;
    return out;
  }
  for (const ch of channels) for (let i = 0; i < length; i++) out[i]! += ch[i]!;
  const g = 1 / n;
  for (let i = 0; i < length; i++) out[i]! *= g;
  return out;
}
