import assert from 'node:assert/strict';
import { multiplyByQuantizedMultiplierInt64, quantizeMultiplier } from '../../../server/src/engine/fixedPoint';
import { type TensorSpec, graphOf, run } from './graphBuilder';

// 16x8 kernels: int16 activations, int8 weights, int32 or int64 bias (and accumulator).

const i16 = (shape: number[], scale: number): TensorSpec => ({ shape, dtype: 'int16', scale, zeroPoint: 0 });
const w8 = (shape: number[], scale: number | number[], values: number[]): TensorSpec => ({
  shape,
  dtype: 'int8',
  scale,
  zeroPoint: 0,
  data: new Int8Array(values),
});
const b64 = (values: number[]): TensorSpec => ({
  shape: [values.length],
  dtype: 'int64',
  data: new Uint8Array(new BigInt64Array(values.map(BigInt)).buffer),
});
const b32 = (values: number[]): TensorSpec => ({ shape: [values.length], dtype: 'int32', data: new Int32Array(values) });

describe('fixed point: 64-bit MultiplyByQuantizedMultiplier', () => {
  it('reduces the multiplier to 15 bits and rounds half up on the 64-bit product', () => {
    // 0.75 -> (1610612736, 0) -> reduced (1610612736 + 2^15) >> 16 = 24576; total shift 15:
    // 1000 * 24576 = 24576000 + 2^14 >> 15 = 750.
    const q = quantizeMultiplier(0.75);
    assert.equal(multiplyByQuantizedMultiplierInt64(1000, q.multiplier, q.shift), 750);
    // Negative values floor after the +2^14 (arithmetic shift): -3 * 0.5 = -1.5 -> -1; -5 * 0.5 -> -2.
    const h = quantizeMultiplier(0.5);
    assert.equal(multiplyByQuantizedMultiplierInt64(-3, h.multiplier, h.shift), -1);
    assert.equal(multiplyByQuantizedMultiplierInt64(-5, h.multiplier, h.shift), -2);
    // Beyond 32 bits: 2^40 * 2^-20 = 2^20, exactly.
    const small = quantizeMultiplier(2 ** -20);
    assert.equal(multiplyByQuantizedMultiplierInt64(2 ** 40, small.multiplier, small.shift), 2 ** 20);
    // Compared with BigInt arithmetic on many values.
    for (const m of [0.3, 0.000123, 1.7, 0.999999]) {
      const qm = quantizeMultiplier(m);
      const reduced = BigInt(qm.multiplier < 0x7fff0000 ? (qm.multiplier + 32768) >> 16 : 0x7fff);
      const total = BigInt(15 - qm.shift);
      for (const x of [1, -1, 123456789, -987654321, 2 ** 46 - 1, -(2 ** 46)]) {
        const expected = Number((BigInt(x) * reduced + (1n << (total - 1n))) >> total);
        if (Math.abs(expected) < 2 ** 31) assert.equal(multiplyByQuantizedMultiplierInt64(x, qm.multiplier, qm.shift), expected, `${x} * ${m}`);
      }
    }
  });
});

