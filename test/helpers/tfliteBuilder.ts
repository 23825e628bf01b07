// Builds small synthetic .tflite files with the flatbuffers Builder, for reader tests that need
// cases no real model has: extended op codes, custom and unknown ops, external buffers, offline
// plans, bad indices. Slots follow schema.fbs; every given field is written (forceDefaults).

import { Builder } from 'flatbuffers';

export interface QuantSpec {
  scale?: number[];
  zeroPoint?: number[];
  min?: number[];
  max?: number[];
  axis?: number;
}

export interface TensorSpec {
  shape?: number[];
  type?: number;
  buffer?: number;
  name?: string;
  quant?: QuantSpec;
  isVariable?: boolean;
  sparse?: boolean;
  shapeSignature?: number[];
}

/** One field of an options table: slot number, kind and value. */
export type OptionField =
  | { slot: number; kind: 'i8' | 'i32' | 'f32' | 'bool'; value: number | boolean }
  | { slot: number; kind: 'i32s'; value: number[] };

export interface OperatorSpec {
  opcodeIndex: number;
  inputs: number[];
  outputs: number[];
  intermediates?: number[];
  /** BuiltinOptions union type tag and the table's fields. */
  options?: { type: number; fields: OptionField[] };
  options2?: { type: number; fields: OptionField[] };
  customOptions?: number[];
  /** Custom options appended after the flatbuffer (the >2 GB layout). */
  largeCustomOptions?: number[];
}

export interface SubgraphSpec {
  name?: string;
  tensors: TensorSpec[];
  inputs: number[];
  outputs: number[];
  operators: OperatorSpec[];
}

export interface OpCodeSpec {
  deprecated?: number;
  builtin?: number;
  custom?: string;
  version?: number;
}

/** Inline data, or data appended after the flatbuffer and referenced by offset and size. */
export type BufferSpec = { data?: number[] } | { external: number[] };

export interface ModelSpec {
  version?: number;
  description?: string;
  operatorCodes: OpCodeSpec[];
  subgraphs: SubgraphSpec[];
  buffers: BufferSpec[];
  metadata?: { name: string; buffer: number }[];
  /** Defaults to true ("TFL3"). */
  identifier?: boolean;
}

/** Serializes a model; external buffers and large custom options follow the flatbuffer. */
export function buildTflite(spec: ModelSpec): Uint8Array {
  // The flatbuffer's size does not depend on the offsets written into it, so build once to learn
  // where the appended data will start, then again with the real offsets.
  const first = serialize(spec, 0);
  const base = align16(first.length);
  const flat = serialize(spec, base);
  const tail = appended(spec);
  const out = new Uint8Array(base + tail.length);
  out.set(flat);
  out.set(tail, base);
  return out;
}

function align16(n: number): number {
  return Math.ceil(n / 16) * 16;
}

/** The appended blobs in the order serialize() assigns them offsets. */
function blobs(spec: ModelSpec): number[][] {
  const out: number[][] = [];
  for (const b of spec.buffers) if ('external' in b) out.push(b.external);
  for (const s of spec.subgraphs) for (const op of s.operators) if (op.largeCustomOptions) out.push(op.largeCustomOptions);
  return out;
}

function appended(spec: ModelSpec): Uint8Array {
  const all = blobs(spec).flatMap((b) => [...b, ...new Array<number>((16 - (b.length % 16)) % 16).fill(0)]);
  return new Uint8Array(all);
}

