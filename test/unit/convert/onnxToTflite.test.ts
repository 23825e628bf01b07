// ONNX -> TFLite: PyTorch-style float models (test/helpers/torchLikeModels.ts) run in
// onnxruntime-node and, converted and written to a .tflite and read back, in our TFLM-exact engine;
// the shared float TFLite models go TFLite -> ONNX -> TFLite and must give the same outputs.

import assert from 'node:assert/strict';
import { ConvertError, onnxToTflite, tfliteToOnnx } from '../../../server/src/convert';
import { prepareEngine } from '../../../server/src/engine/engine';
import type { Graph } from '../../../server/src/model/graph';
import { readOnnx } from '../../../server/src/model/onnx/reader';
import { readTflite } from '../../../server/src/model/tflite/reader';
import { writeTflite } from '../../../server/src/model/tflite/writer';
import { OnnxBuilder } from '../../helpers/onnxBuilder';
import { sharedModel } from '../../helpers/shared';
import { TORCH_LIKE_MODELS, dsCnn, flattenNet, layoutOps, lcg, mlp, smallCnn } from '../../helpers/torchLikeModels';
import { maxRelativeError, runOrt } from '../engine/onnx/ortPeer';

/**
 * Float agreement bound, relative to max(|a|, |b|, 1). Both sides compute in float32 but sum in
 * different orders (onnxruntime's MLAS GEMM-based convolutions block and vectorize their sums; the
 * engine sums taps in TFLite's reference order) and the converter folds BatchNormalization into the
 * weights in double before one float32 rounding, where onnxruntime applies it as a second float
 * op: each of those differs by a few float32 ulps (6e-8 relative) per value, over layer sums of at
 * most a few hundred terms and a handful of layers, which stays two orders below 1e-5.
 */
const FLOAT_BOUND = 1e-5;

function random(n: number, seed: number): Float32Array {
  const r = lcg(seed);
  return Float32Array.from({ length: n }, () => r() * 4 - 2);
}

/** [N, C, H, W] values reordered to [N, H, W, C]. */
function toNhwc(x: Float32Array, [n, c, h, w]: number[]): Float32Array {
  const out = new Float32Array(x.length);
  let o = 0;
  for (let b = 0; b < n; b++) for (let y = 0; y < h; y++) for (let z = 0; z < w; z++) for (let k = 0; k < c; k++) out[o++] = x[((b * c + k) * h + y) * w + z];
  return out;
}

function runTflite(graph: Graph, input: Float32Array): Float32Array {
  return runTfliteAll(graph, input)[0];
}

function runTfliteAll(graph: Graph, input: Float32Array): Float32Array[] {
  const engine = prepareEngine(graph);
  engine.invoke([input]);
  return engine.outputs.map((o) => Float32Array.from(o.data));
}

/** max |a - b| over the largest |b|: the bound must also hold at the scale of small outputs. */
function normalizedError(a: Float32Array, b: Float32Array): number {
  let diff = 0, scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return a.length === b.length ? diff / Math.max(scale, 1e-30) : Infinity;
}

/** Through the .tflite bytes, as the converted model would be deployed. */
function roundTrip(graph: Graph): Graph {
  return readTflite(writeTflite(graph));
}

function opTypes(graph: Graph): string[] {
  return graph.subgraphs[0].operators.map((op) => op.opType);
}

const report: string[] = [];

