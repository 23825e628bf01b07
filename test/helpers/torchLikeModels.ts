// ONNX models shaped like what torch.onnx.export writes for TinyML networks (opset 13, NCHW,
// Conv + BatchNormalization + Relu blocks, Flatten + Gemm heads), with deterministic pseudo-random
// weights, for the ONNX -> TFLite converter tests.

import { OnnxBuilder, attr } from './onnxBuilder';

/** A 32-bit LCG in [0, 1): the same generator as the TFLM oracle's inputs. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface TorchLikeModel {
  name: string;
  bytes: Uint8Array;
  inputShape: number[];
}

interface ConvSpec {
  kernel: [number, number];
  stride?: [number, number];
  pads?: [number, number, number, number];
  group?: number;
  bias?: boolean;
}

/** Layer helpers named after the torch.nn modules they export. */
class Net {
  readonly b = new OnnxBuilder(13, { producer: 'pytorch' });
  private readonly rand: () => number;
  private count = 0;

  constructor(seed: number) {
    this.rand = lcg(seed);
  }

  private fresh(base: string): string {
    return `${base}_${this.count++}`;
  }

  /** Uniform values in [-bound, bound): kaiming-uniform-like scale for a layer of fan-in `fanIn`. */
  values(n: number, bound: number, offset = 0): number[] {
    return Array.from({ length: n }, () => offset + (this.rand() * 2 - 1) * bound);
  }

  init(base: string, dims: number[], values: number[]): string {
    const name = this.fresh(base);
    this.b.initializer(name, 'float32', dims, values);
    return name;
  }

  op(opType: string, inputs: string[], attrs: Parameters<OnnxBuilder['node']>[3] = {}): string {
    const out = this.fresh(opType.toLowerCase());
    this.b.node(opType, inputs, [out], attrs);
    return out;
  }

  conv(x: string, inC: number, outC: number, spec: ConvSpec): string {
    const group = spec.group ?? 1;
    const [kh, kw] = spec.kernel;
    const fanIn = (inC / group) * kh * kw;
    const w = this.init('conv.weight', [outC, inC / group, kh, kw], this.values(outC * (inC / group) * kh * kw, 1 / Math.sqrt(fanIn)));
    const inputs = [x, w];
    if (spec.bias ?? true) inputs.push(this.init('conv.bias', [outC], this.values(outC, 1 / Math.sqrt(fanIn))));
    return this.op('Conv', inputs, {
      kernel_shape: [kh, kw],
      strides: spec.stride ?? [1, 1],
      pads: spec.pads ?? [0, 0, 0, 0],
      dilations: [1, 1],
      group,
    });
  }

  batchNorm(x: string, c: number): string {
    const scale = this.init('bn.weight', [c], this.values(c, 0.5, 1));
    const bias = this.init('bn.bias', [c], this.values(c, 0.2));
    const mean = this.init('bn.running_mean', [c], this.values(c, 0.2));
    const variance = this.init('bn.running_var', [c], this.values(c, 0.5, 1));
    return this.op('BatchNormalization', [x, scale, bias, mean, variance], { epsilon: attr.float(1e-5), momentum: attr.float(0.9) });
  }

  /** Conv -> BatchNormalization -> Relu, as an nn.Sequential of the three exports before folding. */
  convBnRelu(x: string, inC: number, outC: number, spec: ConvSpec): string {
    return this.op('Relu', [this.batchNorm(this.conv(x, inC, outC, { ...spec, bias: false }), outC)]);
  }

  /** nn.Linear as torch exports it for 2-D input: Gemm with transB = 1. */
  linear(x: string, inF: number, outF: number): string {
    const w = this.init('fc.weight', [outF, inF], this.values(outF * inF, 1 / Math.sqrt(inF)));
    const bias = this.init('fc.bias', [outF], this.values(outF, 1 / Math.sqrt(inF)));
    return this.op('Gemm', [x, w, bias], { alpha: attr.float(1), beta: attr.float(1), transB: 1 });
  }

