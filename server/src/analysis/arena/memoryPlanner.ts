// The memory planner interface: places buffers with known sizes and lifetimes in one arena.
// Strategies are interchangeable; `GreedyMemoryPlanner` (greedyPlanner.ts) reproduces TFLM's
// default planner byte for byte, so the arena figure matches what firmware needs.

/**
 * A planner receives buffers in order (their index is the order of `addBuffer` calls) and
 * assigns each one an offset so that no two buffers that are alive at the same time overlap.
 * Lifetimes are inclusive ranges of TFLM "allocation scopes" (roughly, operator indices).
 *
 * Worked example (the greedy strategy): three buffers
 * ```
 *   planner.addBuffer(32, 0, 1);   // #0: 32 bytes, alive at scopes 0..1
 *   planner.addBuffer(16, 1, 2);   // #1: 16 bytes, alive at 1..2 (overlaps #0 at scope 1)
 *   planner.addBuffer(48, 2, 3);   // #2: 48 bytes, alive at 2..3 (overlaps #1 only)
 * ```
 * Largest first: #2 goes to offset 0. #0 does not overlap #2 in time, so it also goes to 0.
 * #1 overlaps both: the gap before #0 is empty, and past #0 (0+32) it would collide with #2
 * (0..48), so it lands after the last overlapping buffer at 48. Offsets are [0, 48, 0] and
 * `maximumMemorySize()` is 64.
 */
export interface MemoryPlanner {
  /**
   * Adds a buffer of `size` bytes alive from `firstUse` to `lastUse` (inclusive). With an
   * `offlineOffset` the buffer is pinned at that offset (TFLM's offline memory plan).
   */
  addBuffer(size: number, firstUse: number, lastUse: number, offlineOffset?: number): void;
  /** The arena bytes the plan needs: the highest end offset over all buffers. */
  maximumMemorySize(): number;
  /** Offset of the buffer added `i`-th. */
  offsetOf(i: number): number;
  /** Number of buffers added so far. */
  bufferCount(): number;
}
