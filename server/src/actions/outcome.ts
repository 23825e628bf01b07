// What each action hands back to runModelAction, which adds the parts every action shares (the
// options, the files, the budget) to make the report.

import type { Graph } from '../model/graph';
import type { ValidationReport } from '../quantize/report';
import type { ModelFileFormat } from './options';
import type { Phase } from './progress';
import type { ChannelPruneSummary, MagnitudePruneSummary } from './report';

export interface ActionOutcome {
  bytes: Uint8Array;
  format: ModelFileFormat;
  /** The output as read back from `bytes`. */
  output: Graph;
  validation: ValidationReport;
  /** Whether top-1 agreement applies (output 0 is a softmax). */
  classScores: boolean;
  reference: string;
  evaluation: { inputs: number; description: string; generated: boolean };
  prune: MagnitudePruneSummary | ChannelPruneSummary | null;
  warnings: string[];
  notes: string[];
}

export const VALIDATING: Phase = { label: 'Validating', weight: 10 };
export const BUDGETING: Phase = { label: 'Computing budgets', weight: 1 };
