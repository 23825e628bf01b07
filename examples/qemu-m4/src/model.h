/* The network: the model header's FULLY_CONNECTED layers run in order, batch 1, through two
 * ping-pong activation buffers (TFLM's arena plan for a chain needs no more). */
#ifndef MODEL_H
#define MODEL_H

#include <stdint.h>

#include "fullyConnected.h"

typedef struct {
  const char *name;
  const char *sha256;
  int layer_count;
  int input_size;
  int output_size;
  float input_scale;
  int32_t input_zero_point;
  float output_scale;
  int32_t output_zero_point;
} model_info_t;

/* 0, or a static message naming the first layer that failed to prepare. */
const char *model_prepare(void);
const model_info_t *model_info(void);
const fc_params_t *model_layer_params(int layer);
void model_invoke(const int8_t *input, int8_t *output);

#endif
