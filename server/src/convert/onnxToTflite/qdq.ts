// Reads the quantization of a QDQ ONNX model (QuantizeLinear / DequantizeLinear around float ops,
// what onnxruntime's quantizer and tfliteToOnnx's 'qdq' mode write) as TFLite wants it: a
// DequantizeLinear of a constant is an int8 weight or int32 bias with its scales, and a float value
// whose every consumer is a QuantizeLinear with the same parameters is that int8 tensor. The
// converter then drops the Q/DQ pairs and runs the ops on the int8 tensors, as a TFLite int8 model.

import type { Operator, Quantization, Subgraph } from '../../model/graph';
import { tensorValues } from '../../model/onnx/tensorData';

export interface QuantizedConstant {
  dtype: 'int8' | 'int32';
  shape: number[];
  data: Uint8Array;
  quantization: Quantization;
}

/** Where the quantization of a QDQ model lies. */
export interface QdqFacts {
  /** Output value of a DequantizeLinear of a constant -> that constant, quantized. */
  constants: Map<number, QuantizedConstant>;
  /** Float value (an op's output) -> the int8 parameters of the QuantizeLinear consuming it. */
  activations: Map<number, Quantization>;
  /** DequantizeLinear ops of constants: already folded into `constants`. */
  folded: Set<number>;
}

/** Whether the model carries QDQ quantization (or QOperator ops, which the caller refuses). */
export function isQuantizedOnnx(sg: Subgraph): boolean {
  return sg.operators.some((op) => op.opType === 'QuantizeLinear' || op.opType === 'DequantizeLinear');
}

/** Scale, zero point and axis of a Q or DQ op, from its constant inputs 1 and 2. */
export function qdqParams(sg: Subgraph, op: Operator, rank: number): { q: Quantization; zeroType: string } | undefined {
  const scaleT = sg.tensors[op.inputs[1]];
  const zeroT = op.inputs[2] !== undefined && op.inputs[2] >= 0 ? sg.tensors[op.inputs[2]] : undefined;
  if (!scaleT?.data || (zeroT && !zeroT.data)) return undefined;
  const scale = tensorValues(scaleT.data, scaleT.dtype);
  const zeroPoint = zeroT?.data ? tensorValues(zeroT.data, zeroT.dtype) : scale?.map(() => 0);
  if (!scale || !zeroPoint || scale.length !== zeroPoint.length) return undefined;
  const rawAxis = typeof op.options.axis === 'number' ? op.options.axis : 1;
  const axis = scale.length > 1 ? (rawAxis < 0 ? rawAxis + rank : rawAxis) : 0;
  return { q: { scale: scale.map(Math.fround), zeroPoint, axis }, zeroType: zeroT?.dtype ?? 'uint8' };
}

export function sameQuantization(a: Quantization | undefined, b: Quantization | undefined): boolean {
  if (!a || !b) return a === b;
  return a.scale.length === b.scale.length && a.scale.every((s, i) => Math.fround(s) === Math.fround(b.scale[i])) && a.zeroPoint.every((z, i) => z === b.zeroPoint[i]) && (a.scale.length === 1 || a.axis === b.axis);
}

const FUSABLE_ACTIVATIONS = new Set(['Relu', 'Clip']);

export function analyzeQdq(sg: Subgraph, consumers: (value: number) => Operator[], isGraphOutput: (value: number) => boolean): QdqFacts {
  const constants = new Map<number, QuantizedConstant>();
  const activations = new Map<number, Quantization>();
  const folded = new Set<number>();
  for (const op of sg.operators) {
    if (op.opType !== 'DequantizeLinear') continue;
    const x = sg.tensors[op.inputs[0]];
    if (!x?.data) continue;
    const p = qdqParams(sg, op, x.shape.length);
    if (!p || (x.dtype !== 'int8' && x.dtype !== 'int32')) continue;
    constants.set(op.outputs[0], { dtype: x.dtype, shape: x.shape, data: x.data, quantization: p.q });
    folded.add(op.index);
  }
  for (const op of sg.operators) {
    if (op.opType !== 'QuantizeLinear') continue;
    const f = op.inputs[0];
    if (sg.inputs.includes(f) || isGraphOutput(f) || activations.has(f)) continue;
    const p = qdqParams(sg, op, sg.tensors[f].shape.length);
    if (!p) continue;
    const users = consumers(f);
    const all = users.every((u) => {
      if (u.opType !== 'QuantizeLinear') return false;
      const other = qdqParams(sg, u, sg.tensors[f].shape.length);
      return other !== undefined && sameQuantization(other.q, p.q);
    });
    if (!all) continue;
    activations.set(f, p.q);
    // The value before a Relu/Clip that will fuse into its producer is the same int8 tensor.
    const producer = sg.operators.find((o) => o.outputs.includes(f));
    if (producer && FUSABLE_ACTIVATIONS.has(producer.opType)) {
      const g = producer.inputs[0];
      if (consumers(g).length === 1 && !isGraphOutput(g) && !sg.inputs.includes(g)) activations.set(g, p.q);
    }
  }
  return { constants, activations, folded };
}
