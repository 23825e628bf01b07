// RELU6 (tflite-micro kernels/activations.cc, Relu6Quantized): int8/int16 clamp to [zero point,
// quantized 6] in the input's own quantization (TFLM does not rescale: the converter gives RELU6
// the same parameters on both sides); float32 clamps to [0, 6].

import { type Eval, type Kernel, type KernelContext, quantizedRange } from './kernel';

export const relu6: Kernel = {
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
        for (let i = 0; i < n; i++) {
          const v = x[i];
          y[i] = v > 6 ? 6 : v < 0 ? 0 : v;
        }
      };
    }

    if (input.dtype === 'int8' || input.dtype === 'int16') {
      const range = quantizedRange(input.dtype)!;
      const lower = input.zeroPoint;
      // FloatToQuantizedType: round(6.0f / scale) + zero_point, clamped to the type.
      let upper = Math.round(Math.fround(6 / input.scale)) + input.zeroPoint;
      upper = Math.min(range.max, Math.max(range.min, upper));
      const x = input.data as Int8Array | Int16Array;
      const y = output.data as Int8Array | Int16Array;
      return () => {
        for (let i = 0; i < n; i++) {
          const v = x[i];
          y[i] = v > upper ? upper : v < lower ? lower : v;
        }
      };
    }
    return ctx.fail(`input type ${input.dtype} not supported (supported: float32, int8, int16)`);
  },
};
