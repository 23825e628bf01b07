// What a kernel sees: its operator, typed views of its tensors (arena views for planned tensors,
// model-byte views for constants) and the helpers every TFLM kernel's Prepare shares (activation
// ranges, padding). A kernel's `prepare` validates and precomputes; the closure it returns is the
// op's Eval and must allocate nothing.

import type { DType, Operator, OptionValue } from '../../model/graph';
import { INT32_MAX, INT32_MIN, tfliteRound } from '../fixedPoint';

export type TensorData = Int8Array | Uint8Array | Int16Array | Int32Array | Float32Array;

/** A tensor as the engine holds it: shape and quantization as TFLM's TfLiteTensor carries them. */
export interface EngineTensor {
  index: number;
  name: string;
  shape: readonly number[];
  dtype: DType;
  /** Per-tensor scale (TfLiteTensor::params: the first channel's for per-channel tensors), 0 if none. */
  scale: number;
  zeroPoint: number;
  /** All scales (one per channel for per-channel quantization); empty when not quantized. */
  scales: readonly number[];
  zeroPoints: readonly number[];
  /** A view of the tensor's bytes typed by dtype (Uint8Array for types the engine does not compute in). */
  data: TensorData;
  /** The same bytes, untyped. */
  bytes: Uint8Array;
  constant: boolean;
}

export type Eval = () => void;

export interface KernelContext {
  readonly op: Operator;
  /** Input `k`, or undefined when absent (-1) or beyond the op's inputs. */
  optionalInput(k: number): EngineTensor | undefined;
  input(k: number): EngineTensor;
  output(k: number): EngineTensor;
  inputCount(): number;
  fail(message: string): never;
}

export interface Kernel {
  /** Validates the op and precomputes its parameters; returns its Eval. */
  prepare(ctx: KernelContext): Eval;
}

export function elementCountOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function numberOption(ctx: KernelContext, key: string, fallback: number): number {
  const v: OptionValue | undefined = ctx.op.options[key];
  return typeof v === 'number' ? v : fallback;
}

export function stringOption(ctx: KernelContext, key: string, fallback: string): string {
  const v: OptionValue | undefined = ctx.op.options[key];
  return typeof v === 'string' ? v : fallback;
}

export function requireType(ctx: KernelContext, t: EngineTensor, what: string, allowed: readonly DType[]): void {
  if (!allowed.includes(t.dtype)) {
    ctx.fail(`${what} type ${t.dtype} not supported (supported: ${allowed.join(', ')})`);
  }
}

export function requireRank(ctx: KernelContext, t: EngineTensor, what: string, rank: number): void {
  if (t.shape.length !== rank) ctx.fail(`${what} must have rank ${rank}, has shape [${t.shape.join(', ')}]`);
}

/** The fused activation option, limited to the ones TFLM's reference kernels clamp with. */
export function fusedActivation(ctx: KernelContext): 'NONE' | 'RELU' | 'RELU_N1_TO_1' | 'RELU6' {
  const act = stringOption(ctx, 'fusedActivation', 'NONE');
  if (act === 'NONE' || act === 'RELU' || act === 'RELU_N1_TO_1' || act === 'RELU6') return act;
  return ctx.fail(`fused activation ${act} not supported`);
}

const FLT_MAX = 3.4028234663852886e38;

/** CalculateActivationRange(float). */
export function floatActivationRange(act: ReturnType<typeof fusedActivation>): { min: number; max: number } {
  switch (act) {
    case 'RELU':
      return { min: 0, max: FLT_MAX };
    case 'RELU_N1_TO_1':
      return { min: -1, max: 1 };
    case 'RELU6':
      return { min: 0, max: 6 };
    default:
      return { min: -FLT_MAX, max: FLT_MAX };
  }
}

export function quantizedRange(dtype: DType): { min: number; max: number } | undefined {
  switch (dtype) {
    case 'int8':
      return { min: -128, max: 127 };
    case 'uint8':
      return { min: 0, max: 255 };
    case 'int16':
      return { min: -32768, max: 32767 };
    case 'int32':
      return { min: INT32_MIN, max: INT32_MAX };
    default:
      return undefined;
  }
}

