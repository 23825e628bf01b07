// TFLite ops that move values as ONNX: PAD / PADV2, CONCATENATION, TRANSPOSE, and MEAN (which
// averages them). TFLM's int8 PAD, CONCATENATION and TRANSPOSE copy the int8 codes without
// rescaling, so their ONNX ops run on the int8 values too, in both modes: the same bytes as TFLM,
// with PAD's pad value the output zero point (PADV2's constant code). A value held NCHW (after a
// conv or pool) is padded, concatenated or averaged in NCHW with the axes moved to match.

import type { Operator, Tensor } from '../../model/graph';
import { type Form, NHWC_TO_NCHW_AXIS, type OpContext, constantInts, formOf, isConstant } from './context';
import { ConvertError } from './errors';

const TO_NHWC = [0, 2, 3, 1];

function sameParams(a: Tensor, b: Tensor): boolean {
  const p = a.quantization, q = b.quantization;
  return p !== undefined && q !== undefined && Math.fround(p.scale[0]) === Math.fround(q.scale[0]) && (p.zeroPoint[0] ?? 0) === (q.zeroPoint[0] ?? 0);
}

/** The single int8 code or float value of PADV2's pad value. */
function padConstant(t: Tensor, op: Operator): number {
  if (!t.data) throw new ConvertError('the pad value must be a constant', op);
  const copy = t.data.slice();
  if (t.dtype === 'float32') return new Float32Array(copy.buffer)[0];
  if (t.dtype === 'int8') return new Int8Array(copy.buffer)[0];
  throw new ConvertError(`pad value of type ${t.dtype} not supported`, op);
}

export function pad(c: OpContext, op: Operator): void {
  const x = c.tensor(op, 0), y = c.output(op);
  const rank = x.shape.length;
  const paddings = constantInts(c.tensor(op, 1), 'paddings', op);
  if (paddings.length !== 2 * rank) throw new ConvertError(`paddings hold ${paddings.length} values for rank ${rank}`, op);
  if (paddings.some((p) => p < 0)) throw new ConvertError('negative paddings are not supported', op);
  const form = formOf(c, x);
  // ONNX pads: every axis's begin, then every axis's end; ONNX axis d is TFLite axis order[d].
  const order = form === 'nchw' ? [0, 3, 1, 2] : x.shape.map((_, d) => d);
  const pads = c.w.int64s(`${y.name}_pads`, [...order.map((d) => paddings[2 * d]), ...order.map((d) => paddings[2 * d + 1])]);
  const constant = op.opType === 'PADV2' ? c.optionalTensor(op, 2) : undefined;
  if (c.isQuantized(x) !== c.isQuantized(y)) throw new ConvertError(`input ${x.dtype} and output ${y.dtype} differ`, op);
  let padValue: string;
  if (c.isQuantized(x)) {
    // TFLM pads int8 with the output zero point, or PADV2's code, and copies the input codes.
    if (constant && constant.dtype !== 'int8') throw new ConvertError(`pad value of type ${constant.dtype} next to int8 data`, op);
    const code = constant ? padConstant(constant, op) : (y.quantization?.zeroPoint[0] ?? 0);
    padValue = c.w.integers(`${y.name}_pad_value`, x.dtype, [], [code]);
  } else {
    padValue = c.w.floats(`${y.name}_pad_value`, [], [constant ? padConstant(constant, op) : 0]);
  }
  c.layouts.set(y, form, c.w.node('Pad', [c.value(x, form), pads, padValue], y.name, { mode: 'constant' })[0]);
}

