// QUANTIZE (tflite-micro kernels/quantize.cc + quantize_common.cc): float32 -> int8/int16 by
// AffineQuantize (roundf of a float32 division), and int8/int16 -> int8/int16/int32
// requantization by MultiplyByQuantizedMultiplier (reference Requantize).

import { INT32_MAX, INT32_MIN, multiplyByQuantizedMultiplier, quantizeMultiplier, tfliteRound } from '../fixedPoint';
import { type Eval, type Kernel, type KernelContext, quantizedRange } from './kernel';

export const quantize: Kernel = {
  prepare(ctx: KernelContext): Eval {
    const input = ctx.input(0);
    const output = ctx.output(0);
    if (output.scales.length !== 1) ctx.fail('output must have one per-tensor scale');
    if (input.data.length !== output.data.length) ctx.fail('input and output sizes differ');
    const range = quantizedRange(output.dtype);
    if (!range || (output.dtype !== 'int8' && output.dtype !== 'int16' && output.dtype !== 'int32')) {
      return ctx.fail(`output type ${output.dtype} not supported (supported: int8, int16, int32)`);
    }
    const { min, max } = range;
    const zeroPoint = output.zeroPoint;
    const y = output.data as Int8Array | Int16Array | Int32Array;
    const n = y.length;

    if (input.dtype === 'float32') {
      if (output.dtype === 'int32') ctx.fail('float32 -> int32 is not supported');
      const x = input.data as Float32Array;
      const scale = Math.fround(output.scale);
      return () => {
        for (let i = 0; i < n; i++) {
          let r = tfliteRound(Math.fround(x[i] / scale));
          // static_cast<int32_t>(float) saturates on Arm (and NaN becomes 0).
          r = r !== r ? 0 : r < INT32_MIN ? INT32_MIN : r > INT32_MAX ? INT32_MAX : r;
          let v = r + zeroPoint;
          v = v < min ? min : v;
          v = v > max ? max : v;
          y[i] = v;
        }
      };
    }
    if (input.dtype === 'int8' || input.dtype === 'int16') {
      const x = input.data as Int8Array | Int16Array;
      const q = quantizeMultiplier(input.scale / output.scale);
      const inputZeroPoint = input.zeroPoint;
      return () => {
        for (let i = 0; i < n; i++) {
          let v = multiplyByQuantizedMultiplier(x[i] - inputZeroPoint, q.multiplier, q.shift) + zeroPoint;
          v = v > max ? max : v;
          v = v < min ? min : v;
          y[i] = v;
        }
      };
    }
    return ctx.fail(`input type ${input.dtype} not supported (supported: float32, int8, int16)`);
  },
};
