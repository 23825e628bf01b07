// TFLite graph IR -> ONNX ModelProto bytes (#5), for the ops of the TinyML reference models and
// of what the ONNX -> TFLite converter writes: CONV_2D, DEPTHWISE_CONV_2D (grouped Conv),
// FULLY_CONNECTED, AVERAGE_POOL_2D, MAX_POOL_2D, RESHAPE, SQUEEZE, EXPAND_DIMS, SOFTMAX, QUANTIZE,
// DEQUANTIZE and fused activations here; element-wise ops (ADD, SUB, MUL, LOGISTIC, TANH,
// HARD_SWISH, LEAKY_RELU, RELU, RELU6, RELU_N1_TO_1) in elementwise.ts; PAD, PADV2,
// CONCATENATION, TRANSPOSE and MEAN in shapeOps.ts. Any other op is a ConvertError naming it and
// its index. The ONNX model keeps the
// TFLite interface (same input and output shapes, NHWC, same types), so the same bytes feed both;
// inside, convs and pools run NCHW (layout.ts). Float models map op for op. Int8 models:
//  - 'qlinear' (default): the integer semantics as close to TFLM as ONNX allows. CONV_2D and
//    DEPTHWISE_CONV_2D become QLinearConv with per-channel weight scales and the int32 bias, so
//    bias joins the int32 accumulator before the one requantization, as in TFLM; a biased
//    FULLY_CONNECTED becomes the same QLinearConv on a [batch, K, 1, 1] view (QLinearMatMul has no
//    bias input; adding a requantized bias afterwards would round twice); an unbiased one becomes
//    QLinearMatMul. Fused activations are int8 Clips at TFLM's quantized bounds. MAX_POOL_2D and
//    the ops that copy int8 codes (RESHAPE, PAD, CONCATENATION, TRANSPOSE) run on int8. Ops ONNX
//    has no integer form for (AVERAGE_POOL_2D, SOFTMAX, MEAN, element-wise ops) run as QDQ.
//  - 'qdq': every int8 op as DequantizeLinear -> float op -> QuantizeLinear (what quantization
//    tools emit; onnxruntime fuses these patterns into integer kernels when optimizing).
// TFLM requantizes in fixed point (a 31-bit multiplier and a shift, rounding at two steps), ONNX
// runtimes in float with round half to even: outputs can differ by one step (1 LSB) at ties; the
// converter tests measure how often.

import type { Graph, Operator, Subgraph, Tensor } from '../../model/graph';
import { type Activation, type Form, type OpContext } from './context';
import { binary, isUnary, unary } from './elementwise';
import { ConvertError } from './errors';
import { Layouts } from './layout';
import { OnnxGraphWriter } from './onnxGraphWriter';
import { permuteBytes } from '../permuteBytes';
import { concatenation, mean, pad, transpose } from './shapeOps';

export { ConvertError } from './errors';

export interface TfliteToOnnxOptions {
  /** How int8 ops are written: integer QLinear ops where ONNX has them (default), or QDQ. */
  quantized?: 'qdq' | 'qlinear';
}

/** ONNX opset of the written models; raised to 14 only for HardSwish. */
const OPSET = 13;

/** Every op converted, for the message about the others. */
const SUPPORTED = [
  'ADD', 'AVERAGE_POOL_2D', 'CONCATENATION', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'DEQUANTIZE', 'EXPAND_DIMS', 'FULLY_CONNECTED', 'HARD_SWISH', 'LEAKY_RELU', 'LOGISTIC',
  'MAX_POOL_2D', 'MEAN', 'MUL', 'PAD', 'PADV2', 'QUANTIZE', 'RELU', 'RELU6', 'RELU_N1_TO_1', 'RESHAPE', 'SOFTMAX', 'SQUEEZE', 'SUB', 'TANH', 'TRANSPOSE',
];

/** std::round: halves away from zero, as TFLM's activation bounds use. */
function roundAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

function elementWidth(t: Tensor): number {
  return t.dtype === 'float32' || t.dtype === 'int32' ? 4 : t.dtype === 'int16' ? 2 : t.dtype === 'int64' ? 8 : 1;
}

