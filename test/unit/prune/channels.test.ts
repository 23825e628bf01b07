// Structured channel pruning on hand-built int8 graphs: which channels go (L1 norms worked out in
// the comments), how every reader of the channels is rewritten, and, because the removed channels
// are given zero weights downstream, that the pruned model's outputs are bit-identical to the
// original's on the engine: any wrong slice, bias or per-channel scale would change them.

import assert from 'node:assert/strict';
import { computeBudget } from '../../../server/src/analysis/budget';
import { findBoard } from '../../../server/src/analysis/boards';
import { prepareEngine } from '../../../server/src/engine/engine';
import type { Graph } from '../../../server/src/model/graph';
import { readTflite } from '../../../server/src/model/tflite/reader';
import { writeTflite } from '../../../server/src/model/tflite/writer';
import { pruneChannels } from '../../../server/src/prune/channels';
import { PruneError } from '../../../server/src/prune/graphEdit';
import { CONV, DEPTHWISE, GraphBuilder, int32Values, int8Input, int8Values } from './graphBuilder';

const board = findBoard('arduino-nano-33-ble-sense');

function outputsOf(graph: Graph, seeds: number[]): number[][] {
  const engine = prepareEngine(graph);
  return seeds.map((seed) => {
    engine.invoke([int8Input(engine.inputs[0].bytes.length, seed)]);
    return Array.from(engine.outputs[0].data);
  });
}

function tensorNamed(graph: Graph, name: string) {
  const t = graph.subgraphs[0].tensors.find((x) => x.name === name);
  assert.ok(t, `tensor ${name}`);
  return t;
}

/**
 * x [1,3,3,2] -> conv1 (4 filters) -> t1 -> depthwise (4 ch) -> t2 -> conv2 (2 filters) -> y.
 * conv1's filters, with per-channel scales, have L1 norms (dequantized):
 *   ch0 (10 + 10) x 0.1 = 2.0; ch1 (1 + 1) x 0.5 = 1.0; ch2 (100 + 100) x 0.001 = 0.2; ch3 (5 + 5) x 1 = 10.
 * Ratio 0.5 removes round(0.5 x 4) = 2 channels: ch2 and ch1 (stored |q| sums would pick ch1 and ch3).
 * conv2 reads channels 1 and 2 with zero weights, so removing them cannot change y.
 */
function convDepthwiseConv(): Graph {
  const b = new GraphBuilder();
  const x = b.activation('x', [1, 3, 3, 2], 0.05, -3);
  const s1 = [0.1, 0.5, 0.001, 1];
  const f1 = b.int8('conv1/filter', [4, 1, 1, 2], [10, 10, 1, 1, 100, -100, 5, -5], s1);
  const b1 = b.bias('conv1/bias', [100, 200, 300, 400], 0.05, s1);
  const t1 = b.activation('t1', [1, 3, 3, 4], 0.1, 2);
  b.op('CONV_2D', [x, f1, b1], [t1], { ...CONV, fusedActivation: 'RELU' });
  const sd = [0.01, 0.02, 0.03, 0.04];
  const fd = b.int8('dw/filter', [1, 1, 1, 4], [11, 12, 13, 14], sd, 3);
  const bd = b.bias('dw/bias', [5, 6, 7, 8], 0.1, sd);
  const t2 = b.activation('t2', [1, 3, 3, 4], 0.1, 0);
  b.op('DEPTHWISE_CONV_2D', [t1, fd, bd], [t2], DEPTHWISE);
  const s2 = [0.02, 0.03];
  const f2 = b.int8('conv2/filter', [2, 1, 1, 4], [20, 0, 0, -20, 7, 0, 0, 9], s2);
  const b2 = b.bias('conv2/bias', [10, -10], 0.1, s2);
  const y = b.activation('y', [1, 3, 3, 2], 0.1, 0);
  b.op('CONV_2D', [t2, f2, b2], [y], CONV);
  return b.build([x], [y]);
}

