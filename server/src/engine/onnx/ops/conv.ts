// Conv (float), ConvInteger (int32 accumulators) and QLinearConv (int8/uint8 in and out,
// per-tensor or per-output-channel weight scales and zero points): NCHW, group (depthwise is
// group = C), dilations, pads and auto_pad. Padding taps are skipped, which for the integer ops is
// padding with the input zero point, as the ONNX definitions say. QLinearConv requantizes as
// onnxruntime does: float(acc + bias) * float(x_scale * w_scale / y_scale), half to even.

import type { EngineTensor, Eval, OnnxContext, OnnxKernel } from '../context';
import { integerRange, requireDType, sizeOf } from '../context';
import { ortOutputScale, ortRequantize } from '../ortRounding';
import type { Window } from '../window';
import { windowOf, windowOutputShape } from '../window';

interface ConvGeometry {
  n: number;
  c: number;
  m: number;
  group: number;
  cPerGroup: number;
  mPerGroup: number;
  kh: number;
  kw: number;
  win: Window;
  outShape: number[];
}

function geometry(ctx: OnnxContext, x: EngineTensor, w: EngineTensor): ConvGeometry {
  const rank = x.shape.length;
  if (rank !== 3 && rank !== 4) ctx.fail(`input must have rank 3 or 4, has shape [${x.shape.join(', ')}]`);
  if (w.shape.length !== rank) ctx.fail(`weights shape [${w.shape.join(', ')}] does not match input rank ${rank}`);
  const group = ctx.int('group', 1);
  const [n, c] = x.shape;
  const m = w.shape[0];
  if (!(group >= 1) || c % group !== 0 || m % group !== 0) ctx.fail(`group ${group} does not divide ${c} input and ${m} output channels`);
  if (w.shape[1] !== c / group) ctx.fail(`weights have ${w.shape[1]} input channels per group, expected ${c / group}`);
  const kernel = w.shape.slice(2);
  const declared = ctx.ints('kernel_shape');
  if (declared && declared.join() !== kernel.join()) ctx.fail(`kernel_shape [${declared.join(', ')}] differs from the weights [${kernel.join(', ')}]`);
  const win = windowOf(ctx, x.shape.slice(2), kernel, false);
  return {
    n, c, m, group, cPerGroup: c / group, mPerGroup: m / group,
    kh: rank === 4 ? kernel[0] : 1, kw: kernel[kernel.length - 1],
    win, outShape: windowOutputShape(n, m, win, rank - 2),
  };
}

/**
 * The convolution loop: out[n, m, oh, ow] = init[m] + sum (x - xZero) * w over the in-bounds taps.
 * `w` already has the weight zero points taken out. Allocates nothing.
 */
function convolve(g: ConvGeometry, x: ArrayLike<number>, xZero: number, w: ArrayLike<number>, init: ArrayLike<number> | undefined, out: { [i: number]: number }): void {
  const { win, cPerGroup, mPerGroup, kh, kw } = g;
  const H = win.h.inSize, W = win.w.inSize, OH = win.h.outSize, OW = win.w.outSize;
  const sh = win.h.stride, sw = win.w.stride, dh = win.h.dilation, dw = win.w.dilation;
  const ph = win.h.padBegin, pw = win.w.padBegin;
  const hs = win.h.tapStart, he = win.h.tapEnd, ws = win.w.tapStart, we = win.w.tapEnd;
  let o = 0;
  for (let b = 0; b < g.n; b++) {
    for (let m = 0; m < g.m; m++) {
      const grp = Math.floor(m / mPerGroup);
      const bias = init ? init[m] : 0;
      const xGroup = (b * g.c + grp * cPerGroup) * H * W;
      const wFilter = m * cPerGroup * kh * kw;
      for (let oh = 0; oh < OH; oh++) {
        const ih0 = oh * sh - ph;
        const k0 = hs[oh], k1 = he[oh];
        for (let ow = 0; ow < OW; ow++) {
          const iw0 = ow * sw - pw;
          const j0 = ws[ow], j1 = we[ow];
          let acc = bias;
          for (let c = 0; c < cPerGroup; c++) {
            const xc = xGroup + c * H * W;
            const wc = wFilter + c * kh * kw;
            for (let i = k0; i < k1; i++) {
              const xRow = xc + (ih0 + i * dh) * W + iw0;
              const wRow = wc + i * kw;
              for (let j = j0; j < j1; j++) acc += (x[xRow + j * dw] - xZero) * w[wRow + j];
            }
          }
          out[o++] = acc;
        }
      }
    }
  }
}

