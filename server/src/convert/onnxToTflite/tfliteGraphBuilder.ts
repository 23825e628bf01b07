// Accumulates a TFLite-format graph IR for the ONNX -> TFLite converter (#5): tensors, operators
// and which op produces each tensor, with the shape-only peepholes the layout change needs (a
// RESHAPE or TRANSPOSE of a RESHAPE or TRANSPOSE collapses into one, an identity disappears), and
// on build the dead ops and tensors left behind by those peepholes are dropped and the rest renumbered.

import type { DType, Graph, Operator, OptionValue, Quantization, Tensor } from '../../model/graph';
import { opVersion } from '../../model/tflite/write/opVersion';
import { builtinCodeOf } from '../../model/tflite/writer';

/** Axis moves that keep the element order: only size-1 axes change place. */
export function permutationIsReshape(shape: readonly number[], perm: readonly number[]): boolean {
  const kept = perm.filter((p) => shape[p] !== 1);
  return kept.every((p, i) => i === 0 || kept[i - 1] < p);
}

export function isIdentityPermutation(perm: readonly number[]): boolean {
  return perm.every((p, i) => p === i);
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Ops that only move bytes: their output shares the input's type and quantization. */
const DATA_MOVEMENT = new Set(['RESHAPE', 'TRANSPOSE', 'PAD', 'PADV2', 'SQUEEZE', 'EXPAND_DIMS']);

export class TfliteGraphBuilder {
  readonly tensors: Tensor[] = [];
  readonly operators: Operator[] = [];
  /** Tensor index -> index of the op producing it. */
  private readonly producer = new Map<number, number>();
  private readonly names = new Set<string>();
  private nextBuffer = 1;

  private unique(base: string): string {
    const clean = base || 'tensor';
    let name = clean;
    for (let k = 1; this.names.has(name); k++) name = `${clean}_${k}`;
    this.names.add(name);
    return name;
  }

  /** A run-time tensor (planned in the arena). */
  activation(name: string, shape: readonly number[], dtype: DType = 'float32', quantization?: Quantization): number {
    const index = this.tensors.length;
    this.tensors.push({ index, name: this.unique(name), shape: [...shape], dtype, isVariable: false, buffer: 0, ...(quantization ? { quantization } : {}) });
    return index;
  }

  /** A constant tensor owning `bytes` (little-endian, row-major). */
  constant(name: string, dtype: DType, shape: readonly number[], bytes: Uint8Array, quantization?: Quantization): number {
    const index = this.tensors.length;
    this.tensors.push({ index, name: this.unique(name), shape: [...shape], dtype, data: bytes, isVariable: false, buffer: this.nextBuffer++, ...(quantization ? { quantization } : {}) });
    return index;
  }

  floats(name: string, shape: readonly number[], values: Float32Array): number {
    return this.constant(name, 'float32', shape, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }

  int32s(name: string, shape: readonly number[], values: readonly number[]): number {
    return this.constant(name, 'int32', shape, new Uint8Array(Int32Array.from(values).buffer));
  }

  /** A fresh output tensor like `like` (same type and quantization) with another shape. */
  derived(like: number, name: string, shape: readonly number[]): number {
    const t = this.tensors[like];
    return this.activation(name, shape, t.dtype, t.quantization);
  }

  op(opType: string, inputs: readonly number[], outputs: readonly number[], options: Record<string, OptionValue> = {}): Operator {
    const code = builtinCodeOf(opType);
    if (code === undefined) throw new Error(`${opType} is not a TFLite builtin`);
    const op: Operator = { index: this.operators.length, opType, known: true, builtinCode: code, custom: false, version: 1, inputs: [...inputs], outputs: [...outputs], intermediates: [], options };
    this.operators.push(op);
    for (const o of outputs) this.producer.set(o, op.index);
    return op;
  }

  producerOf(tensor: number): Operator | undefined {
    const i = this.producer.get(tensor);
    return i === undefined ? undefined : this.operators[i];
  }

  /** `x` with a new shape: no op when the shape is the same, one RESHAPE from the first non-reshape source. */
  reshape(x: number, shape: readonly number[], name: string): number {
    let source = x;
    for (let p = this.producerOf(source); p && p.opType === 'RESHAPE'; p = this.producerOf(source)) source = p.inputs[0];
    if (sameShape(this.tensors[x].shape, shape)) return x;
    if (sameShape(this.tensors[source].shape, shape)) return source;
    const y = this.derived(source, name, shape);
    this.op('RESHAPE', [source, this.int32s(`${name}_shape`, [shape.length], shape)], [y]);
    return y;
  }

  /** `x` with axes permuted (out axis d is in axis perm[d]); a RESHAPE when only size-1 axes move. */
  transpose(x: number, perm: readonly number[], name: string): number {
    let source = x;
    let p = [...perm];
    const from = this.producerOf(x);
    if (from?.opType === 'TRANSPOSE') {
      const inner = this.constPerm(from.inputs[1]);
      if (inner) {
        source = from.inputs[0];
        p = p.map((k) => inner[k]);
      }
    }
    const shape = this.tensors[source].shape;
    const outShape = p.map((k) => shape[k]);
    if (isIdentityPermutation(p)) return source;
    if (permutationIsReshape(shape, p)) return this.reshape(source, outShape, name);
    const y = this.derived(source, name, outShape);
    this.op('TRANSPOSE', [source, this.int32s(`${name}_perm`, [p.length], p)], [y]);
    return y;
  }

  private constPerm(t: number): number[] | undefined {
    const data = this.tensors[t].data;
    return data ? Array.from(new Int32Array(data.slice().buffer)) : undefined;
  }

  /** Whether an op's output shares its input's quantization by construction. */
  static isDataMovement(opType: string): boolean {
    return DATA_MOVEMENT.has(opType);
  }

  /**
   * Gives `tensor` its quantization, and the same to the int8 tensors it was moved from (a graph
   * input reshaped or transposed before its first DequantizeLinear) that have none yet.
   */
  quantizeBackwards(tensor: number, q: Quantization): void {
    for (let t: number | undefined = tensor; t !== undefined; ) {
      const target: Tensor = this.tensors[t];
      if (target.quantization || target.data) return;
      target.quantization = q;
      const p = this.producerOf(t);
      if (p?.opType === 'PADV2') this.settlePadValue(p, q);
      t = p && TfliteGraphBuilder.isDataMovement(p.opType) ? p.inputs[0] : undefined;
    }
  }

  /** An int8 PADV2 whose output just got `q`: its code shares `q`, and the zero point is plain PAD. */
  private settlePadValue(op: Operator, q: Quantization): void {
    const value = this.tensors[op.inputs[2]];
    if (!value?.data || value.dtype !== 'int8' || value.quantization) return;
    value.quantization = q;
    if (((value.data[0] << 24) >> 24) !== q.zeroPoint[0]) return;
    op.opType = 'PAD';
    op.builtinCode = builtinCodeOf('PAD')!;
    op.inputs = op.inputs.slice(0, 2);
  }

  /** Drops ops nothing uses and unused tensors, renumbers, sets op versions, returns the graph. */
  build(inputs: readonly number[], outputs: readonly number[], description: string): Graph {
    const live = new Set<number>([...inputs, ...outputs]);
    const keep: Operator[] = [];
    for (let i = this.operators.length - 1; i >= 0; i--) {
      const op = this.operators[i];
      if (!op.outputs.some((o) => live.has(o))) continue;
      keep.unshift(op);
      for (const t of op.inputs) if (t >= 0) live.add(t);
    }
    const renumber = new Map<number, number>();
    const tensors: Tensor[] = [];
    for (const t of this.tensors) {
      if (!live.has(t.index)) continue;
      renumber.set(t.index, tensors.length);
      tensors.push({ ...t, index: tensors.length });
    }
    const map = (i: number): number => (i < 0 ? i : (renumber.get(i) as number));
    const operators = keep.map((op, index) => ({ ...op, index, inputs: op.inputs.map(map), outputs: op.outputs.map(map) }));
    for (const op of operators) op.version = opVersion(op, tensors);
    return {
      format: 'tflite',
      version: 3,
      description,
      subgraphs: [{ name: 'main', tensors, operators, inputs: inputs.map(map), outputs: outputs.map(map) }],
      metadata: [],
      fileBytes: 0,
    };
  }
}
