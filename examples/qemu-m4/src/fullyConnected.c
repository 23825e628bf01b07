/* FULLY_CONNECTED int8, TFLM reference numerics: int32 accumulation of
 * (filter + filter_offset) * (input + input_offset), plus bias, requantized with
 * MultiplyByQuantizedMultiplier (double rounding), plus the output offset, clamped to the fused
 * activation's range. */
#include "fullyConnected.h"

#include <math.h>
#include <string.h>

#include "fixedPoint.h"

float f32_from_bits(uint32_t bits) {
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}

/* kernel_util.h Quantize: zero_point + (int32_t)TfLiteRound(f / scale), in float. */
static int quantize_bound(float scale, int32_t zero_point, float f, int32_t *q) {
  const float tmp = roundf(f / scale);
  if (!(tmp >= -2147483648.0f && tmp <= 2147483520.0f)) return -1;
  *q = zero_point + (int32_t)tmp;
  return 0;
}

const char *fc_prepare(const fc_layer_t *layer, fc_params_t *params) {
  if (layer->input_depth <= 0 || layer->output_depth <= 0) return "empty filter";
  if (!layer->filter) return "no filter";

  const float input_scale = f32_from_bits(layer->input_scale_bits);
  const float filter_scale = f32_from_bits(layer->filter_scale_bits);
  const float output_scale = f32_from_bits(layer->output_scale_bits);
  if (!(input_scale > 0.0f && filter_scale > 0.0f && output_scale > 0.0f)) return "scale is not positive";

  /* GetQuantizedConvolutionMultipler: input x filter scale in float, then double division. */
  const double input_product_scale = (double)(input_scale * filter_scale);
  const double real_multiplier = input_product_scale / (double)output_scale;
  if (quantize_multiplier(real_multiplier, &params->output_multiplier, &params->output_shift) != 0) {
    return "output multiplier is not finite";
  }

  /* CalculateActivationRangeQuantized for an int8 output. */
  int32_t lo = INT8_MIN, hi = INT8_MAX, q;
  switch (layer->activation) {
    case FC_ACT_NONE:
      break;
    case FC_ACT_RELU:
      if (quantize_bound(output_scale, layer->output_zero_point, 0.0f, &q)) return "activation bound overflows";
      if (q > lo) lo = q;
      break;
    case FC_ACT_RELU6:
      if (quantize_bound(output_scale, layer->output_zero_point, 0.0f, &q)) return "activation bound overflows";
      if (q > lo) lo = q;
      if (quantize_bound(output_scale, layer->output_zero_point, 6.0f, &q)) return "activation bound overflows";
      if (q < hi) hi = q;
      break;
    case FC_ACT_RELU_N1_TO_1:
      if (quantize_bound(output_scale, layer->output_zero_point, -1.0f, &q)) return "activation bound overflows";
      if (q > lo) lo = q;
      if (quantize_bound(output_scale, layer->output_zero_point, 1.0f, &q)) return "activation bound overflows";
      if (q < hi) hi = q;
      break;
    default:
      return "fused activation not supported";
  }
  params->activation_min = lo;
  params->activation_max = hi;
  return 0;
}

void fc_eval(const fc_layer_t *layer, const fc_params_t *params, const int8_t *input, int8_t *output) {
  const int32_t input_offset = -layer->input_zero_point;
  const int32_t filter_offset = -layer->filter_zero_point;
  const int32_t output_offset = layer->output_zero_point;
  const int depth = layer->input_depth;
  for (int out_c = 0; out_c < layer->output_depth; out_c++) {
    const int8_t *row = layer->filter + out_c * depth;
    int32_t acc = 0;
    for (int d = 0; d < depth; d++) {
      acc += ((int32_t)row[d] + filter_offset) * ((int32_t)input[d] + input_offset);
    }
    if (layer->bias) acc += layer->bias[out_c];
    int32_t v = multiply_by_quantized_multiplier(acc, params->output_multiplier, params->output_shift);
    v += output_offset;
    if (v < params->activation_min) v = params->activation_min;
    if (v > params->activation_max) v = params->activation_max;
    output[out_c] = (int8_t)v;
  }
}
