// What `tinyml quantize`, `prune` and `convert` share: read the model, read --calib inputs, run the
// core's model action, write the output and its report beside it (safely: see actionOutput.ts),
// print the report. Bad input of any kind (options, model, inputs, targets) exits 2 with a message.

import { basename, dirname, join } from 'node:path';
import { type ActionOptions, ActionError, type EvaluationSet, outputFileName, runModelAction, validateActionOptions } from '../actions';
import { findBoard } from '../analysis/boards';
import { CalibrationError, loadCalibrationFolder, modelInputSpecs } from '../inputs';
import { type ParsedArgs, UsageError } from './args';
import { checkTargets, reportPathFor, writeAtomically } from './actionOutput';
import { actionReportText } from './actionReportText';
import { DEFAULT_BOARD } from './budgetCommand';
import { readModelBytes } from './io';

/** Options every action command takes, besides its own. */
export const ACTION_VALUES = ['calib', 'board', 'output'];
export const ACTION_FLAGS = ['force', 'json'];
export const ACTION_ALIASES = { o: 'output', b: 'board' };

function evaluationFrom(dir: string, graph: ReturnType<typeof readModelBytes>['graph']): { set: EvaluationSet; warnings: string[] } {
  try {
    const c = loadCalibrationFolder(dir, modelInputSpecs(graph));
    const skipped = c.skipped.map((s) => `skipped ${s.file}: ${s.reason}`);
    return { set: { samples: c.samples, description: c.description, generated: false }, warnings: [...c.warnings, ...skipped] };
  } catch (error) {
    if (error instanceof CalibrationError) throw new UsageError(`--calib ${dir}: ${error.message}`);
    throw error;
  }
}

/** Runs `options` on the model named in `args`, writing to -o or the default name beside the input. */
export function runActionCommand(args: ParsedArgs, options: ActionOptions, out: (text: string) => void): number {
  if (args.positional.length !== 1) throw new UsageError('expected exactly one model file');
  const modelPath = args.positional[0];
  const boardId = args.values.get('board')?.[0] ?? DEFAULT_BOARD;
  const board = findBoard(boardId);
  if (!board) throw new UsageError(`unknown board '${boardId}' (run 'tinyml boards' for the list)`);
  let checked: ActionOptions;
  try {
    checked = validateActionOptions(options);
  } catch (error) {
    if (error instanceof ActionError) throw new UsageError(error.message);
    throw error;
  }

  const read = readModelBytes(modelPath);
  const outputPath = args.values.get('output')?.[0] ?? join(dirname(modelPath), outputFileName(basename(modelPath), checked, read.graph.format));
  const reportPath = reportPathFor(outputPath);
  const force = args.flags.has('force');
  // Before the work, so that a refusal costs nothing; the input is never a target, even with --force.
  checkTargets(modelPath, [outputPath, reportPath], force);

  const calib = args.values.get('calib')?.[0];
  const evaluation = calib !== undefined ? evaluationFrom(calib, read.graph) : undefined;
  const progress = process.stderr.isTTY && !args.flags.has('json') ? (message: string) => process.stderr.write(`\r\x1b[K${message}`) : undefined;
  let result;
  try {
    result = runModelAction({ bytes: read.bytes, fileName: basename(modelPath) }, checked, evaluation?.set, board, { progress });
  } catch (error) {
    if (error instanceof ActionError) throw new UsageError(`${modelPath}: ${error.message}`);
    throw error;
  } finally {
    if (progress) process.stderr.write('\r\x1b[K');
  }
  const report = {
    ...result.report,
    output: { ...result.report.output, fileName: basename(outputPath) },
    warnings: [...new Set([...(evaluation?.warnings ?? []), ...result.report.warnings])],
  };

  checkTargets(modelPath, [outputPath, reportPath], force);
  writeAtomically(outputPath, result.bytes);
  writeAtomically(reportPath, `${JSON.stringify(report, null, 2)}\n`);
  out(args.flags.has('json') ? JSON.stringify(report, null, 2) : actionReportText(report, outputPath, reportPath));
  return 0;
}
