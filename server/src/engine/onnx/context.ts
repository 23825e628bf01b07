// What an ONNX kernel sees while the engine prepares it: typed views of its inputs, the values of
// constant inputs (shapes, axes, scales), attributes with ONNX defaults, and `output()` to declare
// an output's shape and type. Kernels compute output shapes themselves; the arena is laid out
// after every kernel has prepared, so an Eval reads `tensor.data` when it runs, never before.

import type { DType, Operator, OptionValue } from '../../model/graph';
import type { EngineTensor, Eval } from '../kernels/kernel';

export type { EngineTensor, Eval } from '../kernels/kernel';

export interface OnnxContext {
  readonly op: Operator;
  /** Opset of the op's domain. */
  readonly opset: number;
  readonly inputCount: number;
  input(k: number): EngineTensor;
  /** Undefined when the input is absent (empty name) or beyond the node's inputs. */
  optionalInput(k: number): EngineTensor | undefined;
  /** Values of a constant input (int64 shapes and axes, scales, zero points); fails when not constant. */
  constant(k: number): number[];
  optionalConstant(k: number): number[] | undefined;
  /** Declares output `k`; its data is bound once all kernels are prepared. */
  output(k: number, shape: readonly number[], dtype: DType): EngineTensor;
  hasOutput(k: number): boolean;
  int(name: string, fallback: number): number;
  ints(name: string): number[] | undefined;
  float(name: string, fallback: number): number;
  string(name: string, fallback: string): string;
  fail(message: string): never;
}

export type OnnxKernel = (ctx: OnnxContext) => Eval;

export function attrNumber(options: Record<string, OptionValue>, name: string): number | undefined {
  const v = options[name];
  return typeof v === 'number' ? v : undefined;
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** A negative axis counted from the end; fails outside [-rank, rank). */
export function normalizeAxis(ctx: OnnxContext, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!(a >= 0 && a < rank)) ctx.fail(`axis ${axis} is out of range for rank ${rank}`);
  return a;
}

export function requireDType(ctx: OnnxContext, t: EngineTensor, what: string, allowed: readonly DType[]): void {
  if (!allowed.includes(t.dtype)) ctx.fail(`${what} type ${t.dtype} not supported (supported: ${allowed.join(', ')})`);
}

/** Range of a quantized integer type. */
export function integerRange(ctx: OnnxContext, dtype: DType): { min: number; max: number } {
  switch (dtype) {
    case 'int8':
      return { min: -128, max: 127 };
    case 'uint8':
      return { min: 0, max: 255 };
    case 'int16':
      return { min: -32768, max: 32767 };
    case 'uint16':
      return { min: 0, max: 65535 };
    case 'int32':
      return { min: -0x80000000, max: 0x7fffffff };
    default:
      return ctx.fail(`type ${dtype} is not a quantized integer type`);
  }
}
