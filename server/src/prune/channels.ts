// Structured channel pruning (issue #5 item 3): in every prunable channel space (see
// channelSpaces.ts) the output channels with the smallest L1 filter norm (dequantized) are removed,
// and everything indexing those channels is rewritten to match: the defining convs' filter rows,
// biases and per-channel quantization; the readers' filter input slices (CONV_2D), depthwise
// filters, fully connected columns (through any flatten), reshape shapes, concatenation layouts;
// and every tensor shape in the space. No fine-tuning: the accuracy cost is measured and reported.

import type { BudgetLayer } from '../analysis/budget';
import { computeBudget } from '../analysis/budget';
import type { Graph, Subgraph, Tensor } from '../model/graph';
import { ModelError } from '../model/graph';
import { writeTflite } from '../model/tflite/writer';
import { chooseArenaPlan } from './arenaPlan';
import { applyCompensation, measureCompensation } from './biasCompensation';
import { analyzeChannelSpaces, type ChannelAnalysis, type ChannelSpace } from './channelSpaces';
import { constantValues, copyGraph, elementSize, int32Bytes, isConstant, ownInput, PruneError, sliceAxes, sliceQuantization } from './graphEdit';
import type { PruneResult } from './magnitude';
import { type AccuracyCost, boardOrDefault, type BudgetComparison, type BudgetTotalsSummary, type EvaluationOptions, measureAccuracy } from './report';
import { findWeightLayers } from './weightLayers';

export interface ChannelPruneOptions extends EvaluationOptions {
  /** Share of each prunable space's channels to remove, 0..1 (rounded to whole channels). */
  ratio: number;
  /**
   * Keep the output channels of the first and the last weight layer (CONV_2D, DEPTHWISE_CONV_2D,
   * FULLY_CONNECTED in execution order) when they are convolutions; true by default.
   */
  skipFirstAndLast?: boolean;
  /** Channels every pruned space keeps at least; 1 by default. */
  minChannels?: number;
  /**
   * Calibration inputs (float values per model input, never the evaluation inputs): when given,
   * each removed channel's mean contribution is folded into the biases of the layers reading it.
   */
  calibration?: readonly (readonly Float32Array[])[];
}

export interface ChannelLayerReport {
  index: number;
  op: string;
  inChannelsBefore?: number;
  inChannelsAfter?: number;
  outChannelsBefore?: number;
  outChannelsAfter?: number;
  macsBefore: number;
  macsAfter: number;
  weightBytesBefore: number;
  weightBytesAfter: number;
}

export interface ChannelSpaceReport {
  /** Names of the tensors sharing these channels. */
  tensors: string[];
  /** CONV_2D ops whose filters define the channels. */
  definers: number[];
  /** 'pruned' when channels were removed, 'derived' for a concatenation laid out from its inputs, 'kept' otherwise. */
  status: 'pruned' | 'derived' | 'kept';
  channelsBefore: number;
  channelsAfter: number;
  /** Original indices of the removed channels. */
  removed: number[];
  /** Why the space was left as it was. */
  reasons: string[];
}

export interface ChannelPruneReport {
  kind: 'channels';
  ratio: number;
  layers: ChannelLayerReport[];
  spaces: ChannelSpaceReport[];
  budget: BudgetComparison;
  accuracy?: AccuracyCost;
  notes: string[];
}

interface Plan {
  /** Kept original channel indices per changed space; absent when the space keeps every channel. */
  keep: Map<number, number[]>;
  removed: Map<number, number[]>;
}

/** L1 norm of each output channel's filter row, in real units (q - zero point) x scale. */
function rowNorms(filter: Tensor): Float64Array {
  const values = constantValues(filter);
  const rows = filter.shape[0];
  const perRow = rows > 0 ? values.length / rows : 0;
  const q = filter.quantization;
  const quantized = filter.dtype !== 'float32' && filter.dtype !== 'float64';
  const norms = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const scale = !quantized ? 1 : q && q.scale.length > 1 ? q.scale[r] : (q?.scale[0] ?? 1);
    const zero = !quantized ? 0 : q && q.zeroPoint.length > 1 ? q.zeroPoint[r] : (q?.zeroPoint[0] ?? 0);
    let sum = 0;
    for (let k = r * perRow; k < (r + 1) * perRow; k++) sum += Math.abs(values[k] - zero);
    norms[r] = sum * scale;
  }
  return norms;
}

