// LEAKY_RELU (tflite-micro kernels/leaky_relu.cc + leaky_relu_common.cc, reference
// QuantizeLeakyRelu): two multipliers, identity (in/out) for x >= 0 and alpha (in*alpha/out, in
// float32) for x < 0, applied to the multiplier's magnitude with the sign restored afterwards.

import { multiplyByQuantizedMultiplier, quantizeMultiplier } from '../fixedPoint';
import { type Eval, type Kernel, type KernelContext, numberOption, quantizedRange } from './kernel';

export const leakyRelu: Kernel = {
  prepare(ctx: KernelContext): Eval {
    const input = ctx.input(0);
    const output = ctx.output(0);
    if (input.dtype !== output.dtype) ctx.fail(`input ${input.dtype} and output ${output.dtype} differ`);
    if (input.data.length !== output.data.length) ctx.fail('input and output sizes differ');
    const alpha = Math.fround(numberOption(ctx, 'alpha', 0.2));
    const n = output.data.length;

    if (input.dtype === 'float32') {
      const x = input.data as Float32Array;
      const y = output.data as Float32Array;
      return () => {
        for (let i = 0; i < n; i++) {
          const v = x[i];
          y[i] = v > 0 ? v : Math.fround(v * alpha);
        }
      };
    }

    if (input.dtype === 'int8' || input.dtype === 'int16') {
      const { min, max } = quantizedRange(input.dtype)!;
      const f = Math.fround;
      // QuantizeMultiplier keeps the sign of a negative alpha in the significand.
      const qa = quantizeMultiplier(f(f(input.scale * alpha) / output.scale));
      const qi = quantizeMultiplier(f(input.scale / output.scale));
      const alphaNegative = qa.multiplier < 0;
      const alphaMultiplier = alphaNegative ? -qa.multiplier : qa.multiplier;
      const inputOffset = input.zeroPoint;
      const outputOffset = output.zeroPoint;
      const x = input.data as Int8Array | Int16Array;
      const y = output.data as Int8Array | Int16Array;
      return () => {
        for (let i = 0; i < n; i++) {
          const v = x[i] - inputOffset;
          let out = outputOffset;
          if (v >= 0) {
            out += multiplyByQuantizedMultiplier(v, qi.multiplier, qi.shift);
          } else {
            const scaled = multiplyByQuantizedMultiplier(v, alphaMultiplier, qa.shift);
            out += alphaNegative ? -scaled : scaled;
          }
          y[i] = out < min ? min : out > max ? max : out;
        }
      };
    }
    return ctx.fail(`input type ${input.dtype} not supported (supported: float32, int8, int16)`);
  },
};
