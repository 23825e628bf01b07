import assert from 'node:assert/strict';
import { type TensorSpec, graphOf, run } from './graphBuilder';

// Hand-checked activation kernels. Comments give the arithmetic; where a test compares with the
// real function instead (the fixed-point logistic and tanh approximate it), the tolerance is
// stated and justified where it is used.

const i8 = (shape: number[], scale: number, zeroPoint: number): TensorSpec => ({ shape, dtype: 'int8', scale, zeroPoint });
const i16 = (shape: number[], scale: number): TensorSpec => ({ shape, dtype: 'int16', scale, zeroPoint: 0 });
const f32 = (shape: number[]): TensorSpec => ({ shape, dtype: 'float32' });

function unary(opType: string, input: TensorSpec, output: TensorSpec, options: Record<string, number | string> = {}) {
  return graphOf([input, output], [{ opType, inputs: [0], outputs: [1], options }], [0], [1]);
}

const allInt8 = Int8Array.from({ length: 256 }, (_, k) => k - 128);

describe('kernels: RELU, RELU6, LEAKY_RELU', () => {
  it('RELU rescales by in/out and clamps at the output zero point', () => {
    // in scale 1 zp -10, out scale 0.5 zp -128: y = -128 + 2 (x + 10), at least -128.
    const g = unary('RELU', i8([5], 1, -10), i8([5], 0.5, -128));
    // -20 -> -148 -> -128; -10 -> -128; 0 -> -108; 50 -> -8; 127 -> 146 -> 127.
    assert.deepEqual(run(g, [new Int8Array([-20, -10, 0, 50, 127])])[0], [-128, -128, -108, -8, 127]);
  });

  it('RELU6 clamps to [zero point, round(6 / scale) + zero point] without rescaling', () => {
    // scale 0.05, zp 3: six = round(6 / 0.05f) + 3 = 120 + 3 = 123.
    const g = unary('RELU6', i8([5], 0.05, 3), i8([5], 0.05, 3));
    assert.deepEqual(run(g, [new Int8Array([-128, 2, 50, 123, 127])])[0], [3, 3, 50, 123, 123]);
  });

  it('LEAKY_RELU: identity multiplier for x >= 0, alpha multiplier for x < 0', () => {
    // scales 1, zp 0, alpha 0.25: -8 -> -2, -128 -> -32, -2 -> -0.5 -> rounds away: -1? The double
    // rounding of MultiplyByQuantizedMultiplier(-2, 2^30, -1): SRDHM gives -1, RDBP(-1, 1) = -1.
    const g = unary('LEAKY_RELU', i8([5], 1, 0), i8([5], 1, 0), { alpha: 0.25 });
    assert.deepEqual(run(g, [new Int8Array([-8, -128, -2, 5, 127])])[0], [-2, -32, -1, 5, 127]);
  });

  it('LEAKY_RELU with a negative alpha keeps the sign through the magnitude multiplier', () => {
    const g = unary('LEAKY_RELU', i8([3], 1, 0), i8([3], 1, 0), { alpha: -0.5 });
    // -8 * -0.5 = 4; -100 * -0.5 = 50; 7 stays.
    assert.deepEqual(run(g, [new Int8Array([-8, -100, 7])])[0], [4, 50, 7]);
  });

  it('float RELU / RELU6 / LEAKY_RELU', () => {
    const x = new Float32Array([-3, -0.5, 0, 2.5, 7]);
    assert.deepEqual(run(unary('RELU', f32([5]), f32([5])), [x])[0], [0, 0, 0, 2.5, 7]);
    assert.deepEqual(run(unary('RELU6', f32([5]), f32([5])), [x])[0], [0, 0, 0, 2.5, 6]);
    assert.deepEqual(run(unary('LEAKY_RELU', f32([5]), f32([5]), { alpha: 0.5 }), [x])[0], [-1.5, -0.25, 0, 2.5, 7]);
  });
});

