import assert from 'node:assert/strict';
import { findBoard } from '../../../server/src/analysis/boards';
import { prepareEngine } from '../../../server/src/engine/engine';
import { readTflite } from '../../../server/src/model/tflite/reader';
import { calibrate, entropyThreshold, percentileRange } from '../../../server/src/quantize/calibrate';
import { seededRandom } from '../../../server/src/quantize/generator';
import { activationParams, adjustScalesForBias, quantizeBias, quantizeWeights, weightScales } from '../../../server/src/quantize/params';
import { dequantizeConstant, floatsOf, prepareFloatGraph } from '../../../server/src/quantize/prepare';
import { quantizeModel } from '../../../server/src/quantize/quantize';
import { validate } from '../../../server/src/quantize/report';
import { sharedModel } from '../../helpers/shared';
import { graphOf } from '../engine/graphBuilder';

/** x[1,4] -> FC(2 units) -> y[1,2], float, weights [[1,2,3,4],[-1,0,1,2]], bias [0.5,-0.5]. */
function floatFc(act = 'NONE') {
  return graphOf(
    [
      { shape: [1, 4], dtype: 'float32' },
      { shape: [2, 4], dtype: 'float32', data: new Float32Array([1, 2, 3, 4, -1, 0, 1, 2]) },
      { shape: [2], dtype: 'float32', data: new Float32Array([0.5, -0.5]) },
      { shape: [1, 2], dtype: 'float32' },
    ],
    [{ opType: 'FULLY_CONNECTED', inputs: [0, 1, 2], outputs: [3], options: { fusedActivation: act, weightsFormat: 'DEFAULT', keepNumDims: false } }],
    [0],
    [3],
  );
}

function samples(n: number, seed: number, size = 4): Float32Array[][] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => [Float32Array.from({ length: size }, () => random() * 2 - 1)]);
}

describe('quantize/params', () => {
  it('nudges activation ranges to contain 0 and rounds the zero point from the minimum', () => {
    assert.deepEqual(activationParams(0, 6), { scale: Math.fround(6 / 255), zeroPoint: -128 });
    assert.deepEqual(activationParams(1, 6), { scale: Math.fround(6 / 255), zeroPoint: -128 }); // min raised to 0
    const p = activationParams(-1, 3);
    assert.equal(p.scale, Math.fround(4 / 255));
    assert.equal(p.zeroPoint, Math.round(-128 + 1 / p.scale));
    assert.deepEqual(activationParams(0, 0), { scale: 1, zeroPoint: 0 });
  });

  it('quantizes weights symmetrically per channel along the given axis', () => {
    // [2 channels, 2] along axis 0: channel 0 max 4, channel 1 max 0.5.
    const w = new Float32Array([4, -2, 0.5, 0.25]);
    const scales = weightScales(w, [2, 2], 0);
    assert.deepEqual(scales, [Math.fround(4 / 127), Math.fround(0.5 / 127)]);
    assert.deepEqual(Array.from(quantizeWeights(w, [2, 2], 0, scales)), [127, -64, 127, 64]);
    // Depthwise layout [1, 1, 1, 2] along axis 3.
    assert.deepEqual(weightScales(new Float32Array([1, -2]), [1, 1, 1, 2], 3), [Math.fround(1 / 127), Math.fround(2 / 127)]);
  });

  it('puts biases at input scale x weight scale and raises dead channels\' weight scale so they fit', () => {
    const b = quantizeBias(new Float32Array([1, -1]), 0.5, [0.01, 0.02]);
    assert.deepEqual(Array.from(b.data), [200, -100]);
    const scales = [1e-30, 0.01];
    assert.equal(adjustScalesForBias(scales, new Float32Array([3, 1]), 0.5), 1);
    assert.ok(Math.abs(3 / (0.5 * scales[0])) <= 2 ** 30 * 1.0001);
    assert.equal(quantizeBias(new Float32Array([3, 1]), 0.5, scales).clamped, 0);
  });
});

