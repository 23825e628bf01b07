import assert from 'node:assert/strict';
import { prepareEngine } from '../../../server/src/engine/engine';
import { type TensorSpec, graphOf, run } from './graphBuilder';

// Data-movement kernels: TRANSPOSE, PAD/PADV2, CONCATENATION, STRIDED_SLICE, SQUEEZE, EXPAND_DIMS,
// and MEAN's integer rescale. Expected values are worked out by hand in the comments.

const i8 = (shape: number[], zeroPoint = 0, scale = 1, data?: Int8Array): TensorSpec => ({
  shape,
  dtype: 'int8',
  scale,
  zeroPoint,
  ...(data ? { data } : {}),
});
const i32c = (shape: number[], values: number[]): TensorSpec => ({ shape, dtype: 'int32', data: new Int32Array(values) });
const iota = (n: number) => Int8Array.from({ length: n }, (_, k) => k);

describe('kernels: TRANSPOSE', () => {
  it('swaps the last two axes of [1, 2, 3]', () => {
    const g = graphOf([i8([1, 2, 3]), i32c([3], [0, 2, 1]), i8([1, 3, 2])], [{ opType: 'TRANSPOSE', inputs: [0, 1], outputs: [2] }], [0], [2]);
    // rows [0 1 2] [3 4 5] -> columns as rows: [0 3] [1 4] [2 5].
    assert.deepEqual(run(g, [iota(6)])[0], [0, 3, 1, 4, 2, 5]);
  });

  it('NCHW -> NHWC (perm 0 2 3 1) as mobilenet_v2 starts', () => {
    const g = graphOf([i8([1, 2, 2, 2]), i32c([4], [0, 2, 3, 1]), i8([1, 2, 2, 2])], [{ opType: 'TRANSPOSE', inputs: [0, 1], outputs: [2] }], [0], [2]);
    // channel 0 = 0..3, channel 1 = 4..7 -> pixel-major pairs (c0, c1).
    assert.deepEqual(run(g, [iota(8)])[0], [0, 4, 1, 5, 2, 6, 3, 7]);
  });

  it('float32 5-D and a bad permutation', () => {
    const x = Float32Array.from({ length: 24 }, (_, k) => k);
    const g = graphOf(
      [{ shape: [2, 3, 4, 1, 1], dtype: 'float32' }, i32c([5], [2, 1, 0, 3, 4]), { shape: [4, 3, 2, 1, 1], dtype: 'float32' }],
      [{ opType: 'TRANSPOSE', inputs: [0, 1], outputs: [2] }],
      [0],
      [2],
    );
    const out = run(g, [x])[0];
    // out[c][b][a] = x[a][b][c] = 12a + 4b + c.
    assert.equal(out[0 * 6 + 1 * 2 + 1], 12 + 4);
    assert.equal(out[3 * 6 + 2 * 2 + 1], 12 + 8 + 3);
    const bad = graphOf([i8([2, 2]), i32c([2], [0, 0]), i8([2, 2])], [{ opType: 'TRANSPOSE', inputs: [0, 1], outputs: [2] }], [0], [2]);
    assert.throws(() => prepareEngine(bad), /not a permutation/);
  });
});