  /** nn.Linear on a 3-D input or an older exporter: MatMul by the transposed weight, then Add. */
  matmulAdd(x: string, inF: number, outF: number): string {
    const w = this.init('fc.weight_t', [inF, outF], this.values(outF * inF, 1 / Math.sqrt(inF)));
    const bias = this.init('fc.bias', [outF], this.values(outF, 1 / Math.sqrt(inF)));
    return this.op('Add', [this.op('MatMul', [x, w]), bias]);
  }

  clip(x: string, lo: number, hi: number): string {
    return this.op('Clip', [x, this.init('clip.min', [], [lo]), this.init('clip.max', [], [hi])]);
  }

  /** The graph; `extra` outputs (e.g. the logits before a Softmax) follow the main one. */
  build(input: string, inputShape: number[], output: string, outputShape: number[], extra: [string, number[]][] = []): Uint8Array {
    this.b.input(input, 'float32', inputShape);
    this.b.output(output, 'float32', outputShape);
    for (const [name, shape] of extra) this.b.output(name, 'float32', shape);
    return this.b.build();
  }
}

/**
 * A small CNN: three Conv-BN-ReLU blocks (the second a stride-2 depthwise one, whose PyTorch
 * padding 1 is not TFLite's SAME), a residual block ending in Add + ReLU, MaxPool,
 * GlobalAveragePool, Flatten, Dropout, Gemm and Softmax. Input [1, 3, 32, 32]; outputs the
 * probabilities and the logits.
 */
export function smallCnn(seed = 1): TorchLikeModel {
  const n = new Net(seed);
  let x = n.convBnRelu('input', 3, 8, { kernel: [3, 3], pads: [1, 1, 1, 1] });
  x = n.convBnRelu(x, 8, 8, { kernel: [3, 3], stride: [2, 2], pads: [1, 1, 1, 1], group: 8 });
  x = n.convBnRelu(x, 8, 16, { kernel: [1, 1] });
  const branch = n.batchNorm(n.conv(n.convBnRelu(x, 16, 16, { kernel: [3, 3], pads: [1, 1, 1, 1] }), 16, 16, { kernel: [3, 3], pads: [1, 1, 1, 1], bias: false }), 16);
  x = n.op('Relu', [n.op('Add', [branch, x])]);
  x = n.op('MaxPool', [x], { kernel_shape: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0] });
  x = n.op('GlobalAveragePool', [x]);
  x = n.op('Flatten', [x], { axis: 1 });
  x = n.op('Dropout', [x]);
  x = n.linear(x, 16, 10);
  const out = n.op('Softmax', [x], { axis: 1 });
  return { name: 'smallCnn', bytes: n.build('input', [1, 3, 32, 32], out, [1, 10], [[x, [1, 10]]]), inputShape: [1, 3, 32, 32] };
}

/** An MLP: Gemm -> BatchNorm1d -> ReLU -> Gemm -> ReLU6 (Clip) -> MatMul + Add -> Tanh -> Gemm. Input [1, 64]. */
export function mlp(seed = 2): TorchLikeModel {
  const n = new Net(seed);
  let x = n.linear('input', 64, 32);
  x = n.op('Relu', [n.batchNorm(x, 32)]);
  x = n.clip(n.linear(x, 32, 24), 0, 6);
  x = n.op('Tanh', [n.matmulAdd(x, 24, 16)]);
  const out = n.op('Identity', [n.linear(x, 16, 4)]);
  return { name: 'mlp', bytes: n.build('input', [1, 64], out, [1, 4]), inputShape: [1, 64] };
}

/**
 * A KWS DS-CNN (MLPerf Tiny's architecture, narrowed to 16 channels) on [1, 1, 49, 10] MFCCs:
 * a 10x4 stride-2 Conv-BN-ReLU with PyTorch padding (5, 1), two depthwise-separable blocks, an
 * AveragePool over the whole map, Flatten, Gemm, Softmax; outputs the probabilities and the logits.
 */
