// A crude synthetic singer for tests: a harmonic source shaped by vowel formants (Peterson & Barney 1952
// averages), with 5.5 Hz vibrato, one syllable per note, sung over a melody.

const VOWELS: readonly (readonly [number, number, number])[] = [
  [730, 1090, 2440], // a
  [530, 1840, 2480], // e
  [270, 2290, 3010], // i
  [570, 840, 2410], // o
  [300, 870, 2240], // u
];

/** Gain of a formant resonance (bandwidth 10 % of its frequency, at least 80 Hz) at frequency f. */
function resonance(f: number, centre: number): number {
  const bw = Math.max(80, 0.1 * centre);
  return 1 / Math.sqrt(1 + ((f - centre) / (bw / 2)) ** 2);
}

/** `seconds` of singing at `sampleRate`, peak about `amp`; notes of `noteSec` on a pentatonic melody around A3. */
export function singer(seconds: number, sampleRate: number, amp = 0.3, noteSec = 0.5): Float32Array {
  const out = new Float32Array(Math.round(seconds * sampleRate));
  const scale = [0, 2, 4, 7, 9, 12, 9, 7];
  let phase = 0;
  for (let i = 0; i < out.length; i++) {
    const t = i / sampleRate;
    const note = Math.floor(t / noteSec);
    const inNote = t - note * noteSec;
    const midi = 57 + scale[note % scale.length]!;
    const vibrato = 0.3 * Math.sin(2 * Math.PI * 5.5 * t) * Math.min(1, inNote / 0.15);
    const f0 = 440 * 2 ** ((midi + vibrato - 69) / 12);
    phase += (2 * Math.PI * f0) / sampleRate;
    const vowel = VOWELS[note % VOWELS.length]!;
    let s = 0;
    for (let h = 1; h * f0 < 4500; h++) {
      const f = h * f0;
      const g = (resonance(f, vowel[0]) + 0.7 * resonance(f, vowel[1]) + 0.5 * resonance(f, vowel[2])) / h ** 0.5;
      s += g * Math.sin(h * phase);
    }
    // Syllable: 40 ms attack, sustain, 60 ms release before the next note.
    const env = Math.min(1, inNote / 0.04, Math.max(0, (noteSec - inNote) / 0.06));
    out[i] = s * env;
  }
  let peak = 0;
  for (const x of out) peak = Math.max(peak, Math.abs(x));
  for (let i = 0; i < out.length; i++) out[i] = (out[i]! / peak) * amp;
  return out;
}
