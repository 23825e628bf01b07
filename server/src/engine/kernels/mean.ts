// MEAN (tflite-micro kernels/reduce.cc + reduce_common.cc, reference QuantizedMeanOrSum and Mean):
// sums over the constant axes, then int8/int16 rescale once: the in/out multiplier is divided by
// the element count N after a left shift of floor(log2 N) (at most 32, and at most 31 + shift)
// and applied to sum - zero_point * N. float32 sums in input order and divides in float32.

import { multiplyByQuantizedMultiplier, quantizeMultiplier } from '../fixedPoint';
import {
  type Eval,
  type Kernel,
  type KernelContext,
  constantInt32,
  elementCountOf,
  quantizedRange,
  stridesOf,
} from './kernel';

export const mean: Kernel = {
  prepare(ctx: KernelContext): Eval {
    if (ctx.inputCount() !== 2) ctx.fail(`expects 2 inputs, has ${ctx.inputCount()}`);
    const input = ctx.input(0);
    const axes = constantInt32(ctx, ctx.input(1), 'axis');
    const output = ctx.output(0);
    if (input.dtype !== output.dtype) ctx.fail(`input ${input.dtype} and output ${output.dtype} differ`);
    const rank = input.shape.length;
    // ResolveAxis: negative axes count from the end, duplicates collapse.
    const reduced = new Set<number>();
    for (const a of axes) {
      const axis = a < 0 ? a + rank : a;
      if (axis < 0 || axis >= rank) ctx.fail(`axis ${a} is out of range for rank ${rank}`);
      reduced.add(axis);
    }
    const outCount = elementCountOf(output.shape);
    let keptCount = 1;
    for (let d = 0; d < rank; d++) if (!reduced.has(d)) keptCount *= input.shape[d];
    if (keptCount !== outCount) ctx.fail(`output has ${outCount} elements, the reduction gives ${keptCount}`);
    const inCount = elementCountOf(input.shape);
    const count = outCount > 0 ? inCount / outCount : 0;

    // Output index of each input element (row-major over the kept dimensions).
    const keptStrides = new Array<number>(rank).fill(0);
    let stride = 1;
    for (let d = rank - 1; d >= 0; d--) {
      if (!reduced.has(d)) {
        keptStrides[d] = stride;
        stride *= input.shape[d];
      }
    }
    const inStrides = stridesOf(input.shape);
    const target = new Int32Array(inCount);
    for (let k = 0; k < inCount; k++) {
      let rest = k;
      let at = 0;
      for (let d = 0; d < rank; d++) {
        const p = Math.floor(rest / inStrides[d]);
        rest -= p * inStrides[d];
        at += p * keptStrides[d];
      }
      target[k] = at;
    }

    if (input.dtype === 'float32') {
      const x = input.data as Float32Array;
      const y = output.data as Float32Array;
      const f = Math.fround;
      return () => {
        y.fill(0);
        for (let k = 0; k < inCount; k++) y[target[k]] = f(y[target[k]] + x[k]);
        if (count > 0) for (let i = 0; i < outCount; i++) y[i] = f(y[i] / count);
      };
    }

    if (input.dtype === 'int8' || input.dtype === 'int16') {
      const { min, max } = quantizedRange(input.dtype)!;
      const q = quantizeMultiplier(input.scale / output.scale);
      let multiplier = q.multiplier;
      let shift = q.shift;
      if (count > 0) {
        // 63 - CountLeadingZeros(N) = floor(log2 N); the int64 product and quotient via BigInt.
        let s = Math.floor(Math.log2(count));
        while (2 ** (s + 1) <= count) s++;
        while (2 ** s > count) s--;
        s = Math.min(s, 32, 31 + shift);
        multiplier = Number(BigInt.asIntN(32, (BigInt(multiplier) << BigInt(s)) / BigInt(count)));
        shift -= s;
      }
      const zeroPointTimesCount = input.zeroPoint * count;
      const outputZeroPoint = output.zeroPoint;
      const x = input.data as Int8Array | Int16Array;
      const y = output.data as Int8Array | Int16Array;
      const sums = new Int32Array(outCount);
      return () => {
        sums.fill(0);
        if (count === 0) {
          y.fill(0);
          return;
        }
        for (let k = 0; k < inCount; k++) sums[target[k]] += x[k];
        for (let i = 0; i < outCount; i++) {
          let v = multiplyByQuantizedMultiplier((sums[i] - zeroPointTimesCount) | 0, multiplier, shift) + outputZeroPoint;
          v = v < min ? min : v > max ? max : v;
          y[i] = v;
        }
      };
    }
    return ctx.fail(`input type ${input.dtype} not supported (supported: float32, int8, int16)`);
  },
};
