// onnxruntime's float requantization, bit for bit on x86: MLAS multiplies the int32 accumulator,
// converted to float, by a float scale (x_scale * w_scale / y_scale computed in float), clamps to
// [qmin - zp, qmax - zp] and rounds half to even (SSE cvtps2dq, or its scalar "magic number" add).
// QuantizeLinear divides by the scale in float and rounds the same way. Doubles reproduce float
// arithmetic exactly here: one product or quotient of two floats, rounded once by Math.fround.

/** Round half to even (std::nearbyint in the default rounding mode). */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** The float multiplier ORT derives for QLinearConv/QLinearMatMul: (x_scale * w_scale) / y_scale in float. */
export function ortOutputScale(xScale: number, wScale: number, yScale: number): number {
  return Math.fround(Math.fround(Math.fround(xScale) * Math.fround(wScale)) / Math.fround(yScale));
}

/** MlasRequantizeOutput for one value: float(acc) * scale, clamped, rounded half to even, plus zero point. */
export function ortRequantize(acc: number, scale: number, zeroPoint: number, qmin: number, qmax: number): number {
  let f = Math.fround(Math.fround(acc) * scale);
  const lo = qmin - zeroPoint;
  const hi = qmax - zeroPoint;
  if (f < lo) f = lo;
  else if (f > hi) f = hi;
  return roundHalfEven(f) + zeroPoint;
}

/** QuantizeLinear (MlasQuantizeLinear): round(x / scale) half to even, plus zero point, saturated. */
export function ortQuantize(x: number, scale: number, zeroPoint: number, qmin: number, qmax: number): number {
  // NaN saturates to 0 (cvtps2dq gives INT32_MIN, then the clamp); keep it in range either way.
  const q = roundHalfEven(Math.fround(x / scale)) + zeroPoint;
  if (!(q >= qmin)) return q > qmax ? qmax : qmin;
  return q > qmax ? qmax : q;
}
