// ONNX TensorProto -> IR dtype and constant bytes. raw_data stays a view into the model bytes;
// the typed repeated fields (float_data, int32_data...) have no byte form in the file, so they
// are packed into fresh little-endian bytes, the layout raw_data would have had.
import { DType, ModelError, dtypeBytes } from '../graph';
import { DataType, TensorProto, int64 } from './onnxProto';

const DTYPES: Record<number, DType> = {
  [DataType.FLOAT]: 'float32',
  [DataType.UINT8]: 'uint8',
  [DataType.INT8]: 'int8',
  [DataType.UINT16]: 'uint16',
  [DataType.INT16]: 'int16',
  [DataType.INT32]: 'int32',
  [DataType.INT64]: 'int64',
  [DataType.STRING]: 'string',
  [DataType.BOOL]: 'bool',
  [DataType.FLOAT16]: 'float16',
  [DataType.DOUBLE]: 'float64',
  [DataType.UINT32]: 'uint32',
  [DataType.UINT64]: 'uint64',
  [DataType.COMPLEX64]: 'complex64',
  [DataType.COMPLEX128]: 'complex128',
  [DataType.BFLOAT16]: 'bfloat16',
  // Newer than onnx-proto's IR 8, by their numbers in onnx.proto: INT4 = 22 (UINT4 has no IR type).
  22: 'int4',
};

export function dtypeOf(dataType: number | null | undefined): DType {
  return DTYPES[dataType ?? 0] ?? 'unknown';
}

/** Dims of a TensorProto; negative or absurd dims are a malformed file. */
export function tensorDims(t: TensorProto, name: string): number[] {
  return (t.dims ?? []).map((d) => {
    const n = int64(d);
    if (!(n >= 0) || n > Number.MAX_SAFE_INTEGER) throw new ModelError(`ONNX: tensor '${name}' has invalid dimension ${n}`);
    return n;
  });
}

function product(dims: number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Contents of an initializer or a tensor attribute, or undefined (external or string data). */
export function initializerData(t: TensorProto, dtype: DType, dims: number[], name: string): Uint8Array | undefined {
  if (t.dataLocation === 1) return undefined; // EXTERNAL: the weights live in another file
  const count = product(dims);
  const width = dtypeBytes(dtype);
  const expected = Math.ceil(count * width);
  if (t.rawData && t.rawData.length > 0) {
    if (width > 0 && t.rawData.length !== expected) {
      throw new ModelError(
        `ONNX: initializer '${name}' has ${t.rawData.length} bytes of raw_data, but shape [${dims.join(', ')}] of ${dtype} needs ${expected}`,
      );
    }
    // A plain Uint8Array view over the same memory (protobufjs hands out Buffers under Node).
    return new Uint8Array(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
  }
  if (width === 0) return undefined;
  const bytes = packTyped(t, dtype);
  if (bytes === undefined) {
    if (count === 0) return new Uint8Array(0);
    throw new ModelError(`ONNX: initializer '${name}' has shape [${dims.join(', ')}] but no data`);
  }
  if (bytes.length !== expected) {
    throw new ModelError(
      `ONNX: initializer '${name}' has ${bytes.length} bytes of typed data, but shape [${dims.join(', ')}] of ${dtype} needs ${expected}`,
    );
  }
  return bytes;
}

/** Packs the typed field that ONNX prescribes for `dtype`; undefined when that field is empty. */
function packTyped(t: TensorProto, dtype: DType): Uint8Array | undefined {
  const floats = t.floatData ?? [];
  const int32s = t.int32Data ?? [];
  const int64s = t.int64Data ?? [];
  const doubles = t.doubleData ?? [];
  const uint64s = t.uint64Data ?? [];
  switch (dtype) {
    case 'float32':
    case 'complex64':
      return floats.length ? pack(floats.length * 4, (v, i) => v.setFloat32(i * 4, floats[i], true), floats.length) : undefined;
    case 'float64':
    case 'complex128':
      return doubles.length ? pack(doubles.length * 8, (v, i) => v.setFloat64(i * 8, doubles[i], true), doubles.length) : undefined;
    case 'int32':
      return int32s.length ? pack(int32s.length * 4, (v, i) => v.setInt32(i * 4, int32s[i], true), int32s.length) : undefined;
    case 'int16':
    case 'uint16':
    case 'float16':
    case 'bfloat16':
      // 16-bit types (float16 as its bit pattern) sit one per int32_data element.
      return int32s.length ? pack(int32s.length * 2, (v, i) => v.setUint16(i * 2, int32s[i] & 0xffff, true), int32s.length) : undefined;
    case 'int8':
    case 'uint8':
    case 'bool':
      return int32s.length ? pack(int32s.length, (v, i) => v.setUint8(i, int32s[i] & 0xff), int32s.length) : undefined;
    case 'int4':
      // Two 4-bit values per int32_data element, low nibble first, as in raw_data.
      return int32s.length ? pack(int32s.length, (v, i) => v.setUint8(i, int32s[i] & 0xff), int32s.length) : undefined;
    case 'int64':
      return int64s.length ? packInt64(int64s.map(int64)) : undefined;
    case 'uint32':
      return uint64s.length ? pack(uint64s.length * 4, (v, i) => v.setUint32(i * 4, int64(uint64s[i]) >>> 0, true), uint64s.length) : undefined;
    case 'uint64':
      return uint64s.length ? packInt64(uint64s.map(int64)) : undefined;
    default:
      return undefined;
  }
}

function pack(size: number, write: (view: DataView, i: number) => void, count: number): Uint8Array {
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < count; i++) write(view, i);
  return bytes;
}

function packInt64(values: number[]): Uint8Array {
  return pack(values.length * 8, (v, i) => v.setBigInt64(i * 8, BigInt(Math.trunc(values[i])), true), values.length);
}

/** Reads constant contents as numbers (for shapes, axes, scales, zero points). */
export function tensorValues(data: Uint8Array, dtype: DType): number[] | undefined {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const width = dtypeBytes(dtype);
  if (width < 1 || data.byteLength % width !== 0) return undefined;
  const n = data.byteLength / width;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const o = i * width;
    switch (dtype) {
      case 'float32': out[i] = view.getFloat32(o, true); break;
      case 'float64': out[i] = view.getFloat64(o, true); break;
      case 'int8': out[i] = view.getInt8(o); break;
      case 'uint8': case 'bool': out[i] = view.getUint8(o); break;
      case 'int16': out[i] = view.getInt16(o, true); break;
      case 'uint16': out[i] = view.getUint16(o, true); break;
      case 'int32': out[i] = view.getInt32(o, true); break;
      case 'uint32': out[i] = view.getUint32(o, true); break;
      case 'int64': out[i] = Number(view.getBigInt64(o, true)); break;
      case 'uint64': out[i] = Number(view.getBigUint64(o, true)); break;
      default: return undefined;
    }
  }
  return out;
}
