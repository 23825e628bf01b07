// The budget before and after an action on one board: totals, and layer by layer. Layers are
// paired by their output tensor's name when both have it and do the same kind of work; the rest,
// between two such anchors, by order (the longest run of the same kinds); a layer with no partner
// (a folded MUL, an added QUANTIZE) appears on its side only.

import type { Board } from '../analysis/boards';
import { type BudgetLayer, computeBudget } from '../analysis/budget';
import type { Graph } from '../model/graph';

export interface BudgetFigures {
  /** The whole serialized model, as it sits in flash. */
  flashBytes: number;
  weightBytes: number;
  /** Smallest tensor arena with TFLM's reference kernels. */
  arenaBytes: number;
  /** Smallest tensor arena with the board's optimized kernels (CMSIS-NN on Cortex-M). */
  arenaBytesOptimized: number;
  macs: number;
  params: number;
  /** Estimated latency on the board with its optimized kernels; null when no estimate exists. */
  latencyMs: number | null;
  /** Estimated energy per inference; null when the board has no power figures. */
  energyUj: number | null;
}

export interface LayerFigures {
  /** Operator index in its own model. */
  index: number;
  op: string;
  macs: number;
  weightBytes: number;
  latencyMs: number | null;
}

export interface LayerBudgetRow {
  /** Output tensor name (the after side's when both exist). */
  tensor: string;
  /** The layer in the source model; null when it has no partner there (added by the action). */
  before: LayerFigures | null;
  /** The layer in the output model; null when it has no partner there (removed or folded). */
  after: LayerFigures | null;
}

export interface BudgetChange {
  board: string;
  before: BudgetFigures;
  after: BudgetFigures;
  /** In execution order; one row per pair, or per layer without a partner. */
  layers: LayerBudgetRow[];
  /** The budgets' caveats (approximations, ops without a cost model), each once. */
  notes: string[];
}

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

interface Layer {
  budget: BudgetLayer;
  tensor: string;
}

function layersOf(graph: Graph, budget: BudgetLayer[]): Layer[] {
  const sg = graph.subgraphs[0];
  return budget.map((b) => {
    const out = sg.operators[b.index]?.outputs[0];
    return { budget: b, tensor: out !== undefined && out >= 0 ? sg.tensors[out].name : '' };
  });
}

function figures(l: Layer): LayerFigures {
  return { index: l.budget.index, op: l.budget.op, macs: l.budget.macs, weightBytes: l.budget.weightBytes, latencyMs: finite(l.budget.latencyMs) };
}

/** Pairs of (before, after) positions, increasing on both sides: name anchors of the same kind. */
function nameAnchors(a: Layer[], b: Layer[]): [number, number][] {
  const count = new Map<string, number>();
  for (const l of b) count.set(l.tensor, (count.get(l.tensor) ?? 0) + 1);
  const at = new Map<string, number>();
  b.forEach((l, j) => {
    if (l.tensor && count.get(l.tensor) === 1) at.set(l.tensor, j);
  });
  const anchors: [number, number][] = [];
  let last = -1;
  a.forEach((l, i) => {
    const j = at.get(l.tensor);
    if (j !== undefined && j > last && b[j].budget.kind === l.budget.kind) {
      anchors.push([i, j]);
      last = j;
    }
  });
  return anchors;
}

/** Rows for a stretch between anchors: the longest common run of kinds pairs, the rest stand alone. */
function alignStretch(a: Layer[], b: Layer[]): LayerBudgetRow[] {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i].budget.kind === b[j].budget.kind ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const rows: LayerBudgetRow[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i].budget.kind === b[j].budget.kind && lcs[i][j] === lcs[i + 1][j + 1] + 1) {
      rows.push({ tensor: b[j].tensor, before: figures(a[i++]), after: figures(b[j++]) });
    } else if (j >= m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) {
      rows.push({ tensor: a[i].tensor, before: figures(a[i++]), after: null });
    } else {
      rows.push({ tensor: b[j].tensor, before: null, after: figures(b[j++]) });
    }
  }
  return rows;
}

export function pairLayers(before: Graph, beforeLayers: BudgetLayer[], after: Graph, afterLayers: BudgetLayer[]): LayerBudgetRow[] {
  const a = layersOf(before, beforeLayers);
  const b = layersOf(after, afterLayers);
  const rows: LayerBudgetRow[] = [];
  let i = 0;
  let j = 0;
  for (const [ai, bj] of [...nameAnchors(a, b), [a.length, b.length] as [number, number]]) {
    rows.push(...alignStretch(a.slice(i, ai), b.slice(j, bj)));
    if (ai < a.length) rows.push({ tensor: b[bj].tensor, before: figures(a[ai]), after: figures(b[bj]) });
    i = ai + 1;
    j = bj + 1;
  }
  return rows;
}

export function compareBudgets(before: Graph, after: Graph, board: Board): BudgetChange {
  const a = computeBudget(before, board);
  const b = computeBudget(after, board);
  const totals = (t: typeof a.totals): BudgetFigures => ({
    flashBytes: t.flashBytes,
    weightBytes: t.weightBytes,
    arenaBytes: t.arenaBytes,
    arenaBytesOptimized: t.arenaBytesOptimized,
    macs: t.macs,
    params: t.params,
    latencyMs: finite(t.latencyMs),
    energyUj: finite(t.energyUj),
  });
  return {
    board: board.id,
    before: totals(a.totals),
    after: totals(b.totals),
    layers: pairLayers(before, a.layers, after, b.layers),
    notes: [...new Set([...a.notes, ...b.notes])],
  };
}
