// ONNX node attributes -> IR options, keeping ONNX's attribute names and value kinds.
import type { OptionValue, Tensor } from '../graph';
import { AttributeProto, AttributeType, TensorProto, hasField, int64 } from './onnxProto';
import { dtypeOf, initializerData, tensorDims } from './tensorData';
import { utf8Decode } from './utf8';

/** A tensor-valued attribute or Constant payload as an IR Tensor outside any subgraph (index -1). */
export function attributeTensor(t: TensorProto, fallbackName: string): Tensor {
  const name = t.name || fallbackName;
  const dtype = dtypeOf(t.dataType);
  const shape = tensorDims(t, name);
  return { index: -1, name, shape, dtype, data: initializerData(t, dtype, shape, name), isVariable: false, buffer: -1 };
}

/** The attribute's kind: its `type`, or for old files that leave it unset, the field present. */
function kindOf(a: AttributeProto): number {
  if (a.type) return a.type;
  const has = (f: string): boolean => hasField(a, f);
  if (has('f')) return AttributeType.FLOAT;
  if (has('i')) return AttributeType.INT;
  if (has('s')) return AttributeType.STRING;
  if (has('t')) return AttributeType.TENSOR;
  if (has('g')) return AttributeType.GRAPH;
  if (a.floats?.length) return AttributeType.FLOATS;
  if (a.ints?.length) return AttributeType.INTS;
  if (a.strings?.length) return AttributeType.STRINGS;
  if (a.graphs?.length) return AttributeType.GRAPHS;
  return AttributeType.UNDEFINED;
}

/** Converts one attribute; undefined for kinds the IR has no value for (sparse tensors, type protos). */
export function attributeValue(a: AttributeProto): OptionValue | undefined {
  switch (kindOf(a)) {
    case AttributeType.FLOAT:
      return a.f ?? 0;
    case AttributeType.INT:
      return int64(a.i);
    case AttributeType.STRING:
      return utf8Decode(a.s ?? new Uint8Array(0));
    case AttributeType.TENSOR:
      return a.t ? attributeTensor(a.t, a.name ?? '') : undefined;
    case AttributeType.GRAPH:
      // Subgraph bodies (If/Loop/Scan) are not lowered; the option names the body graph.
      return a.g?.name ?? '';
    case AttributeType.FLOATS:
      return [...(a.floats ?? [])];
    case AttributeType.INTS:
      return (a.ints ?? []).map(int64);
    case AttributeType.STRINGS:
      return (a.strings ?? []).map(utf8Decode);
    case AttributeType.GRAPHS:
      return (a.graphs ?? []).map((g) => g.name ?? '');
    default:
      return undefined;
  }
}

export function attributeOptions(attrs: AttributeProto[] | null | undefined): Record<string, OptionValue> {
  const options: Record<string, OptionValue> = {};
  for (const a of attrs ?? []) {
    const value = attributeValue(a);
    if (a.name && value !== undefined) options[a.name] = value;
  }
  return options;
}
