// NumPy-style broadcasting shared by the element-wise binary kernels (ADD, SUB, MUL): a gather
// index per output element, computed once in prepare, as TFLM's ProcessBroadcastShapes and
// BroadcastBinaryFunction6DSlow walk the same positions.

import type { EngineTensor, KernelContext } from './kernel';

/** Element index of `t` for each output element, or undefined when the shapes are equal. */
export function broadcastIndex(ctx: KernelContext, t: EngineTensor, outShape: readonly number[]): Int32Array | undefined {
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

/** Checks both inputs of a binary op against the output and returns their gather indices. */
export function binaryIndices(
  ctx: KernelContext,
  a: EngineTensor,
  b: EngineTensor,
  output: EngineTensor,
): { ia: Int32Array | undefined; ib: Int32Array | undefined } {
  const n = output.data.length;
  const ia = broadcastIndex(ctx, a, output.shape);
  const ib = broadcastIndex(ctx, b, output.shape);
  if (!ia && a.data.length !== n) ctx.fail('input 0 size differs from the output');
  if (!ib && b.data.length !== n) ctx.fail('input 1 size differs from the output');
  return { ia, ib };
}
