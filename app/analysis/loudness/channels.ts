// Channel weights G_i of ITU-R BS.1770-4 (Annex 1, Table 3 and Table 4 by azimuth): front channels
// 1.0, surround channels (azimuth 60°–120°, e.g. 5.1's Ls/Rs at ±110°) 1.41, LFE left out (0).
// Channels come in WAV/SMPTE order (see app/audio/channelOrder.ts).

/** Weights for `count` channels in WAV order; counts without a standard layout (9+) weigh every channel 1.0. */
export function channelWeights(count: number): number[] {
  switch (count) {
    case 1: // mono
      return [1];
    case 2: // L R
      return [1, 1];
    case 3: // L R C
      return [1, 1, 1];
    case 4: // quad: L R Ls Rs (rear pair treated as surrounds, as libebur128 does)
      return [1, 1, 1.41, 1.41];
    case 5: // 5.0: L R C Ls Rs
      return [1, 1, 1, 1.41, 1.41];
    case 6: // 5.1: L R C LFE Ls Rs
      return [1, 1, 1, 0, 1.41, 1.41];
    case 7: // 6.1: L R C LFE Cs Ls Rs (back centre at 180°: 1.0; sides at ±90°: 1.41)
      return [1, 1, 1, 0, 1, 1.41, 1.41];
    case 8: // 7.1: L R C LFE Lb Rb Ls Rs (backs at ±135–150°: 1.0; sides at ±90°: 1.41)
      return [1, 1, 1, 0, 1, 1, 1.41, 1.41];
    default:
      return Array.from({ length: count }, () => 1);
  }
}
