// int16 SOFTMAX (tflite-micro softmax_common.cc CalculateSoftmaxParams + reference SoftmaxInt16):
// int16 in (zero point 0) -> int16 out (scale 1/32768, zero point 0). Differences to the row
// maximum are rescaled so that [-65535, 0] spans [-10, 0], exponentiated through a 513-entry
// exp table, summed in Q16.15, and divided through a 1/(1 + x) table on the sum's normalized
// mantissa. Both tables are built once at prepare time, as TFLM's Prepare does.

import { multiplyByQuantizedMultiplier, quantizeMultiplier } from '../fixedPoint';
import type { EngineTensor, Eval, KernelContext } from './kernel';
import { lutLookupInt16, populateLutInt16 } from './lutInt16';

const f = Math.fround;
/** int16 max - int16 min: the width both tables are defined over. */
const RANGE = 65535;

/** exp over [-10, 0] (input zero point 32767: q = 32767 is x = 0), output on a 2/65535 grid. */
export function softmaxExpLut(): Int16Array {
  return populateLutInt16(f(10 / RANGE), 32767, f(2 / RANGE), 0, (x) => f(Math.exp(x)));
}

/** 1 / (1 + x) over [0, 1] (input zero point -32768: q = -32768 is x = 0). */
export function softmaxOneOverOnePlusXLut(): Int16Array {
  return populateLutInt16(f(1 / RANGE), -32768, f(2 / RANGE), 0, (x) => f(1 / f(1 + x)));
}

/**
 * The multiplier that maps an int16 input difference onto the exp table's grid:
 * double(input scale) * double(beta) / (10 / 65535), through QuantizeMultiplier.
 */
export function softmaxInt16InputMultiplier(inputScale: number, beta: number): { multiplier: number; shift: number } {
  return quantizeMultiplier((f(inputScale) * f(beta)) / (10.0 / 65535.0));
}

export function prepareSoftmaxInt16(
  ctx: KernelContext,
  input: EngineTensor,
  output: EngineTensor,
  beta: number,
  depth: number,
  outer: number,
): Eval {
  if (output.dtype !== 'int16') ctx.fail(`output type ${output.dtype} not supported for int16 input (supported: int16)`);
  if (input.zeroPoint !== 0) ctx.fail(`input zero point must be 0, is ${input.zeroPoint}`);
  if (output.zeroPoint !== 0) ctx.fail(`output zero point must be 0, is ${output.zeroPoint}`);
  // TF_LITE_ENSURE_NEAR in float32: |scale - 1/32768| <= 0.001 / 32768.
  if (!(Math.abs(f(output.scale - f(1 / 32768))) <= f(f(0.001) * f(1 / 32768)))) {
    ctx.fail(`output scale must be 1/32768, is ${output.scale}`);
  }
  const expLut = softmaxExpLut();
  const reciprocalLut = softmaxOneOverOnePlusXLut();
  const { multiplier, shift } = softmaxInt16InputMultiplier(input.scale, beta);
  const x = input.data as Int16Array;
  const y = output.data as Int16Array;

  return () => {
    for (let i = 0; i < outer; i++) {
      const base = i * depth;
      let maxInRow = -32768;
      for (let c = 0; c < depth; c++) maxInRow = maxInRow < x[base + c] ? x[base + c] : maxInRow;

      // The exps are cached in the output row, as the reference does; each is in [0, 32767].
      let sumOfExps = 0; // Q16.15
      for (let c = 0; c < depth; c++) {
        const scaled = multiplyByQuantizedMultiplier(x[base + c] - maxInRow, multiplier, shift);
        let sym = scaled + 32767; // recentred: a difference of 0 is the table's last entry
        sym = sym < -32768 ? -32768 : sym > 32767 ? 32767 : sym;
        const e = lutLookupInt16(sym, expLut);
        y[base + c] = e;
        sumOfExps = (sumOfExps + e) | 0;
      }

      // Normalize the sum to [2^16, 2^17] (its top bit moved to bit 30, then >> 14 with rounding),
      // subtract one and recentre to the table's [-32768, 32767] input.
      const headroomPlusOne = Math.clz32(sumOfExps);
      const shiftedSum = Math.floor((sumOfExps * 2 ** (headroomPlusOne - 1) + (1 << 13)) / 2 ** 14);
      let sym = shiftedSum - ((1 << 15) + (1 << 16));
      sym = sym < -32768 ? -32768 : sym > 32767 ? 32767 : sym;
      const reciprocal = lutLookupInt16(sym, reciprocalLut); // Q0.15

      // exp * reciprocal is below 2^30 and the rounding term below 2^30: exact in a double.
      const rightShift = 31 - headroomPlusOne;
      const round = 2 ** (rightShift - 1);
      const divisor = 2 ** rightShift;
      for (let c = 0; c < depth; c++) {
        const result = Math.floor((y[base + c] * reciprocal + round) / divisor);
        y[base + c] = result < 0 ? 0 : result > 32767 ? 32767 : result;
      }
    }
  };
}
