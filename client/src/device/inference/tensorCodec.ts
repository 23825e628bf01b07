// Turns numbers from serial lines into the bytes of a model input: TFLite's float -> int8/uint8/
// int16 quantization (`round(x / scale) + zero_point`, float32 division, ties away from zero,
// clamped), an affine map x*a+b, or raw bytes given as JSON, hex or base64. Pure.

import { tfliteRound } from '../../../../server/src/engine/fixedPoint';

/** What the panel and the worker know of a model tensor (plain data: crosses postMessage). */
export interface TensorInfo {
  name: string;
  shape: number[];
  dtype: string;
  scale: number;
  zeroPoint: number;
  elementCount: number;
  byteLength: number;
}

export type ValueMapping =
  /** Float values quantized with the input's scale and zero point (unchanged for float inputs). */
  | { kind: 'quantize' }
  /** x*a+b, then rounded and clamped to an integer input's range (a=1, b=0: values already in the input's type). */
  | { kind: 'affine'; a: number; b: number };

const RANGES: Record<string, [number, number]> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};

export function elementSize(dtype: string): number {
  switch (dtype) {
    case 'int16':
    case 'uint16':
      return 2;
    case 'int32':
    case 'uint32':
    case 'float32':
      return 4;
    default:
      return 1;
  }
}

export function isSupportedInputType(dtype: string): boolean {
  return dtype in RANGES || dtype === 'float32';
}

/** TFLite's AffineQuantize for one value: float32 division, TfLiteRound, zero point, clamp. */
export function quantizeValue(x: number, scale: number, zeroPoint: number, dtype: string): number {
  const range = RANGES[dtype];
  if (!range) throw new Error(`cannot quantize to ${dtype}`);
  if (Number.isNaN(x)) return clamp(zeroPoint, range);
  const q = tfliteRound(Math.fround(Math.fround(x) / Math.fround(scale))) + zeroPoint;
  return clamp(q, range);
}

function clamp(v: number, [lo, hi]: [number, number]): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** The element values (in the input's type) for `values` under `mapping`. */
export function mapValues(values: readonly number[], info: TensorInfo, mapping: ValueMapping): number[] {
  const range = RANGES[info.dtype];
  if (info.dtype === 'float32') {
    return mapping.kind === 'affine' ? values.map((x) => Math.fround(x * mapping.a + mapping.b)) : values.map((x) => Math.fround(x));
  }
  if (!range) throw new Error(`input type ${info.dtype} is not supported for live inference (int8, uint8, int16, int32, float32 are)`);
  if (mapping.kind === 'quantize') {
    if (!(info.scale > 0)) throw new Error(`input ${info.name} has no quantization scale: choose "scale x*a+b" instead`);
    return values.map((x) => quantizeValue(x, info.scale, info.zeroPoint, info.dtype));
  }
  return values.map((x) => clamp(Number.isFinite(x) ? tfliteRound(x * mapping.a + mapping.b) : 0, range));
}

/** Little-endian bytes of element values of `dtype` (what the engine's arena holds). */
export function elementsToBytes(elements: readonly number[], dtype: string): Uint8Array {
  const size = elementSize(dtype);
  const bytes = new Uint8Array(elements.length * size);
  const view = new DataView(bytes.buffer);
  elements.forEach((v, i) => {
    const at = i * size;
    switch (dtype) {
      case 'int8':
        view.setInt8(at, v);
        break;
      case 'uint8':
        view.setUint8(at, v);
        break;
      case 'int16':
        view.setInt16(at, v, true);
        break;
      case 'uint16':
        view.setUint16(at, v, true);
        break;
      case 'int32':
        view.setInt32(at, v, true);
        break;
      case 'uint32':
        view.setUint32(at, v, true);
        break;
      case 'float32':
        view.setFloat32(at, v, true);
        break;
      default:
        throw new Error(`unsupported type ${dtype}`);
    }
  });
  return bytes;
}

/** Element values of little-endian `bytes` of `dtype`. */
export function bytesToElements(bytes: Uint8Array, dtype: string): number[] {
  const size = elementSize(dtype);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  for (let at = 0; at + size <= bytes.length; at += size) {
    switch (dtype) {
      case 'int8':
        out.push(view.getInt8(at));
        break;
      case 'int16':
        out.push(view.getInt16(at, true));
        break;
      case 'uint16':
        out.push(view.getUint16(at, true));
        break;
      case 'int32':
        out.push(view.getInt32(at, true));
        break;
      case 'uint32':
        out.push(view.getUint32(at, true));
        break;
      case 'float32':
        out.push(view.getFloat32(at, true));
        break;
      default:
        out.push(view.getUint8(at));
    }
  }
  return out;
}

/** `scale * (q - zero_point)` for quantized types, the value itself otherwise. */
export function dequantize(elements: readonly number[], info: Pick<TensorInfo, 'dtype' | 'scale' | 'zeroPoint'>): number[] {
  if (info.dtype === 'float32' || !(info.scale > 0)) return [...elements];
  return elements.map((q) => Math.fround(info.scale * (q - info.zeroPoint)));
}

export type TensorEncoding = 'json' | 'hex' | 'base64';

/**
 * A whole tensor from one line: a JSON array of element values (`[-3, 12, ...]`, nested arrays
 * flattened), hex bytes (`fd0c...`, spaces allowed) or base64 bytes, little-endian in the input's type.
 */
export function decodeTensorLine(text: string, encoding: TensorEncoding, info: TensorInfo): Uint8Array {
  const t = text.trim();
  if (encoding === 'json') {
    const parsed = JSON.parse(t) as unknown;
    const flat = (Array.isArray(parsed) ? parsed : [parsed]).flat(8) as unknown[];
    if (!flat.every((x) => typeof x === 'number')) throw new Error('the JSON tensor holds something other than numbers');
    if (flat.length !== info.elementCount) throw new Error(`the JSON tensor has ${flat.length} values, the input ${info.elementCount}`);
    return elementsToBytes(mapValues(flat as number[], info, { kind: 'affine', a: 1, b: 0 }), info.dtype);
  }
  let bytes: Uint8Array;
  if (encoding === 'hex') {
    const digits = t.replace(/0x/gi, '').replace(/[\s,:]+/g, '');
    if (!/^(?:[0-9a-fA-F]{2})*$/.test(digits)) throw new Error('not a sequence of hex bytes');
    bytes = new Uint8Array(digits.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  } else {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t)) throw new Error('not base64');
    const bin = atob(t);
    bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  }
  if (bytes.length !== info.byteLength) throw new Error(`the line holds ${bytes.length} bytes, the input ${info.byteLength}`);
  return bytes;
}