describe('onnxToTflite: PyTorch-style float models against onnxruntime', function () {
  this.timeout(120_000);

  for (const make of TORCH_LIKE_MODELS) {
    const model = make();
    it(`${model.name}: the converted TFLite model matches onnxruntime within ${FLOAT_BOUND}`, async () => {
      const tflite = roundTrip(onnxToTflite(readOnnx(model.bytes)));
      let worst = 0, largest = 0;
      for (const seed of [11, 12, 13]) {
        const x = random(model.inputShape.reduce((a, b) => a * b, 1), seed);
        const orts = (await runOrt(model.bytes, [x])) as Float32Array[];
        const nhwc = model.inputShape.length === 4 ? toNhwc(x, model.inputShape) : x;
        const ours = runTfliteAll(tflite, nhwc);
        assert.equal(ours.length, orts.length);
        orts.forEach((ort, k) => {
          const e = Math.max(maxRelativeError(ours[k], ort), normalizedError(ours[k], ort));
          assert.ok(e <= FLOAT_BOUND, `seed ${seed}, output ${k}: error ${e}`);
          worst = Math.max(worst, e);
          largest = Math.max(largest, ...Array.from(ort, Math.abs));
        });
      }
      report.push(`${model.name}: max error ${worst.toExponential(2)} (largest output ${largest.toPrecision(3)})`);
    });
  }

  it('keepNchwInput keeps the input NCHW and transposes inside, with the same outputs', async () => {
    const model = smallCnn();
    const tflite = roundTrip(onnxToTflite(readOnnx(model.bytes), { keepNchwInput: true }));
    const sg = tflite.subgraphs[0];
    assert.deepEqual(sg.tensors[sg.inputs[0]].shape, [1, 3, 32, 32]);
    assert.equal(sg.operators[0].opType, 'TRANSPOSE');
    const x = random(3 * 32 * 32, 5);
    const [ort] = await runOrt(model.bytes, [x]);
    assert.ok(maxRelativeError(runTflite(tflite, x), ort as Float32Array) <= FLOAT_BOUND);
  });
});

after(() => {
  if (process.env.TINYML_REPORT && report.length > 0) console.log(`\nonnxToTflite:\n  ${report.join('\n  ')}`);
});

