// Fixed-point arithmetic of TFLM's reference kernels, bit for bit: gemmlowp's
// SaturatingRoundingDoublingHighMul and RoundingDivideByPOT, TFLite's QuantizeMultiplier and
// double-rounding MultiplyByQuantizedMultiplier (TFLITE_SINGLE_ROUNDING is off by default), and
// the gemmlowp exp / reciprocal used by int8 SOFTMAX. Ported from tflite-micro 90b983c2 and
// gemmlowp 719139ce; int32 wrap-around is emulated with `| 0`, 64-bit products are split into
// 16-bit halves so that no intermediate leaves the 2^53 range where doubles are exact.

export const INT32_MIN = -0x80000000;
export const INT32_MAX = 0x7fffffff;

/** std::round / roundf: halves go away from zero (Math.round sends -2.5 to -2). */
export function tfliteRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** std::frexp: x = fraction * 2^exponent with |fraction| in [0.5, 1), or (x, 0) for 0/NaN/Inf. */
export function frexp(x: number): { fraction: number; exponent: number } {
  if (x === 0 || !Number.isFinite(x)) return { fraction: x, exponent: 0 };
  let abs = Math.abs(x);
  let exponent = 0;
  // Subnormals: scale into the normal range first (multiplying by 2^64 is exact).
  if (abs < 2 ** -1000) {
    abs *= 2 ** 64;
    exponent -= 64;
  }
  let e = Math.floor(Math.log2(abs)) + 1;
  let m = abs * 2 ** -e;
  // Math.log2 may be off by one near powers of two; settle exactly.
  while (m >= 1) {
    m /= 2;
    e++;
  }
  while (m < 0.5) {
    m *= 2;
    e--;
  }
  return { fraction: x < 0 ? -m : m, exponent: exponent + e };
}

export interface QuantizedMultiplier {
  /** Q0.31 significand in [2^30, 2^31), or 0. */
  multiplier: number;
  /** Power-of-two exponent: positive shifts left. */
  shift: number;
}

/** quantization_util.cc QuantizeMultiplier (TFLITE_SINGLE_ROUNDING off, TFLITE_EMULATE_FLOAT off). */
export function quantizeMultiplier(doubleMultiplier: number): QuantizedMultiplier {
  if (doubleMultiplier === 0) return { multiplier: 0, shift: 0 };
  const { fraction, exponent } = frexp(doubleMultiplier);
  let shift = exponent;
  let qFixed = tfliteRound(fraction * 2 ** 31);
  if (!(qFixed <= 2 ** 31)) throw new RangeError(`QuantizeMultiplier: ${doubleMultiplier} is not finite`);
  if (qFixed === 2 ** 31) {
    qFixed /= 2;
    shift++;
  }
  // A shift below -31 would shift every bit out: TFLM flushes such multipliers to zero.
  if (shift < -31) {
    shift = 0;
    qFixed = 0;
  }
  return { multiplier: qFixed, shift };
}

/** QuantizeMultiplierGreaterThanOne: TFLITE_CHECK_GT(m, 1) and a non-negative shift. */
export function quantizeMultiplierGreaterThanOne(doubleMultiplier: number): QuantizedMultiplier {
  if (!(doubleMultiplier > 1)) throw new RangeError(`multiplier ${doubleMultiplier} must be > 1`);
  const q = quantizeMultiplier(doubleMultiplier);
  if (q.shift < 0) throw new RangeError(`multiplier ${doubleMultiplier} gave a negative shift`);
  return q;
}

/** QuantizeMultiplierSmallerThanOneExp: m in (0, 1), shift <= 0. */
export function quantizeMultiplierSmallerThanOneExp(doubleMultiplier: number): QuantizedMultiplier {
  if (!(doubleMultiplier < 1 && doubleMultiplier > 0)) {
    throw new RangeError(`multiplier ${doubleMultiplier} must be in (0, 1)`);
  }
  const q = quantizeMultiplier(doubleMultiplier);
  if (q.shift > 0) throw new RangeError(`multiplier ${doubleMultiplier} gave a positive shift`);
  return q;
}

