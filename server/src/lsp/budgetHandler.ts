// Answers `tinyml/budget`: reads the model's bytes (a model file, whose bytes LSP text sync never
// carries, or a byte array embedded in a C/C++ source) and returns the CLI's budget JSON plus the
// detail the budget view draws: the full budget, arena buffers, kernel availability, tensor names.

import { computeBudget } from '../analysis/budget';
import { findBoard } from '../analysis/boards';
import { kernelSupport } from '../analysis/tflmKernels';
import { budgetJson, DEFAULT_BOARD } from '../cli/budgetCommand';
import { readModelSource } from './modelSource';
import type { BudgetRequest } from './protocol';

export async function handleBudgetRequest(params: BudgetRequest.Params): Promise<BudgetRequest.Result> {
  const board = findBoard(params.board ?? DEFAULT_BOARD);
  if (!board) return { ok: false, reason: 'unknown-board', message: `Unknown board '${params.board}' (run 'tinyml boards' for the list).` };
  const read = await readModelSource(params, params.text);
  if (!read.ok) return read;
  const { graph, array } = read;
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
}
