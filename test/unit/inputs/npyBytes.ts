// .npy and raw little-endian bytes of given values, for calibration folders built in tests.

import { encodeNpy, FileDType } from '../../../server/src/cli/tensorFiles';

const ARRAYS = { float32: Float32Array, int8: Int8Array, uint8: Uint8Array, int16: Int16Array, int32: Int32Array } as const;

/** Little-endian element bytes (the test machines are little-endian, as .bin files are). */
export function rawBytes(dtype: FileDType, values: ArrayLike<number>): Uint8Array {
  const typed = ARRAYS[dtype].from(Array.from(values));
  return new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
}

export function npyBytes(dtype: FileDType, shape: readonly number[], values: ArrayLike<number>): Uint8Array {
  return encodeNpy(dtype, shape, rawBytes(dtype, values));
}

export function range(n: number, f: (i: number) => number = (i) => i): number[] {
  return Array.from({ length: n }, (_, i) => f(i));
}