/**
 * gemmlowp SaturatingRoundingDoublingHighMul (ARM VQRDMULH): (a*b + nudge) / 2^31 truncated
 * toward zero, where nudge = 2^30 for a non-negative product and 1 - 2^30 otherwise; INT32_MIN²
 * saturates to INT32_MAX. The 62-bit product is formed as hi*2^16 + lo with both parts exact.
 */
export function saturatingRoundingDoublingHighMul(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  const nonNegative = (a ^ b) >= 0 || a === 0 || b === 0;
  const hi = (a >> 16) * b; // |hi| <= 2^46
  const lo = (a & 0xffff) * b + (nonNegative ? 0x40000000 : 1 - 0x40000000); // |lo| < 2^48
  const loQ = Math.floor(lo / 65536);
  const loR = lo - loQ * 65536; // in [0, 65536)
  // a*b + nudge = t*2^16 + loR, so its sign is t's sign and floor(./2^31) = floor(t/2^15).
  const t = hi + loQ;
  const floorQ = Math.floor(t / 32768);
  if (t >= 0) return floorQ;
  // Truncation toward zero is the ceiling for a negative value: +1 unless it divides exactly.
  return loR === 0 && t % 32768 === 0 ? floorQ : floorQ + 1;
}

/**
 * gemmlowp RoundingDivideByPOT: arithmetic shift right by `exponent` (0..31), rounding to nearest
 * with ties away from zero (the threshold grows by one for negative x).
 */
export function roundingDivideByPOT(x: number, exponent: number): number {
  const mask = exponent === 0 ? 0 : -1 >>> (32 - exponent);
  const remainder = x & mask;
  const threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return ((x >> exponent) + (remainder > threshold ? 1 : 0)) | 0;
}

/**
 * common.cc MultiplyByQuantizedMultiplier(int32) with double rounding (the default build):
 * left shift (wrapping like the C++ int32 multiply), SRDHM, then a rounding right shift.
 */
export function multiplyByQuantizedMultiplier(x: number, quantizedMultiplier: number, shift: number): number {
  const leftShift = shift > 0 ? shift : 0;
  const rightShift = shift > 0 ? 0 : -shift;
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x << leftShift, quantizedMultiplier), rightShift);
}

/**
 * multiplyByQuantizedMultiplier, same result, faster (#4 item 5): when |x << leftShift| < 2^22 the
 * product with a multiplier below 2^31 in magnitude is below 2^53, so the double product is exact
 * and `(product + nudge) / 2^31 | 0` is SRDHM's truncation toward zero itself (the quotient is an
 * int32). Larger accumulators take the 16-bit-half path. The rounding right shift is inlined.
 * fastPaths.test.ts checks it against the reference on edge values and random accumulators.
 */
export function multiplyByQuantizedMultiplierFast(x: number, quantizedMultiplier: number, shift: number): number {
  const a = shift > 0 ? x << shift : x;
  let q: number;
  if (a < 0x400000 && a > -0x400000) {
    const p = a * quantizedMultiplier;
    q = ((p + (p < 0 ? 1 - 0x40000000 : 0x40000000)) / 2147483648) | 0;
  } else {
    q = saturatingRoundingDoublingHighMul(a, quantizedMultiplier);
  }
  if (shift >= 0) return q;
  const rightShift = -shift;
  const mask = -1 >>> (32 - rightShift);
  const threshold = (mask >> 1) + (q < 0 ? 1 : 0);
  return ((q >> rightShift) + ((q & mask) > threshold ? 1 : 0)) | 0;
}

/** MultiplyByQuantizedMultiplierSmallerThanOneExp (double rounding): leftShift <= 0. */
export function multiplyByQuantizedMultiplierSmallerThanOneExp(
  x: number,
  quantizedMultiplier: number,
  leftShift: number,
): number {
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x, quantizedMultiplier), -leftShift);
}

