// The report views shown lately, by panel title, kept in workspaceState: VS Code may revive a
// report panel without the state its view saved (a window closed right after the view drew),
// and then the title is what is left to find the report by. Pure.

import type { ReportSource } from '../../../webview/src/report/messages';

export interface RecentReport {
  title: string;
  source: ReportSource;
}

export const MAX_RECENT_REPORTS = 20;

/** The list as stored, keeping only well-formed entries (storage may hold anything). */
export function recentReports(saved: unknown): RecentReport[] {
  return Array.isArray(saved) ? saved.filter(isRecentReport) : [];
}

/** `list` with `entry` first, without an older entry for the same report, at most MAX_RECENT_REPORTS long. */
export function rememberReport(list: readonly RecentReport[], entry: RecentReport): RecentReport[] {
  return [entry, ...list.filter((r) => r.source.reportUri !== entry.source.reportUri)].slice(0, MAX_RECENT_REPORTS);
}

/** The newest report shown under `title`. */
export function reportTitled(saved: unknown, title: string): ReportSource | undefined {
  return recentReports(saved).find((r) => r.title === title)?.source;
}

function isRecentReport(value: unknown): value is RecentReport {
  if (typeof value !== 'object' || value === null) return false;
  const { title, source } = value as Partial<RecentReport>;
  return (
    typeof title === 'string' &&
    typeof source === 'object' &&
    source !== null &&
    typeof source.reportUri === 'string' &&
    typeof source.outputUri === 'string' &&
    typeof source.inputUri === 'string'
  );
}
