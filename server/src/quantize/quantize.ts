// Post-training full-integer quantization of a float TFLite graph, as the TFLite converter does it
// for TFLM: int8 weights (per channel for convolutions), int8 asymmetric activations from ranges
// calibrated on the bundled engine, int32 biases, fixed output ranges for SOFTMAX / LOGISTIC /
// TANH, and ops that only move data (pooling, reshape, concatenation) sharing their inputs'
// parameters (sharedParams.ts). The result is serialized with the TFLite writer and read back, so
// it is exactly what a saved file holds.

import type { Graph, Operator, Subgraph, Tensor } from '../model/graph';
import { elementCount } from '../model/graph';
import { opVersion } from '../model/tflite/write/opVersion';
import { readTflite } from '../model/tflite/reader';
import { writeTflite } from '../model/tflite/writer';
import { type CalibrationMethod, type CalibrationProgress, calibrate, type Range } from './calibrate';
import { type GeneratorSpec, generateSamples } from './generator';
import { activationParams, adjustScalesForBias, quantizeBias, quantizeValue, quantizeWeights, weightScales } from './params';
import { bytesOf, floatsOf, prepareFloatGraph } from './prepare';
import { assignSharedParams } from './sharedParams';

export type { CalibrationMethod } from './calibrate';
export type { GeneratorSpec } from './generator';

export type Calibration = { samples: Float32Array[][] } | { generator: GeneratorSpec };

export interface QuantizeOptions {
  method?: CalibrationMethod;
  /** Per-channel weight scales for CONV_2D (axis 0) and DEPTHWISE_CONV_2D (axis 3); default true. */
  perChannel?: boolean;
  /**
   * Per-channel FULLY_CONNECTED weights (axis 0) when `perChannel` is on; default true, since TFLM
   * runs them (FullyConnectedPerChannel). Set false for TFLM builds older than 2024 and to match
   * the converter, which quantizes FULLY_CONNECTED per tensor.
   */
  perChannelFullyConnected?: boolean;
  /** Model inputs and outputs: int8, or float with QUANTIZE / DEQUANTIZE at the edges. */
  io?: 'int8' | 'float';
  /** Percentile for method 'percentile' (default 99.99). */
  percentile?: number;
  /** Called after each calibration run (for progress); throwing from it stops the quantization. */
  onCalibrationSample?: CalibrationProgress;
}

export interface QuantizeResult {
  graph: Graph;
  /** The serialized model (what `graph` was read back from). */
  bytes: Uint8Array;
  warnings: string[];
  /** What was rewritten before quantizing (folds, fusions, dequantized hybrid weights). */
  notes: string[];
  /** The calibrated float range of every activation tensor, by tensor index of the float graph. */
  ranges: Map<number, Range>;
}

const WEIGHT_OPS = new Set(['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED']);

function isConstant(t: Tensor): boolean {
  return t.data !== undefined && t.data.length > 0;
}

function samplesFor(graph: Graph, calibration: Calibration, warnings: string[]): Float32Array[][] {
  if ('samples' in calibration) {
    if (calibration.samples.length === 0) throw new Error('calibration has no samples');
    const sg = graph.subgraphs[0];
    calibration.samples.forEach((sample, s) => {
      if (sample.length !== sg.inputs.length) throw new Error(`calibration sample ${s} has ${sample.length} inputs, the model has ${sg.inputs.length}`);
      sample.forEach((values, k) => {
        const n = elementCount(sg.tensors[sg.inputs[k]].shape);
        if (values.length !== n) throw new Error(`calibration sample ${s} input ${k} has ${values.length} values, the model needs ${n}`);
      });
    });
    return calibration.samples;
  }
  const spec = calibration.generator;
  warnings.push(
    `calibrated on ${spec.count ?? 32} generated ${spec.distribution ?? 'uniform'} inputs in ${JSON.stringify(spec.range ?? [-1, 1])}, not on real data: ` +
      'the accuracy of the quantized model is unproven; validate it on real inputs',
  );
  return generateSamples(graph, spec);
}

