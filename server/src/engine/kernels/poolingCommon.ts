// What AVERAGE_POOL_2D and MAX_POOL_2D share (tflite-micro kernels/pooling_common.cc): window
// geometry with TFLM's padding, the int8 scale/zero-point check, activation ranges.

import {
  type EngineTensor,
  type KernelContext,
  computePadding,
  floatActivationRange,
  fusedActivation,
  numberOption,
  quantizedActivationRange,
  requireRank,
  stringOption,
  tapRanges,
} from './kernel';

export interface PoolGeometry {
  input: EngineTensor;
  output: EngineTensor;
  batches: number;
  inH: number;
  inW: number;
  depth: number;
  outH: number;
  outW: number;
  strideH: number;
  strideW: number;
  padH: number;
  padW: number;
  rows: { start: Int32Array; end: Int32Array };
  cols: { start: Int32Array; end: Int32Array };
  /** Clamp bounds: float or quantized by the output type. */
  min: number;
  max: number;
}

export function preparePool(ctx: KernelContext): PoolGeometry {
  const input = ctx.input(0);
  const output = ctx.output(0);
  const act = fusedActivation(ctx);
  requireRank(ctx, input, 'input', 4);
  requireRank(ctx, output, 'output', 4);
  if (input.dtype !== output.dtype) ctx.fail(`input ${input.dtype} and output ${output.dtype} differ`);
  const [batches, inH, inW, depth] = input.shape;
  const [outBatches, outH, outW, outDepth] = output.shape;
  if (outBatches !== batches || outDepth !== depth) ctx.fail('output batches/depth differ from the input');
  const strideH = numberOption(ctx, 'strideH', 1);
  const strideW = numberOption(ctx, 'strideW', 1);
  const filterH = numberOption(ctx, 'filterHeight', 1);
  const filterW = numberOption(ctx, 'filterWidth', 1);
  const mode = stringOption(ctx, 'padding', 'SAME');
  const padH = computePadding(ctx, mode, inH, filterH, strideH, 1).padding;
  const padW = computePadding(ctx, mode, inW, filterW, strideW, 1).padding;
  const rows = tapRanges(outH, inH, filterH, strideH, 1, padH);
  const cols = tapRanges(outW, inW, filterW, strideW, 1, padW);
  for (let i = 0; i < outH; i++) if (rows.start[i] >= rows.end[i]) ctx.fail(`output row ${i} has an empty window`);
  for (let i = 0; i < outW; i++) if (cols.start[i] >= cols.end[i]) ctx.fail(`output column ${i} has an empty window`);

  let range: { min: number; max: number };
  if (input.dtype === 'float32') {
    range = floatActivationRange(act);
  } else if (input.dtype === 'int8' || input.dtype === 'int16') {
    // TFLM requires the pooled tensor to keep its quantization.
    if (Math.abs(Math.fround(input.scale - output.scale)) > 1e-6 || input.zeroPoint !== output.zeroPoint) {
      ctx.fail('input and output quantization must match');
    }
    range = quantizedActivationRange(ctx, act, output);
  } else {
    return ctx.fail(`input type ${input.dtype} not supported (supported: float32, int8, int16)`);
  }
  return { input, output, batches, inH, inW, depth, outH, outW, strideH, strideW, padH, padW, rows, cols, ...range };
}
