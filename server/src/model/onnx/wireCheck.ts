// Structural check of ONNX protobuf bytes before protobufjs decodes them. protobufjs bounds
// every read by the whole buffer, not by the enclosing message, and trusts wire types, so a
// hostile file can decode into garbage; this walk rejects those with a byte offset, and caps
// nesting so a deep chain of subgraphs cannot exhaust the stack.
import { ModelError } from '../graph';

type Scalar = 'varint' | 'bytes' | 'fixed32' | 'fixed64' | 'packedVarint' | 'packedFixed32' | 'packedFixed64';
type FieldKind = Scalar | { message: string };
type Schema = Record<number, FieldKind>;

const m = (message: string): FieldKind => ({ message });

/** Field numbers and kinds of the onnx.proto (IR 8) messages a model can contain. */
const SCHEMAS: Record<string, Schema> = {
  Model: { 1: 'varint', 2: 'bytes', 3: 'bytes', 4: 'bytes', 5: 'varint', 6: 'bytes', 7: m('Graph'), 8: m('OpsetId'), 14: m('StringString'), 20: m('TrainingInfo'), 25: m('Function') },
  OpsetId: { 1: 'bytes', 2: 'varint' },
  StringString: { 1: 'bytes', 2: 'bytes' },
  Graph: { 1: m('Node'), 2: 'bytes', 5: m('Tensor'), 15: m('SparseTensor'), 10: 'bytes', 11: m('ValueInfo'), 12: m('ValueInfo'), 13: m('ValueInfo'), 14: m('TensorAnnotation') },
  Node: { 1: 'bytes', 2: 'bytes', 3: 'bytes', 4: 'bytes', 5: m('Attribute'), 6: 'bytes', 7: 'bytes' },
  Attribute: {
    1: 'bytes', 21: 'bytes', 13: 'bytes', 20: 'varint', 2: 'fixed32', 3: 'varint', 4: 'bytes', 5: m('Tensor'), 6: m('Graph'),
    22: m('SparseTensor'), 14: m('Type'), 7: 'packedFixed32', 8: 'packedVarint', 9: 'bytes', 10: m('Tensor'), 11: m('Graph'),
    23: m('SparseTensor'), 15: m('Type'),
  },
  Tensor: {
    1: 'packedVarint', 2: 'varint', 3: m('Segment'), 4: 'packedFixed32', 5: 'packedVarint', 6: 'bytes', 7: 'packedVarint', 8: 'bytes',
    9: 'bytes', 10: 'packedFixed64', 11: 'packedVarint', 12: 'bytes', 13: m('StringString'), 14: 'varint',
  },
  Segment: { 1: 'varint', 2: 'varint' },
  SparseTensor: { 1: m('Tensor'), 2: m('Tensor'), 3: 'packedVarint' },
  ValueInfo: { 1: 'bytes', 2: m('Type'), 3: 'bytes' },
  Type: { 1: m('TypeTensor'), 4: m('TypeSequence'), 5: m('TypeMap'), 6: 'bytes', 8: m('TypeTensor'), 9: m('TypeSequence') },
  TypeTensor: { 1: 'varint', 2: m('Shape') },
  TypeSequence: { 1: m('Type') },
  TypeMap: { 1: 'varint', 2: m('Type') },
  Shape: { 1: m('Dimension') },
  Dimension: { 1: 'varint', 2: 'bytes', 3: 'bytes' },
  TensorAnnotation: { 1: 'bytes', 2: m('StringString') },
  TrainingInfo: { 1: m('Graph'), 2: m('Graph'), 3: m('StringString'), 4: m('StringString') },
  Function: { 1: 'bytes', 4: 'bytes', 5: 'bytes', 6: 'bytes', 7: m('Node'), 8: 'bytes', 9: m('OpsetId'), 10: 'bytes' },
};

/** Deeper than any real model (a Loop in an If in a Loop is depth ~10) and far below stack limits. */
const MAX_DEPTH = 64;

const WIRE_OF: Record<Scalar, number> = {
  varint: 0, fixed64: 1, bytes: 2, fixed32: 5, packedVarint: 0, packedFixed32: 5, packedFixed64: 1,
};

