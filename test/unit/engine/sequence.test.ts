import assert from 'node:assert/strict';
import { prepareEngine } from '../../../server/src/engine/engine';
import type { Graph } from '../../../server/src/model/graph';
import { type TensorSpec, graphOf } from './graphBuilder';

// The stateful kernels: SVDF and UNIDIRECTIONAL_SEQUENCE_LSTM. State lives in variable tensors,
// carries over between invokes (as on the device) and is reset to the zero point by reset().

function withVariable(graph: Graph, index: number): Graph {
  graph.subgraphs[0].tensors[index].isVariable = true;
  return graph;
}

/** SVDF with every scale 1: feature weights [[1, 2], [3, -1]], time weights [[1, 2], [-1, 1]]. */
function svdfGraph(stateZeroPoint: number, bias = [0, 5]): Graph {
  const t: TensorSpec[] = [
    { shape: [1, 2], dtype: 'int8', scale: 1, zeroPoint: 0 },
    { shape: [2, 2], dtype: 'int8', scale: 1, zeroPoint: 0, data: new Int8Array([1, 2, 3, -1]) },
    { shape: [2, 2], dtype: 'int8', scale: 1, zeroPoint: 0, data: new Int8Array([1, 2, -1, 1]) },
    { shape: [2], dtype: 'int32', scale: 1, zeroPoint: 0, data: new Int32Array(bias) },
    { shape: [1, 4], dtype: 'int8', scale: 1, zeroPoint: stateZeroPoint },
    { shape: [1, 2], dtype: 'int8', scale: 1, zeroPoint: 0 },
  ];
  return withVariable(
    graphOf(t, [{ opType: 'SVDF', inputs: [0, 1, 2, 3, 4], outputs: [5], options: { rank: 1, fusedActivation: 'RELU' } }], [0], [5]),
    4,
  );
}

describe('kernels: SVDF (int8, EvalIntegerSvdfReference)', () => {
  it('shifts the state, projects the input and reduces over time, across invokes', () => {
    const e = prepareEngine(svdfGraph(0));
    // Invoke 1, x = [1, 1]: newest slots f0 = 1 + 2 = 3, f1 = 3 - 1 = 2; state [0 3 | 0 2].
    // f0: 1*0 + 2*3 = 6; f1: -1*0 + 1*2 = 2; output [0 + 6, 5 + 2].
    e.invoke([new Int8Array([1, 1])]);
    assert.deepEqual(Array.from(e.outputs[0].data), [6, 7]);
    assert.deepEqual(Array.from(e.tensor(4).data), [0, 3, 0, 2]);
    // Invoke 2, x = [2, 0]: the whole state shifts left by one ([3 0 2 2]), then the newest
    // slots take f0 = 2, f1 = 6: [3 2 | 2 6]; f0: 3 + 4 = 7; f1: -2 + 6 = 4; output [7, 9].
    e.invoke([new Int8Array([2, 0])]);
    assert.deepEqual(Array.from(e.tensor(4).data), [3, 2, 2, 6]);
    assert.deepEqual(Array.from(e.outputs[0].data), [7, 9]);
    // reset() restores the zero state: the first invoke's result again.
    e.reset!();
    e.invoke([new Int8Array([1, 1])]);
    assert.deepEqual(Array.from(e.outputs[0].data), [6, 7]);
  });

  it('stores zero point + clamped projection; the state starts at the zero point', () => {
    const e = prepareEngine(svdfGraph(-1));
    assert.deepEqual(Array.from(e.tensor(4).data), [-1, -1, -1, -1]);
    // x = [100, 100]: f0 = 300 clamps to 127 (+ zp -1 = 126); f1 = 200 -> 127 -> 126.
    // Time reduction subtracts the zero point again: f0 = 2 * 127 = 254, f1 = 127;
    // outputs 254 -> 127 and 5 + 127 = 132 -> 127 (int8 clamp, the fused RELU is not applied).
    e.invoke([new Int8Array([100, 100])]);
    assert.deepEqual(Array.from(e.tensor(4).data), [-1, 126, -1, 126]);
    assert.deepEqual(Array.from(e.outputs[0].data), [127, 127]);
    // Negative outputs are kept: TFLM's integer SVDF applies no RELU. x = [-1, 0], zero state:
    // f0 = -1 -> time reduction 2 * -1 = -2; f1 = -3 -> 1 * -3 = -3.
    const e2 = prepareEngine(svdfGraph(0, [0, 0]));
    e2.invoke([new Int8Array([-1, 0])]);
    assert.deepEqual(Array.from(e2.outputs[0].data), [-2, -3]);
  });
});

/**
 * A one-unit LSTM with zero weights: each gate's pre-activation is its bias alone (input scale x
 * weight scale = 2^-12, so the FC multiplier is exactly 1 on the Q3.12 grid).
 */
