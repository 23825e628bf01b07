// Model actions (issue #5 items 4 and 6): quantize, prune or convert a model file's bytes, and
// report what it cost and saved: accuracy against a reference on evaluation inputs, layer by layer,
// and the budget before and after on one board. Pure core: bytes in, bytes and a JSON report out;
// the CLI and the language server do the file work.

import type { Board } from '../analysis/boards';
import { ModelError } from '../model/graph';
import { compareBudgets } from './budgetChange';
import { convertAction, CONVERT_PHASES } from './convertAction';
import { ActionCancelled, ActionError } from './errors';
import { checkSamples, type EvaluationSet } from './evaluation';
import { outputFileName } from './fileNames';
import { type ActionSource, loadSource } from './modelFiles';
import { type ActionOptions, resolveOptions, validateActionOptions } from './options';
import { BUDGETING, type ActionOutcome } from './outcome';
import { type ActionHooks, PhaseProgress } from './progress';
import { ACTION_REPORT_VERSION, type ActionReport, agreementOf } from './report';
import { PRUNE_PHASES, pruneAction } from './pruneAction';
import { quantizeAction, quantizePhases } from './quantizeAction';

export { ActionCancelled, ActionError } from './errors';
export type { EvaluationSet } from './evaluation';
export { GENERATED_COUNT } from './evaluation';
export { formatOfFileName, outputFileName } from './fileNames';
export type { ActionSource } from './modelFiles';
export type { ActionOptions, ModelFileFormat, QuantizeMethod, ResolvedActionOptions } from './options';
export { validateActionOptions } from './options';
export type { ActionHooks } from './progress';
export type { BudgetChange, BudgetFigures, LayerBudgetRow, LayerFigures } from './budgetChange';
export type {
  AccuracySummary,
  ActionReport,
  ChannelLayerRow,
  ChannelPruneSummary,
  LayerAgreementRow,
  LayerNotComparedRow,
  MagnitudePruneSummary,
  ModelFileSummary,
} from './report';
export { ACTION_REPORT_VERSION } from './report';

export interface ActionResult {
  /** The output model file's bytes. */
  bytes: Uint8Array;
  format: 'tflite' | 'onnx';
  report: ActionReport;
}

/**
 * Runs one action on `source`. `evaluation` samples are in the source model's input layout; when
 * absent, inputs are generated (and the report says so). Throws ActionError for input that cannot
 * be acted on and ActionCancelled when `hooks.cancelled()` turns true.
 */
export function runModelAction(source: ActionSource, options: ActionOptions, evaluation: EvaluationSet | undefined, board: Board, hooks?: ActionHooks): ActionResult {
  const checked = validateActionOptions(options);
  const resolved = resolveOptions(checked);
  const loaded = loadSource(source);
  if (evaluation) checkSamples(loaded.graph, evaluation);

  let outcome: ActionOutcome;
  let progress: PhaseProgress;
  try {
    switch (resolved.kind) {
      case 'quantize':
        progress = new PhaseProgress(hooks, quantizePhases(loaded));
        outcome = quantizeAction(loaded, resolved, evaluation, progress);
        break;
      case 'prune':
        progress = new PhaseProgress(hooks, PRUNE_PHASES);
        outcome = pruneAction(loaded, resolved, evaluation, board, progress);
        break;
      case 'convert':
        progress = new PhaseProgress(hooks, CONVERT_PHASES);
        outcome = convertAction(loaded, resolved, evaluation, progress);
        break;
    }
  } catch (e) {
    if (e instanceof ActionError || e instanceof ActionCancelled) throw e;
    // A result the readers reject is an input they cannot handle, not a crash.
    if (e instanceof ModelError) throw new ActionError(`${source.fileName}: ${e.message}`);
    throw e;
  }

  progress.begin(BUDGETING);
  const budget = compareBudgets(loaded.graph, outcome.output, board);
  const notes = [...outcome.notes];
  if (loaded.fromCArray) notes.unshift(`The model was read from the C array in ${source.fileName}.`);
  const report: ActionReport = {
    version: ACTION_REPORT_VERSION,
    action: resolved,
    board: board.id,
    source: { fileName: source.fileName, format: loaded.format, bytes: source.bytes.length },
    output: { fileName: outputFileName(source.fileName, checked, loaded.format), format: outcome.format, bytes: outcome.bytes.length },
    evaluation: outcome.evaluation,
    reference: outcome.reference,
    ...agreementOf(outcome.validation, outcome.classScores),
    budget,
    prune: outcome.prune,
    warnings: [...new Set(outcome.warnings)],
    notes: [...new Set(notes)],
  };
  progress.finish();
  return { bytes: outcome.bytes, format: outcome.format, report };
}
