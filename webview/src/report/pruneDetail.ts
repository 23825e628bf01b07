// What a pruning did layer by layer: the sparsity reached in each weight tensor (magnitude
// pruning), or the channels kept of each layer (structured pruning), plus the layers left alone
// and why. Pure.

import type { ActionReport } from '../../../server/src/actions';
import { formatBytes, formatCount, formatShare } from './reportFormat';

export interface SparsityRow {
  index: number;
  op: string;
  tensor: string;
  weights: string;
  sparsity: string;
  /** 0..1, the bar's length. */
  bar: number;
}

export interface ChannelRow {
  index: number;
  op: string;
  inChannels: string;
  outChannels: string;
  macs: string;
  weights: string;
}

export type PruneDetail =
  | { kind: 'magnitude'; heading: string; rows: SparsityRow[]; skipped: { index: number; op: string; reason: string }[] }
  | { kind: 'channels'; heading: string; rows: ChannelRow[]; skipped: { tensors: string; reason: string }[] };

function channels(before: number | null, after: number | null): string {
  if (before === null || after === null) return '—';
  return before === after ? String(before) : `${before} → ${after}`;
}

export function pruneDetail(prune: ActionReport['prune']): PruneDetail | undefined {
  if (!prune) return undefined;
  if (prune.kind === 'magnitude') {
    const b = prune.bitmaskEncoding;
    return {
      kind: 'magnitude',
      heading: `${formatShare(prune.achievedSparsity)} of the pruned layers' weights are zero (target ${formatShare(prune.targetSparsity)}, ${prune.scope === 'global' ? 'one global threshold' : 'per layer'}); ${formatCount(prune.weightsZeroed)} weights zeroed. A bitmask encoding would store them in ${formatBytes(b.encodedBytes)} instead of ${formatBytes(b.denseBytes)}.`,
      rows: prune.layers.map((l) => ({ index: l.index, op: l.op, tensor: l.tensor, weights: formatCount(l.weights), sparsity: formatShare(l.sparsity), bar: Math.min(1, Math.max(0, l.sparsity)) })),
      skipped: prune.skipped.map((s) => ({ index: s.index, op: s.op, reason: s.reason })),
    };
  }
  const pruned = prune.spaces.filter((s) => s.status === 'pruned');
  return {
    kind: 'channels',
    heading: `${pruned.length} of ${prune.spaces.length} channel groups pruned by ${formatShare(prune.ratio)}.`,
    rows: prune.layers.map((l) => ({
      index: l.index,
      op: l.op,
      inChannels: channels(l.inChannelsBefore, l.inChannelsAfter),
      outChannels: channels(l.outChannelsBefore, l.outChannelsAfter),
      macs: l.macsBefore === l.macsAfter ? formatCount(l.macsBefore) : `${formatCount(l.macsBefore)} → ${formatCount(l.macsAfter)}`,
      weights: l.weightBytesBefore === l.weightBytesAfter ? formatBytes(l.weightBytesBefore) : `${formatBytes(l.weightBytesBefore)} → ${formatBytes(l.weightBytesAfter)}`,
    })),
    skipped: prune.spaces.filter((s) => s.status === 'kept' && s.reasons.length > 0).map((s) => ({ tensors: s.tensors.join(', '), reason: s.reasons.join('; ') })),
  };
}
