// The one door to `onnx-proto` (ONNX IR 8 messages on protobufjs 6): decoding for the reader,
// encoding for writers and test builders. Swapping the protobuf library is this file's work.
import { onnx } from 'onnx-proto';

export type ModelProto = onnx.ModelProto;
export type GraphProto = onnx.IGraphProto;
export type NodeProto = onnx.INodeProto;
export type TensorProto = onnx.ITensorProto;
export type AttributeProto = onnx.IAttributeProto;
export type ValueInfoProto = onnx.IValueInfoProto;
export type TypeProto = onnx.ITypeProto;
export type ModelProtoInit = onnx.IModelProto;

/** `TensorProto.DataType` values, re-exported so callers need not reach into the library. */
export const DataType = onnx.TensorProto.DataType;
/** `AttributeProto.AttributeType` values. */
export const AttributeType = onnx.AttributeProto.AttributeType;

/** An int64 field as protobufjs hands it out: a number, or a `Long` when `long` is installed. */
export type Int64 = number | { toNumber(): number } | null | undefined;

/** Converts an int64 field to a number (exact up to 2^53; beyond that only magnitude matters to us). */
export function int64(value: Int64): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

/** Decodes a ModelProto; protobufjs errors propagate for the caller to turn into ModelErrors. */
export function decodeModelProto(bytes: Uint8Array): ModelProto {
  return onnx.ModelProto.decode(bytes);
}

/** Encodes a ModelProto from plain properties (writers, test builders). */
export function encodeModelProto(model: ModelProtoInit): Uint8Array {
  const out = onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
  // Under Node protobufjs returns a Buffer; callers get a plain Uint8Array over the same memory.
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** Whether a decoded message carries `field` on the wire (protobufjs sets only those as own properties). */
export function hasField(message: object, field: string): boolean {
  return Object.prototype.hasOwnProperty.call(message, field);
}
