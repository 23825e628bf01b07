// TFLite `TensorType` codes (schema.fbs enum TensorType) mapped to the IR's dtypes.
// Types the IR has no name for (INT2, UINT4, FLOAT8_*) read as 'unknown' but keep a name
// for option values such as CastOptions.out_data_type.

import type { DType } from '../graph';

const TENSOR_TYPES: readonly string[] = [
  'float32', 'float16', 'int32', 'uint8', 'int64', 'string', 'bool', 'int16', 'complex64', 'int8',
  'float64', 'complex128', 'uint64', 'resource', 'variant', 'uint32', 'uint16', 'int4', 'bfloat16',
  'int2', 'uint4', 'float8_e4m3fn', 'float8_e5m2',
];

const IR_DTYPES = new Set<string>([
  'float32', 'float16', 'float64', 'bfloat16', 'int4', 'int8', 'uint8', 'int16', 'uint16', 'int32',
  'uint32', 'int64', 'uint64', 'bool', 'string', 'complex64', 'complex128', 'resource', 'variant',
] satisfies DType[]);

/** Lower-case schema name of a TensorType code, or `unknown_<code>`. */
export function tensorTypeName(code: number): string {
  return TENSOR_TYPES[code] ?? `unknown_${code}`;
}

export function dtypeOf(code: number): DType {
  const name = tensorTypeName(code);
  return IR_DTYPES.has(name) ? (name as DType) : 'unknown';
}
