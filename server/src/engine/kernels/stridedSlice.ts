// STRIDED_SLICE (tflite-micro kernels/strided_slice.cc + strided_slice_common.cc, reference
// StridedSlice with strided_slice_logic.h): constant begin/end/strides padded to 5 dimensions,
// begin/end/shrink-axis masks and `offset`; TFLM leaves ellipsis and new-axis masks unsupported.
// The source element of every output element is found once in prepare; Eval only gathers.

import {
  type Eval,
  type Kernel,
  type KernelContext,
  constantInt32,
  elementCountOf,
  elementSize,
  numberOption,
} from './kernel';

const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);

export const stridedSlice: Kernel = {
  prepare(ctx: KernelContext): Eval {
    if (ctx.inputCount() !== 4) ctx.fail(`expects 4 inputs, has ${ctx.inputCount()}`);
    const input = ctx.input(0);
    const begin = constantInt32(ctx, ctx.input(1), 'begin');
    const end = constantInt32(ctx, ctx.input(2), 'end');
    const strides = constantInt32(ctx, ctx.input(3), 'strides');
    const output = ctx.output(0);
    if (input.dtype !== output.dtype) ctx.fail(`input ${input.dtype} and output ${output.dtype} differ`);
    const dims = begin.length;
    if (end.length !== dims || strides.length !== dims) ctx.fail('begin, end and strides must have the same length');
    if (dims > input.shape.length || input.shape.length > 5) ctx.fail('STRIDED_SLICE supports up to 5 dimensions');
    if (numberOption(ctx, 'ellipsisMask', 0) !== 0 || numberOption(ctx, 'newAxisMask', 0) !== 0) {
      ctx.fail('ellipsis and new-axis masks are not supported');
    }
    for (const s of strides) if (s === 0) ctx.fail('stride value has to be non-zero');
    const offset = ctx.op.options.offset === true;

    // StridedSlicePadIndices to 5 dimensions: leading axes take everything.
    const rank = input.shape.length;
    const shape = [...new Array<number>(5 - rank).fill(1), ...input.shape];
    const pad = 5 - dims;
    const starts = [...new Array<number>(pad).fill(0), ...begin];
    const stops = [...new Array<number>(pad).fill(1), ...end];
    const steps = [...new Array<number>(pad).fill(1), ...strides];
    const fullMask = (1 << pad) - 1;
    const beginMask = (numberOption(ctx, 'beginMask', 0) << pad) | fullMask;
    const endMask = (numberOption(ctx, 'endMask', 0) << pad) | fullMask;
    const shrinkMask = numberOption(ctx, 'shrinkAxisMask', 0) << pad;

    const first: number[] = [];
    const last: number[] = [];
    for (let axis = 0; axis < 5; axis++) {
      const size = shape[axis];
      const stride = steps[axis];
      // StridedSliceStartForAxis: offset, clamp, then the begin mask overrides.
      let start = starts[axis];
      if (start < 0) start += size;
      start = stride > 0 ? clamp(start, 0, size) : clamp(start, -1, size - 1);
      if (beginMask & (1 << axis)) start = stride > 0 ? 0 : size - 1;
      // StridedSliceEndForAxis.
      let stop: number;
      if (shrinkMask & (1 << axis)) {
        stop = start >= size ? start : start + 1;
      } else {
        stop = stops[axis];
        if (offset) stop += start;
        if (stop < 0) stop += size;
        stop = stride > 0 ? clamp(stop, 0, size) : clamp(stop, -1, size - 1);
        if (endMask & (1 << axis)) stop = stride > 0 ? size : -1;
      }
      first.push(start);
      last.push(stop);
    }
    const sources: number[] = [];
    const inside = (i: number, axis: number) => (steps[axis] > 0 ? i < last[axis] : i > last[axis]);
    const walk = (axis: number, base: number): void => {
      if (axis === 5) {
        sources.push(base);
        return;
      }
      let inner = 1;
      for (let d = axis + 1; d < 5; d++) inner *= shape[d];
      for (let i = first[axis]; inside(i, axis); i += steps[axis]) walk(axis + 1, base + i * inner);
    };
    walk(0, 0);
    if (sources.length !== elementCountOf(output.shape)) {
      ctx.fail(`the slice has ${sources.length} elements, the output ${elementCountOf(output.shape)}`);
    }
    const gather = Int32Array.from(sources);
    const size = elementSize(input);
    const x = input.bytes;
    const y = output.bytes;
    const n = gather.length;
    return () => {
      let o = 0;
      for (let k = 0; k < n; k++) {
        const at = gather[k] * size;
        for (let b = 0; b < size; b++) y[o++] = x[at + b];
      }
    };
  },
};
