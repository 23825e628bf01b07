// ONNX graph IR -> TFLite graph IR (#5), for the float models PyTorch exports for TinyML and for
// clean QDQ models. Activations move from NCHW to NHWC (layout.ts); weights become OHWI (CONV_2D),
// 1HWC (DEPTHWISE_CONV_2D, when group == input channels) and [out, in] (FULLY_CONNECTED).
// BatchNormalization folds into the conv before it; Relu/Clip fuse into their producer when they
// are its only consumer; Flatten of an NHWC value keeps NHWC order and permutes the next dense
// layer's weight columns instead. ONNX pads that are neither TFLite SAME nor VALID become a PAD op.
// Shape subgraphs (Shape -> Gather -> Concat into a Reshape) are skipped: Reshape takes its static
// output shape from the reader's shape inference. QDQ models become int8 TFLite (qdq.ts).
// Anything else is a ConvertError naming the node, its op type and why.

import type { DType, Graph, Operator, OptionValue, Quantization, Subgraph } from '../../model/graph';
import { ConvertError } from '../tfliteToOnnx/errors';
import { type FlatForm, Layouts, TO_NHWC, nhwcFlattenColumns } from './layout';
import { type QdqFacts, analyzeQdq, isQuantizedOnnx, qdqParams, sameQuantization } from './qdq';
import { TfliteGraphBuilder, isIdentityPermutation } from './tfliteGraphBuilder';
import { permuteBytes } from '../permuteBytes';
import { batchNormAffine, bytesOfFloats, elementWidth, floatsOf, foldIntoConv, integersOf, product } from './weights';

export interface OnnxToTfliteOptions {
  /** Keep a 4-D model input NCHW, with a TRANSPOSE to NHWC inside (default: the input becomes NHWC). */
  keepNchwInput?: boolean;
  /** Keep 4-D model outputs NCHW (default: a 4-D output computed NHWC stays NHWC). */
  keepNchwOutput?: boolean;
}

type Activation = 'RELU' | 'RELU6' | 'RELU_N1_TO_1';

/** A constant as the converter sees it: float, integer, or (QDQ) quantized int8 / int32. */
interface Constant {
  dtype: DType;
  shape: number[];
  data: Uint8Array;
  quantization?: Quantization;
}

