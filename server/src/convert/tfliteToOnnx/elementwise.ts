// Element-wise TFLite ops as ONNX: the activations LOGISTIC, TANH, HARD_SWISH, LEAKY_RELU, RELU,
// RELU6, RELU_N1_TO_1, and ADD / SUB / MUL with broadcasting. They keep the layout of their
// operands: a value held NCHW stays NCHW (constant operands are permuted to match), so no
// transposes are added around them. TFLM computes their int8 forms in fixed point; ONNX's default
// domain has no integer form for them, so int8 ones are DequantizeLinear -> float op ->
// QuantizeLinear in both modes, which rounds once from the exact result where TFLM's fixed point
// may land a step (1 LSB) away.

import type { Operator, Tensor } from '../../model/graph';
import { type Activation, type Form, type OpContext, formOf, isConstant } from './context';
import { ConvertError } from './errors';
import type { Attr } from './onnxGraphWriter';

const UNARY: Readonly<Record<string, string>> = { LOGISTIC: 'Sigmoid', TANH: 'Tanh', HARD_SWISH: 'HardSwish', LEAKY_RELU: 'LeakyRelu' };
const STANDALONE_ACTIVATIONS: ReadonlySet<string> = new Set(['RELU', 'RELU6', 'RELU_N1_TO_1']);

export function isUnary(opType: string): boolean {
  return opType in UNARY || STANDALONE_ACTIVATIONS.has(opType);
}

/** Names the float result after the TFLite tensor when it is that tensor, else after its step. */
function floatName(y: Tensor, quantized: boolean, step: string): string {
  return quantized ? `${y.name}_${step}` : y.name;
}

export function unary(c: OpContext, op: Operator): void {
  const x = c.tensor(op, 0), y = c.output(op);
  const form = formOf(c, x);
  const quantized = c.isQuantized(y);
  if (c.isQuantized(x) !== quantized) throw new ConvertError(`input ${x.dtype} and output ${y.dtype} differ`, op);
  const xv = quantized ? c.dequantizeValue(c.value(x, form), x) : c.value(x, form);
  let out: string;
  if (STANDALONE_ACTIVATIONS.has(op.opType)) {
    out = c.floatActivation(xv, op.opType as Activation, y.name);
  } else {
    const onnxOp = UNARY[op.opType];
    if (onnxOp === 'HardSwish') c.requireOpset(14);
    // The engine's and TFLM's fallback when a model carries no LeakyReluOptions.
    const attrs: Record<string, Attr> = onnxOp === 'LeakyRelu' ? { alpha: { f: Number(op.options.alpha ?? 0.2) } } : {};
    out = c.w.node(onnxOp, [xv], floatName(y, quantized, onnxOp.toLowerCase()), attrs)[0];
  }
  c.layouts.set(y, form, quantized ? c.quantize(out, y) : out);
}

/** ADD, SUB and MUL, with the fused activation applied to the float result. */
export function binary(c: OpContext, op: Operator, onnxOp: 'Add' | 'Sub' | 'Mul'): void {
  const a = c.tensor(op, 0), b = c.tensor(op, 1), y = c.output(op);
  const live = [a, b].filter((t) => !isConstant(t));
  // NCHW when the output is 4-D and every computed operand is a 4-D value held only NCHW.
  const nchw = y.shape.length === 4 && live.length > 0 && live.every((t) => formOf(c, t) === 'nchw') && [a, b].every((t) => t.shape.length <= 4);
  const form: Form = nchw ? 'nchw' : 'plain';
  const quantized = c.isQuantized(y);
  const operand = (t: Tensor): string => {
    const v = nchw && isConstant(t) ? c.constantNchw(t) : c.value(t, form);
    if (c.isQuantized(t)) return c.dequantizeValue(v, t);
    if (quantized) throw new ConvertError(`operand ${t.name} is ${t.dtype} next to an int8 output`, op);
    return v;
  };
  const act = c.activation(op);
  const step = onnxOp.toLowerCase();
  const result = c.w.node(onnxOp, [operand(a), operand(b)], act === 'NONE' ? floatName(y, quantized, step) : `${y.name}_${step}`)[0];
  const out = c.floatActivation(result, act, y.name);
  c.layouts.set(y, form, quantized ? c.quantize(out, y) : out);
}
