import assert from 'node:assert/strict';
import { EngineError, prepareEngine } from '../../../server/src/engine/engine';
import { type TensorSpec, graphOf, run } from './graphBuilder';

// Hand-checked figures. With input, filter and output scales of 1 the effective multiplier is
// 1.0 = (2^30, shift 1), and MultiplyByQuantizedMultiplier returns the accumulator exactly, so the
// expected values are plain integer sums.

const i8 = (shape: number[], scale: number | number[] = 1, zeroPoint: number | number[] = 0, data?: Int8Array): TensorSpec => ({
  shape,
  dtype: 'int8',
  scale,
  zeroPoint,
  ...(data ? { data } : {}),
});
const i32 = (values: number[]): TensorSpec => ({ shape: [values.length], dtype: 'int32', scale: 1, zeroPoint: 0, data: new Int32Array(values) });
const f32 = (shape: number[], data?: Float32Array): TensorSpec => ({ shape, dtype: 'float32', ...(data ? { data } : {}) });

/** 3x3 image 1..9 stored as q = v - 128 with zero point -128 (the int8 extreme). */
const image3x3 = Int8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9], (v) => v - 128);
/** 5x5 image 1..25. */
const image5x5 = Int8Array.from({ length: 25 }, (_, k) => k + 1);

function conv(
  input: TensorSpec,
  filter: TensorSpec,
  bias: TensorSpec,
  output: TensorSpec,
  options: Record<string, string | number>,
  opType = 'CONV_2D',
) {
  return graphOf([input, filter, bias, output], [{ opType, inputs: [0, 1, 2], outputs: [3], options }], [0], [3]);
}

