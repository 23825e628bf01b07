import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Engine, prepareEngine } from '../../../server/src/engine/engine';
import { readTflite } from '../../../server/src/model/tflite/reader';
import { modelsDir } from '../../helpers/shared';

// The shared models without oracle bytes (SVDF, LSTM, TRANSPOSE/PAD/MEAN): they must prepare and
// invoke, and their outputs must have the properties the models promise. Intermediate tensors are
// checked against independent computations where the op's semantics allow it.

/** Prepares a shared model; `keep` makes intermediate tensors graph outputs, so that the memory
 * plan keeps them alive until the end of the invoke (otherwise later ops reuse their bytes). */
function load(name: string, keep: number[] = []): Engine {
  const graph = readTflite(new Uint8Array(readFileSync(join(modelsDir, 'tflm', `${name}.tflite`))));
  graph.subgraphs[0].outputs.push(...keep);
  return prepareEngine(graph);
}

/** The oracle's LCG (s = s * 1664525 + 1013904223), one byte per step from the top. */
function lcgBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

function dequantized(e: Engine, k = 0): number[] {
  const o = e.outputs[k];
  return Array.from(o.data, (q) => (q - o.zeroPoint) * o.scale);
}

function warmMedianMs(e: Engine, input: ArrayBufferView, runs: number): number {
  for (let i = 0; i < 3; i++) e.invoke([input]);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    e.invoke([input]);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[runs >> 1];
}

describe('shared models beyond the oracle', () => {
  it('keyword_scrambled_8bit (SVDF x 7, int16 input, int8 -> int16 softmax, int16 -> int32 quantize)', function () {
    const e = load('keyword_scrambled_8bit');
    assert.equal(e.inputs[0].dtype, 'int16');
    assert.equal(e.outputs[0].dtype, 'int32');
    const input = new Int16Array(lcgBytes(192, 0x2545f491).buffer);
    e.invoke([input]);
    // Softmax probabilities, requantized to int32 at scale 1/32767.5: they sum to one (each
    // is within one int16 softmax step, 2^-16, plus the requantization's half step).
    const p = dequantized(e);
    assert.equal(p.length, 2);
    assert.ok(p.every((v) => v >= 0 && v <= 1));
    assert.ok(Math.abs(p[0] + p[1] - 1) < 1e-4, `sum ${p[0] + p[1]}`);
    // SVDF state carries over between invokes (streaming audio); reset() replays exactly.
    const first = Array.from(e.outputs[0].data);
    const states = [4, 12, 20, 28, 36, 41, 46].map((i) => Array.from(e.tensor(i).data));
    e.reset!();
    e.invoke([input]);
    assert.deepEqual(Array.from(e.outputs[0].data), first);
    assert.deepEqual([4, 12, 20, 28, 36, 41, 46].map((i) => Array.from(e.tensor(i).data)), states);
    const ms = warmMedianMs(e, input, 21);
    this.test!.title += ` (${ms.toFixed(2)} ms warm median)`;
  });

  it('trained_lstm_int8 (UNIDIRECTIONAL_SEQUENCE_LSTM over 28 rows of a 28 x 28 image)', function () {
    const e = load('trained_lstm_int8');
    // A synthetic "1": a vertical bar in columns 13-15 (input scale 1/255, zero point -128).
    const digit = new Int8Array(28 * 28).fill(-128);
    for (let r = 4; r < 24; r++) for (let c = 13; c < 16; c++) digit[r * 28 + c] = 127;
    e.invoke([digit]);
    const p = dequantized(e);
    // int8 softmax (scale 1/256, zero point -128): ten probabilities summing to one within
    // ten output steps.
    assert.equal(p.length, 10);
    assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) <= 10 / 256);
    // The hidden state (variable tensor 16) is the last LSTM output row, and the output
    // sequence (tensor 23) holds 28 rows of 20 on the hidden state's scale.
    const seq = e.tensor(23);
    const hidden = e.tensor(16);
    assert.deepEqual(Array.from(seq.data.slice(27 * 20)), Array.from(hidden.data));
    assert.equal(seq.scale, hidden.scale);
    // Deterministic after reset; the state carries over otherwise (the next call starts from it).
    const first = Array.from(e.outputs[0].data);
    e.invoke([digit]);
    const second = Array.from(e.outputs[0].data);
    e.reset!();
    e.invoke([digit]);
    assert.deepEqual(Array.from(e.outputs[0].data), first);
    assert.ok(first.length === second.length);
    // An all-background image and the bar give different predictions' distributions.
    e.reset!();
    e.invoke([new Int8Array(28 * 28).fill(-128)]);
    assert.notDeepEqual(Array.from(e.outputs[0].data), first);
    const ms = warmMedianMs(e, digit, 21);
    this.test!.title += ` (${ms.toFixed(2)} ms warm median)`;
  });

  it('mobilenet_v2 (TRANSPOSE, PAD, MEAN): intermediates agree with direct computations', function () {
    this.timeout(120000);
    const e = load('mobilenet_v2_quantized_1x3x224x224', [94, 105, 98, 63]);
    const input = new Int8Array(lcgBytes(3 * 224 * 224, 0x9e3779b9).buffer);
    e.invoke([input]);
    // TRANSPOSE (op 0, tensor 94): NCHW -> NHWC, element for element.
    const nhwc = e.tensor(94).data;
    for (const [y, x, c] of [[0, 0, 0], [5, 7, 2], [223, 223, 1], [100, 3, 0]]) {
      assert.equal(nhwc[(y * 224 + x) * 3 + c], input[(c * 224 + y) * 224 + x]);
    }
    // PAD (op 1, tensor 105): a one-pixel border of the zero point around the transposed image.
    const padded = e.tensor(105);
    assert.deepEqual(padded.shape, [1, 226, 226, 3]);
    assert.equal(padded.data[0], padded.zeroPoint);
    assert.equal(padded.data[(225 * 226 + 225) * 3 + 2], padded.zeroPoint);
    assert.equal(padded.data[(1 * 226 + 1) * 3 + 0], nhwc[0]);
    // MEAN (op 81): tensor 98 [1, 7, 7, 1280] -> tensor 63 [1, 1, 1, 1280], same quantization:
    // each output is the rounded average of its 49 inputs (within one step: the fixed-point
    // multiplier 1/49 is rounded to 31 bits and applied with TFLM's double rounding).
    const before = e.tensor(98).data;
    const after = e.tensor(63).data;
    for (let c = 0; c < 1280; c += 97) {
      let sum = 0;
      for (let k = 0; k < 49; k++) sum += before[k * 1280 + c];
      assert.ok(Math.abs(after[c] - sum / 49) <= 0.5 + 1e-9, `channel ${c}: ${after[c]} vs ${sum / 49}`);
    }
    // The classifier's top-1 is stable under a 1-LSB perturbation of a few pixels.
    const logits = Array.from(e.outputs[0].data);
    const top = logits.indexOf(Math.max(...logits));
    const nudged = input.slice();
    for (let k = 0; k < nudged.length; k += 4099) nudged[k] = nudged[k] === 127 ? 126 : nudged[k] + 1;
    e.invoke([nudged]);
    const logits2 = Array.from(e.outputs[0].data);
    assert.equal(logits2.indexOf(Math.max(...logits2)), top);
    const ms = warmMedianMs(e, input, 3);
    this.test!.title += ` (${ms.toFixed(0)} ms warm median)`;
  });
});
