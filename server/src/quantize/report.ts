// Validation of a quantized model against its float original, as onnxruntime's QDQ debugging tool
// does it: both run on the same inputs, every activation the two graphs share (matched by tensor
// name, else by position among ops of the same type) is dequantized and compared, and the outputs
// give top-1 agreement, SNR and error figures. Budgets before and after come from computeBudget.
// Pruning and conversion reuse it with the original as the reference as it is, and (for a model in
// another layout) with the caller saying how inputs and activations line up.

import { type Budget, computeBudget } from '../analysis/budget';
import type { Board } from '../analysis/boards';
import type { Engine, EngineTensor } from '../engine/engine';
import type { Graph, Operator } from '../model/graph';
import { prepareInspectableEngine } from './calibrate';
import { prepareFloatGraph } from './prepare';
import { OutputAgreement } from './outputAgreement';

export interface LayerAgreement {
  /** Operator index in the original graph. */
  index: number;
  op: string;
  /** Name of the original's output tensor. */
  tensor: string;
  snrDb: number;
}

export interface ValidationReport {
  inputs: number;
  /** Share of inputs whose arg-max of output 0 is the same in both models (0..1). */
  top1Agreement: number;
  /** 10 log10(sum ref^2 / sum (ref - candidate)^2) over output 0 of all inputs. */
  outputSnrDb: number;
  maxAbsError: number;
  meanAbsError: number;
  perLayer: LayerAgreement[];
  /** Matched activations whose values could not be compared, with the reason. */
  notComparable: LayerNotCompared[];
  budgetBefore?: Budget;
  budgetAfter?: Budget;
  notes: string[];
}

export interface LayerNotCompared {
  /** Operator index in the original graph. */
  index: number;
  op: string;
  tensor: string;
  /** Why its values cannot be set side by side (different shapes, element orders). */
  reason: string;
}

/**
 * How a candidate activation lines up with the original's: element by element (after an
 * optional rearrangement into the original's element order), or not at all, with the reason.
 */
export type Alignment = { rearrange?: (candidate: Float64Array) => Float64Array } | { notComparable: string };

export interface ValidateOptions {
  /** Board for the budgets; none computed without one. */
  board?: Board;
  /**
   * What the candidate is compared with: the original's float form (default; what quantization
   * is judged against) or the original as it is (pruning and conversion keep its types).
   */
  reference?: 'float' | 'original';
  /** The candidate's input values from the original's, when its inputs are laid out differently (a converted model). */
  candidateInputs?: (sample: readonly Float32Array[]) => Float32Array[];
  /** How matched activations line up; default: element by element when the counts agree. */
  alignLayer?: (original: EngineTensor, candidate: EngineTensor) => Alignment;
  /** How output 0 lines up; default as for layers. Output 0 must be comparable. */
  alignOutput?: (original: EngineTensor, candidate: EngineTensor) => Alignment;
  /** The candidate tensor holding the original's tensor of this name (default: the same name), when a tool renamed them. */
  findCandidate?: (name: string) => number | undefined;
  /** Called after each input with inputs done and inputs in all; it may throw to stop. */
  onSample?: (done: number, total: number) => void;
}

/** Element by element when the counts agree: the only safe default without layout knowledge. */
export function alignByCount(original: EngineTensor, candidate: EngineTensor): Alignment {
  if (original.data.length === candidate.data.length) return {};
  return { notComparable: `shape [${original.shape.join(', ')}] became [${candidate.shape.join(', ')}]` };
}

const EDGE_OPS = new Set(['QUANTIZE', 'DEQUANTIZE']);

/** A tensor's values as floats: dequantized when it is int8/int16/uint8. */
export function dequantized(t: EngineTensor, into?: Float64Array): Float64Array {
  const out = into ?? new Float64Array(t.data.length);
  if (t.dtype === 'float32') {
    for (let i = 0; i < out.length; i++) out[i] = t.data[i];
  } else {
    const data = t.dtype === 'uint8' ? t.bytes : t.data;
    for (let i = 0; i < out.length; i++) out[i] = (data[i] - t.zeroPoint) * t.scale;
  }
  return out;
}

/** Writes float values into an engine input, quantizing them with its parameters when needed. */
export function setInput(t: EngineTensor, values: Float32Array): void {
  if (t.dtype === 'float32') {
    (t.data as Float32Array).set(values);
    return;
  }
  const lo = t.dtype === 'int8' ? -128 : t.dtype === 'int16' ? -32768 : 0;
  const hi = t.dtype === 'int8' ? 127 : t.dtype === 'int16' ? 32767 : 255;
  for (let i = 0; i < values.length; i++) {
    const x = values[i] / t.scale;
    const q = (x < 0 ? -Math.round(-x) : Math.round(x)) + t.zeroPoint;
    t.data[i] = q < lo ? lo : q > hi ? hi : q;
  }
}