/**
 * Residual: x [1,2,2,2] -> convA -> a, x -> convB -> b, ADD(a, b) -> c -> convC -> y.
 * Every filter scale is 0.1, so L1 norms are 0.1 x the stored sums:
 *   A: [5,5] 1.0, [25,25] 5.0, [10,10] 2.0, [45,45] 9.0   (alone A would drop ch0, ch2)
 *   B: [30,30] 6.0, [5,5] 1.0, [10,10] 2.0, [5,5] 1.0     (alone B would drop ch1, ch3)
 *   joint (ADD ties them to one space): 7, 6, 4, 10 -> ratio 0.5 drops ch2 and ch1 from BOTH.
 */
function residual(): Graph {
  const b = new GraphBuilder();
  const x = b.activation('x', [1, 2, 2, 2], 0.05, 0);
  const s = [0.1, 0.1, 0.1, 0.1];
  const fa = b.int8('A/filter', [4, 1, 1, 2], [5, 5, 25, 25, 10, 10, 45, 45], s);
  const ba = b.bias('A/bias', [1, 2, 3, 4], 0.05, s);
  const a = b.activation('a', [1, 2, 2, 4], 0.1, 0);
  b.op('CONV_2D', [x, fa, ba], [a], CONV);
  const fb = b.int8('B/filter', [4, 1, 1, 2], [30, 30, 5, 5, 10, 10, 5, 5], s);
  const bb = b.bias('B/bias', [5, 6, 7, 8], 0.05, s);
  const bt = b.activation('b', [1, 2, 2, 4], 0.08, 1);
  b.op('CONV_2D', [x, fb, bb], [bt], CONV);
  const c = b.activation('c', [1, 2, 2, 4], 0.15, -2);
  b.op('ADD', [a, bt], [c], { fusedActivation: 'NONE' });
  const sc = [0.05, 0.04];
  const fc = b.int8('C/filter', [2, 1, 1, 4], [10, 0, 0, -10, 3, 0, 0, 8], sc);
  const bc = b.bias('C/bias', [0, 0], 0.15, sc);
  const y = b.activation('y', [1, 2, 2, 2], 0.1, 0);
  b.op('CONV_2D', [c, fc, bc], [y], CONV);
  return b.build([x], [y]);
}

/**
 * Concatenation: x [1,2,2,2] -> convA (3 ch) -> a, x -> convB (2 ch) -> b, CONCAT(a, b) -> c (5 ch) -> convC -> y.
 * A norms (scale 0.1): [10,10] 2.0, [2,2] 0.4, [20,20] 4.0 -> ratio 1/3 drops round(1) = 1: ch1.
 * B norms: [1,1] 0.2, [30,30] 6.0 -> drops round(0.67) = 1: ch0.
 * c = [a0 a1 a2 b0 b1] keeps a0, a2 and b1 -> output channels 0, 2 and 3 + 1 = 4.
 */
function concatenation(): Graph {
  const b = new GraphBuilder();
  const x = b.activation('x', [1, 2, 2, 2], 0.05, 0);
  const fa = b.int8('A/filter', [3, 1, 1, 2], [10, 10, 2, 2, 20, 20], [0.1, 0.1, 0.1]);
  const ba = b.bias('A/bias', [1, 2, 3], 0.05, [0.1, 0.1, 0.1]);
  const a = b.activation('a', [1, 2, 2, 3], 0.1, 0);
  b.op('CONV_2D', [x, fa, ba], [a], CONV);
  const fb = b.int8('B/filter', [2, 1, 1, 2], [1, 1, 30, 30], [0.1, 0.1]);
  const bb = b.bias('B/bias', [4, 5], 0.05, [0.1, 0.1]);
  const bt = b.activation('b', [1, 2, 2, 2], 0.1, 0);
  b.op('CONV_2D', [x, fb, bb], [bt], CONV);
  const c = b.activation('c', [1, 2, 2, 5], 0.1, 0);
  b.op('CONCATENATION', [a, bt], [c], { axis: 3, fusedActivation: 'NONE' });
  const sc = [0.05, 0.04];
  const fc = b.int8('C/filter', [2, 1, 1, 5], [10, 0, 20, 0, 30, -5, 0, 6, 0, 7], sc);
  const bc = b.bias('C/bias', [0, 0], 0.1, sc);
  const y = b.activation('y', [1, 2, 2, 2], 0.1, 0);
  b.op('CONV_2D', [c, fc, bc], [y], CONV);
  return b.build([x], [y]);
}

