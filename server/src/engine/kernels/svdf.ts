// SVDF (tflite-micro kernels/svdf.cc + svdf_common.cc, EvalIntegerSvdfReference and the float
// reference): a rank-r factorised filter over time. Each invoke shifts the persistent activation
// state left by one, writes the feature projection of the new input into each filter's newest
// slot, then reduces the state against the time weights. int8 input/output with int8 or int16
// state and time weights; float32. TFLM's integer path clamps only to the int8 range: the fused
// activation is not applied (the converter's RELU is folded into the output zero point).

import { multiplyByQuantizedMultiplier, quantizeMultiplier } from '../fixedPoint';
import { type Eval, type Kernel, type KernelContext, fusedActivation, floatActivationRange, numberOption, requireType } from './kernel';

export const svdf: Kernel = {
  prepare(ctx: KernelContext): Eval {
    if (ctx.inputCount() !== 5) ctx.fail(`expects 5 inputs, has ${ctx.inputCount()}`);
    const input = ctx.input(0);
    const weightsFeature = ctx.input(1);
    const weightsTime = ctx.input(2);
    const bias = ctx.optionalInput(3);
    const state = ctx.input(4);
    const output = ctx.output(0);
    const rank = numberOption(ctx, 'rank', 1);
    if (input.shape.length !== 2) ctx.fail(`input must have rank 2, has [${input.shape.join(', ')}]`);
    const [batches, inputSize] = input.shape;
    const numFilters = weightsFeature.shape[0];
    if (rank <= 0 || numFilters % rank !== 0) ctx.fail(`${numFilters} filters are not a multiple of rank ${rank}`);
    const numUnits = numFilters / rank;
    const memorySize = weightsTime.shape[1];
    if (weightsFeature.shape.length !== 2 || weightsFeature.shape[1] !== inputSize) ctx.fail('feature weights must be [filters, input size]');
    if (weightsTime.shape.length !== 2 || weightsTime.shape[0] !== numFilters) ctx.fail('time weights must be [filters, memory size]');
    if (output.shape.length !== 2 || output.shape[0] !== batches || output.shape[1] !== numUnits) {
      ctx.fail(`output must be [${batches}, ${numUnits}], is [${output.shape.join(', ')}]`);
    }
    if (bias && bias.data.length !== numUnits) ctx.fail(`bias must have ${numUnits} elements`);
    if (state.data.length !== batches * memorySize * numFilters) ctx.fail('activation state has the wrong size');
    if (state.constant) ctx.fail('activation state must be a variable tensor');
    const stateLength = batches * numFilters * memorySize;

    if (input.dtype === 'int8') {
      requireType(ctx, weightsFeature, 'feature weights', ['int8']);
      requireType(ctx, weightsTime, 'time weights', ['int8', 'int16']);
      requireType(ctx, state, 'activation state', ['int8', 'int16']);
      requireType(ctx, output, 'output', ['int8']);
      if (bias) requireType(ctx, bias, 'bias', ['int32']);
      const f = Math.fround;
      // Both effective scales are float32 products/quotients, widened afterwards (svdf_common.cc).
      const q1 = quantizeMultiplier(f(f(input.scale * weightsFeature.scale) / state.scale));
      const q2 = quantizeMultiplier(f(f(state.scale * weightsTime.scale) / output.scale));
      if (bias && Math.abs(bias.scale - f(state.scale * weightsTime.scale)) >= 1e-5) {
        ctx.fail('bias scale must equal state scale x time weights scale');
      }
      const stateMin = state.dtype === 'int16' ? -32768 : -128;
      const stateMax = state.dtype === 'int16' ? 32767 : 127;
      const inputZeroPoint = input.zeroPoint;
      const stateZeroPoint = state.zeroPoint;
      const outputZeroPoint = output.zeroPoint;
      const x = input.data as Int8Array;
      const wf = weightsFeature.data as Int8Array;
      const wt = weightsTime.data as Int8Array | Int16Array;
      const s = state.data as Int8Array | Int16Array;
      const b = bias ? (bias.data as Int32Array) : undefined;
      const y = output.data as Int8Array;
      // TFLM's two scratch buffers, allocated once here.
      const scratch = new Int32Array(batches * numFilters);
      const scratchOutput = new Int32Array(batches * numUnits);
      return () => {
        // Shift the whole state left by one element (the newest slot of each filter is rewritten).
        s.copyWithin(0, 1, stateLength);
        // Feature projection of the new input into each filter's newest slot.
        for (let n = 0; n < batches; n++) {
          const xBase = n * inputSize;
          for (let r = 0; r < numFilters; r++) {
            const wBase = r * inputSize;
            let dot = 0;
            for (let c = 0; c < inputSize; c++) dot += wf[wBase + c] * (x[xBase + c] - inputZeroPoint);
            dot = multiplyByQuantizedMultiplier(dot | 0, q1.multiplier, q1.shift);
            dot = dot < stateMin ? stateMin : dot > stateMax ? stateMax : dot;
            // Stored with the zero point added and narrowed to the state type (no second clamp).
            s[(n * numFilters + r) * memorySize + memorySize - 1] = stateZeroPoint + dot;
          }
        }
        // Time reduction per filter.
        for (let n = 0; n < batches; n++) {
          for (let i = 0; i < numFilters; i++) {
            const sBase = (n * numFilters + i) * memorySize;
            const wBase = i * memorySize;
            let acc = 0;
            for (let j = 0; j < memorySize; j++) acc += wt[wBase + j] * (s[sBase + j] - stateZeroPoint);
            scratch[n * numFilters + i] = acc;
          }
        }
        // Bias, rank reduction, rescale to the output.
        for (let n = 0; n < batches; n++) {
          for (let u = 0; u < numUnits; u++) {
            let acc = b ? b[u] : 0;
            for (let r = 0; r < rank; r++) acc = (acc + scratch[n * numFilters + u * rank + r]) | 0;
            scratchOutput[n * numUnits + u] = acc;
          }
        }
        for (let i = 0; i < batches * numUnits; i++) {
          let v = multiplyByQuantizedMultiplier(scratchOutput[i], q2.multiplier, q2.shift) + outputZeroPoint;
          v = v < -128 ? -128 : v > 127 ? 127 : v;
          y[i] = v;
        }
      };
    }

    if (input.dtype === 'float32') {
      for (const [t, what] of [[weightsFeature, 'feature weights'], [weightsTime, 'time weights'], [state, 'activation state'], [output, 'output']] as const) {
        requireType(ctx, t, what, ['float32']);
      }
      if (bias) requireType(ctx, bias, 'bias', ['float32']);
      const { min, max } = floatActivationRange(fusedActivation(ctx));
      const x = input.data as Float32Array;
      const wf = weightsFeature.data as Float32Array;
      const wt = weightsTime.data as Float32Array;
      const s = state.data as Float32Array;
      const b = bias ? (bias.data as Float32Array) : undefined;
      const y = output.data as Float32Array;
      const scratch = new Float32Array(batches * numFilters);
      const f = Math.fround;
      return () => {
        s.copyWithin(0, 1, stateLength);
        for (let n = 0; n < batches; n++) {
          for (let r = 0; r < numFilters; r++) {
            let dot = 0;
            for (let c = 0; c < inputSize; c++) dot = f(dot + f(wf[r * inputSize + c] * x[n * inputSize + c]));
            s[(n * numFilters + r) * memorySize + memorySize - 1] = dot;
          }
        }
        for (let n = 0; n < batches; n++) {
          for (let i = 0; i < numFilters; i++) {
            const sBase = (n * numFilters + i) * memorySize;
            let acc = 0;
            for (let j = 0; j < memorySize; j++) acc = f(acc + f(wt[i * memorySize + j] * s[sBase + j]));
            scratch[n * numFilters + i] = acc;
          }
        }
        for (let n = 0; n < batches; n++) {
          for (let u = 0; u < numUnits; u++) {
            let acc = b ? b[u] : 0;
            for (let r = 0; r < rank; r++) acc = f(acc + scratch[n * numFilters + u * rank + r]);
            // ActivationValFloat: RELU / RELU6 / RELU_N1_TO_1 clamp (TANH etc. are refused above).
            y[n * numUnits + u] = acc < min ? min : acc > max ? max : acc;
          }
        }
      };
    }
    return ctx.fail(`input type ${input.dtype} not supported (supported: float32, int8)`);
  },
};
