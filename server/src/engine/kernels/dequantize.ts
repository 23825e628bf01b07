// DEQUANTIZE (tflite-micro kernels/dequantize.cc, reference Dequantize): float(double(scale) *
// (q - zero_point)) for int8, uint8 and int16 inputs.

import { type Eval, type Kernel, type KernelContext } from './kernel';

export const dequantize: Kernel = {
  prepare(ctx: KernelContext): Eval {
    const input = ctx.input(0);
    const output = ctx.output(0);
    if (output.dtype !== 'float32') ctx.fail(`output type ${output.dtype} not supported (supported: float32)`);
    if (input.dtype !== 'int8' && input.dtype !== 'uint8' && input.dtype !== 'int16') {
      ctx.fail(`input type ${input.dtype} not supported (supported: int8, uint8, int16)`);
    }
    if (input.data.length !== output.data.length) ctx.fail('input and output sizes differ');
    const x = input.data as Int8Array | Uint8Array | Int16Array;
    const y = output.data as Float32Array;
    const scale = input.scale;
    const zeroPoint = input.zeroPoint;
    const n = y.length;
    return () => {
      for (let i = 0; i < n; i++) y[i] = scale * (x[i] - zeroPoint);
    };
  },
};
