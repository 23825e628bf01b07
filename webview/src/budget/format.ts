// Figures as the budget view prints them: the same units as the CLI table, hovers and lenses
// (server/src/analysis/units.ts), plus percentages and exact byte counts for tooltips.

export { formatBytes, formatCount, formatMs, formatShape } from '../../../server/src/analysis/units';

/** `part` as a percentage of `whole` with one decimal; '—' when there is no whole. */
export function formatPercent(part: number, whole: number): string {
  if (!(whole > 0) || !Number.isFinite(part)) return '—';
  const pct = (100 * part) / whole;
  if (pct > 0 && pct < 0.1) return '<0.1%';
  return `${pct.toFixed(1)}%`;
}

/** Exact bytes with thousands separators, for tooltips next to a KiB figure: 22,772 B. */
export function formatExactBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '?';
  return `${Math.round(bytes).toLocaleString('en-US')} B`;
}