describe('quantize/calibrate', () => {
  it('percentile ranges cut the tails at bin edges', () => {
    const h = new Float64Array(100).fill(10000);
    h[0] = 1;
    h[99] = 1;
    const r = percentileRange(h, { min: 0, max: 100 }, 99.99);
    assert.equal(r.min, 1);
    assert.equal(r.max, 99);
  });

  it('entropy keeps most of a ReLU-shaped (half-normal) distribution and clips its sparse tail', () => {
    const random = seededRandom(3);
    const values: number[] = [];
    for (let i = 0; i < 100000; i++) values.push(Math.max(0, Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12))) * Math.cos(2 * Math.PI * random())));
    const absMax = Math.max(...values);
    const h = new Float64Array(2048);
    for (const v of values) h[Math.min(2047, Math.floor(v / (absMax / 2048)))]++;
    const t = entropyThreshold(h, absMax);
    assert.ok(t > 2.5 && t <= absMax, `threshold ${t} of ${absMax}`);
  });

  it('entropy keeps the observed range of a tensor whose values sit away from zero', () => {
    // y = x + (-50) for x in [-1, 1]: values in [-51, -49]. A |x| histogram from zero would put the
    // threshold near 49 and clip everything into [-49.x, -49]; the observed range is kept instead.
    const g = graphOf(
      [
        { shape: [1, 256], dtype: 'float32' },
        { shape: [1], dtype: 'float32', data: new Float32Array([-50]) },
        { shape: [1, 256], dtype: 'float32' },
      ],
      [{ opType: 'ADD', inputs: [0, 1], outputs: [2], options: { fusedActivation: 'NONE' } }],
      [0],
      [2],
    );
    const random = seededRandom(7);
    const samples = Array.from({ length: 100 }, () => [Float32Array.from({ length: 256 }, () => 2 * random() - 1)]);
    const minmax = calibrate(g, samples, 'minmax').get(2)!;
    const entropy = calibrate(g, samples, 'entropy').get(2)!;
    assert.ok(minmax.min < -50.99 && minmax.max > -49.01, JSON.stringify(minmax));
    assert.deepEqual(entropy, minmax);
  });
});

describe('quantize/prepare', () => {
  it('dequantizes hybrid int8 weights exactly, per channel', () => {
    const g = readTflite(sharedModel('mlperf-tiny/kws_ref_model_float32.tflite'));
    const hybrid = g.subgraphs[0].tensors[g.subgraphs[0].operators[0].inputs[1]];
    assert.equal(hybrid.dtype, 'int8');
    const prepared = prepareFloatGraph(g);
    const filter = prepared.graph.subgraphs[0].tensors[hybrid.index];
    assert.equal(filter.dtype, 'float32');
    assert.deepEqual(Array.from(floatsOf(filter)), Array.from(dequantizeConstant(hybrid)));
    // The original graph is untouched.
    assert.equal(g.subgraphs[0].tensors[hybrid.index].dtype, 'int8');
    assert.doesNotThrow(() => prepareEngine(prepared.graph));
  });

  it('folds a following per-channel MUL and ADD into the weights and bias, and fuses a RELU', () => {
    const g = graphOf(
      [
        { shape: [1, 2], dtype: 'float32' },
        { shape: [2, 2], dtype: 'float32', data: new Float32Array([1, 2, 3, 4]) },
        { shape: [2], dtype: 'float32', data: new Float32Array([1, -1]) },
        { shape: [1, 2], dtype: 'float32' },
        { shape: [2], dtype: 'float32', data: new Float32Array([2, 3]) },
        { shape: [1, 2], dtype: 'float32' },
        { shape: [2], dtype: 'float32', data: new Float32Array([0.5, -10]) },
        { shape: [1, 2], dtype: 'float32' },
        { shape: [1, 2], dtype: 'float32' },
      ],
      [
        { opType: 'FULLY_CONNECTED', inputs: [0, 1, 2], outputs: [3], options: { fusedActivation: 'NONE' } },
        { opType: 'MUL', inputs: [3, 4], outputs: [5], options: { fusedActivation: 'NONE' } },
        { opType: 'ADD', inputs: [5, 6], outputs: [7], options: { fusedActivation: 'NONE' } },
        { opType: 'RELU', inputs: [7], outputs: [8] },
      ],
      [0],
      [8],
    );
    const { graph, notes } = prepareFloatGraph(g);
    const ops = graph.subgraphs[0].operators;
    assert.deepEqual(ops.map((o) => o.opType), ['FULLY_CONNECTED']);
    assert.equal(ops[0].options.fusedActivation, 'RELU');
    assert.deepEqual(ops[0].outputs, [8]);
    assert.equal(notes.length, 3);
    const engine = prepareEngine(graph);
    engine.invoke([new Float32Array([1, 1])]);
    // x = [1, 1]: FC = [1+2+1, 3+4-1] = [4, 6]; x[2, 3] = [8, 18]; + [0.5, -10] = [8.5, 8]; ReLU.
    assert.deepEqual(Array.from(engine.outputs[0].data), [8.5, 8]);
  });
});