describe('kernels: LOGISTIC and TANH', () => {
  it('int8 LOGISTIC: exactly 0 at x = 0, saturation beyond the input radius', () => {
    // in scale 1/16: multiplier 2^27/16 = 2^23 -> frexp (0.5, 24), radius floor(15 * 2^27 / 2^24) = 120.
    const g = unary('LOGISTIC', i8([5], 1 / 16, 0), i8([5], 1 / 256, -128));
    // logistic(0) is 2^30 in Q0.31 -> RDBP(2^30, 23) = 128 -> 128 - 128 = 0.
    // 120 >= radius -> 127; -120 <= -radius -> -128; 127 and -128 likewise.
    assert.deepEqual(run(g, [new Int8Array([0, 120, -120, 127, -128])])[0], [0, 127, -128, 127, -128]);
  });

  it('int8 LOGISTIC over all 256 inputs is within 1 LSB of round(256 sigmoid(x)) - 128', () => {
    // Tolerance 1: gemmlowp's logistic approximates sigmoid to ~1e-7 in Q0.31, but the Q0.8
    // rounding of a value that close to a half may land on either side.
    const scale = 0.0625;
    const out = run(unary('LOGISTIC', i8([256], scale, 3), i8([256], 1 / 256, -128)), [allInt8])[0];
    for (let k = 0; k < 256; k++) {
      const real = 1 / (1 + Math.exp(-(allInt8[k] - 3) * Math.fround(scale)));
      const expected = Math.min(127, Math.round(real * 256) - 128);
      assert.ok(Math.abs(out[k] - expected) <= 1, `x = ${allInt8[k]}: ${out[k]} vs ${expected}`);
    }
    // Monotone non-decreasing.
    for (let k = 1; k < 256; k++) assert.ok(out[k] >= out[k - 1]);
  });

  it('int8 TANH: 0 at x = 0, odd symmetry, within 1 LSB of round(128 tanh(x))', () => {
    const scale = 0.03;
    const out = run(unary('TANH', i8([256], scale, 0), i8([256], 1 / 128, 0)), [allInt8])[0];
    assert.equal(out[128], 0); // x = 0
    for (let k = 0; k < 256; k++) {
      const real = Math.tanh(allInt8[k] * Math.fround(scale));
      const expected = Math.max(-128, Math.min(127, Math.round(real * 128)));
      // Tolerance 1: as for LOGISTIC, the fixed-point tanh rounds to Q0.7 from ~1e-7 away.
      assert.ok(Math.abs(out[k] - expected) <= 1, `x = ${allInt8[k]}: ${out[k]} vs ${expected}`);
    }
    // Odd below saturation (the int8 clamp itself is asymmetric: 127 vs -128).
    for (let q = 1; q <= 127; q++) {
      if (out[128 + q] < 127) assert.equal(out[128 + q], -out[128 - q], `tanh(-x) = -tanh(x) at ${q}`);
    }
  });

  it('int16 LOGISTIC (power-of-two input scale 2^-12): table values at the knots', () => {
    // Scale 2^-12: CheckedLog2 = -12, left shift 12 - 12 = 0 -> multiplier 0 -> 3 << 0 = 3.
    // x = 0: v = 0, table[0] = 32768 -> (32768 << 9) + 512 >> 10 = 16384 (0.5 in Q0.15).
    // x = 512: v = 1536 = 3 * 2^9 -> uh = 3, ut = 0: table[3] = 34813 ->
    // ((34813 << 9) + 512) >> 10 = 17407 (sigmoid(3/24) = 0.53121 -> 17406.7 in Q0.15).
    // x = -512: ((1 << 25) - (34813 << 9) + 511) >> 10 = 15361.
    // x = 32767: v = 98301 -> uh = 191, ut = 509; table[191] = 65513, table[192] = 65514 ->
    // ((65513 << 9) + 509 * 1 + 512) >> 10 = 32757.
    const g = unary('LOGISTIC', i16([4], 2 ** -12), i16([4], 2 ** -15));
    assert.deepEqual(run(g, [new Int16Array([0, 512, -512, 32767])])[0], [16384, 17407, 15361, 32757]);
  });

  it('int16 TANH (input scale 2^-12): 0 at 0, odd, near tanh', () => {
    const g = unary('TANH', i16([5], 2 ** -12), i16([5], 2 ** -15));
    const out = run(g, [new Int16Array([0, 4096, -4096, 8192, 32767])])[0];
    assert.equal(out[0], 0);
    // tanh(1) = 0.761594 -> 24956.0 in Q0.15; the 256-knot table interpolates to within 2 LSB.
    assert.ok(Math.abs(out[1] - 24956) <= 2, String(out[1]));
    // The negative branch mirrors the same interpolation (its -1 bias may cost one LSB).
    assert.ok(Math.abs(out[2] + out[1]) <= 1, `${out[2]} vs ${out[1]}`);
    assert.ok(Math.abs(out[3] - Math.round(Math.tanh(2) * 32768)) <= 2, String(out[3]));
    assert.equal(out[4], 32767);
  });

  it('float LOGISTIC / TANH follow the math functions (cutoffs at 16.619 and -9)', () => {
    const x = new Float32Array([-20, -1, 0, 1, 20]);
    const lo = run(unary('LOGISTIC', f32([5]), f32([5])), [x])[0];
    assert.equal(lo[4], 1);
    assert.equal(lo[2], 0.5);
    assert.equal(lo[0], Math.fround(Math.exp(-20))); // below -9: exp(x)
    const th = run(unary('TANH', f32([5]), f32([5])), [x])[0];
    assert.deepEqual(th, Array.from(x, (v) => Math.fround(Math.tanh(v))));
  });
});

describe('kernels: HARD_SWISH', () => {
  it('int8 matches x * relu6(x + 3) / 6 within 1 LSB, exactly 0 at 0 and x for x >= 3', () => {
    // in scale 0.05 zp -10 (x in [-5.9, 6.85]), out scale 0.05 zp -10.
    const out = run(unary('HARD_SWISH', i8([256], 0.05, -10), i8([256], 0.05, -10)), [allInt8])[0];
    for (let k = 0; k < 256; k++) {
      const x = (allInt8[k] + 10) * Math.fround(0.05);
      const real = (x * Math.min(6, Math.max(0, x + 3))) / 6;
      const expected = Math.max(-128, Math.min(127, Math.round(real / Math.fround(0.05)) - 10));
      // Tolerance 1: the reference works on 16-bit multipliers (DownScaleInt32ToInt16Multiplier),
      // whose rounding error reaches half an output step near the ties.
      assert.ok(Math.abs(out[k] - expected) <= 1, `x = ${x}: ${out[k]} vs ${expected}`);
    }
    assert.equal(out[128 - 10], -10); // x = 0 -> 0
    assert.equal(out[128 + 110], 110); // x = (110 + 10) * 0.05 = 6: relu6(9) = 6, output = x
  });

  it('float32', () => {
    const out = run(unary('HARD_SWISH', f32([4]), f32([4])), [new Float32Array([-4, -1, 1, 4])])[0];
    assert.deepEqual(out, [-0, Math.fround(-2 / 6), Math.fround(4 / 6), 4]);
  });
});