/** MultiplyByQuantizedMultiplierGreaterThanOne (double rounding): leftShift >= 0. */
export function multiplyByQuantizedMultiplierGreaterThanOne(
  x: number,
  quantizedMultiplier: number,
  leftShift: number,
): number {
  return saturatingRoundingDoublingHighMul(x << leftShift, quantizedMultiplier);
}

/**
 * gemmlowp SaturatingRoundingMultiplyByPOT<exponent>: saturating left shift for exponent > 0,
 * RoundingDivideByPOT for exponent < 0.
 */
export function saturatingRoundingMultiplyByPOT(x: number, exponent: number): number {
  if (exponent === 0) return x;
  if (exponent < 0) return roundingDivideByPOT(x, -exponent);
  const threshold = (1 << (31 - exponent)) - 1;
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return x << exponent;
}

/** gemmlowp RoundingHalfSum(int32): (a + b + sign) / 2 in 64 bits, truncated. */
export function roundingHalfSum(a: number, b: number): number {
  const sum = a + b;
  return Math.trunc((sum + (sum >= 0 ? 1 : -1)) / 2) | 0;
}

/** gemmlowp exp_on_interval_between_negative_one_quarter_and_0_excl, Q0.31 in and out. */
export function expOnIntervalBetweenNegativeOneQuarterAnd0Excl(a: number): number {
  const constantTerm = 1895147668; // exp(-1/8)
  const constantOneOver3 = 715827883;
  const x = (a + (1 << 28)) | 0; // a + 1/8
  const x2 = saturatingRoundingDoublingHighMul(x, x);
  const x3 = saturatingRoundingDoublingHighMul(x2, x);
  const x4 = saturatingRoundingDoublingHighMul(x2, x2);
  const x4Over4 = roundingDivideByPOT(x4, 2);
  const poly = roundingDivideByPOT(
    (saturatingRoundingDoublingHighMul((x4Over4 + x3) | 0, constantOneOver3) + x2) | 0,
    1,
  );
  return (constantTerm + saturatingRoundingDoublingHighMul(constantTerm, (x + poly) | 0)) | 0;
}

/** Q0 multipliers exp(-2^k) for k = -2..4, applied per set bit of the integer part. */
const EXP_BARREL: readonly (readonly [number, number])[] = [
  [-2, 1672461947],
  [-1, 1302514674],
  [0, 790015084],
  [1, 290630308],
  [2, 39332535],
  [3, 720401],
  [4, 242],
];

/** gemmlowp exp_on_negative_values for a Q(integerBits).(31-integerBits) input; Q0.31 result. */
export function expOnNegativeValues(a: number, integerBits: number): number {
  const fractionalBits = 31 - integerBits;
  const oneQuarter = 1 << (fractionalBits - 2);
  const mask = oneQuarter - 1;
  const aModQuarterMinusOneQuarter = ((a & mask) - oneQuarter) | 0;
  let result = expOnIntervalBetweenNegativeOneQuarterAnd0Excl(
    saturatingRoundingMultiplyByPOT(aModQuarterMinusOneQuarter, integerBits), // Rescale<0>
  );
  const remainder = (aModQuarterMinusOneQuarter - a) | 0;
  for (const [exponent, multiplier] of EXP_BARREL) {
    if (integerBits > exponent) {
      const shiftAmount = fractionalBits + exponent;
      if ((remainder & (1 << shiftAmount)) !== 0) {
        result = saturatingRoundingDoublingHighMul(result, multiplier);
      }
    }
  }
  if (integerBits > 5) {
    const clamp = -(1 << (36 - integerBits)); // -32.0
    if (a < clamp) result = 0;
  }
  return a === 0 ? INT32_MAX : result;
}

/** gemmlowp one_over_one_plus_x_for_x_in_0_1: Newton-Raphson in Q2.29, Q0.31 in and out. */
export function oneOverOnePlusXForXIn01(a: number): number {
  return saturatingRoundingMultiplyByPOT(newtonOneOverHalfDenominator(a), 1); // Rescale<0>(ExactMulByPot<-1>(x))
}

