// What a pruning costs and saves, as plain data: budget totals before and after (computeBudget on
// one board) and the accuracy cost measured by running the original and the pruned model on the
// same inputs in the engine. Both models run as they are (int8 against int8), so the figures are
// the pruning's alone, not quantization error as well.

import type { Board } from '../analysis/boards';
import { findBoard, listBoards } from '../analysis/boards';
import { computeBudget } from '../analysis/budget';
import { prepareEngine } from '../engine/engine';
import type { Graph } from '../model/graph';
import { OutputAgreement } from '../quantize/outputAgreement';
import { dequantized, setInput } from '../quantize/report';
import { PruneError } from './graphEdit';

export interface BudgetTotalsSummary {
  macs: number;
  weightBytes: number;
  flashBytes: number;
  /** The reference-kernel minimum arena (TFLM's default build). */
  arenaBytes: number;
  /** The minimum arena with the board's optimized kernels. */
  arenaBytesOptimized: number;
}

export interface BudgetComparison {
  board: string;
  before: BudgetTotalsSummary;
  after: BudgetTotalsSummary;
}

export interface AccuracyCost {
  /** How many evaluation inputs both models ran on. */
  inputs: number;
  /** Share of inputs whose arg-max of output 0 agrees (0..1); only for classifiers. */
  top1Agreement?: number;
  /**
   * 10 log10(sum ref^2 / sum (ref - pruned)^2) over output 0 of all inputs, dequantized; null when
   * it is not finite (identical outputs, or an all-zero reference), so that the report stays JSON.
   */
  outputSnrDb: number | null;
  identicalOutputs: boolean;
  maxAbsError: number;
  meanAbsError: number;
}

export interface EvaluationOptions {
  /** Board for the budget figures (Arduino Nano 33 BLE Sense when not given). */
  board?: Board;
  /** Evaluation inputs: per sample, float values for each model input (quantized as the model asks). */
  inputs?: readonly (readonly Float32Array[])[];
  /** Whether output 0 is a class score vector; by default, when the op producing it is SOFTMAX. */
  classifier?: boolean;
}

const DEFAULT_BOARD = 'arduino-nano-33-ble-sense';

export function boardOrDefault(board: Board | undefined): Board {
  const found = board ?? findBoard(DEFAULT_BOARD) ?? listBoards()[0];
  if (!found) throw new PruneError('no board profile is available for the budget');
  return found;
}

function totals(graph: Graph, board: Board): BudgetTotalsSummary {
  const t = computeBudget(graph, board).totals;
  return { macs: t.macs, weightBytes: t.weightBytes, flashBytes: t.flashBytes, arenaBytes: t.arenaBytes, arenaBytesOptimized: t.arenaBytesOptimized };
}

export function compareBudgets(original: Graph, pruned: Graph, board: Board): BudgetComparison {
  return { board: board.id, before: totals(original, board), after: totals(pruned, board) };
}

function isClassifier(graph: Graph): boolean {
  const sg = graph.subgraphs[0];
  const out = sg.outputs[0];
  return sg.operators.some((op) => op.outputs.includes(out) && (op.opType === 'SOFTMAX' || op.opType === 'Softmax'));
}

/** Runs both models on every input and compares output 0. */
export function measureAccuracy(original: Graph, pruned: Graph, inputs: readonly (readonly Float32Array[])[], classifier = isClassifier(original)): AccuracyCost {
  const a = prepareEngine(original);
  const b = prepareEngine(pruned);
  const agreement = new OutputAgreement();
  for (const sample of inputs) {
    sample.forEach((values, k) => {
      setInput(a.inputs[k], values as Float32Array);
      setInput(b.inputs[k], values as Float32Array);
    });
    a.invoke();
    b.invoke();
    const ref = dequantized(a.outputs[0]);
    const got = dequantized(b.outputs[0]);
    if (ref.length !== got.length) throw new PruneError(`output 0 has ${ref.length} values in the original and ${got.length} pruned`);
    agreement.add(ref, got);
  }
  const { signal, noise } = agreement;
  const cost: AccuracyCost = {
    inputs: inputs.length,
    outputSnrDb: noise === 0 || signal === 0 ? null : 10 * Math.log10(signal / noise),
    identicalOutputs: noise === 0,
    maxAbsError: agreement.maxAbsError,
    meanAbsError: agreement.meanAbsError,
  };
  if (classifier) cost.top1Agreement = agreement.top1Agreement;
  return cost;
}