class WireError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

class Walker {
  pos = 0;
  constructor(private readonly bytes: Uint8Array) {}

  varint(end: number): number {
    const start = this.pos;
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= end) throw new WireError('truncated varint', start);
      const b = this.bytes[this.pos++];
      value += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80) return value;
    }
    throw new WireError('varint longer than 10 bytes', start);
  }

  /** Reads a length prefix and checks it against the enclosing message's end. */
  length(end: number, what: string): number {
    const at = this.pos;
    const len = this.varint(end);
    if (len > end - this.pos) {
      throw new WireError(`${what} claims ${len} bytes but only ${end - this.pos} remain`, at);
    }
    return len;
  }

  message(name: string, end: number, depth: number): Set<number> {
    if (depth > MAX_DEPTH) throw new WireError(`messages nested deeper than ${MAX_DEPTH}`, this.pos);
    const schema = SCHEMAS[name];
    const seen = new Set<number>();
    while (this.pos < end) {
      const tagAt = this.pos;
      const tag = this.varint(end);
      const field = Math.floor(tag / 8);
      const wire = tag % 8;
      if (field === 0 || field > 0x1fffffff) throw new WireError(`invalid field number ${field}`, tagAt);
      seen.add(field);
      const kind = schema[field];
      if (kind !== undefined && typeof kind === 'object') {
        if (wire !== 2) throw new WireError(`field ${field} of ${name} must be a message, found wire type ${wire}`, tagAt);
        const len = this.length(end, `${name}.${field}`);
        this.message(kind.message, this.pos + len, depth + 1);
        continue;
      }
      if (kind !== undefined) this.expectWire(name, field, kind, wire, tagAt);
      this.skip(wire, end, kind, `${name}.${field}`, tagAt);
    }
    if (this.pos !== end) throw new WireError(`${name} overruns its length`, this.pos);
    return seen;
  }

  private expectWire(name: string, field: number, kind: Scalar, wire: number, at: number): void {
    const packed = kind.startsWith('packed');
    if (wire === WIRE_OF[kind] || (packed && wire === 2)) return;
    throw new WireError(`field ${field} of ${name} has wire type ${wire}, expected ${WIRE_OF[kind]}`, at);
  }

  private skip(wire: number, end: number, kind: FieldKind | undefined, what: string, at: number): void {
    switch (wire) {
      case 0:
        this.varint(end);
        return;
      case 1:
      case 5: {
        const n = wire === 1 ? 8 : 4;
        if (end - this.pos < n) throw new WireError(`truncated fixed${n * 8} field ${what}`, at);
        this.pos += n;
        return;
      }
      case 2: {
        const len = this.length(end, what);
        const stop = this.pos + len;
        if (kind === 'packedVarint') {
          while (this.pos < stop) this.varint(stop);
        } else if ((kind === 'packedFixed32' && len % 4 !== 0) || (kind === 'packedFixed64' && len % 8 !== 0)) {
          throw new WireError(`packed ${what} has ${len} bytes, not a whole number of elements`, at);
        }
        this.pos = stop;
        return;
      }
      default:
        throw new WireError(`unsupported wire type ${wire} (field ${what})`, at);
    }
  }
}

/**
 * Throws a ModelError unless `bytes` is a well-formed ModelProto on the wire. Returns the set of
 * top-level field numbers present, so a caller can require a graph (field 7).
 */
export function checkModelWire(bytes: Uint8Array): Set<number> {
  const walker = new Walker(bytes);
  try {
    return walker.message('Model', bytes.length, 0);
  } catch (e) {
    if (e instanceof WireError) throw new ModelError(`ONNX: not a valid ModelProto: ${e.message}`, e.offset);
    throw e;
  }
}

/** Whether bytes are plausibly an ONNX model: a well-formed ModelProto with a graph. */
export function looksLikeOnnx(bytes: Uint8Array): boolean {
  if (bytes.length < 2) return false;
  try {
    return checkModelWire(bytes).has(7);
  } catch {
    return false;
  }
}
