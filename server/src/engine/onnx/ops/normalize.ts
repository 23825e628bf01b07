// BatchNormalization (inference form, per channel on axis 1), Softmax (opset 13+: one axis;
// before 13: the input flattened to 2-D at `axis`) and ReduceMean (axes as attribute before
// opset 18, as an optional constant input since; keepdims, noop_with_empty_axes).

import type { OnnxKernel } from '../context';
import { normalizeAxis, requireDType, sizeOf, stridesOf } from '../context';

export const batchNormalization: OnnxKernel = (ctx) => {
  const x = ctx.input(0);
  requireDType(ctx, x, 'input', ['float32']);
  if (x.shape.length < 2) ctx.fail('input must have rank >= 2');
  if (ctx.int('training_mode', 0) !== 0 || ctx.hasOutput(1)) ctx.fail('training mode is not supported');
  const c = x.shape[1];
  const [scale, bias, mean, variance] = [1, 2, 3, 4].map((k) => ctx.constant(k));
  for (const p of [scale, bias, mean, variance]) if (p.length !== c) ctx.fail(`parameters must have ${c} values`);
  const eps = ctx.float('epsilon', 1e-5);
  // y = x * a + b with a = scale / sqrt(var + eps) and b = bias - mean * a, in float as onnxruntime.
  const a = new Float32Array(c), b = new Float32Array(c);
  for (let i = 0; i < c; i++) {
    a[i] = scale[i] / Math.sqrt(Math.fround(variance[i] + Math.fround(eps)));
    b[i] = bias[i] - mean[i] * a[i];
  }
  const inner = sizeOf(x.shape.slice(2));
  const n = sizeOf(x.shape);
  const y = ctx.output(0, x.shape, 'float32');
  return () => {
    const X = x.data, Y = y.data;
    for (let i = 0; i < n; i++) {
      const ch = Math.floor(i / inner) % c;
      Y[i] = Math.fround(X[i] * a[ch]) + b[ch];
    }
  };
};

export const softmax: OnnxKernel = (ctx) => {
  const x = ctx.input(0);
  requireDType(ctx, x, 'input', ['float32']);
  const rank = x.shape.length;
  const legacy = ctx.opset < 13;
  const axis = normalizeAxis(ctx, ctx.int('axis', legacy ? 1 : -1), Math.max(rank, 1));
  // Rows of `len` elements, `stride` apart, `outer * inner` of them.
  const len = legacy ? sizeOf(x.shape.slice(axis)) : x.shape[axis];
  const inner = legacy ? 1 : sizeOf(x.shape.slice(axis + 1));
  const outer = sizeOf(x.shape) / (len * inner);
  const y = ctx.output(0, x.shape, 'float32');
  return () => {
    const X = x.data, Y = y.data;
    for (let o = 0; o < outer; o++) {
      for (let k = 0; k < inner; k++) {
        const base = o * len * inner + k;
        let max = -Infinity;
        for (let i = 0; i < len; i++) max = Math.max(max, X[base + i * inner]);
        let sum = 0;
        for (let i = 0; i < len; i++) {
          const e = Math.fround(Math.exp(X[base + i * inner] - max));
          Y[base + i * inner] = e;
          sum += e;
        }
        const scale = Math.fround(1 / Math.fround(sum));
        for (let i = 0; i < len; i++) Y[base + i * inner] *= scale;
      }
    }
  };
};

export const reduceMean: OnnxKernel = (ctx) => {
  const x = ctx.input(0);
  requireDType(ctx, x, 'input', ['float32']);
  const rank = x.shape.length;
  const given = ctx.opset >= 18 ? ctx.optionalConstant(1) : ctx.ints('axes');
  const keepDims = ctx.int('keepdims', 1) === 1;
  let axes: number[];
  if (!given || given.length === 0) {
    axes = ctx.int('noop_with_empty_axes', 0) === 1 ? [] : x.shape.map((_, i) => i);
  } else {
    axes = given.map((a) => normalizeAxis(ctx, a, rank));
  }
  const reduced = new Set(axes);
  const keptShape = x.shape.map((d, i) => (reduced.has(i) ? 1 : d));
  const outShape = keepDims ? keptShape : x.shape.filter((_, i) => !reduced.has(i));
  // Each input element's output slot.
  const n = sizeOf(x.shape);
  const outStrides = stridesOf(keptShape).map((s, i) => (reduced.has(i) ? 0 : s));
  const slot = new Int32Array(n);
  const index = new Array<number>(rank).fill(0);
  for (let i = 0; i < n; i++) {
    let at = 0;
    for (let d = 0; d < rank; d++) at += index[d] * outStrides[d];
    slot[i] = at;
    for (let d = rank - 1; d >= 0; d--) {
      if (++index[d] < x.shape[d]) break;
      index[d] = 0;
    }
  }
  const m = sizeOf(outShape);
  const count = m === 0 ? 1 : n / m;
  const sums = new Float64Array(m);
  const y = ctx.output(0, outShape, 'float32');
  return () => {
    const X = x.data, Y = y.data;
    sums.fill(0);
    for (let i = 0; i < n; i++) sums[slot[i]] += X[i];
    for (let j = 0; j < m; j++) Y[j] = Math.fround(sums[j]) / count;
  };
};