describe('kernels: CONV_2D', () => {
  const ones3x3 = i8([1, 3, 3, 1], 1, 0, new Int8Array(9).fill(1));
  const same = { padding: 'SAME', strideW: 1, strideH: 1, fusedActivation: 'NONE' };

  it('SAME padding omits the border taps (input zero point -128)', () => {
    const g = conv(i8([1, 3, 3, 1], 1, -128), ones3x3, i32([0]), i8([1, 3, 3, 1]), same);
    assert.deepEqual(run(g, [image3x3])[0], [12, 21, 16, 27, 45, 33, 24, 39, 28]);
  });

  it('SAME with stride 2 pads one row/column before', () => {
    const g = conv(i8([1, 3, 3, 1], 1, -128), ones3x3, i32([0]), i8([1, 2, 2, 1]), { ...same, strideW: 2, strideH: 2 });
    assert.deepEqual(run(g, [image3x3])[0], [12, 16, 24, 28]);
  });

  it('VALID covers only full windows', () => {
    const g = conv(i8([1, 3, 3, 1], 1, -128), ones3x3, i32([0]), i8([1, 1, 1, 1]), { ...same, padding: 'VALID' });
    assert.deepEqual(run(g, [image3x3])[0], [45]);
  });

  it('dilation 2 samples every other pixel (VALID and SAME borders)', () => {
    const dilated = { padding: 'VALID', strideW: 1, strideH: 1, dilationW: 2, dilationH: 2, fusedActivation: 'NONE' };
    const valid = conv(i8([1, 5, 5, 1]), ones3x3, i32([0]), i8([1, 1, 1, 1]), dilated);
    // rows/cols {0,2,4} of 1..25: 3*(0+10+20) + 3*(0+2+4) + 9 = 117
    assert.deepEqual(run(valid, [image5x5])[0], [117]);
    const sameG = conv(i8([1, 5, 5, 1]), ones3x3, i32([0]), i8([1, 5, 5, 1]), { ...dilated, padding: 'SAME' });
    const out = run(sameG, [image5x5])[0];
    assert.equal(out[12], 117); // centre: all nine taps
    assert.equal(out[0], 1 + 3 + 11 + 13); // corner: taps (0,0),(0,2),(2,0),(2,2)
    assert.equal(out[2], 1 + 3 + 5 + 11 + 13 + 15); // top edge: six taps
  });

  it('adds the bias and saturates at the int8 range', () => {
    const g = conv(i8([1, 3, 3, 1], 1, -128), ones3x3, i32([100]), i8([1, 1, 1, 1]), { ...same, padding: 'VALID' });
    assert.deepEqual(run(g, [image3x3])[0], [127]); // 145 clamps
    const neg = conv(i8([1, 3, 3, 1], 1, -128), ones3x3, i32([-300]), i8([1, 1, 1, 1]), { ...same, padding: 'VALID' });
    assert.deepEqual(run(neg, [image3x3])[0], [-128]); // -255 clamps
  });

  it('applies per-channel shifts of both signs (scale 4: shift +3, scale 0.25: shift -1)', () => {
    const filter = i8([2, 1, 1, 1], [4, 0.25], 0, new Int8Array([1, 1]));
    const g = conv(i8([1, 1, 3, 1]), filter, i32([0, 0]), i8([1, 1, 3, 2]), same);
    // x = 3: 12 and 0.75 -> 1; x = 1: 4 and 0.25 -> 1 (TFLM's double rounding: 0.5 then 0.5 up);
    // x = -3: -12 and -0.75 -> -1.
    assert.deepEqual(run(g, [new Int8Array([3, 1, -3])])[0], [12, 1, 4, 1, -12, -1]);
  });

  it('clamps RELU6 at the quantized 6 of the output scale', () => {
    const g = conv(i8([1, 1, 3, 1]), i8([1, 1, 1, 1], 1, 0, new Int8Array([1])), i32([0]), i8([1, 1, 3, 1], 0.5, -10), {
      ...same,
      fusedActivation: 'RELU6',
    });
    // real x / 0.5 - 10, clamped to [q(0), q(6)] = [-10, 2].
    assert.deepEqual(run(g, [new Int8Array([-5, 2, 50])])[0], [-10, -6, 2]);
  });

  it('blocks output channels by four and finishes the remainder (7 channels, 2x2 window)', () => {
    // Filter c is all (c + 1): each output is (c + 1) * (sum of the window).
    const filter = i8([7, 2, 2, 1], 1, 0, Int8Array.from({ length: 28 }, (_, k) => (k >> 2) + 1));
    const g = conv(i8([1, 2, 2, 1], 1, 5), filter, i32([0, 0, 0, 0, 0, 0, 1]), i8([1, 1, 1, 7]), { ...same, padding: 'VALID' });
    // window real values 1, 2, 3, -1 (q - 5): sum 5
    assert.deepEqual(run(g, [new Int8Array([6, 7, 8, 4])])[0], [5, 10, 15, 20, 25, 30, 36]);
  });

  it('runs grouped filters (input depth = 2 x filter depth)', () => {
    const filter = i8([2, 1, 1, 1], 1, 0, new Int8Array([1, 10]));
    const g = conv(i8([1, 1, 1, 2]), filter, i32([0, 0]), i8([1, 1, 1, 2]), same);
    assert.deepEqual(run(g, [new Int8Array([3, 4])])[0], [3, 40]);
  });

  it('computes float32 with the same geometry', () => {
    const filter = f32([1, 3, 3, 1], new Float32Array(9).fill(0.5));
    const g = conv(f32([1, 3, 3, 1]), filter, { ...f32([1], new Float32Array([0.25])) }, f32([1, 3, 3, 1]), same);
    const out = run(g, [new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9])])[0];
    assert.deepEqual(out, [12, 21, 16, 27, 45, 33, 24, 39, 28].map((v) => v / 2 + 0.25));
  });
});

describe('kernels: DEPTHWISE_CONV_2D', () => {
  const dw = { padding: 'VALID', strideW: 1, strideH: 1, depthMultiplier: 2, fusedActivation: 'NONE' };
  // Channel 0 weights 1, channel 1 weights 2, over a 2x2 window.
  const filter = i8([1, 2, 2, 2], [1, 0.5], 0, new Int8Array([1, 2, 1, 2, 1, 2, 1, 2]));

  it('applies the depth multiplier and per-channel scales', () => {
    const g = conv(i8([1, 2, 2, 1]), filter, i32([0, 0]), i8([1, 1, 1, 2]), dw, 'DEPTHWISE_CONV_2D');
    // channel 0: 1+2+3+4 = 10; channel 1: 2*10 * 0.5 = 10
    assert.deepEqual(run(g, [new Int8Array([1, 2, 3, 4])])[0], [10, 10]);
  });

  it('SAME padding puts the extra row/column after (total padding 1 -> 0 before)', () => {
    const g = conv(i8([1, 2, 2, 1]), filter, i32([0, 0]), i8([1, 2, 2, 2]), { ...dw, padding: 'SAME' }, 'DEPTHWISE_CONV_2D');
    assert.deepEqual(run(g, [new Int8Array([1, 2, 3, 4])])[0], [10, 10, 6, 6, 7, 7, 4, 4]);
  });

  it('handles dilation, stride and the -128 zero point', () => {
    const ones = i8([1, 3, 3, 1], 1, 0, new Int8Array(9).fill(1));
    const opts = { padding: 'VALID', strideW: 1, strideH: 1, depthMultiplier: 1, dilationW: 2, dilationH: 2, fusedActivation: 'NONE' };
    const g = conv(i8([1, 5, 5, 1], 1, -128), ones, i32([0]), i8([1, 1, 1, 1]), opts, 'DEPTHWISE_CONV_2D');
    assert.deepEqual(run(g, [image5x5.map((v) => v - 128)])[0], [117]);
    const strided = conv(i8([1, 3, 3, 1], 1, -128), ones, i32([0]), i8([1, 2, 2, 1]), { ...opts, dilationW: 1, dilationH: 1, padding: 'SAME', strideW: 2, strideH: 2 }, 'DEPTHWISE_CONV_2D');
    assert.deepEqual(run(strided, [image3x3])[0], [12, 16, 24, 28]);
  });
});

