// TFLite -> ONNX on the shared models that hold the ops added to the converter (PAD, TRANSPOSE,
// MEAN, CONCATENATION, TANH, ...): each op type, cut out of the model with the engine's own values
// at its input, runs in onnxruntime-node as the engine runs it in the TFLite graph: exactly for
// ops that copy int8 codes, within one step for the others (the ONNX rounds the exact result
// once, TFLM's fixed point may land a step away). The whole model converts without layout moves
// inside and its integer (QLinear) form runs in onnxruntime exactly as in our ONNX engine (the
// QDQ form's float convs sum in another order there, a step apart now and then, which deep
// models carry on: qdqRoundTrip.test.ts). Whole-model agreement with TFLM is not asked for:
// per-op flips of one step grow through deep stacks of depthwise convs (tfliteToOnnx.test.ts).

import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tfliteToOnnx } from '../../../server/src/convert';
import { prepareEngine } from '../../../server/src/engine/engine';
import type { TensorData } from '../../../server/src/engine/kernels/kernel';
import type { Graph, Operator } from '../../../server/src/model/graph';
import { readOnnx } from '../../../server/src/model/onnx/reader';
import { readTflite } from '../../../server/src/model/tflite/reader';
import { prepareInspectableEngine } from '../../../server/src/quantize/calibrate';
import { modelsDir, sharedModel } from '../../helpers/shared';
import { lcg, runEngine, runOrt } from '../engine/onnx/ortPeer';

const ADDED = new Set(['PAD', 'PADV2', 'TRANSPOSE', 'MEAN', 'CONCATENATION', 'TANH', 'LOGISTIC', 'HARD_SWISH', 'LEAKY_RELU', 'MUL', 'SUB', 'RELU', 'RELU6', 'SQUEEZE', 'EXPAND_DIMS']);
/** Ops whose TFLM int8 kernels copy codes, which the ONNX model copies as they are. */
const COPIES = new Set(['PAD', 'PADV2', 'TRANSPOSE', 'CONCATENATION', 'RESHAPE', 'SQUEEZE', 'EXPAND_DIMS']);

function tfliteFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? tfliteFiles(p) : p.endsWith('.tflite') ? [relative(modelsDir, p)] : [];
  });
}

/** Shared int8 models holding an added op that the converter and the engine both take whole. */
function candidates(): string[] {
  return tfliteFiles(modelsDir).filter((path) => {
    const graph = readTflite(sharedModel(path));
    const sg = graph.subgraphs[0];
    if (graph.subgraphs.length !== 1 || sg.tensors[sg.inputs[0]].dtype !== 'int8' || !sg.operators.some((op) => ADDED.has(op.opType))) return false;
    try {
      tfliteToOnnx(graph);
      prepareEngine(graph);
      return true;
    } catch {
      return false;
    }
  });
}

/** `op` alone, reading its computed inputs as model inputs. */
function cutOut(graph: Graph, op: Operator): Graph {
  const sg = graph.subgraphs[0];
  const inputs = op.inputs.filter((i) => i >= 0 && !(sg.tensors[i].data && sg.tensors[i].data!.length > 0));
  return { ...graph, subgraphs: [{ ...sg, operators: [{ ...op, index: 0 }], inputs, outputs: [...op.outputs] }] };
}

function maxStep(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe('tfliteToOnnx on the shared models with the added ops', function () {
  this.timeout(120_000);
  const models = candidates();

  it('finds such a model', () => assert.ok(models.length > 0));

  for (const path of models) {
    it(`${path}: every op type alone runs in onnxruntime as in the engine, copies exactly, the rest within one step`, async () => {
      const graph = readTflite(sharedModel(path));
      const sg = graph.subgraphs[0];
      const engine = prepareInspectableEngine(graph);
      const random = lcg(3);
      const input = sg.tensors[sg.inputs[0]];
      engine.invoke([Int8Array.from({ length: input.shape.reduce((a, b) => a * b, 1) }, () => Math.floor(random() * 256) - 128)]);
      const firsts = new Map<string, Operator>();
      for (const op of sg.operators) if (!firsts.has(op.opType)) firsts.set(op.opType, op);
      const checked: string[] = [];
      for (const [opType, op] of firsts) {
        const one = cutOut(graph, op);
        const x = one.subgraphs[0].inputs.map((i) => engine.tensor(i).data.slice() as TensorData);
        const single = prepareEngine(one);
        single.invoke(x);
        const tflm = single.outputs[0].data;
        for (const mode of ['qdq', 'qlinear'] as const) {
          const [ort] = await runOrt(tfliteToOnnx(one, { quantized: mode }), x);
          const steps = maxStep(tflm, ort);
          assert.ok(steps <= (COPIES.has(opType) ? 0 : 1), `${opType} (op ${op.index}, ${mode}): ${steps} steps from TFLM`);
        }
        checked.push(opType);
      }
      assert.ok(checked.some((t) => ADDED.has(t)), checked.join(' '));

      // Layout moves at the 4-D model edges at most, besides the model's own TRANSPOSEs: PAD, MEAN
      // and the rest work on NCHW values in place.
      const onnx = tfliteToOnnx(graph);
      const moves = readOnnx(onnx).subgraphs[0].operators.filter((op) => op.opType === 'Transpose').length;
      const allowed = sg.operators.filter((op) => op.opType === 'TRANSPOSE').length + [...sg.inputs, ...sg.outputs].filter((i) => sg.tensors[i].shape.length === 4).length;
      assert.ok(moves <= allowed, `${moves} Transpose nodes, ${allowed} allowed`);
      const x = Int8Array.from(engine.tensor(sg.inputs[0]).data);
      const [ort] = await runOrt(onnx, [x]);
      const [ours] = runEngine(onnx, [x]);
      assert.deepEqual(Array.from(ours), Array.from(ort), 'onnxruntime vs our ONNX engine');
    });
  }
});
