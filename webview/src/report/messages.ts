// Messages between the model-action report view and its host in the extension, and the state the
// view keeps with setState. Types only; both sides import this file.

import type { ActionReport } from '../../../server/src/actions';
import type { SnrSort } from './layerSnr';

/** The files a report is about; the host acts on them for the view's links. */
export interface ReportSource {
  /** The saved report (`<output>.report.json`). */
  reportUri: string;
  outputUri: string;
  inputUri: string;
}

/** host → report view */
export type HostToReport = { type: 'report'; source: ReportSource; report: ActionReport; notice?: string };

/** report view → host */
export type ReportToHost =
  /** The script runs and listens: send the report. */
  | { type: 'ready' }
  | { type: 'openJson' }
  /** Open the output model in the budget view. */
  | { type: 'openBudget' }
  | { type: 'revealOutput' };

/** Kept with setState: survives hiding the view and reloading the window. */
export interface ReportViewState {
  version: 1;
  source?: ReportSource;
  report?: ActionReport;
  sort: SnrSort;
}
