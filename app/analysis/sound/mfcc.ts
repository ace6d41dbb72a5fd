// MFCCs from log-mel rows: DCT-II with orthonormal scaling of the dB band powers (Davis & Mermelstein 1980;
// librosa.feature.mfcc with norm='ortho').

export const MFCC_COUNT = 13;

/** The DCT-II basis, coefficients × bands, orthonormal (scipy.fft.dct(type=2, norm='ortho')). */
export function dctBasis(coefficients: number, bands: number): Float64Array {
  const basis = new Float64Array(coefficients * bands);
  for (let c = 0; c < coefficients; c++) {
    const scale = Math.sqrt((c === 0 ? 1 : 2) / bands);
    for (let b = 0; b < bands; b++) basis[c * bands + b] = scale * Math.cos((Math.PI * c * (2 * b + 1)) / (2 * bands));
  }
  return basis;
}

/** librosa.power_to_db's top_db: band levels are clipped at the track's loudest band level minus 80 dB. */
export const MFCC_TOP_DB = 80;

/**
 * MFCC 0 … coefficients − 1 of one log-mel row (dB) at mel[at … at + bands), into out, with every level
 * raised to at least `floorDb` (the track's loudest level − MFCC_TOP_DB: a gain change then moves only MFCC 0).
 */
export function mfccRow(mel: Float32Array, at: number, bands: number, floorDb: number, basis: Float64Array, out: Float64Array): void {
  const coefficients = out.length;
  for (let c = 0; c < coefficients; c++) {
    let s = 0;
    const row = c * bands;
    for (let b = 0; b < bands; b++) {
      const v = mel[at + b]!;
      s += basis[row + b]! * (v > floorDb ? v : floorDb);
    }
    out[c] = s;
  }
}
