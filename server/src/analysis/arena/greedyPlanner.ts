// TFLM's GreedyMemoryPlanner (memory_planner/greedy_memory_planner.cc), reproduced exactly:
// same ordering (offline-planned buffers first in insertion order, then online buffers by
// descending size with ties in reverse insertion order), same first-fit gap search over an
// offset-ordered list, same maximum. Sizes are used as given; TFLM's caller (CreatePlan in
// micro_allocator.cc) has already rounded them up to 16 bytes.

import type { MemoryPlanner } from './memoryPlanner';

/** kOnlinePlannedBuffer (greedy_memory_planner.h). */
export const ONLINE_PLANNED = -1;

interface Requirement {
  size: number;
  offlineOffset: number;
  firstUse: number;
  lastUse: number;
}

interface ListEntry {
  offset: number;
  requirementsIndex: number;
  next: number;
}

export class GreedyMemoryPlanner implements MemoryPlanner {
  private readonly requirements: Requirement[] = [];
  private offsets: number[] = [];
  private entries: ListEntry[] = [];
  private firstEntryIndex = 0;
  private dirty = true;

  addBuffer(size: number, firstUse: number, lastUse: number, offlineOffset?: number): void {
    this.requirements.push({
      size,
      offlineOffset: offlineOffset ?? ONLINE_PLANNED,
      firstUse,
      lastUse,
    });
    this.dirty = true;
  }

  bufferCount(): number {
    return this.requirements.length;
  }

  offsetOf(i: number): number {
    this.calculateOffsetsIfNeeded();
    if (i < 0 || i >= this.requirements.length) {
      throw new RangeError(`buffer index ${i} is outside 0..${this.requirements.length - 1}`);
    }
    return this.offsets[i];
  }

  /** GreedyMemoryPlanner::GetMaximumMemorySize: walks the offset-ordered list. */
  maximumMemorySize(): number {
    this.calculateOffsetsIfNeeded();
    if (this.requirements.length === 0) return 0;
    let max = 0;
    let index = this.firstEntryIndex;
    while (index !== -1) {
      const entry = this.entries[index];
      const end = entry.offset + this.requirements[entry.requirementsIndex].size;
      if (end > max) max = end;
      index = entry.next;
    }
    return max;
  }

  private overlapsInTime(entry: ListEntry, first: number, last: number): boolean {
    const r = this.requirements[entry.requirementsIndex];
    return !(r.firstUse > last || first > r.lastUse);
  }

  /** NextSimultaneouslyActiveBuffer: the next entry after `start` (or the head) alive in range. */
  private nextActive(start: number | null, first: number, last: number): number | null {
    let candidate: number;
    if (start === null) {
      candidate = this.firstEntryIndex;
    } else {
      if (this.entries[start].next === -1) return null;
      candidate = this.entries[start].next;
    }
    for (;;) {
      if (this.overlapsInTime(this.entries[candidate], first, last)) return candidate;
      if (this.entries[candidate].next === -1) return null;
      candidate = this.entries[candidate].next;
    }
  }

  /** CalculateOffsetsIfNeeded. */
  private calculateOffsetsIfNeeded(): void {
    const count = this.requirements.length;
    if (!this.dirty || count === 0) return;
    this.dirty = false;

    // Offline buffers fill the sorted arrays from the head in insertion order; online ones
    // from the tail, so they start out in reverse insertion order.
    const offline: number[] = [];
    const onlineReversed: number[] = [];
    this.offsets = new Array<number>(count).fill(ONLINE_PLANNED);
    for (let i = 0; i < count; i++) {
      const r = this.requirements[i];
      if (r.offlineOffset === ONLINE_PLANNED) {
        onlineReversed.unshift(i);
      } else {
        offline.push(i);
        this.offsets[i] = r.offlineOffset;
      }
    }
    // ReverseSortInPlace is a stable bubble sort by descending size; Array.prototype.sort
    // is stable, so this gives the same order.
    onlineReversed.sort((a, b) => this.requirements[b].size - this.requirements[a].size);
    const sortedIds = [...offline, ...onlineReversed];

    this.entries = [];
    this.firstEntryIndex = 0;
    const firstId = sortedIds[0];
    if (this.requirements[firstId].offlineOffset === ONLINE_PLANNED) this.offsets[firstId] = 0;
    this.entries.push({ offset: this.offsets[firstId], requirementsIndex: firstId, next: -1 });

    for (let i = 1; i < count; i++) {
      const id = sortedIds[i];
      const wanted = this.requirements[id];
      let candidateOffset = 0;
      if (wanted.offlineOffset === ONLINE_PLANNED) {
        let prior: number | null = null;
        for (;;) {
          const next = this.nextActive(prior, wanted.firstUse, wanted.lastUse);
          if (prior !== null) {
            const p = this.entries[prior];
            const priorEnd = p.offset + this.requirements[p.requirementsIndex].size;
            if (priorEnd > candidateOffset) candidateOffset = priorEnd;
          }
          if (next === null) break;
          const gap = this.entries[next].offset - candidateOffset;
          if (gap >= wanted.size) break;
          prior = next;
        }
      } else {
        candidateOffset = wanted.offlineOffset;
      }
      this.offsets[id] = candidateOffset;

      const newIndex = this.entries.length;
      const newEntry: ListEntry = { offset: candidateOffset, requirementsIndex: id, next: -1 };
      this.entries.push(newEntry);
      const first = this.entries[this.firstEntryIndex];
      if (first.offset > candidateOffset) {
        newEntry.next = this.firstEntryIndex;
        this.firstEntryIndex = newIndex;
      } else {
        let current = first;
        for (;;) {
          if (current.next === -1) {
            current.next = newIndex;
            newEntry.next = -1;
            break;
          }
          const nextEntry = this.entries[current.next];
          if (nextEntry.offset > candidateOffset) {
            newEntry.next = current.next;
            current.next = newIndex;
            break;
          }
          current = nextEntry;
        }
      }
    }
  }
}
