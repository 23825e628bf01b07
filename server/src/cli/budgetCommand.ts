// `tinyml budget <model> [--board <id>] [--kernels ...] [--json]`: per-layer memory and
// latency budget. The JSON field names are a stable interface: other tools depend on them.

import { computeBudget, type Budget, type KernelFlavour } from '../analysis/budget';
import { findBoard } from '../analysis/boards';
import { formatBytes, formatCount, formatMs, formatShape } from '../analysis/units';
import { parseArgs, UsageError } from './args';
import { readModelFile } from './io';
import { renderTable } from './table';

export const DEFAULT_BOARD = 'nucleo-l4r5zi';

export function budgetCommand(argv: readonly string[], out: (text: string) => void): number {
  const args = parseArgs(argv, { values: ['board', 'kernels'], flags: ['json'], aliases: { b: 'board' } });
  if (args.positional.length !== 1) throw new UsageError('expected exactly one model file');
  const boardId = args.values.get('board')?.[0] ?? DEFAULT_BOARD;
  const board = findBoard(boardId);
  if (!board) throw new UsageError(`unknown board '${boardId}' (run 'tinyml boards' for the list)`);
  const kernels = args.values.get('kernels')?.[0] ?? 'optimized';
  if (kernels !== 'optimized' && kernels !== 'reference') {
    throw new UsageError(`--kernels must be 'optimized' or 'reference', not '${kernels}'`);
  }

  const graph = readModelFile(args.positional[0]);
  const budget = computeBudget(graph, board, { kernels: kernels as KernelFlavour });
  out(args.flags.has('json') ? JSON.stringify(budgetJson(budget), null, 2) : budgetText(args.positional[0], budget));
  return budget.fit.ram && budget.fit.flash ? 0 : 1;
}

export function budgetJson(budget: Budget) {
  return {
    format: budget.format,
    kernels: budget.kernels,
    layers: budget.layers.map((l) => ({
      index: l.index,
      op: l.op,
      inputShapes: l.inputShapes,
      outputShape: l.outputShape,
      dtype: l.dtype,
      quantization: l.quantization,
      params: l.params,
      weightBytes: l.weightBytes,
      outputBytes: l.outputBytes,
      macs: l.macs,
      cycles: l.cycles,
      latencyMs: l.latencyMs,
      latencyMsReference: l.latencyMsReference,
    })),
    totals: budget.totals,
    board: { id: budget.board.id, ramBytes: budget.board.ramBytes, flashBytes: budget.board.flashBytes },
    fits: budget.fit.ram && budget.fit.flash,
    latencyBasis: budget.latencyBasis,
    notes: budget.notes,
  };
}

function budgetText(path: string, budget: Budget): string {
  const { totals, board, fit } = budget;
  const table = renderTable(
    [
      { title: '#', align: 'right' },
      { title: 'op' },
      { title: 'input' },
      { title: 'output' },
      { title: 'dtype' },
      { title: 'params', align: 'right' },
      { title: 'weights', align: 'right' },
      { title: 'out bytes', align: 'right' },
      { title: 'MACs', align: 'right' },
      { title: 'latency', align: 'right' },
    ],
    budget.layers.map((l) => [
      String(l.index),
      l.op,
      l.inputShapes.length > 0 ? formatShape(l.inputShapes[0]) : '',
      formatShape(l.outputShape),
      l.dtype,
      formatCount(l.params),
      formatBytes(l.weightBytes),
      formatBytes(l.outputBytes),
      formatCount(l.macs),
      formatMs(l.latencyMs),
    ]),
    [['', 'total', '', '', '', formatCount(totals.params), formatBytes(totals.weightBytes), '', formatCount(totals.macs), formatMs(totals.latencyMs)]],
  );
  const kernelName = budget.kernels === 'optimized' ? 'optimized kernels' : 'reference kernels';
  const lines = [
    `${path} (${budget.format}) on ${board.name} (${board.core} @ ${board.clockMhz} MHz)`,
    '',
    table,
    '',
    `flash   ${formatBytes(totals.flashBytes)} model (${formatBytes(totals.weightBytes)} weights) of ${formatBytes(board.flashBytes)}`,
    `arena   ${formatBytes(totals.arenaBytes)} needed as kTensorArenaSize (${totals.arenaBytes} bytes) with reference kernels: planned ${formatBytes(totals.arenaPlannedBytes)} + persistent ${formatBytes(totals.arenaPersistentBytes)}; arena_used_bytes() reports ${totals.arenaUsedBytes}`,
    ...(budget.arenaOptimized
      ? [`        ${totals.arenaBytesOptimized} bytes with CMSIS-NN: planned ${budget.arenaOptimized.plannedBytes} + persistent ${budget.arenaOptimized.persistentBytes}`]
      : []),
    `compute ${formatCount(totals.macs)} MACs, ~${formatMs(totals.latencyMs)} with ${kernelName} (~${formatMs(totals.latencyMsReference)} with reference kernels), ~${totals.energyUj.toFixed(1)} µJ per inference`,
    `        ${budget.latencyBasis}`,
    ...budget.notes.map((n) => `note    ${n}`),
    '',
    fit.ram && fit.flash
      ? `fits: arena uses ${pct(totals.arenaBytes, board.ramBytes)} of RAM, model uses ${pct(totals.flashBytes, board.flashBytes)} of flash`
      : `DOES NOT FIT: ${[
          fit.ram ? '' : `arena needs ${formatBytes(totals.arenaBytes)} but the board has ${formatBytes(board.ramBytes)} of RAM`,
          fit.flash ? '' : `model needs ${formatBytes(totals.flashBytes)} but the board has ${formatBytes(board.flashBytes)} of flash`,
        ]
          .filter(Boolean)
          .join('; ')}`,
  ];
  return lines.join('\n');
}

function pct(part: number, whole: number): string {
  return `${((100 * part) / whole).toFixed(1)}%`;
}
