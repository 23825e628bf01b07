// Fixed-capacity ring buffers for the plotter: one per series, (x, y) pairs in typed arrays, the
// oldest overwritten first. No allocation per sample, so 10,000 lines a second stay cheap.

export class RingBuffer {
  private readonly xs: Float64Array;
  private readonly ys: Float64Array;
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!(capacity > 0)) throw new Error('capacity must be positive');
    this.xs = new Float64Array(capacity);
    this.ys = new Float64Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  push(x: number, y: number): void {
    const at = (this.start + this.count) % this.capacity;
    this.xs[at] = x;
    this.ys[at] = y;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** The i-th oldest sample (0 = oldest). */
  x(i: number): number {
    return this.xs[(this.start + i) % this.capacity];
  }

  y(i: number): number {
    return this.ys[(this.start + i) % this.capacity];
  }

  clear(): void {
    this.start = 0;
    this.count = 0;
  }

  /** First index with x >= value (samples are pushed in increasing x). */
  lowerBound(value: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.x(mid) < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Min and max of y over samples with x in [from, to]; undefined when none (NaN/Inf ignored). */
  extent(from: number, to: number): [number, number] | undefined {
    let min = Infinity;
    let max = -Infinity;
    for (let i = this.lowerBound(from); i < this.count; i++) {
      if (this.x(i) > to) break;
      const y = this.y(i);
      if (!Number.isFinite(y)) continue;
      if (y < min) min = y;
      if (y > max) max = y;
    }
    return min <= max ? [min, max] : undefined;
  }

  toArray(): [number, number][] {
    const out: [number, number][] = [];
    for (let i = 0; i < this.count; i++) out.push([this.x(i), this.y(i)]);
    return out;
  }
}
