// Add, Sub, Mul, Div with numpy broadcasting, float32 and int32 (integer Div truncates, as C++).
// Broadcast operands read through precomputed index maps; equal shapes and scalars skip them.

import type { EngineTensor, OnnxContext, OnnxKernel } from '../context';
import { requireDType, sizeOf, stridesOf } from '../context';

/** Output shape and, per output element, the element of an operand it reads (undefined: same shape). */
export function broadcast(ctx: OnnxContext, shapes: readonly (readonly number[])[]): { shape: number[]; maps: (Int32Array | undefined)[] } {
  const rank = Math.max(...shapes.map((s) => s.length));
  const padded = shapes.map((s) => [...new Array<number>(rank - s.length).fill(1), ...s]);
  const shape = new Array<number>(rank);
  for (let d = 0; d < rank; d++) {
    let size = 1;
    for (const s of padded) {
      if (s[d] === 1) continue;
      if (size !== 1 && s[d] !== size) ctx.fail(`shapes ${shapes.map((x) => `[${x.join(', ')}]`).join(' and ')} do not broadcast`);
      size = s[d];
    }
    shape[d] = size;
  }
  const n = sizeOf(shape);
  const maps = padded.map((s) => {
    if (s.join() === shape.join()) return undefined;
    const strides = stridesOf(s).map((st, d) => (s[d] === 1 ? 0 : st));
    const map = new Int32Array(n);
    const index = new Array<number>(rank).fill(0);
    for (let i = 0; i < n; i++) {
      let at = 0;
      for (let d = 0; d < rank; d++) at += index[d] * strides[d];
      map[i] = at;
      for (let d = rank - 1; d >= 0; d--) {
        if (++index[d] < shape[d]) break;
        index[d] = 0;
      }
    }
    return map;
  });
  return { shape, maps };
}

type Op = (a: number, b: number) => number;

function binary(ctx: OnnxContext, op: Op, intOp: Op): ReturnType<OnnxKernel> {
  const a: EngineTensor = ctx.input(0), b: EngineTensor = ctx.input(1);
  requireDType(ctx, a, 'A', ['float32', 'int32']);
  if (b.dtype !== a.dtype) ctx.fail(`operand types differ: ${a.dtype} and ${b.dtype}`);
  const { shape, maps } = broadcast(ctx, [a.shape, b.shape]);
  const [aMap, bMap] = maps;
  const f = a.dtype === 'int32' ? intOp : op;
  const y = ctx.output(0, shape, a.dtype);
  const n = sizeOf(shape);
  const bScalar = sizeOf(b.shape) === 1;
  return () => {
    const A = a.data, B = b.data, Y = y.data;
    if (!aMap && bScalar) {
      const s = B[0];
      for (let i = 0; i < n; i++) Y[i] = f(A[i], s);
    } else if (!aMap && !bMap) {
      for (let i = 0; i < n; i++) Y[i] = f(A[i], B[i]);
    } else {
      for (let i = 0; i < n; i++) Y[i] = f(A[aMap ? aMap[i] : i], B[bMap ? bMap[i] : i]);
    }
  };
}

export const add: OnnxKernel = (ctx) => binary(ctx, (x, y) => x + y, (x, y) => (x + y) | 0);
export const sub: OnnxKernel = (ctx) => binary(ctx, (x, y) => x - y, (x, y) => (x - y) | 0);
export const mul: OnnxKernel = (ctx) => binary(ctx, (x, y) => x * y, (x, y) => Math.imul(x, y));
export const div: OnnxKernel = (ctx) =>
  binary(ctx, (x, y) => x / y, (x, y) => {
    if (y === 0) throw new RangeError('integer division by zero');
    return Math.trunc(x / y) | 0;
  });