describe('kernels: FULLY_CONNECTED', () => {
  const fc = (input: TensorSpec, filter: TensorSpec, bias: TensorSpec | undefined, output: TensorSpec, act = 'NONE') =>
    graphOf(
      bias ? [input, filter, output, bias] : [input, filter, output],
      [{ opType: 'FULLY_CONNECTED', inputs: bias ? [0, 1, 3] : [0, 1, -1], outputs: [2], options: { fusedActivation: act } }],
      [0],
      [2],
    );

  it('multiplies, adds the bias and applies RELU at the output zero point', () => {
    const g = fc(i8([1, 2]), i8([2, 2], 1, 0, new Int8Array([1, 2, 3, -4])), i32([5, 0]), i8([1, 2], 1, -20), 'RELU');
    // [1*3 + 2*4 + 5, 3*3 - 4*4] = [16, -7] -> +zp -20 -> [-4, -27] clamped below at q(0) = -20
    assert.deepEqual(run(g, [new Int8Array([3, 4])])[0], [-4, -20]);
  });

  it('uses input zero point 127 and rounds a double-rounded 1/256 scale', () => {
    const g = fc(i8([1, 1], 1, 127), i8([1, 1], 1, 0, new Int8Array([127])), undefined, i8([1, 1], 256, 0));
    // 127 * (-128 - 127) = -32385; /256 = -126.50.. -> SRDHM -16192.5 -> -16192, then -126.5 -> -127
    assert.deepEqual(run(g, [new Int8Array([-128])])[0], [-127]);
  });

  it('saturates at both ends', () => {
    const g = fc(i8([1, 2]), i8([2, 2], 1, 0, new Int8Array([127, 127, -127, -127])), undefined, i8([1, 2]));
    assert.deepEqual(run(g, [new Int8Array([127, 127])])[0], [127, -128]);
  });

  it('applies per-channel multipliers with shifts of both signs', () => {
    const g = fc(i8([1, 1]), i8([2, 1], [4, 0.25], 0, new Int8Array([1, 1])), undefined, i8([1, 2]));
    assert.deepEqual(run(g, [new Int8Array([3])])[0], [12, 1]);
    assert.deepEqual(run(g, [new Int8Array([-3])])[0], [-12, -1]);
  });

  it('flattens a 4-D input into the accumulation depth', () => {
    const g = fc(i8([1, 2, 1, 2]), i8([1, 4], 1, 0, new Int8Array([1, 1, 1, 1])), i32([0]), i8([1, 1]));
    assert.deepEqual(run(g, [new Int8Array([1, 2, 3, 4])])[0], [10]);
  });

  it('computes float32 in single precision', () => {
    const g = fc(f32([1, 2]), f32([1, 2], new Float32Array([0.5, 0.25])), f32([1], new Float32Array([0.125])), f32([1, 1]));
    assert.deepEqual(run(g, [new Float32Array([1, 2])])[0], [1.125]);
    // 0.1f * 3 is rounded to float before the bias is added.
    const h = fc(f32([1, 1]), f32([1, 1], new Float32Array([3])), f32([1], new Float32Array([0])), f32([1, 1]));
    assert.deepEqual(run(h, [new Float32Array([0.1])])[0], [Math.fround(Math.fround(0.1) * 3)]);
  });
});

