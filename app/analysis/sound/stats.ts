// Small statistics over frame series: mean and standard deviation, percentiles.
import type { Stat } from '../types.ts';

/** Running mean and population standard deviation (Welford 1962). */
export class RunningStat {
  private n = 0;
  private m = 0;
  private s = 0;

  add(x: number): void {
    this.n++;
    const d = x - this.m;
    this.m += d / this.n;
    this.s += d * (x - this.m);
  }

  get count(): number {
    return this.n;
  }

  stat(): Stat {
    return this.n === 0 ? { mean: 0, std: 0 } : { mean: this.m, std: Math.sqrt(Math.max(0, this.s / this.n)) };
  }
}

/** The p-th percentile (0..100) of the values, by linear interpolation between order statistics (numpy's default); 0 for none. */
export function percentile(values: Float32Array | Float64Array, p: number): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  const at = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (at - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Rounds to `digits` decimals (stored results stay small and stable). */
export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
