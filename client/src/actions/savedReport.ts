// Reads a saved `<output>.report.json` back for the report view: the JSON must parse and look
// like a report of the version this extension draws. Pure.

import type { ActionReport } from '../../../server/src/actions';

export function parseSavedReport(text: string): { report: ActionReport; problem?: undefined } | { report?: undefined; problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'is not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !('version' in value)) return { problem: 'is not a report' };
  const r = value as Partial<ActionReport>;
  if (r.version !== 1) return { problem: `is a report of version ${JSON.stringify(r.version)}, not 1` };
  if (!r.action || !r.source || !r.output || !r.accuracy || !Array.isArray(r.perLayer) || !r.budget || !Array.isArray(r.warnings) || !Array.isArray(r.notes)) {
    return { problem: 'is missing parts of a report' };
  }
  return { report: value as ActionReport };
}
