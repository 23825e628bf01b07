// MAX_POOL_2D (tflite-micro kernels/pooling.cc, reference MaxPool): the running maximum starts at
// the type's lowest value and is then clamped to the activation range.

import { type Eval, type Kernel, type KernelContext } from './kernel';
import { preparePool } from './poolingCommon';

export const maxPool2d: Kernel = {
  prepare(ctx: KernelContext): Eval {
    const g = preparePool(ctx);
    const { batches, inH, inW, depth, outH, outW, strideH, strideW, padH, padW, rows, cols, min, max } = g;
    const floating = g.input.dtype === 'float32';
    if (!floating && g.input.dtype !== 'int8' && g.input.dtype !== 'int16') {
      return ctx.fail(`input type ${g.input.dtype} not supported`);
    }
    const lowest = floating ? -3.4028234663852886e38 : g.input.dtype === 'int8' ? -128 : -32768;
    const x = g.input.data as Float32Array | Int8Array | Int16Array;
    const y = g.output.data as Float32Array | Int8Array | Int16Array;
    return () => {
      let o = 0;
      for (let n = 0; n < batches; n++) {
        for (let oy = 0; oy < outH; oy++) {
          const inY0 = oy * strideH - padH;
          for (let ox = 0; ox < outW; ox++) {
            const inX0 = ox * strideW - padW;
            for (let c = 0; c < depth; c++) {
              let m = lowest;
              for (let fy = rows.start[oy]; fy < rows.end[oy]; fy++) {
                for (let fx = cols.start[ox]; fx < cols.end[ox]; fx++) {
                  const v = x[((n * inH + inY0 + fy) * inW + inX0 + fx) * depth + c];
                  m = m < v ? v : m; // std::max(m, v)
                }
              }
              m = m < min ? min : m;
              m = max < m ? max : m;
              y[o++] = m;
            }
          }
        }
      }
    };
  },
};
