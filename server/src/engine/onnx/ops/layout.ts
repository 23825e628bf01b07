// Ops that move elements without computing on them: Reshape, Flatten, Squeeze, Unsqueeze,
// Identity and Dropout (inference: a copy) copy; Transpose, Concat and Pad read through index
// maps built once at prepare. Any element type the engine holds.

import type { EngineTensor, Eval, OnnxContext, OnnxKernel } from '../context';
import { normalizeAxis, sizeOf, stridesOf } from '../context';

function copyAs(ctx: OnnxContext, x: EngineTensor, shape: readonly number[]): Eval {
  if (sizeOf(shape) !== sizeOf(x.shape)) ctx.fail(`cannot view [${x.shape.join(', ')}] as [${shape.join(', ')}]`);
  const y = ctx.output(0, shape, x.dtype);
  return () => y.bytes.set(x.bytes);
}

export const reshape: OnnxKernel = (ctx) => {
  const x = ctx.input(0);
  const requested = ctx.constant(1);
  const allowZero = ctx.int('allowzero', 0) === 1;
  const shape = requested.map((d, i) => (d === 0 && !allowZero ? x.shape[i] : d));
  const unknown = shape.indexOf(-1);
  if (unknown >= 0) {
    const known = shape.reduce((p, d, i) => (i === unknown ? p : p * d), 1);
    shape[unknown] = known === 0 ? 0 : sizeOf(x.shape) / known;
  }
  return copyAs(ctx, x, shape);
};

export const flatten: OnnxKernel = (ctx) => {
  const x = ctx.input(0);
  const rank = x.shape.length;
  const axis = ctx.int('axis', 1);
  const a = axis < 0 ? axis + rank : axis;
  if (!(a >= 0 && a <= rank)) ctx.fail(`axis ${axis} is out of range for rank ${rank}`);
  return copyAs(ctx, x, [sizeOf(x.shape.slice(0, a)), sizeOf(x.shape.slice(a))]);
};

function axesOf(ctx: OnnxContext): number[] | undefined {
  return ctx.opset >= 13 ? ctx.optionalConstant(1) : ctx.ints('axes');
}

export const squeeze: OnnxKernel = (ctx) => {
  const x = ctx.input(0);
  const given = axesOf(ctx);
  const axes = new Set(given ? given.map((a) => normalizeAxis(ctx, a, x.shape.length)) : x.shape.flatMap((d, i) => (d === 1 ? [i] : [])));
  for (const a of axes) if (x.shape[a] !== 1) ctx.fail(`cannot squeeze axis ${a} of size ${x.shape[a]}`);
  return copyAs(ctx, x, x.shape.filter((_, i) => !axes.has(i)));
};

export const unsqueeze: OnnxKernel = (ctx) => {
  const x = ctx.input(0);
  const given = axesOf(ctx) ?? ctx.fail('axes are required');
  const rank = x.shape.length + given.length;
  const axes = new Set(given.map((a) => normalizeAxis(ctx, a, rank)));
  const shape: number[] = [];
  let k = 0;
  for (let i = 0; i < rank; i++) shape.push(axes.has(i) ? 1 : x.shape[k++]);
  return copyAs(ctx, x, shape);
};

export const identity: OnnxKernel = (ctx) => copyAs(ctx, ctx.input(0), ctx.input(0).shape);

export const dropout: OnnxKernel = (ctx) => {
  const x = ctx.input(0);
  const copy = copyAs(ctx, x, x.shape);
  if (!ctx.hasOutput(1)) return copy;
  // Inference keeps every element: the mask is all true.
  const mask = ctx.output(1, x.shape, 'bool');
  return () => {
    copy();
    mask.bytes.fill(1);
  };
};

/** y[i] = x[map[i]], or `fill` where map[i] < 0. */
function gather(ctx: OnnxContext, x: EngineTensor, shape: readonly number[], map: Int32Array, fill = 0): Eval {
  const y = ctx.output(0, shape, x.dtype);
  const n = map.length;
  return () => {
    const X = x.data, Y = y.data;
    for (let i = 0; i < n; i++) {
      const at = map[i];
      Y[i] = at >= 0 ? X[at] : fill;
    }
  };
}

/** Calls visit(outputIndex, multiIndex) for every element of `shape` in row-major order. */
function forEachIndex(shape: readonly number[], visit: (i: number, index: number[]) => void): void {
  const n = sizeOf(shape);
  const index = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    visit(i, index);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
}

