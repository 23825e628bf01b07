// LOGISTIC (tflite-micro kernels/logistic.cc + logistic_common.cc): int8 through gemmlowp's
// fixed-point logistic on a Q4.27 input (range radius, multiplier and shift from Prepare, output
// zero point -128 at scale 1/256); int16 through the sigmoid look-up table with interpolation;
// float32 as reference_ops::Logistic.

import {
  SIGMOID_TABLE_UINT16,
  calculateInputRadius,
  fixedLogistic,
  frexp,
  multiplyByQuantizedMultiplier,
  roundingDivideByPOT,
  tfliteRound,
} from '../fixedPoint';
import { int16Rescale, rescaleInt16Params } from './activationInt16';
import { type Eval, type Kernel, type KernelContext } from './kernel';

const INPUT_INTEGER_BITS = 4;

export const logistic: Kernel = {
  prepare(ctx: KernelContext): Eval {
    const input = ctx.input(0);
    const output = ctx.output(0);
    if (input.dtype !== output.dtype) ctx.fail(`input ${input.dtype} and output ${output.dtype} differ`);
    if (input.data.length !== output.data.length) ctx.fail('input and output sizes differ');
    const n = output.data.length;

    if (input.dtype === 'float32') {
      const x = input.data as Float32Array;
      const y = output.data as Float32Array;
      const f = Math.fround;
      const cutoffUpper = f(16.619047164916992);
      // Not checked against a device: newlib's expf may differ from Math.exp by one ulp.
      return () => {
        for (let i = 0; i < n; i++) {
          const v = x[i];
          y[i] = v > cutoffUpper ? 1 : v < -9 ? f(Math.exp(v)) : f(1 / f(1 + f(Math.exp(-v))));
        }
      };
    }

    if (input.dtype === 'int8') {
      if (output.zeroPoint !== -128) ctx.fail(`output zero point must be -128, is ${output.zeroPoint}`);
      const real = input.scale * 2 ** (31 - INPUT_INTEGER_BITS);
      const { fraction, exponent: leftShift } = frexp(real);
      const multiplier = tfliteRound(fraction * 2 ** 31) | 0;
      const radius = calculateInputRadius(INPUT_INTEGER_BITS, leftShift, 31);
      const zeroPoint = input.zeroPoint;
      const x = input.data as Int8Array;
      const y = output.data as Int8Array;
      return () => {
        for (let i = 0; i < n; i++) {
          const v = x[i] - zeroPoint;
          if (v <= -radius) {
            y[i] = -128;
          } else if (v >= radius) {
            y[i] = 127;
          } else {
            const q4 = multiplyByQuantizedMultiplier(v, multiplier, leftShift);
            // Q0.31 to Q0.8 (1/256 steps), then the -128 zero point.
            const out = roundingDivideByPOT(fixedLogistic(q4, INPUT_INTEGER_BITS), 31 - 8) - 128;
            y[i] = out < -128 ? -128 : out > 127 ? 127 : out;
          }
        }
      };
    }

    if (input.dtype === 'int16') {
      const { multiplier, shift, round } = rescaleInt16Params(int16Rescale(ctx, input, output, [0]));
      const x = input.data as Int16Array;
      const y = output.data as Int16Array;
      return () => {
        for (let i = 0; i < n; i++) y[i] = logisticInt16(x[i], multiplier, shift, round);
      };
    }
    return ctx.fail(`input type ${input.dtype} not supported (supported: float32, int8, int16)`);
  },
};

/** reference_integer_ops::Logistic on one int16 value (also the LSTM's sigmoid gates). */
export function logisticInt16(x: number, multiplier: number, shift: number, round: number): number {
  const table = SIGMOID_TABLE_UINT16;
  const v = (x * multiplier + round) >> shift;
  const abs = v < 0 ? -v : v;
  const uh = abs >>> 9;
  let result: number;
  if (uh >= 255) {
    result = 0x7fff << 10;
  } else {
    const ua = table[uh];
    result = ua * 512 + (abs & 0x1ff) * (table[uh + 1] - ua);
  }
  result = v >= 0 ? result + 512 : (1 << 25) - result + 511;
  return result >>> 10;
}
