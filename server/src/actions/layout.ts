// Lining up two models whose tensors may be laid out differently: TFLite keeps activations NHWC,
// ONNX convolutions NCHW, and the converters move between them (see convert/*/layout.ts). Model
// inputs are rearranged as the converters do; activations are compared where the shapes say how
// their elements correspond, and left out, with the reason, where they cannot.

import type { EngineTensor } from '../engine/engine';
import { elementCount, type Graph, type Operator } from '../model/graph';
import type { Alignment } from '../quantize/report';
import { ActionError } from './errors';

const TO_NHWC = [0, 2, 3, 1];
const TO_NCHW = [0, 3, 1, 2];
/** ONNX ops the ONNX -> TFLite converter treats as layout-only consumers of a model input. */
const LAYOUT_OPS = new Set(['Transpose', 'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze']);
/** Ops whose output has its input's element order (elementwise, type changes). */
const ORDER_KEEPING = new Set([
  'QUANTIZE', 'DEQUANTIZE', 'RELU', 'RELU6', 'RELU_N1_TO_1', 'LOGISTIC', 'TANH', 'LEAKY_RELU', 'HARD_SWISH',
  'Relu', 'Clip', 'Identity', 'QuantizeLinear', 'DequantizeLinear', 'Dropout', 'Sigmoid', 'Tanh', 'LeakyRelu', 'HardSwish', 'Cast',
]);
const RESHAPING = new Set(['RESHAPE', 'SQUEEZE', 'EXPAND_DIMS', 'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze']);
/** Ops whose 4-D output is in their format's image layout: NHWC in TFLite, NCHW in ONNX. */
const IMAGE_PRODUCERS = new Set([
  'CONV_2D', 'DEPTHWISE_CONV_2D', 'TRANSPOSE_CONV', 'AVERAGE_POOL_2D', 'MAX_POOL_2D', 'L2_POOL_2D',
  'Conv', 'ConvTranspose', 'QLinearConv', 'AveragePool', 'MaxPool', 'GlobalAveragePool', 'GlobalMaxPool', 'BatchNormalization',
]);
/** Ops whose output keeps the layout of their first run-time input. */
const LAYOUT_KEEPING = new Set([
  ...ORDER_KEEPING, 'ADD', 'SUB', 'MUL', 'PAD', 'PADV2', 'CONCATENATION', 'MAXIMUM', 'MINIMUM',
  'Add', 'Sub', 'Mul', 'Pad', 'Concat', 'Max', 'Min',
]);

export type InputAdapter = (sample: readonly Float32Array[]) => Float32Array[];

