// The per-layer agreement table: every compared activation's SNR against the reference, the worst
// layer marked, a bar on a common scale, and sorting by execution order or by SNR (worst first on
// the first click). Pure.

import type { ActionReport } from '../../../server/src/actions';
import { formatDb } from './reportFormat';

export type SnrSortKey = 'index' | 'snr';
export interface SnrSort {
  key: SnrSortKey;
  direction: 'ascending' | 'descending';
}

export const DEFAULT_SNR_SORT: SnrSort = { key: 'index', direction: 'ascending' };

/** Where an SNR sits: above 30 dB int8 error is usually harmless, below 15 dB it shows in results. */
export type Tone = 'good' | 'fair' | 'poor';
export const GOOD_DB = 30;
export const FAIR_DB = 15;

export interface SnrRow {
  /** Position in report.perLayer. */
  position: number;
  /** Operator index in the reference model. */
  index: number;
  op: string;
  tensor: string;
  text: string;
  /** Bar length 0..1: SNR over the scale (the best layer's SNR, at least 40 dB); full when identical. */
  bar: number;
  tone: Tone;
  worst: boolean;
}

export function toneOf(db: number | null, identical: boolean): Tone {
  if (identical || db === null) return 'good';
  return db >= GOOD_DB ? 'good' : db >= FAIR_DB ? 'fair' : 'poor';
}

/** Sort value: an identical layer (or one with nothing to measure) lost nothing: +∞. */
function sortValue(row: ActionReport['perLayer'][number]): number {
  return row.snrDb === null ? Infinity : row.snrDb;
}

export function snrRows(report: Pick<ActionReport, 'perLayer' | 'worstLayer'>, sort: SnrSort): SnrRow[] {
  const finite = report.perLayer.map((l) => l.snrDb).filter((db): db is number => db !== null);
  const scale = Math.max(40, ...finite);
  const rows: SnrRow[] = report.perLayer.map((l, position) => ({
    position,
    index: l.index,
    op: l.op,
    tensor: l.tensor,
    text: l.identical ? 'identical' : formatDb(l.snrDb),
    bar: l.identical || l.snrDb === null ? 1 : Math.min(1, Math.max(0, l.snrDb / scale)),
    tone: toneOf(l.snrDb, l.identical),
    worst: report.worstLayer === position,
  }));
  const sign = sort.direction === 'ascending' ? 1 : -1;
  const value = (row: SnrRow) => (sort.key === 'index' ? row.index : sortValue(report.perLayer[row.position]));
  return rows.sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    return (va === vb ? 0 : sign * (va < vb ? -1 : 1)) || a.position - b.position;
  });
}

/** The sort after activating a column header: a new column starts worst-first (SNR) or in order. */
export function nextSnrSort(current: SnrSort, key: SnrSortKey): SnrSort {
  if (current.key === key) return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
  return { key, direction: 'ascending' };
}

export function isSnrSort(value: unknown): value is SnrSort {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (v.key === 'index' || v.key === 'snr') && (v.direction === 'ascending' || v.direction === 'descending');
}
