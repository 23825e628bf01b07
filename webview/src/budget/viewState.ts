// The budget view's saved state (setState/getState), checked as read: a view of another version
// may have saved it, and a bad field must fall back to a default instead of breaking the view.

import type { BudgetViewState } from '../messages';
import { DEFAULT_SORT, isSortKey } from './layerSort';

/** The saved state when it has the expected shape, else a fresh one. */
export function restoreState(saved: unknown): BudgetViewState {
  const fresh: BudgetViewState = { version: 1, sort: { ...DEFAULT_SORT }, arena: 'reference' };
  if (typeof saved !== 'object' || saved === null || (saved as { version?: unknown }).version !== 1) return fresh;
  const s = saved as Partial<BudgetViewState>;
  const sort = s.sort && isSortKey(s.sort.key) && (s.sort.direction === 'ascending' || s.sort.direction === 'descending') ? s.sort : fresh.sort;
  return {
    version: 1,
    sort,
    arena: s.arena === 'optimized' ? 'optimized' : 'reference',
    ...(s.source && typeof s.source.uri === 'string' ? { source: s.source } : {}),
    ...(s.model && typeof s.model === 'object' && s.model.budget ? { model: s.model } : {}),
  };
}