/** Quantizes a float (or hybrid) TFLite graph to a full-integer int8 graph TFLM can run. */
export function quantizeModel(graph: Graph, calibration: Calibration, options: QuantizeOptions = {}): QuantizeResult {
  if (graph.format !== 'tflite') throw new Error(`only TFLite graphs can be quantized (this one is ${graph.format})`);
  if (graph.subgraphs.length !== 1) throw new Error(`only single-subgraph models can be quantized (this one has ${graph.subgraphs.length})`);
  const method = options.method ?? 'minmax';
  const perChannel = options.perChannel ?? true;
  const io = options.io ?? 'int8';
  const warnings: string[] = [];

  const prepared = prepareFloatGraph(graph);
  warnings.push(...prepared.warnings);
  const notes = [...prepared.notes];
  const fg = prepared.graph;
  const sg = fg.subgraphs[0];
  for (const i of sg.inputs) {
    if (sg.tensors[i].dtype !== 'float32') throw new Error(`input ${sg.tensors[i].name} is ${sg.tensors[i].dtype}: the model is already quantized`);
  }
  const samples = samplesFor(fg, calibration, warnings);
  const ranges = calibrate(fg, samples, method, options.percentile ?? 99.99, options.onCalibrationSample);

  // Activation parameters, shared where TFLM's kernels need it (may insert requantizing ops).
  const shared = assignSharedParams(sg, ranges);
  warnings.push(...shared.warnings);
  notes.push(...shared.notes);
  const params = shared.params;

  const tensors: Tensor[] = sg.tensors.map((t) => ({ ...t, buffer: -1 }));
  const done = new Set<number>();
  const fcPerChannel = perChannel && options.perChannelFullyConnected !== false;

  for (const op of sg.operators) {
    if (!WEIGHT_OPS.has(op.opType)) continue;
    const filter = sg.tensors[op.inputs[1]];
    if (!isConstant(filter) || filter.dtype !== 'float32') throw new Error(`${op.opType} ${op.index}: filter ${filter.name} is not a float constant`);
    const axis = op.opType === 'CONV_2D' ? (perChannel ? 0 : undefined) : op.opType === 'DEPTHWISE_CONV_2D' ? (perChannel ? 3 : undefined) : fcPerChannel ? 0 : undefined;
    if (done.has(filter.index)) throw new Error(`${op.opType} ${op.index}: filter ${filter.name} is shared with another op; not supported`);
    const values = floatsOf(filter);
    const scales = weightScales(values, filter.shape, axis);
    const b = op.inputs.length > 2 ? op.inputs[2] : -1;
    const inputScale = params.get(op.inputs[0])?.scale;
    if (inputScale === undefined) throw new Error(`${op.opType} ${op.index}: input has no quantization parameters`);
    const biasValues = b >= 0 ? floatsOf(sg.tensors[b]) : undefined;
    if (biasValues) {
      const raised = adjustScalesForBias(scales, biasValues, inputScale);
      if (raised > 0) notes.push(`${op.opType} ${op.index}: raised the weight scale of ${raised} channel(s) so that their bias fits in int32`);
    }
    const w = quantizeWeights(values, filter.shape, axis, scales);
    done.add(filter.index);
    tensors[filter.index] = { ...tensors[filter.index], dtype: 'int8', data: bytesOf(w), quantization: { scale: scales, zeroPoint: scales.map(() => 0), axis: axis ?? 0 } };
    if (b >= 0 && biasValues) {
      const bias = sg.tensors[b];
      if (done.has(b)) throw new Error(`${op.opType} ${op.index}: bias ${bias.name} is shared with another op; not supported`);
      const q = quantizeBias(biasValues, inputScale, scales);
      if (q.clamped > 0) warnings.push(`${op.opType} ${op.index}: ${q.clamped} bias values overflow int32 and were clamped`);
      done.add(b);
      tensors[b] = { ...tensors[b], dtype: 'int32', data: bytesOf(q.data), quantization: { scale: q.scales, zeroPoint: q.scales.map(() => 0), axis: 0 } };
    }
  }

  for (const t of sg.tensors) {
    if (done.has(t.index) || t.dtype !== 'float32') continue;
    if (isConstant(t)) {
      // Other float constants (an ADD operand): asymmetric per tensor over their own values,
      // unless tied to a group (a concatenated constant, PADV2's pad value).
      const values = floatsOf(t);
      let lo = 0;
      let hi = 0;
      for (const v of values) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      const p = params.get(t.index) ?? activationParams(lo, hi);
      const data = Int8Array.from(values, (v) => quantizeValue(v, p));
      tensors[t.index] = { ...tensors[t.index], dtype: 'int8', data: bytesOf(data), quantization: { scale: [p.scale], zeroPoint: [p.zeroPoint], axis: 0 } };
      continue;
    }
    const p = params.get(t.index);
    if (!p) continue; // A dangling tensor no op produces any more (left by folding).
    tensors[t.index] = { ...tensors[t.index], dtype: 'int8', quantization: { scale: [Math.fround(p.scale)], zeroPoint: [p.zeroPoint], axis: 0 } };
  }

  const operators: Operator[] = sg.operators.map((op) => ({ ...op, inputs: [...op.inputs], outputs: [...op.outputs], options: { ...op.options } }));
  const out: Subgraph = { name: sg.name, tensors, operators, inputs: [...sg.inputs], outputs: [...sg.outputs] };
  if (io === 'float') addFloatEdges(out, sg);
  dropDanglingTensors(out);
  out.operators.forEach((op, i) => {
    op.index = i;
    op.version = opVersion(op, out.tensors);
  });

  const metadata = fg.metadata.filter((m) => m.name !== 'OfflineMemoryAllocation');
  const quantized: Graph = { format: 'tflite', version: 3, description: fg.description, subgraphs: [out], metadata, fileBytes: 0 };
  const bytes = writeTflite(quantized);
  return { graph: readTflite(bytes), bytes, warnings, notes, ranges };
}

