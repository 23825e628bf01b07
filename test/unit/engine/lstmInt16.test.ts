import assert from 'node:assert/strict';
import { prepareEngine } from '../../../server/src/engine/engine';
import type { Graph } from '../../../server/src/model/graph';
import { type TensorSpec, graphOf } from './graphBuilder';

// The 16x8 UNIDIRECTIONAL_SEQUENCE_LSTM: int16 input and hidden state, int8 weights, int64 biases,
// int16 cell. The gate FCs accumulate in 64 bits and rescale with the 64-bit
// MultiplyByQuantizedMultiplier (multiplier reduced to 15 bits, one rounding); the rest is the
// int8 LSTM's arithmetic with the hidden state requantized to int16.

const LSTM_INPUTS = [0, 1, 2, 3, 4, 5, 6, 7, 8, -1, -1, -1, 9, 10, 11, 12, -1, -1, 13, 14, -1, -1, -1, -1];

interface Lstm16 {
  batches?: number;
  steps?: number;
  inputDim?: number;
  stateDim?: number;
  /** Scales of input-to-{i,f,g,o}, recurrent-to-{i,f,g,o}. */
  weightScales: number[];
  weights: number[][];
  biases: bigint[][];
  hiddenZeroPoint?: number;
  timeMajor?: boolean;
}

function lstm16Graph(m: Lstm16): Graph {
  const B = m.batches ?? 1;
  const T = m.steps ?? 2;
  const I = m.inputDim ?? 1;
  const S = m.stateDim ?? 1;
  const seq = (d: number): number[] => (m.timeMajor ? [T, B, d] : [B, T, d]);
  const hzp = m.hiddenZeroPoint ?? 0;
  const tensors: TensorSpec[] = [
    { shape: seq(I), dtype: 'int16', scale: 2 ** -12, zeroPoint: 0 },
    ...m.weights.map((w, k): TensorSpec => ({
      shape: [S, k < 4 ? I : S],
      dtype: 'int8',
      scale: m.weightScales[k],
      zeroPoint: 0,
      data: Int8Array.from(w),
    })),
    ...m.biases.map((b): TensorSpec => ({ shape: [S], dtype: 'int64', data: new Uint8Array(new BigInt64Array(b).buffer) })),
    { shape: [B, S], dtype: 'int16', scale: 2 ** -15, zeroPoint: hzp },
    { shape: [B, S], dtype: 'int16', scale: 2 ** -11, zeroPoint: 0 },
    { shape: seq(S), dtype: 'int16', scale: 2 ** -15, zeroPoint: hzp },
  ];
  const g = graphOf(
    tensors,
    [{ opType: 'UNIDIRECTIONAL_SEQUENCE_LSTM', inputs: [...LSTM_INPUTS], outputs: [15], options: { fusedActivation: 'TANH', cellClip: 0, timeMajor: m.timeMajor === true } }],
    [0],
    [15],
  );
  g.subgraphs[0].tensors[13].isVariable = true;
  g.subgraphs[0].tensors[14].isVariable = true;
  return g;
}

/**
 * One unit, input scale 2^-12. Input gate: nothing (sigmoid(0)). Cell gate: weights at scale 2^-20
 * (multiplier 2^-20 onto the Q3.12 grid) and a bias of 2^32, beyond int32: 2^32 / 2^20 = 4096 =
 * 1.0. Output gate: weight 64 at scale 2^-8 (multiplier 2^-8) and bias 2^20, so x = 16384 (4.0)
 * gives (64 * 16384 + 2^20) / 2^8 = 8192 = 2.0. Recurrent-to-output `recurrent` at 2^-8.
 */
function worked(recurrent: number, hiddenZeroPoint: number): Lstm16 {
  return {
    weightScales: [2 ** -20, 2 ** -20, 2 ** -20, 2 ** -8, 2 ** -8, 2 ** -8, 2 ** -8, 2 ** -8],
    weights: [[0], [0], [0], [64], [0], [0], [0], [recurrent]],
    biases: [[0n], [0n], [2n ** 32n], [2n ** 20n]],
    hiddenZeroPoint,
  };
}

