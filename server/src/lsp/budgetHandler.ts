// Answers `tinyml/budget`: reads the model's bytes (a model file, whose bytes LSP text sync never
// carries, or a byte array embedded in a C/C++ source) and returns the CLI's budget JSON plus the
// detail the budget view draws: the full budget, arena buffers, kernel availability, tensor names.

import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeBudget } from '../analysis/budget';
import { findBoard } from '../analysis/boards';
import { kernelSupport } from '../analysis/tflmKernels';
import { budgetJson, DEFAULT_BOARD } from '../cli/budgetCommand';
import { extractModelBytes, readCArray, type CArray } from '../model/cArray';
import { ModelError } from '../model/graph';
import { loadModel } from '../model/load';
import type { BudgetRequest } from './protocol';

const SOURCE_EXTENSIONS = /\.(c|cc|cpp|cxx|h|hh|hpp|hxx|ino)$/i;

export async function handleBudgetRequest(params: BudgetRequest.Params): Promise<BudgetRequest.Result> {
  const board = findBoard(params.board ?? DEFAULT_BOARD);
  if (!board) return { ok: false, reason: 'unknown-board', message: `Unknown board '${params.board}' (run 'tinyml boards' for the list).` };
  let path: string;
  try {
    path = fileURLToPath(params.uri);
  } catch {
    if (params.text === undefined) return { ok: false, reason: 'unreadable', message: `Only files on disk can be analyzed (${params.uri}).` };
    path = params.uri;
  }
  const name = basename(path);
  const isSource = params.arrayName !== undefined || SOURCE_EXTENSIONS.test(name);
  try {
    let bytes: Uint8Array;
    let array: CArray | undefined;
    if (isSource) {
      const text = params.text ?? (await readFile(path, 'utf8'));
      array = params.arrayName !== undefined ? readCArray(text, name).find((a) => a.name === params.arrayName) : extractModelBytes(text, name);
      if (!array) {
        const what = params.arrayName !== undefined ? `no byte array named '${params.arrayName}' with an initializer` : 'no byte array with an initializer';
        return { ok: false, reason: 'no-model-array', message: `${name}: ${what}.` };
      }
      bytes = array.bytes;
    } else {
      bytes = new Uint8Array(await readFile(path));
    }
    // An embedded array is sniffed by its bytes, never by the source file's extension.
    const graph = loadModel(bytes, isSource ? undefined : name);
    const budget = computeBudget(graph, board, { kernels: params.kernels });
    const operators = graph.subgraphs[0]?.operators ?? [];
    return {
      ok: true,
      report: budgetJson(budget),
      detail: {
        budget,
        kernels: operators.map((op) => kernelSupport(op, graph.format, board.optimizedKernels)),
        tensorNames: graph.subgraphs.map((s) => s.tensors.map((t) => t.name)),
        ...(array ? { arrayName: array.name } : {}),
      },
    };
  } catch (error) {
    const where = sourceLabel(name, params.arrayName);
    if (error instanceof ModelError) return { ok: false, reason: 'corrupt', message: `${where}: ${error.message}` };
    const code = (error as NodeJS.ErrnoException).code;
    if (code) return { ok: false, reason: 'unreadable', message: `${where}: cannot read (${code})` };
    throw error;
  }
}

function sourceLabel(fileName: string, arrayName: string | undefined): string {
  return arrayName === undefined ? fileName : `${fileName} (${arrayName})`;
}