/**
 * conv -> reshape (flatten) -> fully connected: x [1,2,2,1] -> conv (3 ch) -> t [1,2,2,3] -> [1,12] -> FC (2 units).
 * Conv norms (scale 0.1): 20 -> 2.0, 5 -> 0.5, 30 -> 3.0; ratio 1/3 drops ch1.
 * Flattened column j of t holds position floor(j / 3), channel j % 3: the kept columns are
 * j % 3 in {0, 2}: 0, 2, 3, 5, 6, 8, 9, 11. FC weights are j + 1 (row 0) and -2(j + 1) (row 1),
 * and 0 where j % 3 = 1.
 */
function convReshapeFc(): Graph {
  const b = new GraphBuilder();
  const x = b.activation('x', [1, 2, 2, 1], 0.05, 0);
  const f = b.int8('conv/filter', [3, 1, 1, 1], [20, 5, 30], [0.1, 0.1, 0.1]);
  const bias = b.bias('conv/bias', [7, 8, 9], 0.05, [0.1, 0.1, 0.1]);
  const t = b.activation('t', [1, 2, 2, 3], 0.1, 0);
  b.op('CONV_2D', [x, f, bias], [t], CONV);
  const shape = b.int32('flatten/shape', [1, 12]);
  const flat = b.activation('flat', [1, 12], 0.1, 0);
  b.op('RESHAPE', [t, shape], [flat]);
  const w = Array.from({ length: 12 }, (_, j) => (j % 3 === 1 ? 0 : j + 1)).concat(Array.from({ length: 12 }, (_, j) => (j % 3 === 1 ? 0 : -2 * (j + 1))));
  const fw = b.int8('fc/weights', [2, 12], w, [0.01]);
  const fb = b.bias('fc/bias', [3, -3], 0.1, [0.01]);
  const y = b.activation('y', [1, 2], 0.05, 0);
  b.op('FULLY_CONNECTED', [flat, fw, fb], [y], { fusedActivation: 'NONE', weightsFormat: 'DEFAULT', keepNumDims: false, asymmetricQuantizeInputs: false });
  const probs = b.activation('probs', [1, 2], 1 / 256, -128);
  b.op('SOFTMAX', [y], [probs], { beta: 1 });
  return b.build([x], [probs]);
}

const SEEDS = [1, 2, 3, 4, 5];

