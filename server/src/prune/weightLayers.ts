// Which operators carry prunable weights, which input holds them, and what one weight "weighs":
// |q x scale| of its channel for int8 (the dequantized value), |w| for float.

import type { Operator, Subgraph, Tensor } from '../model/graph';
import { constantValues, isConstant, PruneError } from './graphEdit';

/** Ops whose filters the pruners consider, by default. */
export const DEFAULT_WEIGHT_OPS: readonly string[] = ['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'Conv', 'Gemm', 'MatMul'];

export interface WeightLayer {
  op: Operator;
  /** Input slot of the weights. */
  slot: number;
  tensor: Tensor;
}

/** The weight input of an op, if it is a constant: slot 1, or for MatMul whichever input is constant. */
function weightSlot(sg: Subgraph, op: Operator): number | undefined {
  const constantAt = (k: number): boolean => k < op.inputs.length && op.inputs[k] >= 0 && isConstant(sg.tensors[op.inputs[k]]);
  if (op.opType === 'MatMul') {
    if (constantAt(1)) return 1;
    return constantAt(0) ? 0 : undefined;
  }
  return constantAt(1) ? 1 : undefined;
}

export interface WeightLayerScan {
  layers: WeightLayer[];
  /** Ops of the selected types without a constant weight input (e.g. ONNX QDQ weights behind DequantizeLinear). */
  withoutConstantWeights: Operator[];
}

/** Operators of the given types, in execution order, with their constant weight tensors. */
export function findWeightLayers(sg: Subgraph, ops: readonly string[] = DEFAULT_WEIGHT_OPS): WeightLayerScan {
  const wanted = new Set(ops);
  const layers: WeightLayer[] = [];
  const withoutConstantWeights: Operator[] = [];
  for (const op of sg.operators) {
    if (!wanted.has(op.opType)) continue;
    const slot = weightSlot(sg, op);
    if (slot === undefined) withoutConstantWeights.push(op);
    else layers.push({ op, slot, tensor: sg.tensors[op.inputs[slot]] });
  }
  return { layers, withoutConstantWeights };
}

/** Channel of each flat element along `axis` of `shape`. */
export function channelOf(shape: readonly number[], axis: number): (i: number) => number {
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d];
  const channels = shape[axis] ?? 1;
  return (i) => Math.floor(i / inner) % channels;
}

/** Weight types the pruners read: int8/int16 quantized (symmetric), float32, float64. */
export function isSupportedWeightType(dtype: string): boolean {
  return dtype === 'int8' || dtype === 'int16' || dtype === 'float32' || dtype === 'float64';
}

/** Dequantized weight values (signed) and the raw stored values. */
export interface WeightValues {
  stored: Float64Array;
  real: Float64Array;
  quantized: boolean;
}

/**
 * The weights as stored and as real numbers. Quantized weights must be symmetric (zero point 0),
 * or setting q to 0 would not make the weight 0: those are refused.
 */
export function weightValues(t: Tensor, where: string): WeightValues {
  const stored = constantValues(t);
  if (t.dtype === 'float32' || t.dtype === 'float64') return { stored, real: stored, quantized: false };
  if (!isSupportedWeightType(t.dtype)) throw new PruneError(`${where}: weights of type ${t.dtype} are not supported (int8, int16, float32, float64)`);
  const q = t.quantization;
  const scales = q && q.scale.length > 0 ? q.scale : [1];
  const zeroPoints = q && q.zeroPoint.length > 0 ? q.zeroPoint : [0];
  const bad = zeroPoints.findIndex((z) => z !== 0);
  if (bad >= 0) {
    throw new PruneError(
      `${where}: weights ${t.name} are asymmetrically quantized (zero point ${zeroPoints[bad]}${zeroPoints.length > 1 ? ` on channel ${bad}` : ''}); ` +
        'zeroing the stored value would not zero the weight. Re-quantize with symmetric weights (zero point 0), as TFLM int8 kernels expect.',
    );
  }
  const real = new Float64Array(stored.length);
  if (scales.length === 1) {
    for (let i = 0; i < stored.length; i++) real[i] = stored[i] * scales[0];
  } else {
    const channel = channelOf(t.shape, q?.axis ?? 0);
    for (let i = 0; i < stored.length; i++) real[i] = stored[i] * scales[channel(i)];
  }
  return { stored, real, quantized: true };
}