function permuted(shape: readonly number[], perm: readonly number[]): number[] {
  return perm.map((p) => shape[p]);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** A 4-D shape whose axes can be permuted without moving any element: one axis past the batch is not 1 at most. */
function orderFree(shape: readonly number[]): boolean {
  return shape.slice(1).filter((d) => d !== 1).length <= 1;
}

/** A 4-D shape that NHWC and NCHW readings share (H = W = C): the shape cannot tell the layout. */
function ambiguous(shape: readonly number[]): boolean {
  return shape.length === 4 && !orderFree(shape) && sameShape(permuted(shape, TO_NHWC), shape);
}

/** Row-major `values` of `shape` with axes permuted: output axis d is input axis perm[d]. */
export function transpose<T extends Float32Array | Float64Array>(values: T, shape: readonly number[], perm: readonly number[]): T {
  const out = new (values.constructor as new (n: number) => T)(values.length);
  const outShape = permuted(shape, perm);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const outStrides = perm.map((p) => strides[p]);
  const index = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < values.length; i++) {
    let at = 0;
    for (let d = 0; d < index.length; d++) at += index[d] * outStrides[d];
    out[i] = values[at];
    for (let d = outShape.length - 1; d >= 0; d--) {
      if (++index[d] < outShape[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

function inputShape(graph: Graph, k: number): number[] {
  const sg = graph.subgraphs[0];
  return sg.tensors[sg.inputs[k]].shape;
}

/** The ONNX -> TFLite converter's choice for a model input: NHWC unless only layout ops read it. */
function convertedToNhwc(onnx: Graph, k: number): boolean {
  const sg = onnx.subgraphs[0];
  const input = sg.inputs[k];
  const users = sg.operators.filter((op) => op.inputs.includes(input));
  return !(users.length > 0 && users.every((op) => LAYOUT_OPS.has(op.opType)));
}

/**
 * How the values of `from`'s inputs become `to`'s, where `to` is `from` converted (or a model made
 * from that): as they are, or transposed between NCHW and NHWC as the converter moved them.
 */
export function inputAdapter(from: Graph, to: Graph): InputAdapter {
  const count = from.subgraphs[0].inputs.length;
  if (to.subgraphs[0].inputs.length !== count) throw new ActionError(`the converted model has ${to.subgraphs[0].inputs.length} inputs, the original ${count}`);
  const perms = Array.from({ length: count }, (_, k): number[] | undefined => {
    const a = inputShape(from, k);
    const b = inputShape(to, k);
    if (elementCount(a) !== elementCount(b)) throw new ActionError(`input ${k} has shape [${a.join(', ')}] in the original and [${b.join(', ')}] after conversion`);
    if (a.length !== 4 || b.length !== 4 || orderFree(a)) return undefined;
    if (sameShape(a, b)) return ambiguous(a) && from.format === 'onnx' && to.format === 'tflite' && convertedToNhwc(from, k) ? TO_NHWC : undefined;
    if (sameShape(b, permuted(a, TO_NHWC))) return TO_NHWC;
    if (sameShape(b, permuted(a, TO_NCHW))) return TO_NCHW;
    return undefined;
  });
  if (perms.every((p) => p === undefined)) return (sample) => sample as Float32Array[];
  return (sample) => sample.map((values, k) => (perms[k] ? transpose(values, inputShape(from, k), perms[k]) : values));
}

/** Producer op of every tensor of subgraph 0. */
function producers(graph: Graph): Map<number, Operator> {
  const out = new Map<number, Operator>();
  for (const op of graph.subgraphs[0].operators) for (const o of op.outputs) if (o >= 0) out.set(o, op);
  return out;
}

/**
 * Whether `tensor` is a 4-D activation reshaped (flattened) to fewer dimensions, through any
 * elementwise ops: its element order is then the 4-D layout's, NHWC in one model and NCHW in the other.
 */
function reshapedFrom4d(graph: Graph, made: Map<number, Operator>, tensor: number): boolean {
  const tensors = graph.subgraphs[0].tensors;
  let t = tensor;
  for (let guard = 0; guard < tensors.length; guard++) {
    const op = made.get(t);
    if (!op || !(ORDER_KEEPING.has(op.opType) || RESHAPING.has(op.opType))) return false;
    t = op.inputs[0];
    if (t === undefined || t < 0) return false;
    if (RESHAPING.has(op.opType) && tensors[t].shape.length === 4 && !orderFree(tensors[t].shape)) return true;
  }
  return false;
}

/**
 * Whether a 4-D tensor is laid out as its format's convolutions lay out images (NHWC in TFLite,
 * NCHW in ONNX): true when an image op made it, through layout-keeping ops; undefined when unknown.
 */
function inImageLayout(graph: Graph, made: Map<number, Operator>, tensor: number): boolean | undefined {
  const tensors = graph.subgraphs[0].tensors;
  let t = tensor;
  for (let guard = 0; guard < tensors.length; guard++) {
    const op = made.get(t);
    if (!op) return undefined;
    if (IMAGE_PRODUCERS.has(op.opType)) return true;
    if (!LAYOUT_KEEPING.has(op.opType)) return undefined;
    const next = op.inputs.find((i) => i >= 0 && !(tensors[i].data && tensors[i].data!.length > 0) && tensors[i].shape.length === 4);
    if (next === undefined) return undefined;
    t = next;
  }
  return undefined;
}

/** 'nhwc' or 'nchw' for a 4-D tensor whose producers say so. */
function layoutOf(graph: Graph, made: Map<number, Operator>, tensor: number): 'nhwc' | 'nchw' | undefined {
  if (!inImageLayout(graph, made, tensor)) return undefined;
  return graph.format === 'tflite' ? 'nhwc' : 'nchw';
}

function shapeText(t: EngineTensor): string {
  return `[${t.shape.join(', ')}]`;
}

/**
 * Alignment of activations between a model and its conversion (or a model made from it): 4-D
 * tensors by their shapes (transposed between NCHW and NHWC when the shapes say so), others
 * element by element unless they were flattened from a 4-D activation. `activations` false: for
 * model outputs, which the converters always hand over in the original's order.
 */
export function layoutAlignment(original: Graph, candidate: Graph, activations = true): (o: EngineTensor, c: EngineTensor) => Alignment {
  const madeA = producers(original);
  const madeB = producers(candidate);
  return (o, c) => {
    if (o.data.length !== c.data.length) return { notComparable: `shape ${shapeText(o)} became ${shapeText(c)}` };
    if (o.shape.length === 4 && c.shape.length === 4) {
      if (sameShape(o.shape, c.shape)) {
        if (!ambiguous(o.shape)) return {};
        // H = W = C: the shape cannot tell, the ops that made the two tensors can.
        const a = layoutOf(original, madeA, o.index);
        const b = layoutOf(candidate, madeB, c.index);
        if (a === undefined || b === undefined) return { notComparable: `shape ${shapeText(o)} reads the same as NHWC and NCHW, and the ops that made it do not tell which` };
        if (a === b) return {};
        return { rearrange: (v) => transpose(v, c.shape, b === 'nchw' ? TO_NHWC : TO_NCHW) };
      }
      if (sameShape(c.shape, permuted(o.shape, TO_NCHW))) return { rearrange: (v) => transpose(v, c.shape, TO_NHWC) };
      if (sameShape(c.shape, permuted(o.shape, TO_NHWC))) return { rearrange: (v) => transpose(v, c.shape, TO_NCHW) };
      return { notComparable: `shape ${shapeText(o)} became ${shapeText(c)}` };
    }
    if (o.shape.length !== c.shape.length && (o.shape.length === 4 || c.shape.length === 4)) {
      return { notComparable: `shape ${shapeText(o)} became ${shapeText(c)}` };
    }
    if (activations && (reshapedFrom4d(original, madeA, o.index) || reshapedFrom4d(candidate, madeB, c.index))) {
      return { notComparable: 'flattened from a 4-D activation, whose element order is NHWC in one model and NCHW in the other' };
    }
    return {};
  };
}
