// What the input readers need to know of one model input. Kept apart from the folder loader so
// the byte-level mappers can use it without pulling in the file system.

export interface ModelInputSpec {
  name: string;
  /** Static shape; a leading batch dimension is 1. */
  shape: readonly number[];
  /** Element type as the graph names it ('float32', 'int8', ...). */
  dtype: string;
  /** Per-tensor quantization of a quantized input. */
  scale?: number;
  zeroPoint?: number;
  /** Order of image dimensions: [1,H,W,C] or [1,C,H,W]. */
  layout: 'nhwc' | 'nchw';
}

/** Elements of one sample of the input; 0 when a dimension is unknown. */
export function inputElementCount(spec: ModelInputSpec): number {
  let n = 1;
  for (const d of spec.shape) {
    if (!Number.isInteger(d) || d < 0) return 0;
    n *= d;
  }
  return n;
}

export function describeInput(spec: ModelInputSpec): string {
  return `input '${spec.name}' (${spec.dtype} [${spec.shape.join(',')}])`;
}

/** True when integer values in the input's own type must go through its scale and zero point. */
export function isQuantized(spec: ModelInputSpec): boolean {
  return spec.scale !== undefined && spec.dtype !== 'float32';
}

/** Integer values in the input's own type as the float values the engine expects. */
export function dequantized(values: ArrayLike<number>, spec: ModelInputSpec): Float32Array {
  const out = new Float32Array(values.length);
  const scale = isQuantized(spec) ? spec.scale! : 1;
  const zeroPoint = isQuantized(spec) ? spec.zeroPoint ?? 0 : 0;
  for (let i = 0; i < values.length; i++) out[i] = (values[i] - zeroPoint) * scale;
  return out;
}
