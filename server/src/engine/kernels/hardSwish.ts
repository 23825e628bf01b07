// HARD_SWISH (tflite-micro kernels/hard_swish.cc + hard_swish_common.cc, reference HardSwish):
// x * relu6(x + 3) / 6 in int16 fixed point. The input is moved to a "hires" scale (x 2^7), a
// "reluish" factor in [0, 1] is formed at scale 3/32768 and multiplied in, with 16-bit
// multipliers (DownScaleInt32ToInt16Multiplier). int8 and float32.

import {
  quantizeMultiplier,
  roundingDivideByPOT,
  saturatingRoundingDoublingHighMul16,
} from '../fixedPoint';
import { type Eval, type Kernel, type KernelContext } from './kernel';

/** common.h DownScaleInt32ToInt16Multiplier: the Q0.31 multiplier rounded to Q0.15. */
function downScaleToInt16(multiplier: number): number {
  if (multiplier >= 0x7fffffff - (1 << 15)) return 32767;
  return (multiplier + (1 << 15)) >> 16;
}

/** hard_swish.h SaturatingLeftShift on int16. */
function saturatingLeftShift16(value: number, amount: number): number {
  const r = value * 2 ** amount;
  return r > 32767 ? 32767 : r < -32768 ? -32768 : r;
}

/** hard_swish.h SaturatingDoublingHighMul (no rounding): int16(a*b / 2^15), truncated. */
function saturatingDoublingHighMul16(a: number, b: number): number {
  if (a === -32768 && b === -32768) return 32767;
  return (Math.trunc((a * b) / 32768) << 16) >> 16;
}

/** C++ int16_t narrowing. */
function toInt16(v: number): number {
  return (v << 16) >> 16;
}

export const hardSwish: Kernel = {
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
      const f = Math.fround;
      return () => {
        for (let i = 0; i < n; i++) {
          const v = x[i];
          const r = f(v + 3);
          y[i] = f(f(v * (r < 0 ? 0 : r > 6 ? 6 : r)) / 6);
        }
      };
    }

    if (input.dtype === 'int8') {
      const f = Math.fround;
      const hiresInputScale = f(f(1 / 128) * input.scale);
      const reluishScale = f(3 / 32768);
      const qo = quantizeMultiplier(f(hiresInputScale / output.scale));
      if (qo.shift > 0) ctx.fail(`output multiplier exponent ${qo.shift} must be <= 0`);
      const outputMultiplier = downScaleToInt16(qo.multiplier);
      const outputExponent = qo.shift;
      const qr = quantizeMultiplier(f(hiresInputScale / reluishScale));
      const reluishMultiplier = downScaleToInt16(qr.multiplier);
      const reluishExponent = qr.shift;
      const inputZeroPoint = input.zeroPoint;
      const outputZeroPoint = output.zeroPoint;
      const x = input.data as Int8Array;
      const y = output.data as Int8Array;
      return () => {
        for (let i = 0; i < n; i++) {
          const inputValue = x[i] - inputZeroPoint; // |.| <= 255: fits int16
          const hires = toInt16(inputValue * 128);
          const preshiftOutput = saturatingRoundingDoublingHighMul16(hires, outputMultiplier);
          let reluish = hires;
          if (reluishExponent > 0) reluish = saturatingLeftShift16(reluish, reluishExponent - 1);
          reluish = saturatingRoundingDoublingHighMul16(reluish, reluishMultiplier);
          if (reluishExponent > 0) reluish = saturatingLeftShift16(reluish, 1);
          if (reluishExponent < 0) reluish = roundingDivideByPOT(reluish, -reluishExponent);
          // From [-1, 1] at Q0.15 to [0, 1]: (r + 2^15) >> 1, back in int16.
          reluish = toInt16((reluish + 32768) >> 1);
          const preshift = saturatingDoublingHighMul16(reluish, preshiftOutput);
          let out = toInt16(roundingDivideByPOT(preshift, -outputExponent) + outputZeroPoint);
          out = out > 127 ? 127 : out < -128 ? -128 : out;
          y[i] = out;
        }
      };
    }
    return ctx.fail(`input type ${input.dtype} not supported (supported: float32, int8)`);
  },
};
