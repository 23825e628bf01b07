// TFLite -> ONNX per op (PAD, PADV2, TANH, LOGISTIC, HARD_SWISH, LEAKY_RELU, RELU, RELU6, MUL,
// SUB, ADD, CONCATENATION, TRANSPOSE, MEAN, SQUEEZE, EXPAND_DIMS) on small built graphs, each op
// both where its input is held NCHW (after a conv) and where it is not. References: the engine's
// run of the TFLite graph (TFLM-exact) against onnxruntime-node's run of the written ONNX. Float
// graphs agree within 1e-5 relative. Their int8 forms, made by quantizeModel, run in both modes:
// the copying ops (PAD, CONCATENATION, TRANSPOSE, reshapes) on the int8 codes as TFLM does, so
// exactly; the others as QDQ, within one step of TFLM (qdqRoundTrip.test.ts: ONNX rounds the
// exact result once, TFLM's fixed point can land a step away).

import assert from 'node:assert/strict';
import { ConvertError, onnxToTflite, tfliteToOnnx } from '../../../server/src/convert';
import { prepareEngine } from '../../../server/src/engine/engine';
import type { TensorData } from '../../../server/src/engine/kernels/kernel';
import type { Graph } from '../../../server/src/model/graph';
import { readOnnx } from '../../../server/src/model/onnx/reader';
import { readTflite } from '../../../server/src/model/tflite/reader';
import { writeTflite } from '../../../server/src/model/tflite/writer';
import { quantizeModel } from '../../../server/src/quantize/quantize';
import { floats, maxRelativeError, runEngine, runOrt } from '../engine/onnx/ortPeer';
import { TfliteGraph } from './tfliteGraphs';

interface Case {
  name: string;
  /** TFLite ops the case is about, which must all be in the graph. */
  ops: string[];
  graph: () => Graph;
  /** Copying ops only: the int8 forms must match TFLM exactly. */
  exact?: boolean;
  /** Calibration and test input range (default [-2, 2]). */
  range?: [number, number];
  /**
   * Transpose nodes in the float ONNX model: layout moves at the model's 4-D edges and for
   * layout-blind ops (RESHAPE), and the graph's own TRANSPOSEs, none around the op under test.
   */
  transposes: number;
}

