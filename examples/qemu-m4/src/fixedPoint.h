/* TFLM's fixed-point requantization, double rounding (TFLITE_SINGLE_ROUNDING off, the default):
 * gemmlowp's SaturatingRoundingDoublingHighMul and RoundingDivideByPOT, and TFLite's
 * QuantizeMultiplier / MultiplyByQuantizedMultiplier (tflite-micro 90b983c2,
 * tensorflow/lite/kernels/internal/common.cc and quantization_util.cc). */
#ifndef FIXED_POINT_H
#define FIXED_POINT_H

#include <stdint.h>

/* (a * b + nudge) / 2^31 truncated toward zero; INT32_MIN * INT32_MIN saturates. */
static inline int32_t saturating_rounding_doubling_high_mul(int32_t a, int32_t b) {
  if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
  const int64_t ab = (int64_t)a * (int64_t)b;
  const int32_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
  return (int32_t)((ab + nudge) / (1ll << 31));
}

/* Arithmetic shift right by exponent (0..31), rounding to nearest, ties away from zero. */
static inline int32_t rounding_divide_by_pot(int32_t x, int exponent) {
  const int32_t mask = (int32_t)((1ll << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

static inline int32_t multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int shift) {
  const int left_shift = shift > 0 ? shift : 0;
  const int right_shift = shift > 0 ? 0 : -shift;
  /* TFLM writes x * (1 << left_shift); the unsigned shift wraps the same way without UB. */
  const int32_t shifted = (int32_t)((uint32_t)x << left_shift);
  return rounding_divide_by_pot(saturating_rounding_doubling_high_mul(shifted, multiplier), right_shift);
}

/* QuantizeMultiplier: a real multiplier as a Q0.31 significand in [2^30, 2^31) and a shift.
 * Returns 0, or -1 for a multiplier that is not finite. */
int quantize_multiplier(double real_multiplier, int32_t *multiplier, int *shift);

#endif
