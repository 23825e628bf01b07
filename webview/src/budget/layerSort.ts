// Sorting of the per-layer table: by execution order or by a cost column, largest first on the
// first click, then toggled. Ties keep execution order so the table never shuffles.

export type SortKey = 'index' | 'outputBytes' | 'weightBytes' | 'macs' | 'latencyMs';
export type SortDirection = 'ascending' | 'descending';

export interface SortState {
  key: SortKey;
  direction: SortDirection;
}

export const DEFAULT_SORT: SortState = { key: 'index', direction: 'ascending' };

export type SortableLayer = Readonly<Record<SortKey, number>>;

/** The sort after activating the header of `key` while `current` is in effect. */
export function nextSort(current: SortState, key: SortKey): SortState {
  if (current.key === key) return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
  return { key, direction: key === 'index' ? 'ascending' : 'descending' };
}

/** Layers in display order (a new array; the input is not modified). */
export function sortLayers<T extends SortableLayer>(layers: readonly T[], sort: SortState): T[] {
  const sign = sort.direction === 'ascending' ? 1 : -1;
  return [...layers].sort((a, b) => sign * (a[sort.key] - b[sort.key]) || a.index - b.index);
}

export function isSortKey(value: unknown): value is SortKey {
  return value === 'index' || value === 'outputBytes' || value === 'weightBytes' || value === 'macs' || value === 'latencyMs';
}

/** Each layer's share of a column's total (0..1), and its bar width relative to the largest share (0..1). */
export function shares(values: readonly number[]): { share: number; bar: number }[] {
  let total = 0;
  let max = 0;
  for (const v of values) {
    total += Math.max(0, v);
    max = Math.max(max, v);
  }
  return values.map((v) => ({ share: total > 0 ? Math.max(0, v) / total : 0, bar: max > 0 ? Math.max(0, v) / max : 0 }));
}

/** Row focus movement for the arrow, Home, End, PageUp and PageDown keys; undefined for other keys. */
export function nextRow(current: number, key: string, rowCount: number, pageSize = 10): number | undefined {
  if (rowCount <= 0) return undefined;
  const clamp = (i: number) => Math.min(rowCount - 1, Math.max(0, i));
  switch (key) {
    case 'ArrowDown':
      return clamp(current + 1);
    case 'ArrowUp':
      return clamp(current - 1);
    case 'Home':
      return 0;
    case 'End':
      return rowCount - 1;
    case 'PageDown':
      return clamp(current + pageSize);
    case 'PageUp':
      return clamp(current - pageSize);
    default:
      return undefined;
  }
}
