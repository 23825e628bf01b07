// Magnitude pruning on hand-built graphs: which weights become zero when magnitudes are the
// dequantized |q x scale| (worked out in the comments), per layer and against one global
// threshold; float and ONNX weights; refusal of asymmetric weights; and the honest budget: the
// same MACs, bytes and arena as before.

import assert from 'node:assert/strict';
import { findBoard } from '../../../server/src/analysis/boards';
import { prepareEngine } from '../../../server/src/engine/engine';
import type { Graph } from '../../../server/src/model/graph';
import { readOnnx } from '../../../server/src/model/onnx/reader';
import { PruneError } from '../../../server/src/prune/graphEdit';
import { pruneMagnitude } from '../../../server/src/prune/magnitude';
import { OnnxBuilder } from '../../helpers/onnxBuilder';
import { CONV, float32Values, GraphBuilder, int8Values } from './graphBuilder';

const board = findBoard('arduino-nano-33-ble-sense');

function named(graph: Graph, name: string) {
  const t = graph.subgraphs[0].tensors.find((x) => x.name === name);
  assert.ok(t, name);
  return t;
}

/**
 * x [1,2,2,3] -> conv0 -> conv1 -> conv2 -> y, all 1x1. conv1 (the middle layer) has filter
 * [2,1,1,3] = rows [1, -4, 2] (scale 1.0) and [12, -3, 6] (scale 0.1):
 * magnitudes [1, 4, 2] and [1.2, 0.3, 0.6].
 */
function threeConvs(): Graph {
  const b = new GraphBuilder();
  const x = b.activation('x', [1, 2, 2, 3], 0.05, 0);
  const f0 = b.int8('conv0/filter', [3, 1, 1, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9], [0.1, 0.1, 0.1]);
  const t0 = b.activation('t0', [1, 2, 2, 3], 0.1, 0);
  b.op('CONV_2D', [x, f0, -1], [t0], CONV);
  const f1 = b.int8('conv1/filter', [2, 1, 1, 3], [1, -4, 2, 12, -3, 6], [1, 0.1]);
  const t1 = b.activation('t1', [1, 2, 2, 2], 0.1, 0);
  b.op('CONV_2D', [t0, f1, -1], [t1], CONV);
  const f2 = b.int8('conv2/filter', [2, 1, 1, 2], [1, 2, 3, 4], [0.1, 0.1]);
  const y = b.activation('y', [1, 2, 2, 2], 0.1, 0);
  b.op('CONV_2D', [t1, f2, -1], [y], CONV);
  return b.build([x], [y]);
}

/**
 * Two 1x1 convs: A [2,1,1,2] = [[4, 4], [4, 5]], per-channel scales [0.5, 0.1] -> magnitudes
 * [2, 2, 0.4, 0.5]; B [2,1,1,2] = [[1, 2], [3, 100]], one scale 0.01 -> [0.01, 0.02, 0.03, 1].
 */
function twoConvs(): Graph {
  const b = new GraphBuilder();
  const x = b.activation('x', [1, 1, 1, 2], 0.05, 0);
  const fa = b.int8('A/filter', [2, 1, 1, 2], [4, 4, 4, 5], [0.5, 0.1]);
  const a = b.activation('a', [1, 1, 1, 2], 0.1, 0);
  b.op('CONV_2D', [x, fa, -1], [a], CONV);
  const fb = b.int8('B/filter', [2, 1, 1, 2], [1, 2, 3, 100], [0.01]);
  const y = b.activation('y', [1, 1, 1, 2], 0.1, 0);
  b.op('CONV_2D', [a, fb, -1], [y], CONV);
  return b.build([x], [y]);
}

