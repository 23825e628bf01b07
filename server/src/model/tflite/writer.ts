// The `.tflite` writer: the graph IR back into a TFLite flatbuffer (schema v3, identifier "TFL3")
// that TFLM loads. Buffer 0 stays the empty sentinel, constant data is aligned to 16 bytes, each
// operator code carries both its deprecated int8 code and its full code, and builtin options go
// back into the slots the reader decodes them from. Not kept: signature defs and sparsity details
// (the IR does not hold them; a sparse tensor is refused rather than written wrong).

import { Builder } from 'flatbuffers';
import type { Graph, Operator, Quantization, Subgraph, Tensor } from '../graph';
import { ModelError } from '../graph';
import { builtinOpName, CUSTOM_CODE, PLACEHOLDER_FOR_GREATER_OP_CODES } from './builtinOps';
import { encodeOptions, tensorTypeCode } from './write/options';

const IDENTIFIER = 'TFL3';
const SCHEMA_VERSION = 3;
/** TFLM and the converter align constant buffers so that kernels can read them in place. */
const BUFFER_ALIGNMENT = 16;

let codeByName: Map<string, number> | undefined;

/** The builtin code of an op name, from the reader's table. */
export function builtinCodeOf(opType: string): number | undefined {
  if (!codeByName) {
    codeByName = new Map();
    for (let code = 0; code < 256; code++) {
      const name = builtinOpName(code);
      if (name !== undefined && !codeByName.has(name)) codeByName.set(name, code);
    }
  }
  return codeByName.get(opType);
}

interface OpCodeKey {
  builtinCode: number;
  customCode?: string;
  version: number;
}

function opCodeOf(op: Operator, where: string): OpCodeKey {
  if (op.custom) {
    const key: OpCodeKey = { builtinCode: CUSTOM_CODE, version: op.version };
    if (op.opType !== 'CUSTOM') key.customCode = op.opType;
    return key;
  }
  const code = op.builtinCode >= 0 ? op.builtinCode : builtinCodeOf(op.opType);
  if (code === undefined) throw new ModelError(`${where}: op type ${op.opType} has no TFLite builtin code`);
  return { builtinCode: code, version: op.version };
}

/** Assigns every constant and every planned tensor a buffer index, keeping the source's indices. */
class BufferTable {
  readonly contents: (Uint8Array | undefined)[] = [undefined];
  private readonly owner = new Map<number, Uint8Array | null>();

  /** Index of the buffer holding `data` for a tensor that had buffer `wanted` in its source. */
  place(wanted: number, data: Uint8Array | undefined): number {
    if (wanted > 0) {
      const held = this.owner.get(wanted);
      const mine = data ?? null;
      if (held === undefined) {
        this.owner.set(wanted, mine);
        while (this.contents.length <= wanted) this.contents.push(undefined);
        this.contents[wanted] = data;
        return wanted;
      }
      if (held === mine || (held && mine && sameBytes(held, mine))) return wanted;
    }
    if (!data) return 0;
    return this.append(data);
  }

  append(data: Uint8Array | undefined): number {
    // Fresh indices go past anything a source index might still claim later.
    const index = Math.max(this.contents.length, this.reservedTop + 1);
    while (this.contents.length <= index) this.contents.push(undefined);
    this.contents[index] = data;
    this.owner.set(index, data ?? null);
    return index;
  }

  reservedTop = 0;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function int32Vector(b: Builder, values: readonly number[]): number {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i]);
  return b.endVector();
}

function float32Vector(b: Builder, values: readonly number[]): number {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addFloat32(values[i]);
  return b.endVector();
}

function int64Vector(b: Builder, values: readonly number[]): number {
  b.startVector(8, values.length, 8);
  for (let i = values.length - 1; i >= 0; i--) b.addInt64(BigInt(values[i]));
  return b.endVector();
}

function offsetVector(b: Builder, offsets: readonly number[]): number {
  b.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]);
  return b.endVector();
}

