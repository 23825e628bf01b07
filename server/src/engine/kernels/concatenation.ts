// CONCATENATION (tflite-micro kernels/concatenation.cc, reference Concatenation): joins the inputs
// along one axis by copying, with no requantization, so int8 inputs must share the output's
// scale and zero point (TFLM refuses otherwise). Any fixed-size type.

import { type Eval, type Kernel, type KernelContext, elementCountOf, elementSize, fusedActivation, numberOption } from './kernel';

export const concatenation: Kernel = {
  prepare(ctx: KernelContext): Eval {
    const count = ctx.inputCount();
    if (count < 1) ctx.fail('expects at least one input');
    const output = ctx.output(0);
    if (fusedActivation(ctx) !== 'NONE') ctx.fail('a fused activation is not supported');
    const rank = output.shape.length;
    let axis = numberOption(ctx, 'axis', 0);
    if (axis < 0) axis += rank;
    if (axis < 0 || axis >= rank) ctx.fail(`axis ${numberOption(ctx, 'axis', 0)} is out of range for rank ${rank}`);
    if (!['int8', 'int16', 'int32', 'int64', 'float32', 'bool'].includes(output.dtype)) {
      ctx.fail(`type ${output.dtype} not supported (supported: float32, int8, int16, int32, int64, bool)`);
    }
    const inputs = Array.from({ length: count }, (_, i) => ctx.input(i));
    let axisTotal = 0;
    for (const [i, t] of inputs.entries()) {
      if (t.dtype !== output.dtype) ctx.fail(`input ${i} type ${t.dtype} differs from the output ${output.dtype}`);
      if (t.shape.length !== rank || t.shape.some((d, k) => k !== axis && d !== output.shape[k])) {
        ctx.fail(`input ${i} shape [${t.shape.join(', ')}] does not fit the output [${output.shape.join(', ')}]`);
      }
      if (t.dtype === 'int8' && (t.scale !== output.scale || t.zeroPoint !== output.zeroPoint)) {
        ctx.fail(`input ${i} quantization differs from the output's`);
      }
      if (t.dtype === 'int16' && (t.zeroPoint !== 0 || output.zeroPoint !== 0)) ctx.fail('int16 zero points must be 0');
      axisTotal += t.shape[axis];
    }
    if (axisTotal !== output.shape[axis]) ctx.fail(`inputs give ${axisTotal} along axis ${axis}, output has ${output.shape[axis]}`);
    const size = elementSize(output);
    let inner = size;
    for (let d = axis + 1; d < rank; d++) inner *= output.shape[d];
    const outer = elementCountOf(output.shape.slice(0, axis));
    const sources = inputs.map((t) => t.bytes);
    const chunks = Int32Array.from(inputs, (t) => t.shape[axis] * inner);
    const y = output.bytes;
    return () => {
      let o = 0;
      for (let n = 0; n < outer; n++) {
        for (let i = 0; i < count; i++) {
          const src = sources[i];
          const chunk = chunks[i];
          const base = n * chunk;
          for (let k = 0; k < chunk; k++) y[o++] = src[base + k];
        }
      }
    };
  },
};
