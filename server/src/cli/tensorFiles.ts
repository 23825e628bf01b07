// Tensor files for `tinyml run`: NumPy .npy (format versions 1, 2 and 3, little-endian, C order)
// and raw .bin (little-endian bytes in the tensor's own type). Parsing and encoding work on
// bytes; only readTensorFile/writeTensorFile touch the file system.

import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { UsageError } from './args';

/** The element types a tensor file can carry. */
export type FileDType = 'float32' | 'int8' | 'uint8' | 'int16' | 'int32';

export interface TensorFile {
  /** 'bin' files carry no type or shape: the model input's are assumed. */
  kind: 'npy' | 'bin';
  dtype?: FileDType;
  shape?: number[];
  /** Little-endian element bytes (a copy, aligned at offset 0). */
  bytes: Uint8Array;
}

const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** NumPy descr strings the CLI accepts ('<' little-endian, '|' not applicable, '=' native LE). */
const DESCRS: Record<string, FileDType> = {
  f4: 'float32',
  i1: 'int8',
  u1: 'uint8',
  i2: 'int16',
  i4: 'int32',
};

export const NPY_DESCR: Record<FileDType, string> = {
  float32: '<f4',
  int8: '|i1',
  uint8: '|u1',
  int16: '<i2',
  int32: '<i4',
};

export function elementBytesOf(dtype: FileDType): number {
  return dtype === 'float32' || dtype === 'int32' ? 4 : dtype === 'int16' ? 2 : 1;
}

/** Parses a .npy file's bytes; `what` names it in errors. */
export function parseNpy(data: Uint8Array, what: string): TensorFile & { dtype: FileDType; shape: number[] } {
  if (data.length < 10 || NPY_MAGIC.some((b, i) => data[i] !== b)) throw new UsageError(`${what}: not a .npy file (bad magic)`);
  const major = data[6];
  let headerLength: number;
  let headerStart: number;
  if (major === 1) {
    headerLength = data[8] | (data[9] << 8);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (data.length < 12) throw new UsageError(`${what}: truncated .npy header`);
    headerLength = (data[8] | (data[9] << 8) | (data[10] << 16) | (data[11] << 24)) >>> 0;
    headerStart = 12;
  } else {
    throw new UsageError(`${what}: .npy format version ${major}.${data[7]} is not supported (1, 2 or 3)`);
  }
  if (headerStart + headerLength > data.length) throw new UsageError(`${what}: truncated .npy header`);
  // Version 3 allows UTF-8 in the header; 1 and 2 are latin-1, of which the dict uses ASCII only.
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(data.subarray(headerStart, headerStart + headerLength));
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(header)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new UsageError(`${what}: malformed .npy header ${JSON.stringify(header.trim())}`);
  }
  if (fortran !== 'False') throw new UsageError(`${what}: fortran_order True is not supported (save with C order)`);
  if (/^[<=]f8$/.test(descr)) return float64AsFloat32(data, headerStart + headerLength, shapeOf(shapeText, what), what);
  const m = /^([<|=])([fiu][1248])$/.exec(descr);
  const dtype = m ? DESCRS[m[2]] : undefined;
  if (!m || !dtype || (m[1] === '|' && elementBytesOf(dtype) > 1)) {
    throw new UsageError(`${what}: .npy dtype '${descr}' is not supported (supported: '<f4', '<f8' (read as float32), '|i1', '|u1', '<i2', '<i4')`);
  }
  const shape = shapeOf(shapeText, what);
  const count = shape.reduce((a, b) => a * b, 1);
  const start = headerStart + headerLength;
  const expected = count * elementBytesOf(dtype);
  if (data.length - start !== expected) {
    throw new UsageError(`${what}: .npy data holds ${data.length - start} bytes, its header promises ${expected} (${count} x ${dtype})`);
  }
  return { kind: 'npy', dtype, shape, bytes: data.slice(start) };
}

function shapeOf(shapeText: string, what: string): number[] {
  return shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      const n = Number(s.replace(/L$/, ''));
      if (!Number.isInteger(n) || n < 0) throw new UsageError(`${what}: bad .npy shape (${shapeText})`);
      return n;
    });
}

/**
 * float64 is NumPy's default float type, so most saved arrays carry it; every float tensor the
 * engine runs is float32, so the values are narrowed here (round to nearest, as astype does).
 */
function float64AsFloat32(data: Uint8Array, start: number, shape: number[], what: string): TensorFile & { dtype: FileDType; shape: number[] } {
  const count = shape.reduce((a, b) => a * b, 1);
  if (data.length - start !== count * 8) {
    throw new UsageError(`${what}: .npy data holds ${data.length - start} bytes, its header promises ${count * 8} (${count} x float64)`);
  }
  const view = new DataView(data.buffer, data.byteOffset + start, count * 8);
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = view.getFloat64(i * 8, true);
  return { kind: 'npy', dtype: 'float32', shape, bytes: new Uint8Array(values.buffer) };
}

/** Encodes a version 1.0 .npy file (the header padded so that the data starts 64-aligned). */
export function encodeNpy(dtype: FileDType, shape: readonly number[], bytes: Uint8Array): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${NPY_DESCR[dtype]}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + bytes.length);
  out.set(NPY_MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(bytes, 10 + header.length);
  return out;
}

export function readTensorFile(path: string): TensorFile {
  let data: Uint8Array;
  try {
    data = new Uint8Array(readFileSync(path));
  } catch (error) {
    throw new UsageError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  if (extname(path).toLowerCase() === '.npy') return parseNpy(data, path);
  return { kind: 'bin', bytes: data };
}

/** Writes raw little-endian bytes, or a .npy file when the path ends in .npy. */
export function writeTensorFile(path: string, dtype: FileDType | undefined, shape: readonly number[], bytes: Uint8Array): void {
  const isNpy = extname(path).toLowerCase() === '.npy';
  if (isNpy && !dtype) throw new UsageError(`${path}: this output's type cannot be written as .npy; use a .bin path`);
  try {
    writeFileSync(path, isNpy && dtype ? encodeNpy(dtype, shape, bytes) : bytes);
  } catch (error) {
    throw new UsageError(`${path}: cannot write (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}