describe('kernels: PAD / PADV2', () => {
  it('int8 PAD fills with the output zero point, before and after', () => {
    const g = graphOf(
      [i8([1, 2, 2, 1], -5), i32c([4, 2], [0, 0, 1, 0, 0, 1, 0, 0]), i8([1, 3, 3, 1], -5)],
      [{ opType: 'PAD', inputs: [0, 1], outputs: [2] }],
      [0],
      [2],
    );
    // row 0: all padding; rows 1-2: input row then one padded column.
    assert.deepEqual(run(g, [new Int8Array([1, 2, 3, 4])])[0], [-5, -5, -5, 1, 2, -5, 3, 4, -5]);
  });

  it('PADV2 uses its constant, padding the last axis on both sides', () => {
    const g = graphOf(
      [i8([2, 1], 0, 0.5), i32c([2, 2], [0, 0, 2, 1]), i8([1], 0, 0.5, new Int8Array([7])), i8([2, 4], 0, 0.5)],
      [{ opType: 'PADV2', inputs: [0, 1, 2], outputs: [3] }],
      [0],
      [3],
    );
    assert.deepEqual(run(g, [new Int8Array([1, 2])])[0], [7, 7, 1, 7, 7, 7, 2, 7]);
  });

  it('refuses a PADV2 constant quantized differently from the output', () => {
    const g = graphOf(
      [i8([2], 0, 0.5), i32c([1, 2], [1, 1]), i8([1], 0, 0.25, new Int8Array([7])), i8([4], 0, 0.5)],
      [{ opType: 'PADV2', inputs: [0, 1, 2], outputs: [3] }],
      [0],
      [3],
    );
    assert.throws(() => prepareEngine(g), /share the output quantization/);
  });
});

describe('kernels: MEAN', () => {
  it('int8 over H and W with a power-of-two count (multiplier shifted by log2 4 = 2)', () => {
    // in/out scale 1: multiplier (2^30, shift 1); N = 4 -> (2^30 << 2) / 4 = 2^30, shift -1.
    // channel 0: 1+2+3+4 = 10 -> 10 * 2^30 / 2^31 = 5 -> RDBP(5, 1) = 3 (2.5 rounds away from 0).
    // channel 1: -1-2-3-3 = -9 -> SRDHM = -4 (the -4.5 truncates toward 0 after the nudge),
    // RDBP(-4, 1) = -2 (-2.25).
    const g = graphOf(
      [i8([1, 2, 2, 2]), i32c([2], [1, 2]), i8([1, 1, 1, 2])],
      [{ opType: 'MEAN', inputs: [0, 1], outputs: [2], options: { keepDims: true } }],
      [0],
      [2],
    );
    assert.deepEqual(run(g, [new Int8Array([1, -1, 2, -2, 3, -3, 4, -3])])[0], [3, -2]);
  });

  it('int8 with N = 3, zero points and a rescale', () => {
    // N = 3: shift floor(log2 3) = 1, multiplier (2^30 << 1) / 3 = 715827882 (truncated), shift 0.
    // in zp 10: values 11, 12, 14 -> sum 37 - 30 = 7 -> 7 * 715827882 / 2^31 = 2.33 -> 2; + out zp 3 = 5.
    const g = graphOf(
      [i8([1, 3], 10), i32c([1], [-1]), i8([1], 3)],
      [{ opType: 'MEAN', inputs: [0, 1], outputs: [2], options: { keepDims: false } }],
      [0],
      [2],
    );
    assert.deepEqual(run(g, [new Int8Array([11, 12, 14])])[0], [5]);
    // Output scale 0.5: in/out = 2 -> (2^30, shift 2) -> (2^31 / 3 = 715827882, shift 1):
    // 7 * 2 / 3 = 4.67 -> 5; + 3 = 8.
    const g2 = graphOf(
      [i8([1, 3], 10), i32c([1], [1]), i8([1], 3, 0.5)],
      [{ opType: 'MEAN', inputs: [0, 1], outputs: [2], options: { keepDims: false } }],
      [0],
      [2],
    );
    assert.deepEqual(run(g2, [new Int8Array([11, 12, 14])])[0], [8]);
  });

  it('float32 sums in order and divides', () => {
    const g = graphOf(
      [{ shape: [2, 3], dtype: 'float32' }, i32c([1], [0]), { shape: [3], dtype: 'float32' }],
      [{ opType: 'MEAN', inputs: [0, 1], outputs: [2] }],
      [0],
      [2],
    );
    assert.deepEqual(run(g, [new Float32Array([1, 2, 3, 4, 5, 7])])[0], [2.5, 3.5, 5]);
  });
});

