// Encodes an operator's builtin options record back into its schema.fbs table, field by field in
// the slots the reader decodes them from. Fields equal to the schema default are left out, as the
// converter's FlatBufferBuilder does; the reader fills them back in.

import type { Builder } from 'flatbuffers';
import type { Operator, OptionValue } from '../../graph';
import { ModelError } from '../../graph';
import { type FieldSpec, type OptionsTable, optionsTableOf } from './optionsSchema';

const TENSOR_TYPES: readonly string[] = [
  'float32', 'float16', 'int32', 'uint8', 'int64', 'string', 'bool', 'int16', 'complex64', 'int8',
  'float64', 'complex128', 'uint64', 'resource', 'variant', 'uint32', 'uint16', 'int4', 'bfloat16',
  'int2', 'uint4', 'float8_e4m3fn', 'float8_e5m2',
];

export interface EncodedOptions {
  union: 1 | 2;
  tag: number;
  offset: number;
}

/** A TensorType code from its schema name (`unknown_<code>` as the reader spells unnamed codes). */
export function tensorTypeCode(name: string): number {
  const i = TENSOR_TYPES.indexOf(name);
  if (i >= 0) return i;
  const m = /^unknown_(\d+)$/.exec(name);
  if (m) return Number(m[1]);
  throw new ModelError(`unknown tensor type '${name}'`);
}

function enumCode(field: FieldSpec, value: OptionValue, where: string): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') throw new ModelError(`${where}: option ${field.key} must be a name, got ${typeof value}`);
  const i = field.names.indexOf(value);
  if (i >= 0) return i;
  const m = /^UNKNOWN_(-?\d+)$/.exec(value);
  if (m) return Number(m[1]);
  throw new ModelError(`${where}: option ${field.key} = '${value}' is not one of ${field.names.join(', ')}`);
}

function numbers(value: OptionValue, field: FieldSpec, where: string): number[] {
  if (value instanceof Uint8Array) return Array.from(value);
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'number' ? v : Number(v)));
  throw new ModelError(`${where}: option ${field.key} must be a list`);
}

function num(value: OptionValue, field: FieldSpec, where: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  throw new ModelError(`${where}: option ${field.key} must be a number, got ${typeof value}`);
}

function numberVector(b: Builder, size: 1 | 4 | 8, values: number[], write: (v: number) => void): number {
  b.startVector(size, values.length, size);
  for (let i = values.length - 1; i >= 0; i--) write(values[i]);
  return b.endVector();
}

/** Offsets of the vectors and strings a table refers to: they must precede startObject. */
function prepareReferences(b: Builder, table: OptionsTable, options: Record<string, OptionValue>, where: string): Map<number, number> {
  const refs = new Map<number, number>();
  table.fields.forEach((field, slot) => {
    if (!field) return;
    const value = options[field.key];
    if (value === undefined) return;
    switch (field.kind) {
      case 'i32s':
      case 'enums32':
        refs.set(slot, numberVector(b, 4, field.kind === 'enums32' ? (value as OptionValue[] as string[]).map((v) => enumCode(field, v, where)) : numbers(value, field, where), (v) => b.addInt32(v | 0)));
        break;
      case 'f32s':
        refs.set(slot, numberVector(b, 4, numbers(value, field, where), (v) => b.addFloat32(v)));
        break;
      case 'i64s':
        refs.set(slot, numberVector(b, 8, numbers(value, field, where), (v) => b.addInt64(BigInt(v))));
        break;
      case 'bools':
      case 'u8s':
        refs.set(slot, numberVector(b, 1, numbers(value, field, where), (v) => b.addInt8(v)));
        break;
      case 'str':
        if (typeof value !== 'string') throw new ModelError(`${where}: option ${field.key} must be a string`);
        refs.set(slot, b.createString(value));
        break;
      default:
        break;
    }
  });
  return refs;
}

/**
 * Writes the options table of `op` and returns where it is, or undefined when the op has no
 * options (an empty record for an op whose table has fields means the model had no table).
 */
export function encodeOptions(b: Builder, op: Operator, where: string): EncodedOptions | undefined {
  const table = optionsTableOf(op.opType);
  if (!table) {
    if (Object.keys(op.options).length > 0) throw new ModelError(`${where}: ${op.opType} has options but no options table is known for it`);
    return undefined;
  }
  const hasFields = table.fields.some((f) => f !== undefined);
  if (hasFields && !table.fields.some((f) => f && op.options[f.key] !== undefined)) return undefined;

  const refs = prepareReferences(b, table, op.options, where);
  b.startObject(table.fields.length);
  table.fields.forEach((field, slot) => {
    if (!field) return;
    const value = op.options[field.key];
    if (value === undefined) return;
    const ref = refs.get(slot);
    if (ref !== undefined) {
      b.addFieldOffset(slot, ref, 0);
      return;
    }
    const fallback = typeof field.fallback === 'number' ? field.fallback : field.fallback ? 1 : 0;
    switch (field.kind) {
      case 'i32':
      case 'u32':
        b.addFieldInt32(slot, num(value, field, where) | 0, fallback | 0);
        break;
      case 'i64':
        b.addFieldInt64(slot, BigInt(num(value, field, where)), BigInt(fallback));
        break;
      case 'f32':
        b.addFieldFloat32(slot, num(value, field, where), fallback);
        break;
      case 'bool':
        b.addFieldInt8(slot, value === true ? 1 : 0, fallback);
        break;
      case 'type':
        b.addFieldInt8(slot, typeof value === 'string' ? tensorTypeCode(value) : num(value, field, where), fallback);
        break;
      case 'enum':
        b.addFieldInt8(slot, enumCode(field, value, where), fallback);
        break;
      case 'enum32':
        b.addFieldInt32(slot, enumCode(field, value, where), fallback);
        break;
      default:
        throw new ModelError(`${where}: cannot encode option ${field.key} of kind ${field.kind}`);
    }
  });
  return { union: table.union, tag: table.tag, offset: b.endObject() };
}
