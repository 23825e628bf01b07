// Quantization parameters as the TFLite converter chooses them: activations asymmetric int8 per
// tensor from a float range nudged to contain 0; weights symmetric int8 (zero point 0, values in
// [-127, 127]) per tensor or per channel; biases int32 at input scale x weight scale.

export const INT8_MIN = -128;
export const INT8_MAX = 127;
const INT32_MAX = 2147483647;

export interface AffineParams {
  scale: number;
  zeroPoint: number;
}

/**
 * Asymmetric int8 parameters for the range [min, max] (quant::fakeQuantAttrsToType): the range
 * is widened to contain 0 so that 0 is exact; scale = (max - min) / 255; zero point rounded from
 * min and clamped to [-128, 127]. An empty range (all zeros) gets scale 1.
 */
export function activationParams(min: number, max: number): AffineParams {
  const rmin = Math.min(min, 0);
  const rmax = Math.max(max, 0);
  if (!(rmax - rmin > 1e-30) || !Number.isFinite(rmax - rmin)) return { scale: 1, zeroPoint: 0 };
  const scale = Math.fround((rmax - rmin) / (INT8_MAX - INT8_MIN));
  const fromMin = INT8_MIN - rmin / scale;
  const zeroPoint = fromMin < INT8_MIN ? INT8_MIN : fromMin > INT8_MAX ? INT8_MAX : Math.round(fromMin);
  return { scale, zeroPoint };
}

/** Round half away from zero, as std::round and TFLite's SafeCast of rounded values. */
export function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

export function quantizeValue(x: number, p: AffineParams, min = INT8_MIN, max = INT8_MAX): number {
  const q = roundHalfAway(x / p.scale) + p.zeroPoint;
  return q < min ? min : q > max ? max : q;
}

function channelLayout(shape: readonly number[], axis: number | undefined): { channels: number; inner: number } {
  const channels = axis === undefined ? 1 : shape[axis];
  let inner = 1;
  if (axis !== undefined) for (let d = axis + 1; d < shape.length; d++) inner *= shape[d];
  return { channels, inner };
}

/**
 * Symmetric int8 weight scales, one per slice along `axis` (or one for the whole tensor when
 * `axis` is undefined): scale = max|w| / 127 (TFLite's SymmetricPerChannelQuantization).
 */
export function weightScales(values: Float32Array, shape: readonly number[], axis: number | undefined): number[] {
  const { channels, inner } = channelLayout(shape, axis);
  const absMax = new Float64Array(channels);
  for (let i = 0; i < values.length; i++) {
    const c = axis === undefined ? 0 : Math.floor(i / inner) % channels;
    const a = Math.abs(values[i]);
    if (a > absMax[c]) absMax[c] = a;
  }
  return Array.from(absMax, (m) => (m > 0 ? Math.fround(m / INT8_MAX) : 1));
}

/**
 * Largest |bias| / (input scale x weight scale) allowed: half the int32 range, as TFLite's
 * AdjustWeightsForBiasScale, so that accumulator plus bias keeps headroom.
 */
const BIAS_LIMIT = 2 ** 30;

/**
 * Raises the weight scale of channels whose bias would not fit at input scale x weight scale
 * (dead channels: weights near 0, bias not), as TFLite's quantizer does; returns how many changed.
 */
export function adjustScalesForBias(scales: number[], bias: Float32Array, inputScale: number): number {
  let changed = 0;
  for (let c = 0; c < scales.length; c++) {
    const b = Math.abs(scales.length === 1 ? Math.max(...Array.from(bias, Math.abs)) : bias[c]);
    if (b / (inputScale * scales[c]) > BIAS_LIMIT) {
      scales[c] = Math.fround(b / (inputScale * BIAS_LIMIT));
      changed++;
    }
  }
  return changed;
}

/** int8 weights at the given scales, clamped to [-127, 127]. */
export function quantizeWeights(values: Float32Array, shape: readonly number[], axis: number | undefined, scales: readonly number[]): Int8Array {
  const { channels, inner } = channelLayout(shape, axis);
  const data = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const c = axis === undefined ? 0 : Math.floor(i / inner) % channels;
    const q = roundHalfAway(values[i] / scales[c]);
    data[i] = q < -INT8_MAX ? -INT8_MAX : q > INT8_MAX ? INT8_MAX : q;
  }
  return data;
}

export interface QuantizedBias {
  data: Int32Array;
  scales: number[];
  /** Channels whose bias did not fit in int32 and was clamped. */
  clamped: number;
}

/** int32 bias at scale inputScale x weightScale[c], zero point 0. */
export function quantizeBias(values: Float32Array, inputScale: number, weightScales: readonly number[]): QuantizedBias {
  const perChannel = weightScales.length > 1;
  const scales = Array.from(perChannel ? weightScales : [weightScales[0]], (s) => Math.fround(inputScale * s));
  const data = new Int32Array(values.length);
  let clamped = 0;
  for (let i = 0; i < values.length; i++) {
    const q = roundHalfAway(values[i] / scales[perChannel ? i : 0]);
    if (Math.abs(q) > INT32_MAX) clamped++;
    data[i] = q > INT32_MAX ? INT32_MAX : q < -INT32_MAX ? -INT32_MAX : q;
  }
  return { data, scales, clamped };
}
