// Quantize: a float TFLite (or ONNX, converted first) model to full-integer int8 with the
// project's quantizer, calibrated on the evaluation inputs (or generated ones, with the
// quantizer's warning), written as TFLite or as QDQ ONNX, and validated as written against the
// float original.

import { ConvertError, onnxToTflite, tfliteToOnnx } from '../convert';
import { EngineError } from '../engine/engine';
import type { Graph } from '../model/graph';
import { readTflite } from '../model/tflite/reader';
import { type Calibration, quantizeModel, type QuantizeResult } from '../quantize/quantize';
import { outputIsClassScores } from './classScores';
import { compareModels } from './compare';
import { ActionError } from './errors';
import { CALIBRATION_SEED, type EvaluationSet, GENERATED_COUNT, generatedSet, VALIDATION_SEED } from './evaluation';
import { type InputAdapter, inputAdapter } from './layout';
import { type LoadedModel, quantizedActivation, readBack, tfliteBytes } from './modelFiles';
import type { ResolvedActionOptions } from './options';
import { type ActionOutcome, BUDGETING, VALIDATING } from './outcome';
import { type Phase, PhaseProgress } from './progress';

type QuantizeOptions = Extract<ResolvedActionOptions, { kind: 'quantize' }>;

const CONVERTING: Phase = { label: 'Converting', weight: 1 };
const CALIBRATING: Phase = { label: 'Calibrating', weight: 10 };
const WRITING: Phase = { label: 'Writing', weight: 1 };

export function quantizePhases(source: LoadedModel): Phase[] {
  return [...(source.format === 'onnx' ? [CONVERTING] : []), CALIBRATING, WRITING, VALIDATING, BUDGETING];
}

/** The float TFLite graph to quantize: the source, or its conversion when it is ONNX. */
function floatTflite(source: LoadedModel, notes: string[], progress: PhaseProgress): Graph {
  if (source.format === 'tflite') return source.graph;
  progress.begin(CONVERTING);
  try {
    const graph = readTflite(tfliteBytes(onnxToTflite(source.graph)));
    notes.push('The ONNX model was converted to TFLite (NHWC) first and quantized there; the figures compare the result with the ONNX model itself.');
    return graph;
  } catch (e) {
    if (e instanceof ConvertError) throw new ActionError(`the ONNX model must be converted to TFLite to be quantized, and that failed: ${e.message}`);
    throw e;
  }
}

function quantize(graph: Graph, calibration: Calibration, o: QuantizeOptions, progress: PhaseProgress): QuantizeResult {
  progress.begin(CALIBRATING);
  try {
    return quantizeModel(graph, calibration, {
      method: o.method,
      perChannel: o.perChannel,
      io: o.io,
      ...(o.percentile !== null ? { percentile: o.percentile } : {}),
      onCalibrationSample: (done, total) => progress.step(done, total),
    });
  } catch (e) {
    if (e instanceof EngineError) throw new ActionError(`the engine cannot run the float model to calibrate it: ${e.message}`);
    // The quantizer reports what it cannot quantize (shared filters, several subgraphs) as plain errors.
    if (e instanceof Error && e.constructor === Error) throw new ActionError(`cannot quantize this model: ${e.message}`);
    throw e;
  }
}

export function quantizeAction(source: LoadedModel, o: QuantizeOptions, evaluation: EvaluationSet | undefined, progress: PhaseProgress): ActionOutcome {
  const already = quantizedActivation(source.graph);
  if (already) throw new ActionError(`the model is already quantized (${already}); quantize its float original instead`);
  const warnings: string[] = [];
  const notes: string[] = [];
  const float = floatTflite(source, notes, progress);
  const adapt: InputAdapter = inputAdapter(source.graph, float);

  // Float inputs: the generator's default range [-1, 1] is what generatedSet would choose too.
  const calibration: Calibration = evaluation ? { samples: evaluation.samples.map(adapt) } : { generator: { count: GENERATED_COUNT, seed: CALIBRATION_SEED } };
  const q = quantize(float, calibration, o, progress);
  warnings.push(...q.warnings);
  notes.push(...q.notes);

  progress.begin(WRITING);
  let bytes = q.bytes;
  if (o.format === 'onnx') {
    try {
      bytes = tfliteToOnnx(q.graph, { quantized: 'qdq' });
    } catch (e) {
      if (e instanceof ConvertError) throw new ActionError(`the int8 model cannot be written as ONNX: ${e.message}`);
      throw e;
    }
    notes.push('Written as QDQ ONNX (QuantizeLinear / DequantizeLinear around float ops, as ONNX quantization tools write it), converted from the int8 TFLite model; the figures are for the ONNX file as written.');
  }
  const output = readBack(bytes);

  progress.begin(VALIDATING);
  const set = evaluation ?? generatedSet(source.graph, GENERATED_COUNT, VALIDATION_SEED, `for validation; calibration used ${GENERATED_COUNT} others`);
  if (evaluation) notes.push(`Calibrated and validated on the same ${evaluation.samples.length} inputs: expect the agreement on unseen inputs to be somewhat lower.`);
  const validation = compareModels(
    { original: source.graph, candidate: output, reference: 'float', samples: set.samples, candidateInputs: adapt, layoutsMayDiffer: source.format === 'onnx' || o.format === 'onnx', convertedFrom: o.format === 'onnx' ? q.graph : undefined },
    progress,
  );
  // validation.notes only repeat the folds and dequantizations the quantizer's notes list.
  return {
    bytes,
    format: o.format,
    output,
    validation,
    classScores: outputIsClassScores(source.graph),
    reference: source.format === 'onnx' ? 'the float ONNX original' : 'the float original (its float form when it has int8 weights)',
    evaluation: { inputs: set.samples.length, description: set.description, generated: set.generated },
    prune: null,
    warnings,
    notes,
  };
}
