// TANH (tflite-micro kernels/tanh.cc): int8 through gemmlowp's fixed-point tanh on a Q4.27 input
// (range radius, multiplier and shift as in Prepare; the result is Q0.7, no output zero point);
// int16 through the sigmoid look-up table, tanh(x) = 2 sigmoid(2x) - 1; float32 as std::tanh.

import {
  SIGMOID_TABLE_UINT16,
  calculateInputRadius,
  fixedTanh,
  frexp,
  multiplyByQuantizedMultiplier,
  roundingDivideByPOT,
  tfliteRound,
} from '../fixedPoint';
import { int16Rescale, rescaleInt16Params } from './activationInt16';
import { type Eval, type Kernel, type KernelContext } from './kernel';

const INPUT_INTEGER_BITS = 4;

export const tanh: Kernel = {
  prepare(ctx: KernelContext): Eval {
    if (ctx.inputCount() !== 1) ctx.fail(`expects 1 input, has ${ctx.inputCount()}`);
    const input = ctx.input(0);
    const output = ctx.output(0);
    if (input.dtype !== output.dtype) ctx.fail(`input ${input.dtype} and output ${output.dtype} differ`);
    if (input.data.length !== output.data.length) ctx.fail('input and output sizes differ');
    const n = output.data.length;

    if (input.dtype === 'float32') {
      const x = input.data as Float32Array;
      const y = output.data as Float32Array;
      // Not checked against a device: newlib's tanhf may differ from Math.tanh by one ulp.
      return () => {
        for (let i = 0; i < n; i++) y[i] = Math.tanh(x[i]);
      };
    }

    if (input.dtype === 'int8') {
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
            const out = roundingDivideByPOT(fixedTanh(q4, INPUT_INTEGER_BITS), 31 - 7);
            y[i] = out < -128 ? -128 : out > 127 ? 127 : out;
          }
        }
      };
    }

    if (input.dtype === 'int16') {
      const { multiplier, shift, round } = rescaleInt16Params(int16Rescale(ctx, input, output, [0, 1]));
      const x = input.data as Int16Array;
      const y = output.data as Int16Array;
      return () => {
        for (let i = 0; i < n; i++) y[i] = tanhInt16(x[i], multiplier, shift, round);
      };
    }
    return ctx.fail(`input type ${input.dtype} not supported (supported: float32, int8, int16)`);
  },
};

/** reference_integer_ops::Tanh on one int16 value (also the LSTM's cell and gate tanh). */
export function tanhInt16(x: number, multiplier: number, shift: number, round: number): number {
  const table = SIGMOID_TABLE_UINT16;
  const v = (x * multiplier + round) >> shift;
  const abs = v < 0 ? -v : v;
  const uh = abs >>> 8;
  let result: number;
  if (uh >= 255) {
    result = 0xffff << 8;
  } else {
    const ua = table[uh];
    result = ua * 256 + (abs & 0xff) * (table[uh + 1] - ua);
  }
  result = v >= 0 ? result - (1 << 23) + (1 << 7) : -result + (1 << 23) + (1 << 7) - 1;
  return result >> 8;
}