function planPruning(sg: Subgraph, analysis: ChannelAnalysis, ratio: number, minChannels: number): Plan {
  const keep = new Map<number, number[]>();
  const removed = new Map<number, number[]>();
  for (const s of analysis.spaces) {
    if (s.blocked.length > 0 || s.definers.length === 0) continue;
    const remove = Math.min(Math.round(ratio * s.channels), s.channels - Math.max(1, minChannels));
    if (remove <= 0) continue;
    const score = new Float64Array(s.channels);
    for (const d of s.definers) {
      const norms = rowNorms(sg.tensors[sg.operators[d].inputs[1]]);
      for (let c = 0; c < s.channels; c++) score[c] += norms[c];
    }
    const order = Array.from({ length: s.channels }, (_, c) => c).sort((a, b) => score[a] - score[b] || a - b);
    const gone = order.slice(0, remove).sort((a, b) => a - b);
    const dropped = new Set(gone);
    keep.set(s.id, Array.from({ length: s.channels }, (_, c) => c).filter((c) => !dropped.has(c)));
    removed.set(s.id, gone);
  }
  // Concatenations: the output keeps each input's kept channels at that input's offset.
  const derive = (s: ChannelSpace, seen: Set<number>): number[] | undefined => {
    if (keep.has(s.id)) return keep.get(s.id);
    if (!s.concat || s.blocked.length > 0 || seen.has(s.id)) return undefined;
    seen.add(s.id);
    let changed = false;
    const kept: number[] = [];
    for (const input of s.concat.inputs) {
      const source = analysis.spaces[input.space];
      const k = source ? (source.concat ? derive(source, seen) : keep.get(source.id)) : undefined;
      if (k) changed = true;
      for (const c of k ?? Array.from({ length: input.channels }, (_, i) => i)) kept.push(input.offset + c);
    }
    if (!changed) return undefined;
    keep.set(s.id, kept);
    const set = new Set(kept);
    removed.set(s.id, Array.from({ length: s.channels }, (_, c) => c).filter((c) => !set.has(c)));
    return kept;
  };
  for (const s of analysis.spaces) derive(s, new Set());
  return { keep, removed };
}

/** Slices op `opIndex`'s constant input `slot` along the given axes, with its per-channel quantization. */
function sliceInput(sg: Subgraph, opIndex: number, slot: number, axes: Map<number, number[]>): void {
  if (axes.size === 0 || (sg.operators[opIndex].inputs[slot] ?? -1) < 0) return;
  const t = ownInput(sg, opIndex, slot);
  const size = elementSize(t.dtype);
  if (!isConstant(t) || size === undefined) throw new PruneError(`op ${opIndex}: input ${slot} (${t.name}) is not a constant of a sliceable type`);
  const q = t.quantization;
  if (q) {
    const channelKeep = axes.get(q.axis);
    if (channelKeep) t.quantization = sliceQuantization(q, t.shape[q.axis], channelKeep);
  }
  const sliced = sliceAxes(t.data, t.shape, size, axes);
  t.data = sliced.data;
  t.shape = sliced.shape;
  if (t.shapeSignature && t.shapeSignature.length === sliced.shape.length) t.shapeSignature = [...sliced.shape];
}

