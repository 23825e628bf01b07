// RESHAPE (tflite-micro kernels/reshape.cc): the output shape is the output tensor's (with one
// -1 stretched); Eval copies the bytes unless the plan put both tensors at the same place.

import { type Eval, type Kernel, type KernelContext } from './kernel';

export const reshape: Kernel = {
  prepare(ctx: KernelContext): Eval {
    const count = ctx.inputCount();
    if (count !== 1 && count !== 2) ctx.fail(`expects 1 or 2 inputs, has ${count}`);
    const input = ctx.input(0);
    const output = ctx.output(0);
    if (input.dtype !== output.dtype) ctx.fail(`input ${input.dtype} and output ${output.dtype} differ`);
    if (input.bytes.length !== output.bytes.length) {
      ctx.fail(`input has ${input.bytes.length} bytes, output ${output.bytes.length}`);
    }
    const src = input.bytes;
    const dst = output.bytes;
    if (src.buffer === dst.buffer && src.byteOffset === dst.byteOffset) return () => {};
    return () => {
      dst.set(src);
    };
  },
};
