import assert from 'node:assert/strict';
import {
  INT32_MAX,
  INT32_MIN,
  calculateInputRadius,
  expOnNegativeValues,
  frexp,
  getReciprocal,
  multiplyByQuantizedMultiplier,
  multiplyByQuantizedMultiplierGreaterThanOne,
  multiplyByQuantizedMultiplierSmallerThanOneExp,
  oneOverOnePlusXForXIn01,
  preprocessSoftmaxScaling,
  quantizeMultiplier,
  roundingDivideByPOT,
  saturatingRoundingDoublingHighMul,
  saturatingRoundingMultiplyByPOT,
  tfliteRound,
} from '../../../server/src/engine/fixedPoint';

// BigInt references written from gemmlowp's C++ (int64 product, C++ division truncating toward 0).
function srdhmRef(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  const ab = BigInt(a) * BigInt(b);
  const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n);
  return Number((ab + nudge) / (1n << 31n)); // BigInt division truncates, like C++
}

function rdbpotRef(x: number, exponent: number): number {
  const mask = (1n << BigInt(exponent)) - 1n;
  const bx = BigInt(x);
  const remainder = bx & mask;
  const threshold = (mask >> 1n) + (bx < 0n ? 1n : 0n);
  return Number((bx >> BigInt(exponent)) + (remainder > threshold ? 1n : 0n));
}

/** xorshift32: deterministic pairs that cover the whole int32 range. */
function rng(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s | 0;
  };
}

describe('fixedPoint: SaturatingRoundingDoublingHighMul', () => {
  it('saturates INT32_MIN * INT32_MIN to INT32_MAX (the only overflow)', () => {
    assert.equal(saturatingRoundingDoublingHighMul(INT32_MIN, INT32_MIN), INT32_MAX);
  });

  it('handles the extremes without losing bits past 2^53', () => {
    // INT32_MAX^2 = 2^62 - 2^32 + 1: (2^62 - 2^32 + 1 + 2^30) / 2^31 = 2^31 - 2 + 0.5.. -> 2147483646
    assert.equal(saturatingRoundingDoublingHighMul(INT32_MAX, INT32_MAX), 2147483646);
    // INT32_MIN * INT32_MAX = -(2^62 - 2^31): (-2^62 + 2^31 + 1 - 2^30) / 2^31 -> -2147483647 (trunc)
    assert.equal(saturatingRoundingDoublingHighMul(INT32_MIN, INT32_MAX), -2147483647);
    assert.equal(saturatingRoundingDoublingHighMul(INT32_MAX, INT32_MIN), -2147483647);
    assert.equal(saturatingRoundingDoublingHighMul(INT32_MIN, 1), -1);
    assert.equal(saturatingRoundingDoublingHighMul(0, INT32_MIN), 0);
  });

  it('rounds exact halves up (toward +inf): the negative nudge 1 - 2^30 then truncation', () => {
    // 2^30 * 1 = 0.5 * 2^31: (2^30 + 2^30) / 2^31 = 1.
    assert.equal(saturatingRoundingDoublingHighMul(1 << 30, 1), 1);
    // -0.5: (-2^30 + 1 - 2^30) / 2^31 = -0.99.. truncates to 0, not -1.
    assert.equal(saturatingRoundingDoublingHighMul(-(1 << 30), 1), 0);
    // Just below a half.
    assert.equal(saturatingRoundingDoublingHighMul((1 << 30) - 1, 1), 0);
    assert.equal(saturatingRoundingDoublingHighMul(-((1 << 30) - 1), 1), 0);
    // 3 * 2^30 = 1.5 * 2^31 -> 2; -1.5 -> -1; -1.5 minus one product unit -> -2.
    assert.equal(saturatingRoundingDoublingHighMul(3 << 29, 2), 2);
    assert.equal(saturatingRoundingDoublingHighMul(-(3 << 29), 2), -1);
    assert.equal(saturatingRoundingDoublingHighMul(-(3 << 29) - 1, 2), -2);
  });

  it('halves a product by a Q0.31 one-half', () => {
    assert.equal(saturatingRoundingDoublingHighMul(1000, 1 << 30), 500);
    assert.equal(saturatingRoundingDoublingHighMul(-1000, 1 << 30), -500);
    assert.equal(saturatingRoundingDoublingHighMul(1001, 1 << 30), 501); // 500.5 -> 501
    assert.equal(saturatingRoundingDoublingHighMul(-1001, 1 << 30), -500); // -500.5 -> -500
  });

  it('matches a BigInt reference on 100,000 random pairs and on edge pairs', () => {
    const next = rng(0x2545f491);
    const edges = [0, 1, -1, 2, -2, 0x7fff, 0x8000, 0xffff, 0x10000, -0x10000, 1 << 30, -(1 << 30), INT32_MAX, INT32_MIN, INT32_MIN + 1];
    for (const a of edges) for (const b of edges) assert.equal(saturatingRoundingDoublingHighMul(a, b), srdhmRef(a, b), `${a} * ${b}`);
    for (let i = 0; i < 100_000; i++) {
      // Mix full-range values with small ones so that ties and small products are exercised.
      const a = i % 3 === 0 ? next() >> (next() & 31) : next();
      const b = i % 5 === 0 ? next() >> (next() & 31) : next();
      const got = saturatingRoundingDoublingHighMul(a, b);
      const want = srdhmRef(a, b);
      if (got !== want) assert.fail(`SRDHM(${a}, ${b}) = ${got}, want ${want}`);
    }
  });
});