describe('kernels: UNIDIRECTIONAL_SEQUENCE_LSTM 16x8 (int16 activations, int8 weights, int64 bias)', () => {
  it('a two-step sequence, worked by hand', () => {
    const e = prepareEngine(lstm16Graph(worked(0, 0)));
    e.invoke([new Int16Array([16384, 16384])]);
    // Gates (int16 LOGISTIC/TANH on Q3.12, table sigmoid(k/24)): i = sigmoid(0) = 16384;
    // g = tanh(4096): 3 * 4096 = 12288 = entry 48 (57724) -> (57724 * 256 - 2^23 + 2^7) >> 8 = 24956;
    // o = sigmoid(8192): 24576 >> 9 = entry 48 -> (57724 * 512 + 512) >>> 10 = 28862.
    // Cell (scale 2^-11): i * g * 2^-30 / 2^-11: 16384 * 24956 = 408879104, halved (SRDHM by
    // 2^30) 204439552, / 2^18 = 779.875 -> 780.
    // tanh(c) (cell power -11: input x 6): 4680 -> entry 18 (44511, next 45102), low 72:
    // 44511 * 256 + 72 * 591 = 11437368 -> (11437368 - 2^23 + 2^7) >> 8 = 11909.
    // h = 11909 * 28862 * 2^-30 / 2^-15: 343718558 / 2 / 2^14 = 10489.4 -> 10489 (0.32010; real 0.32011).
    // Step 2: f * c = 16384 * 780 / 2 / 2^14 = 390; c = 390 + 780 = 1170; tanh: 7020 -> entry 27
    // (49475, next 49975), low 108: 12719600 -> 16918; h = 16918 * 28862 / 2 / 2^14 = 14901.3 -> 14901.
    assert.deepEqual(Array.from(e.outputs[0].data), [10489, 14901]);
    assert.deepEqual(Array.from(e.tensor(14).data), [1170]);
    assert.deepEqual(Array.from(e.tensor(13).data), [14901]);
  });

  it('the int16 hidden state starts at 0, not its zero point, and feeds back through its offset', () => {
    // TFLM resets non-int8 variable tensors to 0. Hidden zero point 100, recurrent-to-output 64
    // (multiplier 2^-15 * 2^-8 / 2^-12 = 2^-11): step 1 sees h - zp = -100: 64 * -100 / 2^11
    // = -3.125 -> -3, o = sigmoid(8189): 24567 -> entry 47 (57433, next 57724), low 503:
    // (57433 * 512 + 503 * 291 + 512) >>> 10 = 28859; h = 11909 * 28859 / 2 / 2^14 = 10488.4
    // -> 10488, plus the zero point: 10588.
    // Step 2 sees 10588 - 100 = 10488: 64 * 10488 / 2^11 = 327.75 -> 328, o = sigmoid(8520):
    // 25560 -> entry 49 (58007, next 58280), low 472: 29129; h = 16918 * 29129 / 2 / 2^14
    // = 15039.2 -> 15039 + 100 = 15139.
    const e = prepareEngine(lstm16Graph(worked(64, 100)));
    assert.deepEqual(Array.from(e.tensor(13).data), [0]);
    e.invoke([new Int16Array([16384, 16384])]);
    assert.deepEqual(Array.from(e.outputs[0].data), [10588, 15139]);
  });

  it('time-major runs every batch in one step and gives the batch-major bits', () => {
    let s = 5;
    const r = (lo: number, hi: number): number => lo + ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) % (hi - lo + 1));
    const [B, T, I, S] = [2, 3, 2, 3];
    const m: Lstm16 = {
      batches: B,
      steps: T,
      inputDim: I,
      stateDim: S,
      weightScales: Array.from({ length: 8 }, () => 2 ** -7),
      weights: Array.from({ length: 8 }, (_, k) => Array.from({ length: S * (k < 4 ? I : S) }, () => r(-127, 127))),
      biases: Array.from({ length: 4 }, () => Array.from({ length: S }, () => BigInt(r(-300000, 300000)))),
      hiddenZeroPoint: 7,
    };
    const x = Array.from({ length: B * T * I }, () => r(-32768, 32767));
    const batchMajor = prepareEngine(lstm16Graph(m));
    batchMajor.invoke([Int16Array.from(x)]);
    const xt: number[] = [];
    for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) xt.push(...x.slice((b * T + t) * I, (b * T + t + 1) * I));
    const timeMajor = prepareEngine(lstm16Graph({ ...m, timeMajor: true }));
    timeMajor.invoke([Int16Array.from(xt)]);
    const y = batchMajor.outputs[0].data;
    const yt = timeMajor.outputs[0].data;
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) {
        for (let k = 0; k < S; k++) assert.equal(yt[(t * B + b) * S + k], y[(b * T + t) * S + k], `t${t} b${b} unit ${k}`);
      }
    }
    // Not a trivially constant output: the three units and steps differ.
    assert.ok(new Set(Array.from(y)).size > 3);
  });

  it('refuses mismatched types, naming the input', () => {
    const int32Bias = lstm16Graph(worked(0, 0));
    int32Bias.subgraphs[0].tensors[10] = { ...int32Bias.subgraphs[0].tensors[10], dtype: 'int32', data: new Uint8Array(4) };
    assert.throws(() => prepareEngine(int32Bias), /forget gate bias \(input 13\) type int32 not supported with int16 input \(supported: int64\)/);
    const int8Hidden = lstm16Graph(worked(0, 0));
    int8Hidden.subgraphs[0].tensors[13].dtype = 'int8';
    assert.throws(() => prepareEngine(int8Hidden), /input type int16 not supported with hidden state \(input 18\) type int8/);
  });
});
