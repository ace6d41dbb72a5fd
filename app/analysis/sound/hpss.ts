// Harmonic/percussive separation by median filtering (Fitzgerald 2010, "Harmonic/percussive separation
// using median filtering"; soft Wiener masks as in librosa.decompose.hpss with power 2), run on the
// front end's 40-band mel spectrogram instead of the full-resolution STFT: the memory stays at
// bands × kernel, whatever the file's length, and the cost at frames × bands × kernel.

/** A sorted window of numbers with insertion and removal by value (a sliding median's state). */
class SortedWindow {
  private readonly values: Float64Array;
  private size = 0;

  constructor(capacity: number) {
    this.values = new Float64Array(capacity);
  }

  add(x: number): void {
    let i = this.size++;
    while (i > 0 && this.values[i - 1]! > x) {
      this.values[i] = this.values[i - 1]!;
      i--;
    }
    this.values[i] = x;
  }

  remove(x: number): void {
    let i = 0;
    while (i < this.size && this.values[i] !== x) i++;
    if (i === this.size) return;
    for (; i < this.size - 1; i++) this.values[i] = this.values[i + 1]!;
    this.size--;
  }

  /** The median (the upper one of an even count); 0 when empty. */
  median(): number {
    return this.size === 0 ? 0 : this.values[this.size >> 1]!;
  }

  clear(): void {
    this.size = 0;
  }
}

/**
 * Separates a log-mel spectrogram (frames × bands, dB) frame by frame, on every `stride`-th frame (the
 * separation needs sustained-versus-brief, not the front end's full 43 frames/s). For each frame used,
 * `visit(t, power, harmonicMask)` gets its linear band powers and the harmonic soft mask H²/(H² + P²) per
 * band, where H is the median over `timeKernel` used frames of the band (sustained partials) and P the
 * median over `freqKernel` bands of the frame (broadband clicks). Both kernels are odd.
 */
export function hpssMel(
  mel: Float32Array,
  frames: number,
  bands: number,
  timeKernel: number,
  freqKernel: number,
  stride: number,
  visit: (t: number, power: Float64Array, harmonicMask: Float64Array) => void,
): void {
  const used = Math.ceil(frames / stride);
  const halfT = timeKernel >> 1;
  const halfF = freqKernel >> 1;
  const windows = Array.from({ length: bands }, () => new SortedWindow(timeKernel + 1));
  // Linear powers of the used frames in the window, in a ring (each dB value is converted once).
  const ringRows = timeKernel + 2;
  const ring = new Float64Array(ringRows * bands);
  const load = (u: number) => {
    const at = (u % ringRows) * bands;
    const from = u * stride * bands;
    for (let b = 0; b < bands; b++) {
      ring[at + b] = 10 ** (mel[from + b]! / 10);
      windows[b]!.add(ring[at + b]!);
    }
  };
  const mask = new Float64Array(bands);
  // The frequency median slides along the bands of a frame: band b's kernel is [b − halfF, b + halfF] cut to the bands.
  const across = new SortedWindow(freqKernel + 1);
  for (let u = 0; u < Math.min(used, halfT + 1); u++) load(u);
  for (let u = 0; u < used; u++) {
    const row = ring.subarray((u % ringRows) * bands, (u % ringRows + 1) * bands);
    across.clear();
    for (let k = 0; k < Math.min(bands, halfF); k++) across.add(row[k]!);
    for (let b = 0; b < bands; b++) {
      if (b + halfF < bands) across.add(row[b + halfF]!);
      if (b - halfF - 1 >= 0) across.remove(row[b - halfF - 1]!);
      const h = windows[b]!.median();
      const p = across.median();
      const h2 = h * h;
      const p2 = p * p;
      mask[b] = h2 + p2 > 0 ? h2 / (h2 + p2) : 0.5;
    }
    visit(u * stride, row, mask);
    const outgoing = u - halfT;
    if (outgoing >= 0) {
      const at = (outgoing % ringRows) * bands;
      for (let b = 0; b < bands; b++) windows[b]!.remove(ring[at + b]!);
    }
    if (u + halfT + 1 < used) load(u + halfT + 1);
  }
}
