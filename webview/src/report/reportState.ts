// The report view's saved state (setState/getState), checked as read: a view of another version
// may have saved it, and a bad field must fall back to a default instead of breaking the view.

import { DEFAULT_SNR_SORT, isSnrSort } from './layerSnr';
import type { ReportViewState } from './messages';

export function restoreReportState(saved: unknown): ReportViewState {
  const fresh: ReportViewState = { version: 1, sort: { ...DEFAULT_SNR_SORT } };
  if (typeof saved !== 'object' || saved === null || (saved as { version?: unknown }).version !== 1) return fresh;
  const s = saved as Partial<ReportViewState>;
  const source = s.source;
  const sourceOk = typeof source === 'object' && source !== null && typeof source.reportUri === 'string' && typeof source.outputUri === 'string' && typeof source.inputUri === 'string';
  const report = s.report;
  const reportOk = typeof report === 'object' && report !== null && report.version === 1 && Array.isArray(report.perLayer) && typeof report.accuracy === 'object';
  return {
    version: 1,
    sort: isSnrSort(s.sort) ? s.sort : fresh.sort,
    ...(sourceOk ? { source } : {}),
    ...(reportOk ? { report } : {}),
  };
}
