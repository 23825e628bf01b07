// Accumulates an ONNX graph (nodes, initializers, typed graph inputs and outputs) with unique
// value names, and writes ModelProto bytes through the one onnx-proto door (onnxProto.ts).

import type { DType } from '../../model/graph';
import { AttributeType, DataType, encodeModelProto } from '../../model/onnx/onnxProto';
import { utf8Encode } from '../../model/onnx/utf8';
import type { AttributeProto, NodeProto, TensorProto, ValueInfoProto } from '../../model/onnx/onnxProto';

/** An attribute value: an integer, a float (`{ f }`), a list of integers or a string. */
export type Attr = number | { f: number } | number[] | string;

const DATA_TYPES: Partial<Record<DType, number>> = {
  float32: DataType.FLOAT,
  uint8: DataType.UINT8,
  int8: DataType.INT8,
  int16: DataType.INT16,
  int32: DataType.INT32,
  int64: DataType.INT64,
};

export function onnxDataType(dtype: DType): number {
  const t = DATA_TYPES[dtype];
  if (t === undefined) throw new Error(`type ${dtype} has no ONNX counterpart here`);
  return t;
}

function attribute(name: string, value: Attr): AttributeProto {
  if (typeof value === 'number') return { name, type: AttributeType.INT, i: value };
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: utf8Encode(value) };
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: value };
  return { name, type: AttributeType.FLOAT, f: value.f };
}

function valueInfo(name: string, dtype: DType, shape: readonly number[]): ValueInfoProto {
  return { name, type: { tensorType: { elemType: onnxDataType(dtype), shape: { dim: shape.map((d) => ({ dimValue: d })) } } } };
}

export class OnnxGraphWriter {
  private readonly nodes: NodeProto[] = [];
  private readonly initializers: TensorProto[] = [];
  private readonly inputs: ValueInfoProto[] = [];
  private readonly outputs: ValueInfoProto[] = [];
  private readonly used = new Set<string>();
  private nodeCount = 0;

  /** A value name not used yet, derived from `base`. */
  unique(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_./:-]/g, '_') || 'value';
    let name = clean;
    for (let k = 1; this.used.has(name); k++) name = `${clean}_${k}`;
    this.used.add(name);
    return name;
  }

  /** An initializer from little-endian bytes (copied: the proto must not alias the input model). */
  constant(base: string, dtype: DType, dims: readonly number[], bytes: Uint8Array): string {
    const name = this.unique(base);
    this.initializers.push({ name, dataType: onnxDataType(dtype), dims: [...dims], rawData: bytes.slice() });
    return name;
  }

  floats(base: string, dims: readonly number[], values: readonly number[]): string {
    return this.constant(base, 'float32', dims, new Uint8Array(Float32Array.from(values).buffer));
  }

  int64s(base: string, values: readonly number[]): string {
    return this.constant(base, 'int64', [values.length], new Uint8Array(BigInt64Array.from(values.map((v) => BigInt(v))).buffer));
  }

  /** Integer values as `dtype` (int8, uint8, int32). */
  integers(base: string, dtype: DType, dims: readonly number[], values: readonly number[]): string {
    const array = dtype === 'int8' ? Int8Array.from(values) : dtype === 'uint8' ? Uint8Array.from(values) : dtype === 'int32' ? Int32Array.from(values) : undefined;
    if (!array) throw new Error(`integers of type ${dtype} not supported`);
    return this.constant(base, dtype, dims, new Uint8Array(array.buffer));
  }

  input(name: string, dtype: DType, shape: readonly number[]): string {
    const unique = this.unique(name);
    this.inputs.push(valueInfo(unique, dtype, shape));
    return unique;
  }

  output(name: string, dtype: DType, shape: readonly number[]): void {
    this.outputs.push(valueInfo(name, dtype, shape));
  }

  /** Adds a node; returns its output value names (fresh names derived from `outputBase` unless given). */
  node(opType: string, inputs: readonly string[], outputBase: string | string[], attrs: Record<string, Attr> = {}): string[] {
    const outputs = Array.isArray(outputBase) ? outputBase : [this.unique(outputBase)];
    this.nodes.push({
      name: `${opType}_${this.nodeCount++}`,
      opType,
      input: [...inputs],
      output: outputs,
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return outputs;
  }

  build(graphName: string, opset: number, docString: string): Uint8Array {
    return encodeModelProto({
      irVersion: 8,
      producerName: 'tinyml-lens tfliteToOnnx',
      producerVersion: '0.1.0',
      docString,
      opsetImport: [{ domain: '', version: opset }],
      graph: { name: graphName, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs },
    });
  }
}
