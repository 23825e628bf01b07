// MUL (tflite-micro kernels/mul.cc + mul_common.cc, reference integer_ops MulElementwise): the
// product of the offset inputs is rescaled once by in1 * in2 / out (in double). int16 requires
// zero points of 0. float32 multiplies in single precision.

import { multiplyByQuantizedMultiplier, quantizeMultiplier } from '../fixedPoint';
import { binaryIndices } from './broadcast';
import {
  type Eval,
  type Kernel,
  type KernelContext,
  floatActivationRange,
  fusedActivation,
  quantizedActivationRange,
} from './kernel';

export const mul: Kernel = {
  prepare(ctx: KernelContext): Eval {
    if (ctx.inputCount() !== 2) ctx.fail(`expects 2 inputs, has ${ctx.inputCount()}`);
    const a = ctx.input(0);
    const b = ctx.input(1);
    const output = ctx.output(0);
    const act = fusedActivation(ctx);
    if (a.dtype !== b.dtype || a.dtype !== output.dtype) {
      ctx.fail(`input types ${a.dtype}, ${b.dtype} and output ${output.dtype} must match`);
    }
    const n = output.data.length;
    const { ia, ib } = binaryIndices(ctx, a, b, output);

    if (output.dtype === 'float32') {
      const x1 = a.data as Float32Array;
      const x2 = b.data as Float32Array;
      const y = output.data as Float32Array;
      const { min, max } = floatActivationRange(act);
      return () => {
        for (let k = 0; k < n; k++) {
          let v = Math.fround(x1[ia ? ia[k] : k] * x2[ib ? ib[k] : k]);
          v = v < min ? min : v;
          v = max < v ? max : v;
          y[k] = v;
        }
      };
    }

    if (output.dtype === 'int8' || output.dtype === 'int16') {
      if (output.dtype === 'int16' && (a.zeroPoint !== 0 || b.zeroPoint !== 0 || output.zeroPoint !== 0)) {
        ctx.fail('int16 MUL needs zero points of 0');
      }
      const { min, max } = quantizedActivationRange(ctx, act, output);
      const q = quantizeMultiplier((a.scale * b.scale) / output.scale);
      const offset1 = -a.zeroPoint;
      const offset2 = -b.zeroPoint;
      const outputOffset = output.zeroPoint;
      const x1 = a.data as Int8Array | Int16Array;
      const x2 = b.data as Int8Array | Int16Array;
      const y = output.data as Int8Array | Int16Array;
      return () => {
        for (let k = 0; k < n; k++) {
          // |product| <= 2^30 for int16 (zero points 0) and < 2^17 for int8: exact, no wrap.
          const product = (offset1 + x1[ia ? ia[k] : k]) * (offset2 + x2[ib ? ib[k] : k]);
          let v = outputOffset + multiplyByQuantizedMultiplier(product, q.multiplier, q.shift);
          v = v < min ? min : v;
          v = v > max ? max : v;
          y[k] = v;
        }
      };
    }
    return ctx.fail(`output type ${output.dtype} not supported (supported: float32, int8, int16)`);
  },
};
