// A byte-offset model of TFLM's SingleArenaBufferAllocator
// (arena_allocator/single_arena_buffer_allocator.cc): the non-persistent head grows up from the
// arena start, temp allocations stack above the head, persistent allocations grow down from
// the arena end. Offsets are relative to a 16-byte-aligned arena start.

import { alignDown, alignUp } from './tflmTypes';

/** Thrown when an allocation would not fit; TFLM returns an error status at that point. */
export class ArenaExhausted extends Error {
  constructor(what: string) {
    super(`arena exhausted: ${what}`);
    this.name = 'ArenaExhausted';
  }
}

export class SingleArena {
  /** buffer_tail_: the arena end, never aligned (the caller's size is used as given). */
  readonly bufferTail: number;
  head = 0;
  temp = 0;
  tail: number;
  /** Bytes requested from the tail and the padding alignment added, by category. */
  readonly requested = new Map<string, number>();
  padding = 0;

  constructor(arenaBytes: number) {
    this.bufferTail = arenaBytes;
    this.tail = arenaBytes;
  }

  /** AllocatePersistentBuffer: AlignPointerDown(tail - size); checked against head only. */
  persistent(size: number, alignment: number, category: string): void {
    const result = alignDown(this.tail - size, alignment);
    if (result < this.head) throw new ArenaExhausted(`persistent ${category} (${size} bytes)`);
    this.padding += this.tail - result - size;
    this.requested.set(category, (this.requested.get(category) ?? 0) + size);
    this.tail = result;
  }

  /** AllocateTemp: AlignPointerUp(temp) and stack; checked against the tail. */
  allocateTemp(size: number, alignment: number, what: string): void {
    const result = alignUp(this.temp, alignment);
    if (this.tail - result < size) throw new ArenaExhausted(`temp ${what} (${size} bytes)`);
    this.temp = result + size;
  }

  /** ResetTempAllocations. */
  resetTemp(): void {
    this.temp = this.head;
  }

  /** ResizeBuffer / ReserveNonPersistentOverlayMemory of the one resizable head buffer. */
  resizeHead(size: number, alignment: number, what: string): void {
    const start = alignUp(0, alignment);
    if (this.tail - start < size) throw new ArenaExhausted(`head ${what} (${size} bytes)`);
    this.head = start + size;
    this.temp = this.head;
  }

  /** GetAvailableMemory(alignment). */
  availableMemory(alignment: number): number {
    return alignDown(this.tail, alignment) - alignUp(this.temp, alignment);
  }

  /** GetPersistentUsedBytes. */
  persistentUsed(): number {
    return this.bufferTail - this.tail;
  }
}