const FLT_MAX = 3.4028234663852886e38;
/** TFLite ops that carry a fused activation the engine and TFLM apply. */
const FUSES_ACTIVATION = new Set(['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'ADD', 'SUB', 'MUL', 'AVERAGE_POOL_2D', 'MAX_POOL_2D']);
/** Ops whose input may already be NHWC in the source (converted TFLite models): see inputForm. */
const LAYOUT_OPS = new Set(['Transpose', 'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze']);
/** int8 output parameters TFLM's kernels require. */
const FIXED_OUTPUT: Record<string, [number, number]> = { SOFTMAX: [1 / 256, -128], LOGISTIC: [1 / 256, -128], TANH: [1 / 128, 0] };
const SUGGESTION = 'convert the float model instead and quantize it with `tinyml quantize`';

function nodeLabel(op: Operator): string {
  return op.name ? `'${op.name}'` : `#${op.index}`;
}

class Converter {
  private readonly b = new TfliteGraphBuilder();
  private readonly layouts: Layouts;
  private readonly constants = new Map<number, Constant>();
  private readonly consumerMap = new Map<number, Operator[]>();
  private readonly needed = new Set<number>();
  private readonly skipped = new Set<number>();
  private readonly graphOutputs: Set<number>;
  private readonly qdq: QdqFacts | undefined;
  private readonly origin = new Map<Operator, Operator>();
  private current: Operator | undefined;

  constructor(private readonly sg: Subgraph, private readonly options: OnnxToTfliteOptions) {
    this.layouts = new Layouts(this.b, (v) => this.sg.tensors[v].shape, (v) => this.sg.tensors[v].name || `v${v}`);
    this.graphOutputs = new Set(sg.outputs);
    for (const t of sg.tensors) if (t.data) this.constants.set(t.index, { dtype: t.dtype, shape: t.shape, data: t.data });
    for (const op of sg.operators) if (op.opType === 'Constant') this.constantNode(op);
    this.markNeeded();
    if (isQuantizedOnnx(sg)) {
      this.qdq = analyzeQdq(sg, (v) => this.consumers(v), (v) => this.graphOutputs.has(v));
      for (const [v, c] of this.qdq.constants) this.constants.set(v, c);
    }
  }

  run(graph: Graph): Graph {
    const qoperator = this.sg.operators.find((op) => op.opType.startsWith('QLinear') || op.opType.startsWith('com.microsoft.QLinear') || op.opType === 'ConvInteger' || op.opType === 'MatMulInteger');
    if (qoperator) this.fail(qoperator, `QOperator-format quantized models are not converted; ${SUGGESTION}`);
    const inputs = this.sg.inputs.map((i) => this.graphInput(i));
    for (const op of this.sg.operators) {
      if (!this.needed.has(op.index) || this.skipped.has(op.index) || op.opType === 'Constant' || this.qdq?.folded.has(op.index)) continue;
      this.current = op;
      const before = this.b.operators.length;
      try {
        this.convert(op);
        this.noteOrigins(before);
      } catch (e) {
        if (e instanceof ConvertError) throw e;
        this.fail(op, e instanceof Error ? e.message : String(e));
      }
    }
    this.current = undefined;
    const outputs = this.sg.outputs.map((o) => this.graphOutput(o));
    if (this.qdq) this.checkIntegerOps();
    return this.b.build(inputs, outputs, `Converted from ONNX ${graph.producer ?? ''} ${graph.description}`.trim());
  }

  // ---- graph structure ---------------------------------------------------------------------

  private fail(op: Operator, why: string): never {
    throw new ConvertError(`node ${nodeLabel(op)} (${op.opType}): ${why}`);
  }

  private constantNode(op: Operator): void {
    const o = op.options;
    const out = this.sg.tensors[op.outputs[0]];
    let c: Constant | undefined;
    const value = o.value;
    if (value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array) && value.data) {
      c = { dtype: value.dtype, shape: value.shape, data: value.data };
    } else if (typeof o.value_float === 'number') {
      c = { dtype: 'float32', shape: [], data: bytesOfFloats(Float32Array.of(o.value_float)) };
    } else if (Array.isArray(o.value_floats)) {
      const f = Float32Array.from(o.value_floats as number[]);
      c = { dtype: 'float32', shape: [f.length], data: bytesOfFloats(f) };
    } else if (typeof o.value_int === 'number' || Array.isArray(o.value_ints)) {
      const v = typeof o.value_int === 'number' ? [o.value_int] : (o.value_ints as number[]);
      c = { dtype: 'int64', shape: typeof o.value_int === 'number' ? [] : [v.length], data: new Uint8Array(BigInt64Array.from(v.map(BigInt)).buffer) };
    }
    if (c && out) this.constants.set(out.index, c);
  }

  /** Marks the ops graph outputs depend on through data inputs (not through Reshape's shape). */
  private markNeeded(): void {
    const values = new Set(this.sg.outputs);
    for (let i = this.sg.operators.length - 1; i >= 0; i--) {
      const op = this.sg.operators[i];
      if (!op.outputs.some((o) => values.has(o))) continue;
      this.needed.add(op.index);
      const data = op.opType === 'Reshape' ? op.inputs.slice(0, 1) : op.inputs;
      for (const v of data) if (v >= 0) values.add(v);
    }
    for (const op of this.sg.operators) {
      if (!this.needed.has(op.index)) continue;
      for (const v of op.inputs) {
        if (v < 0) continue;
        const list = this.consumerMap.get(v) ?? [];
        if (!list.includes(op)) list.push(op);
        this.consumerMap.set(v, list);
      }
    }
  }

  private consumers(value: number): Operator[] {
    return this.consumerMap.get(value) ?? [];
  }

  /** The one consumer of `value` when it has exactly one and is no graph output. */
  private soleConsumer(value: number): Operator | undefined {
    const users = this.consumers(value);
    return users.length === 1 && !this.graphOutputs.has(value) ? users[0] : undefined;
  }

  private graphInput(i: number): number {
    const t = this.sg.tensors[i];
    if (t.shape.some((d) => d < 0)) throw new ConvertError(`input '${t.name}' has a dynamic shape [${t.shape.join(', ')}]`);
    const dtype = t.dtype === 'float32' || t.dtype === 'int8' ? t.dtype : undefined;
    if (!dtype) throw new ConvertError(`input '${t.name}' has type ${t.dtype}; float32 or int8 expected`);
    // A 4-D input feeding only layout ops (a Transpose or Reshape to NCHW) is already NHWC or
    // flat data: keep it as declared. Otherwise it is an NCHW image and becomes NHWC.
    const users = this.consumers(i);
    const layoutOnly = users.length > 0 && users.every((u) => LAYOUT_OPS.has(u.opType));
    if (t.shape.length === 4 && !this.options.keepNchwInput && !layoutOnly) {
      const nhwc = this.b.activation(t.name, TO_NHWC.map((p) => t.shape[p]), dtype);
      this.layouts.set(i, 'nhwc', nhwc);
      return nhwc;
    }
    const plain = this.b.activation(t.name, t.shape, dtype);
    this.layouts.set(i, 'plain', plain);
    return plain;
  }

  private graphOutput(o: number): number {
    const t = this.sg.tensors[o];
    if (!this.layouts.has(o)) throw new ConvertError(`output '${t.name}' is not computed by any converted op`);
    const nhwc = t.shape.length === 4 && this.layouts.isNhwc(o) && !this.options.keepNchwOutput;
    const tensor = nhwc ? this.layouts.nhwc(o) : this.layouts.plain(o);
    const out = this.b.tensors[tensor];
    if (this.sg.inputs.some((i) => this.layouts.primaryTensor(i) === tensor)) throw new ConvertError(`output '${t.name}' is a model input`);
    if (out.name !== t.name && !this.b.tensors.some((x) => x.name === t.name)) out.name = t.name;
    return tensor;
  }

  // ---- values ------------------------------------------------------------------------------

  private shape(v: number): number[] {
    const t = this.sg.tensors[v];
    if (!t || t.shape.some((d) => d < 0)) this.fail(this.current as Operator, `value '${t?.name ?? v}' has no static shape`);
    return t.shape;
  }

  private name(v: number): string {
    return this.sg.tensors[v]?.name || `v${v}`;
  }

  private constant(v: number | undefined): Constant | undefined {
    return v === undefined || v < 0 ? undefined : this.constants.get(v);
  }

  private requireConstant(op: Operator, k: number, what: string): Constant {
    const c = this.constant(op.inputs[k]);
    if (!c) this.fail(op, `${what} (input ${k}) must be a constant`);
    return c;
  }

  private floatConstant(op: Operator, k: number, what: string): Float32Array {
    const c = this.requireConstant(op, k, what);
    if (c.dtype !== 'float32' || c.quantization) this.fail(op, `${what} must be float32, is ${c.quantization ? 'quantized ' : ''}${c.dtype}`);
    return floatsOf(c.data);
  }

  private ints(op: Operator, k: number, what: string): number[] {
    const c = this.requireConstant(op, k, what);
    return integersOf(c.data, c.dtype);
  }

  /** A constant as a TFLite tensor, its axes permuted by `perm` after padding its rank to `rank`. */
  private constTensor(c: Constant, name: string, rank?: number, perm?: readonly number[]): number {
    if (c.dtype !== 'float32' && c.dtype !== 'int8' && c.dtype !== 'int32') throw new Error(`constant ${name} of type ${c.dtype} cannot be an operand`);
    let shape = [...c.shape];
    if (rank !== undefined) while (shape.length < rank) shape.unshift(1);
    let axis = (c.quantization?.axis ?? 0) + shape.length - c.shape.length;
    let data = c.data;
    if (perm && !isIdentityPermutation(perm)) {
      data = permuteBytes(c.data, shape, perm, elementWidth(c.dtype));
      shape = perm.map((p) => shape[p]);
      axis = perm.indexOf(axis);
    }
    const q = c.quantization && c.quantization.scale.length > 1 ? { ...c.quantization, axis } : c.quantization;
    return this.b.constant(name, c.dtype, shape, data.slice(), q);
  }

  /** The TFLite output tensor of ONNX value `v`: int8 when QDQ quantizes it, else its own type. */
  private outTensor(v: number, shape: readonly number[], like?: number): number {
    const q = this.qdq?.activations.get(v);
    if (q) return this.b.activation(this.name(v), shape, 'int8', q);
    const t = this.sg.tensors[v];
    if ((t.dtype === 'int8' || t.dtype === 'uint8') && like !== undefined) return this.b.derived(like, this.name(v), shape);
    if (t.dtype !== 'float32' && t.dtype !== 'unknown') throw new Error(`value ${t.name} has type ${t.dtype}; the converter handles float32 (and int8 in QDQ models)`);
    return this.b.activation(this.name(v), shape, 'float32');
  }

  /** Input as NHWC when it is a 4-D value whose producer wrote NHWC, else plain. */
  private formOf(v: number): 'nhwc' | 'plain' {
    return this.shape(v).length === 4 && this.layouts.isNhwc(v) ? 'nhwc' : 'plain';
  }

  private tensorIn(v: number, form: 'nhwc' | 'plain'): number {
    return form === 'nhwc' ? this.layouts.nhwc(v) : this.layouts.plain(v);
  }

  // ---- dispatch ----------------------------------------------------------------------------

  private convert(op: Operator): void {
    switch (op.opType) {
      case 'Conv':
        return this.conv(op);
      case 'Gemm':
      case 'MatMul':
        return this.dense(op);
      case 'Relu':
        return this.activation(op, 'RELU');
      case 'Clip':
        return this.clip(op);
      case 'BatchNormalization':
        return this.batchNorm(op);
      case 'MaxPool':
      case 'AveragePool':
        return this.pool(op);
      case 'GlobalAveragePool':
      case 'GlobalMaxPool':
        return this.globalPool(op);
      case 'ReduceMean':
        return this.reduceMean(op);
      case 'Flatten':
      case 'Reshape':
        return this.reshape(op);
      case 'Squeeze':
      case 'Unsqueeze': {
        const y = op.outputs[0];
        this.layouts.set(y, 'plain', this.b.reshape(this.layouts.plain(op.inputs[0]), this.shape(y), this.name(y)));
        return;
      }
      case 'Softmax':
        return this.softmax(op);
      case 'Add':
      case 'Sub':
      case 'Mul':
        return this.binary(op, op.opType === 'Add' ? 'ADD' : op.opType === 'Sub' ? 'SUB' : 'MUL');
      case 'Concat':
        return this.concat(op);
      case 'Transpose':
        return this.transpose(op);
      case 'Pad':
        return this.pad(op);
      case 'Sigmoid':
        return this.unary(op, 'LOGISTIC');
      case 'Tanh':
        return this.unary(op, 'TANH');
      case 'HardSwish':
        return this.unary(op, 'HARD_SWISH');
      case 'LeakyRelu':
        return this.unary(op, 'LEAKY_RELU', { alpha: typeof op.options.alpha === 'number' ? op.options.alpha : 0.01 });
      case 'Identity':
      case 'Dropout':
        this.layouts.alias(op.outputs[0], op.inputs[0]);
        return;
      case 'QuantizeLinear':
        return this.quantizeLinear(op);
      case 'DequantizeLinear':
        return this.dequantizeLinear(op);
      default:
        this.fail(op, 'op not supported by the ONNX -> TFLite converter');
    }
  }

  // ---- convolution and dense -----------------------------------------------------------------

  /** TFLite padding for one window op, or the explicit pads a PAD op must add before a VALID op. */
  private padding(op: Operator, inHW: number[], outHW: number[], kernel: number[], strides: number[], dilations: number[]): { mode: 'SAME' | 'VALID'; explicit?: number[] } {
    const autoPad = typeof op.options.auto_pad === 'string' ? op.options.auto_pad : 'NOTSET';
    const samePads = (i: number, lower: boolean): [number, number] => {
      const out = Math.ceil(inHW[i] / strides[i]);
      const total = Math.max((out - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - inHW[i], 0);
      const before = lower ? Math.ceil(total / 2) : Math.floor(total / 2);
      return [before, total - before];
    };
    let pads: number[];
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
      const [t, bt] = samePads(0, autoPad === 'SAME_LOWER');
      const [l, r] = samePads(1, autoPad === 'SAME_LOWER');
      pads = [t, l, bt, r];
    } else if (autoPad === 'VALID') {
      pads = [0, 0, 0, 0];
    } else {
      pads = Array.isArray(op.options.pads) ? (op.options.pads as number[]) : [0, 0, 0, 0];
    }
    const outFor = (i: number, before: number, after: number) => Math.floor((inHW[i] + before + after - (kernel[i] - 1) * dilations[i] - 1) / strides[i]) + 1;
    const [t, l, bt, r] = pads;
    if (outFor(0, t, bt) !== outHW[0] || outFor(1, l, r) !== outHW[1]) {
      this.fail(op, `output size [${outHW.join(', ')}] does not follow from pads [${pads.join(', ')}] (ceil_mode is not supported)`);
    }
    if (pads.every((p) => p === 0)) return { mode: 'VALID' };
    const [st, sb] = samePads(0, false);
    const [sl, sr] = samePads(1, false);
    if (t === st && bt === sb && l === sl && r === sr && outHW[0] === Math.ceil(inHW[0] / strides[0]) && outHW[1] === Math.ceil(inHW[1] / strides[1])) return { mode: 'SAME' };
    return { mode: 'VALID', explicit: pads };
  }

  /** A PAD (or PADV2 with `value`) of an NHWC tensor by ONNX pads [top, left, bottom, right]. */
  private padNhwc(x: number, pads: number[], name: string, value?: number): number {
    const [t, l, bt, r] = pads;
    const s = this.b.tensors[x].shape;
    const y = this.b.derived(x, name, [s[0], s[1] + t + bt, s[2] + l + r, s[3]]);
    const paddings = this.b.int32s(`${name}_paddings`, [4, 2], [0, 0, t, bt, l, r, 0, 0]);
    if (value === undefined) {
      this.b.op('PAD', [x, paddings], [y]);
    } else {
      const xt = this.b.tensors[x];
      // int8 pads with its lowest code (-128, byte 0x80), the float lowest value's counterpart.
      const c = xt.dtype === 'int8' ? this.b.constant(`${name}_value`, 'int8', [], Uint8Array.of(0x80), xt.quantization) : this.b.floats(`${name}_value`, [], Float32Array.of(value));
      this.b.op('PADV2', [x, paddings, c], [y]);
    }
    return y;
  }

  private conv(op: Operator): void {
    const x = op.inputs[0];
    const w = this.requireConstant(op, 1, 'the weight');
    if (w.shape.length !== 4) this.fail(op, `only 2-D convolutions are supported (weight shape [${w.shape.join(', ')}])`);
    const xs = this.shape(x);
    const [, inC, inH, inW] = xs;
    const [outC, groupC, kh, kw] = w.shape;
    const group = typeof op.options.group === 'number' ? op.options.group : 1;
    const kernel = Array.isArray(op.options.kernel_shape) ? (op.options.kernel_shape as number[]) : [kh, kw];
    if (kernel[0] !== kh || kernel[1] !== kw) this.fail(op, 'kernel_shape differs from the weight shape');
    const strides = Array.isArray(op.options.strides) ? (op.options.strides as number[]) : [1, 1];
    const dilations = Array.isArray(op.options.dilations) ? (op.options.dilations as number[]) : [1, 1];
    if (groupC * group !== inC) this.fail(op, `weight depth ${groupC} x group ${group} is not the input depth ${inC}`);
    const depthwise = group > 1 && group === inC && groupC === 1;

    // BatchNormalization right after: fold it into the weights and bias.
    let y = op.outputs[0];
    const next = this.soleConsumer(y);
    let fold: ReturnType<typeof batchNormAffine> | undefined;
    if (next?.opType === 'BatchNormalization' && w.dtype === 'float32' && [1, 2, 3, 4].every((k) => this.constant(next.inputs[k])?.dtype === 'float32')) {
      fold = this.batchNormParams(next);
      this.skipped.add(next.index);
      y = next.outputs[0];
    }
    const ys = this.shape(y);
    const padding = this.padding(op, [inH, inW], [ys[2], ys[3]], [kh, kw], strides, dilations);

    let weights = w.data;
    let bias = this.constant(op.inputs[2]);
    if (fold) {
      const folded = foldIntoConv(floatsOf(w.data), outC, bias ? floatsOf(bias.data) : undefined, fold);
      weights = bytesOfFloats(folded.weights);
      bias = { dtype: 'float32', shape: [outC], data: bytesOfFloats(folded.bias) };
    }
    if (bias && bias.dtype !== 'float32' && bias.dtype !== 'int32') this.fail(op, `bias type ${bias.dtype} not supported`);
    // OIHW -> OHWI; depthwise [O, 1, KH, KW] -> [1, KH, KW, O].
    const perm = depthwise ? [1, 2, 3, 0] : [0, 2, 3, 1];
    const wt = this.constTensor({ ...w, data: weights }, `${this.name(op.inputs[1])}_${depthwise ? '1hwc' : 'ohwi'}`, 4, perm);
    const bt = bias ? this.constTensor(bias, op.inputs[2] >= 0 ? this.name(op.inputs[2]) : `${this.name(y)}_bias`) : -1;

    let xt = this.layouts.nhwc(x);
    if (padding.explicit) xt = this.padNhwc(xt, padding.explicit, `${this.name(x)}_padded`);
    const yt = this.outTensor(y, [ys[0], ys[2], ys[3], ys[1]], xt);
    const options: Record<string, OptionValue> = { padding: padding.mode, strideW: strides[1], strideH: strides[0], dilationW: dilations[1], dilationH: dilations[0], fusedActivation: 'NONE' };
    if (depthwise) options.depthMultiplier = outC / inC;
    this.b.op(depthwise ? 'DEPTHWISE_CONV_2D' : 'CONV_2D', [xt, wt, bt], [yt], options);
    this.layouts.set(y, 'nhwc', yt);
  }

  private batchNormParams(op: Operator): ReturnType<typeof batchNormAffine> {
    const eps = typeof op.options.epsilon === 'number' ? op.options.epsilon : 1e-5;
    if (op.outputs.filter((o) => o >= 0).length > 1 && op.outputs.slice(1).some((o) => o >= 0 && this.consumers(o).length > 0)) {
      this.fail(op, 'training-mode outputs (running mean and variance) are not supported');
    }
    return batchNormAffine(this.floatConstant(op, 1, 'scale'), this.floatConstant(op, 2, 'bias'), this.floatConstant(op, 3, 'mean'), this.floatConstant(op, 4, 'variance'), eps);
  }

  /** Gemm and MatMul with a constant weight -> FULLY_CONNECTED. */
  private dense(op: Operator): void {
    const a = op.inputs[0];
    const gemm = op.opType === 'Gemm';
    if (gemm && op.options.transA === 1) this.fail(op, 'transA = 1 is not supported');
    const w = this.constant(op.inputs[1]);
    if (!w) this.fail(op, 'the weight (input 1) must be a constant: a product of two activations has no FULLY_CONNECTED form');
    if (w.shape.length !== 2) this.fail(op, `weight of shape [${w.shape.join(', ')}] is not 2-D`);
    const transB = gemm && op.options.transB === 1;
    const [n, k] = transB ? w.shape : [w.shape[1], w.shape[0]];
    const as = this.shape(a);
    if (as[as.length - 1] !== k) this.fail(op, `input depth ${as[as.length - 1]} does not match the weight depth ${k}`);
    const width = elementWidth(w.dtype);
    let weights = transB ? w.data : permuteBytes(w.data, w.shape, [1, 0], width);
    let wq = w.quantization;
    if (wq && wq.scale.length > 1) wq = { ...wq, axis: transB ? wq.axis : 1 - wq.axis };
    if (wq && wq.scale.length > 1 && wq.axis !== 0) this.fail(op, 'per-channel weight scales must run along the output units');

    const alpha = gemm && typeof op.options.alpha === 'number' ? op.options.alpha : 1;
    const beta = gemm && typeof op.options.beta === 'number' ? op.options.beta : 1;
    if (alpha !== 1) {
      if (w.dtype !== 'float32') this.fail(op, 'alpha != 1 with quantized weights is not supported');
      weights = bytesOfFloats(floatsOf(weights).map((v) => v * alpha));
    }

    // Bias: Gemm's C, or a constant Add right after a MatMul.
    let y = op.outputs[0];
    let biasConst = gemm ? this.constant(op.inputs[2]) : undefined;
    if (gemm && op.inputs[2] !== undefined && op.inputs[2] >= 0 && !biasConst) this.fail(op, 'C (input 2) must be a constant');
    let biasScale = beta;
    if (!gemm) {
      const next = this.soleConsumer(y);
      const other = next?.opType === 'Add' ? next.inputs.find((v) => v !== y) : undefined;
      const c = this.constant(other);
      if (next && c && (c.dtype === 'float32' || c.dtype === 'int32') && product(c.shape) === n && c.shape[c.shape.length - 1] === n) {
        biasConst = c;
        biasScale = 1;
        this.skipped.add(next.index);
        y = next.outputs[0];
      }
    }
    let bt = -1;
    if (biasConst) {
      if (biasConst.dtype === 'float32') {
        const c = floatsOf(biasConst.data);
        if (c.length !== 1 && c.length !== n) this.fail(op, `C of shape [${biasConst.shape.join(', ')}] is not a per-unit bias`);
        const values = Float32Array.from({ length: n }, (_, i) => (c.length === 1 ? c[0] : c[i]) * biasScale);
        bt = this.b.floats(`${this.name(y)}_bias`, [n], values);
      } else if (biasConst.dtype === 'int32' && biasConst.quantization && biasScale === 1 && product(biasConst.shape) === n) {
        bt = this.b.constant(`${this.name(y)}_bias`, 'int32', [n], biasConst.data.slice(), biasConst.quantization);
      } else {
        this.fail(op, `bias of type ${biasConst.dtype} not supported`);
      }
    }

    // A flattened NHWC input: permute the weight columns to its order.
    const flat: FlatForm | undefined = as.length === 2 && this.layouts.primary(a) === 'flat' ? this.layouts.flat(a) : undefined;
    if (flat) {
      const out = new Uint8Array(weights.length);
      for (let r = 0; r < n; r++) {
        for (let j = 0; j < k; j++) out.set(weights.subarray((r * k + flat.columns[j]) * width, (r * k + flat.columns[j] + 1) * width), (r * k + j) * width);
      }
      weights = out;
    }
    const wt = this.b.constant(`${this.name(op.inputs[1])}_${flat ? 'nhwc_columns' : 'nk'}`, w.dtype, [n, k], weights.slice(), wq);
    const xt = flat ? flat.tensor : this.layouts.plain(a);
    const ys = this.shape(y);
    const yt = this.outTensor(y, ys, xt);
    const options: Record<string, OptionValue> = { fusedActivation: 'NONE' };
    if (ys.length > 2) options.keepNumDims = true;
    this.b.op('FULLY_CONNECTED', [xt, wt, bt], [yt], options);
    this.layouts.set(y, 'plain', yt);
  }

  // ---- activations -------------------------------------------------------------------------

  /** Fuses `act` into the op that wrote `x`, when nothing else sees the value before it. */
  private tryFuse(x: number, act: Activation): boolean {
    if (!this.soleConsumer(x)) return false;
    const t = this.layouts.primaryTensor(x);
    const p = this.b.producerOf(t);
    if (!p || !FUSES_ACTIVATION.has(p.opType) || p.options.fusedActivation !== 'NONE' || this.layouts.isShared(t)) return false;
    p.options.fusedActivation = act;
    return true;
  }

  private activation(op: Operator, act: Activation): void {
    const x = op.inputs[0], y = op.outputs[0];
    const sameType = !this.qdq || sameQuantization(this.qdq.activations.get(x), this.qdq.activations.get(y));
    if (sameType && this.tryFuse(x, act)) {
      this.layouts.alias(y, x);
      return;
    }
    if (act === 'RELU_N1_TO_1') this.fail(op, 'Clip(-1, 1) is supported only fused into the op before it');
    this.unary(op, act);
  }

  private clip(op: Operator): void {
    let lo: number, hi: number;
    if (op.version >= 11) {
      const bound = (k: number, fallback: number): number => {
        if (op.inputs[k] === undefined || op.inputs[k] < 0) return fallback;
        const c = this.constant(op.inputs[k]);
        if (!c) this.fail(op, `the ${k === 1 ? 'min' : 'max'} bound must be a constant`);
        if (c.dtype !== 'float32') this.fail(op, `bounds of type ${c.dtype} are not supported`);
        return floatsOf(c.data)[0];
      };
      lo = bound(1, -Infinity);
      hi = bound(2, Infinity);
    } else {
      lo = typeof op.options.min === 'number' ? op.options.min : -FLT_MAX;
      hi = typeof op.options.max === 'number' ? op.options.max : FLT_MAX;
    }
    const isInf = (v: number) => v === Infinity || v >= FLT_MAX;
    if (lo === 0 && hi === 6) return this.activation(op, 'RELU6');
    if (lo === 0 && isInf(hi)) return this.activation(op, 'RELU');
    if (lo === -1 && hi === 1) return this.activation(op, 'RELU_N1_TO_1');
    this.fail(op, `Clip(${lo}, ${hi}) has no TFLite activation (only [0, 6], [0, inf) and [-1, 1])`);
  }

  private unary(op: Operator, opType: string, options: Record<string, OptionValue> = {}): void {
    const x = op.inputs[0], y = op.outputs[0];
    const form = this.formOf(x);
    const xt = this.tensorIn(x, form);
    const yt = this.outTensor(y, this.b.tensors[xt].shape, xt);
    this.b.op(opType, [xt], [yt], options);
    this.layouts.set(y, form, yt);
  }

  private batchNorm(op: Operator): void {
    const x = op.inputs[0], y = op.outputs[0];
    const affine = this.batchNormParams(op);
    const rank = this.shape(x).length;
    if (rank < 2) this.fail(op, 'expects an input of rank 2 or more');
    const form = this.formOf(x);
    const c = affine.scale.length;
    // Per-channel constants broadcast over NHWC's last axis, or over axis 1 of the plain value.
    const shape = form === 'nhwc' || rank === 2 ? [c] : [c, ...new Array<number>(rank - 2).fill(1)];
    const xt = this.tensorIn(x, form);
    const scaled = this.b.derived(xt, `${this.name(y)}_scaled`, this.b.tensors[xt].shape);
    if (this.b.tensors[xt].dtype !== 'float32') this.fail(op, `a standalone BatchNormalization needs float input; ${SUGGESTION}`);
    this.b.op('MUL', [xt, this.b.floats(`${this.name(y)}_bn_scale`, shape, Float32Array.from(affine.scale))], [scaled], { fusedActivation: 'NONE' });
    const yt = this.outTensor(y, this.b.tensors[xt].shape, xt);
    this.b.op('ADD', [scaled, this.b.floats(`${this.name(y)}_bn_shift`, shape, Float32Array.from(affine.shift))], [yt], { fusedActivation: 'NONE' });
    this.layouts.set(y, form, yt);
  }

  // ---- pooling ----------------------------------------------------------------------------

  private pool(op: Operator): void {
    const x = op.inputs[0], y = op.outputs[0];
    const xs = this.shape(x), ys = this.shape(y);
    if (xs.length !== 4) this.fail(op, 'only 2-D pooling (4-D input) is supported');
    const kernel = op.options.kernel_shape as number[];
    const strides = Array.isArray(op.options.strides) ? (op.options.strides as number[]) : [1, 1];
    const dilations = Array.isArray(op.options.dilations) ? (op.options.dilations as number[]) : [1, 1];
    if (dilations.some((d) => d !== 1)) this.fail(op, 'dilated pooling is not supported');
    if (op.outputs.length > 1 && op.outputs[1] >= 0 && this.consumers(op.outputs[1]).length > 0) this.fail(op, 'the Indices output is not supported');
    const max = op.opType === 'MaxPool';
    const padding = this.padding(op, [xs[2], xs[3]], [ys[2], ys[3]], kernel, strides, [1, 1]);
    let xt = this.layouts.nhwc(x);
    if (padding.explicit) {
      if (max) {
        // Padding with the lowest value leaves every window's maximum as ONNX computes it.
        xt = this.padNhwc(xt, padding.explicit, `${this.name(x)}_padded`, -FLT_MAX);
      } else if (op.options.count_include_pad === 1) {
        xt = this.padNhwc(xt, padding.explicit, `${this.name(x)}_padded`);
      } else {
        this.fail(op, `pads [${padding.explicit.join(', ')}] are neither TFLite SAME nor VALID, and padded taps must not count (count_include_pad = 0)`);
      }
    }
    const yt = this.outTensor(y, [ys[0], ys[2], ys[3], ys[1]], xt);
    this.b.op(max ? 'MAX_POOL_2D' : 'AVERAGE_POOL_2D', [xt], [yt], { padding: padding.mode, strideW: strides[1], strideH: strides[0], filterWidth: kernel[1], filterHeight: kernel[0], fusedActivation: 'NONE' });
    this.layouts.set(y, 'nhwc', yt);
  }

  private globalPool(op: Operator): void {
    const x = op.inputs[0], y = op.outputs[0];
    const xs = this.shape(x);
    if (xs.length !== 4) this.fail(op, 'only 4-D inputs are supported');
    const xt = this.layouts.nhwc(x);
    const yt = this.outTensor(y, [xs[0], 1, 1, xs[1]], xt);
    if (op.opType === 'GlobalAveragePool') {
      this.b.op('MEAN', [xt, this.b.int32s(`${this.name(y)}_axes`, [2], [1, 2])], [yt], { keepDims: true });
    } else {
      this.b.op('MAX_POOL_2D', [xt], [yt], { padding: 'VALID', strideW: 1, strideH: 1, filterWidth: xs[3], filterHeight: xs[2], fusedActivation: 'NONE' });
    }
    this.layouts.set(y, 'nhwc', yt);
  }

  /** ReduceMean -> MEAN over the same axes, in NHWC when the input is held NHWC and that fits. */
  private reduceMean(op: Operator): void {
    const x = op.inputs[0], y = op.outputs[0];
    const rank = this.shape(x).length;
    const ys = this.shape(y);
    const hasAxesInput = op.inputs[1] !== undefined && op.inputs[1] >= 0;
    const given = op.version >= 18 ? (hasAxesInput ? this.ints(op, 1, 'axes') : []) : Array.isArray(op.options.axes) ? (op.options.axes as number[]) : [];
    if (given.length === 0 && op.options.noop_with_empty_axes === 1) this.fail(op, 'noop_with_empty_axes is not supported');
    const axes = given.length === 0 ? Array.from({ length: rank }, (_, i) => i) : [...new Set(given.map((a) => (a < 0 ? a + rank : a)))];
    const keep = op.options.keepdims !== 0;
    // Reduced in NHWC, the result is in ONNX's order when the dims stay, or when the axes left
    // come in the same order either way (C gone, or H and W gone).
    const left = (order: number[]) => order.filter((a) => !axes.includes(a)).join();
    const nhwc = this.formOf(x) === 'nhwc' && (keep || left(TO_NHWC) === left([0, 1, 2, 3]));
    const xt = this.tensorIn(x, nhwc ? 'nhwc' : 'plain');
    const tflAxes = (nhwc ? axes.map((a) => TO_NHWC.indexOf(a)) : axes).sort((p, q) => p - q);
    const keptNhwc = keep && nhwc;
    const yt = this.outTensor(y, keptNhwc ? TO_NHWC.map((p) => ys[p]) : ys, xt);
    this.b.op('MEAN', [xt, this.b.int32s(`${this.name(y)}_axes`, [tflAxes.length], tflAxes)], [yt], { keepDims: keep });
    this.layouts.set(y, keptNhwc ? 'nhwc' : 'plain', yt);
  }

  // ---- shapes and layout -------------------------------------------------------------------

  private reshape(op: Operator): void {
    const x = op.inputs[0], y = op.outputs[0];
    const xs = this.shape(x), ys = this.shape(y);
    const flatten = xs.length === 4 && ys.length === 2 && ys[0] === xs[0] && this.layouts.isNhwc(x);
    if (!flatten) {
      this.layouts.set(y, 'plain', this.b.reshape(this.layouts.plain(x), ys, this.name(y)));
      return;
    }
    const [, c, h, w] = xs;
    const stored = this.b.reshape(this.layouts.nhwc(x), ys, this.name(y));
    if (c === 1 || h * w === 1) this.layouts.set(y, 'plain', stored);
    else this.layouts.setFlat(y, { tensor: stored, columns: nhwcFlattenColumns(c, h, w), source: x });
  }

  private softmax(op: Operator): void {
    const x = op.inputs[0], y = op.outputs[0];
    const xs = this.shape(x);
    const rank = xs.length;
    const raw = typeof op.options.axis === 'number' ? op.options.axis : op.version >= 13 ? -1 : 1;
    const axis = raw < 0 ? raw + rank : raw;
    // Opset 13 normalizes along `axis`; before, over all axes from `axis` on (the same when the
    // later ones are 1). TFLite normalizes along the last axis: NHWC's last axis is NCHW's axis 1.
    const trailing = op.version >= 13 || xs.slice(axis + 1).every((d) => d === 1);
    let form: 'nhwc' | 'plain';
    if (axis === rank - 1) form = 'plain';
    else if (rank === 4 && axis === 1 && trailing) form = 'nhwc';
    else this.fail(op, `softmax over axis ${axis} of [${xs.join(', ')}] has no TFLite form (TFLite normalizes the last axis)`);
    const xt = this.tensorIn(x, form);
    const yt = this.outTensor(y, this.b.tensors[xt].shape, xt);
    this.b.op('SOFTMAX', [xt], [yt], { beta: 1 });
    this.layouts.set(y, form, yt);
  }

  private binary(op: Operator, opType: 'ADD' | 'SUB' | 'MUL'): void {
    const y = op.outputs[0];
    const ys = this.shape(y);
    const [a, c] = op.inputs;
    if (this.constant(a) && this.constant(c)) this.fail(op, 'both operands are constants (fold them before converting)');
    const live = [a, c].filter((v) => !this.constant(v));
    const nhwc = ys.length === 4 && live.every((v) => this.shape(v).length === 4) && live.some((v) => this.layouts.isNhwc(v));
    const operand = (v: number): number => {
      const k = this.constant(v);
      if (!k) return this.tensorIn(v, nhwc ? 'nhwc' : 'plain');
      if (k.dtype !== 'float32' && !k.quantization) this.fail(op, `constant operand of type ${k.dtype} not supported`);
      return nhwc ? this.constTensor(k, `${this.name(v)}_nhwc`, 4, TO_NHWC) : this.constTensor(k, this.name(v));
    };
    const [at, ct] = [operand(a), operand(c)];
    const yt = this.outTensor(y, nhwc ? TO_NHWC.map((p) => ys[p]) : ys, this.constant(a) ? ct : at);
    this.b.op(opType, [at, ct], [yt], { fusedActivation: 'NONE' });
    this.layouts.set(y, nhwc ? 'nhwc' : 'plain', yt);
  }

  private concat(op: Operator): void {
    const y = op.outputs[0];
    const ys = this.shape(y);
    const rank = ys.length;
    const raw = typeof op.options.axis === 'number' ? op.options.axis : 0;
    const axis = raw < 0 ? raw + rank : raw;
    const live = op.inputs.filter((v) => !this.constant(v));
    if (live.length === 0) this.fail(op, 'all inputs are constants (fold them before converting)');
    const nhwc = rank === 4 && live.some((v) => this.layouts.isNhwc(v));
    const inputs = op.inputs.map((v) => {
      const k = this.constant(v);
      if (!k) return this.tensorIn(v, nhwc ? 'nhwc' : 'plain');
      return nhwc ? this.constTensor(k, `${this.name(v)}_nhwc`, 4, TO_NHWC) : this.constTensor(k, this.name(v));
    });
    const yt = this.outTensor(y, nhwc ? TO_NHWC.map((p) => ys[p]) : ys, inputs[op.inputs.indexOf(live[0])]);
    // NCHW axis -> its place in NHWC.
    this.b.op('CONCATENATION', inputs, [yt], { axis: nhwc ? [0, 3, 1, 2][axis] : axis, fusedActivation: 'NONE' });
    this.layouts.set(y, nhwc ? 'nhwc' : 'plain', yt);
  }

  private transpose(op: Operator): void {
    const x = op.inputs[0], y = op.outputs[0];
    const rank = this.shape(x).length;
    const perm = Array.isArray(op.options.perm) ? (op.options.perm as number[]) : Array.from({ length: rank }, (_, i) => rank - 1 - i);
    const inForm = this.formOf(x);
    const pIn = inForm === 'nhwc' ? TO_NHWC : perm.map((_, i) => i);
    const inverse = new Array<number>(rank);
    pIn.forEach((p, d) => (inverse[p] = d));
    const xt = this.tensorIn(x, inForm);
    // Stored output = stored input permuted by q, q[d] = pIn^-1[perm[pOut[d]]]: when q is the
    // identity for some output form, the bytes are already in place and no op is needed.
    const forms: ['nhwc' | 'plain', number[]][] = [['plain', perm.map((_, i) => i)]];
    if (rank === 4) forms.unshift(['nhwc', TO_NHWC]);
    for (const [form, pOut] of forms) {
      const q = pOut.map((p) => inverse[perm[p]]);
      if (isIdentityPermutation(q)) {
        this.layouts.set(y, form, xt);
        return;
      }
    }
    const q = perm.map((p) => inverse[p]);
    this.layouts.set(y, 'plain', this.b.transpose(xt, q, this.name(y)));
  }

  private pad(op: Operator): void {
    const x = op.inputs[0], y = op.outputs[0];
    const mode = typeof op.options.mode === 'string' ? op.options.mode : 'constant';
    if (mode !== 'constant') this.fail(op, `mode '${mode}' is not supported (only constant)`);
    const rank = this.shape(x).length;
    const pads = op.version >= 11 ? this.ints(op, 1, 'pads') : (op.options.pads as number[]);
    if (op.version >= 11 && op.inputs[3] !== undefined && op.inputs[3] >= 0) this.fail(op, 'the axes input is not supported');
    if (pads.some((p) => p < 0)) this.fail(op, 'negative pads (cropping) are not supported');
    const form = this.formOf(x);
    const order = form === 'nhwc' ? TO_NHWC : pads.slice(0, rank).map((_, i) => i);
    const xt = this.tensorIn(x, form);
    const paddings = order.flatMap((d) => [pads[d], pads[d + rank]]);
    const yt = this.outTensor(y, order.map((d) => this.shape(y)[d]), xt);
    const pt = this.b.int32s(`${this.name(y)}_paddings`, [rank, 2], paddings);
    const value = this.padValue(op, this.b.tensors[yt]);
    if (value === undefined) this.b.op('PAD', [xt, pt], [yt]);
    else this.b.op('PADV2', [xt, pt, value], [yt]);
    this.layouts.set(y, form, yt);
  }

  /**
   * Pad's constant_value as PADV2's pad value tensor, or undefined when PAD's own (0, or the int8
   * output zero point) is the same. An int8 output (QDQ, or tfliteToOnnx's int8 Pad) takes the
   * value as an int8 code at its parameters, as TFLM requires; when those are not known yet (an
   * int8 model input before its first DequantizeLinear), the builder settles PAD or PADV2 once
   * they are (quantizeBackwards).
   */
  private padValue(op: Operator, y: { name: string; dtype: DType; quantization?: Quantization }): number | undefined {
    const given = op.version >= 11 && op.inputs[2] !== undefined && op.inputs[2] >= 0;
    const c = given ? this.requireConstant(op, 2, 'constant_value') : undefined;
    const legacy = op.version < 11 && typeof op.options.value === 'number' ? op.options.value : undefined;
    if (y.dtype === 'int8') {
      const q = y.quantization;
      const zero = q?.zeroPoint[0] ?? 0;
      let code: number | undefined;
      if (c?.dtype === 'int8') code = integersOf(c.data, 'int8')[0];
      else {
        const value = c ? floatsOf(c.data)[0] : (legacy ?? 0);
        if (value === 0) return undefined;
        if (!q) this.fail(op, 'a float pad value next to int8 data of unknown quantization');
        code = Math.max(-128, Math.min(127, Math.round(value / q.scale[0]) + zero));
      }
      if (q && code === zero) return undefined;
      return this.b.constant(`${y.name}_value`, 'int8', [], Uint8Array.of(code & 0xff), q);
    }
    const value = c ? this.floatConstant(op, 2, 'constant_value')[0] : (legacy ?? 0);
    return value === 0 ? undefined : this.b.floats(`${y.name}_value`, [], Float32Array.of(value));
  }

  // ---- QDQ --------------------------------------------------------------------------------

  private quantizeLinear(op: Operator): void {
    const f = op.inputs[0], q = op.outputs[0];
    const p = qdqParams(this.sg, op, this.shape(f).length);
    if (!p) this.fail(op, 'scale and zero point must be constants');
    if (p.zeroType !== 'int8') this.fail(op, `${p.zeroType} quantization is not supported (TFLM runs int8); ${SUGGESTION}`);
    if (p.q.scale.length > 1) this.fail(op, `per-channel activation quantization is not supported; ${SUGGESTION}`);
    const form = this.formOf(f);
    const ft = this.tensorIn(f, form);
    const t = this.b.tensors[ft];
    if (t.dtype === 'int8') {
      if (!sameQuantization(t.quantization, p.q)) this.fail(op, `requantizes an int8 value; ${SUGGESTION}`);
      this.layouts.alias(q, f);
      return;
    }
    const qt = this.b.activation(this.name(q), t.shape, 'int8', p.q);
    this.b.op('QUANTIZE', [ft], [qt]);
    this.layouts.set(q, form, qt);
  }

  private dequantizeLinear(op: Operator): void {
    const q = op.inputs[0], f = op.outputs[0];
    const k = this.constant(q);
    if (k) this.fail(op, `dequantizes a ${k.dtype} constant: only int8 weights and int32 biases are supported; ${SUGGESTION}`);
    const p = qdqParams(this.sg, op, this.shape(q).length);
    if (!p) this.fail(op, 'scale and zero point must be constants');
    if (p.q.scale.length > 1) this.fail(op, `per-channel activation quantization is not supported; ${SUGGESTION}`);
    const form = this.formOf(q);
    const qt = this.tensorIn(q, form);
    const t = this.b.tensors[qt];
    if (t.dtype !== 'int8') this.fail(op, `dequantizes a ${t.dtype} value; ${SUGGESTION}`);
    if (!t.quantization) this.b.quantizeBackwards(qt, p.q);
    else if (!sameQuantization(t.quantization, p.q)) this.fail(op, `parameters differ from those the value was quantized with; ${SUGGESTION}`);
    if (!this.graphOutputs.has(f)) {
      this.layouts.alias(f, q);
      return;
    }
    const ft = this.b.activation(this.name(f), t.shape, 'float32');
    this.b.op('DEQUANTIZE', [qt], [ft]);
    this.layouts.set(f, form, ft);
  }

  /** Every TFLite op of a QDQ model must run on int8: a float value in between is not clean QDQ. */
  private checkIntegerOps(): void {
    for (const op of this.b.operators) {
      if (op.opType === 'QUANTIZE' || op.opType === 'DEQUANTIZE') continue;
      const types = [op.inputs[0], ...op.outputs].filter((t) => t >= 0).map((t) => this.b.tensors[t]);
      // Float constants (weights, operands) next to int8 activations are just as unclean.
      for (const t of op.inputs.slice(1)) if (t >= 0 && this.b.tensors[t].dtype === 'float32') types.push(this.b.tensors[t]);
      if (types.some((t) => t.dtype !== types[0].dtype)) {
        const origin = this.origin.get(op);
        const where = origin ? `node ${nodeLabel(origin)} (${origin.opType})` : op.opType;
        throw new ConvertError(`${where}: mixes ${types.map((t) => t.dtype).join(' and ')} tensors: the QDQ pattern around it is not clean; ${SUGGESTION}`);
      }
      const out = this.b.tensors[op.outputs[0]];
      const fixed = FIXED_OUTPUT[op.opType];
      if (fixed && out.dtype === 'int8' && (Math.abs((out.quantization?.scale[0] ?? 0) - fixed[0]) > fixed[0] * 1e-6 || out.quantization?.zeroPoint[0] !== fixed[1])) {
        throw new ConvertError(`${op.opType} output '${out.name}' is quantized with scale ${out.quantization?.scale[0]}, zero point ${out.quantization?.zeroPoint[0]}; TFLM requires ${fixed[0]}, ${fixed[1]}; ${SUGGESTION}`);
      }
    }
  }

  /** Records which ONNX node each TFLite op came from, for messages. */
  private noteOrigins(from: number): void {
    if (!this.current) return;
    for (let i = from; i < this.b.operators.length; i++) this.origin.set(this.b.operators[i], this.current);
  }
}

/**
 * Converts an ONNX graph IR (from readOnnx) to a TFLite graph IR that writeTflite serializes and
 * the engine and TFLM run. Throws ConvertError for anything it cannot convert faithfully.
 */
export function onnxToTflite(graph: Graph, options: OnnxToTfliteOptions = {}): Graph {
  if (graph.format !== 'onnx') throw new ConvertError(`expects an ONNX graph, got ${graph.format}`);
  const sg = graph.subgraphs[0];
  if (!sg) throw new ConvertError('the model has no graph');
  return new Converter(sg, options).run(graph);
}
