// Copy-on-write editing of a graph for the pruners: the copy shares nothing mutable with the
// input (tensor, operator and subgraph records are fresh), and constant bytes stay views of the
// user's file until an edit replaces them with a new array. The input graph's bytes are never written.

import type { DType, Graph, Operator, Quantization, Subgraph, Tensor } from '../model/graph';
import { OFFLINE_PLAN_METADATA } from '../model/tflite/offlinePlan';

export class PruneError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PruneError';
  }
}

function copyQuantization(q: Quantization): Quantization {
  const out: Quantization = { scale: [...q.scale], zeroPoint: [...q.zeroPoint], axis: q.axis };
  if (q.min) out.min = [...q.min];
  if (q.max) out.max = [...q.max];
  return out;
}

function copyTensor(t: Tensor): Tensor {
  const out: Tensor = { ...t, shape: [...t.shape] };
  if (t.shapeSignature) out.shapeSignature = [...t.shapeSignature];
  if (t.quantization) out.quantization = copyQuantization(t.quantization);
  return out;
}

function copyOperator(op: Operator): Operator {
  return { ...op, inputs: [...op.inputs], outputs: [...op.outputs], intermediates: [...op.intermediates], options: { ...op.options } };
}

function copySubgraph(s: Subgraph): Subgraph {
  return { ...s, tensors: s.tensors.map(copyTensor), operators: s.operators.map(copyOperator), inputs: [...s.inputs], outputs: [...s.outputs] };
}

/** A structural copy whose records can be edited; constant `data` still views the source bytes. */
export function copyGraph(graph: Graph): Graph {
  const out: Graph = { ...graph, subgraphs: graph.subgraphs.map(copySubgraph), metadata: graph.metadata.map((m) => ({ ...m })) };
  if (graph.opsets) out.opsets = { ...graph.opsets };
  if (graph.offlinePlan) out.offlinePlan = [...graph.offlinePlan];
  return out;
}

/**
 * Drops TFLM's offline memory plan: its offsets were sized for the old tensors, so after a shape
 * change they would overlap live tensors. The planner then plans online, as for any model.
 */
export function dropOfflinePlan(graph: Graph): boolean {
  const had = graph.offlinePlan !== undefined || graph.metadata.some((m) => m.name === OFFLINE_PLAN_METADATA);
  graph.offlinePlan = undefined;
  graph.metadata = graph.metadata.filter((m) => m.name !== OFFLINE_PLAN_METADATA);
  return had;
}

export function isConstant(t: Tensor | undefined): t is Tensor & { data: Uint8Array } {
  return t !== undefined && t.data !== undefined && t.data.length > 0;
}

/** Bytes per element of the dtypes the pruners can slice; undefined for packed or variable types. */
export function elementSize(dtype: DType): number | undefined {
  switch (dtype) {
    case 'int8':
    case 'uint8':
    case 'bool':
      return 1;
    case 'int16':
    case 'uint16':
    case 'float16':
    case 'bfloat16':
      return 2;
    case 'int32':
    case 'uint32':
    case 'float32':
      return 4;
    case 'int64':
    case 'uint64':
    case 'float64':
      return 8;
    default:
      return undefined;
  }
}

/** Element values of a constant as numbers (little-endian), for the dtypes weights come in. */
export function constantValues(t: Tensor): Float64Array {
  const data = t.data ?? new Uint8Array(0);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const size = elementSize(t.dtype);
  if (size === undefined) throw new PruneError(`tensor ${t.index} (${t.name}): type ${t.dtype} cannot be read`);
  const n = data.byteLength / size;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    switch (t.dtype) {
      case 'int8':
        out[i] = view.getInt8(i);
        break;
      case 'uint8':
        out[i] = view.getUint8(i);
        break;
      case 'int16':
        out[i] = view.getInt16(2 * i, true);
        break;
      case 'int32':
        out[i] = view.getInt32(4 * i, true);
        break;
      case 'int64':
        out[i] = Number(view.getBigInt64(8 * i, true));
        break;
      case 'float32':
        out[i] = view.getFloat32(4 * i, true);
        break;
      case 'float64':
        out[i] = view.getFloat64(8 * i, true);
        break;
      default:
        throw new PruneError(`tensor ${t.index} (${t.name}): type ${t.dtype} cannot be read as numbers`);
    }
  }
  return out;
}

/** Little-endian int32 bytes of `values` (shape tensors). */
export function int32Bytes(values: readonly number[]): Uint8Array {
  const out = new Uint8Array(4 * values.length);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setInt32(4 * i, v, true));
  return out;
}

/** Row-major strides of a shape. */
export function strides(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length).fill(1);
  for (let d = shape.length - 2; d >= 0; d--) out[d] = out[d + 1] * shape[d + 1];
  return out;
}

/**
 * A new array holding the elements of `data` (shape `shape`) whose index along each axis in `keep`
 * is listed there, in the listed order; axes not in `keep` are copied whole.
 */
export function sliceAxes(data: Uint8Array, shape: readonly number[], size: number, keep: ReadonlyMap<number, readonly number[]>): { data: Uint8Array; shape: number[] } {
  const rank = shape.length;
  const lists: (readonly number[])[] = shape.map((d, a) => keep.get(a) ?? Array.from({ length: d }, (_, i) => i));
  const newShape = lists.map((l) => l.length);
  const oldStrides = strides(shape);
  let count = 1;
  for (const d of newShape) count *= d;
  const out = new Uint8Array(count * size);
  if (count === 0) return { data: out, shape: newShape };
  const pos = new Array<number>(rank).fill(0);
  for (let n = 0; n < count; n++) {
    let src = 0;
    for (let a = 0; a < rank; a++) src += lists[a][pos[a]] * oldStrides[a];
    out.set(data.subarray(src * size, src * size + size), n * size);
    for (let a = rank - 1; a >= 0; a--) {
      if (++pos[a] < newShape[a]) break;
      pos[a] = 0;
    }
  }
  return { data: out, shape: newShape };
}

/** Keeps the per-channel entries of a quantization whose channel axis is being sliced. */
export function sliceQuantization(q: Quantization, channels: number, keep: readonly number[]): Quantization {
  const pick = <T>(a: T[]): T[] => (a.length === channels && channels > 1 ? keep.map((k) => a[k]) : a);
  const out: Quantization = { scale: pick(q.scale), zeroPoint: pick(q.zeroPoint), axis: q.axis };
  if (q.min) out.min = pick(q.min);
  if (q.max) out.max = pick(q.max);
  return out;
}

/**
 * The tensor op `opIndex` reads at input `slot`, made exclusive to that use: a constant read by
 * any other operator input (or twice by this op) is cloned into a new tensor first, so that an
 * edit for one use never changes another.
 */
export function ownInput(sg: Subgraph, opIndex: number, slot: number): Tensor {
  const op = sg.operators[opIndex];
  const index = op.inputs[slot];
  let uses = 0;
  for (const o of sg.operators) for (const i of o.inputs) if (i === index) uses++;
  const t = sg.tensors[index];
  if (uses <= 1) return t;
  const clone = copyTensor(t);
  clone.index = sg.tensors.length;
  sg.tensors.push(clone);
  op.inputs[slot] = clone.index;
  return clone;
}