const CASES: Case[] = [
  {
    name: 'PAD of an NCHW-held conv output, then a 3x3 conv',
    transposes: 2,
    ops: ['PAD'],
    graph: () => {
      const g = new TfliteGraph(1);
      const x = g.input([1, 5, 5, 3]);
      const padded = g.pad(g.conv(x, 4), [[0, 0], [1, 2], [2, 1], [0, 0]]);
      return g.graph([x], [g.conv(padded, 2, 3)]);
    },
  },
  {
    name: 'PAD and PADV2 of plain values',
    transposes: 0,
    ops: ['PAD', 'PADV2'],
    exact: true,
    graph: () => {
      const g = new TfliteGraph(2);
      const x = g.input([2, 6]);
      return g.graph([x], [g.pad(g.pad(x, [[0, 1], [2, 1]]), [[1, 0], [0, 3]], 1.5)]);
    },
  },
  {
    name: 'copies only: PAD, CONCATENATION of a value with itself, TRANSPOSE and RESHAPE',
    ops: ['PAD', 'CONCATENATION', 'TRANSPOSE', 'RESHAPE'],
    exact: true,
    transposes: 1,
    graph: () => {
      const g = new TfliteGraph(9);
      const x = g.input([1, 3, 3, 2]);
      const p = g.pad(x, [[0, 0], [1, 0], [0, 1], [0, 0]]);
      return g.graph([x], [g.reshape(g.transpose(g.concat([p, p], 3), [0, 3, 1, 2]), [1, 64])]);
    },
  },
  {
    name: 'TANH, LOGISTIC and a standalone RELU after convs',
    transposes: 3,
    ops: ['TANH', 'LOGISTIC', 'RELU'],
    graph: () => {
      const g = new TfliteGraph(3);
      const x = g.input([1, 4, 4, 3]);
      const t = g.op('TANH', [g.conv(x, 4)], [1, 4, 4, 4]);
      return g.graph([x], [g.op('RELU', [t], [1, 4, 4, 4]), g.op('LOGISTIC', [g.conv(x, 2)], [1, 4, 4, 2])]);
    },
  },
  {
    name: 'HARD_SWISH, LEAKY_RELU and RELU6',
    transposes: 2,
    ops: ['HARD_SWISH', 'LEAKY_RELU', 'RELU6'],
    range: [-6, 6],
    graph: () => {
      const g = new TfliteGraph(4);
      const x = g.input([1, 3, 3, 4]);
      const h = g.op('HARD_SWISH', [g.conv(x, 4)], [1, 3, 3, 4]);
      const l = g.op('LEAKY_RELU', [x], [1, 3, 3, 4], { alpha: 0.125 });
      return g.graph([x], [h, g.op('RELU6', [l], [1, 3, 3, 4])]);
    },
  },
  {
    name: 'MUL by a per-channel constant, SUB and ADD of activations',
    transposes: 2,
    ops: ['MUL', 'SUB', 'ADD'],
    graph: () => {
      const g = new TfliteGraph(5);
      const x = g.input([1, 4, 4, 3]);
      const s = g.op('LOGISTIC', [g.conv(x, 4)], [1, 4, 4, 4]);
      const m = g.op('MUL', [s, g.floats([4], [0.5, -1, 2, 1.5])], [1, 4, 4, 4], { fusedActivation: 'NONE' });
      const d = g.op('SUB', [m, g.conv(x, 4)], [1, 4, 4, 4], { fusedActivation: 'RELU' });
      const flat = g.input([1, 6]);
      return g.graph([x, flat], [d, g.op('ADD', [flat, g.floats([1, 6], [1, 2, 3, -1, -2, -3])], [1, 6], { fusedActivation: 'NONE' })]);
    },
  },
  {
    name: 'CONCATENATION of NCHW-held branches on channels, and of plain dense outputs',
    transposes: 2,
    ops: ['CONCATENATION'],
    graph: () => {
      const g = new TfliteGraph(6);
      const x = g.input([1, 4, 4, 3]);
      const joined = g.concat([g.conv(x, 2), g.conv(x, 3, 1, 'RELU6')], 3);
      const flat = g.reshape(x, [1, 48]);
      return g.graph([x], [g.conv(joined, 2), g.concat([g.dense(flat, 4), g.dense(flat, 3)], 1)]);
    },
  },
  {
    name: 'TRANSPOSE from an NCHW input to NHWC, and back out of a conv',
    transposes: 2,
    ops: ['TRANSPOSE'],
    graph: () => {
      const g = new TfliteGraph(7);
      const x = g.input([1, 3, 5, 4]);
      const c = g.conv(g.transpose(x, [0, 2, 3, 1]), 2);
      return g.graph([x], [g.transpose(c, [0, 3, 1, 2]), g.transpose(g.reshape(c, [1, 20, 2]), [0, 2, 1])]);
    },
  },
  {
    name: 'MEAN over H and W (kept and dropped) and over channels, SQUEEZE and EXPAND_DIMS',
    transposes: 1,
    ops: ['MEAN', 'SQUEEZE', 'EXPAND_DIMS'],
    graph: () => {
      const g = new TfliteGraph(8);
      const x = g.input([1, 5, 5, 3]);
      const c = g.conv(x, 6);
      const kept = g.op('SQUEEZE', [g.mean(c, [1, 2], true)], [1, 6], { squeezeDims: [1, 2] });
      const channels = g.op('EXPAND_DIMS', [g.mean(c, [3], false), g.int32s([], [3])], [1, 5, 5, 1]);
      return g.graph([x], [kept, g.mean(c, [1, 2], false), channels]);
    },
  },
];

function inputsFor(graph: Graph, seed: number, [lo, hi]: [number, number]): Float32Array[] {
  const sg = graph.subgraphs[0];
  return sg.inputs.map((i, k) => floats(sg.tensors[i].shape.reduce((a, b) => a * b, 1), seed + k, lo, hi));
}

function runTflite(graph: Graph, inputs: TensorData[]): TensorData[] {
  const engine = prepareEngine(graph);
  engine.invoke(inputs);
  return engine.outputs.map((o) => o.data.slice());
}

/** The float inputs as the int8 model's codes. */
function quantizeInputs(graph: Graph, inputs: Float32Array[]): Int8Array[] {
  const sg = graph.subgraphs[0];
  return inputs.map((x, k) => {
    const q = sg.tensors[sg.inputs[k]].quantization!;
    return Int8Array.from(x, (v) => Math.max(-128, Math.min(127, Math.round(v / q.scale[0]) + q.zeroPoint[0])));
  });
}

/** [N, C, H, W] values as [N, H, W, C], or back with `inverse`. */
function moveChannels(x: ArrayLike<number>, [n, c, h, w]: number[], inverse = false): number[] {
  const out = new Array<number>(x.length);
  let o = 0;
  for (let i = 0; i < n; i++) {
    for (let y = 0; y < h; y++) {
      for (let z = 0; z < w; z++) {
        for (let k = 0; k < c; k++, o++) {
          const at = ((i * c + k) * h + y) * w + z;
          if (inverse) out[at] = x[o];
          else out[o] = x[at];
        }
      }
    }
  }
  return out;
}

/**
 * Runs `back` (converted back from `int8` through ONNX) on `int8`'s inputs and gives its outputs
 * in `int8`'s layout: the ONNX -> TFLite converter takes a 4-D value that feeds or leaves convs
 * for an NCHW image and makes it NHWC at the model's edges.
 */