describe('prune/channels: hand-built graphs', () => {
  it('conv -> depthwise -> conv: drops the lowest dequantized-L1 channels everywhere they appear', () => {
    const original = convDepthwiseConv();
    const { graph, report } = pruneChannels(original, { ratio: 0.5, skipFirstAndLast: false, board });
    // conv1: rows 0 and 3 stay, with their scales and biases.
    assert.deepEqual(int8Values(tensorNamed(graph, 'conv1/filter')), [10, 10, 5, -5]);
    assert.deepEqual(tensorNamed(graph, 'conv1/filter').shape, [2, 1, 1, 2]);
    assert.deepEqual(tensorNamed(graph, 'conv1/filter').quantization?.scale, [0.1, 1]);
    assert.deepEqual(int32Values(tensorNamed(graph, 'conv1/bias')), [100, 400]);
    assert.deepEqual(tensorNamed(graph, 'conv1/bias').quantization?.scale, [0.05 * 0.1, 0.05 * 1]);
    // The depthwise follows its input's channels: filter, bias and per-channel scales (axis 3).
    assert.deepEqual(int8Values(tensorNamed(graph, 'dw/filter')), [11, 14]);
    assert.deepEqual(tensorNamed(graph, 'dw/filter').shape, [1, 1, 1, 2]);
    assert.deepEqual(tensorNamed(graph, 'dw/filter').quantization?.scale, [0.01, 0.04]);
    assert.deepEqual(int32Values(tensorNamed(graph, 'dw/bias')), [5, 8]);
    // conv2 loses the input slices 1 and 2; its own 2 output channels feed the model output and stay.
    assert.deepEqual(int8Values(tensorNamed(graph, 'conv2/filter')), [20, -20, 7, 9]);
    assert.deepEqual(tensorNamed(graph, 'conv2/filter').shape, [2, 1, 1, 2]);
    assert.deepEqual(tensorNamed(graph, 't1').shape, [1, 3, 3, 2]);
    assert.deepEqual(tensorNamed(graph, 't2').shape, [1, 3, 3, 2]);
    const pruned = report.spaces.find((s) => s.status === 'pruned');
    assert.deepEqual(pruned?.removed, [1, 2]);
    assert.deepEqual(pruned?.tensors, ['t1', 't2']);
    const kept = report.spaces.find((s) => s.definers.includes(2));
    assert.equal(kept?.status, 'kept');
    assert.ok(kept?.reasons.includes('model output'));
    // MACs: conv1 3x3x4 outputs x 2 inputs = 72, depthwise 3x3x4 = 36, conv2 3x3x2 x 4 = 72 -> 180;
    // after: 3x3x2 x 2 = 36, 3x3x2 = 18, 3x3x2 x 2 = 36 -> 90.
    assert.equal(report.budget.before.macs, 180);
    assert.equal(report.budget.after.macs, 90);
    // Weight bytes: filters 8 + 4 + 8 int8, biases (4 + 4 + 2) x 4 -> 60; after 4 + 2 + 4 + (2 + 2 + 2) x 4 = 34.
    assert.equal(report.budget.before.weightBytes, 60);
    assert.equal(report.budget.after.weightBytes, 34);
    assert.deepEqual(outputsOf(graph, SEEDS), outputsOf(original, SEEDS));
  });

  it('conv -> add <- conv: prunes the residual space jointly, by the summed norms', () => {
    const original = residual();
    const { graph, report } = pruneChannels(original, { ratio: 0.5, skipFirstAndLast: false, board });
    assert.deepEqual(int8Values(tensorNamed(graph, 'A/filter')), [5, 5, 45, 45]);
    assert.deepEqual(int8Values(tensorNamed(graph, 'B/filter')), [30, 30, 5, 5]);
    assert.deepEqual(int32Values(tensorNamed(graph, 'A/bias')), [1, 4]);
    assert.deepEqual(int32Values(tensorNamed(graph, 'B/bias')), [5, 8]);
    assert.deepEqual(int8Values(tensorNamed(graph, 'C/filter')), [10, -10, 3, 8]);
    for (const name of ['a', 'b', 'c']) assert.deepEqual(tensorNamed(graph, name).shape, [1, 2, 2, 2]);
    const space = report.spaces.find((s) => s.status === 'pruned');
    assert.deepEqual(space?.definers, [0, 1]);
    assert.deepEqual(space?.removed, [1, 2]);
    assert.deepEqual(outputsOf(graph, SEEDS), outputsOf(original, SEEDS));
  });

  it('leaves a residual space that reaches the model input unpruned, and says why', () => {
    const b = new GraphBuilder();
    const x = b.activation('x', [1, 2, 2, 2], 0.05, 0);
    const f = b.int8('A/filter', [2, 1, 1, 2], [1, 2, 3, 4], [0.1, 0.1]);
    const a = b.activation('a', [1, 2, 2, 2], 0.1, 0);
    b.op('CONV_2D', [x, f, -1], [a], CONV);
    const c = b.activation('c', [1, 2, 2, 2], 0.1, 0);
    b.op('ADD', [a, x], [c], { fusedActivation: 'NONE' });
    const f2 = b.int8('B/filter', [2, 1, 1, 2], [1, 2, 3, 4], [0.1, 0.1]);
    const y = b.activation('y', [1, 2, 2, 2], 0.1, 0);
    b.op('CONV_2D', [c, f2, -1], [y], CONV);
    const original = b.build([x], [y]);
    const { graph, report } = pruneChannels(original, { ratio: 0.5, skipFirstAndLast: false, board });
    const space = report.spaces.find((s) => s.definers.includes(0));
    assert.equal(space?.status, 'kept');
    assert.ok(space?.reasons.includes('model input'), JSON.stringify(space?.reasons));
    assert.deepEqual(tensorNamed(graph, 'a').shape, [1, 2, 2, 2]);
    assert.equal(report.budget.after.macs, report.budget.before.macs);
  });

  it('concatenation: maps each input\'s kept channels to the output\'s offsets', () => {
    const original = concatenation();
    const { graph, report } = pruneChannels(original, { ratio: 1 / 3, skipFirstAndLast: false, board });
    assert.deepEqual(int8Values(tensorNamed(graph, 'A/filter')), [10, 10, 20, 20]);
    assert.deepEqual(int8Values(tensorNamed(graph, 'B/filter')), [30, 30]);
    assert.deepEqual(tensorNamed(graph, 'c').shape, [1, 2, 2, 3]);
    // convC keeps input channels 0, 2, 4 of [10, 0, 20, 0, 30] and [-5, 0, 6, 0, 7].
    assert.deepEqual(int8Values(tensorNamed(graph, 'C/filter')), [10, 20, 30, -5, 6, 7]);
    const derived = report.spaces.find((s) => s.status === 'derived');
    assert.deepEqual(derived?.removed, [1, 3]);
    assert.equal(derived?.channelsAfter, 3);
    assert.deepEqual(outputsOf(graph, SEEDS), outputsOf(original, SEEDS));
  });

  it('conv -> reshape -> fully connected: drops the flattened columns of the removed channel', () => {
    const original = convReshapeFc();
    const { graph } = pruneChannels(original, { ratio: 1 / 3, skipFirstAndLast: false, board });
    assert.deepEqual(int8Values(tensorNamed(graph, 'conv/filter')), [20, 30]);
    assert.deepEqual(tensorNamed(graph, 't').shape, [1, 2, 2, 2]);
    assert.deepEqual(tensorNamed(graph, 'flat').shape, [1, 8]);
    assert.deepEqual(int32Values(tensorNamed(graph, 'flatten/shape')), [1, 8]);
    const columns = [0, 2, 3, 5, 6, 8, 9, 11];
    assert.deepEqual(int8Values(tensorNamed(graph, 'fc/weights')), [...columns.map((j) => j + 1), ...columns.map((j) => -2 * (j + 1))]);
    assert.deepEqual(tensorNamed(graph, 'fc/weights').shape, [2, 8]);
    assert.deepEqual(outputsOf(graph, SEEDS), outputsOf(original, SEEDS));
  });

  it('keeps the first conv whole by default (skipFirstAndLast)', () => {
    const { graph, report } = pruneChannels(convReshapeFc(), { ratio: 1 / 3, board });
    assert.deepEqual(tensorNamed(graph, 't').shape, [1, 2, 2, 3]);
    assert.equal(report.spaces[0].status, 'kept');
    assert.match(report.spaces[0].reasons.join(' '), /first weight layer CONV_2D \(op 0\)/);
  });

  it('minChannels bounds the removal', () => {
    // 4 channels, ratio 0.9 would remove round(3.6) = 4; minChannels 3 leaves 3.
    const { graph } = pruneChannels(convDepthwiseConv(), { ratio: 0.9, minChannels: 3, skipFirstAndLast: false, board });
    assert.deepEqual(tensorNamed(graph, 't1').shape, [1, 3, 3, 3]);
  });

  it('never writes the input graph, and the pruned graph survives writeTflite / readTflite', () => {
    const original = convDepthwiseConv();
    const snapshot = original.subgraphs[0].tensors.map((t) => ({ shape: [...t.shape], data: t.data ? Array.from(t.data) : undefined }));
    const { graph } = pruneChannels(original, { ratio: 0.5, skipFirstAndLast: false, board });
    assert.deepEqual(
      original.subgraphs[0].tensors.map((t) => ({ shape: t.shape, data: t.data ? Array.from(t.data) : undefined })),
      snapshot,
    );
    const bytes = writeTflite(graph);
    assert.equal(graph.fileBytes, bytes.length);
    assert.deepEqual(outputsOf(readTflite(bytes), SEEDS), outputsOf(graph, SEEDS));
  });

  it('bias compensation folds a removed constant channel into the reader\'s bias, exactly', () => {
    // conv1 channel 1 has an all-zero filter and bias 500 at scale 0.05 x 0.1: its output is the
    // constant 2.5 (q 25 at scale 0.1), and its L1 norm 0 is the smallest of [2.0, 0, 4.0, 3.5].
    // conv2 reads it with q 20 (scale 0.02) and 30 (scale 0.03): 25 x 20 = 500 and 25 x 30 = 750 in
    // its accumulator units (0.1 x 0.02, 0.1 x 0.03), which is what the biases must gain.
    const build = (): Graph => {
      const b = new GraphBuilder();
      const x = b.activation('x', [1, 2, 2, 2], 0.05, 0);
      const s1 = [0.1, 0.1, 0.1, 0.1];
      const f1 = b.int8('conv1/filter', [4, 1, 1, 2], [10, 10, 0, 0, 20, -20, 30, 5], s1);
      const b1 = b.bias('conv1/bias', [0, 500, 0, 0], 0.05, s1);
      const t1 = b.activation('t1', [1, 2, 2, 4], 0.1, 0);
      b.op('CONV_2D', [x, f1, b1], [t1], { ...CONV, fusedActivation: 'RELU' });
      const s2 = [0.02, 0.03];
      const f2 = b.int8('conv2/filter', [2, 1, 1, 4], [10, 20, 5, -5, -7, 30, 2, 3], s2);
      const b2 = b.bias('conv2/bias', [0, 0], 0.1, s2);
      const y = b.activation('y', [1, 2, 2, 2], 0.1, 0);
      b.op('CONV_2D', [t1, f2, b2], [y], CONV);
      return b.build([x], [y]);
    };
    const original = build();
    const calibration = [[Float32Array.from([0.1, 0.2, -0.3, 0.4, 0.5, -0.6, 0.7, 0.8])]];
    const compensated = pruneChannels(original, { ratio: 0.25, skipFirstAndLast: false, board, calibration });
    assert.deepEqual(int32Values(tensorNamed(compensated.graph, 'conv2/bias')), [500, 750]);
    assert.deepEqual(int8Values(tensorNamed(compensated.graph, 'conv2/filter')), [10, 5, -5, -7, 2, 3]);
    assert.deepEqual(outputsOf(compensated.graph, SEEDS), outputsOf(original, SEEDS));
    // Without it the outputs move (by up to 1.0 / 0.1 = 10 and 2.25 / 0.1 = 22.5 steps).
    const plain = pruneChannels(original, { ratio: 0.25, skipFirstAndLast: false, board });
    assert.deepEqual(int32Values(tensorNamed(plain.graph, 'conv2/bias')), [0, 0]);
    assert.notDeepEqual(outputsOf(plain.graph, SEEDS), outputsOf(original, SEEDS));
  });

  it('refuses ratios outside [0, 1) and ONNX graphs', () => {
    assert.throws(() => pruneChannels(residual(), { ratio: 1 }), PruneError);
    assert.throws(() => pruneChannels(residual(), { ratio: -0.1 }), PruneError);
    assert.throws(() => pruneChannels({ ...residual(), format: 'onnx' }, { ratio: 0.5 }), /TFLite/);
  });

  it('ratio 0 changes nothing', () => {
    const original = residual();
    const { graph, report } = pruneChannels(original, { ratio: 0, skipFirstAndLast: false, board, inputs: [[new Float32Array(8).fill(0.3)]] });
    assert.equal(report.budget.after.macs, report.budget.before.macs);
    assert.equal(report.accuracy?.identicalOutputs, true);
    assert.equal(computeBudget(graph, board!).totals.weightBytes, computeBudget(original, board!).totals.weightBytes);
  });
});
