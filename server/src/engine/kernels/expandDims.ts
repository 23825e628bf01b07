// EXPAND_DIMS (tflite-micro kernels/expand_dims.cc): inserts a size-1 dimension at the (constant)
// axis input; the bytes are unchanged, so Eval is a copy.

import { type Eval, type Kernel, type KernelContext } from './kernel';
import { copyThrough } from './reshape';

export const expandDims: Kernel = {
  prepare(ctx: KernelContext): Eval {
    if (ctx.inputCount() !== 2) ctx.fail(`expects 2 inputs, has ${ctx.inputCount()}`);
    const input = ctx.input(0);
    const axisTensor = ctx.input(1);
    const output = ctx.output(0);
    if (!axisTensor.constant) ctx.fail('a non-constant axis is not supported');
    if (axisTensor.dtype !== 'int32') ctx.fail(`axis type ${axisTensor.dtype} not supported (supported: int32)`);
    if (axisTensor.data.length !== 1) ctx.fail('axis must hold one value');
    const rank = input.shape.length;
    let axis = axisTensor.data[0];
    if (axis < 0) axis += rank + 1;
    if (axis < 0 || axis > rank) ctx.fail(`axis ${axisTensor.data[0]} is out of range for rank ${rank}`);
    const expected = [...input.shape.slice(0, axis), 1, ...input.shape.slice(axis)];
    if (expected.length !== output.shape.length || expected.some((d, i) => d !== output.shape[i])) {
      ctx.fail(`output shape [${output.shape.join(', ')}] is not [${expected.join(', ')}]`);
    }
    return copyThrough(ctx, input, output);
  },
};