function applyPlan(sg: Subgraph, analysis: ChannelAnalysis, plan: Plan): void {
  // Shapes first: a reshape's new target is its output's new shape.
  for (const [id, kept] of plan.keep) {
    for (const i of analysis.spaces[id].tensors) {
      const t = sg.tensors[i];
      const m = analysis.multiplicity.get(i) ?? 1;
      const lastDim = t.shape.length - 1;
      t.shape = [...t.shape.slice(0, lastDim), m * kept.length];
      if (t.shapeSignature && t.shapeSignature.length === t.shape.length && t.shapeSignature[lastDim] >= 0) {
        t.shapeSignature = [...t.shapeSignature.slice(0, lastDim), m * kept.length];
      }
    }
  }
  for (const [id, kept] of plan.keep) {
    const s = analysis.spaces[id];
    for (const u of s.uses) {
      const op = sg.operators[u.op];
      if (u.kind === 'conv-out') {
        sliceInput(sg, u.op, 1, new Map([[0, kept]]));
        sliceInput(sg, u.op, 2, new Map([[0, kept]]));
      } else if (u.kind === 'conv-in') {
        sliceInput(sg, u.op, 1, new Map([[3, kept]]));
      } else if (u.kind === 'depthwise') {
        sliceInput(sg, u.op, 1, new Map([[3, kept]]));
        sliceInput(sg, u.op, 2, new Map([[0, kept]]));
      } else if (u.kind === 'fc-in') {
        const weights = sg.tensors[op.inputs[1]];
        const inner = weights.shape[1];
        if (inner % s.channels !== 0) throw new PruneError(`op ${u.op} (FULLY_CONNECTED): ${inner} inputs are not whole positions of ${s.channels} channels`);
        const columns: number[] = [];
        for (let p = 0; p < inner / s.channels; p++) for (const c of kept) columns.push(p * s.channels + c);
        sliceInput(sg, u.op, 1, new Map([[1, columns]]));
      } else if (u.kind === 'reshape') {
        // The target shape sits in a constant input and, sometimes, in the options as well.
        const shape = sg.tensors[op.outputs[0]].shape;
        if ((op.inputs[1] ?? -1) >= 0 && isConstant(sg.tensors[op.inputs[1]])) {
          const t = ownInput(sg, u.op, 1);
          t.data = int32Bytes(shape);
          t.dtype = 'int32';
          t.shape = [shape.length];
        }
        if (Array.isArray(op.options.newShape)) op.options.newShape = [...shape];
      }
    }
  }
}

function layerReports(sg: Subgraph, before: BudgetLayer[], after: BudgetLayer[]): ChannelLayerReport[] {
  const weightOps = new Set(['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED']);
  const out: ChannelLayerReport[] = [];
  for (const op of sg.operators) {
    if (!weightOps.has(op.opType)) continue;
    const b = before[op.index];
    const a = after[op.index];
    if (!a || !b) continue;
    out.push({
      index: op.index,
      op: op.opType,
      inChannelsBefore: b.inChannels,
      inChannelsAfter: a.inChannels,
      outChannelsBefore: b.outChannels,
      outChannelsAfter: a.outChannels,
      macsBefore: b.macs,
      macsAfter: a.macs,
      weightBytesBefore: b.weightBytes,
      weightBytesAfter: a.weightBytes,
    });
  }
  return out;
}

