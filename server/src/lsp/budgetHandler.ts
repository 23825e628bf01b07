// Answers `tinyml/budget`: reads the model file's bytes (LSP text sync never carries binary
// models) and returns the same budget JSON the CLI prints.

import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeBudget } from '../analysis/budget';
import { findBoard } from '../analysis/boards';
import { ModelError } from '../model/graph';
import { loadModel } from '../model/load';
import { budgetJson, DEFAULT_BOARD } from '../cli/budgetCommand';
import type { BudgetRequest } from './protocol';

export async function handleBudgetRequest(params: BudgetRequest.Params): Promise<BudgetRequest.Result> {
  const board = findBoard(params.board ?? DEFAULT_BOARD);
  if (!board) return { ok: false, message: `Unknown board '${params.board}'.` };
  let path: string;
  try {
    path = fileURLToPath(params.uri);
  } catch {
    return { ok: false, message: `Only files on disk can be analyzed (${params.uri}).` };
  }
  try {
    const bytes = new Uint8Array(await readFile(path));
    const graph = loadModel(bytes, basename(path));
    return { ok: true, report: budgetJson(computeBudget(graph, board, { kernels: params.kernels })) };
  } catch (error) {
    if (error instanceof ModelError) return { ok: false, message: `${basename(path)}: ${error.message}` };
    const code = (error as NodeJS.ErrnoException).code;
    if (code) return { ok: false, message: `${basename(path)}: cannot read (${code})` };
    throw error;
  }
}
