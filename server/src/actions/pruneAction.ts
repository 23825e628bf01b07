// Prune: magnitude (zeros in the weights, any format) or structured (whole channels removed,
// TFLite only), written in the source's format and validated as written against the original as
// it is, so that the figures are the pruning's alone (int8 against int8, not quantization error).

import type { Board } from '../analysis/boards';
import { EngineError } from '../engine/engine';
import { type ChannelPruneReport, type MagnitudePruneReport, pruneChannels, PruneError, pruneMagnitude } from '../prune';
import { outputIsClassScores } from './classScores';
import { compareModels } from './compare';
import { ActionError } from './errors';
import { CALIBRATION_SEED, type EvaluationSet, GENERATED_COUNT, generatedSet, VALIDATION_SEED } from './evaluation';
import { dequantizeHybrid, hybridWeights } from './hybrid';
import { type LoadedModel, readBack, tfliteBytes } from './modelFiles';
import { patchOnnxInitializers } from './onnxPatch';
import type { ResolvedActionOptions } from './options';
import { type ActionOutcome, BUDGETING, VALIDATING } from './outcome';
import { type Phase, PhaseProgress } from './progress';
import { channelLayerRows, type ChannelPruneSummary, type MagnitudePruneSummary } from './report';

type PruneOptions = Extract<ResolvedActionOptions, { kind: 'prune' }>;

const PRUNING: Phase = { label: 'Pruning', weight: 2 };
const WRITING: Phase = { label: 'Writing', weight: 1 };

export const PRUNE_PHASES: Phase[] = [PRUNING, WRITING, VALIDATING, BUDGETING];

function magnitudeSummary(r: MagnitudePruneReport): MagnitudePruneSummary {
  return {
    kind: 'magnitude',
    scope: r.scope,
    targetSparsity: r.targetSparsity,
    achievedSparsity: r.globalSparsity,
    weightsZeroed: r.weightsZeroed,
    layers: r.layers.map((l) => ({ ...l })),
    skipped: r.skipped.map((s) => ({ ...s })),
    bitmaskEncoding: { ...r.bitmaskEncoding },
  };
}

function channelSummary(r: ChannelPruneReport): ChannelPruneSummary {
  return { kind: 'channels', ratio: r.ratio, layers: channelLayerRows(r.layers), spaces: r.spaces.map((s) => ({ ...s })) };
}

export function pruneAction(source: LoadedModel, o: PruneOptions, evaluation: EvaluationSet | undefined, board: Board, progress: PhaseProgress): ActionOutcome {
  if (o.structured && source.format !== 'tflite') {
    throw new ActionError('structured (channel) pruning rewrites TFLite graphs only: convert the ONNX model to TFLite first (tinyml convert <model.onnx>), then prune the .tflite');
  }
  progress.begin(PRUNING);
  const skipFirstAndLast = !o.includeFirstAndLast;
  const hybrid = hybridWeights(source.graph).length > 0;
  const notes: string[] = [];
  // Removed channels' mean contribution is folded into the next layers' biases, measured by
  // running the original (which the engine cannot do for a hybrid model).
  const calibration = !o.structured || hybrid ? undefined : (evaluation ?? generatedSet(source.graph, GENERATED_COUNT, CALIBRATION_SEED, '')).samples;
  if (calibration && evaluation) notes.push(`Bias compensation and validation used the same ${evaluation.samples.length} inputs: expect the agreement on unseen inputs to be somewhat lower.`);
  if (calibration && !evaluation) notes.push(`Bias compensation ran on ${GENERATED_COUNT} generated inputs (not the validation inputs).`);
  let pruned;
  try {
    pruned = o.structured
      ? pruneChannels(source.graph, { ratio: o.sparsity, skipFirstAndLast, board, ...(calibration ? { calibration } : {}) })
      : pruneMagnitude(source.graph, { sparsity: o.sparsity, scope: o.scope, skipFirstAndLast, board });
  } catch (e) {
    if (e instanceof PruneError) throw new ActionError(`cannot prune this model: ${e.message}`);
    if (e instanceof EngineError) throw new ActionError(`the engine cannot run the model to measure bias compensation: ${e.message}`);
    throw e;
  }
  notes.unshift(...pruned.report.notes);

  progress.begin(WRITING);
  const bytes = source.format === 'onnx' ? patchOnnxInitializers(source.bytes, source.graph, pruned.graph) : tfliteBytes(pruned.graph);
  const output = readBack(bytes);

  progress.begin(VALIDATING);
  const set = evaluation ?? generatedSet(source.graph, GENERATED_COUNT, VALIDATION_SEED, 'for validation');
  // The engine has no hybrid kernels: a hybrid model and its pruned form run with their weights dequantized.
  if (hybrid) notes.push('Hybrid model (float ops on int8 weights): both models ran with their weights dequantized exactly, as the engine has no hybrid kernels.');
  const validation = compareModels(
    {
      original: hybrid ? dequantizeHybrid(source.graph) : source.graph,
      candidate: hybrid ? dequantizeHybrid(output) : output,
      reference: 'original',
      samples: set.samples,
      layoutsMayDiffer: false,
    },
    progress,
  );
  notes.push(...validation.notes);
  if (validation.notComparable.length > 0) {
    const layers = validation.notComparable.map((l) => `op ${l.index} (${l.op})`).join(', ');
    notes.push(`Not compared layer by layer, their channels were removed: ${layers}.`);
  }
  return {
    bytes,
    format: source.format,
    output,
    validation,
    classScores: outputIsClassScores(source.graph),
    reference: hybrid ? 'the original, both models with their int8 weights dequantized' : 'the original as it is',
    evaluation: { inputs: set.samples.length, description: set.description, generated: set.generated },
    prune: pruned.report.kind === 'magnitude' ? magnitudeSummary(pruned.report) : channelSummary(pruned.report),
    warnings: [],
    notes,
  };
}