export function pruneChannels(graph: Graph, options: ChannelPruneOptions): PruneResult<ChannelPruneReport> {
  const { ratio } = options;
  if (!(ratio >= 0 && ratio < 1)) throw new PruneError(`ratio must be at least 0 and below 1, got ${ratio}`);
  if (graph.format !== 'tflite') throw new PruneError('channel pruning rewrites TFLite graphs (NHWC, OHWI filters); convert the ONNX model to TFLite first');
  const minChannels = options.minChannels ?? 1;
  if (!(Number.isInteger(minChannels) && minChannels >= 1)) throw new PruneError(`minChannels must be a whole number of at least 1, got ${minChannels}`);

  const out = copyGraph(graph);
  const sg = out.subgraphs[0];
  const notes: string[] = [];
  if (out.subgraphs.length > 1) notes.push(`Only subgraph 0 is pruned; the model has ${out.subgraphs.length}.`);
  const analysis = analyzeChannelSpaces(sg);

  if (options.skipFirstAndLast ?? true) {
    const { layers } = findWeightLayers(sg, ['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED']);
    const edges = [layers[0], layers[layers.length - 1]].filter((l) => l !== undefined);
    edges.forEach((l, k) => {
      if (l.op.opType !== 'CONV_2D') return;
      const space = analysis.spaces[analysis.spaceOf.get(l.op.outputs[0]) ?? -1];
      const reason = `${k === 0 ? 'first' : 'last'} weight layer ${l.op.opType} (op ${l.op.index}) is kept whole (skipFirstAndLast)`;
      if (space && !space.blocked.includes(reason)) space.blocked.push(reason);
    });
  }

  const plan = planPruning(sg, analysis, ratio, minChannels);
  if (options.calibration && options.calibration.length > 0) {
    const compensation = measureCompensation(graph, analysis, plan.removed, options.calibration);
    const missing = applyCompensation(sg, compensation);
    const done = [...compensation.keys()].filter((op) => !missing.includes(op));
    notes.push(`Bias compensation from ${options.calibration.length} calibration inputs: the removed channels' mean contribution is folded into the biases of ops ${done.join(', ') || '(none)'}.`);
    if (missing.length > 0) notes.push(`Ops ${missing.join(', ')} have no constant bias: their removed channels' mean contribution is lost.`);
  }
  applyPlan(sg, analysis, plan);
  const board = boardOrDefault(options.board);
  if (plan.keep.size > 0) {
    const note = chooseArenaPlan(graph, out, board);
    if (note) notes.push(note);
  }

  // What sits in flash is the rewritten file: measure it by writing it.
  if (plan.keep.size > 0) {
    try {
      out.fileBytes = writeTflite(out).length;
    } catch (e) {
      if (!(e instanceof ModelError)) throw e;
      notes.push(`flashBytes is the original file size: the pruned model could not be serialized (${e.message}).`);
    }
  }

  const before = computeBudget(graph, board);
  const after = computeBudget(out, board);
  const summary = (b: typeof before): BudgetTotalsSummary => ({
    macs: b.totals.macs,
    weightBytes: b.totals.weightBytes,
    flashBytes: b.totals.flashBytes,
    arenaBytes: b.totals.arenaBytes,
    arenaBytesOptimized: b.totals.arenaBytesOptimized,
  });

  const spaces: ChannelSpaceReport[] = analysis.spaces
    .filter((s) => s.definers.length > 0 || s.concat)
    .map((s) => {
      const kept = plan.keep.get(s.id);
      const status: ChannelSpaceReport['status'] = kept ? (s.concat ? 'derived' : 'pruned') : 'kept';
      const reasons = [...s.blocked];
      if (!kept && reasons.length === 0) reasons.push(s.concat ? 'no input of the concatenation was pruned' : `the ratio removes no channel of ${s.channels}`);
      return {
        tensors: s.tensors.map((i) => sg.tensors[i].name),
        definers: s.definers,
        status,
        channelsBefore: s.channels,
        channelsAfter: kept ? kept.length : s.channels,
        removed: plan.removed.get(s.id) ?? [],
        reasons,
      };
    });
  notes.push('Channels were removed without fine-tuning: expect an accuracy loss until the model is retrained; the accuracy figures are measured as they are.');
  if (!options.calibration && plan.keep.size > 0) {
    notes.push("Without calibration inputs, a removed channel's mean contribution (for a dead filter: its bias through the activation) is lost too; pass `calibration` to fold it into the next layer's bias.");
  }

  const report: ChannelPruneReport = {
    kind: 'channels',
    ratio,
    layers: layerReports(sg, before.layers, after.layers),
    spaces,
    budget: { board: board.id, before: summary(before), after: summary(after) },
    notes,
  };
  if (options.inputs) report.accuracy = measureAccuracy(graph, out, options.inputs, options.classifier);
  return { graph: out, report };
}