/** Float model inputs and outputs: QUANTIZE after each input, DEQUANTIZE before each output. */
function addFloatEdges(out: Subgraph, float: Subgraph): void {
  const newTensor = (from: Tensor, suffix: string): Tensor => {
    const t: Tensor = { ...from, index: out.tensors.length, name: `${from.name}${suffix}`, buffer: -1 };
    out.tensors.push(t);
    return t;
  };
  const edge = (opType: string, input: number, output: number): Operator => ({
    index: 0, opType, known: true, builtinCode: -1, custom: false, version: 1, inputs: [input], outputs: [output], intermediates: [], options: {},
  });
  const front: Operator[] = [];
  for (const i of out.inputs) {
    const q = newTensor(out.tensors[i], '_int8');
    for (const op of out.operators) op.inputs = op.inputs.map((x) => (x === i ? q.index : x));
    out.tensors[i] = { ...float.tensors[i], buffer: -1, quantization: undefined };
    front.push(edge('QUANTIZE', i, q.index));
  }
  const back: Operator[] = [];
  for (const o of out.outputs) {
    const q = newTensor(out.tensors[o], '_int8');
    for (const op of out.operators) op.outputs = op.outputs.map((x) => (x === o ? q.index : x));
    out.tensors[o] = { ...float.tensors[o], buffer: -1, quantization: undefined };
    back.push(edge('DEQUANTIZE', q.index, o));
  }
  out.operators = [...front, ...out.operators, ...back];
}

/** Removes tensors no op and no graph edge refers to (left behind by folding), renumbering the rest. */
function dropDanglingTensors(sg: Subgraph): void {
  const used = new Set<number>([...sg.inputs, ...sg.outputs]);
  for (const op of sg.operators) for (const i of [...op.inputs, ...op.outputs, ...op.intermediates]) if (i >= 0) used.add(i);
  if (used.size === sg.tensors.length) return;
  const map = new Map<number, number>();
  sg.tensors = sg.tensors.filter((t) => used.has(t.index));
  sg.tensors.forEach((t, i) => {
    map.set(t.index, i);
    t.index = i;
  });
  const re = (i: number): number => (i < 0 ? i : map.get(i)!);
  sg.inputs = sg.inputs.map(re);
  sg.outputs = sg.outputs.map(re);
  for (const op of sg.operators) {
    op.inputs = op.inputs.map(re);
    op.outputs = op.outputs.map(re);
    op.intermediates = op.intermediates.map(re);
  }
}
