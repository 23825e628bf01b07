// Parameters shared where TFLM's int8 kernels copy values without rescaling: the quantized graphs
// must pass the engine's TFLM checks (CONCATENATION refuses operands quantized unlike its output,
// PADV2 a pad value unlike it), hold the union of the calibrated ranges, and track the float model.

import assert from 'node:assert/strict';
import { onnxToTflite } from '../../../server/src/convert';
import { prepareEngine } from '../../../server/src/engine/engine';
import type { Graph, Subgraph, Tensor } from '../../../server/src/model/graph';
import { readOnnx } from '../../../server/src/model/onnx/reader';
import { seededRandom } from '../../../server/src/quantize/generator';
import { activationParams } from '../../../server/src/quantize/params';
import { quantizeModel } from '../../../server/src/quantize/quantize';
import { validate } from '../../../server/src/quantize/report';
import { flattenNet } from '../../helpers/torchLikeModels';
import { graphOf } from '../engine/graphBuilder';

function samples(graph: Graph, n: number, seed: number, lo = -1, hi = 1): Float32Array[][] {
  const random = seededRandom(seed);
  const sg = graph.subgraphs[0];
  return Array.from({ length: n }, () => sg.inputs.map((i) => Float32Array.from({ length: sg.tensors[i].shape.reduce((a, b) => a * b, 1) }, () => lo + (hi - lo) * random())));
}

function params(t: Tensor): [number, number] {
  return [t.quantization!.scale[0], t.quantization!.zeroPoint[0]];
}

function opsOf(sg: Subgraph, opType: string) {
  return sg.operators.filter((op) => op.opType === opType);
}

/** A 1x1 CONV_2D of `input` to `outC` channels with weights w[o][i] = scale x (o + 1) x (i % 2 ? -1 : 1). */
function conv(tensors: Parameters<typeof graphOf>[0], input: number, inC: number, outC: number, scale: number) {
  const w = Float32Array.from({ length: outC * inC }, (_, k) => scale * (Math.floor(k / inC) + 1) * (k % 2 ? -1 : 1));
  tensors.push({ shape: [outC, 1, 1, inC], dtype: 'float32', data: w }, { shape: [outC], dtype: 'float32', data: new Float32Array(outC).fill(scale / 10) }, { shape: [1, 4, 4, outC], dtype: 'float32' });
  const n = tensors.length;
  return { opType: 'CONV_2D', inputs: [input, n - 3, n - 2], outputs: [n - 1], options: { padding: 'VALID', strideW: 1, strideH: 1, dilationW: 1, dilationH: 1, fusedActivation: 'NONE' } };
}

/**
 * x [1, 4, 4, 2] -> conv A (3 channels, small weights) and conv B (2 channels, 20x larger) ->
 * CONCATENATION on channels; conv A's output is also reshaped into a second model output.
 */
function twoBranches(): Graph {
  const tensors: Parameters<typeof graphOf>[0] = [{ shape: [1, 4, 4, 2], dtype: 'float32' }];
  const a = conv(tensors, 0, 2, 3, 0.1);
  const b = conv(tensors, 0, 2, 2, 2);
  tensors.push({ shape: [1, 4, 4, 5], dtype: 'float32' }, { shape: [2], dtype: 'int32', data: Int32Array.of(1, 48) }, { shape: [1, 48], dtype: 'float32' });
  const n = tensors.length;
  return graphOf(
    tensors,
    [a, b, { opType: 'CONCATENATION', inputs: [a.outputs[0], b.outputs[0]], outputs: [n - 3], options: { axis: 3, fusedActivation: 'NONE' } }, { opType: 'RESHAPE', inputs: [a.outputs[0], n - 2], outputs: [n - 1] }],
    [0],
    [n - 3, n - 1],
  );
}

