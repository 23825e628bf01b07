// SQUEEZE (tflite-micro kernels/squeeze.cc): drops size-1 dimensions (all of them, or the listed
// `squeezeDims`); the bytes are unchanged, so Eval is a copy.

import { type Eval, type Kernel, type KernelContext } from './kernel';
import { copyThrough } from './reshape';

export const squeeze: Kernel = {
  prepare(ctx: KernelContext): Eval {
    if (ctx.inputCount() !== 1) ctx.fail(`expects 1 input, has ${ctx.inputCount()}`);
    const input = ctx.input(0);
    const output = ctx.output(0);
    const dimsOption = ctx.op.options.squeezeDims;
    const dims = Array.isArray(dimsOption) ? (dimsOption as number[]) : [];
    const rank = input.shape.length;
    const drop = new Set(dims.map((d) => (d < 0 ? d + rank : d)));
    for (const d of drop) {
      if (d < 0 || d >= rank || input.shape[d] !== 1) ctx.fail(`cannot squeeze dimension ${d} of [${input.shape.join(', ')}]`);
    }
    const expected = input.shape.filter((d, i) => (drop.size > 0 ? !drop.has(i) : d !== 1));
    if (expected.length !== output.shape.length || expected.some((d, i) => d !== output.shape[i])) {
      ctx.fail(`output shape [${output.shape.join(', ')}] is not [${expected.join(', ')}]`);
    }
    return copyThrough(ctx, input, output);
  },
};