/** kernel_util.cc CalculateActivationRangeQuantized, with its float Quantize (roundf(f / scale)). */
export function quantizedActivationRange(
  ctx: KernelContext,
  act: ReturnType<typeof fusedActivation>,
  output: EngineTensor,
): { min: number; max: number } {
  const range = quantizedRange(output.dtype);
  if (!range || output.dtype === 'int32') ctx.fail(`output type ${output.dtype} has no quantized activation range`);
  const quantize = (f: number): number => {
    const tmp = tfliteRound(Math.fround(f / output.scale));
    if (!(tmp >= INT32_MIN && tmp <= INT32_MAX)) ctx.fail(`activation bound ${f} overflows int32 at scale ${output.scale}`);
    return output.zeroPoint + tmp;
  };
  let { min, max } = range;
  if (act === 'RELU') {
    min = Math.max(min, quantize(0));
  } else if (act === 'RELU6') {
    min = Math.max(min, quantize(0));
    max = Math.min(max, quantize(6));
  } else if (act === 'RELU_N1_TO_1') {
    min = Math.max(min, quantize(-1));
    max = Math.min(max, quantize(1));
  }
  return { min, max };
}

export interface Padding {
  /** Output size along the axis (ComputeOutSize). */
  outSize: number;
  /** Padding before the first element (ComputePaddingWithOffset). */
  padding: number;
}

/** padding.h: ComputeOutSize and ComputePaddingWithOffset for one spatial axis. */
export function computePadding(
  ctx: KernelContext,
  mode: string,
  inSize: number,
  filterSize: number,
  stride: number,
  dilation: number,
): Padding {
  if (stride <= 0 || dilation <= 0 || filterSize <= 0 || inSize < 0) {
    ctx.fail(`invalid window: input ${inSize}, filter ${filterSize}, stride ${stride}, dilation ${dilation}`);
  }
  const effectiveFilter = (filterSize - 1) * dilation + 1;
  let outSize: number;
  if (mode === 'SAME') outSize = Math.floor((inSize + stride - 1) / stride);
  else if (mode === 'VALID') outSize = Math.trunc((inSize + stride - effectiveFilter) / stride);
  else return ctx.fail(`padding ${mode} not supported`);
  if (outSize < 0) ctx.fail(`window larger than the input (${inSize} < ${effectiveFilter})`);
  const totalPadding = Math.max(0, (outSize - 1) * stride + effectiveFilter - inSize);
  return { outSize, padding: Math.floor(totalPadding / 2) };
}

/**
 * For each output position along one axis, the filter taps [start, end) that land inside the
 * input: in = out*stride - pad + tap*dilation in [0, inSize). Precomputed so that kernels skip the
 * padded border without a per-tap test, exactly as the reference's "omit the areas outside".
 */
export function tapRanges(
  outSize: number,
  inSize: number,
  filterSize: number,
  stride: number,
  dilation: number,
  pad: number,
): { start: Int32Array; end: Int32Array } {
  const start = new Int32Array(outSize);
  const end = new Int32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const origin = o * stride - pad;
    let s = 0;
    while (s < filterSize && origin + s * dilation < 0) s++;
    let e = s;
    while (e < filterSize && origin + e * dilation < inSize) e++;
    start[o] = s;
    end[o] = e;
  }
  return { start, end };
}

/** Bytes per element of a tensor as the engine laid it out (1 for an empty tensor). */
export function elementSize(t: EngineTensor): number {
  const n = elementCountOf(t.shape);
  return n > 0 ? t.bytes.length / n : 1;
}

/** Row-major strides of a shape, in elements. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

/** The int32 contents of a constant parameter tensor (perm, paddings, axes, begin/end/strides). */
export function constantInt32(ctx: KernelContext, t: EngineTensor, what: string): Int32Array {
  if (!t.constant) ctx.fail(`a non-constant ${what} tensor is not supported`);
  if (t.dtype !== 'int32') ctx.fail(`${what} type ${t.dtype} not supported (supported: int32)`);
  return t.data as Int32Array;
}

/**
 * The bias of a 16x8 kernel as exact numbers, and which accumulator TFLM picks: int32 for an
 * int32 bias (or no bias with quantized_bias_type INT32), int64 otherwise. The int32 path wraps
 * and uses the 32-bit MultiplyByQuantizedMultiplier; the int64 path uses the 64-bit one.
 */
export function wideBias(ctx: KernelContext, bias: EngineTensor | undefined, allowInt32 = true): { values: Float64Array | undefined; int32Accumulator: boolean } {
  if (!bias) {
    const declared = String(ctx.op.options.quantizedBiasType ?? '').toLowerCase();
    return { values: undefined, int32Accumulator: allowInt32 && declared === 'int32' };
  }
  if (bias.dtype === 'int32' && allowInt32) return { values: Float64Array.from(bias.data as Int32Array), int32Accumulator: true };
  if (bias.dtype === 'int64') {
    const raw = bias.bytes;
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const values = new Float64Array(raw.byteLength / 8);
    for (let i = 0; i < values.length; i++) values[i] = Number(view.getBigInt64(i * 8, true));
    return { values, int32Accumulator: false };
  }
  return ctx.fail(`bias type ${bias.dtype} not supported for int16 input (supported: ${allowInt32 ? 'int32, ' : ''}int64)`);
}
