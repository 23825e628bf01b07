// ADD (tflite-micro kernels/add.cc + add_common.cc, reference AddElementwise): int8 (int16) inputs
// are offset, shifted left by 20 (15), rescaled to twice the larger input scale, summed and rescaled
// to the output; float32 adds in single precision. Broadcasting follows NumPy rules.

import {
  multiplyByQuantizedMultiplierSmallerThanOneExp,
  quantizeMultiplierSmallerThanOneExp,
} from '../fixedPoint';
import { binaryIndices } from './broadcast';
import {
  type Eval,
  type Kernel,
  type KernelContext,
  floatActivationRange,
  fusedActivation,
  quantizedActivationRange,
} from './kernel';

export const add: Kernel = {
  prepare(ctx: KernelContext): Eval {
    const a = ctx.input(0);
    const b = ctx.input(1);
    const output = ctx.output(0);
    const act = fusedActivation(ctx);
    if (a.dtype !== output.dtype || b.dtype !== output.dtype) {
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
          let v = Math.fround(x1[ia ? ia[k] : k] + x2[ib ? ib[k] : k]);
          v = v < min ? min : v;
          v = max < v ? max : v;
          y[k] = v;
        }
      };
    }

    if (output.dtype === 'int8' || output.dtype === 'int16') {
      // 16-bit activations leave less headroom: TFLM shifts them by 15 instead of 20.
      const leftShift = output.dtype === 'int16' ? 15 : 20;
      const twiceMaxInputScale = 2 * Math.max(a.scale, b.scale);
      const q1 = quantizeMultiplierSmallerThanOneExp(a.scale / twiceMaxInputScale);
      const q2 = quantizeMultiplierSmallerThanOneExp(b.scale / twiceMaxInputScale);
      const qo = quantizeMultiplierSmallerThanOneExp(twiceMaxInputScale / ((1 << leftShift) * output.scale));
      const { min, max } = quantizedActivationRange(ctx, act, output);
      const offset1 = -a.zeroPoint;
      const offset2 = -b.zeroPoint;
      const outputOffset = output.zeroPoint;
      if (output.dtype === 'int8') {
        // Two int8 inputs have 65536 combinations: the whole arithmetic (both rescalings, the
        // sum's rescaling, offset and clamp) is tabulated once with the functions below, so
        // eval is one look-up per element and gives the same bytes by construction.
        const s1 = new Int32Array(256);
        const s2 = new Int32Array(256);
        for (let v = -128; v < 128; v++) {
          s1[v & 0xff] = multiplyByQuantizedMultiplierSmallerThanOneExp((offset1 + v) << leftShift, q1.multiplier, q1.shift);
          s2[v & 0xff] = multiplyByQuantizedMultiplierSmallerThanOneExp((offset2 + v) << leftShift, q2.multiplier, q2.shift);
        }
        const table = new Int8Array(65536);
        for (let u1 = 0; u1 < 256; u1++) {
          for (let u2 = 0; u2 < 256; u2++) {
            let v = multiplyByQuantizedMultiplierSmallerThanOneExp((s1[u1] + s2[u2]) | 0, qo.multiplier, qo.shift) + outputOffset;
            v = v < min ? min : v;
            v = v > max ? max : v;
            table[(u1 << 8) | u2] = v;
          }
        }
        const a8 = a.data as Int8Array;
        const b8 = b.data as Int8Array;
        const y8 = output.data as Int8Array;
        if (!ia && !ib) {
          return () => {
            for (let k = 0; k < n; k++) y8[k] = table[((a8[k] & 0xff) << 8) | (b8[k] & 0xff)];
          };
        }
        return () => {
          for (let k = 0; k < n; k++) y8[k] = table[((a8[ia ? ia[k] : k] & 0xff) << 8) | (b8[ib ? ib[k] : k] & 0xff)];
        };
      }
      const x1 = a.data as Int16Array;
      const x2 = b.data as Int16Array;
      const y = output.data as Int16Array;
      return () => {
        for (let k = 0; k < n; k++) {
          const s1 = multiplyByQuantizedMultiplierSmallerThanOneExp(
            (offset1 + x1[ia ? ia[k] : k]) << leftShift,
            q1.multiplier,
            q1.shift,
          );
          const s2 = multiplyByQuantizedMultiplierSmallerThanOneExp(
            (offset2 + x2[ib ? ib[k] : k]) << leftShift,
            q2.multiplier,
            q2.shift,
          );
          let v =
            multiplyByQuantizedMultiplierSmallerThanOneExp((s1 + s2) | 0, qo.multiplier, qo.shift) + outputOffset;
          v = v < min ? min : v;
          v = v > max ? max : v;
          y[k] = v;
        }
      };
    }
    return ctx.fail(`output type ${output.dtype} not supported (supported: float32, int8, int16)`);
  },
};
