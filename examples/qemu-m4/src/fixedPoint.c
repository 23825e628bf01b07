/* QuantizeMultiplier runs on the device, in double precision (soft-float on an FPv4-SP core),
 * exactly as TFLM's Prepare does: nothing about the requantization is precomputed on the host. */
#include "fixedPoint.h"

#include <math.h>

int quantize_multiplier(double real_multiplier, int32_t *multiplier, int *shift) {
  if (real_multiplier == 0.0) {
    *multiplier = 0;
    *shift = 0;
    return 0;
  }
  if (!isfinite(real_multiplier)) return -1;
  int exponent;
  const double q = frexp(real_multiplier, &exponent);
  int64_t q_fixed = (int64_t)round(q * (double)(1ll << 31)); /* TfLiteRound: ties away from zero */
  if (q_fixed == (1ll << 31)) {
    q_fixed /= 2;
    exponent++;
  }
  if (exponent < -31) { /* every bit would shift out: TFLM flushes to zero */
    exponent = 0;
    q_fixed = 0;
  }
  *multiplier = (int32_t)q_fixed;
  *shift = exponent;
  return 0;
}
