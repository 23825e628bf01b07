// RELU (tflite-micro kernels/activations.cc + activations_common.cc, ReluQuantized): int8/int16
// inputs are rescaled by in/out (a float32 quotient) and clamped at the quantized zero; float32
// clamps at 0.

import { multiplyByQuantizedMultiplier, quantizeMultiplier, tfliteRound } from '../fixedPoint';
import { type Eval, type Kernel, type KernelContext, quantizedRange } from './kernel';

export const relu: Kernel = {
  prepare(ctx: KernelContext): Eval {
    const input = ctx.input(0);
    const output = ctx.output(0);
    if (input.dtype !== output.dtype) ctx.fail(`input ${input.dtype} and output ${output.dtype} differ`);
    if (input.data.length !== output.data.length) ctx.fail('input and output sizes differ');
    const n = output.data.length;

    if (input.dtype === 'float32') {
      const x = input.data as Float32Array;
      const y = output.data as Float32Array;
      return () => {
        for (let i = 0; i < n; i++) y[i] = x[i] < 0 ? 0 : x[i];
      };
    }

    if (input.dtype === 'int8' || input.dtype === 'int16') {
      if (input.dtype === 'int16' && (input.zeroPoint !== 0 || output.zeroPoint !== 0)) {
        ctx.fail('int16 RELU needs zero points of 0');
      }
      const range = quantizedRange(input.dtype)!;
      // CalculateReluOpData: double(input_scale / output_scale), both float32.
      const q = quantizeMultiplier(Math.fround(input.scale / output.scale));
      // act_min = 0: zero_point + int32(roundf(0 / scale)) = zero_point; act_max = +inf.
      const min = Math.max(range.min, output.zeroPoint + tfliteRound(Math.fround(0 / output.scale)));
      const max = range.max;
      const inputOffset = input.zeroPoint;
      const outputOffset = output.zeroPoint;
      const x = input.data as Int8Array | Int16Array;
      const y = output.data as Int8Array | Int16Array;
      return () => {
        for (let i = 0; i < n; i++) {
          let v = outputOffset + multiplyByQuantizedMultiplier(x[i] - inputOffset, q.multiplier, q.shift);
          v = v < min ? min : v;
          v = v > max ? max : v;
          y[i] = v;
        }
      };
    }
    return ctx.fail(`input type ${input.dtype} not supported (supported: float32, int8, int16)`);
  },
};
