// Typed accessors for the TFLite schema tables the reader needs (tensorflow/lite/schema/schema.fbs).
// Each class names the fields of one table by their schema slot; the checking lives in Table.
// Messages use the schema's field names, so an error points at the field as the schema spells it.

import { FlatFile, type Span, Table } from './flatbuffer';

export class ModelTable {
  private constructor(readonly t: Table) {}

  static root(file: FlatFile): ModelTable {
    return new ModelTable(file.table(file.follow(0, 'Model', 'root offset'), 'Model'));
  }

  hasVersion(): boolean {
    return this.t.has(0);
  }
  version(): number {
    return this.t.uint32(0, 'version');
  }
  operatorCodes(): OperatorCodeTable[] {
    return this.t.tables(1, 'operator_codes', (i) => `OperatorCode ${i}`).map((t) => new OperatorCodeTable(t));
  }
  subgraphs(): SubGraphTable[] {
    return this.t.tables(2, 'subgraphs', (i) => `Subgraph ${i}`).map((t, i) => new SubGraphTable(t, i));
  }
  description(): string | undefined {
    return this.t.string(3, 'description');
  }
  buffers(): BufferTable[] {
    return this.t.tables(4, 'buffers', (i) => `Buffer ${i}`).map((t) => new BufferTable(t));
  }
  metadataBuffer(): number[] | undefined {
    return this.t.int32s(5, 'metadata_buffer');
  }
  metadata(): MetadataTable[] {
    return this.t.tables(6, 'metadata', (i) => `Metadata ${i}`).map((t) => new MetadataTable(t));
  }
  signatureDefs(): SignatureDefTable[] {
    return this.t.tables(7, 'signature_defs', (i) => `SignatureDef ${i}`).map((t) => new SignatureDefTable(t));
  }
}

export class OperatorCodeTable {
  constructor(readonly t: Table) {}

  /** int8: holds codes below 127 and the placeholder 127 for larger ones. */
  deprecatedBuiltinCode(): number {
    return this.t.int8(0, 'deprecated_builtin_code');
  }
  customCode(): string | undefined {
    return this.t.string(1, 'custom_code');
  }
  version(): number {
    return this.t.int32(2, 'version', 1);
  }
  builtinCode(): number {
    return this.t.int32(3, 'builtin_code');
  }
}

export class SubGraphTable {
  constructor(
    readonly t: Table,
    readonly index: number,
  ) {}

  tensors(): TensorTable[] {
    return this.t.tables(0, 'tensors', (i) => `Tensor ${i} of subgraph ${this.index}`).map((t) => new TensorTable(t));
  }
  inputs(): IndexList {
    return indexList(this.t, 1, 'inputs');
  }
  outputs(): IndexList {
    return indexList(this.t, 2, 'outputs');
  }
  operators(): OperatorTable[] {
    return this.t.tables(3, 'operators', (i) => `Operator ${i} of subgraph ${this.index}`).map((t) => new OperatorTable(t));
  }
  name(): string | undefined {
    return this.t.string(4, 'name');
  }
}

export class TensorTable {
  constructor(readonly t: Table) {}

  shape(): number[] | undefined {
    return this.t.int32s(0, 'shape');
  }
  type(): number {
    return this.t.int8(1, 'type');
  }
  buffer(): number {
    return this.t.uint32(2, 'buffer');
  }
  name(): string | undefined {
    return this.t.string(3, 'name');
  }
  quantization(): QuantizationTable | undefined {
    const q = this.t.table(4, 'quantization', `${this.t.where} quantization`);
    return q && new QuantizationTable(q);
  }
  isVariable(): boolean {
    return this.t.bool(5, 'is_variable');
  }
  /** Only presence matters to the IR; the sparsity details are not decoded. */
  hasSparsity(): boolean {
    return this.t.has(6);
  }
  shapeSignature(): number[] | undefined {
    return this.t.int32s(7, 'shape_signature');
  }
}

export class QuantizationTable {
  constructor(readonly t: Table) {}

  min(): number[] | undefined {
    return this.t.float32s(0, 'min');
  }
  max(): number[] | undefined {
    return this.t.float32s(1, 'max');
  }
  scale(): number[] | undefined {
    return this.t.float32s(2, 'scale');
  }
  zeroPoint(): number[] | undefined {
    return this.t.int64s(3, 'zero_point');
  }
  quantizedDimension(): number {
    return this.t.int32(6, 'quantized_dimension');
  }
}

export class BufferTable {
  constructor(readonly t: Table) {}

  data(): Uint8Array | undefined {
    return this.t.bytes(0, 'data');
  }
  /** For models over 2 GB the data sits at this offset of the file instead (1 is a writer's placeholder). */
  offset(): number {
    return this.t.int64(1, 'offset', 0, true);
  }
  size(): number {
    return this.t.int64(2, 'size', 0, true);
  }
}

export class OperatorTable {
  constructor(readonly t: Table) {}

  opcodeIndex(): number {
    return this.t.uint32(0, 'opcode_index');
  }
  inputs(): IndexList {
    return indexList(this.t, 1, 'inputs');
  }
  outputs(): IndexList {
    return indexList(this.t, 2, 'outputs');
  }
  builtinOptions(): { type: number; table: Table } | undefined {
    return this.t.union(3, 'builtin_options', `${this.t.where} builtin_options`);
  }
  customOptions(): Uint8Array | undefined {
    return this.t.bytes(5, 'custom_options');
  }
  intermediates(): IndexList {
    return indexList(this.t, 8, 'intermediates');
  }
  /** Custom options of models over 2 GB live at this offset of the file. */
  largeCustomOptionsOffset(): number {
    return this.t.int64(9, 'large_custom_options_offset', 0, true);
  }
  largeCustomOptionsSize(): number {
    return this.t.int64(10, 'large_custom_options_size', 0, true);
  }
  builtinOptions2(): { type: number; table: Table } | undefined {
    return this.t.union(11, 'builtin_options_2', `${this.t.where} builtin_options_2`);
  }
}

export class MetadataTable {
  constructor(readonly t: Table) {}

  name(): string | undefined {
    return this.t.string(0, 'name');
  }
  buffer(): number {
    return this.t.uint32(1, 'buffer');
  }
}

export class SignatureDefTable {
  constructor(readonly t: Table) {}

  inputs(): TensorMapTable[] {
    return this.t.tables(0, 'inputs', (i) => `${this.t.where} input ${i}`).map((t) => new TensorMapTable(t));
  }
  outputs(): TensorMapTable[] {
    return this.t.tables(1, 'outputs', (i) => `${this.t.where} output ${i}`).map((t) => new TensorMapTable(t));
  }
  signatureKey(): string | undefined {
    return this.t.string(2, 'signature_key');
  }
  subgraphIndex(): number {
    return this.t.uint32(4, 'subgraph_index');
  }
}

export class TensorMapTable {
  constructor(readonly t: Table) {}

  name(): string | undefined {
    return this.t.string(0, 'name');
  }
  tensorIndex(): number {
    return this.t.uint32(1, 'tensor_index');
  }
}

/** Tensor indices plus where they sit, so a bad index can be reported at its byte offset. */
export interface IndexList {
  values: number[];
  /** Offset of element 0 (each element is 4 bytes); -1 when the vector is absent. */
  start: number;
  /** Schema field name, for messages. */
  field: string;
}

function indexList(t: Table, slot: number, field: string): IndexList {
  const span: Span | undefined = t.vector(slot, field, 4);
  return { values: t.int32s(slot, field) ?? [], start: span ? span.start : -1, field };
}
