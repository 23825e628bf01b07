// Constant rewriting for the ONNX -> TFLite converter: axis permutations of weight bytes (OIHW ->
// OHWI or 1HWC, [K, N] -> [N, K]), float32 views and the BatchNormalization fold. Folded values
// are computed in double and rounded once to float32, as onnxruntime's Conv+BN fusion does.

import type { DType } from '../../model/graph';

export function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function elementWidth(dtype: DType): number {
  switch (dtype) {
    case 'float64':
    case 'int64':
      return 8;
    case 'float32':
    case 'int32':
      return 4;
    case 'int16':
    case 'float16':
      return 2;
    default:
      return 1;
  }
}

/** A copy of float32 bytes as numbers (the source may be unaligned). */
export function floatsOf(data: Uint8Array): Float32Array {
  return new Float32Array(data.slice().buffer);
}

export function bytesOfFloats(values: Float32Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/** Values of a small integer constant (int64 or int32), e.g. pads, axes, shapes. */
export function integersOf(data: Uint8Array, dtype: DType): number[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const width = elementWidth(dtype);
  const out: number[] = [];
  for (let o = 0; o + width <= data.byteLength; o += width) {
    out.push(dtype === 'int64' ? Number(view.getBigInt64(o, true)) : dtype === 'int32' ? view.getInt32(o, true) : dtype === 'int8' ? view.getInt8(o) : view.getUint8(o));
  }
  return out;
}

/** Per-channel affine form of inference BatchNormalization: y = x * scale + shift. */
export interface ChannelAffine {
  scale: Float64Array;
  shift: Float64Array;
}

export function batchNormAffine(gamma: Float32Array, beta: Float32Array, mean: Float32Array, variance: Float32Array, epsilon: number): ChannelAffine {
  const c = gamma.length;
  const scale = new Float64Array(c);
  const shift = new Float64Array(c);
  for (let i = 0; i < c; i++) {
    scale[i] = gamma[i] / Math.sqrt(variance[i] + Math.fround(epsilon));
    shift[i] = beta[i] - mean[i] * scale[i];
  }
  return { scale, shift };
}

/** Folds y = affine(conv(x) + b) into the conv: w[o, ...] *= scale[o], b = b * scale + shift. */
export function foldIntoConv(weights: Float32Array, outChannels: number, bias: Float32Array | undefined, affine: ChannelAffine): { weights: Float32Array; bias: Float32Array } {
  const per = weights.length / outChannels;
  const w = new Float32Array(weights.length);
  const b = new Float32Array(outChannels);
  for (let o = 0; o < outChannels; o++) {
    for (let k = 0; k < per; k++) w[o * per + k] = weights[o * per + k] * affine.scale[o];
    b[o] = (bias ? bias[o] : 0) * affine.scale[o] + affine.shift[o];
  }
  return { weights: w, bias: b };
}
