// SOFTMAX (tflite-micro kernels/softmax.cc + softmax_common.cc, reference Softmax): int8 -> int8/int16
// through gemmlowp's fixed-point exp on negative values (input multiplier, left shift and
// diff_min precomputed as CalculateSoftmaxParams does), int16 -> int16 through look-up tables
// (softmaxInt16.ts), and float32.

import {
  calculateInputRadius,
  expOnNegativeValues,
  getReciprocal,
  multiplyByQuantizedMultiplierGreaterThanOne,
  preprocessSoftmaxScaling,
  roundingDivideByPOT,
  saturatingRoundingDoublingHighMul,
} from '../fixedPoint';
import { type Eval, type Kernel, type KernelContext, numberOption } from './kernel';
import { prepareSoftmaxInt16 } from './softmaxInt16';

/** Q5.26 for the scaled input differences, Q12.19 for the sum of exponentials. */
const SCALED_DIFF_INTEGER_BITS = 5;
const ACCUMULATION_INTEGER_BITS = 12;

export const softmax: Kernel = {
  prepare(ctx: KernelContext): Eval {
    if (ctx.inputCount() !== 1) ctx.fail(`expects 1 input, has ${ctx.inputCount()}`);
    const input = ctx.input(0);
    const output = ctx.output(0);
    if (input.shape.length < 1) ctx.fail('input must have rank >= 1');
    const depth = input.shape[input.shape.length - 1];
    const outer = depth > 0 ? input.data.length / depth : 0;
    if (output.data.length !== input.data.length) ctx.fail('input and output sizes differ');
    const beta = numberOption(ctx, 'beta', 1);

    if (input.dtype === 'float32') {
      if (output.dtype !== 'float32') ctx.fail(`output type ${output.dtype} not supported for float32 input`);
      const x = input.data as Float32Array;
      const y = output.data as Float32Array;
      const betaF = Math.fround(beta);
      // Not checked against a device: newlib's expf may differ from a correctly rounded
      // Math.exp by one ulp. The float32 order of operations is the reference's.
      return () => {
        const f = Math.fround;
        for (let i = 0; i < outer; i++) {
          const base = i * depth;
          let max = -3.4028234663852886e38;
          for (let c = 0; c < depth; c++) max = max < x[base + c] ? x[base + c] : max;
          let sum = 0;
          for (let c = 0; c < depth; c++) {
            const e = f(Math.exp(f(f(x[base + c] - max) * betaF)));
            y[base + c] = e;
            sum = f(sum + e);
          }
          for (let c = 0; c < depth; c++) y[base + c] = f(y[base + c] / sum);
        }
      };
    }

    if (input.dtype === 'int8') {
      // int8 -> int8 (zero point -128, scale 1/256) or int8 -> int16 (zero point -32768, scale
      // within 0.1% of 1/65536): the same exp and reciprocal, rescaled to the output's width.
      let outputBits: number;
      if (output.dtype === 'int8') {
        if (output.zeroPoint !== -128) ctx.fail(`output zero point must be -128, is ${output.zeroPoint}`);
        if (output.scale !== 1 / 256) ctx.fail(`output scale must be 1/256, is ${output.scale}`);
        outputBits = 8;
      } else if (output.dtype === 'int16') {
        if (output.zeroPoint !== -32768) ctx.fail(`output zero point must be -32768, is ${output.zeroPoint}`);
        const f = Math.fround;
        // TF_LITE_ENSURE_NEAR in float32: |scale - 1/65536| <= 0.001 / 65536.
        if (!(Math.abs(f(output.scale - f(1 / 65536))) <= f(f(0.001) * f(1 / 65536)))) {
          ctx.fail(`output scale must be 1/65536, is ${output.scale}`);
        }
        outputBits = 16;
      } else {
        return ctx.fail(`output type ${output.dtype} not supported for int8 input (supported: int8, int16)`);
      }
      const outMin = -(2 ** (outputBits - 1));
      const outMax = 2 ** (outputBits - 1) - 1;
      const { multiplier, shift: leftShift } = preprocessSoftmaxScaling(beta, input.scale, SCALED_DIFF_INTEGER_BITS);
      const diffMin = -calculateInputRadius(SCALED_DIFF_INTEGER_BITS, leftShift);
      const x = input.data as Int8Array;
      const y = output.data as Int8Array | Int16Array;
      return () => {
        for (let i = 0; i < outer; i++) {
          const base = i * depth;
          let maxInRow = -128;
          for (let c = 0; c < depth; c++) maxInRow = maxInRow < x[base + c] ? x[base + c] : maxInRow;
          let sumOfExps = 0; // Q12.19
          for (let c = 0; c < depth; c++) {
            const diff = x[base + c] - maxInRow;
            if (diff >= diffMin) {
              const scaled = multiplyByQuantizedMultiplierGreaterThanOne(diff, multiplier, leftShift);
              const exp = expOnNegativeValues(scaled, SCALED_DIFF_INTEGER_BITS);
              sumOfExps = (sumOfExps + roundingDivideByPOT(exp, ACCUMULATION_INTEGER_BITS)) | 0; // Rescale<12>
            }
          }
          const reciprocal = getReciprocal(sumOfExps, ACCUMULATION_INTEGER_BITS);
          const exponent = reciprocal.numBitsOverUnit + 31 - outputBits;
          for (let c = 0; c < depth; c++) {
            const diff = x[base + c] - maxInRow;
            if (diff >= diffMin) {
              const scaled = multiplyByQuantizedMultiplierGreaterThanOne(diff, multiplier, leftShift);
              const exp = expOnNegativeValues(scaled, SCALED_DIFF_INTEGER_BITS);
              const unsat = roundingDivideByPOT(saturatingRoundingDoublingHighMul(reciprocal.scale, exp), exponent);
              const shifted = unsat + outMin;
              y[base + c] = shifted > outMax ? outMax : shifted < outMin ? outMin : shifted;
            } else {
              y[base + c] = outMin;
            }
          }
        }
      };
    }
    if (input.dtype === 'int16') return prepareSoftmaxInt16(ctx, input, output, beta, depth, outer);
    return ctx.fail(`input type ${input.dtype} not supported (supported: float32, int8, int16)`);
  },
};
