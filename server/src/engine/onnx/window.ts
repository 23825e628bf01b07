// Sliding-window geometry shared by Conv, QLinearConv, ConvInteger and the pools: ONNX's pads
// ([begin..., end...]), auto_pad (SAME_UPPER puts the odd pixel at the end), strides, dilations
// and ceil_mode, for one or two spatial axes (1-D windows run as 2-D with height 1).

import type { OnnxContext } from './context';

export interface Axis {
  inSize: number;
  kernel: number;
  stride: number;
  dilation: number;
  padBegin: number;
  padEnd: number;
  outSize: number;
  /** Per output position, the first and one-past-last kernel tap that lands inside the input. */
  tapStart: Int32Array;
  tapEnd: Int32Array;
}

export interface Window {
  h: Axis;
  w: Axis;
}

function axisOf(ctx: OnnxContext, inSize: number, kernel: number, stride: number, dilation: number, padBegin: number, padEnd: number, autoPad: string, ceilMode: boolean): Axis {
  if (!(stride > 0 && dilation > 0 && kernel > 0)) ctx.fail(`invalid window: kernel ${kernel}, stride ${stride}, dilation ${dilation}`);
  const effective = (kernel - 1) * dilation + 1;
  let outSize: number;
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    outSize = Math.ceil(inSize / stride);
    const total = Math.max(0, (outSize - 1) * stride + effective - inSize);
    padBegin = autoPad === 'SAME_UPPER' ? Math.floor(total / 2) : Math.ceil(total / 2);
    padEnd = total - padBegin;
  } else {
    if (autoPad === 'VALID') {
      padBegin = 0;
      padEnd = 0;
    } else if (autoPad !== 'NOTSET') {
      ctx.fail(`auto_pad ${autoPad} not supported`);
    }
    const span = inSize + padBegin + padEnd - effective;
    if (span < 0) ctx.fail(`window (${effective}) larger than the padded input (${inSize + padBegin + padEnd})`);
    outSize = (ceilMode ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
    // ceil_mode: a last window that would start in the end padding is dropped (as onnxruntime does).
    if (ceilMode && (outSize - 1) * stride >= inSize + padBegin) outSize--;
  }
  const tapStart = new Int32Array(outSize);
  const tapEnd = new Int32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const origin = o * stride - padBegin;
    let s = 0;
    while (s < kernel && origin + s * dilation < 0) s++;
    let e = s;
    while (e < kernel && origin + e * dilation < inSize) e++;
    tapStart[o] = s;
    tapEnd[o] = e;
  }
  return { inSize, kernel, stride, dilation, padBegin, padEnd, outSize, tapStart, tapEnd };
}

/**
 * The window of a node over an input of shape [N, C, ...spatial] with kernel `kernel` (one or two
 * entries). Reads `strides`, `dilations`, `pads`, `auto_pad` and, for pools, `ceil_mode`.
 */
export function windowOf(ctx: OnnxContext, spatial: readonly number[], kernel: readonly number[], allowCeil: boolean): Window {
  const rank = spatial.length;
  if (rank !== 1 && rank !== 2) ctx.fail(`only 1-D and 2-D windows are supported, the input has ${rank} spatial axes`);
  if (kernel.length !== rank) ctx.fail(`kernel_shape has ${kernel.length} entries for ${rank} spatial axes`);
  const strides = ctx.ints('strides') ?? new Array<number>(rank).fill(1);
  const dilations = ctx.ints('dilations') ?? new Array<number>(rank).fill(1);
  const pads = ctx.ints('pads') ?? new Array<number>(2 * rank).fill(0);
  if (strides.length !== rank || dilations.length !== rank || pads.length !== 2 * rank) ctx.fail('strides, dilations or pads do not match the spatial rank');
  const autoPad = ctx.string('auto_pad', 'NOTSET');
  const ceilMode = allowCeil && ctx.int('ceil_mode', 0) === 1;
  if (rank === 1) {
    return {
      h: axisOf(ctx, 1, 1, 1, 1, 0, 0, 'NOTSET', false),
      w: axisOf(ctx, spatial[0], kernel[0], strides[0], dilations[0], pads[0], pads[1], autoPad, ceilMode),
    };
  }
  return {
    h: axisOf(ctx, spatial[0], kernel[0], strides[0], dilations[0], pads[0], pads[2], autoPad, ceilMode),
    w: axisOf(ctx, spatial[1], kernel[1], strides[1], dilations[1], pads[1], pads[3], autoPad, ceilMode),
  };
}

/** Output shape [N, M, ...spatial] for a window over an input of rank 3 or 4. */
export function windowOutputShape(n: number, channels: number, win: Window, spatialRank: number): number[] {
  return spatialRank === 1 ? [n, channels, win.w.outSize] : [n, channels, win.h.outSize, win.w.outSize];
}