describe('kernels: pooling', () => {
  const pool = (opType: string, input: TensorSpec, output: TensorSpec, options: Record<string, string | number>) =>
    graphOf([input, output], [{ opType, inputs: [0], outputs: [1], options }], [0], [1]);
  const window2 = { padding: 'VALID', strideW: 1, strideH: 1, filterWidth: 2, filterHeight: 2, fusedActivation: 'NONE' };

  it('AVERAGE_POOL_2D rounds half away from zero with integer division', () => {
    const g = pool('AVERAGE_POOL_2D', i8([1, 2, 2, 1]), i8([1, 1, 1, 1]), window2);
    assert.deepEqual(run(g, [new Int8Array([1, 2, 3, 5])])[0], [3]); // 2.75
    assert.deepEqual(run(g, [new Int8Array([-1, -2, -3, -5])])[0], [-3]); // -2.75
    assert.deepEqual(run(g, [new Int8Array([1, 1, 0, 0])])[0], [1]); // 0.5
    assert.deepEqual(run(g, [new Int8Array([-1, -1, 0, 0])])[0], [-1]); // -0.5
  });

  it('AVERAGE_POOL_2D counts only the taps inside the input at SAME borders', () => {
    const g = pool('AVERAGE_POOL_2D', i8([1, 3, 3, 1]), i8([1, 2, 2, 1]), { ...window2, padding: 'SAME', strideW: 2, strideH: 2 });
    // (1+2+4+5)/4 = 3, (3+6)/2 = 4.5 -> 5, (7+8)/2 = 7.5 -> 8, 9
    assert.deepEqual(run(g, [new Int8Array([1, 2, 3, 4, 5, 6, 7, 8, 9])])[0], [3, 5, 8, 9]);
  });

  it('AVERAGE_POOL_2D in float32', () => {
    const g = pool('AVERAGE_POOL_2D', f32([1, 2, 2, 1]), f32([1, 1, 1, 1]), window2);
    assert.deepEqual(run(g, [new Float32Array([1, 2, 3, 5])])[0], [2.75]);
  });

  it('MAX_POOL_2D takes the window maximum and clamps with RELU6', () => {
    const opts = { ...window2, padding: 'SAME', strideW: 2, strideH: 2 };
    const g = pool('MAX_POOL_2D', i8([1, 3, 3, 1]), i8([1, 2, 2, 1]), opts);
    assert.deepEqual(run(g, [new Int8Array([1, 2, 3, 4, 5, 6, 7, 8, 9])])[0], [5, 6, 8, 9]);
    const relu6 = pool('MAX_POOL_2D', i8([1, 3, 3, 1]), i8([1, 2, 2, 1]), { ...opts, fusedActivation: 'RELU6' });
    assert.deepEqual(run(relu6, [new Int8Array([-9, -8, 3, -6, -5, 6, 7, 8, 9])])[0], [0, 6, 6, 6]);
    const all = pool('MAX_POOL_2D', i8([1, 2, 2, 1]), i8([1, 1, 1, 1]), window2);
    assert.deepEqual(run(all, [new Int8Array([-128, -128, -128, -128])])[0], [-128]);
  });

  it('refuses pooled tensors whose quantization differs', () => {
    const g = pool('AVERAGE_POOL_2D', i8([1, 2, 2, 1], 1), i8([1, 1, 1, 1], 2), window2);
    assert.throws(() => prepareEngine(g), /quantization must match/);
  });
});

describe('kernels: SOFTMAX', () => {
  const sm = (input: TensorSpec, output: TensorSpec) =>
    graphOf([input, output], [{ opType: 'SOFTMAX', inputs: [0], outputs: [1], options: { beta: 1 } }], [0], [1]);

  it('int8: equal logits share the probability (0.25 -> -64 at scale 1/256, zero point -128)', () => {
    const g = sm(i8([1, 4], 0.1), i8([1, 4], 1 / 256, -128));
    assert.deepEqual(run(g, [new Int8Array([10, 10, 10, 10])])[0], [-64, -64, -64, -64]);
    const two = sm(i8([1, 2], 0.1), i8([1, 2], 1 / 256, -128));
    assert.deepEqual(run(two, [new Int8Array([-128, -128])])[0], [0, 0]);
  });

  it('int8: a certain class saturates at 127 and differences below diff_min give -128', () => {
    const g = sm(i8([1, 2], 1), i8([1, 2], 1 / 256, -128));
    assert.deepEqual(run(g, [new Int8Array([127, -128])])[0], [127, -128]);
  });

  it('int8: stays within one quantum of the float softmax, row by row', () => {
    const g = sm(i8([3, 5], 0.05, 3), i8([3, 5], 1 / 256, -128));
    const x = new Int8Array([0, 20, -40, 60, 5, 127, 100, 90, -128, 0, -3, -3, -3, -3, -2]);
    const out = run(g, [x])[0];
    for (let r = 0; r < 3; r++) {
      const row = Array.from(x.slice(r * 5, r * 5 + 5), (q) => 0.05 * (q - 3));
      const m = Math.max(...row);
      const e = row.map((v) => Math.exp(v - m));
      const s = e.reduce((a, b) => a + b, 0);
      // The fixed-point exp and reciprocal are approximations: one output quantum of tolerance.
      e.forEach((v, c) => assert.ok(Math.abs(v / s * 256 - 128 - out[r * 5 + c]) <= 1, `row ${r} col ${c}`));
    }
  });

  it('float32', () => {
    const g = sm(f32([1, 2]), f32([1, 2]));
    const out = run(g, [new Float32Array([0, Math.log(3)])])[0];
    assert.ok(Math.abs(out[0] - 0.25) < 1e-7 && Math.abs(out[1] - 0.75) < 1e-7);
  });

  it('refuses an int8 output that is not scale 1/256, zero point -128', () => {
    assert.throws(() => prepareEngine(sm(i8([1, 2], 1), i8([1, 2], 1 / 128, -128))), EngineError);
  });
});

