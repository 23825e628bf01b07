// Figures as the report view prints them: decibels, shares and errors, plus signed changes with
// their percentage ("−12.3 KiB (−55 %)"). Byte and count units are the budget view's.

import { formatBytes, formatCount, formatMs } from '../budget/format';

export { formatBytes, formatCount, formatMs };

/** `36.9 dB`; '—' when there is no figure. */
export function formatDb(db: number | null): string {
  return db === null || !Number.isFinite(db) ? '—' : `${db.toFixed(1)} dB`;
}

/** A share 0..1 as `96.9 %`. */
export function formatShare(share: number): string {
  return `${(100 * share).toFixed(1)} %`;
}

/** An error in real units, three significant digits: `0.0211`, `1.25e-5`. */
export function formatError(x: number): string {
  if (x === 0) return '0';
  const abs = Math.abs(x);
  return abs >= 1e-3 && abs < 1e5 ? String(Number(x.toPrecision(3))) : x.toExponential(2);
}

/** `after − before` with its sign and share of `before`: `−12.3 KiB (−55 %)`, `±0`. */
export function formatChange(before: number, after: number, unit: (n: number) => string): string {
  const diff = after - before;
  if (diff === 0) return '±0';
  const sign = diff > 0 ? '+' : '−';
  const pct = before !== 0 ? ` (${sign}${Math.abs(Math.round((100 * diff) / before))} %)` : '';
  return `${sign}${unit(Math.abs(diff))}${pct}`;
}
