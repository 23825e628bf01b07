// FULLY_CONNECTED (tflite-micro kernels/fully_connected.cc, reference FullyConnected and
// FullyConnectedPerChannel): int8 with per-tensor or per-channel filter scales, int16 activations
// with int8 weights (16x8: int32 or int64 accumulator by the bias type), and float32 with a
// single-precision accumulator. Batches are every leading dimension of the output.

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
  elementCountOf,
  floatActivationRange,
  fusedActivation,
  quantizedActivationRange,
  requireType,
  wideBias,
} from './kernel';

export const fullyConnected: Kernel = {
  prepare(ctx: KernelContext): Eval {
    const input = ctx.input(0);
    const filter = ctx.input(1);
    const bias = ctx.optionalInput(2);
    const output = ctx.output(0);
    const act = fusedActivation(ctx);
    if (input.dtype !== output.dtype) ctx.fail(`input ${input.dtype} and output ${output.dtype} differ`);
    if (filter.shape.length < 2) ctx.fail(`filter must have rank >= 2, has [${filter.shape.join(', ')}]`);
    if (output.shape.length < 1) ctx.fail('output must have rank >= 1');
    const outputDepth = output.shape[output.shape.length - 1];
    const batches = elementCountOf(output.shape) / Math.max(outputDepth, 1);
    const accumDepth = filter.shape[filter.shape.length - 1];
    if (outputDepth > filter.shape[filter.shape.length - 2]) ctx.fail('output depth exceeds the filter rows');
    if (elementCountOf(input.shape) < batches * accumDepth) ctx.fail('input has fewer elements than batches x depth');
    if (bias && elementCountOf(bias.shape) < outputDepth) ctx.fail('bias is shorter than the output depth');

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
          const xBase = n * accumDepth;
          for (let oc = 0; oc < outputDepth; oc++) {
            const wBase = oc * accumDepth;
            // One float32 rounding per product and per sum, as the reference's float accumulator.
            let total = 0;
            for (let d = 0; d < accumDepth; d++) total = f(total + f(x[xBase + d] * w[wBase + d]));
            let v = f(total + (b ? b[oc] : 0));
            v = v < min ? min : v; // std::max(v, min)
            v = max < v ? max : v; // std::min(v, max)
            y[n * outputDepth + oc] = v;
          }
        }
      };
    }

    if (input.dtype === 'int8' || input.dtype === 'int16') {
      requireType(ctx, filter, 'filter', ['int8']);
      if (bias && input.dtype === 'int8') requireType(ctx, bias, 'bias', ['int32']);
      const { min, max } = quantizedActivationRange(ctx, act, output);
      const perChannel = filter.scales.length > 1;
      const multipliers = new Int32Array(outputDepth);
      const shifts = new Int32Array(outputDepth);
      if (perChannel) {
        if (filter.scales.length !== filter.shape[0]) ctx.fail('per-channel scales do not match filter rows');
        for (let c = 0; c < outputDepth; c++) {
          // double(input_scale) * double(filter_scale) / double(output_scale)
          const q = quantizeMultiplier((input.scale * filter.scales[c]) / output.scale);
          multipliers[c] = q.multiplier;
          shifts[c] = q.shift;
        }
      } else {
        // GetQuantizedConvolutionMultipler: the input x filter product is taken in float first.
        const q = quantizeMultiplier(Math.fround(input.scale * filter.scale) / output.scale);
        multipliers.fill(q.multiplier);
        shifts.fill(q.shift);
      }
      const inputOffset = -input.zeroPoint;
      // The per-channel reference ignores the filter zero point; the per-tensor one applies it.
      const filterOffset = perChannel ? 0 : -filter.zeroPoint;
      const outputOffset = output.zeroPoint;
      if (input.dtype === 'int16') {
        const { values: b64, int32Accumulator } = wideBias(ctx, bias);
        const x16 = input.data as Int16Array;
        const w8 = filter.data as Int8Array;
        const y16 = output.data as Int16Array;
        return () => {
          for (let n = 0; n < batches; n++) {
            const xBase = n * accumDepth;
            for (let oc = 0; oc < outputDepth; oc++) {
              const wBase = oc * accumDepth;
              // |products| < 2^23: exact in a double for any realistic depth.
              let acc = 0;
              for (let d = 0; d < accumDepth; d++) acc += (w8[wBase + d] + filterOffset) * (x16[xBase + d] + inputOffset);
              if (b64) acc += b64[oc];
              let v = int32Accumulator
                ? multiplyByQuantizedMultiplier(acc | 0, multipliers[oc], shifts[oc])
                : multiplyByQuantizedMultiplierInt64(acc, multipliers[oc], shifts[oc]);
              v += outputOffset;
              v = v < min ? min : v;
              v = v > max ? max : v;
              y16[n * outputDepth + oc] = v;
            }
          }
        };
      }
      const x = input.data as Int8Array;
      const w = filter.data as Int8Array;
      const b = bias ? (bias.data as Int32Array) : undefined;
      const y = output.data as Int8Array;
      // Batches of rows are a 1x1 convolution over `batches` pixels.
      const whole = { start: new Int32Array(1), end: new Int32Array(1).fill(1) };
      const fast = prepareInt8Gemm(
        { batches, inH: 1, inW: 1, inC: accumDepth, outH: 1, outW: 1, outC: outputDepth, fH: 1, fW: 1, strideH: 1, strideW: 1, dilH: 1, dilW: 1, padH: 0, padW: 0, rows: whole, cols: whole },
        { x, w, bias: b, y, inputOffset, filterOffset, outputOffset, multipliers, shifts, min, max },
      );
      if (fast) return fast;
      return () => {
        for (let n = 0; n < batches; n++) {
          const xBase = n * accumDepth;
          for (let oc = 0; oc < outputDepth; oc++) {
            const wBase = oc * accumDepth;
            let acc = 0;
            for (let d = 0; d < accumDepth; d++) acc += (w[wBase + d] + filterOffset) * (x[xBase + d] + inputOffset);
            acc |= 0;
            if (b) acc = (acc + b[oc]) | 0;
            let v = multiplyByQuantizedMultiplierFast(acc, multipliers[oc], shifts[oc]) + outputOffset;
            v = v < min ? min : v;
            v = v > max ? max : v;
            y[n * outputDepth + oc] = v;
          }
        }
      };
    }
    return ctx.fail(`input type ${input.dtype} not supported (supported: float32, int8, int16)`);
  },
};
