/* The sine sweep: for x in [0, 2*pi) in STEPS_PER_PERIOD steps, forever, quantize x, run the
 * model, dequantize y, and print two lines per step:
 *   x:0.0628,sin:0.0628,y:0.0580                      Arduino Serial Plotter (label:value pairs)
 *   {"step":1,"x":0.0628,"xq":-125,"yq":12,"y":0.0580} the raw int8 bytes, for checking on a host
 * Sending 't' prints the model's output for every int8 input, -128..127, between two steps. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "cmsdkUart.h"
#include "model.h"

#ifndef STEPS_PER_PERIOD
#define STEPS_PER_PERIOD 100
#endif

#define CLOCK_HZ 25000000ul /* MPS2 peripheral clock */
#define BAUD 115200ul
#define TWO_PI_F 6.28318530718f

static char line[160];

static void print_line(int length) {
  if (length < 0) return;
  if ((unsigned)length >= sizeof line) length = sizeof line - 1;
  uart_write(line, (unsigned)length);
  uart_putc('\r');
  uart_putc('\n');
}

/* TFLM's QUANTIZE reference (AffineQuantize): round(x / scale) + zero_point, clamped. */
static int8_t quantize(float x, float scale, int32_t zero_point) {
  int32_t q = (int32_t)roundf(x / scale) + zero_point;
  if (q < INT8_MIN) q = INT8_MIN;
  if (q > INT8_MAX) q = INT8_MAX;
  return (int8_t)q;
}

/* TFLM's DEQUANTIZE reference: the scale is widened to double before the multiply. */
static float dequantize(int8_t q, float scale, int32_t zero_point) {
  return (float)((double)scale * (double)((int32_t)q - zero_point));
}

static void print_banner(const model_info_t *m) {
  print_line(snprintf(line, sizeof line,
                      "{\"model\":\"%s\",\"sha256\":\"%s\",\"layers\":%d,\"steps_per_period\":%d}",
                      m->name, m->sha256, m->layer_count, STEPS_PER_PERIOD));
  for (int i = 0; i < m->layer_count; i++) {
    const fc_params_t *p = model_layer_params(i);
    print_line(snprintf(line, sizeof line,
                        "{\"layer\":%d,\"multiplier\":%ld,\"shift\":%d,\"act_min\":%ld,\"act_max\":%ld}", i,
                        (long)p->output_multiplier, p->output_shift, (long)p->activation_min,
                        (long)p->activation_max));
  }
}

/* Every int8 input through the model: the whole input domain of a one-input network. */
static void print_table(void) {
  print_line(snprintf(line, sizeof line, "{\"table\":\"begin\",\"count\":256}"));
  for (int v = INT8_MIN; v <= INT8_MAX; v++) {
    int8_t xq = (int8_t)v, yq;
    model_invoke(&xq, &yq);
    print_line(snprintf(line, sizeof line, "{\"xq\":%d,\"yq\":%d}", xq, yq));
  }
  print_line(snprintf(line, sizeof line, "{\"table\":\"end\"}"));
}

int main(void) {
  uart_init(CLOCK_HZ, BAUD);
  const char *error = model_prepare();
  if (error) {
    print_line(snprintf(line, sizeof line, "{\"error\":\"model_prepare: %s\"}", error));
    return 1;
  }
  const model_info_t *m = model_info();
  if (m->input_size != 1 || m->output_size != 1) {
    print_line(snprintf(line, sizeof line, "{\"error\":\"the sweep needs a model with one input and one output\"}"));
    return 1;
  }
  print_banner(m);

  const float step_size = TWO_PI_F / STEPS_PER_PERIOD;
  for (uint32_t i = 0;; i++) {
    if (uart_getc_nonblocking() == 't') print_table();

    const int step = (int)(i % STEPS_PER_PERIOD);
    const float x = (float)step * step_size;
    const int8_t xq = quantize(x, m->input_scale, m->input_zero_point);
    int8_t yq;
    model_invoke(&xq, &yq);
    const float y = dequantize(yq, m->output_scale, m->output_zero_point);

    print_line(snprintf(line, sizeof line, "x:%.4f,sin:%.4f,y:%.4f", (double)x, (double)sinf(x), (double)y));
    print_line(snprintf(line, sizeof line, "{\"step\":%d,\"x\":%.4f,\"xq\":%d,\"yq\":%d,\"y\":%.4f}", step,
                        (double)x, xq, yq, (double)y));
  }
}
