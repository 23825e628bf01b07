// The budget before and after the action on one board: totals with their change, and layer by
// layer (paired by the core; a layer with no partner was removed or added). Pure.

import type { BudgetChange, BudgetFigures, LayerBudgetRow } from '../../../server/src/actions';
import { formatBytes, formatChange, formatCount, formatMs } from './reportFormat';

export interface TotalRow {
  id: keyof BudgetFigures;
  label: string;
  before: string;
  after: string;
  change: string;
  /** -1 smaller (better), 0 unchanged, 1 larger; null when a side has no figure. */
  direction: -1 | 0 | 1 | null;
}

const TOTALS: { id: keyof BudgetFigures; label: string; unit: (n: number) => string }[] = [
  { id: 'flashBytes', label: 'Model in flash', unit: formatBytes },
  { id: 'weightBytes', label: 'Weights', unit: formatBytes },
  { id: 'arenaBytes', label: 'Arena, reference kernels', unit: formatBytes },
  { id: 'arenaBytesOptimized', label: 'Arena, optimized kernels', unit: formatBytes },
  { id: 'macs', label: 'MACs', unit: formatCount },
  { id: 'params', label: 'Parameters', unit: formatCount },
  { id: 'latencyMs', label: 'Latency (estimate)', unit: formatMs },
  { id: 'energyUj', label: 'Energy per inference', unit: (n) => `${n.toFixed(1)} µJ` },
];

export function totalRows(budget: Pick<BudgetChange, 'before' | 'after'>): TotalRow[] {
  return TOTALS.map(({ id, label, unit }) => {
    const before = budget.before[id];
    const after = budget.after[id];
    if (before === null || after === null) return { id, label, before: before === null ? '—' : unit(before), after: after === null ? '—' : unit(after), change: '—', direction: null };
    return { id, label, before: unit(before), after: unit(after), change: formatChange(before, after, unit), direction: Math.sign(after - before) as -1 | 0 | 1 };
  });
}

export interface LayerDeltaRow {
  tensor: string;
  op: string;
  /** `3` or `3 → 4`; the layer's index in each model. */
  index: string;
  status: 'kept' | 'removed' | 'added';
  macs: string;
  weights: string;
  latency: string;
  /** Weight bytes saved (positive) or added (negative), for highlighting. */
  weightSaving: number;
}

function pair(before: number | null | undefined, after: number | null | undefined, unit: (n: number) => string): string {
  const b = before === null || before === undefined ? undefined : before;
  const a = after === null || after === undefined ? undefined : after;
  if (b === undefined && a === undefined) return '—';
  if (b === undefined) return `— → ${unit(a as number)}`;
  if (a === undefined) return `${unit(b)} → —`;
  return b === a ? unit(b) : `${unit(b)} → ${unit(a)}`;
}

export function layerDeltaRows(layers: readonly LayerBudgetRow[]): LayerDeltaRow[] {
  return layers.map((row) => {
    const { before, after } = row;
    const status = before && after ? 'kept' : before ? 'removed' : 'added';
    const op = before && after && before.op !== after.op ? `${before.op} → ${after.op}` : (after ?? before)?.op ?? '?';
    const index = before && after ? (before.index === after.index ? String(before.index) : `${before.index} → ${after.index}`) : String((after ?? before)?.index ?? '?');
    return {
      tensor: row.tensor,
      op,
      index,
      status,
      macs: pair(before?.macs, after?.macs, formatCount),
      weights: pair(before?.weightBytes, after?.weightBytes, formatBytes),
      latency: pair(before?.latencyMs, after?.latencyMs, formatMs),
      weightSaving: (before?.weightBytes ?? 0) - (after?.weightBytes ?? 0),
    };
  });
}
