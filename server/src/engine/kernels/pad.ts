// PAD and PADV2 (tflite-micro kernels/pad.cc + pad_common.cc, reference Pad): constant padding of
// up to 5 dimensions. The pad value is the output zero point for int8 PAD (0 for other types) or
// PADV2's scalar constant, which for int8 must share the output's quantization.

import { type Eval, type Kernel, type KernelContext, constantInt32, elementCountOf, stridesOf } from './kernel';

export const pad: Kernel = {
  prepare(ctx: KernelContext): Eval {
    const count = ctx.inputCount();
    if (count !== 2 && count !== 3) ctx.fail(`expects 2 or 3 inputs, has ${count}`);
    const input = ctx.input(0);
    const paddings = constantInt32(ctx, ctx.input(1), 'paddings');
    const constant = count === 3 ? ctx.optionalInput(2) : undefined;
    const output = ctx.output(0);
    if (input.dtype !== output.dtype) ctx.fail(`input ${input.dtype} and output ${output.dtype} differ`);
    const rank = input.shape.length;
    if (rank > 5) ctx.fail('PAD supports up to 5 dimensions');
    if (output.shape.length !== rank || paddings.length !== rank * 2) ctx.fail(`paddings must be [${rank}, 2]`);
    for (let i = 0; i < rank; i++) {
      const before = paddings[2 * i];
      const after = paddings[2 * i + 1];
      if (before < 0 || after < 0) ctx.fail('negative paddings are not supported');
      if (output.shape[i] !== input.shape[i] + before + after) {
        ctx.fail(`output dimension ${i} is ${output.shape[i]}, expected ${input.shape[i] + before + after}`);
      }
    }
    if (!['int8', 'int16', 'int32', 'float32'].includes(input.dtype)) {
      ctx.fail(`type ${input.dtype} not supported (supported: float32, int8, int16, int32)`);
    }
    let padValue = 0;
    if (constant) {
      if (constant.dtype !== input.dtype || constant.data.length !== 1) ctx.fail('the pad value must be one element of the input type');
      if (input.dtype === 'int8' && (constant.zeroPoint !== output.zeroPoint || constant.scale !== output.scale)) {
        ctx.fail('the pad value must share the output quantization');
      }
    } else if (input.dtype === 'int8') {
      padValue = output.zeroPoint;
    }
    const x = input.data;
    const y = output.data;
    const constantData = constant?.data;

    // Rows along the last dimension: each output row is either all padding or
    // [before | input row | after]. Rows are walked with an odometer over the leading dims.
    const last = rank - 1;
    const rows = rank === 0 ? 1 : elementCountOf(output.shape) / Math.max(output.shape[last], 1);
    const outRow = rank === 0 ? 1 : output.shape[last];
    const inRow = rank === 0 ? 1 : input.shape[last];
    const rowBefore = rank === 0 ? 0 : paddings[2 * last];
    const inStrides = stridesOf(input.shape);
    const lead = Math.max(rank - 1, 0);
    const pos = new Int32Array(lead);
    const outDims = Int32Array.from(output.shape.slice(0, lead));
    const inDims = Int32Array.from(input.shape.slice(0, lead));
    const before = Int32Array.from({ length: lead }, (_, i) => paddings[2 * i]);
    const strides = Int32Array.from(inStrides.slice(0, lead));
    return () => {
      const value = constantData ? constantData[0] : padValue;
      pos.fill(0);
      let o = 0;
      for (let r = 0; r < rows; r++) {
        let inside = true;
        let inBase = 0;
        for (let d = 0; d < lead; d++) {
          const i = pos[d] - before[d];
          if (i < 0 || i >= inDims[d]) {
            inside = false;
            break;
          }
          inBase += i * strides[d];
        }
        if (!inside) {
          for (let k = 0; k < outRow; k++) y[o++] = value;
        } else {
          for (let k = 0; k < rowBefore; k++) y[o++] = value;
          for (let k = 0; k < inRow; k++) y[o++] = x[inBase + k];
          for (let k = rowBefore + inRow; k < outRow; k++) y[o++] = value;
        }
        for (let d = lead - 1; d >= 0; d--) {
          if (++pos[d] < outDims[d]) break;
          pos[d] = 0;
        }
      }
    };
  },
};
