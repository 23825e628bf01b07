// TFLM's offline memory plan: the `OfflineMemoryAllocation` metadata buffer, int32 little-endian
// [version, subgraph count, n, offset 0 .. offset n-1], -1 meaning "plan this tensor online".
// TFLM reads the offsets of all subgraphs' tensors concatenated (micro_allocation_info.cc).

import { ModelError } from '../graph';

export const OFFLINE_PLAN_METADATA = 'OfflineMemoryAllocation';

const HEADER_BYTES = 12;

/** The plan's offsets; `where` names the metadata entry and `at` is its file offset, for messages. */
export function parseOfflinePlan(data: Uint8Array | undefined, where: string, at?: number): number[] {
  const length = data?.length ?? 0;
  if (!data || length < HEADER_BYTES) {
    throw new ModelError(`${where} (${OFFLINE_PLAN_METADATA}): buffer holds ${length} bytes, expected at least ${HEADER_BYTES} (version, subgraph count, offset count)`, at);
  }
  const view = new DataView(data.buffer, data.byteOffset, length);
  const count = view.getInt32(8, true);
  const available = (length - HEADER_BYTES) / 4;
  if (count < 0 || count > available) {
    throw new ModelError(`${where} (${OFFLINE_PLAN_METADATA}): claims ${count} tensor offsets but its ${length}-byte buffer holds at most ${Math.floor(available)}`, at === undefined ? undefined : at + 8);
  }
  const offsets = new Array<number>(count);
  for (let i = 0; i < count; i++) offsets[i] = view.getInt32(HEADER_BYTES + 4 * i, true);
  return offsets;
}
