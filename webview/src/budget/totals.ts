// The totals against the board's limits: the arena (reference kernels, and CMSIS-NN where the
// board runs them) against RAM, the model against flash, each with its share and a verdict.

import type { Budget } from '../../../server/src/analysis/budget';
import { formatBytes, formatPercent } from './format';

export interface LimitRow {
  id: 'arena-reference' | 'arena-optimized' | 'flash';
  label: string;
  bytes: number;
  limitBytes: number;
  limitName: 'RAM' | 'flash';
  fits: boolean;
  /** bytes / limit, not clamped (over 1 when it does not fit). */
  fraction: number;
  /** What the figure is made of, e.g. "planned 15.6 KiB + persistent 6.6 KiB". */
  detail: string;
}

export function limitRows(budget: Budget): LimitRow[] {
  const { totals, board } = budget;
  const row = (id: LimitRow['id'], label: string, bytes: number, limitName: LimitRow['limitName'], detail: string): LimitRow => {
    const limitBytes = limitName === 'RAM' ? board.ramBytes : board.flashBytes;
    return { id, label, bytes, limitBytes, limitName, fits: bytes <= limitBytes, fraction: limitBytes > 0 ? bytes / limitBytes : Infinity, detail };
  };
  const rows = [
    row(
      'arena-reference',
      'Arena, reference kernels',
      totals.arenaBytes,
      'RAM',
      `planned ${formatBytes(totals.arenaPlannedBytes)} + persistent ${formatBytes(totals.arenaPersistentBytes)}; arena_used_bytes() ${totals.arenaUsedBytes}`,
    ),
  ];
  if (budget.arenaOptimized) {
    const o = budget.arenaOptimized;
    rows.push(
      row('arena-optimized', 'Arena, CMSIS-NN kernels', totals.arenaBytesOptimized, 'RAM', `planned ${formatBytes(o.plannedBytes)} + persistent ${formatBytes(o.persistentBytes)}; arena_used_bytes() ${o.usedBytes}`),
    );
  }
  rows.push(row('flash', 'Model in flash', totals.flashBytes, 'flash', `${formatBytes(totals.weightBytes)} of it weights`));
  return rows;
}

/** One sentence: fits, or what does not fit and by how much (the CLI's verdict, same figures). */
export function verdict(budget: Budget): { fits: boolean; text: string } {
  const { totals, board, fit } = budget;
  const arena = Math.max(totals.arenaBytes, totals.arenaBytesOptimized);
  if (fit.ram && fit.flash) {
    return { fits: true, text: `Fits ${board.name}: the arena uses ${formatPercent(arena, board.ramBytes)} of RAM, the model ${formatPercent(totals.flashBytes, board.flashBytes)} of flash.` };
  }
  const problems: string[] = [];
  if (!fit.ram) problems.push(`the arena needs ${formatBytes(arena)} but the board has ${formatBytes(board.ramBytes)} of RAM`);
  if (!fit.flash) problems.push(`the model needs ${formatBytes(totals.flashBytes)} but the board has ${formatBytes(board.flashBytes)} of flash`);
  return { fits: false, text: `Does not fit ${board.name}: ${problems.join('; ')}.` };
}
