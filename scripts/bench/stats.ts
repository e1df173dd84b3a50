/** Latency bookkeeping shared by the load driver and the store benchmark. */

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Two decimals are plenty for milliseconds and rates; toFixed keeps the output readable. */
export const twoDecimals = (value: number): number => Number(value.toFixed(2));

/** Nearest-rank percentile of an ascending array; NaN when empty. */
export function percentile(sorted: ArrayLike<number>, quantile: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(quantile * sorted.length)));
  return sorted[rank - 1];
}

/** Collects samples in a growable typed array (a minute of load is a few hundred thousand samples). */
export class SampleRecorder {
  private samples = new Float64Array(1 << 14);
  private size = 0;

  add(value: number): void {
    if (this.size === this.samples.length) {
      const grown = new Float64Array(this.samples.length * 2);
      grown.set(this.samples);
      this.samples = grown;
    }
    this.samples[this.size++] = value;
  }

  get count(): number {
    return this.size;
  }

  sorted(): Float64Array {
    return this.samples.slice(0, this.size).sort();
  }

  /** null when nothing was recorded, so that "no data" never reads as a figure. */
  percentiles(): Percentiles | null {
    if (this.size === 0) return null;
    const sorted = this.sorted();
    return {
      p50: twoDecimals(percentile(sorted, 0.5)),
      p95: twoDecimals(percentile(sorted, 0.95)),
      p99: twoDecimals(percentile(sorted, 0.99)),
      max: twoDecimals(sorted[sorted.length - 1]),
    };
  }
}

/** Milliseconds since an arbitrary origin, monotonic. */
export const nowMs = (): number => performance.now();