function serialize(spec: ModelSpec, base: number): Uint8Array {
  const b = new Builder(1024);
  b.forceDefaults(true);
  let next = base;
  const place = (length: number): number => {
    const at = next;
    next += align16(length);
    return at;
  };

  const ints = (values: number[]): number => {
    b.startVector(4, values.length, 4);
    for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i]);
    return b.endVector();
  };
  const floats = (values: number[]): number => {
    b.startVector(4, values.length, 4);
    for (let i = values.length - 1; i >= 0; i--) b.addFloat32(values[i]);
    return b.endVector();
  };
  const longs = (values: number[]): number => {
    b.startVector(8, values.length, 8);
    for (let i = values.length - 1; i >= 0; i--) b.addInt64(BigInt(values[i]));
    return b.endVector();
  };
  const bytes = (values: number[]): number => {
    b.startVector(1, values.length, 16);
    for (let i = values.length - 1; i >= 0; i--) b.addInt8(values[i]);
    return b.endVector();
  };
  const offsets = (values: number[]): number => {
    b.startVector(4, values.length, 4);
    for (let i = values.length - 1; i >= 0; i--) b.addOffset(values[i]);
    return b.endVector();
  };

  // Buffers first: their external offsets are assigned in blobs() order.
  const bufferOffsets = spec.buffers.map((buf) => {
    if ('external' in buf) {
      const at = place(buf.external.length);
      b.startObject(3);
      b.addFieldInt64(1, BigInt(at), 0n);
      b.addFieldInt64(2, BigInt(buf.external.length), 0n);
      return b.endObject();
    }
    const data = buf.data ? bytes(buf.data) : 0;
    b.startObject(3);
    if (data) b.addFieldOffset(0, data, 0);
    return b.endObject();
  });

  const optionsTable = (fields: OptionField[]): number => {
    const vectors = new Map<number, number>();
    for (const f of fields) if (f.kind === 'i32s') vectors.set(f.slot, ints(f.value));
    b.startObject(Math.max(0, ...fields.map((f) => f.slot + 1)));
    for (const f of fields) {
      if (f.kind === 'i8') b.addFieldInt8(f.slot, f.value as number, 0);
      else if (f.kind === 'i32') b.addFieldInt32(f.slot, f.value as number, 0);
      else if (f.kind === 'f32') b.addFieldFloat32(f.slot, f.value as number, 0);
      else if (f.kind === 'bool') b.addFieldInt8(f.slot, f.value ? 1 : 0, 0);
      else b.addFieldOffset(f.slot, vectors.get(f.slot) ?? 0, 0);
    }
    return b.endObject();
  };

  const subgraphOffsets = spec.subgraphs.map((s) => {
    const tensors = s.tensors.map((t) => {
      const name = t.name !== undefined ? b.createString(t.name) : 0;
      const shape = t.shape ? ints(t.shape) : 0;
      const signature = t.shapeSignature ? ints(t.shapeSignature) : 0;
      let quant = 0;
      if (t.quant) {
        const q = t.quant;
        const min = q.min ? floats(q.min) : 0;
        const max = q.max ? floats(q.max) : 0;
        const scale = q.scale ? floats(q.scale) : 0;
        const zp = q.zeroPoint ? longs(q.zeroPoint) : 0;
        b.startObject(7);
        if (min) b.addFieldOffset(0, min, 0);
        if (max) b.addFieldOffset(1, max, 0);
        if (scale) b.addFieldOffset(2, scale, 0);
        if (zp) b.addFieldOffset(3, zp, 0);
        b.addFieldInt32(6, q.axis ?? 0, 0);
        quant = b.endObject();
      }
      let sparsity = 0;
      if (t.sparse) {
        b.startObject(3);
        sparsity = b.endObject();
      }
      b.startObject(8);
      if (shape) b.addFieldOffset(0, shape, 0);
      b.addFieldInt8(1, t.type ?? 0, 0);
      b.addFieldInt32(2, t.buffer ?? 0, 0);
      if (name) b.addFieldOffset(3, name, 0);
      if (quant) b.addFieldOffset(4, quant, 0);
      if (t.isVariable) b.addFieldInt8(5, 1, 0);
      if (sparsity) b.addFieldOffset(6, sparsity, 0);
      if (signature) b.addFieldOffset(7, signature, 0);
      return b.endObject();
    });
    const operators = s.operators.map((op) => {
      const inputs = ints(op.inputs);
      const outputs = ints(op.outputs);
      const intermediates = op.intermediates ? ints(op.intermediates) : 0;
      const options = op.options ? optionsTable(op.options.fields) : 0;
      const options2 = op.options2 ? optionsTable(op.options2.fields) : 0;
      const custom = op.customOptions ? bytes(op.customOptions) : 0;
      const large = op.largeCustomOptions ? place(op.largeCustomOptions.length) : 0;
      b.startObject(13);
      b.addFieldInt32(0, op.opcodeIndex, 0);
      b.addFieldOffset(1, inputs, 0);
      b.addFieldOffset(2, outputs, 0);
      if (op.options) {
        b.addFieldInt8(3, op.options.type, 0);
        b.addFieldOffset(4, options, 0);
      }
      if (custom) b.addFieldOffset(5, custom, 0);
      if (intermediates) b.addFieldOffset(8, intermediates, 0);
      if (op.largeCustomOptions) {
        b.addFieldInt64(9, BigInt(large), 0n);
        b.addFieldInt64(10, BigInt(op.largeCustomOptions.length), 0n);
      }
      if (op.options2) {
        b.addFieldInt8(11, op.options2.type, 0);
        b.addFieldOffset(12, options2, 0);
      }
      return b.endObject();
    });
    const tensorVec = offsets(tensors);
    const inputs = ints(s.inputs);
    const outputs = ints(s.outputs);
    const opVec = offsets(operators);
    const name = s.name !== undefined ? b.createString(s.name) : 0;
    b.startObject(5);
    b.addFieldOffset(0, tensorVec, 0);
    b.addFieldOffset(1, inputs, 0);
    b.addFieldOffset(2, outputs, 0);
    b.addFieldOffset(3, opVec, 0);
    if (name) b.addFieldOffset(4, name, 0);
    return b.endObject();
  });

  const codes = spec.operatorCodes.map((c) => {
    const custom = c.custom !== undefined ? b.createString(c.custom) : 0;
    b.startObject(4);
    b.addFieldInt8(0, c.deprecated ?? 0, 0);
    if (custom) b.addFieldOffset(1, custom, 0);
    b.addFieldInt32(2, c.version ?? 1, 1);
    b.addFieldInt32(3, c.builtin ?? 0, 0);
    return b.endObject();
  });

  const metadata = (spec.metadata ?? []).map((m) => {
    const name = b.createString(m.name);
    b.startObject(2);
    b.addFieldOffset(0, name, 0);
    b.addFieldInt32(1, m.buffer, 0);
    return b.endObject();
  });

  const codeVec = offsets(codes);
  const subgraphVec = offsets(subgraphOffsets);
  const description = spec.description !== undefined ? b.createString(spec.description) : 0;
  const bufferVec = offsets(bufferOffsets);
  const metadataVec = spec.metadata ? offsets(metadata) : 0;
  b.startObject(7);
  b.addFieldInt32(0, spec.version ?? 3, 0);
  b.addFieldOffset(1, codeVec, 0);
  b.addFieldOffset(2, subgraphVec, 0);
  if (description) b.addFieldOffset(3, description, 0);
  b.addFieldOffset(4, bufferVec, 0);
  if (metadataVec) b.addFieldOffset(6, metadataVec, 0);
  const root = b.endObject();
  b.finish(root, spec.identifier === false ? undefined : 'TFL3');
  return b.asUint8Array().slice();
}

