// AVERAGE_POOL_2D (tflite-micro kernels/pooling.cc, reference AveragePool): the integer average
// rounds half away from zero by integer division, the float one divides a float32 sum.

import { type Eval, type Kernel, type KernelContext } from './kernel';
import { preparePool } from './poolingCommon';

export const averagePool2d: Kernel = {
  prepare(ctx: KernelContext): Eval {
    const g = preparePool(ctx);
    const { batches, inH, inW, depth, outH, outW, strideH, strideW, padH, padW, rows, cols, min, max } = g;
    if (g.input.dtype === 'float32') {
      const x = g.input.data as Float32Array;
      const y = g.output.data as Float32Array;
      return () => {
        const f = Math.fround;
        let o = 0;
        for (let n = 0; n < batches; n++) {
          for (let oy = 0; oy < outH; oy++) {
            const inY0 = oy * strideH - padH;
            for (let ox = 0; ox < outW; ox++) {
              const inX0 = ox * strideW - padW;
              for (let c = 0; c < depth; c++) {
                let total = 0;
                let count = 0;
                for (let fy = rows.start[oy]; fy < rows.end[oy]; fy++) {
                  for (let fx = cols.start[ox]; fx < cols.end[ox]; fx++) {
                    total = f(total + x[((n * inH + inY0 + fy) * inW + inX0 + fx) * depth + c]);
                    count++;
                  }
                }
                let v = f(total / count);
                v = v < min ? min : v;
                v = max < v ? max : v;
                y[o++] = v;
              }
            }
          }
        }
      };
    }
    if (g.input.dtype === 'int8' || g.input.dtype === 'int16') {
      const x = g.input.data as Int8Array | Int16Array;
      const y = g.output.data as Int8Array | Int16Array;
      return () => {
        let o = 0;
        for (let n = 0; n < batches; n++) {
          for (let oy = 0; oy < outH; oy++) {
            const inY0 = oy * strideH - padH;
            for (let ox = 0; ox < outW; ox++) {
              const inX0 = ox * strideW - padW;
              for (let c = 0; c < depth; c++) {
                let acc = 0;
                let count = 0;
                for (let fy = rows.start[oy]; fy < rows.end[oy]; fy++) {
                  for (let fx = cols.start[ox]; fx < cols.end[ox]; fx++) {
                    acc += x[((n * inH + inY0 + fy) * inW + inX0 + fx) * depth + c];
                    count++;
                  }
                }
                const half = count >> 1;
                let v = acc > 0 ? Math.trunc((acc + half) / count) : Math.trunc((acc - half) / count);
                v = v < min ? min : v;
                v = v > max ? max : v;
                y[o++] = v;
              }
            }
          }
        }
      };
    }
    return ctx.fail(`input type ${g.input.dtype} not supported`);
  },
};