describe('fixedPoint: RoundingDivideByPOT', () => {
  it('rounds ties away from zero: the threshold grows by one for negative x', () => {
    assert.equal(roundingDivideByPOT(5, 1), 3); // 2.5 -> 3
    assert.equal(roundingDivideByPOT(-5, 1), -3); // -2.5 -> -3
    assert.equal(roundingDivideByPOT(3, 1), 2); // 1.5 -> 2
    assert.equal(roundingDivideByPOT(-3, 1), -2); // -1.5 -> -2
    assert.equal(roundingDivideByPOT(-1, 1), -1); // -0.5 -> -1
    assert.equal(roundingDivideByPOT(1, 1), 1); // 0.5 -> 1
    assert.equal(roundingDivideByPOT(-6, 2), -2); // -1.5 -> -2
    assert.equal(roundingDivideByPOT(-5, 2), -1); // -1.25 -> -1
    assert.equal(roundingDivideByPOT(-7, 2), -2); // -1.75 -> -2
  });

  it('is the identity at exponent 0 and handles exponent 31', () => {
    assert.equal(roundingDivideByPOT(-12345, 0), -12345);
    assert.equal(roundingDivideByPOT(INT32_MAX, 31), 1);
    assert.equal(roundingDivideByPOT(INT32_MIN, 31), -1);
    assert.equal(roundingDivideByPOT(1 << 30, 31), 1); // exactly 0.5
    assert.equal(roundingDivideByPOT(-(1 << 30), 31), -1); // exactly -0.5
    assert.equal(roundingDivideByPOT((1 << 30) - 1, 31), 0);
  });

  it('matches a BigInt reference on random inputs and every exponent', () => {
    const next = rng(0x9e3779b9);
    for (let i = 0; i < 20_000; i++) {
      const x = next();
      const e = i % 32;
      assert.equal(roundingDivideByPOT(x, e), rdbpotRef(x, e), `${x} >> ${e}`);
    }
  });
});

describe('fixedPoint: QuantizeMultiplier', () => {
  it('gives a Q0.31 significand in [2^30, 2^31) and the frexp exponent', () => {
    assert.deepEqual(quantizeMultiplier(0.5), { multiplier: 1 << 30, shift: 0 });
    assert.deepEqual(quantizeMultiplier(1), { multiplier: 1 << 30, shift: 1 });
    assert.deepEqual(quantizeMultiplier(0.75), { multiplier: 3 << 29, shift: 0 });
    assert.deepEqual(quantizeMultiplier(0.1), { multiplier: 1717986918, shift: -3 });
    assert.deepEqual(quantizeMultiplier(3), { multiplier: 3 << 29, shift: 2 });
    assert.deepEqual(quantizeMultiplier(0), { multiplier: 0, shift: 0 });
  });

  it('carries q_fixed == 2^31 into the exponent', () => {
    // frexp(1 - 2^-40) = (1 - 2^-40, 0); round(q * 2^31) = 2^31 -> (2^30, shift 1).
    assert.deepEqual(quantizeMultiplier(1 - 2 ** -40), { multiplier: 1 << 30, shift: 1 });
  });

  it('flushes multipliers whose shift would fall below -31 to zero', () => {
    // 2^-32 = 0.5 * 2^-31: shift -31 is kept; 2^-33 gives -32 and flushes.
    assert.deepEqual(quantizeMultiplier(2 ** -32), { multiplier: 1 << 30, shift: -31 });
    assert.deepEqual(quantizeMultiplier(2 ** -33), { multiplier: 0, shift: 0 });
  });

  it('splits doubles with frexp, subnormals included', () => {
    assert.deepEqual(frexp(8), { fraction: 0.5, exponent: 4 });
    assert.deepEqual(frexp(-3), { fraction: -0.75, exponent: 2 });
    assert.deepEqual(frexp(2 ** -1074), { fraction: 0.5, exponent: -1073 });
    assert.deepEqual(frexp(0), { fraction: 0, exponent: 0 });
  });

  it('rounds halves away from zero like std::round', () => {
    assert.equal(tfliteRound(2.5), 3);
    assert.equal(tfliteRound(-2.5), -3);
    assert.equal(tfliteRound(-0.4), -0);
    assert.equal(tfliteRound(0.49999999999999994), 0);
  });
});

