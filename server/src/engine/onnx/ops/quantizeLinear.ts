// QuantizeLinear (float -> int8/uint8/int16/uint16/int32; round half to even, saturate) and
// DequantizeLinear (int8/uint8/int16/uint16/int32 -> float), per tensor or per axis (`axis`,
// default 1). Scales and zero points must be constants; they are what the graph IR attaches to
// the quantized tensors, so budgets and this engine read the same parameters.

import type { DType } from '../../../model/graph';
import type { OnnxContext, OnnxKernel } from '../context';
import { integerRange, normalizeAxis, requireDType, sizeOf } from '../context';
import { ortQuantize } from '../ortRounding';

const OUTPUT_DTYPES: Record<number, DType> = { 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32' };

/** Scale and zero point per element group: channel of element i is floor(i / inner) % channels. */
function parameters(ctx: OnnxContext, shape: readonly number[]) {
  const scales = ctx.constant(1);
  const zeros = ctx.optionalConstant(2) ?? new Array<number>(scales.length).fill(0);
  if (zeros.length !== scales.length) ctx.fail(`${scales.length} scales but ${zeros.length} zero points`);
  if (ctx.int('block_size', 0) !== 0) ctx.fail('blocked quantization is not supported');
  let inner = 1, channels = 1;
  if (scales.length > 1) {
    const axis = normalizeAxis(ctx, ctx.int('axis', 1), shape.length);
    channels = shape[axis];
    if (channels !== scales.length) ctx.fail(`${scales.length} scales for ${channels} channels on axis ${axis}`);
    inner = sizeOf(shape.slice(axis + 1));
  }
  return { scales: new Float64Array(scales.map(Math.fround)), zeros: new Float64Array(zeros), inner, channels };
}

export const quantizeLinear: OnnxKernel = (ctx) => {
  const x = ctx.input(0);
  requireDType(ctx, x, 'input', ['float32', 'int32']);
  const { scales, zeros, inner, channels } = parameters(ctx, x.shape);
  const zeroType = ctx.optionalInput(2)?.dtype;
  const outType = zeroType ?? OUTPUT_DTYPES[ctx.int('output_dtype', 0)] ?? 'uint8';
  const { min, max } = integerRange(ctx, outType);
  if (ctx.int('saturate', 1) !== 1) ctx.fail('saturate = 0 applies to float8 outputs only');
  const y = ctx.output(0, x.shape, outType);
  const n = sizeOf(x.shape);
  return () => {
    const X = x.data, Y = y.data;
    for (let i = 0; i < n; i++) {
      const c = channels === 1 ? 0 : Math.floor(i / inner) % channels;
      Y[i] = ortQuantize(X[i], scales[c], zeros[c], min, max);
    }
  };
};

export const dequantizeLinear: OnnxKernel = (ctx) => {
  const x = ctx.input(0);
  requireDType(ctx, x, 'input', ['int8', 'uint8', 'int16', 'uint16', 'int32']);
  const { scales, zeros, inner, channels } = parameters(ctx, x.shape);
  const y = ctx.output(0, x.shape, 'float32');
  const n = sizeOf(x.shape);
  return () => {
    const X = x.data, Y = y.data;
    for (let i = 0; i < n; i++) {
      const c = channels === 1 ? 0 : Math.floor(i / inner) % channels;
      Y[i] = (X[i] - zeros[c]) * scales[c];
    }
  };
};