describe('kernels: RESHAPE, QUANTIZE, DEQUANTIZE, ADD', () => {
  it('RESHAPE copies the bytes', () => {
    const g = graphOf(
      [i8([1, 4]), { shape: [2], dtype: 'int32', data: new Int32Array([2, 2]) }, i8([2, 2])],
      [{ opType: 'RESHAPE', inputs: [0, 1], outputs: [2], options: { newShape: [2, 2] } }],
      [0],
      [2],
    );
    assert.deepEqual(run(g, [new Int8Array([1, -2, 3, -4])])[0], [1, -2, 3, -4]);
  });

  it('QUANTIZE rounds half away from zero, clamps, and maps NaN to the zero point', () => {
    const g = graphOf([f32([6]), i8([6], 0.5, -1)], [{ opType: 'QUANTIZE', inputs: [0], outputs: [1] }], [0], [1]);
    assert.deepEqual(run(g, [new Float32Array([0.25, -0.25, 0.75, 100, -100, NaN])])[0], [0, -2, 1, 127, -128, -1]);
  });

  it('QUANTIZE requantizes int8 to another scale', () => {
    const g = graphOf([i8([3], 1, 0), i8([3], 2, 5)], [{ opType: 'QUANTIZE', inputs: [0], outputs: [1] }], [0], [1]);
    // x 0.5 is (2^30, shift 0): SRDHM alone rounds, halves upward: 2.5 -> 3 but -2.5 -> -2.
    assert.deepEqual(run(g, [new Int8Array([4, 5, -5])])[0], [7, 8, 3]);
  });

  it('DEQUANTIZE is float(scale * (q - zero point))', () => {
    const g = graphOf([i8([3], 0.5, -1), f32([3])], [{ opType: 'DEQUANTIZE', inputs: [0], outputs: [1] }], [0], [1]);
    assert.deepEqual(run(g, [new Int8Array([-128, 127, 0])])[0], [-63.5, 64, 0.5]);
  });

  it('ADD int8 rescales both inputs through the left shift of 20', () => {
    const g = graphOf(
      [i8([1, 3], 0.5, 0), i8([1, 3], 0.25, 10), i8([1, 3], 1, -5)],
      [{ opType: 'ADD', inputs: [0, 1], outputs: [2], options: { fusedActivation: 'NONE' } }],
      [0, 1],
      [2],
    );
    // 5 + 1 = 6 -> 1; -10 + -10 = -20 -> -25; 63.5 + 29.25 = 92.75 -> 93 -> 88
    assert.deepEqual(run(g, [new Int8Array([10, -20, 127]), new Int8Array([14, -30, 127])])[0], [1, -25, 88]);
  });

  it('ADD broadcasts and saturates', () => {
    const g = graphOf(
      [i8([1, 2, 2, 1]), i8([1], 1, 0, new Int8Array([100])), i8([1, 2, 2, 1])],
      [{ opType: 'ADD', inputs: [0, 1], outputs: [2], options: { fusedActivation: 'NONE' } }],
      [0],
      [2],
    );
    assert.deepEqual(run(g, [new Int8Array([1, 27, 28, -128])])[0], [101, 127, 127, -28]);
  });

  it('ADD float32 with RELU', () => {
    const g = graphOf(
      [f32([2]), f32([2]), f32([2])],
      [{ opType: 'ADD', inputs: [0, 1], outputs: [2], options: { fusedActivation: 'RELU' } }],
      [0, 1],
      [2],
    );
    assert.deepEqual(run(g, [new Float32Array([1.5, -3]), new Float32Array([0.25, 1])])[0], [1.75, 0]);
  });
});
