// Before calibration, the float graph is brought into the shape the converter quantizes: hybrid
// int8 weights dequantized to float (TFLM cannot run hybrid ops), batch-norm-like MUL/ADD by
// per-channel constants folded into the preceding conv or fully-connected weights and bias, and
// standalone RELU/RELU6 fused into their producer's fusedActivation.

import type { Graph, Operator, Subgraph, Tensor } from '../model/graph';
import { elementCount } from '../model/graph';

export interface PreparedGraph {
  graph: Graph;
  warnings: string[];
  /** What was changed, one line per rewrite. */
  notes: string[];
}

const WEIGHT_OPS = new Set(['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED']);

export function floatsOf(t: Tensor): Float32Array {
  if (!t.data) throw new Error(`tensor ${t.index} (${t.name}) has no data`);
  if (t.dtype !== 'float32') throw new Error(`tensor ${t.index} (${t.name}) is ${t.dtype}, not float32`);
  const copy = t.data.slice();
  return new Float32Array(copy.buffer, 0, copy.length / 4);
}

export function bytesOf(values: Float32Array | Int8Array | Int32Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/** A copy of subgraph 0 whose tensor and operator records can be changed freely. */
export function cloneGraph(graph: Graph): Graph {
  const sg = graph.subgraphs[0];
  const copy: Subgraph = {
    name: sg.name,
    tensors: sg.tensors.map((t) => ({ ...t, shape: [...t.shape], quantization: t.quantization && { ...t.quantization } })),
    operators: sg.operators.map((op) => ({ ...op, inputs: [...op.inputs], outputs: [...op.outputs], intermediates: [...op.intermediates], options: { ...op.options } })),
    inputs: [...sg.inputs],
    outputs: [...sg.outputs],
  };
  return { ...graph, subgraphs: [copy], metadata: [...graph.metadata] };
}

/** The float value of each element of a quantized constant: (q - zero point) x scale[channel]. */
export function dequantizeConstant(t: Tensor): Float32Array {
  const q = t.quantization;
  if (!t.data || !q) throw new Error(`tensor ${t.index} (${t.name}) is not a quantized constant`);
  const n = elementCount(t.shape);
  const out = new Float32Array(n);
  const src = t.dtype === 'int8' ? new Int8Array(t.data.buffer, t.data.byteOffset, n) : t.dtype === 'uint8' ? t.data : undefined;
  if (!src) throw new Error(`tensor ${t.index} (${t.name}): cannot dequantize ${t.dtype}`);
  let inner = 1;
  for (let d = q.axis + 1; d < t.shape.length; d++) inner *= t.shape[d];
  const channels = q.scale.length;
  for (let i = 0; i < n; i++) {
    const c = channels > 1 ? Math.floor(i / inner) % channels : 0;
    out[i] = Math.fround((src[i] - (q.zeroPoint[c] ?? 0)) * q.scale[c]);
  }
  return out;
}

function consumers(sg: Subgraph, tensor: number): Operator[] {
  return sg.operators.filter((op) => op.inputs.includes(tensor));
}

function isConstant(t: Tensor | undefined): t is Tensor & { data: Uint8Array } {
  return t !== undefined && t.data !== undefined && t.data.length > 0;
}

/** Per output channel values of a constant broadcast against [.., channels], or undefined. */
function perChannelConstant(t: Tensor | undefined, channels: number): Float32Array | undefined {
  if (!isConstant(t) || t.dtype !== 'float32') return undefined;
  const n = elementCount(t.shape);
  const values = floatsOf(t);
  if (n === channels && t.shape[t.shape.length - 1] === channels) return values;
  if (n === 1) return new Float32Array(channels).fill(values[0]);
  return undefined;
}

/** Index of the output channel dimension of a weight op's filter. */
function outputChannelAxis(op: Operator): number {
  return op.opType === 'DEPTHWISE_CONV_2D' ? 3 : 0;
}

export function prepareFloatGraph(source: Graph): PreparedGraph {
  const graph = cloneGraph(source);
  const sg = graph.subgraphs[0];
  const warnings: string[] = [];
  const notes: string[] = [];

  // 1. Hybrid models: int8 weights of float ops become float (dequantized exactly).
  for (const op of sg.operators) {
    for (const i of op.inputs) {
      const t = i >= 0 ? sg.tensors[i] : undefined;
      if (!isConstant(t) || t.dtype === 'float32' || t.dtype === 'int32' || !t.quantization) continue;
      const input = sg.tensors[op.inputs[0]];
      if (input?.dtype !== 'float32') continue;
      const values = dequantizeConstant(t);
      sg.tensors[i] = { ...t, dtype: 'float32', data: bytesOf(values), quantization: undefined };
      notes.push(`dequantized hybrid weight ${t.name} of ${op.opType} ${op.index}`);
    }
  }

  // 2. Fold MUL / ADD by per-channel constants into the weight op before them.
  let changed = true;
  while (changed) {
    changed = false;
    for (const op of sg.operators) {
      if (!WEIGHT_OPS.has(op.opType) || (op.options.fusedActivation !== 'NONE' && op.options.fusedActivation !== undefined)) continue;
      const out = op.outputs[0];
      if (sg.outputs.includes(out)) continue;
      const next = consumers(sg, out);
      if (next.length !== 1) continue;
      const follower = next[0];
      if (follower.opType !== 'MUL' && follower.opType !== 'ADD' && follower.opType !== 'SUB') continue;
      const other = follower.inputs[0] === out ? follower.inputs[1] : follower.inputs[0];
      const filter = sg.tensors[op.inputs[1]];
      const axis = outputChannelAxis(op);
      const channels = filter.shape[axis];
      const k = perChannelConstant(sg.tensors[other], channels);
      if (!k || !isConstant(filter) || filter.dtype !== 'float32') continue;
      if (follower.opType === 'SUB' && follower.inputs[0] !== out) continue;
      const bias = foldTarget(sg, op, channels);
      if (follower.opType === 'MUL') {
        const w = floatsOf(filter);
        let inner = 1;
        for (let d = axis + 1; d < filter.shape.length; d++) inner *= filter.shape[d];
        for (let i = 0; i < w.length; i++) w[i] = Math.fround(w[i] * k[Math.floor(i / inner) % channels]);
        sg.tensors[filter.index] = { ...filter, data: bytesOf(w), buffer: -1 };
        for (let c = 0; c < channels; c++) bias[c] = Math.fround(bias[c] * k[c]);
      } else {
        const sign = follower.opType === 'SUB' ? -1 : 1;
        for (let c = 0; c < channels; c++) bias[c] = Math.fround(bias[c] + sign * k[c]);
      }
      const biasTensor = sg.tensors[op.inputs[2]];
      sg.tensors[biasTensor.index] = { ...biasTensor, data: bytesOf(bias), buffer: -1 };
      op.outputs = [...follower.outputs];
      if (follower.options.fusedActivation !== undefined) op.options.fusedActivation = follower.options.fusedActivation;
      removeOp(sg, follower);
      notes.push(`folded ${follower.opType} into ${op.opType}`);
      changed = true;
      break;
    }
  }

  // 3. Fuse RELU / RELU6 into a producer whose activation is NONE and that feeds nothing else.
  for (const act of [...sg.operators]) {
    if (act.opType !== 'RELU' && act.opType !== 'RELU6' && act.opType !== 'RELU_N1_TO_1') continue;
    const input = act.inputs[0];
    const producer = sg.operators.find((op) => op.outputs.includes(input));
    if (!producer || producer.options.fusedActivation !== 'NONE') continue;
    if (consumers(sg, input).length !== 1 || sg.outputs.includes(input)) continue;
    producer.options.fusedActivation = act.opType;
    producer.outputs = producer.outputs.map((o) => (o === input ? act.outputs[0] : o));
    removeOp(sg, act);
    notes.push(`fused ${act.opType} into ${producer.opType}`);
  }
  return { graph, warnings, notes };
}

/** The weight op's bias values, creating a zero bias tensor when it has none. */
function foldTarget(sg: Subgraph, op: Operator, channels: number): Float32Array {
  const index = op.inputs.length > 2 ? op.inputs[2] : -1;
  if (index >= 0) return floatsOf(sg.tensors[index]);
  const zeros = new Float32Array(channels);
  const t: Tensor = { index: sg.tensors.length, name: `${sg.tensors[op.outputs[0]].name}/bias`, shape: [channels], dtype: 'float32', isVariable: false, buffer: -1, data: bytesOf(zeros) };
  sg.tensors.push(t);
  op.inputs = [op.inputs[0], op.inputs[1], t.index];
  return zeros;
}

function removeOp(sg: Subgraph, op: Operator): void {
  sg.operators = sg.operators.filter((o) => o !== op);
  sg.operators.forEach((o, i) => (o.index = i));
}
