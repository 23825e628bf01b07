// Little-endian element arrays in the types a raw .bin or .npy file can carry.

export type RawDType = 'float32' | 'int8' | 'uint8' | 'int16' | 'int32';

export const RAW_DTYPE_BYTES: Record<RawDType, number> = { float32: 4, int8: 1, uint8: 1, int16: 2, int32: 4 };

export function isRawDType(dtype: string): dtype is RawDType {
  return Object.prototype.hasOwnProperty.call(RAW_DTYPE_BYTES, dtype);
}

/** `count` elements of `dtype` from `bytes` at byte offset `start`, read through a DataView (no alignment needs). */
export function readElements(bytes: Uint8Array, dtype: RawDType, start: number, count: number): Float32Array | Int32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, count * RAW_DTYPE_BYTES[dtype]);
  if (dtype === 'float32') {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
    return out;
  }
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    out[i] =
      dtype === 'int8' ? view.getInt8(i) : dtype === 'uint8' ? view.getUint8(i) : dtype === 'int16' ? view.getInt16(i * 2, true) : view.getInt32(i * 4, true);
  }
  return out;
}
