// An append-only Float32Array that grows by half its size when full (frame features of files of any length).

export class GrowableFloat32Array {
  private data: Float32Array;
  private used = 0;

  constructor(initialCapacity = 1024) {
    this.data = new Float32Array(Math.max(16, Math.ceil(initialCapacity)));
  }

  get length(): number {
    return this.used;
  }

  /** Makes room for `n` more values and returns the offset where they go (the caller writes them). */
  reserve(n: number): number {
    const need = this.used + n;
    if (need > this.data.length) {
      const next = new Float32Array(Math.max(need, Math.ceil(this.data.length * 1.5)));
      next.set(this.data.subarray(0, this.used));
      this.data = next;
    }
    const at = this.used;
    this.used = need;
    return at;
  }

  push(value: number): void {
    this.data[this.reserve(1)] = value;
  }

  /** The backing store (valid until the next reserve/push); values live in [0, length). */
  raw(): Float32Array {
    return this.data;
  }

  /** A right-sized copy of the values. */
  toArray(): Float32Array {
    return this.data.slice(0, this.used);
  }
}
