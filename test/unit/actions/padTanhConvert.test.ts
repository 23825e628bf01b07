// `tinyml convert` round trips of a model with PAD and TANH (what PyTorch models carry as explicit
// padding and nn.Tanh), float and int8, through runModelAction as the CLI runs it. References:
// onnxruntime-node on the written ONNX against the engine on the TFLite model, and the model
// converted back against the original. And `tinyml quantize` of an ONNX model whose Concat joins a
// ReLU6 branch and a Sigmoid branch (the shared parameters the engine requires of CONCATENATION).

import assert from 'node:assert/strict';
import { runModelAction } from '../../../server/src/actions';
import { prepareEngine } from '../../../server/src/engine/engine';
import type { TensorData } from '../../../server/src/engine/kernels/kernel';
import type { Graph } from '../../../server/src/model/graph';
import { readOnnx } from '../../../server/src/model/onnx/reader';
import { readTflite } from '../../../server/src/model/tflite/reader';
import { writeTflite } from '../../../server/src/model/tflite/writer';
import { flattenNet } from '../../helpers/torchLikeModels';
import { TfliteGraph } from '../convert/tfliteGraphs';
import { floats, maxRelativeError, runEngine, runOrt } from '../engine/onnx/ortPeer';
import { BOARD } from './fixtures';

/** x [1, 6, 6, 3] -> 1x1 conv -> PAD 1 on H and W -> 3x3 conv -> TANH. */
function padTanh(): Graph {
  const g = new TfliteGraph(21);
  const x = g.input([1, 6, 6, 3]);
  const padded = g.pad(g.conv(x, 4), [[0, 0], [1, 1], [1, 1], [0, 0]]);
  const t = g.op('TANH', [g.conv(padded, 4, 3)], [1, 6, 6, 4]);
  return g.graph([x], [t]);
}

function run(graph: Graph, inputs: TensorData[]): TensorData {
  const engine = prepareEngine(graph);
  engine.invoke(inputs);
  return engine.outputs[0].data.slice();
}

function ops(graph: Graph): string[] {
  return graph.subgraphs[0].operators.map((op) => op.opType);
}

