// DEPTHWISE_CONV_2D (tflite-micro kernels/depthwise_conv.cc + depthwise_conv_common.cc, reference
// DepthwiseConvPerChannel and float DepthwiseConv): NHWC input, 1HWC filter, depth multiplier,
// SAME/VALID padding, strides and dilation; int16 activations with int8 filters (16x8) accumulate
// in int64 with an int64 bias (TFLM reads the bias as int64 on that path).

import {
  multiplyByQuantizedMultiplierFast,
  multiplyByQuantizedMultiplierInt64,
  quantizeMultiplier,
} from '../fixedPoint';
import { prepareInt8Depthwise } from './fast/int8Depthwise';
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

export const depthwiseConv2d: Kernel = {
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
    const [, fH, fW, filterC] = filter.shape;
    const [outBatches, outH, outW, outC] = output.shape;
    const depthMultiplier = numberOption(ctx, 'depthMultiplier', 1) || outC / Math.max(inC, 1);
    if (outBatches !== batches) ctx.fail('output batches differ from input batches');
    if (outC !== filterC || outC !== inC * depthMultiplier) {
      ctx.fail(`output depth ${outC} must equal filter depth ${filterC} and input depth ${inC} x multiplier ${depthMultiplier}`);
    }
    if (bias && bias.data.length < outC) ctx.fail('bias is shorter than the output depth');

    const strideH = numberOption(ctx, 'strideH', 1);
    const strideW = numberOption(ctx, 'strideW', 1);
    const dilH = numberOption(ctx, 'dilationH', 1);
    const dilW = numberOption(ctx, 'dilationW', 1);
    const mode = stringOption(ctx, 'padding', 'SAME');
    const padH = computePadding(ctx, mode, inH, fH, strideH, dilH).padding;
    const padW = computePadding(ctx, mode, inW, fW, strideW, dilW).padding;
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
        for (let n = 0; n < batches; n++) {
          for (let oy = 0; oy < outH; oy++) {
            const inY0 = oy * strideH - padH;
            const fy0 = rows.start[oy];
            const fy1 = rows.end[oy];
            for (let ox = 0; ox < outW; ox++) {
              const inX0 = ox * strideW - padW;
              const fx0 = cols.start[ox];
              const fx1 = cols.end[ox];
              const outBase = ((n * outH + oy) * outW + ox) * outC;
              for (let ic = 0; ic < inC; ic++) {
                for (let m = 0; m < depthMultiplier; m++) {
                  const oc = m + ic * depthMultiplier;
                  let total = 0;
                  for (let fy = fy0; fy < fy1; fy++) {
                    const xRow = ((n * inH + inY0 + dilH * fy) * inW + inX0) * inC + ic;
                    const wRow = fy * fW * outC + oc;
                    for (let fx = fx0; fx < fx1; fx++) {
                      total = f(total + f(x[xRow + dilW * fx * inC] * w[wRow + fx * outC]));
                    }
                  }
                  let v = f(total + (b ? b[oc] : 0));
                  v = v < min ? min : v;
                  v = max < v ? max : v;
                  y[outBase + oc] = v;
                }
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
      const fast = prepareInt8Depthwise(
        { batches, inH, inW, inC, outH, outW, outC, fH, fW, strideH, strideW, dilH, dilW, padH, padW, rows, cols },
        { x, w, bias: b, y, depthMultiplier, inputOffset, outputOffset, multipliers, shifts, min, max },
      );
      if (fast) return fast;
      // Without WebAssembly SIMD:
      const xStepX = dilW * inC;
      const wStepX = outC;
      // With a depth multiplier of 1 the channels are independent lanes: accumulate a whole
      // pixel's channels tap by tap over contiguous runs, in a buffer allocated here, once.
      const lanes = new Int32Array(depthMultiplier === 1 ? outC : 0);
      const evalLanes = () => {
        for (let n = 0; n < batches; n++) {
          for (let oy = 0; oy < outH; oy++) {
            const inY0 = oy * strideH - padH;
            const fy0 = rows.start[oy];
            const fy1 = rows.end[oy];
            for (let ox = 0; ox < outW; ox++) {
              const inX0 = ox * strideW - padW;
              const fx0 = cols.start[ox];
              const fx1 = cols.end[ox];
              lanes.fill(0);
              for (let fy = fy0; fy < fy1; fy++) {
                for (let fx = fx0; fx < fx1; fx++) {
                  const xp = ((n * inH + inY0 + dilH * fy) * inW + inX0 + dilW * fx) * inC;
                  const wp = (fy * fW + fx) * outC;
                  for (let c = 0; c < outC; c++) lanes[c] += w[wp + c] * (x[xp + c] + inputOffset);
                }
              }
              const outBase = ((n * outH + oy) * outW + ox) * outC;
              for (let c = 0; c < outC; c++) {
                let acc = lanes[c];
                if (b) acc = (acc + b[c]) | 0;
                let v = multiplyByQuantizedMultiplierFast(acc, multipliers[c], shifts[c]) + outputOffset;
                v = v < min ? min : v;
                v = v > max ? max : v;
                y[outBase + c] = v;
              }
            }
          }
        }
      };
      if (depthMultiplier === 1) return evalLanes;
      return () => {
        for (let n = 0; n < batches; n++) {
          for (let oy = 0; oy < outH; oy++) {
            const inY0 = oy * strideH - padH;
            const fy0 = rows.start[oy];
            const fy1 = rows.end[oy];
            for (let ox = 0; ox < outW; ox++) {
              const inX0 = ox * strideW - padW;
              const fx0 = cols.start[ox];
              const fx1 = cols.end[ox];
              const outBase = ((n * outH + oy) * outW + ox) * outC;
              for (let ic = 0; ic < inC; ic++) {
                for (let m = 0; m < depthMultiplier; m++) {
                  const oc = m + ic * depthMultiplier;
                  let acc = 0;
                  for (let fy = fy0; fy < fy1; fy++) {
                    let xp = ((n * inH + inY0 + dilH * fy) * inW + inX0 + dilW * fx0) * inC + ic;
                    let wp = (fy * fW + fx0) * outC + oc;
                    for (let fx = fx0; fx < fx1; fx++) {
                      acc += w[wp] * (x[xp] + inputOffset);
                      xp += xStepX;
                      wp += wStepX;
                    }
                  }
                  acc |= 0;
                  if (b) acc = (acc + b[oc]) | 0;
                  let v = multiplyByQuantizedMultiplierFast(acc, multipliers[oc], shifts[oc]) + outputOffset;
                  v = v < min ? min : v;
                  v = v > max ? max : v;
                  y[outBase + oc] = v;
                }
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
      const { values: b } = wideBias(ctx, bias, false);
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
      return () => {
        for (let n = 0; n < batches; n++) {
          for (let oy = 0; oy < outH; oy++) {
            const inY0 = oy * strideH - padH;
            for (let ox = 0; ox < outW; ox++) {
              const inX0 = ox * strideW - padW;
              const outBase = ((n * outH + oy) * outW + ox) * outC;
              for (let ic = 0; ic < inC; ic++) {
                for (let m = 0; m < depthMultiplier; m++) {
                  const oc = m + ic * depthMultiplier;
                  let acc = 0;
                  for (let fy = rows.start[oy]; fy < rows.end[oy]; fy++) {
                    for (let fx = cols.start[ox]; fx < cols.end[ox]; fx++) {
                      acc += w[(fy * fW + fx) * outC + oc] * x[((n * inH + inY0 + dilH * fy) * inW + inX0 + dilW * fx) * inC + ic];
                    }
                  }
                  if (b) acc += b[oc];
                  let v = multiplyByQuantizedMultiplierInt64(acc, multipliers[oc], shifts[oc]);
                  v = v < min ? min : v;
                  v = v > max ? max : v;
                  y[outBase + oc] = v;
                }
              }
            }
          }
        }
      };
    }
    return ctx.fail(`input type ${input.dtype} not supported (supported: float32, int8, int16)`);
  },
};
