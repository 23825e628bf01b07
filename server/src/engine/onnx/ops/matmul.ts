// Gemm, MatMul (numpy broadcasting over batch dims), MatMulInteger (int32 accumulators, per-row a
// and per-column b zero points) and QLinearMatMul (per-tensor a, per-tensor or per-column b),
// requantized as onnxruntime does: float(acc) * float(a_scale * b_scale / y_scale), half to even.

import type { OnnxContext, OnnxKernel } from '../context';
import { integerRange, requireDType, sizeOf } from '../context';
import { ortOutputScale, ortRequantize } from '../ortRounding';

interface MatMulPlan {
  m: number;
  k: number;
  n: number;
  batches: number;
  /** Element offsets of each batch's matrix in a, b and the output. */
  aOffset: Int32Array;
  bOffset: Int32Array;
  outShape: number[];
}

/** numpy matmul shapes: 1-D operands are promoted and the promoted axis dropped from the result. */
function matmulPlan(ctx: OnnxContext, a: readonly number[], b: readonly number[]): MatMulPlan {
  if (a.length === 0 || b.length === 0) ctx.fail('MatMul operands must have rank >= 1');
  const aShape = a.length === 1 ? [1, a[0]] : [...a];
  const bShape = b.length === 1 ? [b[0], 1] : [...b];
  const m = aShape[aShape.length - 2], k = aShape[aShape.length - 1];
  const k2 = bShape[bShape.length - 2], n = bShape[bShape.length - 1];
  if (k !== k2) ctx.fail(`inner dimensions differ: [${a.join(', ')}] x [${b.join(', ')}]`);
  const aBatch = aShape.slice(0, -2), bBatch = bShape.slice(0, -2);
  const rank = Math.max(aBatch.length, bBatch.length);
  const pad = (s: number[]) => [...new Array<number>(rank - s.length).fill(1), ...s];
  const ab = pad(aBatch), bb = pad(bBatch);
  const batch = ab.map((d, i) => {
    if (d !== bb[i] && d !== 1 && bb[i] !== 1) ctx.fail(`batch dimensions do not broadcast: [${a.join(', ')}] x [${b.join(', ')}]`);
    return Math.max(d, bb[i]);
  });
  const batches = sizeOf(batch);
  const aOffset = new Int32Array(batches), bOffset = new Int32Array(batches);
  for (let i = 0; i < batches; i++) {
    let rest = i, ao = 0, bo = 0, aStride = m * k, bStride = k * n;
    for (let d = rank - 1; d >= 0; d--) {
      const idx = rest % batch[d];
      rest = Math.floor(rest / batch[d]);
      if (ab[d] !== 1) ao += idx * aStride;
      if (bb[d] !== 1) bo += idx * bStride;
      aStride *= ab[d];
      bStride *= bb[d];
    }
    aOffset[i] = ao;
    bOffset[i] = bo;
  }
  const outShape = [...batch];
  if (a.length > 1) outShape.push(m);
  if (b.length > 1) outShape.push(n);
  return { m, k, n, batches, aOffset, bOffset, outShape };
}

/** out = (a - aZero[row]) x (b - bZero[col]) per batch; allocates nothing. */
function multiply(p: MatMulPlan, a: ArrayLike<number>, aZero: ArrayLike<number>, b: ArrayLike<number>, bZero: ArrayLike<number>, out: { [i: number]: number }): void {
  const { m, k, n } = p;
  const aPerRow = aZero.length > 1, bPerCol = bZero.length > 1;
  for (let t = 0; t < p.batches; t++) {
    const ao = p.aOffset[t], bo = p.bOffset[t], oo = t * m * n;
    for (let i = 0; i < m; i++) {
      const za = aZero[aPerRow ? i : 0];
      for (let j = 0; j < n; j++) {
        const zb = bZero[bPerCol ? j : 0];
        let acc = 0;
        for (let l = 0; l < k; l++) acc += (a[ao + i * k + l] - za) * (b[bo + l * n + j] - zb);
        out[oo + i * n + j] = acc;
      }
    }
  }
}

const ZERO = new Float64Array([0]);

export const matMul: OnnxKernel = (ctx) => {
  const a = ctx.input(0), b = ctx.input(1);
  requireDType(ctx, a, 'A', ['float32']);
  requireDType(ctx, b, 'B', ['float32']);
  const p = matmulPlan(ctx, a.shape, b.shape);
  const y = ctx.output(0, p.outShape, 'float32');
  return () => multiply(p, a.data, ZERO, b.data, ZERO, y.data);
};

function zeroPoints(ctx: OnnxContext, values: number[] | undefined, what: string, count: number): Float64Array {
  if (values === undefined) return new Float64Array([0]);
  if (values.length !== 1 && values.length !== count) ctx.fail(`${what} has ${values.length} values, expected 1 or ${count}`);
  return new Float64Array(values);
}

