/* FULLY_CONNECTED, int8 with a per-tensor int8 filter and an int32 bias, batch 1: TFLM's
 * reference_integer_ops::FullyConnected (tflite-micro kernels/fully_connected.cc). fc_prepare
 * validates a layer and precomputes its multiplier, shift and activation bounds; fc_eval then
 * runs it without allocating. */
#ifndef FULLY_CONNECTED_H
#define FULLY_CONNECTED_H

#include <stdint.h>

typedef enum { FC_ACT_NONE, FC_ACT_RELU, FC_ACT_RELU_N1_TO_1, FC_ACT_RELU6 } fc_activation_t;

/* What the model header holds per layer. Scales are float32 bit patterns, as stored in the
 * .tflite, so that no decimal round trip can change them. */
typedef struct {
  int input_depth;  /* accumulation depth (filter columns) */
  int output_depth; /* filter rows */
  const int8_t *filter; /* [output_depth][input_depth] */
  const int32_t *bias;  /* [output_depth], or NULL */
  uint32_t input_scale_bits;
  int32_t input_zero_point;
  uint32_t filter_scale_bits;
  int32_t filter_zero_point;
  uint32_t output_scale_bits;
  int32_t output_zero_point;
  fc_activation_t activation;
} fc_layer_t;

/* What Prepare derives from a layer. */
typedef struct {
  int32_t output_multiplier;
  int output_shift;
  int32_t activation_min;
  int32_t activation_max;
} fc_params_t;

float f32_from_bits(uint32_t bits);

/* 0, or a static message naming what is wrong. */
const char *fc_prepare(const fc_layer_t *layer, fc_params_t *params);
void fc_eval(const fc_layer_t *layer, const fc_params_t *params, const int8_t *input, int8_t *output);

#endif
