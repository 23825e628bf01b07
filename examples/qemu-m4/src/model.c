/* Prepare once, invoke many times: no allocation after model_prepare. */
#include "model.h"

#include <stddef.h>

#include "modelData.h"

static fc_params_t params[MODEL_LAYER_COUNT];
static int8_t activations[2][MODEL_MAX_DEPTH];
static model_info_t info;

const char *model_prepare(void) {
  for (int i = 0; i < MODEL_LAYER_COUNT; i++) {
    const fc_layer_t *layer = &model_layers[i];
    if (layer->output_depth > MODEL_MAX_DEPTH) return "layer wider than MODEL_MAX_DEPTH";
    if (i > 0 && layer->input_depth != model_layers[i - 1].output_depth) return "layers do not chain";
    const char *error = fc_prepare(layer, &params[i]);
    if (error) return error;
  }
  info.name = MODEL_NAME;
  info.sha256 = MODEL_SHA256;
  info.layer_count = MODEL_LAYER_COUNT;
  info.input_size = model_layers[0].input_depth;
  info.output_size = model_layers[MODEL_LAYER_COUNT - 1].output_depth;
  info.input_scale = f32_from_bits(model_layers[0].input_scale_bits);
  info.input_zero_point = model_layers[0].input_zero_point;
  info.output_scale = f32_from_bits(model_layers[MODEL_LAYER_COUNT - 1].output_scale_bits);
  info.output_zero_point = model_layers[MODEL_LAYER_COUNT - 1].output_zero_point;
  return NULL;
}

const model_info_t *model_info(void) { return &info; }

const fc_params_t *model_layer_params(int layer) { return &params[layer]; }

void model_invoke(const int8_t *input, int8_t *output) {
  const int8_t *in = input;
  for (int i = 0; i < MODEL_LAYER_COUNT; i++) {
    int8_t *out = i == MODEL_LAYER_COUNT - 1 ? output : activations[i & 1];
    fc_eval(&model_layers[i], &params[i], in, out);
    in = out;
  }
}
