// What each TFLM reference kernel takes from the arena, as data: the builtin-options struct its
// parse function allocates, the op data its Init allocates, and the ordered steps of its
// Prepare (temporary TfLiteTensors, persistent buffers, scratch-buffer requests), each a
// function of the op's tensors. Ops missing here get a conservative estimate.

import type { Operator, Subgraph, Tensor } from '../../model/graph';
import { elementCount } from '../../model/graph';
import type { BuiltinParamStruct, OpDataStruct } from './tflmTypes';

/** One arena effect of a kernel's Prepare, in call order. */
export type KernelStep =
  /** MicroContext::AllocateTempInputTensor/OutputTensor: a temp TfLiteTensor (+ quantization). */
  | { kind: 'tempTensor'; tensorIndex: number }
  /** TfLiteContext::AllocatePersistentBuffer: tail, 16-byte aligned. */
  | { kind: 'persistent'; bytes: number; what: string }
  /** TfLiteContext::RequestScratchBufferInArena: planned with the activations. */
  | { kind: 'scratch'; bytes: number };

/** The view of an operator a kernel's Prepare gets. */
export class KernelOp {
  constructor(
    readonly op: Operator,
    readonly subgraph: Subgraph,
  ) {}

  /** Tensor index of input `k`, or -1 when it is absent (GetTensorIndex). */
  inputIndex(k: number): number {
    return k < this.op.inputs.length ? this.op.inputs[k] : -1;
  }

  outputIndex(k: number): number {
    return k < this.op.outputs.length ? this.op.outputs[k] : -1;
  }

  input(k: number): Tensor | undefined {
    const i = this.inputIndex(k);
    return i < 0 ? undefined : this.subgraph.tensors[i];
  }

  output(k: number): Tensor | undefined {
    const i = this.outputIndex(k);
    return i < 0 ? undefined : this.subgraph.tensors[i];
  }

  /** Temp tensor steps for the listed inputs/outputs, skipping absent ones (nullptr). */
  temps(spec: readonly (readonly ['in' | 'out', number])[]): KernelStep[] {
    const steps: KernelStep[] = [];
    for (const [side, k] of spec) {
      const index = side === 'in' ? this.inputIndex(k) : this.outputIndex(k);
      if (index >= 0) steps.push({ kind: 'tempTensor', tensorIndex: index });
    }
    return steps;
  }
}

export interface KernelModel {
  /** Options struct its parse function allocates (alignof(T)); none for empty parsers. */
  params?: BuiltinParamStruct;
  /** Op data its Init allocates through AllocatePersistentBuffer; none without an Init. */
  opData?: OpDataStruct;
  prepare(k: KernelOp): KernelStep[];
}

const perChannelArrays = (channels: number, what: string): KernelStep[] => [
  { kind: 'persistent', bytes: channels * 4, what: `${what} per-channel multipliers` },
  { kind: 'persistent', bytes: channels * 4, what: `${what} per-channel shifts` },
];

function dim(t: Tensor | undefined, i: number): number {
  if (!t) return 0;
  const d = t.shape[i < 0 ? t.shape.length + i : i];
  return d !== undefined && d > 0 ? d : 0;
}

