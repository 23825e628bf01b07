// Buffer lifetimes as TFLM computes them for its memory plan (AllocationInfoBuilder in
// micro_allocation_info.cc): every tensor of every subgraph plus every kernel scratch buffer,
// with "allocation scopes" that advance once per operator and once per subgraph entered
// through IF / WHILE / CALL_ONCE.

import type { Graph, Operator, Tensor } from '../../model/graph';
import { tflmElementBytes } from './tflmTypes';

/** A kernel's RequestScratchBufferInArena call, tagged with the node that made it. */
export interface ScratchRequest {
  bytes: number;
  subgraphIndex: number;
  opIndex: number;
}

/** One entry of TFLM's AllocationInfo array. */
export interface AllocationInfo {
  subgraphIndex: number;
  /** Tensor index within its subgraph, or null for a scratch buffer. */
  tensorIndex: number | null;
  /** For a scratch buffer: the operator that requested it. */
  opIndex?: number;
  /** Unaligned bytes (TfLiteEvalTensorByteLength, or the scratch request). */
  bytes: number;
  firstCreated: number;
  lastUsed: number;
  needsAllocating: boolean;
  /** Offline offset or -1 (kOnlinePlannedBuffer). */
  offlineOffset: number;
}

/** TfLiteEvalTensorByteLength: element count of the static shape times TfLiteTypeSizeOf. */
export function evalTensorBytes(tensor: Pick<Tensor, 'shape' | 'dtype'>): number {
  const elementBytes = tflmElementBytes(tensor.dtype) ?? 0;
  let count = 1;
  for (const d of tensor.shape) count *= d < 0 ? 0 : d;
  return count * elementBytes;
}

/** GetFlatbufferTensorBuffer: a tensor has data in the flatbuffer when its buffer is non-empty. */
export function hasConstantData(tensor: Tensor): boolean {
  return tensor.data !== undefined && tensor.data.length > 0;
}

/** Subgraphs an operator invokes (MarkSubgraphLifetimesIfNecessary), in TFLM's order. */
export function calledSubgraphs(op: Operator): number[] {
  const num = (key: string): number | undefined => {
    const v = op.options[key];
    return typeof v === 'number' ? v : undefined;
  };
  const pick = (...keys: string[]): number[] =>
    keys.map(num).filter((v): v is number => v !== undefined && v >= 0);
  switch (op.opType) {
    case 'IF':
      return pick('thenSubgraphIndex', 'elseSubgraphIndex');
    case 'WHILE':
      return pick('condSubgraphIndex', 'bodySubgraphIndex');
    case 'CALL_ONCE':
      return pick('initSubgraphIndex');
    default:
      return [];
  }
}

/**
 * Builds the AllocationInfo array: InitializeAllocationInfo followed by
 * MarkAllocationLifetimes(0). `offlineOffsets` (flat over all subgraphs' tensors, as TFLM
 * reads the `OfflineMemoryAllocation` metadata) may be undefined.
 */
export function buildAllocationInfo(
  graph: Graph,
  scratch: readonly ScratchRequest[],
  offlineOffsets: readonly number[] | undefined,
): AllocationInfo[] {
  const info: AllocationInfo[] = [];
  const subgraphStart: number[] = [];
  let offlineIndex = 0;
  graph.subgraphs.forEach((sg, s) => {
    subgraphStart.push(info.length);
    for (let i = 0; i < sg.tensors.length; i++) {
      const t = sg.tensors[i];
      const bytes = evalTensorBytes(t);
      let needsAllocating = !hasConstantData(t) && !t.isVariable && bytes !== 0;
      let offlineOffset = -1;
      if (offlineOffsets) {
        offlineOffset = offlineOffsets[offlineIndex++] ?? -1;
        // Offline-planned variable tensors are placed by the plan, not in the tail.
        if (t.isVariable && offlineOffset !== -1) needsAllocating = true;
      }
      info.push({
        subgraphIndex: s,
        tensorIndex: i,
        bytes,
        firstCreated: -1,
        lastUsed: -1,
        needsAllocating,
        offlineOffset,
      });
    }
  });
  const scratchStart = info.length;
  for (const req of scratch) {
    info.push({
      subgraphIndex: req.subgraphIndex,
      tensorIndex: null,
      opIndex: req.opIndex,
      // The bytes are only filled in when the owning node is visited while marking.
      bytes: 0,
      firstCreated: -1,
      lastUsed: -1,
      needsAllocating: true,
      offlineOffset: -1,
    });
  }

  let scope = 0;
  const firstCreated = (a: AllocationInfo, at: number): void => {
    if (a.firstCreated === -1) a.firstCreated = at;
  };
  const lastUsed = (a: AllocationInfo, at: number): void => {
    a.lastUsed = at;
  };

  const mark = (s: number): void => {
    const sg = graph.subgraphs[s];
    if (!sg) return;
    const base = subgraphStart[s];
    // Indices outside the subgraph (a malformed model) are skipped rather than trusted.
    const at = (t: number): AllocationInfo | undefined =>
      t >= 0 && t < sg.tensors.length ? info[base + t] : undefined;
    for (const t of sg.inputs) {
      const a = at(t);
      if (!a) continue;
      firstCreated(a, scope);
      lastUsed(a, scope);
    }
    sg.operators.forEach((op, opIndex) => {
      scope++;
      for (const t of op.outputs) {
        const a = at(t);
        if (a) firstCreated(a, scope);
      }
      const startScope = scope;
      for (const callee of calledSubgraphs(op)) {
        scope++;
        mark(callee);
      }
      for (const t of [...op.inputs, ...op.outputs]) {
        const a = at(t);
        if (a) lastUsed(a, scope);
      }
      scratch.forEach((req, k) => {
        if (req.opIndex === opIndex && req.subgraphIndex === s) {
          const a = info[scratchStart + k];
          a.bytes = req.bytes;
          firstCreated(a, startScope);
          lastUsed(a, scope);
        }
      });
    });
    for (const t of sg.outputs) {
      const a = at(t);
      if (!a) continue;
      firstCreated(a, scope);
      lastUsed(a, scope);
    }
  };
  mark(0);
  return info;
}