describe('quantize/quantizeModel', () => {
  it('makes a full-integer graph with int32 bias, versions for int8 and a float reference it tracks', () => {
    const float = floatFc('RELU');
    const q = quantizeModel(float, { samples: samples(32, 1) });
    const sg = q.graph.subgraphs[0];
    assert.deepEqual(sg.tensors.map((t) => t.dtype), ['int8', 'int8', 'int32', 'int8']);
    assert.equal(sg.operators[0].version, 4);
    assert.equal(sg.tensors[3].quantization?.zeroPoint[0], -128); // ReLU output: range starts at 0
    const bias = sg.tensors[2].quantization!;
    const inScale = sg.tensors[0].quantization!.scale[0];
    bias.scale.forEach((s, c) => assert.equal(s, Math.fround(inScale * sg.tensors[1].quantization!.scale[c])));
    const report = validate(float, q.graph, samples(32, 2));
    assert.ok(report.outputSnrDb > 30, `SNR ${report.outputSnrDb}`);
    assert.equal(report.top1Agreement, 1);
    assert.equal(report.perLayer.length, 1);
  });

  it('keeps FULLY_CONNECTED per tensor when asked to (older TFLM builds)', () => {
    const q = quantizeModel(floatFc(), { samples: samples(8, 1) }, { perChannelFullyConnected: false });
    assert.equal(q.graph.subgraphs[0].tensors[1].quantization?.scale.length, 1);
    const p = quantizeModel(floatFc(), { samples: samples(8, 1) });
    assert.equal(p.graph.subgraphs[0].tensors[1].quantization?.scale.length, 2);
  });

  it('fixes SOFTMAX output at scale 1/256, zero point -128', () => {
    const g = floatFc();
    g.subgraphs[0].tensors.push({ index: 4, name: 'prob', shape: [1, 2], dtype: 'float32', isVariable: false, buffer: 0 });
    g.subgraphs[0].operators.push({ ...g.subgraphs[0].operators[0], index: 1, opType: 'SOFTMAX', inputs: [3], outputs: [4], options: { beta: 1 } });
    g.subgraphs[0].outputs = [4];
    const q = quantizeModel(g, { samples: samples(8, 1) }, { method: 'entropy' });
    assert.deepEqual(q.graph.subgraphs[0].tensors[4].quantization, { scale: [1 / 256], zeroPoint: [-128], axis: 0 });
    assert.doesNotThrow(() => prepareEngine(q.graph));
  });

  it('warns that generated calibration inputs leave accuracy unproven', () => {
    const q = quantizeModel(floatFc(), { generator: { count: 4 } });
    assert.ok(q.warnings.some((w) => /unproven/.test(w)));
  });

  it('reports the budget before and after on a board: int8 weights take a quarter of the float bytes', () => {
    const float = readTflite(sharedModel('mlperf-tiny/ad01_fp32.tflite'));
    const q = quantizeModel(float, { generator: { count: 4, range: [-60, 20] } });
    const board = findBoard('nucleo-l4r5zi');
    assert.ok(board);
    const report = validate(float, q.graph, samples(2, 9, 640), { board });
    const before = report.budgetBefore!.totals.weightBytes;
    const after = report.budgetAfter!.totals.weightBytes;
    assert.ok(after < before / 3.5 && after > before / 4.5, `${before} -> ${after}`);
  });

  it('validates an unchanged model as a perfect match', () => {
    const report = validate(floatFc(), floatFc(), samples(4, 5));
    assert.equal(report.outputSnrDb, Infinity);
    assert.equal(report.maxAbsError, 0);
  });
});
