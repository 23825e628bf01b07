// Unstructured magnitude pruning (issue #5 item 3): the smallest-magnitude weights of the conv and
// fully connected filters are set to zero, per layer or against one global threshold. A weight's
// magnitude is its real value |q x scale[channel]|, so int8 layers with different scales compare
// fairly. Shapes do not change, and TFLM has no sparse kernels for these ops: the zeros save
// nothing on the device unless the weights are compressed, and the report says so.

import type { Graph } from '../model/graph';
import { copyGraph, elementSize, PruneError } from './graphEdit';
import { type AccuracyCost, type BudgetComparison, boardOrDefault, compareBudgets, type EvaluationOptions, measureAccuracy } from './report';
import { DEFAULT_WEIGHT_OPS, findWeightLayers, isSupportedWeightType, type WeightLayer, weightValues } from './weightLayers';

export interface MagnitudePruneOptions extends EvaluationOptions {
  /** Share of the selected weights to set to zero, 0..1. */
  sparsity: number;
  /** One threshold across all layers ('global') or the same sparsity in every layer ('per-layer'). */
  scope: 'global' | 'per-layer';
  /** Leave the first and the last weight layer (in execution order) dense; true by default. */
  skipFirstAndLast?: boolean;
  /** Op types to prune; CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, Conv, Gemm, MatMul by default. */
  ops?: string[];
  /** Subgraph to prune (0 by default). */
  subgraph?: number;
}

export interface MagnitudeLayerReport {
  /** Operator index. */
  index: number;
  op: string;
  tensor: string;
  weights: number;
  /** Weights already zero before pruning. */
  zerosBefore: number;
  /** Weights this pruning set to zero (were non-zero). */
  zeroed: number;
  /** Achieved sparsity: zeros after / weights. */
  sparsity: number;
}

export interface SkippedLayer {
  index: number;
  op: string;
  reason: string;
}

export interface MagnitudePruneReport {
  kind: 'magnitude';
  scope: 'global' | 'per-layer';
  targetSparsity: number;
  layers: MagnitudeLayerReport[];
  skipped: SkippedLayer[];
  /** Zeros after / weights, over the pruned layers. */
  globalSparsity: number;
  weightsZeroed: number;
  /**
   * Bytes the pruned layers' weights would take in a bitmask encoding (one bit per weight plus
   * the non-zero values) against their dense bytes: what compression could gain, which TFLM
   * does not do by itself.
   */
  bitmaskEncoding: { denseBytes: number; encodedBytes: number };
  budget: BudgetComparison;
  accuracy?: AccuracyCost;
  notes: string[];
}

export interface PruneResult<R> {
  graph: Graph;
  report: R;
}

interface Selected {
  layer: WeightLayer;
  stored: Float64Array;
  magnitude: Float64Array;
}

/** Marks exactly `k` of the smallest magnitudes (ties broken by position) in `zero`. */
function markSmallest(groups: readonly Selected[], zero: readonly Uint8Array[], k: number): void {
  if (k <= 0) return;
  let total = 0;
  for (const g of groups) total += g.magnitude.length;
  const all = new Float64Array(total);
  let o = 0;
  for (const g of groups) {
    all.set(g.magnitude, o);
    o += g.magnitude.length;
  }
  all.sort();
  const threshold = all[Math.min(k, total) - 1];
  let below = 0;
  for (const g of groups) for (const m of g.magnitude) if (m < threshold) below++;
  let ties = Math.min(k, total) - below;
  groups.forEach((g, gi) => {
    const mask = zero[gi];
    g.magnitude.forEach((m, i) => {
      if (m < threshold) mask[i] = 1;
      else if (m === threshold && ties > 0) {
        mask[i] = 1;
        ties--;
      }
    });
  });
}

