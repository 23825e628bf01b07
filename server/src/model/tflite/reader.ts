// The `.tflite` reader: a TFLite flatbuffer (identifier "TFL3") into the graph IR.
// Structure is decoded in one linear pass; constant data stays a view of the input bytes.
// Anything malformed ends in a ModelError naming the table, the field and the byte offset.

import type { Graph, MetadataEntry, Operator, OptionValue, Quantization, Subgraph, Tensor } from '../graph';
import { ModelError } from '../graph';
import { builtinOpName, CUSTOM_CODE, effectiveBuiltinCode, KNOWN_CUSTOM_OPS } from './builtinOps';
import { FlatFile } from './flatbuffer';
import { OFFLINE_PLAN_METADATA, parseOfflinePlan } from './offlinePlan';
import { decodeBuiltinOptions } from './options';
import {
  type BufferTable,
  type IndexList,
  ModelTable,
  type OperatorCodeTable,
  type OperatorTable,
  type QuantizationTable,
  type SubGraphTable,
  type TensorTable,
} from './schema';
import { dtypeOf } from './tensorTypes';

const IDENTIFIER = 'TFL3';

/** What an OperatorCode resolves to, shared by every operator that uses it. */
interface OpKind {
  opType: string;
  known: boolean;
  builtinCode: number;
  custom: boolean;
  version: number;
}

