// ADD (tflite-micro kernels/add.cc + add_common.cc, reference integer_ops AddFunc): int8 inputs
// are offset, shifted left by 20, rescaled to twice the larger input scale, summed and rescaled
// to the output; float32 adds in single precision. Broadcasting follows NumPy rules.

import {
  multiplyByQuantizedMultiplierSmallerThanOneExp,
  quantizeMultiplierSmallerThanOneExp,
} from '../fixedPoint';
import {
  type EngineTensor,
  type Eval,
  type Kernel,
  type KernelContext,
  floatActivationRange,
  fusedActivation,
  quantizedActivationRange,
} from './kernel';

/** Element index of `t` for each output element, or undefined when the shapes are equal. */
function broadcastIndex(ctx: KernelContext, t: EngineTensor, outShape: readonly number[]): Int32Array | undefined {
  const same = t.shape.length === outShape.length && t.shape.every((d, i) => d === outShape[i]);
  if (same) return undefined;
  const rank = outShape.length;
  if (t.shape.length > rank) ctx.fail(`input shape [${t.shape.join(', ')}] has more dimensions than the output`);
  // Strides of `t` aligned to the output's trailing dimensions; 0 where `t` broadcasts.
  const strides = new Array<number>(rank).fill(0);
  let stride = 1;
  for (let i = t.shape.length - 1, o = rank - 1; i >= 0; i--, o--) {
    const d = t.shape[i];
    if (d !== 1 && d !== outShape[o]) ctx.fail(`shape [${t.shape.join(', ')}] does not broadcast to [${outShape.join(', ')}]`);
    strides[o] = d === 1 ? 0 : stride;
    stride *= d;
  }
  let total = 1;
  for (const d of outShape) total *= d;
  const index = new Int32Array(total);
  const pos = new Array<number>(rank).fill(0);
  for (let k = 0; k < total; k++) {
    let at = 0;
    for (let i = 0; i < rank; i++) at += pos[i] * strides[i];
    index[k] = at;
    for (let i = rank - 1; i >= 0; i--) {
      if (++pos[i] < outShape[i]) break;
      pos[i] = 0;
    }
  }
  return index;
}

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
    const ia = broadcastIndex(ctx, a, output.shape);
    const ib = broadcastIndex(ctx, b, output.shape);
    if (!ia && a.data.length !== n) ctx.fail('input 0 size differs from the output');
    if (!ib && b.data.length !== n) ctx.fail('input 1 size differs from the output');

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

    if (output.dtype === 'int8') {
      const leftShift = 20;
      const twiceMaxInputScale = 2 * Math.max(a.scale, b.scale);
      const q1 = quantizeMultiplierSmallerThanOneExp(a.scale / twiceMaxInputScale);
      const q2 = quantizeMultiplierSmallerThanOneExp(b.scale / twiceMaxInputScale);
      const qo = quantizeMultiplierSmallerThanOneExp(twiceMaxInputScale / ((1 << leftShift) * output.scale));
      const { min, max } = quantizedActivationRange(ctx, act, output);
      const offset1 = -a.zeroPoint;
      const offset2 = -b.zeroPoint;
      const outputOffset = output.zeroPoint;
      const x1 = a.data as Int8Array;
      const x2 = b.data as Int8Array;
      const y = output.data as Int8Array;
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
    return ctx.fail(`output type ${output.dtype} not supported (supported: float32, int8)`);
  },
};
