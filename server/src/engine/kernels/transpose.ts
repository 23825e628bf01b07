// TRANSPOSE (tflite-micro kernels/transpose.cc + transpose_common.cc, reference Transpose): up to
// 5 dimensions by a constant permutation. Type-agnostic: elements move as whole byte groups, so
// every type TFLM transposes (int8, int16, int32, float32, bool) takes the same path.

import { type Eval, type Kernel, type KernelContext, constantInt32, elementCountOf, elementSize, stridesOf } from './kernel';

export const transpose: Kernel = {
  prepare(ctx: KernelContext): Eval {
    if (ctx.inputCount() !== 2) ctx.fail(`expects 2 inputs, has ${ctx.inputCount()}`);
    const input = ctx.input(0);
    const perm = constantInt32(ctx, ctx.input(1), 'perm');
    const output = ctx.output(0);
    if (input.dtype !== output.dtype) ctx.fail(`input ${input.dtype} and output ${output.dtype} differ`);
    const rank = input.shape.length;
    if (rank > 5) ctx.fail('TRANSPOSE supports 1D-5D inputs');
    if (perm.length !== rank) ctx.fail(`perm has ${perm.length} entries for rank ${rank}`);
    const seen = new Set<number>();
    for (const p of perm) {
      if (p < 0 || p >= rank || seen.has(p)) ctx.fail(`perm [${Array.from(perm).join(', ')}] is not a permutation`);
      seen.add(p);
    }
    const expected = Array.from(perm, (p) => input.shape[p]);
    if (expected.length !== output.shape.length || expected.some((d, i) => d !== output.shape[i])) {
      ctx.fail(`output shape [${output.shape.join(', ')}] is not [${expected.join(', ')}]`);
    }
    // Walk the output in order; the input position advances by the permuted input strides.
    // Padded to 5 dimensions at the front so that one fixed loop nest covers every rank.
    const inStrides = stridesOf(input.shape);
    const dims = [1, 1, 1, 1, 1];
    const steps = [0, 0, 0, 0, 0];
    for (let k = 0; k < rank; k++) {
      dims[5 - rank + k] = expected[k];
      steps[5 - rank + k] = inStrides[perm[k]];
    }
    const [d0, d1, d2, d3, d4] = dims;
    const [s0, s1, s2, s3, s4] = steps;
    const size = elementSize(input);
    if (elementCountOf(input.shape) !== elementCountOf(output.shape)) ctx.fail('input and output sizes differ');
    const src = size === 1 ? input.bytes : input.data;
    const dst = size === 1 ? output.bytes : output.data;
    if (size !== 1 && src.length !== elementCountOf(input.shape)) ctx.fail(`type ${input.dtype} not supported`);
    return () => {
      let o = 0;
      for (let i0 = 0, p0 = 0; i0 < d0; i0++, p0 += s0) {
        for (let i1 = 0, p1 = p0; i1 < d1; i1++, p1 += s1) {
          for (let i2 = 0, p2 = p1; i2 < d2; i2++, p2 += s2) {
            for (let i3 = 0, p3 = p2; i3 < d3; i3++, p3 += s3) {
              for (let i4 = 0, p4 = p3; i4 < d4; i4++, p4 += s4) dst[o++] = src[p4];
            }
          }
        }
      }
    };
  },
};