describe('quantize: parameters shared by same-scale ops', () => {
  it('concatenated conv branches share the union of their ranges, and so does every other reader of a branch', () => {
    const float = twoBranches();
    const q = quantizeModel(float, { samples: samples(float, 16, 1) });
    const sg = q.graph.subgraphs[0];
    assert.deepEqual(sg.operators.map((op) => op.opType), ['CONV_2D', 'CONV_2D', 'CONCATENATION', 'RESHAPE'], 'no requantizing op');
    const [concat] = opsOf(sg, 'CONCATENATION');
    const [a, b] = concat.inputs;
    // Branch B's range (weights 20x larger) dominates; both branches get the union's parameters.
    const ra = q.ranges.get(float.subgraphs[0].operators[0].outputs[0])!;
    const rb = q.ranges.get(float.subgraphs[0].operators[1].outputs[0])!;
    assert.ok(rb.max - rb.min > 10 * (ra.max - ra.min), `${JSON.stringify(ra)} ${JSON.stringify(rb)}`);
    const union = activationParams(Math.min(ra.min, rb.min), Math.max(ra.max, rb.max));
    for (const t of [a, b, concat.outputs[0], opsOf(sg, 'RESHAPE')[0].outputs[0]]) assert.deepEqual(params(sg.tensors[t]), [Math.fround(union.scale), union.zeroPoint], sg.tensors[t].name);
    // validate runs it on the engine. The union costs branch A resolution (its values fill a
    // twentieth of the range: ~20 dB on its own), but the concatenation, dominated by branch B,
    // keeps the ~40 dB of one int8 rounding of values that fill their range.
    const report = validate(float, q.graph, samples(float, 8, 2));
    assert.ok(report.outputSnrDb > 35, `output SNR ${report.outputSnrDb} dB`);
    const reshaped = report.perLayer.find((l) => l.op === 'RESHAPE')!;
    assert.ok(reshaped.snrDb > 15 && reshaped.snrDb < report.outputSnrDb - 10, `branch A SNR ${reshaped.snrDb} dB`);
  });

  it('flattenNet: a ReLU6 conv branch and a LOGISTIC branch concatenate after a requantizing QUANTIZE; the model runs and tracks the float one', () => {
    const float = onnxToTflite(readOnnx(flattenNet().bytes));
    const q = quantizeModel(float, { samples: samples(float, 16, 3) });
    const sg = q.graph.subgraphs[0];
    const [concat] = opsOf(sg, 'CONCATENATION');
    const out = params(sg.tensors[concat.outputs[0]]);
    for (const i of concat.inputs) assert.deepEqual(params(sg.tensors[i]), out, `operand ${sg.tensors[i].name}`);
    // LOGISTIC keeps TFLM's fixed output (1/256, -128); a QUANTIZE moves it to the shared parameters.
    const [logistic] = opsOf(sg, 'LOGISTIC');
    assert.deepEqual(params(sg.tensors[logistic.outputs[0]]), [1 / 256, -128]);
    const requantize = sg.operators.find((op) => op.opType === 'QUANTIZE' && op.inputs[0] === logistic.outputs[0]);
    assert.ok(requantize && concat.inputs.includes(requantize.outputs[0]));
    assert.ok(q.notes.some((n) => /requantized LOGISTIC/.test(n)), q.notes.join('\n'));
    // The union of the two branches' calibrated ranges; LOGISTIC's 1/256 would have clipped the
    // ReLU6 branch, which reaches past 1.
    const fsg = float.subgraphs[0];
    const [relu6, sigmoid] = opsOf(fsg, 'CONCATENATION')[0].inputs.map((i) => q.ranges.get(i)!);
    assert.ok(relu6.max > 1, `ReLU6 branch range ${JSON.stringify(relu6)}`);
    const union = activationParams(Math.min(relu6.min, sigmoid.min), Math.max(relu6.max, sigmoid.max));
    assert.deepEqual(out, [Math.fround(union.scale), union.zeroPoint]);
    assert.doesNotThrow(() => prepareEngine(q.graph));
    // Held-out inputs. One int8 rounding of values with rms sigma over a range R has SNR
    // 10 log10(12 (255 sigma / R)^2) = 58.9 + 20 log10(sigma / R) dB: ~40-45 dB for activations
    // whose rms is a tenth to a fifth of their range; eight layers of it stay near 40 dB (measured
    // 42.6 at the output, 46.9 at the concatenation). A concatenation at LOGISTIC's 1/256 would
    // clip the ReLU6 branch above 1 and fall far below these bounds.
    const report = validate(float, q.graph, samples(float, 16, 4));
    assert.ok(report.outputSnrDb > 35, `output SNR ${report.outputSnrDb} dB`);
    const layer = report.perLayer.find((l) => l.op === 'CONCATENATION');
    assert.ok(layer && layer.snrDb > 40, `concatenation SNR ${layer?.snrDb} dB`);
  });

  it('LOGISTIC outputs concatenated with each other keep their fixed parameters, with no requantizing op', () => {
    const g = graphOf(
      [
        { shape: [1, 4], dtype: 'float32' },
        { shape: [1, 4], dtype: 'float32' },
        { shape: [1, 4], dtype: 'float32' },
        { shape: [1, 4], dtype: 'float32' },
        { shape: [1, 8], dtype: 'float32' },
      ],
      [
        { opType: 'LOGISTIC', inputs: [0], outputs: [2] },
        { opType: 'LOGISTIC', inputs: [1], outputs: [3] },
        { opType: 'CONCATENATION', inputs: [2, 3], outputs: [4], options: { axis: 1, fusedActivation: 'NONE' } },
      ],
      [0, 1],
      [4],
    );
    const q = quantizeModel(g, { samples: samples(g, 8, 5, -4, 4) });
    const sg = q.graph.subgraphs[0];
    assert.deepEqual(sg.operators.map((op) => op.opType), ['LOGISTIC', 'LOGISTIC', 'CONCATENATION']);
    for (const t of [2, 3, 4]) assert.deepEqual(params(sg.tensors[t]), [1 / 256, -128]);
    const engine = prepareEngine(q.graph);
    // x = 0 gives sigmoid 0.5, code 0; x = 3 (as quantized) gives code round(256 sigmoid(x)) - 128.
    const z0 = params(sg.tensors[0])[1];
    const [s1, z1] = params(sg.tensors[1]);
    const three = Math.round(3 / s1) + z1;
    engine.invoke([Int8Array.of(z0, z0, z0, z0), Int8Array.of(three, three, three, three)]);
    const expected = Math.round(256 / (1 + Math.exp(-(three - z1) * s1))) - 128;
    assert.deepEqual(Array.from(engine.outputs[0].data).slice(0, 4), [0, 0, 0, 0]);
    for (const v of Array.from(engine.outputs[0].data).slice(4)) assert.ok(Math.abs(v - expected) <= 1, `${v} vs ${expected}`);
  });

  it('a model input concatenated with a conv output takes the union parameters, for int8 and float interfaces', () => {
    const tensors: Parameters<typeof graphOf>[0] = [{ shape: [1, 4, 4, 2], dtype: 'float32' }];
    const c = conv(tensors, 0, 2, 3, 1);
    tensors.push({ shape: [1, 4, 4, 5], dtype: 'float32' });
    const g = graphOf(tensors, [c, { opType: 'CONCATENATION', inputs: [0, c.outputs[0]], outputs: [tensors.length - 1], options: { axis: 3, fusedActivation: 'NONE' } }], [0], [tensors.length - 1]);
    for (const io of ['int8', 'float'] as const) {
      const q = quantizeModel(g, { samples: samples(g, 8, 6) }, { io });
      const sg = q.graph.subgraphs[0];
      const [concat] = opsOf(sg, 'CONCATENATION');
      for (const i of concat.inputs) assert.deepEqual(params(sg.tensors[i]), params(sg.tensors[concat.outputs[0]]));
      assert.equal(opsOf(sg, 'QUANTIZE').length, io === 'float' ? 1 : 0, 'only the float interface adds a QUANTIZE');
      // The input's values (uniform in [-1, 1], sigma 0.58) fill only part of the union range the
      // conv output widens: 58.9 + 20 log10(sigma / R) puts the output near 32 dB.
      const report = validate(g, q.graph, samples(g, 8, 7));
      assert.ok(report.outputSnrDb > 28, `${io}: output SNR ${report.outputSnrDb} dB`);
    }
  });

  it('PADV2 pads with a constant quantized at the shared parameters, which hold the pad value', () => {
    const g = graphOf(
      [
        { shape: [1, 2, 2, 1], dtype: 'float32' },
        { shape: [4, 2], dtype: 'int32', data: Int32Array.of(0, 0, 1, 1, 1, 1, 0, 0) },
        { shape: [], dtype: 'float32', data: Float32Array.of(3) },
        { shape: [1, 4, 4, 1], dtype: 'float32' },
      ],
      [{ opType: 'PADV2', inputs: [0, 1, 2], outputs: [3] }],
      [0],
      [3],
    );
    const q = quantizeModel(g, { samples: samples(g, 8, 8) }, { io: 'float' });
    const sg = q.graph.subgraphs[0];
    const [pad] = opsOf(sg, 'PADV2');
    const p = params(sg.tensors[pad.outputs[0]]);
    assert.deepEqual(params(sg.tensors[pad.inputs[0]]), p);
    assert.deepEqual(params(sg.tensors[pad.inputs[2]]), p);
    // Range [-1, 3] from the inputs and the pad value: scale 4/255.
    assert.ok(Math.abs(p[0] - 4 / 255) < 4 / 255 / 50, `scale ${p[0]}`);
    const engine = prepareEngine(q.graph);
    engine.invoke([Float32Array.of(0.5, -0.5, 0.25, -0.25)]);
    const y = Array.from(engine.outputs[0].data);
    assert.ok(Math.abs(y[0] - 3) <= p[0] / 2 + 1e-6, `pad value ${y[0]}`);
    assert.ok(Math.abs(y[5] - 0.5) <= p[0] / 2 + 1e-6, `inner value ${y[5]}`);
  });

  it('a standalone RELU6 keeps its input\'s parameters, as TFLM clamps the codes without rescaling', () => {
    const g = graphOf([{ shape: [1, 8], dtype: 'float32' }, { shape: [1, 8], dtype: 'float32' }], [{ opType: 'RELU6', inputs: [0], outputs: [1] }], [0], [1]);
    const q = quantizeModel(g, { samples: samples(g, 8, 9, -3, 9) }, { io: 'float' });
    const sg = q.graph.subgraphs[0];
    const [relu6] = opsOf(sg, 'RELU6');
    const p = params(sg.tensors[relu6.inputs[0]]);
    assert.deepEqual(params(sg.tensors[relu6.outputs[0]]), p);
    const engine = prepareEngine(q.graph);
    const x = Float32Array.of(-3, -0.5, 0, 0.3, 2.5, 5.9, 6.5, 9);
    engine.invoke([x]);
    // Each output within half a step (plus the input's rounding) of clamp(x, 0, 6).
    Array.from(engine.outputs[0].data).forEach((y, i) => assert.ok(Math.abs(y - Math.min(6, Math.max(0, x[i]))) <= p[0] * 0.5 + 1e-6, `${x[i]} -> ${y}`));
  });
});
