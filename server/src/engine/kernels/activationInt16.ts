// What int16 LOGISTIC and TANH share (tflite-micro logistic_common.cc / tanh.cc Prepare and the
// reference integer_ops Logistic/Tanh on int16): the input multiplier and shift that put the
// input on a Q3.12 grid, and the look-up of sigmoid(i/24) with linear interpolation.

import { checkedLog2 } from '../fixedPoint';
import type { EngineTensor, KernelContext } from './kernel';

export interface Int16Rescale {
  /** 0 on the power-of-two path (3 << shift is then used at eval). */
  multiplier: number;
  leftShift: number;
}

/**
 * CalculateArithmeticOpData for int16: zero points 0, output scale 2^-15, and either a pure
 * power-of-two rescale (allowed shifts: `potShifts`) or a 15-bit multiplier of scale * 4096 * 3
 * doubled until it exceeds 32767 / 2.
 */
export function int16Rescale(
  ctx: KernelContext,
  input: EngineTensor,
  output: EngineTensor,
  potShifts: readonly number[],
): Int16Rescale {
  if (input.zeroPoint !== 0 || output.zeroPoint !== 0) ctx.fail('int16 input and output need zero points of 0');
  const inputIntegerBits = 3;
  const inLog2 = checkedLog2(input.scale);
  let leftShift = 15 - inputIntegerBits + inLog2.log2;
  let multiplier = 0;
  if (!(inLog2.isPowerOfTwo && potShifts.includes(leftShift))) {
    let m = input.scale * 4096 * 3;
    leftShift = 0;
    while (m <= 32767 / 2 && leftShift <= 30) {
      leftShift++;
      m *= 2;
    }
    multiplier = Math.trunc(m);
  }
  const outLog2 = checkedLog2(output.scale);
  if (!outLog2.isPowerOfTwo || outLog2.log2 !== -15) ctx.fail(`output scale ${output.scale} must be 2^-15`);
  return { multiplier, leftShift };
}

/** The rescaled input of the int16 kernels: (x * multiplier + round) >> shift. */
export function rescaleInt16Params(r: Int16Rescale): { multiplier: number; shift: number; round: number } {
  const multiplier = r.multiplier === 0 ? 3 << r.leftShift : r.multiplier;
  const shift = r.multiplier === 0 ? 0 : r.leftShift;
  return { multiplier, shift, round: shift > 0 ? 1 << (shift - 1) : 0 };
}
