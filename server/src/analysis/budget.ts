// The model budget: per layer and in total, what a model costs on one board. This is the
// single figure source for the CLI, the language server's diagnostics and lenses, and the views.

import type { Graph } from '../model/graph';
import type { Board } from './boards';
import { layerCosts, type LayerCost } from './layerCosts';
import { estimateLatency } from './latency';
import { planTflmArena, type TflmArena } from './arena/tflmArena';

export type KernelFlavour = 'optimized' | 'reference';

export interface BudgetLayer extends LayerCost {
  cycles: number;
  latencyMs: number;
  latencyMsReference: number;
}

export interface BudgetTotals {
  /** What the model occupies in flash as deployed: the whole serialized model. */
  flashBytes: number;
  weightBytes: number;
  /** The smallest `kTensorArenaSize` with which `AllocateTensors()` succeeds. */
  arenaBytes: number;
  arenaPlannedBytes: number;
  arenaPersistentBytes: number;
  /** What `arena_used_bytes()` reports after `AllocateTensors()`. */
  arenaUsedBytes: number;
  /**
   * The smallest arena with the optimized kernels the board would run (CMSIS-NN on Cortex-M);
   * equal to `arenaBytes` where no optimized-kernel allocation model applies.
   */
  arenaBytesOptimized: number;
  macs: number;
  params: number;
  latencyMs: number;
  latencyMsReference: number;
  energyUj: number;
}

export interface BudgetFit {
  ram: boolean;
  flash: boolean;
  ramFreeBytes: number;
  flashFreeBytes: number;
}

export interface Budget {
  format: Graph['format'];
  board: Pick<Board, 'id' | 'name' | 'ramBytes' | 'flashBytes' | 'core' | 'clockMhz'>;
  kernels: KernelFlavour;
  layers: BudgetLayer[];
  totals: BudgetTotals;
  /** Reference-kernel arena: the figures TFLM reports for its default build. */
  arena: TflmArena;
  /** Arena with the board's optimized kernels, when that differs from the reference build. */
  arenaOptimized?: TflmArena;
  fit: BudgetFit;
  latencyBasis: string;
  /** Caveats the reader must see next to the figures (approximations, unknown ops). */
  notes: string[];
}

export interface BudgetOptions {
  kernels?: KernelFlavour;
  subgraph?: number;
}

export function computeBudget(graph: Graph, board: Board, options: BudgetOptions = {}): Budget {
  const kernels = options.kernels ?? 'optimized';
  const costs = layerCosts(graph, options.subgraph ?? 0);
  const deployed = estimateLatency(costs, board, kernels);
  const reference = kernels === 'reference' ? deployed : estimateLatency(costs, board, 'reference');
  const arena = planTflmArena(graph);
  const cmsisTarget = cmsisTargetOf(board);
  const arenaOptimized = cmsisTarget ? planTflmArena(graph, { kernels: 'cmsis-nn', cmsisTarget }) : undefined;

  const layers: BudgetLayer[] = costs.map((cost, i) => ({
    ...cost,
    cycles: deployed.perLayer[i].cycles,
    latencyMs: deployed.perLayer[i].ms,
    latencyMsReference: reference.perLayer[i].ms,
  }));

  let weightBytes = 0;
  let macs = 0;
  let params = 0;
  for (const layer of layers) {
    macs += layer.macs;
    params += layer.params;
  }
  // Weights are counted once per constant tensor even when several layers share one.
  for (const tensor of graph.subgraphs[options.subgraph ?? 0]?.tensors ?? []) {
    if (tensor.data) weightBytes += tensor.data.byteLength;
  }

  const totals: BudgetTotals = {
    flashBytes: graph.fileBytes,
    weightBytes,
    arenaBytes: arena.minArenaBytes,
    arenaPlannedBytes: arena.plannedBytes,
    arenaPersistentBytes: arena.persistentBytes,
    arenaUsedBytes: arena.usedBytes,
    arenaBytesOptimized: arenaOptimized?.minArenaBytes ?? arena.minArenaBytes,
    macs,
    params,
    latencyMs: deployed.ms,
    latencyMsReference: reference.ms,
    energyUj: deployed.energyUj,
  };

  const notes: string[] = [];
  if (graph.format === 'onnx') {
    notes.push('ONNX model: the arena is what TFLM would plan for the same graph after conversion to TFLite.');
  }
  if (board.optimizedKernels === 'esp-nn') {
    notes.push('ESP-NN kernels: no allocation model yet, the arena shown is for reference kernels.');
  }
  if (arena.unmodeledOps.length > 0) {
    notes.push(`Arena approximate: no TFLM allocation model for ${arena.unmodeledOps.join(', ')}.`);
  }
  const unknown = [...new Set(layers.filter((l) => l.kind === 'unknown').map((l) => l.op))];
  if (unknown.length > 0) notes.push(`No cost model for ${unknown.join(', ')}: counted as 0 MACs.`);

  return {
    format: graph.format,
    board: {
      id: board.id,
      name: board.name,
      ramBytes: board.ramBytes,
      flashBytes: board.flashBytes,
      core: board.core,
      clockMhz: board.clockMhz,
    },
    kernels,
    layers,
    totals,
    arena,
    arenaOptimized,
    fit: {
      ram: Math.max(totals.arenaBytes, totals.arenaBytesOptimized) <= board.ramBytes,
      flash: totals.flashBytes <= board.flashBytes,
      ramFreeBytes: board.ramBytes - Math.max(totals.arenaBytes, totals.arenaBytesOptimized),
      flashFreeBytes: board.flashBytes - totals.flashBytes,
    },
    latencyBasis: deployed.basis,
    notes,
  };
}

/** Which CMSIS-NN build a board's core gets: the SIMD extension decides the scratch sizes. */
function cmsisTargetOf(board: Board): 'dsp' | 'mve' | 'none' | undefined {
  if (board.optimizedKernels !== 'cmsis-nn') return undefined;
  if (board.simd === 'mve') return 'mve';
  return board.dsp ? 'dsp' : 'none';
}
