// CONV_2D (tflite-micro kernels/conv.cc + conv_common.cc, reference ConvPerChannel and float
// Conv): NHWC input, OHWI filter, SAME/VALID padding, strides, dilation and grouped filters.
// int8 always runs the per-channel path (a per-tensor scale is broadcast, as TFLM does); int16
// activations with int8 filters (16x8) accumulate in int32 or int64 by the bias type.

import {
  multiplyByQuantizedMultiplier,
  multiplyByQuantizedMultiplierFast,
  multiplyByQuantizedMultiplierInt64,
  quantizeMultiplier,
} from '../fixedPoint';
import { prepareInt8Gemm } from './fast/int8Gemm';
import {
  type Eval,
  type Kernel,
  type KernelContext,
  computePadding,
  floatActivationRange,
  fusedActivation,
  numberOption,
  quantizedActivationRange,
  requireRank,
  requireType,
  stringOption,
  tapRanges,
  wideBias,
} from './kernel';

export const conv2d: Kernel = {
  prepare(ctx: KernelContext): Eval {
    const input = ctx.input(0);
    const filter = ctx.input(1);
    const bias = ctx.optionalInput(2);
    const output = ctx.output(0);
    const act = fusedActivation(ctx);
    requireRank(ctx, input, 'input', 4);
    requireRank(ctx, filter, 'filter', 4);
    requireRank(ctx, output, 'output', 4);
    if (input.dtype !== output.dtype) ctx.fail(`input ${input.dtype} and output ${output.dtype} differ`);
    const [batches, inH, inW, inC] = input.shape;
    const [outC, fH, fW, filterInC] = filter.shape;
    const [outBatches, outH, outW, outDepth] = output.shape;
    if (outBatches !== batches || outDepth !== outC) ctx.fail('output shape does not match input batches / filter count');
    if (filterInC <= 0 || inC % filterInC !== 0) ctx.fail(`input depth ${inC} is not a multiple of filter depth ${filterInC}`);
    const groups = inC / filterInC;
    if (outC % groups !== 0) ctx.fail(`output depth ${outC} is not a multiple of ${groups} groups`);
    const filtersPerGroup = outC / groups;
    if (bias && bias.data.length < outC) ctx.fail('bias is shorter than the output depth');

    const strideH = numberOption(ctx, 'strideH', 1);
    const strideW = numberOption(ctx, 'strideW', 1);
    const dilH = numberOption(ctx, 'dilationH', 1);
    const dilW = numberOption(ctx, 'dilationW', 1);
    const mode = stringOption(ctx, 'padding', 'SAME');
    const padH = computePadding(ctx, mode, inH, fH, strideH, dilH).padding;
    const padW = computePadding(ctx, mode, inW, fW, strideW, dilW).padding;
    // The reference takes the output size from the output tensor, the padding from the formula.
    const rows = tapRanges(outH, inH, fH, strideH, dilH, padH);
    const cols = tapRanges(outW, inW, fW, strideW, dilW, padW);

    if (input.dtype === 'float32') {
      requireType(ctx, filter, 'filter', ['float32']);
      if (bias) requireType(ctx, bias, 'bias', ['float32']);
      const x = input.data as Float32Array;
      const w = filter.data as Float32Array;
      const b = bias ? (bias.data as Float32Array) : undefined;
      const y = output.data as Float32Array;
      const { min, max } = floatActivationRange(act);
      return () => {
        const f = Math.fround;
        let o = 0;
        for (let n = 0; n < batches; n++) {
          for (let oy = 0; oy < outH; oy++) {
            const inY0 = oy * strideH - padH;
            const fy0 = rows.start[oy];
            const fy1 = rows.end[oy];
            for (let ox = 0; ox < outW; ox++) {
              const inX0 = ox * strideW - padW;
              const fx0 = cols.start[ox];
              const fx1 = cols.end[ox];
              for (let oc = 0; oc < outC; oc++) {
                const groupBase = Math.floor(oc / filtersPerGroup) * filterInC;
                let total = 0;
                for (let fy = fy0; fy < fy1; fy++) {
                  const xRow = ((n * inH + inY0 + dilH * fy) * inW + inX0) * inC + groupBase;
                  const wRow = (oc * fH + fy) * fW * filterInC;
                  for (let fx = fx0; fx < fx1; fx++) {
                    const xp = xRow + dilW * fx * inC;
                    const wp = wRow + fx * filterInC;
                    for (let ic = 0; ic < filterInC; ic++) total = f(total + f(x[xp + ic] * w[wp + ic]));
                  }
                }
                let v = f(total + (b ? b[oc] : 0));
                v = v < min ? min : v;
                v = max < v ? max : v;
                y[o++] = v;
              }
            }
          }
        }
      };
    }

    if (input.dtype === 'int8') {
      requireType(ctx, filter, 'filter', ['int8']);
      if (bias) requireType(ctx, bias, 'bias', ['int32']);
      const channels = filter.scales.length;
      if (channels !== 1 && channels !== outC) ctx.fail(`filter has ${channels} scales for ${outC} output channels`);
      const { min, max } = quantizedActivationRange(ctx, act, output);
      const multipliers = new Int32Array(outC);
      const shifts = new Int32Array(outC);
      for (let c = 0; c < outC; c++) {
        const q = quantizeMultiplier((input.scale * filter.scales[channels > 1 ? c : 0]) / output.scale);
        multipliers[c] = q.multiplier;
        shifts[c] = q.shift;
      }
      const inputOffset = -input.zeroPoint;
      const outputOffset = output.zeroPoint;
      const x = input.data as Int8Array;
      const w = filter.data as Int8Array;
      const b = bias ? (bias.data as Int32Array) : undefined;
      const y = output.data as Int8Array;
      if (groups === 1) {
        const geometry = { batches, inH, inW, inC, outH, outW, outC, fH, fW, strideH, strideW, dilH, dilW, padH, padW, rows, cols };
        const params = { x, w, bias: b, y, inputOffset, filterOffset: 0, outputOffset, multipliers, shifts, min, max };
        const fast = prepareInt8Gemm(geometry, params);
        if (fast) return fast;
      }
      // Without WebAssembly SIMD: where the whole window lies inside the input (always, for 1x1 filters without padding),
      // sum(w * (x + offset)) = sum(w * x) + offset * sum(w): the same integer, one add fewer per
      // MAC. With groups == 1 and no width dilation a window row is one contiguous run.
      const windowSize = fH * fW * filterInC;
      const filterSums = new Int32Array(outC);
      for (let c = 0; c < outC; c++) {
        let sum = 0;
        for (let k = 0; k < windowSize; k++) sum += w[c * windowSize + k];
        filterSums[c] = sum;
      }
      const contiguousRows = groups === 1 && dilW === 1;
      const rowRun = fW * inC;
      const fullRow = new Uint8Array(outH);
      const fullCol = new Uint8Array(outW);
      for (let i = 0; i < outH; i++) fullRow[i] = rows.start[i] === 0 && rows.end[i] === fH ? 1 : 0;
      for (let i = 0; i < outW; i++) fullCol[i] = cols.start[i] === 0 && cols.end[i] === fW ? 1 : 0;
      return () => {
        let o = 0;
        for (let n = 0; n < batches; n++) {
          for (let oy = 0; oy < outH; oy++) {
            const inY0 = oy * strideH - padH;
            const fy0 = rows.start[oy];
            const fy1 = rows.end[oy];
            for (let ox = 0; ox < outW; ox++) {
              const inX0 = ox * strideW - padW;
              if (contiguousRows && fullRow[oy] === 1 && fullCol[ox] === 1) {
                const xBase = ((n * inH + inY0) * inW + inX0) * inC;
                // Four output channels at a time share each input load.
                for (let oc = 0; oc < outC; oc += 4) {
                  let a0 = 0;
                  let a1 = 0;
                  let a2 = 0;
                  let a3 = 0;
                  const lanes = outC - oc < 4 ? outC - oc : 4;
                  let w0 = oc * windowSize;
                  for (let fy = 0; fy < fH; fy++) {
                    const xp = xBase + dilH * fy * inW * inC;
                    if (lanes === 4) {
                      const w1 = w0 + windowSize;
                      const w2 = w1 + windowSize;
                      const w3 = w2 + windowSize;
                      for (let k = 0; k < rowRun; k++) {
                        const xv = x[xp + k];
                        a0 += w[w0 + k] * xv;
                        a1 += w[w1 + k] * xv;
                        a2 += w[w2 + k] * xv;
                        a3 += w[w3 + k] * xv;
                      }
                    } else {
                      for (let l = 0; l < lanes; l++) {
                        const wl = w0 + l * windowSize;
                        let a = 0;
                        for (let k = 0; k < rowRun; k++) a += w[wl + k] * x[xp + k];
                        if (l === 0) a0 += a;
                        else if (l === 1) a1 += a;
                        else a2 += a;
                      }
                    }
                    w0 += rowRun;
                  }
                  for (let l = 0; l < lanes; l++) {
                    const c = oc + l;
                    let acc = l === 0 ? a0 : l === 1 ? a1 : l === 2 ? a2 : a3;
                    acc = (acc + inputOffset * filterSums[c]) | 0;
                    if (b) acc = (acc + b[c]) | 0;
                    let v = multiplyByQuantizedMultiplierFast(acc, multipliers[c], shifts[c]) + outputOffset;
                    v = v < min ? min : v;
                    v = v > max ? max : v;
                    y[o++] = v;
                  }
                }
                continue;
              }
              const fx0 = cols.start[ox];
              const fx1 = cols.end[ox];
              for (let oc = 0; oc < outC; oc++) {
                const groupBase = Math.floor(oc / filtersPerGroup) * filterInC;
                let acc = 0;
                for (let fy = fy0; fy < fy1; fy++) {
                  const xRow = ((n * inH + inY0 + dilH * fy) * inW + inX0) * inC + groupBase;
                  const wRow = (oc * fH + fy) * fW * filterInC;
                  for (let fx = fx0; fx < fx1; fx++) {
                    const xp = xRow + dilW * fx * inC;
                    const wp = wRow + fx * filterInC;
                    for (let ic = 0; ic < filterInC; ic++) acc += w[wp + ic] * (x[xp + ic] + inputOffset);
                  }
                }
                acc |= 0;
                if (b) acc = (acc + b[oc]) | 0;
                let v = multiplyByQuantizedMultiplierFast(acc, multipliers[oc], shifts[oc]) + outputOffset;
                v = v < min ? min : v;
                v = v > max ? max : v;
                y[o++] = v;
              }
            }
          }
        }
      };
    }
    if (input.dtype === 'int16') {
      requireType(ctx, filter, 'filter', ['int8']);
      const channels = filter.scales.length;
      if (channels !== 1 && channels !== outC) ctx.fail(`filter has ${channels} scales for ${outC} output channels`);
      if (input.zeroPoint !== 0 || output.zeroPoint !== 0) ctx.fail('int16 input and output need zero points of 0');
      const { min, max } = quantizedActivationRange(ctx, act, output);
      const { values: b, int32Accumulator } = wideBias(ctx, bias);
      const multipliers = new Int32Array(outC);
      const shifts = new Int32Array(outC);
      for (let c = 0; c < outC; c++) {
        const q = quantizeMultiplier((input.scale * filter.scales[channels > 1 ? c : 0]) / output.scale);
        multipliers[c] = q.multiplier;
        shifts[c] = q.shift;
      }
      const x = input.data as Int16Array;
      const w = filter.data as Int8Array;
      const y = output.data as Int16Array;
      // reference_integer_ops::ConvPerChannel<int16>: no input or output offset.
      return () => {
        let o = 0;
        for (let n = 0; n < batches; n++) {
          for (let oy = 0; oy < outH; oy++) {
            const inY0 = oy * strideH - padH;
            for (let ox = 0; ox < outW; ox++) {
              const inX0 = ox * strideW - padW;
              for (let oc = 0; oc < outC; oc++) {
                const groupBase = Math.floor(oc / filtersPerGroup) * filterInC;
                let acc = 0;
                for (let fy = rows.start[oy]; fy < rows.end[oy]; fy++) {
                  const xRow = ((n * inH + inY0 + dilH * fy) * inW + inX0) * inC + groupBase;
                  const wRow = (oc * fH + fy) * fW * filterInC;
                  for (let fx = cols.start[ox]; fx < cols.end[ox]; fx++) {
                    const xp = xRow + dilW * fx * inC;
                    const wp = wRow + fx * filterInC;
                    for (let ic = 0; ic < filterInC; ic++) acc += w[wp + ic] * x[xp + ic];
                  }
                }
                if (b) acc += b[oc];
                let v = int32Accumulator
                  ? multiplyByQuantizedMultiplier(acc | 0, multipliers[oc], shifts[oc])
                  : multiplyByQuantizedMultiplierInt64(acc, multipliers[oc], shifts[oc]);
                v = v < min ? min : v;
                v = v > max ? max : v;
                y[o++] = v;
              }
            }
          }
        }
      };
    }
    return ctx.fail(`input type ${input.dtype} not supported (supported: float32, int8, int16)`);
  },
};