export const matMulInteger: OnnxKernel = (ctx) => {
  const a = ctx.input(0), b = ctx.input(1);
  requireDType(ctx, a, 'A', ['int8', 'uint8']);
  requireDType(ctx, b, 'B', ['int8', 'uint8']);
  const p = matmulPlan(ctx, a.shape, b.shape);
  const az = zeroPoints(ctx, ctx.optionalConstant(2), 'a_zero_point', p.m);
  const bz = zeroPoints(ctx, ctx.optionalConstant(3), 'b_zero_point', p.n);
  const y = ctx.output(0, p.outShape, 'int32');
  return () => multiply(p, a.data, az, b.data, bz, y.data);
};

function scalarOf(ctx: OnnxContext, values: number[], what: string): number {
  if (values.length !== 1) ctx.fail(`${what} must be a scalar (has ${values.length} values)`);
  return values[0];
}

export const qlinearMatMul: OnnxKernel = (ctx) => {
  const a = ctx.input(0), b = ctx.input(3);
  requireDType(ctx, a, 'a', ['int8', 'uint8']);
  requireDType(ctx, b, 'b', ['int8', 'uint8']);
  const p = matmulPlan(ctx, a.shape, b.shape);
  const aScale = scalarOf(ctx, ctx.constant(1), 'a_scale');
  const az = new Float64Array([scalarOf(ctx, ctx.constant(2), 'a_zero_point')]);
  const bScales = ctx.constant(4);
  if (bScales.length !== 1 && bScales.length !== p.n) ctx.fail(`b_scale has ${bScales.length} values, expected 1 or ${p.n}`);
  const bz = zeroPoints(ctx, ctx.constant(5), 'b_zero_point', p.n);
  const yScale = scalarOf(ctx, ctx.constant(6), 'y_scale');
  const yZero = scalarOf(ctx, ctx.constant(7), 'y_zero_point');
  const outType = ctx.input(7).dtype;
  const { min, max } = integerRange(ctx, outType);
  const scales = new Float64Array(p.n);
  for (let j = 0; j < p.n; j++) scales[j] = ortOutputScale(aScale, bScales.length === 1 ? bScales[0] : bScales[j], yScale);
  const y = ctx.output(0, p.outShape, outType);
  const acc = new Int32Array(sizeOf(p.outShape));
  return () => {
    multiply(p, a.data, az, b.data, bz, acc);
    const out = y.data;
    for (let i = 0; i < acc.length; i++) out[i] = ortRequantize(acc[i], scales[i % p.n], yZero, min, max);
  };
};

export const gemm: OnnxKernel = (ctx) => {
  const a = ctx.input(0), b = ctx.input(1), c = ctx.optionalInput(2);
  requireDType(ctx, a, 'A', ['float32']);
  requireDType(ctx, b, 'B', ['float32']);
  if (a.shape.length !== 2 || b.shape.length !== 2) ctx.fail('Gemm operands must be 2-D');
  const transA = ctx.int('transA', 0) === 1, transB = ctx.int('transB', 0) === 1;
  const alpha = ctx.float('alpha', 1), beta = ctx.float('beta', 1);
  const m = transA ? a.shape[1] : a.shape[0], k = transA ? a.shape[0] : a.shape[1];
  const n = transB ? b.shape[0] : b.shape[1];
  if ((transB ? b.shape[1] : b.shape[0]) !== k) ctx.fail(`inner dimensions differ: [${a.shape.join(', ')}] x [${b.shape.join(', ')}]`);
  // C broadcasts to [M, N]: strides of 0 along its size-1 (or missing) axes.
  let cRow = 0, cCol = 0;
  if (c) {
    requireDType(ctx, c, 'C', ['float32']);
    const cs = c.shape.length === 0 ? [1, 1] : c.shape.length === 1 ? [1, c.shape[0]] : c.shape;
    if (cs.length !== 2 || (cs[0] !== 1 && cs[0] !== m) || (cs[1] !== 1 && cs[1] !== n)) ctx.fail(`C of shape [${c.shape.join(', ')}] does not broadcast to [${m}, ${n}]`);
    cRow = cs[0] === 1 ? 0 : cs[1];
    cCol = cs[1] === 1 ? 0 : 1;
  }
  const aRow = transA ? 1 : k, aCol = transA ? m : 1;
  const bRow = transB ? 1 : n, bCol = transB ? k : 1;
  const y = ctx.output(0, [m, n], 'float32');
  return () => {
    const A = a.data, B = b.data, C = c?.data, Y = y.data;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let l = 0; l < k; l++) acc += A[i * aRow + l * aCol] * B[l * bRow + j * bCol];
        // onnxruntime accumulates alpha * A * B onto beta * C in float32; this differs by rounding only.
        let v = Math.fround(alpha * Math.fround(acc));
        if (C) v += beta * C[i * cRow + j * cCol];
        Y[i * n + j] = v;
      }
    }
  };
};