describe('model actions: convert a model with PAD and TANH', function () {
  this.timeout(60_000);
  const source = () => ({ bytes: writeTflite(padTanh()), fileName: 'padtanh.tflite' });

  it('float TFLite -> ONNX -> TFLite: onnxruntime and the model converted back agree with the original to float rounding', async () => {
    const original = readTflite(source().bytes);
    const there = runModelAction(source(), { kind: 'convert', to: 'onnx' }, undefined, BOARD);
    assert.equal(there.report.output.fileName, 'padtanh.onnx');
    const onnxOps = new Set(readOnnx(there.bytes).subgraphs[0].operators.map((op) => op.opType));
    assert.ok(onnxOps.has('Pad') && onnxOps.has('Tanh'), [...onnxOps].join(' '));
    // The report's figures: the ONNX engine's run against the original's, layer by layer.
    assert.ok(there.report.accuracy.maxAbsError < 1e-5, `max error ${there.report.accuracy.maxAbsError}`);
    for (const l of there.report.perLayer) assert.ok(l.identical || l.snrDb! > 100, `${l.op} ${l.tensor}: ${l.snrDb} dB`);

    const back = runModelAction({ bytes: there.bytes, fileName: 'padtanh.onnx' }, { kind: 'convert', to: 'tflite' }, undefined, BOARD);
    const returned = readTflite(back.bytes);
    assert.deepEqual(ops(returned), ops(original));
    for (const seed of [1, 2]) {
      const x = floats(108, seed, -2, 2);
      const reference = run(original, [x]);
      const [ort] = (await runOrt(there.bytes, [x])) as TensorData[];
      assert.ok(maxRelativeError(ort, reference) <= 1e-5, `onnxruntime: ${maxRelativeError(ort, reference)}`);
      assert.ok(maxRelativeError(run(returned, [x]), reference) <= 1e-5, 'converted back');
    }
  });

  it('int8 TFLite (tinyml quantize) -> QDQ ONNX -> TFLite: the figures track the original, converted back byte for byte', async () => {
    const samples = [1, 2, 3, 4].map((s) => [floats(108, 10 + s, -2, 2)]);
    const quantized = runModelAction(source(), { kind: 'quantize' }, { samples, description: '4 test inputs', generated: false }, BOARD);
    const int8 = readTflite(quantized.bytes);
    assert.deepEqual(ops(int8), ops(readTflite(source().bytes)));
    const there = runModelAction({ bytes: quantized.bytes, fileName: 'padtanh_int8.tflite' }, { kind: 'convert', to: 'onnx' }, undefined, BOARD);
    assert.ok(there.report.notes.some((n) => /QDQ/.test(n)));
    // The report: our ONNX engine against the int8 original. Each requantizing op may land a step
    // (1/128 at TANH's output) from TFLM and the convs carry such flips on: a few outputs a step or
    // two off keep the SNR above 40 dB, where a wrong pad value (not the zero point) along the
    // border would not. PAD copies codes: it adds nothing to its input's error.
    const r = there.report;
    assert.ok(r.accuracy.outputSnrDb! > 40, `output SNR ${r.accuracy.outputSnrDb} dB`);
    const [conv, pad] = r.perLayer;
    assert.deepEqual([conv.op, pad.op], ['CONV_2D', 'PAD']);
    assert.ok(Math.abs(pad.snrDb! - conv.snrDb!) < 1e-9, `PAD ${pad.snrDb} dB after CONV_2D ${conv.snrDb} dB`);
    const back = runModelAction({ bytes: there.bytes, fileName: 'padtanh_int8.onnx' }, { kind: 'convert', to: 'tflite' }, undefined, BOARD);
    const returned = readTflite(back.bytes);
    assert.deepEqual(ops(returned), ops(int8));
    const q = int8.subgraphs[0].tensors[int8.subgraphs[0].inputs[0]].quantization!;
    for (const seed of [5, 6]) {
      const x = Int8Array.from(floats(108, seed, -2, 2), (v) => Math.max(-128, Math.min(127, Math.round(v / q.scale[0]) + q.zeroPoint[0])));
      const reference = run(int8, [x]);
      // onnxruntime runs what our ONNX engine runs, a step apart at most (qdqRoundTrip.test.ts).
      const [ort] = (await runOrt(there.bytes, [x])) as TensorData[];
      const [ours] = runEngine(there.bytes, [x]);
      let worst = 0;
      for (let i = 0; i < ort.length; i++) worst = Math.max(worst, Math.abs(ort[i] - ours[i]));
      assert.ok(worst <= 1, `onnxruntime ${worst} steps from our ONNX engine`);
      assert.deepEqual(Array.from(run(returned, [x])), Array.from(reference), 'converted back');
    }
  });
});

describe('model actions: quantize an ONNX model with a Concat of a ReLU6 and a Sigmoid branch', function () {
  this.timeout(60_000);

  it('the quantized model runs, its CONCATENATION operands share parameters, and it tracks the float model', () => {
    const model = flattenNet();
    const samples = [1, 2, 3, 4].map((s) => [floats(3 * 14 * 14, s, -1, 1)]);
    const result = runModelAction({ bytes: model.bytes, fileName: 'net.onnx' }, { kind: 'quantize' }, { samples, description: '4 test inputs', generated: false }, BOARD);
    const sg = readTflite(result.bytes).subgraphs[0];
    const concat = sg.operators.find((op) => op.opType === 'CONCATENATION')!;
    const out = sg.tensors[concat.outputs[0]].quantization!;
    for (const i of concat.inputs) assert.deepEqual(sg.tensors[i].quantization, out);
    assert.ok(result.report.notes.some((n) => /requantized LOGISTIC/.test(n)), result.report.notes.join('\n'));
    // Against the float ONNX model on these inputs (test/unit/quantize/sharedParams.test.ts says why).
    assert.ok(result.report.accuracy.outputSnrDb! > 35, `${result.report.accuracy.outputSnrDb} dB`);
  });
});
