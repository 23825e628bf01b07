// Bounds-checked FlatBuffers tables over the flatbuffers runtime's ByteBuffer.
// Every offset in a model file is untrusted: tables, fields, vectors and strings are checked
// against the file before use, and vector lengths before anything is allocated, so a hostile
// file ends in a ModelError that names what was being read, never in a RangeError or a hang.

import { ByteBuffer } from 'flatbuffers';
import { ModelError } from '../graph';

/** Where a vector's elements start and how many there are (already checked against the file). */
export interface Span {
  start: number;
  length: number;
}

/** The model's bytes plus a work budget shared by every read of one file. */
export class FlatFile {
  readonly bb: ByteBuffer;
  readonly length: number;
  /**
   * Elements and string bytes still allowed to be decoded. Vectors and strings may overlap in a
   * hostile file (a thousand tensors naming the same megabyte string), which would make decoding
   * quadratic; honest files decode about one element per stored element, so twice the file size
   * plus slack is never reached by them.
   */
  private budget: number;

  constructor(readonly bytes: Uint8Array) {
    this.bb = new ByteBuffer(bytes);
    this.length = bytes.length;
    this.budget = 2 * bytes.length + 65536;
  }

  charge(units: number, where: string, offset: number): void {
    this.budget -= units;
    if (this.budget < 0) {
      throw new ModelError(`${where}: the file's vectors overlap so much that decoding it would take more than twice its size in work; it is not a well-formed model`, offset);
    }
  }

  /** Follows the uoffset stored at `pos` (forward only, so references can never loop). */
  follow(pos: number, where: string, what: string): number {
    const target = pos + this.bb.readUint32(pos);
    if (target + 4 > this.length) {
      throw new ModelError(`${where}: ${what} points to offset ${target}, past the end of the file (${this.length} bytes)`, pos);
    }
    return target;
  }

  /** Opens the table at `pos` after checking its vtable and object lie inside the file. */
  table(pos: number, where: string): Table {
    if (pos < 0 || pos + 4 > this.length) {
      throw new ModelError(`${where}: table offset ${pos} is outside the file (${this.length} bytes)`, pos);
    }
    const vtable = pos - this.bb.readInt32(pos);
    if (vtable < 0 || vtable + 4 > this.length) {
      throw new ModelError(`${where}: vtable offset ${vtable} is outside the file (${this.length} bytes)`, pos);
    }
    const vtableSize = this.bb.readUint16(vtable);
    const objectSize = this.bb.readUint16(vtable + 2);
    if (vtableSize < 4 || vtableSize % 2 !== 0 || vtable + vtableSize > this.length) {
      throw new ModelError(`${where}: vtable at offset ${vtable} has invalid size ${vtableSize} (expected an even size of at least 4 that fits in the file)`, vtable);
    }
    if (objectSize < 4 || pos + objectSize > this.length) {
      throw new ModelError(`${where}: table object of ${objectSize} bytes runs past the end of the file (${this.length} bytes) or is too small to hold its vtable offset`, pos);
    }
    return new Table(this, pos, where, vtable, vtableSize, objectSize);
  }
}

/** One FlatBuffers table; `slot` is the field's position in the schema (unions take two). */
export class Table {
  constructor(
    readonly file: FlatFile,
    readonly pos: number,
    readonly where: string,
    private readonly vtable: number,
    private readonly vtableSize: number,
    private readonly objectSize: number,
  ) {}

  /** Absolute position of a field of `size` bytes, or 0 when the field is absent. */
  private field(slot: number, size: number, name: string): number {
    const entry = 4 + 2 * slot;
    if (entry >= this.vtableSize) return 0;
    const offset = this.file.bb.readUint16(this.vtable + entry);
    if (offset === 0) return 0;
    if (offset < 4 || offset + size > this.objectSize) {
      throw new ModelError(`${this.where}: field ${name} at offset ${offset} does not fit in its ${this.objectSize}-byte table`, this.pos);
    }
    return this.pos + offset;
  }

  has(slot: number): boolean {
    const entry = 4 + 2 * slot;
    return entry < this.vtableSize && this.file.bb.readUint16(this.vtable + entry) !== 0;
  }

  int8(slot: number, name: string, fallback = 0): number {
    const p = this.field(slot, 1, name);
    return p === 0 ? fallback : this.file.bb.readInt8(p);
  }

  uint8(slot: number, name: string, fallback = 0): number {
    const p = this.field(slot, 1, name);
    return p === 0 ? fallback : this.file.bb.readUint8(p);
  }

  bool(slot: number, name: string, fallback = false): boolean {
    const p = this.field(slot, 1, name);
    return p === 0 ? fallback : this.file.bb.readUint8(p) !== 0;
  }

