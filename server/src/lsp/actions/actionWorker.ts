// The model-action worker (bundled as dist/server/actionWorker.js): loads the model, reads the
// calibration folder and runs the core's runModelAction, so the language server's main thread
// keeps answering while a model is quantized, pruned or converted. One job per worker; the
// handler terminates the worker to cancel it.

import { parentPort, workerData } from 'node:worker_threads';
import { ActionCancelled, ActionError, runModelAction, type EvaluationSet } from '../../actions';
import { findBoard } from '../../analysis/boards';
import { CalibrationError, loadCalibrationFolder, modelInputSpecs } from '../../inputs';
import { ModelError } from '../../model/graph';
import { loadModel } from '../../model/load';
import { progressThrottle } from './progressThrottle';
import type { ActionJob, FromActionWorker } from './workerProtocol';

function post(message: FromActionWorker, transfer: ArrayBuffer[] = []): void {
  parentPort?.postMessage(message, transfer);
}

function run(job: ActionJob): FromActionWorker {
  const board = findBoard(job.boardId);
  if (!board) return { type: 'failed', reason: 'internal', message: `unknown board '${job.boardId}'` };
  try {
    // Loading first tells a corrupt file apart from a model the action cannot handle.
    const graph = loadModel(job.bytes, job.fileName);
    let evaluation: EvaluationSet | undefined;
    let folderWarnings: string[] = [];
    if (job.calibrationFolder !== undefined) {
      post({ type: 'progress', message: 'Reading the calibration inputs…' });
      const read = loadCalibrationFolder(job.calibrationFolder, modelInputSpecs(graph));
      evaluation = { samples: read.samples, description: read.description, generated: false };
      folderWarnings = read.warnings;
    }
    const progress = progressThrottle((message, fraction) => post({ type: 'progress', message, fraction }));
    const result = runModelAction({ bytes: job.bytes, fileName: job.fileName }, job.options, evaluation, board, { progress });
    // Files of the folder that were skipped belong with the figures they did not count in.
    const report = folderWarnings.length > 0 ? { ...result.report, warnings: [...new Set([...folderWarnings, ...result.report.warnings])] } : result.report;
    return { type: 'done', bytes: result.bytes, format: result.format, report };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof ActionCancelled) return { type: 'failed', reason: 'cancelled', message };
    if (error instanceof ModelError) return { type: 'failed', reason: 'corrupt', message: `${job.fileName} is not a valid model: ${message}` };
    if (error instanceof CalibrationError) return { type: 'failed', reason: 'calibration', message };
    if (error instanceof ActionError) return { type: 'failed', reason: 'unsupported', message };
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return { type: 'failed', reason: 'unreadable', message: `${job.calibrationFolder ?? job.fileName}: cannot read (${code}).` };
    return { type: 'failed', reason: 'internal', message: error instanceof Error ? (error.stack ?? message) : message };
  }
}

const answer = run(workerData as ActionJob);
post(answer, answer.type === 'done' ? [answer.bytes.buffer as ArrayBuffer] : []);