function snrDb(signal: number, noise: number): number {
  if (noise === 0) return Infinity;
  if (signal === 0) return -Infinity;
  return 10 * Math.log10(signal / noise);
}

interface Pair {
  op: Operator;
  original: number;
  candidate: number;
}

/** Original op outputs and the candidate tensors that hold the same activation. */
function matchTensors(original: Graph, candidate: Graph, find?: (name: string) => number | undefined): Pair[] {
  const a = original.subgraphs[0];
  const b = candidate.subgraphs[0];
  const byName = new Map<string, number>();
  for (const t of b.tensors) if (!(t.data && t.data.length > 0) && !byName.has(t.name)) byName.set(t.name, t.index);
  const aOps = a.operators.filter((op) => !EDGE_OPS.has(op.opType));
  const bOps = b.operators.filter((op) => !EDGE_OPS.has(op.opType));
  const samePlan = aOps.length === bOps.length && aOps.every((op, i) => op.opType === bOps[i].opType);
  const pairs: Pair[] = [];
  aOps.forEach((op, k) => {
    const out = op.outputs[0];
    if (out === undefined || out < 0) return;
    const named = find ? find(a.tensors[out].name) : byName.get(a.tensors[out].name);
    const candidate = named ?? (samePlan ? bOps[k].outputs[0] : undefined);
    if (candidate !== undefined) pairs.push({ op, original: out, candidate });
  });
  return pairs;
}

/** Runs both models on `inputs` (float values per model input) and compares them. */
export function validate(original: Graph, candidate: Graph, inputs: readonly Float32Array[][], options: ValidateOptions = {}): ValidationReport {
  const notes: string[] = [];
  let reference = original;
  if ((options.reference ?? 'float') === 'float') {
    const prepared = prepareFloatGraph(original);
    if (prepared.notes.length > 0) notes.push(`reference run on the float form of the original: ${prepared.notes.join('; ')}`);
    reference = prepared.graph;
  }
  const refEngine: Engine = prepareInspectableEngine(reference);
  const candEngine: Engine = prepareInspectableEngine(candidate);
  const alignLayer = options.alignLayer ?? alignByCount;
  const alignOutput = options.alignOutput ?? alignLayer;
  const outputAlignment = alignOutput(refEngine.outputs[0], candEngine.outputs[0]);
  if ('notComparable' in outputAlignment) throw new Error(`output 0 cannot be compared: ${outputAlignment.notComparable}`);
  const refTensors = reference.subgraphs[0].tensors;
  const notComparable: LayerNotCompared[] = [];
  const pairs = matchTensors(reference, candidate, options.findCandidate).flatMap((p) => {
    const a = alignLayer(refEngine.tensor(p.original), candEngine.tensor(p.candidate));
    if (!('notComparable' in a)) return [{ ...p, rearrange: a.rearrange }];
    notComparable.push({ index: p.op.index, op: p.op.opType, tensor: refTensors[p.original].name, reason: a.notComparable });
    return [];
  });
  const layerSignal = new Float64Array(pairs.length);
  const layerNoise = new Float64Array(pairs.length);
  const candidateInputs = options.candidateInputs ?? ((sample: readonly Float32Array[]) => sample as Float32Array[]);

  const agreement = new OutputAgreement();
  inputs.forEach((sample, s) => {
    sample.forEach((values, k) => setInput(refEngine.inputs[k], values));
    candidateInputs(sample).forEach((values, k) => setInput(candEngine.inputs[k], values));
    refEngine.invoke();
    candEngine.invoke();
    const ref = dequantized(refEngine.outputs[0]);
    const out = dequantized(candEngine.outputs[0]);
    const got = outputAlignment.rearrange ? outputAlignment.rearrange(out) : out;
    agreement.add(ref, got);
    pairs.forEach((p, k) => {
      const r = dequantized(refEngine.tensor(p.original));
      const raw = dequantized(candEngine.tensor(p.candidate));
      const c = p.rearrange ? p.rearrange(raw) : raw;
      if (r.length !== c.length) return;
      for (let i = 0; i < r.length; i++) {
        const d = r[i] - c[i];
        layerSignal[k] += r[i] * r[i];
        layerNoise[k] += d * d;
      }
    });
    options.onSample?.(s + 1, inputs.length);
  });

  const report: ValidationReport = {
    inputs: inputs.length,
    top1Agreement: agreement.top1Agreement,
    outputSnrDb: snrDb(agreement.signal, agreement.noise),
    maxAbsError: agreement.maxAbsError,
    meanAbsError: agreement.meanAbsError,
    perLayer: pairs.map((p, k) => ({ index: p.op.index, op: p.op.opType, tensor: refTensors[p.original].name, snrDb: snrDb(layerSignal[k], layerNoise[k]) })),
    notComparable,
    notes,
  };
  if (options.board) {
    report.budgetBefore = computeBudget(original, options.board);
    report.budgetAfter = computeBudget(candidate, options.board);
  }
  return report;
}
