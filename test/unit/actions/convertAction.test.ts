// The convert action: a round trip of the int8 KWS model comes back byte-exact in its outputs;
// float conversions agree to float rounding, layer by layer; a PyTorch-style NCHW ONNX model gets
// its evaluation inputs transposed for the NHWC TFLite model, which the report's figures prove
// (a wrong layout would show as noise), checked against onnxruntime.

import assert from 'node:assert/strict';
import { ActionError, runModelAction } from '../../../server/src/actions';
import { prepareEngine } from '../../../server/src/engine/engine';
import type { TensorData } from '../../../server/src/engine/kernels/kernel';
import { readOnnx } from '../../../server/src/model/onnx/reader';
import { readTflite } from '../../../server/src/model/tflite/reader';
import { flattenNet } from '../../helpers/torchLikeModels';
import { lcg, maxRelativeError, runEngine, runOrt } from '../engine/onnx/ortPeer';
import { BOARD, kwsFloat, kwsInt8 } from './fixtures';

function runInt8(bytes: Uint8Array, x: Int8Array): number[] {
  const engine = prepareEngine(readTflite(bytes));
  engine.invoke([x]);
  return Array.from(engine.outputs[0].data);
}

/** [N, C, H, W] values as [N, H, W, C]. */
function toNhwc(x: Float32Array, [n, c, h, w]: number[]): Float32Array {
  const out = new Float32Array(x.length);
  let o = 0;
  for (let b = 0; b < n; b++) for (let y = 0; y < h; y++) for (let z = 0; z < w; z++) for (let k = 0; k < c; k++) out[o++] = x[((b * c + k) * h + y) * w + z];
  return out;
}

describe('model actions: convert', function () {
  this.timeout(60_000);

  it('int8 TFLite -> QDQ ONNX -> TFLite: the round trip gives the original outputs byte for byte', () => {
    const source = kwsInt8();
    const there = runModelAction(source, { kind: 'convert', to: 'onnx' }, undefined, BOARD);
    assert.equal(there.report.output.fileName, 'kws_ref_model.onnx');
    assert.ok(readOnnx(there.bytes).subgraphs[0].operators.some((op) => op.opType === 'QuantizeLinear'));
    const back = runModelAction({ bytes: there.bytes, fileName: 'kws_ref_model.onnx' }, { kind: 'convert', to: 'tflite' }, undefined, BOARD);
    assert.equal(back.report.output.fileName, 'kws_ref_model.tflite');
    const random = lcg(11);
    for (let s = 0; s < 3; s++) {
      const x = Int8Array.from({ length: 490 }, () => Math.floor(random() * 256) - 128);
      assert.deepEqual(runInt8(back.bytes, x), runInt8(source.bytes, x));
    }
    // ONNX requantizes in float, TFLM in fixed point: a step apart at most here and there, so the
    // class agreement stays whole on these inputs and the SNR high.
    assert.equal(there.report.accuracy.top1Agreement, 1);
    assert.ok(there.report.accuracy.outputSnrDb! > 25, `${there.report.accuracy.outputSnrDb} dB`);
    assert.ok(there.report.notes.some((n) => /QDQ/.test(n)));
  });

  it('float TFLite -> ONNX agrees to float rounding at the output and at every compared layer', async () => {
    const result = runModelAction(kwsFloat(), { kind: 'convert', to: 'onnx' }, undefined, BOARD);
    const r = result.report;
    // A hybrid model: its int8 weights are dequantized (ONNX has no float op on int8 weights).
    assert.ok(r.notes.some((n) => /dequantized to float/.test(n)));
    assert.ok(r.accuracy.outputSnrDb === null || r.accuracy.outputSnrDb > 100, `${r.accuracy.outputSnrDb} dB`);
    assert.ok(r.accuracy.maxAbsError < 1e-5);
    assert.ok(r.perLayer.length >= 10, r.perLayer.map((l) => l.op).join(' '));
    for (const l of r.perLayer) assert.ok(l.identical || l.snrDb! > 100, `${l.op} ${l.tensor}: ${l.snrDb} dB`);
    const x = Float32Array.from({ length: 490 }, (_, i) => Math.sin(i) * 30);
    const [ort] = (await runOrt(result.bytes, [x])) as TensorData[];
    const [ours] = runEngine(result.bytes, [x]);
    assert.ok(maxRelativeError(ort, ours) < 1e-5);
  });

  it('NCHW ONNX -> NHWC TFLite: the figures match onnxruntime on the original and the engine on transposed inputs', async () => {
    const model = flattenNet();
    const result = runModelAction({ bytes: model.bytes, fileName: 'net.onnx' }, { kind: 'convert', to: 'tflite' }, undefined, BOARD);
    const r = result.report;
    const tflite = readTflite(result.bytes);
    assert.deepEqual(tflite.subgraphs[0].tensors[tflite.subgraphs[0].inputs[0]].shape, [1, 14, 14, 3]);
    assert.ok(r.notes.some((n) => /input .*\[1, 3, 14, 14\] -> \[1, 14, 14, 3\]/.test(n)), r.notes.join('\n'));
    // Generated inputs: recompute output 0's largest error with onnxruntime as the reference.
    assert.equal(r.evaluation.generated, true);
    const random = lcg(3);
    let worst = 0;
    for (let s = 0; s < 3; s++) {
      const x = Float32Array.from({ length: 3 * 14 * 14 }, () => random() * 2 - 1);
      const [ort] = (await runOrt(model.bytes, [x])) as Float32Array[];
      const engine = prepareEngine(tflite);
      engine.invoke([toNhwc(x, model.inputShape)]);
      worst = Math.max(worst, maxRelativeError(ort, engine.outputs[0].data));
    }
    assert.ok(worst < 1e-5, `engine on NHWC inputs vs onnxruntime: ${worst}`);
    assert.ok(r.accuracy.maxAbsError < 1e-4, `report: max error ${r.accuracy.maxAbsError}`);
    // The [1, 8, 8, 8] map reads the same as NHWC and NCHW: the ops that made it tell the layouts
    // apart, and a wrong transposition would show as noise. Flattened, its element orders differ:
    // left out, with the reason. A Clip fused into the conv is compared with the conv's output.
    assert.deepEqual(r.layersNotCompared.map((l) => [l.op, l.tensor]), [['Reshape', 'reshape_20']]);
    assert.match(r.layersNotCompared[0].reason, /flattened from a 4-D activation/);
    assert.ok(r.perLayer.some((l) => l.tensor === 'relu_19') && r.perLayer.some((l) => l.tensor === 'clip_5'));
    assert.ok(!r.perLayer.some((l) => l.tensor === 'conv_2'), 'the conv before the fused Clip has no tensor of its own');
    for (const l of r.perLayer) assert.ok(l.identical || l.snrDb! > 90, `${l.op} ${l.tensor}: ${l.snrDb} dB`);
  });

  it('refuses a conversion to the format the model already has', () => {
    assert.throws(() => runModelAction(kwsInt8(), { kind: 'convert', to: 'tflite' }, undefined, BOARD), (e: unknown) => e instanceof ActionError && /already TFLite/.test(e.message));
  });

  it('refuses a file that is not a model, naming it', () => {
    assert.throws(
      () => runModelAction({ bytes: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), fileName: 'junk.tflite' }, { kind: 'convert', to: 'onnx' }, undefined, BOARD),
      (e: unknown) => e instanceof ActionError && /^junk\.tflite: not a \.tflite flatbuffer/.test(e.message),
    );
  });
});