describe('kernels: 16x8 FULLY_CONNECTED, CONV_2D, DEPTHWISE_CONV_2D', () => {
  it('FULLY_CONNECTED with an int64 bias uses the 64-bit rescale', () => {
    // scales: in 1, filter 1, out 4 -> multiplier 0.25 (2^30, -1) -> reduced 16384, shift 16.
    // row 0: 1000*1 + 2000*2 + 5 = 5005 -> (5005 * 16384 + 2^15) >> 16 = floor(1251.75) = 1251.
    // row 1: 1000*(-3) + 2000*(-1) - 7 = -5007 -> (-5007 * 16384 + 2^15) >> 16 = floor(-1251.25) = -1252.
    const g = graphOf(
      [i16([1, 2], 1), w8([2, 2], 1, [1, 2, -3, -1]), b64([5, -7]), i16([1, 2], 4)],
      [{ opType: 'FULLY_CONNECTED', inputs: [0, 1, 2], outputs: [3], options: { fusedActivation: 'NONE' } }],
      [0],
      [3],
    );
    assert.deepEqual(run(g, [new Int16Array([1000, 2000])])[0], [1251, -1252]);
  });

  it('FULLY_CONNECTED with an int32 bias: int32 accumulator, batch 2, saturation', () => {
    // Output scale 1 (multiplier 1.0): the sums themselves; batch 1 saturates to the int16 range.
    const g = graphOf(
      [i16([2, 2], 1), w8([2, 2], 1, [1, 2, -3, -1]), b32([5, -7]), i16([2, 2], 1)],
      [{ opType: 'FULLY_CONNECTED', inputs: [0, 1, 2], outputs: [3], options: { fusedActivation: 'NONE' } }],
      [0],
      [3],
    );
    // batch 0: 5005, -5007; batch 1: -32768 + 65534 + 5 = 32771 -> 32767; 98304 - 32767 - 7 = 65530 -> 32767.
    assert.deepEqual(run(g, [new Int16Array([1000, 2000, -32768, 32767])])[0], [5005, -5007, 32767, 32767]);
    // Output scale 4 through the 32-bit path, TFLM's double rounding (0.25 = (2^30, shift -1)):
    // 5005: SRDHM = round(2502.5) = 2503, RDBP(2503, 1) = 1251.5 -> 1252, where the 64-bit path
    // above gives 1251 for the same 1251.25. -5007: SRDHM -> -2503 (ties toward zero once
    // negative), RDBP -> -1252. Bias only: 5 -> 3 -> 2 (1.25!); -7 -> -3 -> -2 (-1.75).
    g.subgraphs[0].tensors[3].quantization!.scale = [4];
    assert.deepEqual(run(g, [new Int16Array([1000, 2000, 0, 0])])[0], [1252, -1252, 2, -2]);
  });

  it('CONV_2D 16x8 with per-channel scales of both shift signs and SAME borders', () => {
    // 3x3 input 1..9 (scale 1), 3x3 ones filter, two channels at scales 2 and 0.25 (out scale 1).
    const g = graphOf(
      [i16([1, 3, 3, 1], 1), w8([2, 3, 3, 1], [2, 0.25], [...new Array(9).fill(1), ...new Array(9).fill(1)]), b64([0, 0]), i16([1, 3, 3, 2], 1)],
      [{ opType: 'CONV_2D', inputs: [0, 1, 2], outputs: [3], options: { padding: 'SAME', strideW: 1, strideH: 1, fusedActivation: 'NONE' } }],
      [0],
      [3],
    );
    const out = run(g, [Int16Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9])])[0];
    // Corner (0,0): 1+2+4+5 = 12 -> x2 = 24, x0.25 = 3. Centre: 45 -> 90 and 11.25 -> 11.
    assert.deepEqual([out[0], out[1]], [24, 3]);
    assert.deepEqual([out[8], out[9]], [90, 11]);
  });

  it('DEPTHWISE_CONV_2D 16x8 with an int64 bias', () => {
    // 2 channels, 2x2 input, 2x2 VALID filter [1 1 1 1] per channel, bias [100, -100].
    const g = graphOf(
      [i16([1, 2, 2, 2], 1), w8([1, 2, 2, 2], 1, [1, 1, 1, 1, 1, 1, 1, 1]), b64([100, -100]), i16([1, 1, 1, 2], 1)],
      [{ opType: 'DEPTHWISE_CONV_2D', inputs: [0, 1, 2], outputs: [3], options: { padding: 'VALID', depthMultiplier: 1, fusedActivation: 'NONE' } }],
      [0],
      [3],
    );
    // channel 0: 1000 + 2000 + 3000 + 4000 + 100; channel 1: -(10 + 20 + 30 + 40) - 100.
    assert.deepEqual(run(g, [new Int16Array([1000, -10, 2000, -20, 3000, -30, 4000, -40])])[0], [10100, -200]);
  });
});