export const conv: OnnxKernel = (ctx) => {
  const x = ctx.input(0);
  const w = ctx.input(1);
  const b = ctx.optionalInput(2);
  requireDType(ctx, x, 'input', ['float32']);
  requireDType(ctx, w, 'weights', ['float32']);
  const g = geometry(ctx, x, w);
  if (b && (b.dtype !== 'float32' || sizeOf(b.shape) !== g.m)) ctx.fail(`bias must be float32 with ${g.m} elements`);
  const y = ctx.output(0, g.outShape, 'float32');
  // Double accumulation: onnxruntime's float32 sums differ from it by rounding only (~1e-7 relative).
  return () => convolve(g, x.data, 0, w.data, b?.data, y.data);
};

/** Weight values minus their zero point (per tensor or per output channel), as int32. */
function centeredWeights(ctx: OnnxContext, w: EngineTensor, zero: number[] | undefined, m: number): Int32Array {
  const perFilter = sizeOf(w.shape) / m;
  const z = zero ?? [0];
  if (z.length !== 1 && z.length !== m) ctx.fail(`weight zero point has ${z.length} values for ${m} output channels`);
  const out = new Int32Array(sizeOf(w.shape));
  for (let i = 0; i < out.length; i++) out[i] = w.data[i] - (z.length === 1 ? z[0] : z[Math.floor(i / perFilter)]);
  return out;
}

function scalar(ctx: OnnxContext, values: number[] | undefined, what: string, fallback: number): number {
  if (values === undefined) return fallback;
  if (values.length !== 1) ctx.fail(`${what} must be a scalar (has ${values.length} values)`);
  return values[0];
}

export const convInteger: OnnxKernel = (ctx) => {
  const x = ctx.input(0);
  const w = ctx.input(1);
  requireDType(ctx, x, 'input', ['int8', 'uint8']);
  requireDType(ctx, w, 'weights', ['int8', 'uint8']);
  if (!w.constant) ctx.fail('weights must be constant');
  const g = geometry(ctx, x, w);
  const xZero = scalar(ctx, ctx.optionalConstant(2), 'x_zero_point', 0);
  const wq = centeredWeights(ctx, w, ctx.optionalConstant(3), g.m);
  const y = ctx.output(0, g.outShape, 'int32');
  return () => convolve(g, x.data, xZero, wq, undefined, y.data);
};

export const qlinearConv: OnnxKernel = (ctx) => {
  const x = ctx.input(0);
  const w = ctx.input(3);
  requireDType(ctx, x, 'input', ['int8', 'uint8']);
  requireDType(ctx, w, 'weights', ['int8', 'uint8']);
  if (!w.constant) ctx.fail('weights must be constant');
  const g = geometry(ctx, x, w);
  const xScale = scalar(ctx, ctx.constant(1), 'x_scale', 0);
  const xZero = scalar(ctx, ctx.constant(2), 'x_zero_point', 0);
  const wScales = ctx.constant(4);
  if (wScales.length !== 1 && wScales.length !== g.m) ctx.fail(`w_scale has ${wScales.length} values for ${g.m} output channels`);
  const wq = centeredWeights(ctx, w, ctx.constant(5), g.m);
  const yScale = scalar(ctx, ctx.constant(6), 'y_scale', 0);
  const yZero = scalar(ctx, ctx.optionalConstant(7), 'y_zero_point', 0);
  const outType = ctx.optionalInput(7)?.dtype ?? x.dtype;
  const bias = ctx.optionalInput(8);
  if (bias && (bias.dtype !== 'int32' || sizeOf(bias.shape) !== g.m)) ctx.fail(`bias must be int32 with ${g.m} elements`);
  const scales = new Float64Array(g.m);
  for (let m = 0; m < g.m; m++) scales[m] = ortOutputScale(xScale, wScales.length === 1 ? wScales[0] : wScales[m], yScale);
  const { min, max } = integerRange(ctx, outType);
  const y = ctx.output(0, g.outShape, outType);
  const acc = new Int32Array(sizeOf(g.outShape));
  const plane = sizeOf(g.outShape.slice(2));
  const eval_: Eval = () => {
    convolve(g, x.data, xZero, wq, bias?.data, acc);
    const out = y.data;
    for (let i = 0; i < acc.length; i++) {
      const m = Math.floor(i / plane) % g.m;
      out[i] = ortRequantize(acc[i], scales[m], yZero, min, max);
    }
  };
  return eval_;
};