describe('fixedPoint: MultiplyByQuantizedMultiplier (double rounding)', () => {
  it('left-shifts before the high multiply for positive shifts', () => {
    // 100 * 0.75 * 2^2 = 300
    assert.equal(multiplyByQuantizedMultiplier(100, 3 << 29, 2), 300);
    assert.equal(multiplyByQuantizedMultiplier(-100, 3 << 29, 2), -300);
  });

  it('rounds twice for negative shifts: SRDHM rounds, then RoundingDivideByPOT', () => {
    // 1 * 0.75 = 0.75 -> SRDHM 1 (rounds 0.75 up), then 1 >> 1 = 0.5 -> 1.
    // A single rounding of 0.375 would give 0: the double rounding is TFLM's default.
    assert.equal(multiplyByQuantizedMultiplier(1, 3 << 29, -1), 1);
    assert.equal(multiplyByQuantizedMultiplier(-1, 3 << 29, -1), -1);
    // 10 * 0.1 = 1 (with m = round(0.8 * 2^31), shift -3).
    assert.equal(multiplyByQuantizedMultiplier(10, 1717986918, -3), 1);
    assert.equal(multiplyByQuantizedMultiplier(25, 1717986918, -3), 3); // 2.5 -> 3
    assert.equal(multiplyByQuantizedMultiplier(-25, 1717986918, -3), -3);
  });

  it('wraps the left shift like the C++ int32 multiply and saturates in SRDHM', () => {
    // (1 << 31) wraps to INT32_MIN, then INT32_MIN * INT32_MIN saturates.
    assert.equal(multiplyByQuantizedMultiplier(1, INT32_MIN, 31), INT32_MAX);
  });

  it('matches the BigInt composition on random accumulators, multipliers and shifts of both signs', () => {
    const next = rng(12345);
    for (let i = 0; i < 20_000; i++) {
      const x = next() >> 8; // a typical int32 accumulator range
      const m = (1 << 30) + (next() & 0x3fffffff);
      const shift = (next() & 15) - 12; // -12..3
      const left = shift > 0 ? shift : 0;
      const want = rdbpotRef(srdhmRef((x << left) | 0, m), shift > 0 ? 0 : -shift);
      assert.equal(multiplyByQuantizedMultiplier(x, m, shift), want);
    }
  });

  it('has the SmallerThanOneExp and GreaterThanOne forms', () => {
    assert.equal(multiplyByQuantizedMultiplierSmallerThanOneExp(1 << 20, 1 << 30, -1), 1 << 18);
    assert.equal(multiplyByQuantizedMultiplierGreaterThanOne(-3, 1 << 30, 4), -24);
  });
});

describe('fixedPoint: gemmlowp exp and reciprocal (int8 SOFTMAX)', () => {
  const Q5_26 = 2 ** 26;
  it('exp_on_negative_values(0) is one (INT32_MAX in Q0.31)', () => {
    assert.equal(expOnNegativeValues(0, 5), INT32_MAX);
  });

  it('approximates exp(x) for x in Q5.26 within a few Q0.31 ulps of 2^-31 * 2^10', () => {
    for (const v of [-0.1, -0.25, -0.5, -1, -2.5, -4, -8, -15.9]) {
      const got = expOnNegativeValues(Math.round(v * Q5_26), 5) / 2 ** 31;
      assert.ok(Math.abs(got - Math.exp(v)) < 2e-6, `exp(${v}) = ${got}`);
    }
  });

  it('computes 1/(1+x) and GetReciprocal', () => {
    const half = 1 << 30; // 0.5 in Q0.31
    assert.ok(Math.abs(oneOverOnePlusXForXIn01(half) / 2 ** 31 - 2 / 3) < 1e-8);
    // sum = 3.0 in Q12.19: 1/3 = 0.666.. * 2^-1, so 1 bit over unit.
    const r = getReciprocal(3 << 19, 12);
    assert.equal(r.numBitsOverUnit, 1);
    assert.ok(Math.abs(r.scale / 2 ** 31 - 2 / 3) < 1e-8);
  });

  it('precomputes the softmax input multiplier, left shift and diff_min as TFLM does', () => {
    // beta 1, input scale 0.1: real = 0.1 * 2^26 -> quantized with a positive shift.
    const q = preprocessSoftmaxScaling(1, Math.fround(0.1), 5);
    assert.equal(q.shift, 23);
    assert.equal(q.multiplier, quantizeMultiplier(Math.fround(0.1) * 2 ** 26).multiplier);
    // diff_min = -floor(31 * 2^26 / 2^23) = -248
    assert.equal(calculateInputRadius(5, q.shift), 248);
  });

  it('saturates the positive power-of-two rescale', () => {
    assert.equal(saturatingRoundingMultiplyByPOT(1 << 29, 2), INT32_MAX);
    assert.equal(saturatingRoundingMultiplyByPOT(-(1 << 29), 2), INT32_MIN);
    assert.equal(saturatingRoundingMultiplyByPOT((1 << 29) - 1, 2), ((1 << 29) - 1) * 4);
    assert.equal(saturatingRoundingMultiplyByPOT(-5, -1), -3);
  });
});