/** The Newton-Raphson iteration both gemmlowp divisions share: 1 / ((1 + a) / 2) in Q2.29. */
function newtonOneOverHalfDenominator(a: number): number {
  const halfDenominator = roundingHalfSum(a, INT32_MAX);
  const constant48Over17 = 1515870810;
  const constantNeg32Over17 = -1010580540;
  const oneQ2 = 1 << 29;
  let x = (constant48Over17 + saturatingRoundingDoublingHighMul(halfDenominator, constantNeg32Over17)) | 0;
  for (let i = 0; i < 3; i++) {
    const halfDenominatorTimesX = saturatingRoundingDoublingHighMul(halfDenominator, x);
    const oneMinus = (oneQ2 - halfDenominatorTimesX) | 0;
    x = (x + saturatingRoundingMultiplyByPOT(saturatingRoundingDoublingHighMul(x, oneMinus), 2)) | 0;
  }
  return x;
}

/** gemmlowp one_minus_x_over_one_plus_x_for_x_in_0_1: (1 - a) / (1 + a), Q0.31 in and out. */
export function oneMinusXOverOnePlusXForXIn01(a: number): number {
  // Rescale<0>(x - F2::One()): Q2.29 to Q0.31 is a saturating shift left by 2.
  return saturatingRoundingMultiplyByPOT((newtonOneOverHalfDenominator(a) - (1 << 29)) | 0, 2);
}

/**
 * gemmlowp logistic for a Q(integerBits) input: 1 / (1 + exp(-|a|)), mirrored for negative a
 * as One - f(|a|) where F0's One is INT32_MAX; exactly 0.5 (2^30) at zero. Q0.31 result.
 */
export function fixedLogistic(a: number, integerBits: number): number {
  if (a === 0) return 1 << 30;
  const positive = a > 0;
  const abs = positive ? a : -a | 0;
  const f = oneOverOnePlusXForXIn01(expOnNegativeValues(-abs | 0, integerBits));
  return positive ? f : (INT32_MAX - f) | 0;
}

/**
 * gemmlowp tanh for a Q(integerBits) input: (1 - exp(2n)) / (1 + exp(2n)) on n = -|a| (the
 * doubling is ExactMulByPot<1>: same raw bits, one more integer bit), sign restored. Q0.31 result.
 */
export function fixedTanh(a: number, integerBits: number): number {
  if (a === 0) return 0;
  const negative = a < 0;
  const n = negative ? a : -a | 0;
  const t = oneMinusXOverOnePlusXForXIn01(expOnNegativeValues(n, integerBits + 1));
  return negative ? -t | 0 : t;
}

/**
 * common.h GetReciprocal: 1/x for a positive Q(xIntegerDigits) x, as a Q0.31 scale and the number
 * of bits by which x exceeds one.
 */
export function getReciprocal(x: number, xIntegerDigits: number): { scale: number; numBitsOverUnit: number } {
  const headroomPlusOne = Math.clz32(x);
  const numBitsOverUnit = xIntegerDigits - headroomPlusOne;
  // (uint32(x) << headroom) - 2^31, reinterpreted as int32: flipping the top bit is the same.
  const shiftedSumMinusOne = ((x << headroomPlusOne) ^ INT32_MIN) | 0;
  return { scale: oneOverOnePlusXForXIn01(shiftedSumMinusOne), numBitsOverUnit };
}

/** quantization_util.cc PreprocessSoftmaxScaling (double rounding: cap 2^31 - 1). */
export function preprocessSoftmaxScaling(beta: number, inputScale: number, inputIntegerBits: number): QuantizedMultiplier {
  const maxRealMultiplier = 2 ** 31 - 1;
  const real = Math.min(beta * inputScale * 2 ** (31 - inputIntegerBits), maxRealMultiplier);
  return quantizeMultiplierGreaterThanOne(real);
}

