// MaxPool (float32, int8, uint8; dilations, ceil_mode), AveragePool (count_include_pad counts
// the padding inside the padded input, as onnxruntime does) and GlobalAveragePool/GlobalMaxPool,
// NCHW with one or two spatial axes.

import type { EngineTensor, OnnxContext, OnnxKernel } from '../context';
import { requireDType, sizeOf } from '../context';
import type { Axis, Window } from '../window';
import { windowOf, windowOutputShape } from '../window';

function poolWindow(ctx: OnnxContext, x: EngineTensor): { win: Window; planes: number; outShape: number[] } {
  const rank = x.shape.length;
  if (rank !== 3 && rank !== 4) ctx.fail(`input must have rank 3 or 4, has shape [${x.shape.join(', ')}]`);
  const kernel = ctx.ints('kernel_shape') ?? ctx.fail('kernel_shape is required');
  const win = windowOf(ctx, x.shape.slice(2), kernel, true);
  return { win, planes: x.shape[0] * x.shape[1], outShape: windowOutputShape(x.shape[0], x.shape[1], win, rank - 2) };
}

export const maxPool: OnnxKernel = (ctx) => {
  const x = ctx.input(0);
  requireDType(ctx, x, 'input', ['float32', 'int8', 'uint8']);
  if (ctx.hasOutput(1)) ctx.fail('the Indices output is not supported');
  const { win, planes, outShape } = poolWindow(ctx, x);
  const y = ctx.output(0, outShape, x.dtype);
  const { h, w } = win;
  return () => {
    const X = x.data, Y = y.data;
    let o = 0;
    for (let p = 0; p < planes; p++) {
      const base = p * h.inSize * w.inSize;
      for (let oh = 0; oh < h.outSize; oh++) {
        const ih0 = oh * h.stride - h.padBegin;
        for (let ow = 0; ow < w.outSize; ow++) {
          const iw0 = ow * w.stride - w.padBegin;
          let best = -Infinity;
          for (let i = h.tapStart[oh]; i < h.tapEnd[oh]; i++) {
            const row = base + (ih0 + i * h.dilation) * w.inSize + iw0;
            for (let j = w.tapStart[ow]; j < w.tapEnd[ow]; j++) {
              const v = X[row + j * w.dilation];
              if (v > best) best = v;
            }
          }
          Y[o++] = best;
        }
      }
    }
  };
};

/** Window sizes counting padding: from the window's origin to its end clipped at the end padding. */
function paddedSizes(a: Axis): Int32Array {
  const sizes = new Int32Array(a.outSize);
  for (let o = 0; o < a.outSize; o++) {
    const start = o * a.stride - a.padBegin;
    const end = Math.min(start + a.kernel, a.inSize + a.padEnd);
    sizes[o] = end - start;
  }
  return sizes;
}

export const averagePool: OnnxKernel = (ctx) => {
  const x = ctx.input(0);
  requireDType(ctx, x, 'input', ['float32']);
  if ((ctx.ints('dilations') ?? []).some((d) => d !== 1)) ctx.fail('dilated AveragePool is not supported');
  const { win, planes, outShape } = poolWindow(ctx, x);
  const includePad = ctx.int('count_include_pad', 0) === 1;
  const y = ctx.output(0, outShape, 'float32');
  const { h, w } = win;
  const hSizes = paddedSizes(h), wSizes = paddedSizes(w);
  return () => {
    const X = x.data, Y = y.data;
    let o = 0;
    for (let p = 0; p < planes; p++) {
      const base = p * h.inSize * w.inSize;
      for (let oh = 0; oh < h.outSize; oh++) {
        const ih0 = oh * h.stride - h.padBegin;
        const i0 = h.tapStart[oh], i1 = h.tapEnd[oh];
        for (let ow = 0; ow < w.outSize; ow++) {
          const iw0 = ow * w.stride - w.padBegin;
          const j0 = w.tapStart[ow], j1 = w.tapEnd[ow];
          let sum = 0;
          for (let i = i0; i < i1; i++) {
            const row = base + (ih0 + i) * w.inSize + iw0;
            for (let j = j0; j < j1; j++) sum += X[row + j];
          }
          const count = includePad ? hSizes[oh] * wSizes[ow] : (i1 - i0) * (j1 - j0);
          Y[o++] = Math.fround(sum) / count;
        }
      }
    }
  };
};

function globalPool(ctx: OnnxContext, max: boolean) {
  const x = ctx.input(0);
  requireDType(ctx, x, 'input', max ? ['float32', 'int8', 'uint8'] : ['float32']);
  if (x.shape.length < 3) ctx.fail(`input must have rank >= 3, has shape [${x.shape.join(', ')}]`);
  const planes = x.shape[0] * x.shape[1];
  const area = sizeOf(x.shape.slice(2));
  const y = ctx.output(0, [x.shape[0], x.shape[1], ...x.shape.slice(2).map(() => 1)], x.dtype);
  return () => {
    const X = x.data, Y = y.data;
    for (let p = 0; p < planes; p++) {
      let acc = max ? -Infinity : 0;
      for (let i = p * area; i < (p + 1) * area; i++) acc = max ? Math.max(acc, X[i]) : acc + X[i];
      Y[p] = max ? acc : Math.fround(acc) / area;
    }
  };
}

export const globalAveragePool: OnnxKernel = (ctx) => globalPool(ctx, false);
export const globalMaxPool: OnnxKernel = (ctx) => globalPool(ctx, true);