function runBack(back: Graph, int8: Graph, inputs: Int8Array[]): number[][] {
  const [a, b] = [int8.subgraphs[0], back.subgraphs[0]];
  const moved = (from: number[], to: number[]) => from.join() !== to.join() && to.join() === [from[0], from[2], from[3], from[1]].join();
  const x = inputs.map((v, k) => {
    const [from, to] = [a.tensors[a.inputs[k]].shape, b.tensors[b.inputs[k]].shape];
    return moved(from, to) ? Int8Array.from(moveChannels(v, from)) : v;
  });
  return runTflite(back, x).map((y, k) => {
    const [want, got] = [a.tensors[a.outputs[k]].shape, b.tensors[b.outputs[k]].shape];
    return moved(want, got) ? moveChannels(y, want, true) : Array.from(y);
  });
}

function maxStep(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

const report: string[] = [];

describe('tfliteToOnnx per op: onnxruntime on the ONNX model against the engine on the TFLite graph', function () {
  this.timeout(60_000);

  for (const c of CASES) {
    it(`${c.name}: float within 1e-5`, async () => {
      const graph = c.graph();
      const types = graph.subgraphs[0].operators.map((op) => op.opType);
      for (const op of c.ops) assert.ok(types.includes(op), `${op} in ${types.join(' ')}`);
      const onnx = tfliteToOnnx(graph);
      assert.equal(readOnnx(onnx).subgraphs[0].operators.filter((op) => op.opType === 'Transpose').length, c.transposes, 'Transpose nodes');
      for (const seed of [1, 2]) {
        const x = inputsFor(graph, seed, c.range ?? [-2, 2]);
        const ort = await runOrt(onnx, x);
        const ours = runTflite(graph, x);
        ours.forEach((o, k) => assert.ok(maxRelativeError(o, ort[k]) <= 1e-5, `output ${k}: ${maxRelativeError(o, ort[k])}`));
      }
    });

    for (const mode of ['qdq', 'qlinear'] as const) {
      it(`${c.name}: int8 (${mode}) ${c.exact ? 'exactly as' : 'within one step of'} TFLM`, async () => {
        const float = c.graph();
        const range = c.range ?? [-2, 2];
        const int8 = quantizeModel(float, { samples: [10, 11, 12, 13].map((s) => inputsFor(float, s, range)) }).graph;
        const types = int8.subgraphs[0].operators.map((op) => op.opType);
        for (const op of c.ops) assert.ok(types.includes(op), `${op} in ${types.join(' ')}`);
        const onnx = tfliteToOnnx(int8, { quantized: mode });
        let worst = 0;
        for (const seed of [1, 2]) {
          const x = quantizeInputs(int8, inputsFor(float, seed, range));
          const ort = await runOrt(onnx, x);
          const ours = runTflite(int8, x);
          // Our ONNX engine runs the same model (the convert action validates with it).
          const engine = runEngine(onnx, x);
          ours.forEach((o, k) => {
            worst = Math.max(worst, maxStep(o, ort[k]));
            assert.ok(maxStep(engine[k], ort[k]) <= 1, `output ${k}: our ONNX engine vs onnxruntime`);
          });
        }
        if (mode === 'qdq') {
          // Read back, the QDQ model is the int8 TFLite graph again, whatever it runs on the inputs gives.
          const back = readTflite(writeTflite(onnxToTflite(readOnnx(onnx))));
          for (const seed of [3, 4]) {
            const x = quantizeInputs(int8, inputsFor(float, seed, range));
            assert.deepEqual(runBack(back, int8, x), runTflite(int8, x).map((o) => Array.from(o)), 'converted back');
          }
        }
        report.push(`${c.name} (${mode}): max ${worst} step(s) from TFLM`);
        assert.ok(worst <= (c.exact ? 0 : 1), `${worst} steps from TFLM`);
      });
    }
  }

  after(() => {
    if (process.env.TINYML_REPORT) console.log(`\n  ${report.join('\n  ')}`);
  });
});

describe('tfliteToOnnx: ops it does not convert', () => {
  it('names the op, its index and what it converts instead', () => {
    const g = new TfliteGraph(10);
    const x = g.input([1, 8]);
    const begin = g.int32s([2], [0, 2]), end = g.int32s([2], [1, 6]), strides = g.int32s([2], [1, 1]);
    const sliced = g.op('STRIDED_SLICE', [g.dense(x, 8), begin, end, strides], [1, 4], { beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0 });
    const graph = g.graph([x], [sliced]);
    assert.doesNotThrow(() => prepareEngine(graph), 'the engine runs it');
    assert.throws(() => tfliteToOnnx(graph), (e: unknown) => e instanceof ConvertError && /^op 1 \(STRIDED_SLICE\): not supported by the TFLite -> ONNX converter, which converts .*PAD, PADV2/.test(e.message));
  });
});