function lstmGraph(biases: { input: number; forget: number; cell: number; output: number }, cellClip = 0): Graph {
  const zeroW = (cols: number): TensorSpec => ({ shape: [1, cols], dtype: 'int8', scale: 2 ** -5, zeroPoint: 0, data: new Int8Array(cols) });
  const bias = (v: number): TensorSpec => ({ shape: [1], dtype: 'int32', scale: 2 ** -12, zeroPoint: 0, data: new Int32Array([v]) });
  const tensors: TensorSpec[] = [
    { shape: [1, 2, 1], dtype: 'int8', scale: 2 ** -7, zeroPoint: 0 }, // 0 input (2 steps)
    zeroW(1), zeroW(1), zeroW(1), zeroW(1), // 1-4 input-to-{input, forget, cell, output}
    zeroW(1), zeroW(1), zeroW(1), zeroW(1), // 5-8 recurrent-to-*
    bias(biases.input), bias(biases.forget), bias(biases.cell), bias(biases.output), // 9-12
    { shape: [1, 1], dtype: 'int8', scale: 2 ** -7, zeroPoint: 0 }, // 13 hidden state
    { shape: [1, 1], dtype: 'int16', scale: 2 ** -11, zeroPoint: 0 }, // 14 cell state
    { shape: [1, 2, 1], dtype: 'int8', scale: 2 ** -7, zeroPoint: 0 }, // 15 output
  ];
  const inputs = [0, 1, 2, 3, 4, 5, 6, 7, 8, -1, -1, -1, 9, 10, 11, 12, -1, -1, 13, 14, -1, -1, -1, -1];
  const g = graphOf(
    tensors,
    [{ opType: 'UNIDIRECTIONAL_SEQUENCE_LSTM', inputs, outputs: [15], options: { fusedActivation: 'TANH', cellClip, timeMajor: false } }],
    [0],
    [15],
  );
  withVariable(g, 13);
  return withVariable(g, 14);
}

describe('kernels: UNIDIRECTIONAL_SEQUENCE_LSTM (int8 x int8, int16 cell)', () => {
  it('zero biases: every gate is sigmoid(0) = 1/2 or tanh(0) = 0, so the state stays 0', () => {
    const e = prepareEngine(lstmGraph({ input: 0, forget: 0, cell: 0, output: 0 }));
    e.invoke([new Int8Array([50, -50])]);
    assert.deepEqual(Array.from(e.outputs[0].data), [0, 0]);
    assert.deepEqual(Array.from(e.tensor(14).data), [0]);
  });

  it('gate arithmetic over two steps matches the real-number LSTM within one step of each grid', () => {
    // Biases on the Q3.12 grid: input gate 0 (i = 0.5), forget 1.0 (f = sigmoid(1) = 0.731),
    // cell 1.0 (g = tanh(1) = 0.762), output 2.0 (o = sigmoid(2) = 0.881).
    const e = prepareEngine(lstmGraph({ input: 0, forget: 4096, cell: 4096, output: 8192 }));
    e.invoke([new Int8Array([0, 0])]);
    const [i, f, g, o] = [0.5, 1 / (1 + Math.exp(-1)), Math.tanh(1), 1 / (1 + Math.exp(-2))];
    const c1 = i * g; // 0.3808
    const c2 = f * c1 + i * g; // 0.6592
    const cell = e.tensor(14).data[0] * 2 ** -11;
    // Tolerance: the int16 gates are 2^-15-exact to ~2 LSB (table interpolation); the products
    // are rounded to the cell grid (2^-11) twice, so |error| <= 3 * 2^-11.
    assert.ok(Math.abs(cell - c2) <= 3 * 2 ** -11, `cell ${cell} vs ${c2}`);
    const h = Array.from(e.outputs[0].data, (v) => v * 2 ** -7);
    const expected = [o * Math.tanh(c1), o * Math.tanh(c2)];
    // The hidden state is on a 2^-7 grid: at most one step from the real value.
    for (let k = 0; k < 2; k++) assert.ok(Math.abs(h[k] - expected[k]) <= 2 ** -7, `h${k} ${h[k]} vs ${expected[k]}`);
    // The state carries over: a second invoke continues from c2 and gives a different output.
    const first = Array.from(e.outputs[0].data);
    e.invoke([new Int8Array([0, 0])]);
    assert.notDeepEqual(Array.from(e.outputs[0].data), first);
    e.reset!();
    e.invoke([new Int8Array([0, 0])]);
    assert.deepEqual(Array.from(e.outputs[0].data), first);
  });

  it('clips the cell state at cell_clip / cell_scale', () => {
    // cell clip 0.5 -> 0.5 / 2^-11 = 1024 on the int16 grid; c2 = 0.659 clips to 0.5.
    const e = prepareEngine(lstmGraph({ input: 0, forget: 4096, cell: 4096, output: 8192 }, 0.5));
    e.invoke([new Int8Array([0, 0])]);
    assert.equal(e.tensor(14).data[0], 1024);
  });

  it('refuses peepholes, projections and non-int8 inputs with the reason', () => {
    const g = lstmGraph({ input: 0, forget: 0, cell: 0, output: 0 });
    g.subgraphs[0].operators[0].inputs[9] = 1;
    assert.throws(() => prepareEngine(g), /cell-to-input peephole \(input 9\) is not supported/);
    const f = lstmGraph({ input: 0, forget: 0, cell: 0, output: 0 });
    f.subgraphs[0].tensors[0].dtype = 'int16';
    assert.throws(() => prepareEngine(f), /input type int16 not supported/);
  });
});
