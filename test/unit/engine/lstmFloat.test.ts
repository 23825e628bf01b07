import assert from 'node:assert/strict';
import { prepareEngine } from '../../../server/src/engine/engine';
import type { Graph } from '../../../server/src/model/graph';
import { type TensorSpec, graphOf } from './graphBuilder';

// The float32 UNIDIRECTIONAL_SEQUENCE_LSTM against the LSTM equations computed in float64:
//   i = sigmoid(Wi x + Ui h + bi), f = sigmoid(Wf x + Uf h + bf), g = tanh(Wg x + Ug h + bg),
//   o = sigmoid(Wo x + Uo h + bo), c' = clip(f c + i g), h' = o tanh(c').
// Tolerance 1e-6: the kernel rounds every product, sum and activation to float32 (2^-24 relative
// each, a few dozen per step), and the gates' contraction keeps that from growing over steps.
const TOLERANCE = 1e-6;

/** Graph indices: 0 input, 1-4 input-to-{i,f,g,o}, 5-8 recurrent-to-*, 9-12 biases, 13 h, 14 c, 15 output. */
const LSTM_INPUTS = [0, 1, 2, 3, 4, 5, 6, 7, 8, -1, -1, -1, 9, 10, 11, 12, -1, -1, 13, 14, -1, -1, -1, -1];

interface FloatLstm {
  batches: number;
  steps: number;
  inputDim: number;
  stateDim: number;
  /** input-to-{i,f,g,o} then recurrent-to-{i,f,g,o}, row-major [stateDim, cols]. */
  weights: number[][];
  biases: number[][];
  timeMajor?: boolean;
  cellClip?: number;
  activation?: string;
}

