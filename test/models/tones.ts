// Test audio with known notes: piano-like tones (decaying harmonics) at 22050 Hz mono.

export interface KnownNote {
  midi: number;
  start: number;
  duration: number;
}

const hz = (midi: number): number => 440 * 2 ** ((midi - 69) / 12);

/** Additive tones: 3 harmonics (1/h²), 5 ms attack, exponential decay, 20 ms release; peak-normalised to 0.5. */
export function synthTones(notes: KnownNote[], seconds: number, sampleRate = 22050): Float32Array {
  const out = new Float32Array(Math.round(seconds * sampleRate));
  for (const n of notes) {
    const f = hz(n.midi);
    const s0 = Math.round(n.start * sampleRate);
    const len = Math.round(n.duration * sampleRate);
    for (let i = 0; i < len && s0 + i < out.length; i++) {
      const t = i / sampleRate;
      const env = Math.min(1, t / 0.005) * Math.exp(-1.5 * t) * Math.min(1, (len - i) / (0.02 * sampleRate));
      let v = 0;
      for (let h = 1; h <= 3; h++) if (f * h < sampleRate / 2) v += Math.sin(2 * Math.PI * f * h * t) / (h * h);
      out[s0 + i]! += env * v;
    }
  }
  let peak = 0;
  for (const v of out) peak = Math.max(peak, Math.abs(v));
  if (peak > 0) for (let i = 0; i < out.length; i++) out[i]! *= 0.5 / peak;
  return out;
}