  int32(slot: number, name: string, fallback = 0): number {
    const p = this.field(slot, 4, name);
    return p === 0 ? fallback : this.file.bb.readInt32(p);
  }

  uint32(slot: number, name: string, fallback = 0): number {
    const p = this.field(slot, 4, name);
    return p === 0 ? fallback : this.file.bb.readUint32(p);
  }

  float32(slot: number, name: string, fallback = 0): number {
    const p = this.field(slot, 4, name);
    return p === 0 ? fallback : this.file.bb.readFloat32(p);
  }

  /** A 64-bit integer as a number (exact below 2^53, which every real offset and size is). */
  int64(slot: number, name: string, fallback = 0, unsigned = false): number {
    const p = this.field(slot, 8, name);
    return p === 0 ? fallback : readInt64AsNumber(this.file.bb, p, unsigned);
  }

  /** The table referenced by a field, or undefined when absent. */
  table(slot: number, name: string, where: string): Table | undefined {
    const p = this.field(slot, 4, name);
    return p === 0 ? undefined : this.file.table(this.file.follow(p, this.where, name), where);
  }

  /** A vector's span after checking that `length * elementSize` bytes fit in the file. */
  vector(slot: number, name: string, elementSize: number): Span | undefined {
    const p = this.field(slot, 4, name);
    if (p === 0) return undefined;
    const at = this.file.follow(p, this.where, `${name} vector`);
    const length = this.file.bb.readUint32(at);
    const remaining = this.file.length - at - 4;
    if (length * elementSize > remaining) {
      throw new ModelError(
        `${this.where}: ${name} vector runs past the end of the file (length ${length} x ${elementSize} bytes > ${remaining} bytes remaining)`,
        at,
      );
    }
    return { start: at + 4, length };
  }

  /** A vector decoded element by element, charged against the file's work budget. */
  private decoded(slot: number, name: string, size: number, read: (pos: number) => number): number[] | undefined {
    const span = this.vector(slot, name, size);
    if (!span) return undefined;
    this.file.charge(span.length, this.where, span.start);
    const values = new Array<number>(span.length);
    for (let i = 0; i < span.length; i++) values[i] = read(span.start + i * size);
    return values;
  }

  int32s(slot: number, name: string): number[] | undefined {
    const bb = this.file.bb;
    return this.decoded(slot, name, 4, (p) => bb.readInt32(p));
  }

  float32s(slot: number, name: string): number[] | undefined {
    const bb = this.file.bb;
    return this.decoded(slot, name, 4, (p) => bb.readFloat32(p));
  }

  int64s(slot: number, name: string): number[] | undefined {
    const bb = this.file.bb;
    return this.decoded(slot, name, 8, (p) => readInt64AsNumber(bb, p, false));
  }

  uint32s(slot: number, name: string): number[] | undefined {
    const bb = this.file.bb;
    return this.decoded(slot, name, 4, (p) => bb.readUint32(p));
  }

  uint8s(slot: number, name: string): number[] | undefined {
    const bb = this.file.bb;
    return this.decoded(slot, name, 1, (p) => bb.readUint8(p));
  }

  /** A [ubyte] vector as a view of the file's bytes: weights are never copied. */
  bytes(slot: number, name: string): Uint8Array | undefined {
    const span = this.vector(slot, name, 1);
    return span && this.file.bytes.subarray(span.start, span.start + span.length);
  }

  string(slot: number, name: string): string | undefined {
    const p = this.field(slot, 4, name);
    if (p === 0) return undefined;
    const span = this.vector(slot, name, 1);
    if (!span) return undefined;
    this.file.charge(span.length, this.where, span.start);
    return this.file.bb.__string(p) as string;
  }

  /** A vector of tables; each element is opened (and checked) when the list is built. */
  tables(slot: number, name: string, label: (index: number) => string): Table[] {
    const span = this.vector(slot, name, 4);
    if (!span) return [];
    this.file.charge(span.length, this.where, span.start);
    const out = new Array<Table>(span.length);
    for (let i = 0; i < span.length; i++) {
      const at = span.start + 4 * i;
      out[i] = this.file.table(this.file.follow(at, this.where, `${name}[${i}]`), label(i));
    }
    return out;
  }

  /** A union: its type tag (slot) and its table (slot + 1), or undefined for NONE. */
  union(slot: number, name: string, where: string): { type: number; table: Table } | undefined {
    const type = this.uint8(slot, `${name}_type`);
    if (type === 0) return undefined;
    const table = this.table(slot + 1, name, where);
    return table && { type, table };
  }
}

function readInt64AsNumber(bb: ByteBuffer, pos: number, unsigned: boolean): number {
  const low = bb.readUint32(pos);
  const high = unsigned ? bb.readUint32(pos + 4) : bb.readInt32(pos + 4);
  return high * 4294967296 + low;
}