export function concatenation(c: OpContext, op: Operator): void {
  if (c.activation(op) !== 'NONE') throw new ConvertError('a fused activation is not supported (TFLM refuses it too)', op);
  const inputs = op.inputs.map((_, k) => c.tensor(op, k)), y = c.output(op);
  const rank = y.shape.length;
  const raw = Number(op.options.axis ?? 0);
  const axis = raw < 0 ? raw + rank : raw;
  const live = inputs.filter((t) => !isConstant(t));
  const nchw = rank === 4 && live.length > 0 && live.every((t) => formOf(c, t) === 'nchw');
  const form: Form = nchw ? 'nchw' : 'plain';
  const valueOf = (t: Tensor): string => (nchw && isConstant(t) ? c.constantNchw(t) : c.value(t, form));
  const attrs = { axis: nchw ? NHWC_TO_NCHW_AXIS[axis] : axis };
  let out: string;
  if (!c.isQuantized(y)) {
    out = c.w.node('Concat', inputs.map(valueOf), y.name, attrs)[0];
  } else if (inputs.every((t) => c.isQuantized(t) && sameParams(t, y))) {
    out = c.w.node('Concat', inputs.map(valueOf), y.name, attrs)[0];
  } else {
    // Operands quantized unlike the output (TFLM refuses these): the values they stand for.
    const joined = c.w.node('Concat', inputs.map((t) => (c.isQuantized(t) ? c.dequantizeValue(valueOf(t), t) : valueOf(t))), `${y.name}_concat`, attrs)[0];
    out = c.quantize(joined, y);
  }
  c.layouts.set(y, form, out);
}

export function transpose(c: OpContext, op: Operator): void {
  const x = c.tensor(op, 0), y = c.output(op);
  const perm = constantInts(c.tensor(op, 1), 'perm', op);
  const rank = x.shape.length;
  if (perm.length !== rank || [...perm].sort((p, q) => p - q).some((p, i) => p !== i)) throw new ConvertError(`perm [${perm.join(', ')}] is not a permutation of ${rank} axes`, op);
  if (formOf(c, x) === 'nchw') {
    // x is held NCHW: read its NHWC axes through NCHW's.
    const composed = perm.map((p) => TO_NHWC[p]);
    const xv = c.value(x, 'nchw');
    c.layouts.set(y, 'plain', composed.every((p, i) => p === i) ? xv : c.w.node('Transpose', [xv], y.name, { perm: composed })[0]);
    return;
  }
  const xv = c.value(x, 'plain');
  // NCHW -> NHWC (a PyTorch model's input): x already is the result's NCHW form.
  if (rank === 4 && perm.every((p, i) => p === TO_NHWC[i])) {
    c.layouts.set(y, 'nchw', xv);
    return;
  }
  c.layouts.set(y, 'plain', c.w.node('Transpose', [xv], y.name, { perm })[0]);
}

export function mean(c: OpContext, op: Operator): void {
  const x = c.tensor(op, 0), y = c.output(op);
  const rank = x.shape.length;
  const axes = [...new Set(constantInts(c.tensor(op, 1), 'axes', op).map((a) => (a < 0 ? a + rank : a)))];
  if (axes.length === 0 || axes.some((a) => a < 0 || a >= rank)) throw new ConvertError(`axes [${axes.join(', ')}] do not fit rank ${rank}`, op);
  const keep = op.options.keepDims === true;
  // Reduced in NCHW, the result is in TFLite's order when the dims stay, or when the axes left
  // come in the same order either way (C gone, or H and W gone).
  const left = (order: number[]) => order.filter((a) => !axes.includes(a)).join();
  const nchw = formOf(c, x) === 'nchw' && (keep || left([0, 3, 1, 2]) === left([0, 1, 2, 3]));
  const form: Form = nchw ? 'nchw' : 'plain';
  const quantized = c.isQuantized(y);
  if (c.isQuantized(x) !== quantized) throw new ConvertError(`input ${x.dtype} and output ${y.dtype} differ`, op);
  const xv = quantized ? c.dequantizeValue(c.value(x, form), x) : c.value(x, form);
  const onnxAxes = (nchw ? axes.map((a) => NHWC_TO_NCHW_AXIS[a]) : axes).sort((p, q) => p - q);
  const averaged = c.w.node('ReduceMean', [xv], quantized ? `${y.name}_mean` : y.name, { axes: onnxAxes, keepdims: keep ? 1 : 0 })[0];
  c.layouts.set(y, nchw && keep ? 'nchw' : 'plain', quantized ? c.quantize(averaged, y) : averaged);
}
