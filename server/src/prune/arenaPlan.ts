// The pruned model's memory plan. Removing channels only shrinks tensors, so the ORIGINAL model's
// offsets remain a valid plan for the pruned one (no two live tensors can start overlapping when
// both get shorter), and its arena is never larger. TFLM's online greedy planner, though, can pack
// the smaller tensors worse than the larger ones (first-fit in size order is not monotonic), so the
// pruned model gets whichever is smaller: TFLM's own online plan, or the original's offsets pinned
// as an `OfflineMemoryAllocation` plan, which TFLM honours.

import type { Board } from '../analysis/boards';
import { computeBudget } from '../analysis/budget';
import { planTflmArena } from '../analysis/arena/tflmArena';
import type { Graph } from '../model/graph';
import { OFFLINE_PLAN_METADATA } from '../model/tflite/offlinePlan';
import { dropOfflinePlan } from './graphEdit';

/** The OfflineMemoryAllocation metadata: int32 LE [version 1, subgraph count, n, offsets...]. */
function offlinePlanBytes(subgraphs: number, offsets: readonly number[]): Uint8Array {
  const out = new Uint8Array(12 + 4 * offsets.length);
  const view = new DataView(out.buffer);
  view.setInt32(0, 1, true);
  view.setInt32(4, subgraphs, true);
  view.setInt32(8, offsets.length, true);
  offsets.forEach((o, i) => view.setInt32(12 + 4 * i, o, true));
  return out;
}

/** One offset per tensor of every subgraph of `pruned`, taken from `original`'s plan (-1: plan online). */
function originalOffsets(original: Graph, pruned: Graph): number[] {
  const placed = new Map<string, number>();
  for (const b of planTflmArena(original).buffers) if (b.tensorIndex !== null) placed.set(`${b.subgraphIndex}:${b.tensorIndex}`, b.offset);
  const flat: number[] = [];
  pruned.subgraphs.forEach((sg, s) => {
    for (const t of sg.tensors) flat.push(s === 0 && t.index >= original.subgraphs[0].tensors.length ? -1 : (placed.get(`${s}:${t.index}`) ?? -1));
  });
  return flat;
}

function peak(graph: Graph, board: Board): number {
  const t = computeBudget(graph, board).totals;
  return Math.max(t.arenaBytes, t.arenaBytesOptimized);
}

/**
 * Sets `pruned`'s memory plan to the smaller of TFLM's online plan and the original's offsets.
 * Returns a note for the report.
 */
export function chooseArenaPlan(original: Graph, pruned: Graph, board: Board): string | undefined {
  const hadPlan = dropOfflinePlan(pruned);
  const online = peak(pruned, board);
  const offsets = originalOffsets(original, pruned);
  const pinned: Graph = { ...pruned, offlinePlan: offsets, metadata: [...pruned.metadata, { name: OFFLINE_PLAN_METADATA, data: offlinePlanBytes(pruned.subgraphs.length, offsets) }] };
  if (peak(pinned, board) < online) {
    pruned.offlinePlan = pinned.offlinePlan;
    pruned.metadata = pinned.metadata;
    return (
      "TFLM's online planner would pack the smaller tensors into a larger arena than the original's, so the original's offsets are kept " +
      `as an ${OFFLINE_PLAN_METADATA} plan (valid because every tensor only shrank).`
    );
  }
  return hadPlan ? `The ${OFFLINE_PLAN_METADATA} plan was replaced by online planning, which needs less arena for the pruned tensors.` : undefined;
}