/** Reads a `.tflite` model. Throws ModelError, and only ModelError, on a malformed file. */
export function readTflite(bytes: Uint8Array): Graph {
  if (bytes.length < 8) {
    throw new ModelError(`file is ${bytes.length} bytes, too short for a TFLite model (a root offset and the "${IDENTIFIER}" identifier take 8)`);
  }
  const identifier = String.fromCharCode(bytes[4], bytes[5], bytes[6], bytes[7]);
  if (identifier === IDENTIFIER) return readModel(bytes);

  // Without the identifier, accept only a file whose root table reads as a whole TFLite model.
  const found = Array.from(bytes.subarray(4, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  const missing = `missing "${IDENTIFIER}" file identifier at bytes 4..8 (found ${found})`;
  try {
    return readModel(bytes, true);
  } catch (error) {
    if (!(error instanceof ModelError)) throw error;
    const inner = error.message.replace(/ \(at byte offset \d+\)$/, ''); // re-added by the new error
    throw new ModelError(`${missing}, and the root table is not a valid TFLite model: ${inner}`, error.offset);
  }
}

function readModel(bytes: Uint8Array, strict = false): Graph {
  const file = new FlatFile(bytes);
  const model = ModelTable.root(file);
  if (strict && !model.hasVersion()) throw new ModelError('Model: no schema version field', model.t.pos);

  const buffers = model.buffers().map((b, i) => bufferData(b, i, bytes));
  const kinds = model.operatorCodes().map(opKind);
  const subgraphTables = model.subgraphs();
  if (subgraphTables.length === 0) throw new ModelError('Model: subgraphs vector is missing or empty; a TFLite model needs at least one', model.t.pos);
  const subgraphs = subgraphTables.map((s) => readSubgraph(s, buffers, kinds));

  const metadata: MetadataEntry[] = [];
  let offlinePlan: number[] | undefined;
  model.metadata().forEach((m, i) => {
    const name = m.name() ?? '';
    const data = bufferAt(buffers, m.buffer(), `Metadata ${i} (${name})`, m.t.pos);
    metadata.push(data ? { name, data } : { name });
    // TFLM keeps the last entry with this exact name.
    if (name === OFFLINE_PLAN_METADATA) offlinePlan = parseOfflinePlan(data, `Metadata ${i}`, data && data.byteOffset - bytes.byteOffset);
  });

  const graph: Graph = {
    format: 'tflite',
    version: model.version(),
    description: model.description() ?? '',
    subgraphs,
    metadata,
    fileBytes: bytes.length,
  };
  if (offlinePlan) graph.offlinePlan = offlinePlan;
  return graph;
}

/** A buffer's contents as a view, or undefined when empty (TFLite's "no data"). */
function bufferData(buffer: BufferTable, index: number, bytes: Uint8Array): Uint8Array | undefined {
  const offset = buffer.offset();
  // Offset 1 is a placeholder some writers leave; real external data sits past the flatbuffer.
  if (offset > 1) {
    const size = buffer.size();
    if (offset + size > bytes.length) {
      throw new ModelError(`Buffer ${index}: external data (offset ${offset}, size ${size}) runs past the end of the file (${bytes.length} bytes)`, buffer.t.pos);
    }
    return size > 0 ? bytes.subarray(offset, offset + size) : undefined;
  }
  const data = buffer.data();
  return data && data.length > 0 ? data : undefined;
}

function bufferAt(buffers: (Uint8Array | undefined)[], index: number, where: string, at: number): Uint8Array | undefined {
  if (index === 0) return undefined; // Buffer 0 is the empty sentinel, whatever it holds.
  if (index >= buffers.length) {
    throw new ModelError(`${where}: buffer ${index} is out of range (the model has ${buffers.length} buffers)`, at);
  }
  return buffers[index];
}

function opKind(code: OperatorCodeTable): OpKind {
  const builtinCode = effectiveBuiltinCode(code.deprecatedBuiltinCode(), code.builtinCode());
  const version = code.version();
  if (builtinCode === CUSTOM_CODE) {
    const name = code.customCode() ?? '';
    return { opType: name || 'CUSTOM', known: KNOWN_CUSTOM_OPS.has(name), builtinCode, custom: true, version };
  }
  const name = builtinOpName(builtinCode);
  return { opType: name ?? `UNKNOWN_${builtinCode}`, known: name !== undefined, builtinCode, custom: false, version };
}

function readSubgraph(s: SubGraphTable, buffers: (Uint8Array | undefined)[], kinds: OpKind[]): Subgraph {
  const where = `Subgraph ${s.index}`;
  const tensors = s.tensors().map((t, i) => readTensor(t, i, buffers));
  const count = tensors.length;
  const operators = s.operators().map((op, i) => readOperator(op, i, kinds, count));
  return {
    name: s.name() ?? '',
    tensors,
    operators,
    inputs: checkedIndices(s.inputs(), count, where, false),
    outputs: checkedIndices(s.outputs(), count, where, false),
  };
}

function readTensor(t: TensorTable, index: number, buffers: (Uint8Array | undefined)[]): Tensor {
  const buffer = t.buffer();
  const tensor: Tensor = {
    index,
    name: t.name() ?? '',
    shape: t.shape() ?? [],
    dtype: dtypeOf(t.type()),
    isVariable: t.isVariable(),
    buffer,
  };
  const signature = t.shapeSignature();
  if (signature) tensor.shapeSignature = signature;
  const q = t.quantization();
  const quantization = q && readQuantization(q);
  if (quantization) tensor.quantization = quantization;
  const data = bufferAt(buffers, buffer, t.t.where, t.t.pos);
  if (data) tensor.data = data;
  if (t.hasSparsity()) tensor.sparse = true;
  return tensor;
}

/** Undefined for the empty parameter tables converters attach to float tensors. */
function readQuantization(q: QuantizationTable): Quantization | undefined {
  const scale = q.scale() ?? [];
  const zeroPoint = q.zeroPoint() ?? [];
  const min = q.min();
  const max = q.max();
  if (scale.length === 0 && zeroPoint.length === 0 && !min?.length && !max?.length) return undefined;
  const out: Quantization = { scale, zeroPoint, axis: q.quantizedDimension() };
  if (min) out.min = min;
  if (max) out.max = max;
  return out;
}

function readOperator(op: OperatorTable, index: number, kinds: OpKind[], tensorCount: number): Operator {
  const where = op.t.where;
  const opcodeIndex = op.opcodeIndex();
  const kind = kinds[opcodeIndex];
  if (!kind) {
    throw new ModelError(`${where}: opcode_index ${opcodeIndex} is out of range (the model has ${kinds.length} operator codes)`, op.t.pos);
  }
  return {
    index,
    ...kind,
    inputs: checkedIndices(op.inputs(), tensorCount, where, true),
    outputs: checkedIndices(op.outputs(), tensorCount, where, true),
    intermediates: checkedIndices(op.intermediates(), tensorCount, where, true),
    options: kind.custom ? customOptions(op) : decodeBuiltinOptions(op.builtinOptions(), op.builtinOptions2()),
  };
}

/** Custom ops keep their options as raw bytes (usually FlexBuffers), viewed in place. */
function customOptions(op: OperatorTable): Record<string, OptionValue> {
  const offset = op.largeCustomOptionsOffset();
  const size = op.largeCustomOptionsSize();
  const bytes = op.t.file.bytes;
  let data: Uint8Array | undefined;
  if (offset > 0 && size > 0) {
    if (offset + size > bytes.length) {
      throw new ModelError(`${op.t.where}: large custom options (offset ${offset}, size ${size}) run past the end of the file (${bytes.length} bytes)`, op.t.pos);
    }
    data = bytes.subarray(offset, offset + size);
  } else {
    data = op.customOptions();
  }
  return data && data.length > 0 ? { customOptions: data } : {};
}

/** Tensor indices checked against the subgraph; -1 (optional) only where TFLite allows it. */
function checkedIndices(list: IndexList, count: number, where: string, optionalAllowed: boolean): number[] {
  const low = optionalAllowed ? -1 : 0;
  list.values.forEach((v, i) => {
    if (v < low || v >= count) {
      const hint = optionalAllowed ? '; -1 marks an absent optional tensor' : '';
      throw new ModelError(`${where}: ${list.field}[${i}] = ${v} is not a tensor index (the subgraph has ${count} tensors${hint})`, list.start + 4 * i);
    }
  });
  return list.values;
}
