// The int16 -> int16 look-up tables of TFLM's int16 SOFTMAX (kernels/internal/common.h:
// LUTPopulateInt16<float> and LUTLookup(int16_t)): 513 samples of a function over the whole int16
// input range, each nudged by half the error that linear interpolation makes at the midpoint of
// its step, then read back with 9 index bits and 7 interpolation bits.
//
// Every table step is float32 arithmetic, emulated exactly with Math.fround (a double sum,
// product or quotient of two float32s rounded once to float32 is the correctly rounded float32
// result). The one thing JavaScript cannot promise is the transform itself when it calls a libm
// function: the caller passes fround(Math.exp(x)) for expf, which is the correctly rounded value
// in all but vanishingly rare cases, while a device libm may be off by one ulp. Such an ulp moves
// an entry only if it pushes value * 32768 across a .5 boundary (see softmaxInt16.test.ts).

import { tfliteRound } from '../fixedPoint';

export const LUT_INT16_SIZE = 513;

const f = Math.fround;

/**
 * LUTPopulateInt16<float>: table of transform(x) for x = input_scale * (q - input_zero_point),
 * q over [-32768, 32767], quantized with output_scale / output_zero_point. `transform` receives a
 * float32 and must return a float32 (as TFLM's float (*)(float)).
 */
export function populateLutInt16(
  inputScale: number,
  inputZeroPoint: number,
  outputScale: number,
  outputZeroPoint: number,
  transform: (x: number) => number,
): Int16Array {
  const inScale = f(inputScale);
  const outScale = f(outputScale);
  // (int16 limit - zero point) is an int, converted exactly to float before the product.
  const inputMin = f(inScale * (-32768 - inputZeroPoint));
  const inputMax = f(inScale * (32767 - inputZeroPoint));
  const outputMin = f(outScale * (-32768 - outputZeroPoint));
  const outputMax = f(outScale * (32767 - outputZeroPoint));
  const steps = 512;
  const step = f(f(inputMax - inputMin) / steps);
  const halfStep = f(step / 2);
  const scalingInv = f(65536 / f(outputMax - outputMin));
  const clampToTable = (v: number): number => (v < -32768 ? -32768 : v > 32767 ? 32767 : v);

  const lut = new Int16Array(LUT_INT16_SIZE);
  for (let i = 0; i < steps; i++) {
    // C++ evaluates `input_min + i * step + half_step` left to right, each step in float.
    const x = f(inputMin + f(i * step));
    const val = transform(x);
    const valMidpoint = transform(f(x + halfStep));
    const valNext = transform(f(inputMin + f((i + 1) * step)));

    const sample = tfliteRound(f(val * scalingInv));
    const midpointInterp = tfliteRound(f(f(f(valNext * scalingInv) + sample) / 2));
    const midpointVal = tfliteRound(f(valMidpoint * scalingInv));
    const bias = tfliteRound(f(f(midpointInterp - midpointVal) / 2));
    lut[i] = clampToTable(f(sample - bias));
  }
  lut[steps] = clampToTable(tfliteRound(f(transform(inputMax) * scalingInv)));
  return lut;
}

/**
 * LUTLookup(int16_t): entry (value >> 7) + 256 plus the slope to the next entry times the low 7
 * bits, rounded half up; the sum wraps to int16 as TFLM's static_cast does.
 */
export function lutLookupInt16(value: number, lut: Int16Array): number {
  const index = 256 + (value >> 7);
  const offset = value & 0x7f;
  const base = lut[index];
  const slope = ((lut[index + 1] - base) << 16) >> 16;
  const delta = (slope * offset + 64) >> 7;
  return ((base + delta) << 16) >> 16;
}