/** TFLite padding as explicit ONNX pads for one axis, from the shapes the model declares. */
function axisPads(inSize: number, outSize: number, filter: number, stride: number, dilation: number): [number, number] {
  const total = Math.max(0, (outSize - 1) * stride + (filter - 1) * dilation + 1 - inSize);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

class Converter implements OpContext {
  readonly w = new OnnxGraphWriter();
  readonly layouts = new Layouts(this.w);
  private readonly qparams = new Map<number, { scale: string; zero: string }>();
  private readonly dequantized = new Map<string, string>();
  private readonly constantsNchw = new Map<number, string>();
  private readonly qlinear: boolean;
  private opset = OPSET;

  constructor(private readonly sg: Subgraph, options: TfliteToOnnxOptions) {
    this.qlinear = (options.quantized ?? 'qlinear') === 'qlinear';
  }

  run(graph: Graph): Uint8Array {
    for (const i of this.sg.inputs) {
      const t = this.sg.tensors[i];
      this.layouts.set(t, 'plain', this.w.input(t.name || `input_${i}`, t.dtype, t.shape));
    }
    for (const op of this.sg.operators) {
      try {
        this.convert(op);
      } catch (e) {
        if (e instanceof ConvertError) throw e;
        throw new ConvertError(e instanceof Error ? e.message : String(e), op);
      }
    }
    for (const i of this.sg.outputs) {
      const t = this.sg.tensors[i];
      this.w.output(this.value(t, 'plain'), t.dtype, t.shape);
    }
    return this.w.build(this.sg.name || 'main', this.opset, `Converted from TFLite (schema ${graph.version}) ${graph.description}`.trim());
  }

  requireOpset(opset: number): void {
    this.opset = Math.max(this.opset, opset);
  }

  tensor(op: Operator, k: number): Tensor {
    const i = op.inputs[k];
    const t = i === undefined || i < 0 ? undefined : this.sg.tensors[i];
    if (!t) throw new ConvertError(`input ${k} is missing`, op);
    return t;
  }

  optionalTensor(op: Operator, k: number): Tensor | undefined {
    const i = op.inputs[k];
    return i === undefined || i < 0 ? undefined : this.sg.tensors[i];
  }

  output(op: Operator): Tensor {
    return this.sg.tensors[op.outputs[0]];
  }

  /** A tensor's ONNX value in the given form; constants become initializers on first use. */
  value(t: Tensor, form: Form): string {
    if (!this.layouts.has(t)) {
      if (!t.data) throw new ConvertError(`tensor ${t.index} (${t.name}) is used before it is produced`);
      this.layouts.set(t, 'plain', this.w.constant(t.name || `const_${t.index}`, t.dtype, t.shape, t.data));
    }
    return form === 'plain' ? this.layouts.plain(t) : this.layouts.nchw(t);
  }

  constantNchw(t: Tensor): string {
    const cached = this.constantsNchw.get(t.index);
    if (cached) return cached;
    if (!t.data || t.shape.length > 4) throw new ConvertError(`tensor ${t.name} is not a constant of rank 4 or less`);
    const shape = [...new Array<number>(4 - t.shape.length).fill(1), ...t.shape];
    const nchw = [0, 3, 1, 2];
    const v = this.w.constant(`${t.name}_nchw`, t.dtype, nchw.map((p) => shape[p]), permuteBytes(t.data, shape, nchw, elementWidth(t)));
    this.constantsNchw.set(t.index, v);
    return v;
  }

  isQuantized(t: Tensor): boolean {
    return (t.dtype === 'int8' || t.dtype === 'uint8') && t.quantization !== undefined && t.quantization.scale.length > 0;
  }

  /** Per-tensor scale and zero point initializers of an activation. */
  private params(t: Tensor): { scale: string; zero: string } {
    const cached = this.qparams.get(t.index);
    if (cached) return cached;
    const q = t.quantization;
    if (!q || q.scale.length !== 1) throw new ConvertError(`tensor ${t.name} needs one scale and zero point`);
    const p = {
      scale: this.w.floats(`${t.name}_scale`, [], [q.scale[0]]),
      zero: this.w.integers(`${t.name}_zero_point`, t.dtype, [], [q.zeroPoint[0] ?? 0]),
    };
    this.qparams.set(t.index, p);
    return p;
  }

  private dequantize(t: Tensor, form: Form): string {
    return this.dequantizeValue(this.value(t, form), t);
  }

  dequantizeValue(v: string, t: Tensor): string {
    const cached = this.dequantized.get(v);
    if (cached) return cached;
    const p = this.params(t);
    const out = this.w.node('DequantizeLinear', [v, p.scale, p.zero], `${t.name}_float`)[0];
    this.dequantized.set(v, out);
    return out;
  }

  quantize(v: string, t: Tensor): string {
    const p = this.params(t);
    return this.w.node('QuantizeLinear', [v, p.scale, p.zero], t.name || `t${t.index}`)[0];
  }

  activation(op: Operator): Activation {
    const act = op.options.fusedActivation ?? 'NONE';
    if (act === 'NONE' || act === 'RELU' || act === 'RELU6' || act === 'RELU_N1_TO_1') return act;
    throw new ConvertError(`fused activation ${String(act)} not supported`, op);
  }

  /** A float fused activation as Relu or Clip. */
  floatActivation(v: string, act: Activation, base: string): string {
    if (act === 'NONE') return v;
    if (act === 'RELU') return this.w.node('Relu', [v], `${base}_relu`)[0];
    const [lo, hi] = act === 'RELU6' ? [0, 6] : [-1, 1];
    return this.w.node('Clip', [v, this.w.floats(`${base}_min`, [], [lo]), this.w.floats(`${base}_max`, [], [hi])], `${base}_clip`)[0];
  }

  /** An int8 fused activation: Clip at the bounds of TFLM's CalculateActivationRangeQuantized. */
  private integerActivation(v: string, act: Activation, y: Tensor): string {
    const scale = y.quantization?.scale[0] ?? 1;
    const zero = y.quantization?.zeroPoint[0] ?? 0;
    const [qmin, qmax] = y.dtype === 'uint8' ? [0, 255] : [-128, 127];
    const q = (f: number) => zero + roundAway(Math.fround(f / scale));
    let lo = qmin, hi = qmax;
    if (act === 'RELU' || act === 'RELU6') lo = Math.max(qmin, q(0));
    if (act === 'RELU6') hi = Math.min(qmax, q(6));
    if (act === 'RELU_N1_TO_1') {
      lo = Math.max(qmin, q(-1));
      hi = Math.min(qmax, q(1));
    }
    if (lo === qmin && hi === qmax) return v;
    return this.w.node('Clip', [v, this.w.integers(`${y.name}_min`, y.dtype, [], [lo]), this.w.integers(`${y.name}_max`, y.dtype, [], [hi])], `${y.name}_clip`)[0];
  }

  private weightScales(t: Tensor, channels: number, op: Operator): number[] {
    const s = t.quantization?.scale ?? [];
    if (s.length !== 1 && s.length !== channels) throw new ConvertError(`weights ${t.name} have ${s.length} scales for ${channels} channels`, op);
    if ((t.quantization?.zeroPoint ?? []).some((z) => z !== 0)) throw new ConvertError(`weights ${t.name} have a non-zero zero point`, op);
    return s;
  }

  private convert(op: Operator): void {
    switch (op.opType) {
      case 'CONV_2D':
      case 'DEPTHWISE_CONV_2D':
        return this.conv(op);
      case 'FULLY_CONNECTED':
        return this.fullyConnected(op);
      case 'AVERAGE_POOL_2D':
      case 'MAX_POOL_2D':
        return this.pool(op);
      case 'RESHAPE':
      case 'SQUEEZE':
      case 'EXPAND_DIMS':
        return this.reshape(op);
      case 'SOFTMAX':
        return this.softmax(op);
      case 'ADD':
        return binary(this, op, 'Add');
      case 'SUB':
        return binary(this, op, 'Sub');
      case 'MUL':
        return binary(this, op, 'Mul');
      case 'PAD':
      case 'PADV2':
        return pad(this, op);
      case 'CONCATENATION':
        return concatenation(this, op);
      case 'TRANSPOSE':
        return transpose(this, op);
      case 'MEAN':
        return mean(this, op);
      case 'QUANTIZE':
        return this.quantizeOp(op);
      case 'DEQUANTIZE': {
        const x = this.tensor(op, 0), y = this.output(op);
        const form = this.layouts.isNchw(x) ? 'nchw' : 'plain';
        this.layouts.set(y, form, this.w.node('DequantizeLinear', [this.value(x, form), this.params(x).scale, this.params(x).zero], y.name)[0]);
        return;
      }
      default:
        if (isUnary(op.opType)) return unary(this, op);
        throw new ConvertError(`not supported by the TFLite -> ONNX converter, which converts ${SUPPORTED.join(', ')}`, op);
    }
  }

  private conv(op: Operator): void {
    const x = this.tensor(op, 0), wt = this.tensor(op, 1), b = this.optionalTensor(op, 2), y = this.output(op);
    const depthwise = op.opType === 'DEPTHWISE_CONV_2D';
    if (x.shape.length !== 4 || wt.shape.length !== 4 || y.shape.length !== 4) throw new ConvertError('expects 4-D input, filter and output', op);
    if (!wt.data) throw new ConvertError('non-constant filters are not supported', op);
    const [, inH, inW, inC] = x.shape;
    const [, outH, outW, outC] = y.shape;
    const kh = wt.shape[1], kw = wt.shape[2];
    const sh = Number(op.options.strideH ?? 1), sw = Number(op.options.strideW ?? 1);
    const dh = Number(op.options.dilationH ?? 1), dw = Number(op.options.dilationW ?? 1);
    const [pt, pb] = axisPads(inH, outH, kh, sh, dh);
    const [pl, pr] = axisPads(inW, outW, kw, sw, dw);
    const group = depthwise ? inC : 1;
    if (!depthwise && wt.shape[3] !== inC) throw new ConvertError(`grouped CONV_2D (filter depth ${wt.shape[3]}, input depth ${inC}) not supported`, op);
    // [O, KH, KW, I] -> [O, I, KH, KW]; depthwise [1, KH, KW, O] -> [O, 1, KH, KW].
    const perm = depthwise ? [3, 0, 1, 2] : [0, 3, 1, 2];
    const wShape = perm.map((p) => wt.shape[p]);
    const weights = permuteBytes(wt.data, wt.shape, perm, elementWidth(wt));
    const attrs = { kernel_shape: [kh, kw], strides: [sh, sw], dilations: [dh, dw], pads: [pt, pl, pb, pr], group };
    const act = this.activation(op);
    const xv = this.value(x, 'nchw');
    let out: string;
    if (!this.isQuantized(x)) {
      const inputs = [xv, this.w.constant(`${wt.name}_oihw`, wt.dtype, wShape, weights)];
      if (b) inputs.push(this.value(b, 'plain'));
      out = this.floatActivation(this.w.node('Conv', inputs, `${y.name}_conv`, attrs)[0], act, y.name);
      if (act === 'NONE') out = this.w.node('Identity', [out], y.name)[0];
    } else {
      out = this.quantizedConv(op, x, xv, wt, wShape, weights, b, y, outC, attrs, act);
    }
    this.layouts.set(y, 'nchw', out);
  }

  /** QLinearConv (or its QDQ form) for a conv or a biased fully connected layer. */
  private quantizedConv(op: Operator, x: Tensor, xv: string, wt: Tensor, wShape: number[], weights: Uint8Array, b: Tensor | undefined, y: Tensor, channels: number, attrs: Record<string, number | number[]>, act: Activation): string {
    const scales = this.weightScales(wt, channels, op);
    const perChannel = scales.length > 1;
    const sDims = perChannel ? [channels] : [];
    const ws = this.w.floats(`${wt.name}_scale`, sDims, scales);
    const wz = this.w.integers(`${wt.name}_zero_point`, wt.dtype, sDims, new Array<number>(scales.length).fill(0));
    const wv = this.w.constant(`${wt.name}_oihw`, wt.dtype, wShape, weights);
    const xp = this.params(x), yp = this.params(y);
    if (b && b.dtype !== 'int32') throw new ConvertError(`bias type ${b.dtype} not supported`, op);
    if (this.qlinear) {
      const inputs = [xv, xp.scale, xp.zero, wv, ws, wz, yp.scale, yp.zero];
      if (b) inputs.push(this.value(b, 'plain'));
      const conv = this.w.node('QLinearConv', inputs, `${y.name}_qconv`, attrs)[0];
      return this.integerActivation(conv, act, y);
    }
    const xf = this.dequantize(x, this.layouts.isNchw(x) || x.shape.length === 4 ? 'nchw' : 'plain');
    const inputs = [x.shape.length === 4 ? xf : xv, this.w.node('DequantizeLinear', [wv, ws, wz], `${wt.name}_float`, perChannel ? { axis: 0 } : {})[0]];
    if (b) {
      // The bias scale is x_scale * w_scale per channel, as TFLite's converter stored it.
      const xs = x.quantization?.scale[0] ?? 1;
      const bs = b.quantization?.scale.length === scales.length ? b.quantization.scale : scales.map((s) => Math.fround(xs * s));
      const bScale = this.w.floats(`${b.name}_scale`, sDims, bs);
      const bZero = this.w.integers(`${b.name}_zero_point`, 'int32', sDims, new Array<number>(bs.length).fill(0));
      inputs.push(this.w.node('DequantizeLinear', [this.value(b, 'plain'), bScale, bZero], `${b.name}_float`, perChannel ? { axis: 0 } : {})[0]);
    }
    const conv = this.w.node('Conv', inputs, `${y.name}_conv`, attrs)[0];
    return this.quantize(this.floatActivation(conv, act, y.name), y);
  }

  private fullyConnected(op: Operator): void {
    const x = this.tensor(op, 0), wt = this.tensor(op, 1), b = this.optionalTensor(op, 2), y = this.output(op);
    if (wt.shape.length !== 2 || !wt.data) throw new ConvertError('expects constant 2-D weights', op);
    const [n, k] = wt.shape;
    const size = x.shape.reduce((p, d) => p * d, 1);
    if (size % k !== 0) throw new ConvertError(`input of ${size} elements is not a multiple of depth ${k}`, op);
    const batch = size / k;
    const act = this.activation(op);
    const reshape = (v: string, shape: number[], base: string): string =>
      this.w.node('Reshape', [v, this.w.int64s(`${base}_shape`, shape)], base)[0];
    const x2 = x.shape.length === 2 && x.shape[0] === batch ? this.value(x, 'plain') : reshape(this.value(x, 'plain'), [batch, k], `${x.name}_2d`);
    let out: string;
    if (!this.isQuantized(x)) {
      const inputs = [x2, this.value(wt, 'plain')];
      if (b) inputs.push(this.value(b, 'plain'));
      out = this.floatActivation(this.w.node('Gemm', inputs, `${y.name}_gemm`, { transB: 1 })[0], act, y.name);
    } else if (this.qlinear && !b) {
      const scales = this.weightScales(wt, n, op);
      const sDims = scales.length > 1 ? [n] : [];
      const xp = this.params(x), yp = this.params(y);
      const wT = this.w.constant(`${wt.name}_kn`, wt.dtype, [k, n], permuteBytes(wt.data, wt.shape, [1, 0], 1));
      const ws = this.w.floats(`${wt.name}_scale`, sDims, scales);
      const wz = this.w.integers(`${wt.name}_zero_point`, wt.dtype, sDims, new Array<number>(scales.length).fill(0));
      const mm = this.w.node('QLinearMatMul', [x2, xp.scale, xp.zero, wT, ws, wz, yp.scale, yp.zero], `${y.name}_qmatmul`)[0];
      out = this.integerActivation(mm, act, y);
    } else if (this.qlinear) {
      const x4 = reshape(x2, [batch, k, 1, 1], `${x.name}_nc11`);
      const conv = this.quantizedConv(op, x, x4, wt, [n, k, 1, 1], wt.data, b, y, n, {}, act);
      out = reshape(conv, [batch, n], `${y.name}_2d`);
    } else {
      const scales = this.weightScales(wt, n, op);
      const xf = this.w.node('DequantizeLinear', [x2, this.params(x).scale, this.params(x).zero], `${x.name}_float`)[0];
      const conv = this.quantizedConvQdqGemm(op, xf, wt, scales, b, n);
      out = this.quantize(this.floatActivation(conv, act, y.name), y);
    }
    const yShape = [...y.shape];
    if (yShape.join() !== [batch, n].join()) out = reshape(out, yShape, `${y.name}_out`);
    this.layouts.set(y, 'plain', out);
  }

  /** The QDQ form of FULLY_CONNECTED: dequantized weights and bias into a float Gemm. */
  private quantizedConvQdqGemm(op: Operator, xf: string, wt: Tensor, scales: number[], b: Tensor | undefined, n: number): string {
    const x = this.tensor(op, 0);
    const perChannel = scales.length > 1;
    const sDims = perChannel ? [n] : [];
    const ws = this.w.floats(`${wt.name}_scale`, sDims, scales);
    const wz = this.w.integers(`${wt.name}_zero_point`, wt.dtype, sDims, new Array<number>(scales.length).fill(0));
    const inputs = [xf, this.w.node('DequantizeLinear', [this.value(wt, 'plain'), ws, wz], `${wt.name}_float`, perChannel ? { axis: 0 } : {})[0]];
    if (b) {
      const xs = x.quantization?.scale[0] ?? 1;
      const bs = b.quantization?.scale.length === scales.length ? b.quantization.scale : scales.map((s) => Math.fround(xs * s));
      const bScale = this.w.floats(`${b.name}_scale`, sDims, bs);
      const bZero = this.w.integers(`${b.name}_zero_point`, 'int32', sDims, new Array<number>(bs.length).fill(0));
      inputs.push(this.w.node('DequantizeLinear', [this.value(b, 'plain'), bScale, bZero], `${b.name}_float`, perChannel ? { axis: 0 } : {})[0]);
    }
    return this.w.node('Gemm', inputs, `${op.opType.toLowerCase()}_${op.index}`, { transB: 1 })[0];
  }

  private pool(op: Operator): void {
    const x = this.tensor(op, 0), y = this.output(op);
    if (x.shape.length !== 4) throw new ConvertError('expects a 4-D input', op);
    const fh = Number(op.options.filterHeight), fw = Number(op.options.filterWidth);
    const sh = Number(op.options.strideH ?? 1), sw = Number(op.options.strideW ?? 1);
    const [pt, pb] = axisPads(x.shape[1], y.shape[1], fh, sh, 1);
    const [pl, pr] = axisPads(x.shape[2], y.shape[2], fw, sw, 1);
    const attrs: Record<string, number | number[]> = { kernel_shape: [fh, fw], strides: [sh, sw], pads: [pt, pl, pb, pr] };
    const max = op.opType === 'MAX_POOL_2D';
    const onnxOp = max ? 'MaxPool' : 'AveragePool';
    // TFLite averages over the taps inside the input only.
    if (!max) attrs.count_include_pad = 0;
    const act = this.activation(op);
    let out: string;
    if (!this.isQuantized(x)) {
      out = this.floatActivation(this.w.node(onnxOp, [this.value(x, 'nchw')], `${y.name}_pool`, attrs)[0], act, y.name);
    } else if (max) {
      out = this.integerActivation(this.w.node('MaxPool', [this.value(x, 'nchw')], `${y.name}_pool`, attrs)[0], act, y);
    } else {
      const pooled = this.w.node('AveragePool', [this.dequantize(x, 'nchw')], `${y.name}_pool`, attrs)[0];
      out = this.quantize(this.floatActivation(pooled, act, y.name), y);
    }
    this.layouts.set(y, 'nchw', out);
  }

  private reshape(op: Operator): void {
    const x = this.tensor(op, 0), y = this.output(op);
    const shape = this.w.int64s(`${y.name}_shape`, y.shape);
    this.layouts.set(y, 'plain', this.w.node('Reshape', [this.value(x, 'plain'), shape], y.name)[0]);
  }

  private softmax(op: Operator): void {
    const x = this.tensor(op, 0), y = this.output(op);
    const beta = Number(op.options.beta ?? 1);
    let v = this.isQuantized(x) ? this.dequantize(x, 'plain') : this.value(x, 'plain');
    if (beta !== 1) v = this.w.node('Mul', [v, this.w.floats(`${y.name}_beta`, [], [beta])], `${y.name}_scaled`)[0];
    const soft = this.w.node('Softmax', [v], `${y.name}_softmax`, { axis: -1 })[0];
    this.layouts.set(y, 'plain', this.isQuantized(y) ? this.quantize(soft, y) : soft);
  }

  private quantizeOp(op: Operator): void {
    const x = this.tensor(op, 0), y = this.output(op);
    const form = this.layouts.isNchw(x) ? 'nchw' : 'plain';
    const v = this.isQuantized(x) ? this.dequantize(x, form) : this.value(x, form);
    this.layouts.set(y, form, this.quantize(v, y));
  }
}

/** Converts subgraph 0 of a TFLite graph IR to ONNX ModelProto bytes (opset 13, IR 8). */
export function tfliteToOnnx(graph: Graph, options: TfliteToOnnxOptions = {}): Uint8Array {
  if (graph.format !== 'tflite') throw new ConvertError(`expects a TFLite graph, got ${graph.format}`);
  const sg = graph.subgraphs[0];
  if (!sg) throw new ConvertError('the model has no subgraph');
  return new Converter(sg, options).run(graph);
}
