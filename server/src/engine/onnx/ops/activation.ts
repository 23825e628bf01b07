// Element-wise activations: Relu, Sigmoid, Tanh, LeakyRelu, HardSwish and Clip (min/max as
// attributes before opset 11, as optional constant inputs since). Clip and Relu also take int8,
// uint8 and int32 tensors, which is how converted TFLite models clamp fused activations.

import type { OnnxContext, OnnxKernel } from '../context';
import { requireDType, sizeOf } from '../context';

function unary(ctx: OnnxContext, types: Parameters<typeof requireDType>[3], f: (v: number) => number) {
  const x = ctx.input(0);
  requireDType(ctx, x, 'input', types);
  const y = ctx.output(0, x.shape, x.dtype);
  const n = sizeOf(x.shape);
  return () => {
    const X = x.data, Y = y.data;
    for (let i = 0; i < n; i++) Y[i] = f(X[i]);
  };
}

export const relu: OnnxKernel = (ctx) => unary(ctx, ['float32', 'int8', 'int32'], (v) => (v > 0 ? v : 0));
export const sigmoid: OnnxKernel = (ctx) => unary(ctx, ['float32'], (v) => 1 / (1 + Math.exp(-v)));
export const tanh: OnnxKernel = (ctx) => unary(ctx, ['float32'], Math.tanh);
export const hardSwish: OnnxKernel = (ctx) =>
  unary(ctx, ['float32'], (v) => v * Math.max(0, Math.min(1, Math.fround(v / 6 + 0.5))));

export const leakyRelu: OnnxKernel = (ctx) => {
  const alpha = Math.fround(ctx.float('alpha', 0.01));
  return unary(ctx, ['float32'], (v) => (v >= 0 ? v : v * alpha));
};

export const clip: OnnxKernel = (ctx) => {
  let lo = -Infinity, hi = Infinity;
  if (ctx.opset < 11) {
    lo = ctx.float('min', -3.4028234663852886e38);
    hi = ctx.float('max', 3.4028234663852886e38);
  } else {
    const min = ctx.optionalConstant(1), max = ctx.optionalConstant(2);
    if (min) lo = min[0];
    if (max) hi = max[0];
  }
  return unary(ctx, ['float32', 'int8', 'uint8', 'int32'], (v) => (v < lo ? lo : v > hi ? hi : v));
};
