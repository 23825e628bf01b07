// Answers `tinyml/modelAction` (protocol.ts): checks the request, reads the model file, runs the
// action in a worker thread (runActionWorker.ts) with work-done progress, and writes the output
// and its report beside it (outputFiles.ts), never over the input and over an existing file only
// when asked to.

import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CancellationToken, WorkDoneProgressReporter } from 'vscode-languageserver';
import { validateActionOptions, type ActionOptions } from '../../actions';
import { findBoard, type Board } from '../../analysis/boards';
import { MAX_MODEL_FILE_BYTES } from '../../model/load';
import { canonicalUri } from '../diskWorkspace';
import type { ModelActionRequest } from '../protocol';
import type { Settings } from '../settings';
import { fileExists, reportPathFor, sameFile, writeOutputs, type WriteOutcome } from './outputFiles';
import { runActionWorker } from './runActionWorker';

type Params = ModelActionRequest.Params;
type Result = ModelActionRequest.Result;
type Failure = Extract<Result, { ok: false }>;

export interface ModelActionDeps {
  /** The settings of the folder holding a (canonical) uri: its board is the default. */
  settings: (uri: string) => Promise<Settings>;
  /** A reporter for the client's work-done token (a silent one when there is none). */
  workDone: (token: string | number | undefined) => WorkDoneProgressReporter;
  log: (message: string) => void;
}

export function modelActionHandler(deps: ModelActionDeps) {
  return async (params: Params, token: CancellationToken): Promise<Result> => {
    const checked = await checkRequest(params, deps);
    if ('ok' in checked) return checked;
    const { options, board, inputPath, outputPath, calibrationFolder } = checked;

    if (await sameFile(inputPath, outputPath)) return fail('same-as-input', `The output would replace the input ${basename(inputPath)}; choose another name.`);
    if (await sameFile(inputPath, reportPathFor(outputPath))) return fail('same-as-input', `The report would replace the input ${basename(inputPath)}; choose another name.`);
    if (!params.overwrite && (await fileExists(outputPath))) return fail('exists', `${basename(outputPath)} already exists.`);

    const read = await readModelFile(inputPath);
    if ('ok' in read) return read;

    const fileName = basename(inputPath);
    const progress = deps.workDone(params.workDoneToken);
    progress.begin(`${verb(options)} ${fileName}`, 0, undefined, true);
    try {
      let lastPercent = -1;
      const answer = await runActionWorker(
        { bytes: read, fileName, options, boardId: board.id, ...(calibrationFolder !== undefined ? { calibrationFolder } : {}) },
        (message, fraction) => {
          if (fraction === undefined) return progress.report(message);
          // Whole percents only: LSP wants an integer and finer steps are noise on the wire.
          lastPercent = Math.max(lastPercent, Math.min(100, Math.floor(fraction * 100)));
          progress.report(lastPercent, message);
        },
        token,
      );
      if (answer.type === 'failed') {
        if (answer.reason === 'internal') deps.log(`[model action] ${fileName}: ${answer.message}`);
        return fail(answer.reason, answer.reason === 'internal' ? `Internal error while working on ${fileName} (details in the server log).` : answer.message);
      }

      progress.report(100, `Writing ${basename(outputPath)}…`);
      // The report names the file actually written (Save As may have chosen another name).
      const report = { ...answer.report, output: { ...answer.report.output, fileName: basename(outputPath) } };
      let outcome: WriteOutcome;
      try {
        outcome = await writeOutputs(outputPath, answer.bytes, `${JSON.stringify(report, null, 2)}\n`, params.overwrite, () => token.isCancellationRequested);
      } catch (error) {
        return fail('unwritable', `Cannot write ${basename(outputPath)}: ${writeProblem(error)}.`);
      }
      if (!outcome.written) return outcome.why === 'exists' ? fail('exists', `${basename(outputPath)} already exists.`) : fail('cancelled', 'Cancelled.');
      return {
        ok: true,
        outputUri: pathToFileURL(outputPath).href,
        reportUri: pathToFileURL(reportPathFor(outputPath)).href,
        report,
      };
    } finally {
      progress.done();
    }
  };
}

interface CheckedRequest {
  options: ActionOptions;
  /** Absolute; a relative folder is taken from the model's folder. */
  calibrationFolder?: string;
  board: Board;
  inputPath: string;
  outputPath: string;
}

async function checkRequest(params: Params, deps: ModelActionDeps): Promise<CheckedRequest | Failure> {
  if (typeof params !== 'object' || params === null) return fail('bad-request', 'The request has no parameters.');
  const inputPath = filePath(params.uri);
  if (inputPath === undefined) return fail('bad-request', `Only model files on disk can be worked on (${String(params.uri)}).`);
  const outputPath = filePath(params.outputUri);
  if (outputPath === undefined) return fail('bad-request', `The output must be a file on disk (${String(params.outputUri)}).`);
  if (typeof params.overwrite !== 'boolean') return fail('bad-request', '`overwrite` must be true or false.');
  if (params.calibrationFolder !== undefined && (typeof params.calibrationFolder !== 'string' || params.calibrationFolder === '')) {
    return fail('bad-request', '`calibrationFolder` must be a folder path.');
  }
  let options: ActionOptions;
  try {
    options = validateActionOptions(params.options);
  } catch (error) {
    return fail('bad-request', errorText(error));
  }
  let board: Board | undefined;
  if (params.board !== undefined) {
    board = typeof params.board === 'string' ? findBoard(params.board) : undefined;
    if (!board) return fail('bad-request', `Unknown board '${String(params.board)}' (run 'tinyml boards' for the list).`);
  } else board = (await deps.settings(canonicalUri(params.uri))).board;
  const calibrationFolder = params.calibrationFolder !== undefined ? resolve(dirname(inputPath), params.calibrationFolder) : undefined;
  return { options, board, inputPath, outputPath, ...(calibrationFolder !== undefined ? { calibrationFolder } : {}) };
}

async function readModelFile(path: string): Promise<Uint8Array | Failure> {
  try {
    const size = (await stat(path)).size;
    if (size > MAX_MODEL_FILE_BYTES) return fail('unreadable', `${basename(path)}: ${size} bytes is too large for a model file.`);
    return new Uint8Array(await readFile(path));
  } catch (error) {
    return fail('unreadable', `${basename(path)}: cannot read (${(error as NodeJS.ErrnoException).code ?? errorText(error)}).`);
  }
}

function filePath(uri: unknown): string | undefined {
  if (typeof uri !== 'string') return undefined;
  try {
    return resolve(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

function verb(options: ActionOptions): string {
  return options.kind === 'quantize' ? 'Quantizing' : options.kind === 'prune' ? 'Pruning' : 'Converting';
}

function fail(reason: ModelActionRequest.FailureReason, message: string): Failure {
  return { ok: false, reason, message };
}

/** Why a write failed, without the temp file's name that the system error carries. */
function writeProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const reasons: Record<string, string> = {
    ENOENT: 'its folder does not exist',
    ENOTDIR: 'its folder does not exist',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'the file system is read-only',
    ENOSPC: 'the disk is full',
  };
  return (code && reasons[code]) ?? (code ? `error ${code}` : errorText(error));
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
