// What the op writers (elementwise.ts, shapeOps.ts) use of the converter: an op's tensors, ONNX
// values in either layout, int8 parameters with their DequantizeLinear / QuantizeLinear, and
// fused activations.

import type { Operator, Tensor } from '../../model/graph';
import { ConvertError } from './errors';
import type { Layouts } from './layout';
import type { OnnxGraphWriter } from './onnxGraphWriter';

export type Form = 'plain' | 'nchw';
export type Activation = 'NONE' | 'RELU' | 'RELU6' | 'RELU_N1_TO_1';

/** TFLite NHWC axis -> the same axis in NCHW. */
export const NHWC_TO_NCHW_AXIS = [0, 2, 3, 1];

export interface OpContext {
  readonly w: OnnxGraphWriter;
  readonly layouts: Layouts;
  tensor(op: Operator, k: number): Tensor;
  optionalTensor(op: Operator, k: number): Tensor | undefined;
  output(op: Operator): Tensor;
  /** A tensor's ONNX value in the given form; constants become initializers on first use. */
  value(t: Tensor, form: Form): string;
  /** A constant of rank <= 4 in NCHW order, its rank padded to 4, to broadcast against NCHW values. */
  constantNchw(t: Tensor): string;
  isQuantized(t: Tensor): boolean;
  /** DequantizeLinear of value `v`, which holds tensor `t`'s int8 codes. */
  dequantizeValue(v: string, t: Tensor): string;
  /** QuantizeLinear of float value `v` with `t`'s parameters; the result is named after `t`. */
  quantize(v: string, t: Tensor): string;
  activation(op: Operator): Activation;
  floatActivation(v: string, act: Activation, base: string): string;
  /** Raises the model's opset to at least `opset` (HardSwish needs 14). */
  requireOpset(opset: number): void;
}

export function isConstant(t: Tensor): boolean {
  return t.data !== undefined && t.data.length > 0;
}

/** The form a tensor is read in by a layout-blind op: NCHW when that is the only form it has. */
export function formOf(c: OpContext, t: Tensor): Form {
  return t.shape.length === 4 && c.layouts.isNchw(t) ? 'nchw' : 'plain';
}

/** The integer values of a constant int32 or int64 tensor. */
export function constantInts(t: Tensor, what: string, op: Operator): number[] {
  if (!t.data || (t.dtype !== 'int32' && t.dtype !== 'int64')) throw new ConvertError(`${what} must be a constant int32 or int64 tensor`, op);
  const copy = t.data.slice();
  return t.dtype === 'int32' ? Array.from(new Int32Array(copy.buffer)) : Array.from(new BigInt64Array(copy.buffer), Number);
}