export function pruneMagnitude(graph: Graph, options: MagnitudePruneOptions): PruneResult<MagnitudePruneReport> {
  const { sparsity, scope } = options;
  if (!(sparsity >= 0 && sparsity <= 1)) throw new PruneError(`sparsity must be between 0 and 1, got ${sparsity}`);
  if (scope !== 'global' && scope !== 'per-layer') throw new PruneError(`scope must be 'global' or 'per-layer', got ${String(scope)}`);
  const s = options.subgraph ?? 0;
  const out = copyGraph(graph);
  const sg = out.subgraphs[s];
  if (!sg) throw new PruneError(`subgraph ${s} does not exist (the model has ${graph.subgraphs.length})`);

  const notes: string[] = [];
  const skipped: SkippedLayer[] = [];
  const scan = findWeightLayers(sg, options.ops ?? DEFAULT_WEIGHT_OPS);
  for (const op of scan.withoutConstantWeights) skipped.push({ index: op.index, op: op.opType, reason: 'weights are not a constant tensor (computed, or behind a DequantizeLinear)' });

  const candidates: WeightLayer[] = [];
  const seen = new Map<number, number>();
  scan.layers.forEach((layer, k) => {
    const skipEdge = (options.skipFirstAndLast ?? true) && (k === 0 || k === scan.layers.length - 1);
    if (skipEdge) {
      skipped.push({ index: layer.op.index, op: layer.op.opType, reason: k === 0 ? 'first weight layer (skipFirstAndLast)' : 'last weight layer (skipFirstAndLast)' });
      return;
    }
    const owner = seen.get(layer.tensor.index);
    if (owner !== undefined) {
      skipped.push({ index: layer.op.index, op: layer.op.opType, reason: `shares its weights with op ${owner}, pruned there` });
      return;
    }
    seen.set(layer.tensor.index, layer.op.index);
    candidates.push(layer);
  });

  const selected: Selected[] = [];
  for (const layer of candidates) {
    const where = `op ${layer.op.index} (${layer.op.opType})`;
    if (!isSupportedWeightType(layer.tensor.dtype)) {
      skipped.push({ index: layer.op.index, op: layer.op.opType, reason: `weights of type ${layer.tensor.dtype} are not supported` });
      continue;
    }
    const values = weightValues(layer.tensor, where);
    selected.push({ layer, stored: values.stored, magnitude: values.real.map(Math.abs) });
  }

  const masks = selected.map((g) => new Uint8Array(g.magnitude.length));
  if (scope === 'global') {
    let total = 0;
    for (const g of selected) total += g.magnitude.length;
    markSmallest(selected, masks, Math.round(sparsity * total));
  } else {
    selected.forEach((g, i) => markSmallest([g], [masks[i]], Math.round(sparsity * g.magnitude.length)));
  }

  const layers: MagnitudeLayerReport[] = [];
  let weights = 0;
  let zeros = 0;
  let zeroedTotal = 0;
  let denseBytes = 0;
  let encodedBytes = 0;
  selected.forEach((g, gi) => {
    const t = g.layer.tensor;
    const size = elementSize(t.dtype) ?? 1;
    const mask = masks[gi];
    // A fresh copy: the source tensor views the user's file.
    const data = (t.data as Uint8Array).slice();
    let zerosBefore = 0;
    let zeroed = 0;
    for (let i = 0; i < mask.length; i++) {
      if (g.stored[i] === 0) zerosBefore++;
      if (mask[i]) {
        if (g.stored[i] !== 0) zeroed++;
        data.fill(0, i * size, (i + 1) * size);
      }
    }
    t.data = data;
    const n = mask.length;
    const zerosAfter = zerosBefore + zeroed;
    layers.push({ index: g.layer.op.index, op: g.layer.op.opType, tensor: t.name, weights: n, zerosBefore, zeroed, sparsity: n > 0 ? zerosAfter / n : 0 });
    weights += n;
    zeros += zerosAfter;
    zeroedTotal += zeroed;
    denseBytes += n * size;
    encodedBytes += Math.ceil(n / 8) + (n - zerosAfter) * size;
  });

  notes.push(
    'Unstructured zeros do not shrink a TFLM deployment: TFLM has no sparse kernels for CONV_2D, DEPTHWISE_CONV_2D or FULLY_CONNECTED, ' +
      'so flash, arena and MACs stay as they were. The gain is zero unless the weights are compressed (see bitmaskEncoding); ' +
      'structured channel pruning is what makes the model smaller and faster.',
  );
  if (layers.some((l) => l.zerosBefore > Math.round(sparsity * l.weights))) {
    notes.push('Some layers already had more zeros than the target; their achieved sparsity is above it.');
  }

  const board = boardOrDefault(options.board);
  const report: MagnitudePruneReport = {
    kind: 'magnitude',
    scope,
    targetSparsity: sparsity,
    layers,
    skipped,
    globalSparsity: weights > 0 ? zeros / weights : 0,
    weightsZeroed: zeroedTotal,
    bitmaskEncoding: { denseBytes, encodedBytes },
    budget: compareBudgets(graph, out, board),
    notes,
  };
  if (options.inputs) report.accuracy = measureAccuracy(graph, out, options.inputs, options.classifier);
  return { graph: out, report };
}