/** Reference kernels (tensorflow/lite/micro/kernels/*.cc), keyed by TFLite builtin name. */
export const KERNELS: Readonly<Record<string, KernelModel>> = {
  // fully_connected.cc FullyConnectedPrepare + CalculateOpDataFullyConnected.
  FULLY_CONNECTED: {
    params: 'TfLiteFullyConnectedParams',
    opData: 'OpDataFullyConnected',
    prepare(k) {
      const steps = k.temps([
        ['in', 0],
        ['in', 1],
        ['in', 2],
        ['out', 0],
      ]);
      const input = k.input(0);
      const filter = k.input(1);
      if (filter?.dtype === 'int4') {
        steps.push({ kind: 'scratch', bytes: elementCount(filter.shape) });
      }
      const channels = filter?.quantization?.scale.length ?? 0;
      if (input && input.dtype !== 'float32' && channels > 1) {
        steps.push(...perChannelArrays(channels, 'FULLY_CONNECTED'));
      }
      return steps;
    },
  },
  // conv_common.cc ConvPrepare: per-channel arrays sized by filter dim 0, always allocated;
  // CalculateOpDataConv takes a second set of temp tensors while the first is still held.
  CONV_2D: {
    params: 'TfLiteConvParams',
    opData: 'OpDataConv',
    prepare(k) {
      const filter = k.input(1);
      const steps = k.temps([
        ['out', 0],
        ['in', 0],
        ['in', 1],
      ]);
      steps.push(...perChannelArrays(dim(filter, 0), 'CONV_2D'));
      steps.push(
        ...k.temps([
          ['in', 0],
          ['in', 1],
          ['in', 2],
          ['out', 0],
        ]),
      );
      if (filter?.dtype === 'int4') {
        steps.push({ kind: 'scratch', bytes: elementCount(filter.shape) });
      }
      return steps;
    },
  },
  // depthwise_conv_common.cc DepthwiseConvPrepare: channels are filter dim 3.
  DEPTHWISE_CONV_2D: {
    params: 'TfLiteDepthwiseConvParams',
    opData: 'OpDataConv',
    prepare(k) {
      const filter = k.input(1);
      const steps = k.temps([
        ['out', 0],
        ['in', 0],
        ['in', 1],
      ]);
      steps.push(...perChannelArrays(dim(filter, 3), 'DEPTHWISE_CONV_2D'));
      if (filter?.dtype === 'int4') {
        steps.push({ kind: 'scratch', bytes: elementCount(filter.shape) });
      }
      steps.push(
        ...k.temps([
          ['in', 0],
          ['in', 1],
          ['in', 2],
          ['out', 0],
        ]),
      );
      return steps;
    },
  },
  // add_common.cc AddPrepare.
  ADD: {
    params: 'TfLiteAddParams',
    opData: 'OpDataAdd',
    prepare: (k) =>
      k.temps([
        ['in', 0],
        ['in', 1],
        ['out', 0],
      ]),
  },
  // pooling_common.cc PoolingPrepare (shared by both pools).
  AVERAGE_POOL_2D: {
    params: 'TfLitePoolParams',
    opData: 'OpDataPooling',
    prepare: (k) =>
      k.temps([
        ['in', 0],
        ['out', 0],
      ]),
  },
  MAX_POOL_2D: {
    params: 'TfLitePoolParams',
    opData: 'OpDataPooling',
    prepare: (k) =>
      k.temps([
        ['in', 0],
        ['out', 0],
      ]),
  },
  // quantize.cc / quantize_common.cc PrepareQuantizeReference; ParseQuantize allocates nothing.
  QUANTIZE: {
    opData: 'OpDataQuantizeReference',
    prepare: (k) =>
      k.temps([
        ['in', 0],
        ['out', 0],
      ]),
  },
  // dequantize.cc / dequantize_common.cc DequantizePrepare.
  DEQUANTIZE: {
    opData: 'DequantizeOpData',
    prepare: (k) =>
      k.temps([
        ['in', 0],
        ['out', 0],
      ]),
  },
  // reshape_common.cc PrepareReshapeReference: no Init; a stretch (-1) output dimension makes
  // CreateWritableTensorDimsWithCopy copy the dims into the tail.
  RESHAPE: {
    params: 'TfLiteReshapeParams',
    prepare(k) {
      const steps = k.temps([
        ['in', 0],
        ['out', 0],
      ]);
      const out = k.output(0);
      if (out && out.shape.includes(-1)) {
        steps.push({ kind: 'persistent', bytes: 4 + 4 * out.shape.length, what: 'RESHAPE dims' });
      }
      return steps;
    },
  },
  // softmax_common.cc SoftmaxPrepare / InitializeLutForInt16: two 513-entry int16 LUTs.
  SOFTMAX: {
    params: 'TfLiteSoftmaxParams',
    opData: 'SoftmaxParams',
    prepare(k) {
      const steps = k.temps([
        ['in', 0],
        ['out', 0],
      ]);
      if (k.input(0)?.dtype === 'int16') {
        steps.push({ kind: 'persistent', bytes: 2 * 513, what: 'SOFTMAX exp LUT' });
        steps.push({ kind: 'persistent', bytes: 2 * 513, what: 'SOFTMAX 1/(1+x) LUT' });
      }
      return steps;
    },
  },
  // svdf_common.cc PrepareSvdf: scratch of batch*filters int32 (and batch*units for int8).
  SVDF: {
    params: 'TfLiteSVDFParams',
    opData: 'OpDataSvdf',
    prepare(k) {
      const steps = k.temps([
        ['in', 0],
        ['in', 1],
        ['in', 2],
        ['in', 3],
        ['in', 4],
        ['out', 0],
      ]);
      const input = k.input(0);
      const batch = dim(input, 0);
      const filters = dim(k.input(1), 0);
      const rankOption = k.op.options.rank;
      const rank = typeof rankOption === 'number' && rankOption > 0 ? rankOption : 1;
      const units = Math.floor(filters / rank);
      steps.push({ kind: 'scratch', bytes: batch * filters * 4 });
      if (input?.dtype === 'int8') steps.push({ kind: 'scratch', bytes: batch * units * 4 });
      return steps;
    },
  },
  // The entries below are read from the same TFLM sources but no oracle model exercises them.
  // mul_common.cc MulPrepare -> CalculateOpDataMul.
  MUL: {
    params: 'TfLiteMulParams',
    opData: 'OpDataMul',
    prepare: (k) =>
      k.temps([
        ['in', 0],
        ['in', 1],
        ['out', 0],
      ]),
  },
  // sub_common.cc SubPrepare.
  SUB: {
    params: 'TfLiteSubParams',
    opData: 'OpDataSub',
    prepare: (k) =>
      k.temps([
        ['in', 0],
        ['in', 1],
        ['out', 0],
      ]),
  },
  // logistic_common.cc LogisticPrepare; ParseLogistic allocates nothing.
  LOGISTIC: {
    opData: 'OpDataLogistic',
    prepare: (k) =>
      k.temps([
        ['in', 0],
        ['out', 0],
      ]),
  },
  // activations_common.cc ReluPrepare / Relu6Prepare (the latter takes only the input).
  RELU: {
    opData: 'ReluOpData',
    prepare: (k) =>
      k.temps([
        ['in', 0],
        ['out', 0],
      ]),
  },
  RELU6: {
    opData: 'Relu6OpData',
    prepare: (k) => k.temps([['in', 0]]),
  },
  // pack.cc / unpack.cc: no Init and no Prepare.
  PACK: { params: 'TfLitePackParams', prepare: () => [] },
  UNPACK: { params: 'TfLiteUnpackParams', prepare: () => [] },
};

/**
 * Estimate for an op this model does not know: the largest common options struct, a large
 * op-data struct, a temp tensor for every input and output, and per-channel multiplier and
 * shift arrays for any per-channel quantized input. Meant to err on the high side.
 */
export const UNKNOWN_KERNEL: KernelModel = {
  params: 'TfLitePoolParams',
  opData: 'SoftmaxParams',
  prepare(k) {
    const steps: KernelStep[] = [];
    k.op.inputs.forEach((_, i) => steps.push(...k.temps([['in', i]])));
    k.op.outputs.forEach((_, i) => steps.push(...k.temps([['out', i]])));
    for (let i = 0; i < k.op.inputs.length; i++) {
      const channels = k.input(i)?.quantization?.scale.length ?? 0;
      if (channels > 1) steps.push(...perChannelArrays(channels, k.op.opType));
    }
    return steps;
  },
};

export function kernelFor(op: Operator): { model: KernelModel; known: boolean } {
  const model = op.custom ? undefined : KERNELS[op.opType];
  return model ? { model, known: true } : { model: UNKNOWN_KERNEL, known: false };
}