function writeQuantization(b: Builder, q: Quantization): number {
  const min = q.min ? float32Vector(b, q.min) : 0;
  const max = q.max ? float32Vector(b, q.max) : 0;
  const scale = float32Vector(b, q.scale);
  const zeroPoint = int64Vector(b, q.zeroPoint);
  b.startObject(7);
  if (min) b.addFieldOffset(0, min, 0);
  if (max) b.addFieldOffset(1, max, 0);
  b.addFieldOffset(2, scale, 0);
  b.addFieldOffset(3, zeroPoint, 0);
  b.addFieldInt32(6, q.axis, 0);
  return b.endObject();
}

function writeTensor(b: Builder, t: Tensor, buffer: number, where: string): number {
  if (t.sparse) throw new ModelError(`${where}: sparse tensors cannot be written (the graph IR does not keep their sparsity parameters)`);
  const shape = int32Vector(b, t.shape);
  const name = b.createString(t.name);
  const quantization = t.quantization ? writeQuantization(b, t.quantization) : 0;
  const signature = t.shapeSignature ? int32Vector(b, t.shapeSignature) : 0;
  const type = t.dtype === 'unknown' ? undefined : tensorTypeCode(t.dtype);
  if (type === undefined) throw new ModelError(`${where}: tensor type is unknown and cannot be written`);
  b.startObject(8);
  b.addFieldOffset(0, shape, 0);
  b.addFieldInt8(1, type, 0);
  b.addFieldInt32(2, buffer, 0);
  b.addFieldOffset(3, name, 0);
  if (quantization) b.addFieldOffset(4, quantization, 0);
  b.addFieldInt8(5, t.isVariable ? 1 : 0, 0);
  if (signature) b.addFieldOffset(7, signature, 0);
  return b.endObject();
}

function writeOperator(b: Builder, op: Operator, opcodeIndex: number, where: string): number {
  const inputs = int32Vector(b, op.inputs);
  const outputs = int32Vector(b, op.outputs);
  const intermediates = op.intermediates.length > 0 ? int32Vector(b, op.intermediates) : 0;
  let custom = 0;
  let options: ReturnType<typeof encodeOptions>;
  if (op.custom) {
    const raw = op.options.customOptions;
    if (raw instanceof Uint8Array && raw.length > 0) custom = b.createByteVector(raw);
  } else {
    options = encodeOptions(b, op, where);
  }
  b.startObject(13);
  b.addFieldInt32(0, opcodeIndex, 0);
  b.addFieldOffset(1, inputs, 0);
  b.addFieldOffset(2, outputs, 0);
  if (options?.union === 1) {
    b.addFieldInt8(3, options.tag, 0);
    b.addFieldOffset(4, options.offset, 0);
  }
  if (custom) b.addFieldOffset(5, custom, 0);
  if (intermediates) b.addFieldOffset(8, intermediates, 0);
  if (options?.union === 2) {
    b.addFieldInt8(11, options.tag, 0);
    b.addFieldOffset(12, options.offset, 0);
  }
  return b.endObject();
}

function writeSubgraph(b: Builder, s: Subgraph, si: number, buffers: number[], opcodeIndex: (op: Operator, where: string) => number): number {
  const tensors = s.tensors.map((t, i) => writeTensor(b, t, buffers[i], `Tensor ${i} (${t.name}) of subgraph ${si}`));
  const operators = s.operators.map((op, i) => {
    const where = `Operator ${i} (${op.opType}) of subgraph ${si}`;
    return writeOperator(b, op, opcodeIndex(op, where), where);
  });
  const tensorsVec = offsetVector(b, tensors);
  const inputs = int32Vector(b, s.inputs);
  const outputs = int32Vector(b, s.outputs);
  const operatorsVec = offsetVector(b, operators);
  const name = s.name ? b.createString(s.name) : 0;
  b.startObject(5);
  b.addFieldOffset(0, tensorsVec, 0);
  b.addFieldOffset(1, inputs, 0);
  b.addFieldOffset(2, outputs, 0);
  b.addFieldOffset(3, operatorsVec, 0);
  if (name) b.addFieldOffset(4, name, 0);
  return b.endObject();
}