describe('kernels: CONCATENATION, STRIDED_SLICE, SQUEEZE, EXPAND_DIMS', () => {
  it('concatenates along the last and the first axis', () => {
    const last = graphOf(
      [i8([2, 2]), i8([2, 1]), i8([2, 3])],
      [{ opType: 'CONCATENATION', inputs: [0, 1], outputs: [2], options: { axis: -1 } }],
      [0, 1],
      [2],
    );
    assert.deepEqual(run(last, [new Int8Array([1, 2, 3, 4]), new Int8Array([9, 8])])[0], [1, 2, 9, 3, 4, 8]);
    const first = graphOf(
      [{ shape: [1, 2], dtype: 'float32' }, { shape: [2, 2], dtype: 'float32' }, { shape: [3, 2], dtype: 'float32' }],
      [{ opType: 'CONCATENATION', inputs: [0, 1], outputs: [2], options: { axis: 0 } }],
      [0, 1],
      [2],
    );
    assert.deepEqual(run(first, [new Float32Array([1, 2]), new Float32Array([3, 4, 5, 6])])[0], [1, 2, 3, 4, 5, 6]);
  });

  it('refuses int8 inputs quantized differently from the output', () => {
    const g = graphOf(
      [i8([1], 0, 1), i8([1], 1, 1), i8([2], 0, 1)],
      [{ opType: 'CONCATENATION', inputs: [0, 1], outputs: [2], options: { axis: 0 } }],
      [0, 1],
      [2],
    );
    assert.throws(() => prepareEngine(g), /quantization differs/);
  });

  function slice(begin: number[], end: number[], strides: number[], outShape: number[], options: Record<string, number>) {
    return graphOf(
      [i8([3, 4]), i32c([2], begin), i32c([2], end), i32c([2], strides), i8(outShape)],
      [{ opType: 'STRIDED_SLICE', inputs: [0, 1, 2, 3], outputs: [4], options }],
      [0],
      [4],
    );
  }

  it('STRIDED_SLICE: strides, negative strides with an end mask, shrink axis', () => {
    // [[0 1 2 3] [4 5 6 7] [8 9 10 11]]
    assert.deepEqual(run(slice([0, 1], [3, 4], [2, 2], [2, 2], {}), [iota(12)])[0], [1, 3, 9, 11]);
    // rows 2, 1, 0 (end masked for a negative stride -> -1), column 0 only.
    assert.deepEqual(run(slice([2, 0], [0, 1], [-1, 1], [3, 1], { endMask: 1 }), [iota(12)])[0], [8, 4, 0]);
    // shrink axis 0 at row 1: [4 5 6 7] with shape [4].
    assert.deepEqual(run(slice([1, 0], [2, 4], [1, 1], [4], { shrinkAxisMask: 1 }), [iota(12)])[0], [4, 5, 6, 7]);
    // negative begin counts from the end; begin mask takes everything.
    assert.deepEqual(run(slice([-1, -2], [3, 4], [1, 1], [3, 2], { beginMask: 1 }), [iota(12)])[0], [2, 3, 6, 7, 10, 11]);
  });

  it('SQUEEZE and EXPAND_DIMS keep the bytes', () => {
    const sq = graphOf([i8([1, 3, 1]), i8([3])], [{ opType: 'SQUEEZE', inputs: [0], outputs: [1], options: { squeezeDims: [0, 2] } }], [0], [1]);
    assert.deepEqual(run(sq, [new Int8Array([1, 2, 3])])[0], [1, 2, 3]);
    const ex = graphOf([i8([3]), i32c([1], [-1]), i8([3, 1])], [{ opType: 'EXPAND_DIMS', inputs: [0, 1], outputs: [2] }], [0], [2]);
    assert.deepEqual(run(ex, [new Int8Array([1, 2, 3])])[0], [1, 2, 3]);
    const wrong = graphOf([i8([3]), i32c([1], [0]), i8([3, 1])], [{ opType: 'EXPAND_DIMS', inputs: [0, 1], outputs: [2] }], [0], [2]);
    assert.throws(() => prepareEngine(wrong), /is not \[1, 3\]/);
  });
});