describe('onnxToTflite: structure', () => {
  it('folds BatchNormalization, fuses ReLU, maps group == channels to DEPTHWISE_CONV_2D, needs no TRANSPOSE', () => {
    const graph = onnxToTflite(readOnnx(smallCnn().bytes));
    const ops = opTypes(graph);
    const sg = graph.subgraphs[0];
    assert.deepEqual(sg.tensors[sg.inputs[0]].shape, [1, 32, 32, 3]);
    assert.ok(!ops.includes('MUL') && !ops.includes('TRANSPOSE'), ops.join(' '));
    assert.equal(ops.filter((o) => o === 'CONV_2D').length, 4);
    const dw = sg.operators.filter((op) => op.opType === 'DEPTHWISE_CONV_2D');
    assert.equal(dw.length, 1);
    assert.deepEqual(sg.tensors[dw[0].inputs[1]].shape, [1, 3, 3, 8]);
    // PyTorch's stride-2 padding 1 is not SAME (which pads 0 before, 1 after): an explicit PAD.
    assert.equal(ops.filter((o) => o === 'PAD').length, 1);
    assert.equal(dw[0].options.padding, 'VALID');
    // Three conv blocks, the residual's first conv and the Add carry the ReLU.
    assert.equal(sg.operators.filter((op) => op.options.fusedActivation === 'RELU').length, 5);
    assert.ok(!ops.includes('RELU'));
    assert.ok(ops.includes('MEAN') && ops.includes('MAX_POOL_2D') && ops.includes('SOFTMAX'));
  });

  it('permutes the dense weights after a Flatten of an NHWC map instead of transposing', () => {
    const graph = onnxToTflite(readOnnx(flattenNet().bytes));
    const ops = opTypes(graph);
    assert.ok(!ops.includes('TRANSPOSE'), ops.join(' '));
    const sg = graph.subgraphs[0];
    const dw = sg.operators.find((op) => op.opType === 'DEPTHWISE_CONV_2D');
    assert.equal(dw?.options.depthMultiplier, 2);
    const concat = sg.operators.find((op) => op.opType === 'CONCATENATION');
    assert.equal(concat?.options.axis, 3);
    assert.ok(sg.operators.some((op) => op.opType === 'CONV_2D' && op.options.fusedActivation === 'RELU6'));
  });

  it('turns a standalone BatchNormalization into MUL and ADD, and MatMul + Add into one FULLY_CONNECTED', () => {
    const ops = opTypes(onnxToTflite(readOnnx(mlp().bytes)));
    assert.deepEqual(ops, ['FULLY_CONNECTED', 'MUL', 'ADD', 'FULLY_CONNECTED', 'FULLY_CONNECTED', 'TANH', 'FULLY_CONNECTED']);
  });

  it('handles the DS-CNN stem padding (5, 1) with a PAD before a VALID conv', () => {
    const sg = onnxToTflite(readOnnx(dsCnn().bytes)).subgraphs[0];
    assert.deepEqual(sg.tensors[sg.inputs[0]].shape, [1, 49, 10, 1]);
    assert.equal(sg.operators[0].opType, 'PAD');
    assert.equal(sg.operators.filter((op) => op.opType === 'DEPTHWISE_CONV_2D').length, 2);
  });

  it('cancels layout Transposes, keeps a real one, pads a MaxPool with the lowest float, adds RELU where it cannot fuse', () => {
    const sg = onnxToTflite(readOnnx(layoutOps().bytes)).subgraphs[0];
    assert.deepEqual(sg.operators.map((op) => op.opType), ['CONV_2D', 'SUB', 'CONCATENATION', 'RELU', 'PADV2', 'MAX_POOL_2D', 'TRANSPOSE', 'RESHAPE']);
    const pad = sg.operators[4];
    assert.equal(new Float32Array(sg.tensors[pad.inputs[2]].data!.slice().buffer)[0], -3.4028234663852886e38);
    assert.deepEqual(sg.tensors[sg.operators[1].inputs[1]].shape, [4]);
  });

  it('names the node, op type and reason of what it cannot convert', () => {
    const erf = new OnnxBuilder().input('x', 'float32', [1, 4]).node('Erf', ['x'], ['y'], {}, { name: 'gelu_erf' }).output('y', 'float32', [1, 4]).build();
    assert.throws(() => onnxToTflite(readOnnx(erf)), (e: unknown) => e instanceof ConvertError && /node 'gelu_erf' \(Erf\): op not supported/.test(e.message));
    const matmul = new OnnxBuilder().input('a', 'float32', [2, 3]).input('b', 'float32', [3, 2]).node('MatMul', ['a', 'b'], ['y'], {}, { name: 'mm' }).output('y', 'float32', [2, 2]).build();
    assert.throws(() => onnxToTflite(readOnnx(matmul)), (e: unknown) => e instanceof ConvertError && /node 'mm' \(MatMul\): the weight \(input 1\) must be a constant/.test(e.message));
    const clip = new OnnxBuilder().input('x', 'float32', [1, 4]).initializer('lo', 'float32', [], [-2]).initializer('hi', 'float32', [], [2])
      .node('Clip', ['x', 'lo', 'hi'], ['y'], {}, { name: 'c' }).output('y', 'float32', [1, 4]).build();
    assert.throws(() => onnxToTflite(readOnnx(clip)), (e: unknown) => e instanceof ConvertError && /Clip\(-2, 2\)/.test(e.message));
  });
});

describe('TFLite -> ONNX -> TFLite on the shared float models', function () {
  this.timeout(120_000);

  for (const path of ['mlperf-tiny/vww_96_float', 'mlperf-tiny/pretrainedResnet', 'mlperf-tiny/ad01_fp32']) {
    it(`${path}: same outputs in our engine before and after the round trip`, () => {
      const original = readTflite(sharedModel(`${path}.tflite`));
      const back = roundTrip(onnxToTflite(readOnnx(tfliteToOnnx(original))));
      const sg = original.subgraphs[0], bg = back.subgraphs[0];
      assert.deepEqual(bg.tensors[bg.inputs[0]].shape, sg.tensors[sg.inputs[0]].shape);
      // The op sequence comes back: SAME pads are recognized, weights permuted back, no layout ops left.
      assert.deepEqual(opTypes(back), opTypes(original));
      const n = sg.tensors[sg.inputs[0]].shape.reduce((a, b) => a * b, 1);
      let worst = 0;
      for (const seed of [21, 22]) {
        const x = random(n, seed);
        const e = maxRelativeError(runTflite(back, x), runTflite(original, x));
        // Tighter than 1e-5: the same ops on the same float32 weights in the same order.
        assert.equal(e, 0, `seed ${seed}: max relative error ${e}`);
        worst = Math.max(worst, e);
      }
      report.push(`${path} round trip: max relative error ${worst}`);
    });
  }
});