function writeBuffer(b: Builder, data: Uint8Array | undefined): number {
  let vec = 0;
  if (data && data.length > 0) {
    // Pad so that the bytes end on the alignment; the builder writes downwards, so they also
    // start on it once the finished file's size is a multiple of it (finish() sees to that).
    b.prep(BUFFER_ALIGNMENT, data.length);
    vec = b.createByteVector(data);
  }
  b.startObject(3);
  if (vec) b.addFieldOffset(0, vec, 0);
  return b.endObject();
}

/** Serializes a TFLite graph. Throws ModelError for what a .tflite file cannot hold. */
export function writeTflite(graph: Graph): Uint8Array {
  if (graph.format !== 'tflite') throw new ModelError(`cannot write a ${graph.format} graph as TFLite (convert it first)`);
  const table = new BufferTable();
  for (const s of graph.subgraphs) for (const t of s.tensors) table.reservedTop = Math.max(table.reservedTop, t.buffer);
  const tensorBuffers = graph.subgraphs.map((s) => s.tensors.map((t) => table.place(t.buffer, t.data && t.data.length > 0 ? t.data : undefined)));
  const metadataBuffers = graph.metadata.map((m) => table.append(m.data));

  const codes: OpCodeKey[] = [];
  const codeIndex = new Map<string, number>();
  const opcodeIndex = (op: Operator, where: string): number => {
    const key = opCodeOf(op, where);
    const id = `${key.builtinCode}/${key.customCode ?? ''}/${key.version}`;
    let index = codeIndex.get(id);
    if (index === undefined) {
      index = codes.length;
      codes.push(key);
      codeIndex.set(id, index);
    }
    return index;
  };

  const size = table.contents.reduce((n, d) => n + (d ? d.length + BUFFER_ALIGNMENT : 0), 0);
  const b = new Builder(Math.max(1024, size + 65536));
  // Buffers first (the largest part), last to first so that they appear in index order.
  const bufferOffsets = new Array<number>(table.contents.length);
  for (let i = table.contents.length - 1; i >= 0; i--) bufferOffsets[i] = writeBuffer(b, table.contents[i]);

  const subgraphs = graph.subgraphs.map((s, si) => writeSubgraph(b, s, si, tensorBuffers[si], opcodeIndex));
  const operatorCodes = codes.map((c) => {
    const custom = c.customCode !== undefined ? b.createString(c.customCode) : 0;
    b.startObject(4);
    b.addFieldInt8(0, Math.min(c.builtinCode, PLACEHOLDER_FOR_GREATER_OP_CODES), 0);
    if (custom) b.addFieldOffset(1, custom, 0);
    b.addFieldInt32(2, c.version, 1);
    b.addFieldInt32(3, c.builtinCode, 0);
    return b.endObject();
  });
  const metadata = graph.metadata.map((m, i) => {
    const name = b.createString(m.name);
    b.startObject(2);
    b.addFieldOffset(0, name, 0);
    b.addFieldInt32(1, metadataBuffers[i], 0);
    return b.endObject();
  });

  const codesVec = offsetVector(b, operatorCodes);
  const subgraphsVec = offsetVector(b, subgraphs);
  const description = b.createString(graph.description);
  const buffersVec = offsetVector(b, bufferOffsets);
  const metadataVec = metadata.length > 0 ? offsetVector(b, metadata) : 0;
  b.startObject(8);
  b.addFieldInt32(0, SCHEMA_VERSION, 0);
  b.addFieldOffset(1, codesVec, 0);
  b.addFieldOffset(2, subgraphsVec, 0);
  b.addFieldOffset(3, description, 0);
  b.addFieldOffset(4, buffersVec, 0);
  if (metadataVec) b.addFieldOffset(6, metadataVec, 0);
  const model = b.endObject();
  b.finish(model, IDENTIFIER);
  // A fresh copy: offset 0 of an ArrayBuffer, so the 16-byte buffer alignment holds in memory too.
  return b.asUint8Array().slice();
}