function floatLstmGraph(m: FloatLstm): Graph {
  const { batches: B, steps: T, inputDim: I, stateDim: S } = m;
  const seq = (d: number): number[] => (m.timeMajor ? [T, B, d] : [B, T, d]);
  const tensors: TensorSpec[] = [
    { shape: seq(I), dtype: 'float32' },
    ...m.weights.map((w, k): TensorSpec => ({ shape: [S, k < 4 ? I : S], dtype: 'float32', data: Float32Array.from(w) })),
    ...m.biases.map((b): TensorSpec => ({ shape: [S], dtype: 'float32', data: Float32Array.from(b) })),
    { shape: [B, S], dtype: 'float32' },
    { shape: [B, S], dtype: 'float32' },
    { shape: seq(S), dtype: 'float32' },
  ];
  const options = { fusedActivation: m.activation ?? 'TANH', cellClip: m.cellClip ?? 0, timeMajor: m.timeMajor === true };
  const g = graphOf(tensors, [{ opType: 'UNIDIRECTIONAL_SEQUENCE_LSTM', inputs: [...LSTM_INPUTS], outputs: [15], options }], [0], [15]);
  g.subgraphs[0].tensors[13].isVariable = true;
  g.subgraphs[0].tensors[14].isVariable = true;
  return g;
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/** The LSTM equations in float64, batch-major [B, T, I] -> [B, T, S], from a zero state. */
function referenceLstm(m: FloatLstm, x: number[]): number[] {
  const { batches: B, steps: T, inputDim: I, stateDim: S } = m;
  const clip = m.cellClip ?? 0;
  const cellAct = m.activation === 'SIGMOID' ? sigmoid : Math.tanh;
  const y: number[] = [];
  for (let b = 0; b < B; b++) {
    let h = new Array<number>(S).fill(0);
    let c = new Array<number>(S).fill(0);
    for (let t = 0; t < T; t++) {
      const xt = x.slice((b * T + t) * I, (b * T + t + 1) * I);
      const pre = (gate: number): number[] =>
        Array.from({ length: S }, (_, o) => {
          let a = m.biases[gate][o];
          for (let d = 0; d < I; d++) a += m.weights[gate][o * I + d] * xt[d];
          for (let d = 0; d < S; d++) a += m.weights[gate + 4][o * S + d] * h[d];
          return a;
        });
      const i = pre(0).map(sigmoid);
      const f = pre(1).map(sigmoid);
      const g = pre(2).map(cellAct);
      const o = pre(3).map(sigmoid);
      c = c.map((cv, k) => {
        const v = f[k] * cv + i[k] * g[k];
        return clip > 0 ? Math.max(-clip, Math.min(clip, v)) : v;
      });
      h = c.map((cv, k) => o[k] * Math.tanh(cv));
      y.push(...h);
    }
  }
  return y;
}

function assertClose(actual: ArrayLike<number>, expected: number[], tolerance = TOLERANCE): void {
  assert.equal(actual.length, expected.length);
  for (let k = 0; k < expected.length; k++) {
    assert.ok(Math.abs(actual[k] - expected[k]) <= tolerance, `[${k}] ${actual[k]} vs ${expected[k]}`);
  }
}

/** One unit, one input, zero weights: each gate is its bias through its activation. */
function biasOnly(biases: { i: number; f: number; g: number; o: number }, extra: Partial<FloatLstm> = {}): FloatLstm {
  return {
    batches: 1,
    steps: 2,
    inputDim: 1,
    stateDim: 1,
    weights: Array.from({ length: 8 }, () => [0]),
    biases: [[biases.i], [biases.f], [biases.g], [biases.o]],
    ...extra,
  };
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5;
}

function randomLstm(seed: number, m: Omit<FloatLstm, 'weights' | 'biases'>): { model: FloatLstm; x: number[] } {
  const r = lcg(seed);
  const { inputDim: I, stateDim: S } = m;
  const weights = Array.from({ length: 8 }, (_, k) => Array.from({ length: S * (k < 4 ? I : S) }, () => Math.fround(2 * r())));
  const biases = Array.from({ length: 4 }, () => Array.from({ length: S }, () => Math.fround(r())));
  const x = Array.from({ length: m.batches * m.steps * I }, () => Math.fround(4 * r()));
  return { model: { ...m, weights, biases }, x };
}

describe('kernels: UNIDIRECTIONAL_SEQUENCE_LSTM (float32)', () => {
  it('bias-only gates over two steps, worked by hand', () => {
    // i = sigmoid(0) = 0.5, f = sigmoid(1) = 0.7310586, g = tanh(1) = 0.7615942, o = sigmoid(2) = 0.8807971.
    // Step 1: c = 0.5 * 0.7615942 = 0.3807971; h = 0.8807971 * tanh(0.3807971) = 0.8807971 * 0.3633995 = 0.3200812.
    // Step 2: c = 0.7310586 * 0.3807971 + 0.3807971 = 0.6591820; h = 0.8807971 * 0.5778188 = 0.5089411.
    const e = prepareEngine(floatLstmGraph(biasOnly({ i: 0, f: 1, g: 1, o: 2 })));
    e.invoke([new Float32Array([0, 0])]);
    assertClose(e.outputs[0].data, [0.3200812, 0.5089411]);
    assertClose(e.tensor(14).data, [0.659182]);
    assertClose(e.tensor(13).data, [0.5089411]);
  });

  it('clips the cell at cell_clip and takes SIGMOID as the cell activation', () => {
    // Clip 0.5: step 2's c = 0.659 becomes exactly 0.5; h = 0.8807971 * tanh(0.5) = 0.4070314.
    const clipped = prepareEngine(floatLstmGraph(biasOnly({ i: 0, f: 1, g: 1, o: 2 }, { cellClip: 0.5 })));
    clipped.invoke([new Float32Array([0, 0])]);
    assert.equal(clipped.tensor(14).data[0], 0.5);
    assertClose(clipped.outputs[0].data, [0.3200812, 0.4070314]);
    // SIGMOID cell gate: g = sigmoid(1) = 0.7310586; c = 0.3655293; h = 0.8807971 * tanh(0.3655293) = 0.3083451.
    const sig = prepareEngine(floatLstmGraph(biasOnly({ i: 0, f: 1, g: 1, o: 2 }, { steps: 1, activation: 'SIGMOID' })));
    sig.invoke([new Float32Array([0])]);
    assertClose(sig.outputs[0].data, [0.3083451]);
  });

  it('random weights, batch-major, with and without clip, match the float64 equations', () => {
    for (const [seed, cellClip] of [
      [1, 0],
      [2, 0.6],
      [3, 0],
    ]) {
      const { model, x } = randomLstm(seed, { batches: 2, steps: 5, inputDim: 3, stateDim: 4, cellClip });
      const e = prepareEngine(floatLstmGraph(model));
      e.invoke([Float32Array.from(x)]);
      assertClose(e.outputs[0].data, referenceLstm(model, x));
    }
  });

  it('time-major gives the same bits as batch-major on the transposed sequence', () => {
    const dims = { batches: 3, steps: 4, inputDim: 2, stateDim: 3 };
    const { model, x } = randomLstm(7, dims);
    const batchMajor = prepareEngine(floatLstmGraph(model));
    batchMajor.invoke([Float32Array.from(x)]);
    // [B, T, I] -> [T, B, I]
    const { batches: B, steps: T, inputDim: I, stateDim: S } = dims;
    const xt: number[] = [];
    for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) xt.push(...x.slice((b * T + t) * I, (b * T + t + 1) * I));
    const timeMajor = prepareEngine(floatLstmGraph({ ...model, timeMajor: true }));
    timeMajor.invoke([Float32Array.from(xt)]);
    const y = batchMajor.outputs[0].data;
    const yt = timeMajor.outputs[0].data;
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) {
        for (let s = 0; s < S; s++) assert.equal(yt[(t * B + b) * S + s], y[(b * T + t) * S + s], `t${t} b${b} s${s}`);
      }
    }
    // Final states agree too (both are [B, S]).
    assert.deepEqual(Array.from(timeMajor.tensor(14).data), Array.from(batchMajor.tensor(14).data));
  });

  it('state carries over between invokes; reset() replays the first', () => {
    const { model, x } = randomLstm(11, { batches: 1, steps: 3, inputDim: 2, stateDim: 2 });
    const e = prepareEngine(floatLstmGraph(model));
    e.invoke([Float32Array.from(x)]);
    const first = Array.from(e.outputs[0].data);
    // A second invoke continues the sequence: the reference over the doubled sequence.
    e.invoke([Float32Array.from(x)]);
    const doubled = referenceLstm({ ...model, steps: 6 }, [...x, ...x]);
    assertClose(e.outputs[0].data, doubled.slice(6));
    e.reset!();
    e.invoke([Float32Array.from(x)]);
    assert.deepEqual(Array.from(e.outputs[0].data), first);
  });

  it('refuses what TFLM cannot run, naming the input and the type', () => {
    const hybrid = floatLstmGraph(biasOnly({ i: 0, f: 0, g: 0, o: 0 }));
    hybrid.subgraphs[0].tensors[2].dtype = 'int8';
    hybrid.subgraphs[0].tensors[2].quantization = { scale: [1], zeroPoint: [0], axis: 0 };
    assert.throws(() => prepareEngine(hybrid), /input-to-forget weights \(input 2\) type int8 not supported with float32 input/);
    const int16Cell = floatLstmGraph(biasOnly({ i: 0, f: 0, g: 0, o: 0 }));
    int16Cell.subgraphs[0].tensors[14].dtype = 'int16';
    assert.throws(() => prepareEngine(int16Cell), /cell state type int16 not supported with float32 input/);
    const projected = floatLstmGraph(biasOnly({ i: 0, f: 0, g: 0, o: 0 }));
    projected.subgraphs[0].operators[0].inputs[16] = 5;
    assert.throws(() => prepareEngine(projected), /projection weights \(input 16\) is not supported/);
    const relu = floatLstmGraph(biasOnly({ i: 0, f: 0, g: 0, o: 0 }, { activation: 'RELU' }));
    assert.throws(() => prepareEngine(relu), /cell activation RELU not supported/);
    const mixed = floatLstmGraph(biasOnly({ i: 0, f: 0, g: 0, o: 0 }));
    mixed.subgraphs[0].tensors[15].dtype = 'int8';
    assert.throws(() => prepareEngine(mixed), /output type int8 not supported with float32 input/);
  });
});