/** quantization_util.cc CalculateInputRadius (total_signed_bits 31 by default). */
export function calculateInputRadius(inputIntegerBits: number, inputLeftShift: number, totalSignedBits = 31): number {
  const maxInputRescaled =
    (((1 << inputIntegerBits) - 1) * 2 ** (totalSignedBits - inputIntegerBits)) / 2 ** inputLeftShift;
  return Math.floor(maxInputRescaled);
}


/**
 * common.cc MultiplyByQuantizedMultiplier(int64_t x, ...) (double-rounding build): the 31-bit
 * multiplier is first reduced to 15 bits, then x * reduced + 2^(14 - shift) is shifted right by
 * 15 - shift. Used where TFLM accumulates in 64 bits (16x8 kernels with int64 bias). x must be an
 * integer below 2^47 in magnitude (as TFLM DCHECKs); the 62-bit product is split so that every
 * intermediate stays exact in a double.
 */
export function multiplyByQuantizedMultiplierInt64(x: number, quantizedMultiplier: number, shift: number): number {
  const reduced = quantizedMultiplier < 0x7fff0000 ? (quantizedMultiplier + (1 << 15)) >> 16 : 0x7fff;
  const totalShift = 15 - shift;
  // x = hi * 2^16 + lo with lo in [0, 2^16): x * r = (hi * r) * 2^16 + lo * r, both parts exact.
  const hi = Math.floor(x / 65536);
  const lo = x - hi * 65536;
  const a = hi * reduced;
  const b = lo * reduced + 2 ** (totalShift - 1);
  if (totalShift >= 16) {
    // floor((a*2^16 + b) / 2^t) = floor((a + floor(b / 2^16)) / 2^(t-16)): nested floors agree.
    return Math.floor((a + Math.floor(b / 65536)) / 2 ** (totalShift - 16)) | 0;
  }
  return (a * 2 ** (16 - totalShift) + Math.floor(b / 2 ** totalShift)) | 0;
}

/**
 * quantization_util.cc CheckedLog2 on a float32: log2 by logf(x) * (1.0f / logf(2.0f)), rounded
 * half away from zero, and whether x is within 1e-3 (in the exponent) of a power of two.
 */
export function checkedLog2(x: number): { log2: number; isPowerOfTwo: boolean } {
  const f = Math.fround;
  const xLog2 = f(f(Math.log(f(x))) * f(1 / f(Math.log(2))));
  const rounded = f(tfliteRound(xLog2));
  const fraction = f(xLog2 - rounded);
  return { log2: rounded, isPowerOfTwo: Math.abs(fraction) < f(1e-3) };
}

/** gemmlowp SaturatingRoundingDoublingHighMul on int16: (a*b + nudge) / 2^15, truncated toward zero. */
export function saturatingRoundingDoublingHighMul16(a: number, b: number): number {
  if (a === -32768 && b === -32768) return 32767;
  const ab = a * b;
  const nudge = ab >= 0 ? 1 << 14 : 1 - (1 << 14);
  return Math.trunc((ab + nudge) / 32768);
}

/**
 * sigmoid(i / 24) in 0.16 fixed point for i = 0..255: the look-up table of TFLM's int16 LOGISTIC
 * and TANH (kernels/internal/common.h sigmoid_table_uint16, Apache-2.0, The TensorFlow Authors).
 * Kept as data: no closed formula reproduces it (44 entries are one above round(2^16 * sigmoid)),
 * and the int16 kernels interpolate between these exact values.
 */
export const SIGMOID_TABLE_UINT16: Readonly<Uint16Array> = Uint16Array.from([
  32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149, 40794, 41432, 42064, 42688,
  43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369, 47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409,
  51865, 52311, 52745, 53169, 53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
  57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370, 60565, 60753, 60935, 61110,
  61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302, 62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186,
  63279, 63368, 63454, 63536, 63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
  64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786, 64816, 64845, 64873, 64900,
  64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079, 65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208,
  65221, 65234, 65246, 65258, 65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
  65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433, 65438, 65442, 65445, 65449,
  65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474, 65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491,
  65493, 65495, 65497, 65498, 65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
  65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524,
  65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530,
  65530, 65530, 65531, 65531, 65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
  65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65535,
]);
