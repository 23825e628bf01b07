// Builds small ONNX ModelProto bytes for tests through the reader's own onnx-proto module:
// nodes, initializers in raw_data or in the typed fields, value_info and opset imports.
import { AttributeProto, AttributeType, DataType, TensorProto, encodeModelProto } from '../../server/src/model/onnx/onnxProto';

export type DTypeName = 'float32' | 'float64' | 'float16' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'int64' | 'uint32' | 'uint64' | 'bool';

const DATA_TYPES: Record<DTypeName, number> = {
  float32: DataType.FLOAT, float64: DataType.DOUBLE, float16: DataType.FLOAT16, int8: DataType.INT8, uint8: DataType.UINT8,
  int16: DataType.INT16, uint16: DataType.UINT16, int32: DataType.INT32, int64: DataType.INT64, uint32: DataType.UINT32,
  uint64: DataType.UINT64, bool: DataType.BOOL,
};

/** A dimension: a number, a symbolic name (dim_param) or null (neither set). */
export type Dim = number | string | null;

/** Explicit attribute kinds for values a plain JS number cannot tell apart. */
export const attr = {
  float: (f: number) => ({ kind: 'float' as const, f }),
  floats: (floats: number[]) => ({ kind: 'floats' as const, floats }),
  tensor: (dtype: DTypeName, dims: number[], values: number[]) => ({ kind: 'tensor' as const, dtype, dims, values }),
};
export type AttrValue = number | number[] | string | string[] | ReturnType<(typeof attr)[keyof typeof attr]>;

export type Storage = 'raw' | 'typed';

/** Little-endian bytes of `values` as `dtype`, the layout of raw_data. */
export function rawBytes(dtype: DTypeName, values: number[]): Uint8Array {
  const width = { float32: 4, float64: 8, float16: 2, int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, int64: 8, uint32: 4, uint64: 8, bool: 1 }[dtype];
  const out = new Uint8Array(values.length * width);
  const v = new DataView(out.buffer);
  values.forEach((x, i) => {
    const o = i * width;
    switch (dtype) {
      case 'float32': v.setFloat32(o, x, true); break;
      case 'float64': v.setFloat64(o, x, true); break;
      case 'float16': case 'uint16': v.setUint16(o, x, true); break;
      case 'int8': v.setInt8(o, x); break;
      case 'uint8': case 'bool': v.setUint8(o, x); break;
      case 'int16': v.setInt16(o, x, true); break;
      case 'int32': v.setInt32(o, x, true); break;
      case 'uint32': v.setUint32(o, x, true); break;
      case 'int64': v.setBigInt64(o, BigInt(x), true); break;
      case 'uint64': v.setBigUint64(o, BigInt(x), true); break;
    }
  });
  return out;
}

export function tensorProto(name: string, dtype: DTypeName, dims: number[], values: number[], storage: Storage = 'raw'): TensorProto {
  const t: TensorProto = { name, dataType: DATA_TYPES[dtype], dims };
  if (storage === 'raw') {
    t.rawData = rawBytes(dtype, values);
  } else if (dtype === 'float32') {
    t.floatData = values;
  } else if (dtype === 'float64') {
    t.doubleData = values;
  } else if (dtype === 'int64') {
    t.int64Data = values;
  } else if (dtype === 'uint32' || dtype === 'uint64') {
    t.uint64Data = values;
  } else {
    t.int32Data = values;
  }
  return t;
}

function attributeProto(name: string, value: AttrValue): AttributeProto {
  if (typeof value === 'number') {
    return Number.isInteger(value) ? { name, type: AttributeType.INT, i: value } : { name, type: AttributeType.FLOAT, f: value };
  }
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string')) {
      return { name, type: AttributeType.STRINGS, strings: (value as string[]).map((s) => new TextEncoder().encode(s)) };
    }
    return { name, type: AttributeType.INTS, ints: value as number[] };
  }
  switch (value.kind) {
    case 'float':
      return { name, type: AttributeType.FLOAT, f: value.f };
    case 'floats':
      return { name, type: AttributeType.FLOATS, floats: value.floats };
    case 'tensor':
      return { name, type: AttributeType.TENSOR, t: tensorProto('', value.dtype, value.dims, value.values) };
  }
}

function valueInfo(name: string, dtype: DTypeName | undefined, dims: Dim[] | undefined) {
  if (dtype === undefined) return { name };
  const shape = dims === undefined ? undefined : {
    dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : typeof d === 'string' ? { dimParam: d } : {})),
  };
  return { name, type: { tensorType: { elemType: DATA_TYPES[dtype], ...(shape ? { shape } : {}) } } };
}

export interface NodeOptions {
  name?: string;
  domain?: string;
}

export class OnnxBuilder {
  private readonly nodes: object[] = [];
  private readonly inputs: object[] = [];
  private readonly outputs: object[] = [];
  private readonly valueInfos: object[] = [];
  private readonly initializers: TensorProto[] = [];
  private readonly opsets: Record<string, number>;
  private nodeCount = 0;

  constructor(
    opset = 13,
    private readonly meta: { irVersion?: number; producer?: string; graphName?: string; extraOpsets?: Record<string, number> } = {},
  ) {
    this.opsets = { '': opset, ...(meta.extraOpsets ?? {}) };
  }

  input(name: string, dtype: DTypeName, dims: Dim[]): this {
    this.inputs.push(valueInfo(name, dtype, dims));
    return this;
  }

  /** A graph output; without dims its shape is left for the reader to infer. */
  output(name: string, dtype: DTypeName = 'float32', dims?: Dim[]): this {
    this.outputs.push(valueInfo(name, dtype, dims));
    return this;
  }

  valueInfo(name: string, dtype: DTypeName, dims: Dim[]): this {
    this.valueInfos.push(valueInfo(name, dtype, dims));
    return this;
  }

  initializer(name: string, dtype: DTypeName, dims: number[], values: number[], storage: Storage = 'raw'): this {
    this.initializers.push(tensorProto(name, dtype, dims, values, storage));
    return this;
  }

  node(opType: string, inputs: string[], outputs: string[], attrs: Record<string, AttrValue> = {}, options: NodeOptions = {}): this {
    this.nodes.push({
      opType,
      input: inputs,
      output: outputs,
      name: options.name ?? `${opType.toLowerCase()}_${this.nodeCount++}`,
      ...(options.domain ? { domain: options.domain } : {}),
      attribute: Object.entries(attrs).map(([k, v]) => attributeProto(k, v)),
    });
    return this;
  }

  build(): Uint8Array {
    return encodeModelProto({
      irVersion: this.meta.irVersion ?? 8,
      producerName: this.meta.producer ?? 'onnxBuilder',
      opsetImport: Object.entries(this.opsets).map(([domain, version]) => ({ domain, version })),
      graph: {
        name: this.meta.graphName ?? 'test_graph',
        node: this.nodes,
        input: this.inputs,
        output: this.outputs,
        valueInfo: this.valueInfos,
        initializer: this.initializers,
      },
    });
  }
}
