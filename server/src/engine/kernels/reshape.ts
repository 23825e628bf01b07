// RESHAPE (tflite-micro kernels/reshape.cc): the output shape is the output tensor's (with one
// -1 stretched); Eval copies the bytes unless the plan put both tensors at the same place.

import { type EngineTensor, type Eval, type Kernel, type KernelContext } from './kernel';

/** The Eval of every shape-only op (RESHAPE, SQUEEZE, EXPAND_DIMS): a byte copy, or nothing. */
export function copyThrough(ctx: KernelContext, input: EngineTensor, output: EngineTensor): Eval {
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
}

export const reshape: Kernel = {
  prepare(ctx: KernelContext): Eval {
    const count = ctx.inputCount();
    if (count !== 1 && count !== 2) ctx.fail(`expects 1 or 2 inputs, has ${count}`);
    return copyThrough(ctx, ctx.input(0), ctx.output(0));
  },
};
