// The constants of search's ranking, shared by the SQL path (engine.ts) and the column scan
// (columnScan.ts) so both score a track the same.

/** Strength of a device: Σ seconds × confidence squashed to 0..1 (8 s of sure evidence → 0.5). */
export const STRENGTH_HALF = 8;

/** Descriptor thresholds: 0..1 descriptors count as high ≥ 0.6 and low ≤ 0.4; loudness in LUFS. */
export const DESCRIPTOR_RANGE = {
  unit: { high: 0.6, low: 0.4 },
  loudness: { high: -10, low: -18 },
};