export const transpose: OnnxKernel = (ctx) => {
  const x = ctx.input(0);
  const rank = x.shape.length;
  const perm = ctx.ints('perm') ?? x.shape.map((_, i) => rank - 1 - i);
  if (perm.length !== rank || [...perm].sort((p, q) => p - q).some((p, i) => p !== i)) ctx.fail(`perm [${perm.join(', ')}] is not a permutation of ${rank} axes`);
  const shape = perm.map((p) => x.shape[p]);
  const inStrides = stridesOf(x.shape);
  const map = new Int32Array(sizeOf(shape));
  forEachIndex(shape, (i, index) => {
    let at = 0;
    for (let d = 0; d < rank; d++) at += index[d] * inStrides[perm[d]];
    map[i] = at;
  });
  return gather(ctx, x, shape, map);
};

export const concat: OnnxKernel = (ctx) => {
  const parts: EngineTensor[] = [];
  for (let k = 0; k < ctx.inputCount; k++) {
    const t = ctx.optionalInput(k);
    if (t) parts.push(t);
  }
  if (parts.length === 0) ctx.fail('Concat needs at least one input');
  const first = parts[0];
  const rank = first.shape.length;
  const axis = normalizeAxis(ctx, ctx.int('axis', 0), rank);
  for (const p of parts) {
    if (p.dtype !== first.dtype || p.shape.length !== rank || p.shape.some((d, i) => i !== axis && d !== first.shape[i])) {
      ctx.fail(`input [${p.shape.join(', ')}] (${p.dtype}) does not concatenate with [${first.shape.join(', ')}] (${first.dtype}) on axis ${axis}`);
    }
  }
  const shape = [...first.shape];
  shape[axis] = parts.reduce((s, p) => s + p.shape[axis], 0);
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1));
  const chunks = parts.map((p) => p.shape[axis] * inner);
  const y = ctx.output(0, shape, first.dtype);
  return () => {
    const Y = y.data;
    let o = 0;
    for (let b = 0; b < outer; b++) {
      for (let k = 0; k < parts.length; k++) {
        const X = parts[k].data, len = chunks[k];
        for (let i = b * len, end = i + len; i < end; i++) Y[o++] = X[i];
      }
    }
  };
};

export const pad: OnnxKernel = (ctx) => {
  const x = ctx.input(0);
  const rank = x.shape.length;
  const mode = ctx.string('mode', 'constant');
  let pads: number[];
  let value = 0;
  if (ctx.opset < 11) {
    pads = ctx.ints('pads') ?? ctx.fail('pads are required');
    value = ctx.float('value', 0);
  } else {
    pads = ctx.constant(1);
    value = ctx.optionalConstant(2)?.[0] ?? 0;
    const axes = ctx.optionalConstant(3);
    if (axes) {
      // Pads given for some axes only (opset 18): spread them over all axes.
      const full = new Array<number>(2 * rank).fill(0);
      axes.forEach((a, i) => {
        const d = normalizeAxis(ctx, a, rank);
        full[d] = pads[i];
        full[d + rank] = pads[i + axes.length];
      });
      pads = full;
    }
  }
  if (pads.length !== 2 * rank) ctx.fail(`pads has ${pads.length} values for rank ${rank}`);
  if (mode !== 'constant' && mode !== 'reflect' && mode !== 'edge') ctx.fail(`mode ${mode} not supported`);
  const shape = x.shape.map((d, i) => d + pads[i] + pads[i + rank]);
  if (shape.some((d) => d < 0)) ctx.fail('negative output size');
  const inStrides = stridesOf(x.shape);
  const map = new Int32Array(sizeOf(shape));
  forEachIndex(shape, (i, index) => {
    let at = 0;
    for (let d = 0; d < rank; d++) {
      let k = index[d] - pads[d];
      const size = x.shape[d];
      if (k < 0 || k >= size) {
        if (mode === 'constant') {
          at = -1;
          break;
        }
        if (mode === 'edge') k = k < 0 ? 0 : size - 1;
        else {
          if (size === 1) k = 0;
          else {
            const period = 2 * (size - 1);
            k = ((k % period) + period) % period;
            if (k >= size) k = period - k;
          }
        }
      }
      at += k * inStrides[d];
    }
    map[i] = at;
  });
  return gather(ctx, x, shape, map, value);
};