/** An int32 little-endian byte list, for offline-plan metadata buffers. */
export function int32Bytes(values: number[]): number[] {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setInt32(4 * i, v, true));
  return [...out];
}

/** A two-tensor, one-op model (ADD of a tensor with itself) to start test variations from. */
export function tinyModel(overrides: Partial<ModelSpec> = {}): ModelSpec {
  return {
    description: 'tiny',
    operatorCodes: [{ deprecated: 0, builtin: 0, version: 1 }],
    subgraphs: [
      {
        name: 'main',
        tensors: [
          { shape: [1, 4], type: 9, name: 'x', quant: { scale: [0.5], zeroPoint: [-3] } },
          { shape: [1, 4], type: 9, name: 'y', quant: { scale: [0.25], zeroPoint: [2] } },
        ],
        inputs: [0],
        outputs: [1],
        operators: [{ opcodeIndex: 0, inputs: [0, 0], outputs: [1], options: { type: 11, fields: [{ slot: 0, kind: 'i8', value: 1 }] } }],
      },
    ],
    buffers: [{}, {}, {}],
    ...overrides,
  };
}

/**
 * A hostile but structurally valid file: `count` tensors that all point at one table whose shape
 * vector has `shapeLength` elements, so naive decoding does count x shapeLength work.
 */
export function buildSharedTensorBomb(count: number, shapeLength: number): Uint8Array {
  const b = new Builder(1024);
  b.startVector(4, shapeLength, 4);
  for (let i = 0; i < shapeLength; i++) b.addInt32(1);
  const shape = b.endVector();
  b.startObject(8);
  b.addFieldOffset(0, shape, 0);
  const tensor = b.endObject();
  b.startVector(4, count, 4);
  for (let i = 0; i < count; i++) b.addOffset(tensor);
  const tensors = b.endVector();
  b.startObject(5);
  b.addFieldOffset(0, tensors, 0);
  const subgraph = b.endObject();
  b.startVector(4, 1, 4);
  b.addOffset(subgraph);
  const subgraphs = b.endVector();
  b.startObject(7);
  b.addFieldInt32(0, 3, 0);
  b.addFieldOffset(2, subgraphs, 0);
  const root = b.endObject();
  b.finish(root, 'TFL3');
  return b.asUint8Array().slice();
}
