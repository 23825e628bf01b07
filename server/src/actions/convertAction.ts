// Convert: TFLite <-> ONNX with the project's converters (int8 TFLite goes to QDQ ONNX, which
// converts back), validated against the original on the evaluation inputs given in the original's
// layout; the converted model's inputs get them rearranged as the converter moved its inputs.

import { ConvertError, onnxToTflite, tfliteToOnnx } from '../convert';
import type { Graph } from '../model/graph';
import { outputIsClassScores } from './classScores';
import { compareModels } from './compare';
import { ActionError } from './errors';
import { type EvaluationSet, GENERATED_COUNT, generatedSet, VALIDATION_SEED } from './evaluation';
import { dequantizeHybrid, hybridWeights } from './hybrid';
import { inputAdapter } from './layout';
import { type LoadedModel, quantizedActivation, readBack, tfliteBytes } from './modelFiles';
import type { ResolvedActionOptions } from './options';
import { type ActionOutcome, BUDGETING, VALIDATING } from './outcome';
import { type Phase, PhaseProgress } from './progress';

type ConvertOptions = Extract<ResolvedActionOptions, { kind: 'convert' }>;

const CONVERTING: Phase = { label: 'Converting', weight: 2 };

export const CONVERT_PHASES: Phase[] = [CONVERTING, VALIDATING, BUDGETING];

function convertedBytes(graph: Graph, o: ConvertOptions, notes: string[]): Uint8Array {
  try {
    if (o.to === 'onnx') {
      if (quantizedActivation(graph)) notes.push('int8 ops are written as QDQ (QuantizeLinear / DequantizeLinear around float ops), which converts back to the same int8 TFLite model.');
      return tfliteToOnnx(graph, { quantized: 'qdq' });
    }
    return tfliteBytes(onnxToTflite(graph));
  } catch (e) {
    if (e instanceof ConvertError) throw new ActionError(`cannot convert to ${o.to === 'onnx' ? 'ONNX' : 'TFLite'}: ${e.message}`);
    throw e;
  }
}

function shapeChanges(source: LoadedModel, output: ReturnType<typeof readBack>): string[] {
  const a = source.graph.subgraphs[0];
  const b = output.subgraphs[0];
  return a.inputs.flatMap((i, k) => {
    const from = a.tensors[i].shape;
    const to = b.tensors[b.inputs[k]]?.shape ?? [];
    return from.join(',') === to.join(',') ? [] : [`input ${a.tensors[i].name} [${from.join(', ')}] -> [${to.join(', ')}]`];
  });
}

export function convertAction(source: LoadedModel, o: ConvertOptions, evaluation: EvaluationSet | undefined, progress: PhaseProgress): ActionOutcome {
  if (source.format === o.to) throw new ActionError(`the model is already ${o.to === 'onnx' ? 'ONNX' : 'TFLite'}; convert it to ${o.to === 'onnx' ? 'tflite' : 'onnx'}`);
  progress.begin(CONVERTING);
  const notes: string[] = [];
  // ONNX ops take float weights: a hybrid model's int8 weights become float, exactly.
  const hybrid = hybridWeights(source.graph);
  const original = hybrid.length > 0 ? dequantizeHybrid(source.graph) : source.graph;
  if (hybrid.length > 0) notes.push(`${hybrid.length} int8 weight tensor(s) of float ops (a hybrid model) were dequantized to float: ONNX has no float ops on int8 weights. The figures compare with the model so dequantized.`);
  const bytes = convertedBytes(original, o, notes);
  const output = readBack(bytes);
  const changes = shapeChanges(source, output);
  if (changes.length > 0) notes.push(`Model inputs changed layout (${changes.join('; ')}): feed the converted model accordingly; validation rearranged the evaluation inputs the same way.`);

  progress.begin(VALIDATING);
  const set = evaluation ?? generatedSet(source.graph, GENERATED_COUNT, VALIDATION_SEED, 'for validation');
  const validation = compareModels(
    { original, candidate: output, reference: 'original', samples: set.samples, candidateInputs: inputAdapter(original, output), layoutsMayDiffer: true, convertedFrom: original.format === 'tflite' ? original : undefined },
    progress,
  );
  notes.push(...validation.notes);
  if (validation.notComparable.length > 0) notes.push(`${validation.notComparable.length} activation(s) could not be compared element by element (see layersNotCompared for why).`);
  return {
    bytes,
    format: o.to,
    output,
    validation,
    classScores: outputIsClassScores(source.graph),
    reference: hybrid.length > 0 ? 'the original with its int8 weights dequantized' : 'the original as it is',
    evaluation: { inputs: set.samples.length, description: set.description, generated: set.generated },
    prune: null,
    warnings: [],
    notes,
  };
}
