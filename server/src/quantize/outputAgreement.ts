// How far a candidate model's output 0 is from a reference's, accumulated sample after sample:
// what the quantizer's validation report and the pruner's accuracy cost both report.

export function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
  return best;
}

export class OutputAgreement {
  samples = 0;
  /** Samples whose arg-max is the same in both. */
  agree = 0;
  /** Sum of ref^2 and of (ref - candidate)^2 over every value: the SNR's two terms. */
  signal = 0;
  noise = 0;
  maxAbsError = 0;
  private sumAbs = 0;
  private values = 0;

  add(ref: ArrayLike<number>, got: ArrayLike<number>): void {
    this.samples++;
    if (argmax(ref) === argmax(got)) this.agree++;
    for (let i = 0; i < ref.length; i++) {
      const d = ref[i] - got[i];
      this.signal += ref[i] * ref[i];
      this.noise += d * d;
      const abs = Math.abs(d);
      if (abs > this.maxAbsError) this.maxAbsError = abs;
      this.sumAbs += abs;
      this.values++;
    }
  }

  /** Share of samples whose arg-max agrees (0 with no samples). */
  get top1Agreement(): number {
    return this.samples > 0 ? this.agree / this.samples : 0;
  }

  get meanAbsError(): number {
    return this.values > 0 ? this.sumAbs / this.values : 0;
  }
}