export function dsCnn(seed = 3): TorchLikeModel {
  const n = new Net(seed);
  let x = n.convBnRelu('input', 1, 16, { kernel: [10, 4], stride: [2, 2], pads: [5, 1, 5, 1] });
  for (let i = 0; i < 2; i++) {
    x = n.convBnRelu(x, 16, 16, { kernel: [3, 3], pads: [1, 1, 1, 1], group: 16 });
    x = n.convBnRelu(x, 16, 16, { kernel: [1, 1] });
  }
  x = n.op('AveragePool', [x], { kernel_shape: [25, 5], strides: [25, 5] });
  x = n.op('Flatten', [x], { axis: 1 });
  const logits = n.linear(x, 16, 12);
  const out = n.op('Softmax', [logits], { axis: 1 });
  return { name: 'dsCnn', bytes: n.build('input', [1, 1, 49, 10], out, [1, 12], [[logits, [1, 12]]]), inputShape: [1, 1, 49, 10] };
}

/**
 * A CNN whose classifier flattens a [1, 8, 8, 8] map (so NHWC order differs from NCHW) into a
 * Gemm without transB, with Clip(0, 6), AveragePool with SAME-like padding, a depthwise conv with
 * depth multiplier 2, a channel Concat, a per-channel constant Mul, Pad, Sigmoid and a Reshape.
 */
export function flattenNet(seed = 4): TorchLikeModel {
  const n = new Net(seed);
  let x = n.clip(n.conv('input', 3, 4, { kernel: [3, 3], pads: [1, 1, 1, 1] }), 0, 6);
  const dw = n.conv(x, 4, 8, { kernel: [3, 3], pads: [1, 1, 1, 1], group: 4 });
  x = n.op('Concat', [x, n.op('Sigmoid', [dw])], { axis: 1 });
  x = n.op('Mul', [x, n.init('channel_scale', [12, 1, 1], n.values(12, 1))]);
  x = n.op('Pad', [x, padsName(n), n.init('pad_value', [], [0])], { mode: 'constant' });
  x = n.op('AveragePool', [x], { kernel_shape: [3, 3], strides: [2, 2], pads: [0, 0, 1, 1], count_include_pad: 0 });
  x = n.conv(x, 12, 8, { kernel: [1, 1] });
  x = n.op('Relu', [x]);
  x = n.op('Reshape', [x, shapeName(n)]);
  const w = n.init('fc.weight', [512, 10], n.values(5120, 1 / Math.sqrt(512)));
  const out = n.op('Gemm', [x, w, n.init('fc.bias', [10], n.values(10, 0.1))], { transB: 0 });
  return { name: 'flattenNet', bytes: n.build('input', [1, 3, 14, 14], out, [1, 10]), inputShape: [1, 3, 14, 14] };
}

function padsName(n: Net): string {
  const name = 'pads';
  // ONNX Pad (opset 11+): int64 [begin per axis..., end per axis...]; one row and column each side.
  n.b.initializer(name, 'int64', [8], [0, 0, 1, 1, 0, 0, 1, 1]);
  return name;
}

function shapeName(n: Net): string {
  n.b.initializer('flat_shape', 'int64', [2], [1, -1]);
  return 'flat_shape';
}

/**
 * Layout-sensitive glue: Transposes to and from channels-last around a Sub with a per-channel
 * constant, a Concat whose ReLU cannot fuse, a ResNet-stem MaxPool (3x3, stride 2, padding 1,
 * which is not TFLite's SAME), an H/W swap and a Reshape. Input [1, 4, 6, 6].
 */
export function layoutOps(seed = 5): TorchLikeModel {
  const n = new Net(seed);
  const c = n.conv('input', 4, 4, { kernel: [1, 1] });
  const last = n.op('Transpose', [c], { perm: [0, 2, 3, 1] });
  const shifted = n.op('Sub', [last, n.init('channel_shift', [4], n.values(4, 0.5))]);
  const back = n.op('Transpose', [shifted], { perm: [0, 3, 1, 2] });
  const joined = n.op('Relu', [n.op('Concat', [back, c], { axis: 1 })]);
  const pooled = n.op('MaxPool', [joined], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] });
  const swapped = n.op('Transpose', [pooled], { perm: [0, 1, 3, 2] });
  n.b.initializer('out_shape', 'int64', [2], [1, 72]);
  const out = n.op('Reshape', [swapped, 'out_shape']);
  return { name: 'layoutOps', bytes: n.build('input', [1, 4, 6, 6], out, [1, 72]), inputShape: [1, 4, 6, 6] };
}

export const TORCH_LIKE_MODELS = [smallCnn, mlp, dsCnn, flattenNet, layoutOps];
