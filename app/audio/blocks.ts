// Cuts a stream of sample arrays of any length into blocks of one fixed size.

/** Fills fixed-size blocks from pieces of any length. */
export class BlockAssembler {
  private block: Float32Array;
  private fill = 0;
  constructor(private readonly size: number) {
    this.block = new Float32Array(size);
  }

  /** The blocks completed by `data`. */
  push(data: Float32Array): Float32Array[] {
    const full: Float32Array[] = [];
    let i = 0;
    while (i < data.length) {
      const n = Math.min(this.size - this.fill, data.length - i);
      this.block.set(data.subarray(i, i + n), this.fill);
      this.fill += n;
      i += n;
      if (this.fill === this.size) {
        full.push(this.block);
        this.block = new Float32Array(this.size);
        this.fill = 0;
      }
    }
    return full;
  }

  /** The last, partial block (null if empty). */
  end(): Float32Array | null {
    return this.fill ? this.block.slice(0, this.fill) : null;
  }
}