describe('prune/magnitude: hand-built graphs', () => {
  it('per layer: zeroes the smallest |q x scale|, not the smallest |q|; first and last layers kept', () => {
    const original = threeConvs();
    const { graph, report } = pruneMagnitude(original, { sparsity: 0.5, scope: 'per-layer', board });
    // round(0.5 x 6) = 3 smallest magnitudes: 0.3 (q -3), 0.6 (q 6), 1.0 (q 1). The 3 smallest |q|
    // would have been 1, 2, -3.
    assert.deepEqual(int8Values(named(graph, 'conv1/filter')), [0, -4, 2, 12, 0, 0]);
    assert.deepEqual(int8Values(named(graph, 'conv0/filter')), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(int8Values(named(graph, 'conv2/filter')), [1, 2, 3, 4]);
    assert.deepEqual(report.layers, [{ index: 1, op: 'CONV_2D', tensor: 'conv1/filter', weights: 6, zerosBefore: 0, zeroed: 3, sparsity: 0.5 }]);
    assert.deepEqual(report.skipped.map((s) => s.index), [0, 2]);
    assert.equal(report.weightsZeroed, 3);
    assert.equal(report.globalSparsity, 0.5);
    // The input graph still holds the dense filter.
    assert.deepEqual(int8Values(named(original, 'conv1/filter')), [1, -4, 2, 12, -3, 6]);
    prepareEngine(graph).invoke();
  });

  it('global: one threshold across layers with different scales', () => {
    const { graph, report } = pruneMagnitude(twoConvs(), { sparsity: 0.5, scope: 'global', skipFirstAndLast: false, board });
    // round(0.5 x 8) = 4 smallest of [2, 2, 0.4, 0.5 | 0.01, 0.02, 0.03, 1]: 0.01, 0.02, 0.03, 0.4.
    assert.deepEqual(int8Values(named(graph, 'A/filter')), [4, 4, 0, 5]);
    assert.deepEqual(int8Values(named(graph, 'B/filter')), [0, 0, 0, 100]);
    assert.deepEqual(report.layers.map((l) => l.sparsity), [0.25, 0.75]);
    assert.equal(report.globalSparsity, 0.5);
    assert.equal(report.weightsZeroed, 4);
  });

  it('per layer on the same graph: half of each layer', () => {
    const { graph } = pruneMagnitude(twoConvs(), { sparsity: 0.5, scope: 'per-layer', skipFirstAndLast: false, board });
    assert.deepEqual(int8Values(named(graph, 'A/filter')), [4, 4, 0, 0]);
    assert.deepEqual(int8Values(named(graph, 'B/filter')), [0, 0, 3, 100]);
  });

  it('counts weights that were already zero towards the target', () => {
    const b = new GraphBuilder();
    const x = b.activation('x', [1, 1, 1, 4], 0.05, 0);
    const f = b.int8('f', [1, 1, 1, 4], [0, 0, 0, 9], [0.1]);
    const y = b.activation('y', [1, 1, 1, 1], 0.1, 0);
    b.op('CONV_2D', [x, f, -1], [y], CONV);
    const { report } = pruneMagnitude(b.build([x], [y]), { sparsity: 0.5, scope: 'per-layer', skipFirstAndLast: false, board });
    // Target round(0.5 x 4) = 2 zeros, but 3 are zero already: nothing to zero, sparsity 0.75.
    assert.deepEqual(report.layers.map((l) => [l.zerosBefore, l.zeroed, l.sparsity]), [[3, 0, 0.75]]);
  });

  it('refuses asymmetric int8 weights', () => {
    const b = new GraphBuilder();
    const x = b.activation('x', [1, 4], 0.05, 0);
    const w = b.int8('w', [2, 4], [1, 2, 3, 4, 5, 6, 7, 8], [0.1], 0, [3]);
    const y = b.activation('y', [1, 2], 0.1, 0);
    b.op('FULLY_CONNECTED', [x, w, -1], [y], {});
    assert.throws(() => pruneMagnitude(b.build([x], [y]), { sparsity: 0.5, scope: 'per-layer', skipFirstAndLast: false, board }), (e: unknown) => e instanceof PruneError && /asymmetric.*zero point 3/.test(e.message));
  });

  it('refuses a sparsity outside [0, 1]', () => {
    assert.throws(() => pruneMagnitude(twoConvs(), { sparsity: 1.5, scope: 'global' }), PruneError);
  });

  it('float weights: magnitude is |w|', () => {
    const b = new GraphBuilder();
    const x = b.floatActivation('x', [1, 1, 1, 2]);
    const f = b.float32('f', [2, 1, 1, 2], [0.5, -0.1, -3, 0.2]);
    const y = b.floatActivation('y', [1, 1, 1, 2]);
    b.op('CONV_2D', [x, f, -1], [y], CONV);
    const { graph } = pruneMagnitude(b.build([x], [y]), { sparsity: 0.5, scope: 'per-layer', skipFirstAndLast: false, board });
    // Smallest two of |0.5|, |-0.1|, |-3|, |0.2|: -0.1 and 0.2.
    assert.deepEqual(float32Values(named(graph, 'f')), [0.5, 0, -3, 0]);
  });

  it('ONNX Conv and Gemm initializers', () => {
    const bytes = new OnnxBuilder(13)
      .input('X', 'float32', [1, 2, 1, 1])
      .initializer('W', 'float32', [2, 2, 1, 1], [1, -2, 0.5, 4])
      .node('Conv', ['X', 'W'], ['Y'])
      .initializer('G', 'float32', [2, 2], [0.25, -8, 3, -0.75])
      .node('Flatten', ['Y'], ['F'])
      .node('Gemm', ['F', 'G'], ['Z'])
      .output('Z', 'float32', [1, 2])
      .build();
    const original = readOnnx(bytes);
    const { graph, report } = pruneMagnitude(original, { sparsity: 0.5, scope: 'per-layer', skipFirstAndLast: false, board });
    const values = (g: Graph, name: string) => float32Values(named(g, name)).map((v) => Math.round(v * 1000) / 1000);
    // W: the two smallest of 1, 2, 0.5, 4 -> 0.5 and 1. G: 0.25 and 0.75.
    assert.deepEqual(values(graph, 'W'), [0, -2, 0, 4]);
    assert.deepEqual(values(graph, 'G'), [0, -8, 3, 0]);
    assert.deepEqual(values(original, 'W'), [1, -2, 0.5, 4]);
    assert.deepEqual(report.layers.map((l) => l.op), ['Conv', 'Gemm']);
  });

  it('reports no budget gain: TFLM has no sparse kernels', () => {
    const { report } = pruneMagnitude(threeConvs(), { sparsity: 0.5, scope: 'per-layer', board });
    assert.deepEqual(report.budget.after, report.budget.before);
    assert.match(report.notes.join(' '), /no sparse kernels/);
    // conv1: 6 int8 weights, 3 left non-zero: 1 bitmask byte + 3 bytes against 6 dense bytes.
    assert.deepEqual(report.bitmaskEncoding, { denseBytes: 6, encodedBytes: 4 });
  });

  it('sparsity 0 leaves outputs identical', () => {
    const original = threeConvs();
    const { report } = pruneMagnitude(original, { sparsity: 0, scope: 'global', board, inputs: [[new Float32Array(12).fill(0.5)]] });
    assert.equal(report.weightsZeroed, 0);
    assert.equal(report.accuracy?.identicalOutputs, true);
  });
});
