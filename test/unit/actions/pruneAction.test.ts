// The prune action on real models: channel pruning makes the int8 KWS model smaller and cheaper
// and the written file runs; its accuracy figures equal the pruner's own measurement (a separate
// implementation); magnitude pruning's reported sparsity is the zeros counted in the written file.

import assert from 'node:assert/strict';
import { ActionCancelled, ActionError, runModelAction } from '../../../server/src/actions';
import { prepareEngine } from '../../../server/src/engine/engine';
import type { TensorData } from '../../../server/src/engine/kernels/kernel';
import { readOnnx } from '../../../server/src/model/onnx/reader';
import { readTflite } from '../../../server/src/model/tflite/reader';
import { measureAccuracy } from '../../../server/src/prune';
import { maxRelativeError, runEngine, runOrt } from '../engine/onnx/ortPeer';
import { BOARD, helloFloat, kwsInputs, kwsInt8 } from './fixtures';

function zeros(data: Uint8Array, elementBytes: number): number {
  let n = 0;
  for (let i = 0; i < data.length; i += elementBytes) if (data.subarray(i, i + elementBytes).every((b) => b === 0)) n++;
  return n;
}

describe('model actions: prune', function () {
  this.timeout(60_000);

  it('structured: fewer MACs and weight bytes, a model that runs, and the pruner’s own accuracy figures', () => {
    const set = kwsInputs(8, 3);
    const source = kwsInt8();
    const result = runModelAction(source, { kind: 'prune', sparsity: 0.5, structured: true }, set, BOARD);
    const r = result.report;
    assert.equal(r.output.fileName, 'kws_ref_model.pruned50-channels.tflite');
    assert.ok(r.budget.after.macs < r.budget.before.macs, `${r.budget.after.macs} MACs after, ${r.budget.before.macs} before`);
    assert.ok(r.budget.after.weightBytes < r.budget.before.weightBytes);
    assert.equal(r.budget.after.flashBytes, result.bytes.length);

    const pruned = readTflite(result.bytes);
    const engine = prepareEngine(pruned);
    engine.invoke();
    assert.equal(engine.outputs[0].data.length, 12);

    // prune/report.ts measures accuracy with its own loop over plain engines: same figures.
    const own = measureAccuracy(readTflite(source.bytes), pruned, set.samples);
    assert.equal(r.accuracy.top1Agreement, own.top1Agreement);
    assert.ok(Math.abs(r.accuracy.outputSnrDb! - own.outputSnrDb!) < 1e-9);
    assert.equal(r.accuracy.maxAbsError, own.maxAbsError);
    assert.ok(Math.abs(r.accuracy.meanAbsError - own.meanAbsError) < 1e-12);

    assert.equal(r.prune?.kind, 'channels');
    if (r.prune?.kind !== 'channels') return;
    const cut = r.prune.layers.filter((l) => l.outChannelsAfter !== null && l.outChannelsAfter < l.outChannelsBefore!);
    assert.ok(cut.length > 0);
    // Layers whose channels went are named as not comparable; the first conv is kept whole and is identical.
    for (const l of cut) assert.ok(r.layersNotCompared.some((n) => n.index === l.index), `op ${l.index} not listed`);
    assert.ok(r.notes.some((n) => n.startsWith('Not compared layer by layer')));
    assert.equal(r.perLayer[0].index, 0);
    assert.equal(r.perLayer[0].identical, true);
    assert.equal(r.perLayer[0].snrDb, null);
  });

  it('magnitude: the reported sparsity is the zeros in the written file', () => {
    const result = runModelAction(kwsInt8(), { kind: 'prune', sparsity: 0.5, scope: 'global' }, kwsInputs(4, 4), BOARD);
    const r = result.report;
    assert.equal(r.prune?.kind, 'magnitude');
    if (r.prune?.kind !== 'magnitude') return;
    const sg = readTflite(result.bytes).subgraphs[0];
    let weights = 0;
    let zero = 0;
    for (const l of r.prune.layers) {
      const filter = sg.tensors[sg.operators[l.index].inputs[1]];
      assert.equal(filter.data!.length, l.weights, `op ${l.index}`); // int8: one byte a weight
      assert.equal(zeros(filter.data!, 1), Math.round(l.sparsity * l.weights), `op ${l.index}`);
      weights += l.weights;
      zero += zeros(filter.data!, 1);
    }
    assert.ok(Math.abs(r.prune.achievedSparsity - zero / weights) < 1e-12);
    assert.ok(r.prune.achievedSparsity >= 0.5);
    // Zeros save nothing in TFLM: the budget stays, and the report says why.
    assert.equal(r.budget.after.macs, r.budget.before.macs);
    assert.ok(r.notes.some((n) => /no sparse kernels/.test(n)));
  });

  it('magnitude on ONNX: the pruned weights are written over the original ones, and the file runs in onnxruntime', async () => {
    const onnx = runModelAction(helloFloat(), { kind: 'convert', to: 'onnx' }, undefined, BOARD).bytes;
    const result = runModelAction({ bytes: onnx, fileName: 'hello.onnx' }, { kind: 'prune', sparsity: 0.75, includeFirstAndLast: true }, undefined, BOARD);
    assert.equal(result.format, 'onnx');
    assert.equal(result.report.output.fileName, 'hello.pruned75.onnx');
    assert.equal(result.bytes.length, onnx.length);
    const p = result.report.prune;
    assert.ok(p?.kind === 'magnitude' && p.layers.length === 3, JSON.stringify(p));
    if (p?.kind !== 'magnitude') return;
    const sg = readOnnx(result.bytes).subgraphs[0];
    for (const l of p.layers) {
      const w = sg.tensors.find((t) => t.name === l.tensor)!;
      assert.equal(zeros(w.data!, 4), Math.round(l.sparsity * l.weights), l.tensor);
    }
    const x = Float32Array.from({ length: 1 }, () => 1.3);
    const [ort] = (await runOrt(result.bytes, [x])) as TensorData[];
    const [ours] = runEngine(result.bytes, [x]);
    assert.ok(maxRelativeError(ort, ours) < 1e-5);
  });

  it('refuses structured pruning of an ONNX model, pointing to conversion', () => {
    const onnx = runModelAction(helloFloat(), { kind: 'convert', to: 'onnx' }, undefined, BOARD).bytes;
    assert.throws(
      () => runModelAction({ bytes: onnx, fileName: 'hello.onnx' }, { kind: 'prune', sparsity: 0.5, structured: true }, undefined, BOARD),
      (e: unknown) => e instanceof ActionError && /convert the ONNX model to TFLite first/.test(e.message),
    );
  });

  it('stops with ActionCancelled after k validation samples', () => {
    let validated = 0;
    assert.throws(
      () =>
        runModelAction(kwsInt8(), { kind: 'prune', sparsity: 0.3 }, kwsInputs(6, 5), BOARD, {
          progress: (m) => {
            if (m.startsWith('Validating ')) validated++;
          },
          cancelled: () => validated >= 3,
        }),
      ActionCancelled,
    );
    assert.equal(validated, 3);
  });
});
