import assert from 'node:assert/strict';
import { type TensorSpec, graphOf, run } from './graphBuilder';

// SUB, MUL and the 16-bit ADD, hand-checked.

const q = (dtype: 'int8' | 'int16', shape: number[], scale: number, zeroPoint: number): TensorSpec => ({ shape, dtype, scale, zeroPoint });

function binary(opType: string, a: TensorSpec, b: TensorSpec, out: TensorSpec, act = 'NONE') {
  return graphOf([a, b, out], [{ opType, inputs: [0, 1], outputs: [2], options: { fusedActivation: act } }], [0, 1], [2]);
}

describe('kernels: SUB', () => {
  it('int8 at equal scales: exact differences, saturating both ways', () => {
    // Scales 0.5: twice max = 1.0, input multipliers 0.5 = (2^30, 0), output 2^-19 = (2^30, -18):
    // (10 << 20) * 0.5 - (3 << 20) * 0.5 = 7 << 19, then * 2^-19 -> 7.
    const g = binary('SUB', q('int8', [3], 0.5, 0), q('int8', [3], 0.5, 0), q('int8', [3], 0.5, 0));
    assert.deepEqual(run(g, [new Int8Array([10, 127, -128]), new Int8Array([3, -128, 127])])[0], [7, 127, -128]);
  });

  it('int8 with zero points, broadcasting and RELU', () => {
    // a: scale 1 zp 2 (real a - 2); b: scale 0.5 zp -4 ([1] broadcast; real (b + 4) / 2);
    // out: scale 1 zp 0. a = 12, b = 6 -> 10 - 5 = 5; a = 0 -> -2 - 5 = -7 -> RELU -> 0.
    const g = binary('SUB', q('int8', [1, 2], 1, 2), q('int8', [1], 0.5, -4), q('int8', [1, 2], 1, 0), 'RELU');
    assert.deepEqual(run(g, [new Int8Array([12, 0]), new Int8Array([6])])[0], [5, 0]);
  });

  it('int16 (left shift 15)', () => {
    const g = binary('SUB', q('int16', [2], 1, 0), q('int16', [2], 1, 0), q('int16', [2], 1, 0));
    assert.deepEqual(run(g, [new Int16Array([1000, -32768]), new Int16Array([-234, 32767])])[0], [1234, -32768]);
  });
});

describe('kernels: MUL', () => {
  it('int8: offsets, one rescale by in1 * in2 / out, broadcast', () => {
    // a: 0.5, zp 1; b: 0.25, zp -2; out: 0.125, zp 3 -> multiplier 1.0.
    // a = 5 -> 4 (2.0), b = 2 -> 4 (1.0): 16 -> 16 + 3 = 19 (2.0 / 0.125 = 16).
    // a = -7 -> -8 (-4.0): -32 + 3 = -29. a = 127 -> 126 * 4 = 504 + 3 -> 127.
    const g = binary('MUL', q('int8', [1, 3], 0.5, 1), q('int8', [1], 0.25, -2), q('int8', [1, 3], 0.125, 3));
    assert.deepEqual(run(g, [new Int8Array([5, -7, 127]), new Int8Array([2])])[0], [19, -29, 127]);
  });

  it('int16 with zero points 0 and a right shift', () => {
    // 2^-8 * 2^-8 / 2^-10 = 2^-6: 300 * -400 / 64 = -1875.
    const g = binary('MUL', q('int16', [1], 2 ** -8, 0), q('int16', [1], 2 ** -8, 0), q('int16', [1], 2 ** -10, 0));
    assert.deepEqual(run(g, [new Int16Array([300]), new Int16Array([-400])])[0], [-1875]);
  });

  it('float32 with RELU6', () => {
    const f = (shape: number[]): TensorSpec => ({ shape, dtype: 'float32' });
    const g = binary('MUL', f([3]), f([3]), f([3]), 'RELU6');
    assert.deepEqual(run(g, [new Float32Array([1.5, -2, 4]), new Float32Array([2, 3, 4])])[0], [3, 0, 6]);
  });
});

describe('kernels: ADD int16', () => {
  it('left shift 15, scales and zero points 0', () => {
    // Scales 1 -> twice max 2: input multipliers 0.5, output 2 / 2^15 = 2^-14.
    const g = binary('ADD', q('int16', [3], 1, 0), q('int16', [3], 1, 0), q('int16', [3], 1, 0));
    assert.deepEqual(run(g, [new Int16Array([1000, 30000, -30000]), new Int16Array([234, 30000, -30000])])[0], [1234, 32767, -32768]);
  });
});
