// What each TFLM reference kernel takes from the arena, as data: the builtin-options struct its
// parse function allocates, the op data its Init allocates, and the ordered steps of its
// Prepare (temporary TfLiteTensors, persistent buffers, scratch-buffer requests), each a
// function of the op's tensors. Ops missing here get a conservative estimate. Sources are
// tensorflow/lite/micro/kernels/*.cc at tflite-micro 90b983c2, BUILD_TYPE=default (DCHECKs on).

import type { Operator, Subgraph, Tensor } from '../../model/graph';
import { elementCount } from '../../model/graph';
import { intArrayBytes, sizeOf, tflmElementBytes } from './tflmTypes';
import type { BuiltinParamStruct, OpDataStruct, PointerBytes } from './tflmTypes';

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
    /** Pointer size of the build, for structs a kernel allocates itself. */
    readonly pointerBytes: PointerBytes = 4,
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

  /** A numeric builtin option, or `fallback` when the model leaves it at the schema default. */
  intOption(name: string, fallback: number): number {
    const v = this.op.options[name];
    return typeof v === 'number' ? v : fallback;
  }

  boolOption(name: string): boolean {
    return this.op.options[name] === true;
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

export const perChannelArrays = (channels: number, what: string): KernelStep[] => [
  { kind: 'persistent', bytes: channels * 4, what: `${what} per-channel multipliers` },
  { kind: 'persistent', bytes: channels * 4, what: `${what} per-channel shifts` },
];

/** Dimension `i` (negative counts from the end) of a tensor's static shape; 0 when unknown. */
export function dim(t: Tensor | undefined, i: number): number {
  if (!t) return 0;
  const d = t.shape[i < 0 ? t.shape.length + i : i];
  return d !== undefined && d > 0 ? d : 0;
}

/**
 * ComputePaddingHeightWidth (tensorflow/lite/kernels/padding.h) for a 2-D window op: the
 * output size follows from the padding mode (not from the output tensor), then the padding is
 * half the total, rounded down. Any invalid argument gives 0, as the checked helpers do.
 */
export function windowPadding(
  k: KernelOp,
  inH: number,
  inW: number,
  filterH: number,
  filterW: number,
): { padH: number; padW: number; strideH: number; strideW: number; dilationH: number; dilationW: number } {
  const strideH = k.intOption('strideH', 0);
  const strideW = k.intOption('strideW', 0);
  const dilationH = k.intOption('dilationH', 1);
  const dilationW = k.intOption('dilationW', 1);
  const same = k.op.options.padding !== 'VALID';
  const pad = (stride: number, dilation: number, inSize: number, filterSize: number): number => {
    if (stride <= 0 || dilation <= 0 || filterSize <= 0 || inSize < 0) return 0;
    const effective = (filterSize - 1) * dilation + 1;
    const out = same ? Math.trunc((inSize + stride - 1) / stride) : Math.trunc((inSize + stride - effective) / stride);
    if (out < 0) return 0;
    const total = (out - 1) * stride + effective - inSize;
    return total > 0 ? Math.trunc(total / 2) : 0;
  };
  return {
    padH: pad(strideH, dilationH, inH, filterH),
    padW: pad(strideW, dilationW, inW, filterW),
    strideH,
    strideW,
    dilationH,
    dilationW,
  };
}

/** Reference kernels (tensorflow/lite/micro/kernels/*.cc), keyed by TFLite builtin name. */
export const KERNELS: KernelSet = {
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
  // reduce.cc InitReduce + reduce_common.cc PrepareMeanOrSumHelper, then PrepareSimple.
  MEAN: { params: 'TfLiteReducerParams', opData: 'OpDataReduce', prepare: (k) => meanOrSumSteps(k) },
  SUM: { params: 'TfLiteReducerParams', opData: 'OpDataReduce', prepare: (k) => meanOrSumSteps(k) },
  // reduce_common.cc PrepareMinMaxHelper: PrepareSimple first, then the iteration buffers.
  REDUCE_MAX: { params: 'TfLiteReducerParams', opData: 'OpDataReduce', prepare: (k) => minMaxSteps(k) },
  REDUCE_MIN: { params: 'TfLiteReducerParams', opData: 'OpDataReduce', prepare: (k) => minMaxSteps(k) },
  // pad_common.cc PadInit / PadPrepare (PADV2 shares them); ParsePad allocates nothing.
  PAD: { opData: 'OpDataPad', prepare: (k) => padSteps(k) },
  PADV2: { opData: 'OpDataPad', prepare: (k) => padSteps(k) },
  // transpose_common.cc TransposePrepare (TransposeContext); no Init, ParseTranspose allocates nothing.
  TRANSPOSE: {
    prepare: (k) =>
      k.temps([
        ['in', 0],
        ['in', 1],
        ['out', 0],
      ]),
  },
  // concatenation.cc ConcatenationPrepare: input 0 and the output, then every input in turn.
  CONCATENATION: {
    params: 'TfLiteConcatenationParams',
    opData: 'OpDataConcatenation',
    prepare: (k) =>
      k.temps([
        ['in', 0],
        ['out', 0],
        ...k.op.inputs.map((_, i) => ['in', i] as const),
      ]),
  },
  // strided_slice_common.cc StridedSliceInit / StridedSlicePrepare (StridedSliceContext).
  STRIDED_SLICE: {
    params: 'TfLiteStridedSliceParams',
    opData: 'StridedSliceParams',
    prepare: (k) =>
      k.temps([
        ['in', 0],
        ['in', 1],
        ['in', 2],
        ['in', 3],
        ['out', 0],
      ]),
  },
  // squeeze.cc SqueezePrepare (SqueezeContext); no Init.
  SQUEEZE: { params: 'TfLiteSqueezeParams', prepare: (k) => unaryTemps(k) },
  // hard_swish.cc HardSwishInit + hard_swish_common.cc HardSwishPrepare.
  HARD_SWISH: { opData: 'HardSwishParams', prepare: (k) => unaryTemps(k) },
  // leaky_relu.cc LeakyReluInit + leaky_relu_common.cc LeakyReluPrepare.
  LEAKY_RELU: { params: 'TfLiteLeakyReluParams', opData: 'LeakyReluOpData', prepare: (k) => unaryTemps(k) },
  // tanh.cc TanhPrepare takes the input, then CalculateArithmeticOpData input and output.
  TANH: {
    opData: 'OpDataTanh',
    prepare: (k) =>
      k.temps([
        ['in', 0],
        ['in', 0],
        ['out', 0],
      ]),
  },
  // prelu.cc PreluInit + prelu_common.cc PreluPrepare.
  PRELU: {
    opData: 'PreluParams',
    prepare: (k) =>
      k.temps([
        ['in', 0],
        ['in', 1],
        ['out', 0],
      ]),
  },
  // exp.cc ExpPrepare; no Init, ParseExp allocates nothing.
  EXP: { prepare: (k) => unaryTemps(k) },
  // cast.cc CastPrepare; no Init.
  CAST: { params: 'TfLiteCastParams', prepare: (k) => unaryTemps(k) },
  // div.cc DivInit / DivPrepare.
  DIV: {
    params: 'TfLiteDivParams',
    opData: 'OpDataDiv',
    prepare: (k) =>
      k.temps([
        ['in', 0],
        ['in', 1],
        ['out', 0],
      ]),
  },
  // maximum_minimum.cc: registered with neither Init nor Prepare.
  MAXIMUM: { prepare: () => [] },
  MINIMUM: { prepare: () => [] },
  // shape.cc ShapePrepare only checks the node.
  SHAPE: { params: 'TfLiteShapeParams', prepare: () => [] },
  // gather.cc GatherPrepare; no Init.
  GATHER: {
    params: 'TfLiteGatherParams',
    prepare: (k) =>
      k.temps([
        ['in', 0],
        ['in', 1],
        ['out', 0],
      ]),
  },
  // split.cc SplitPrepare: only the (constant) axis tensor, input 0.
  SPLIT: { params: 'TfLiteSplitParams', prepare: (k) => k.temps([['in', 0]]) },
  // resize_nearest_neighbor.cc ResizeNearestNeighborPrepare; no Init.
  RESIZE_NEAREST_NEIGHBOR: {
    params: 'TfLiteResizeNearestNeighborParams',
    prepare: (k) =>
      k.temps([
        ['in', 0],
        ['in', 1],
        ['out', 0],
      ]),
  },
  // depth_to_space.cc DepthToSpacePrepare -> CalculateOpData; no Init.
  DEPTH_TO_SPACE: { params: 'TfLiteDepthToSpaceParams', prepare: (k) => unaryTemps(k) },
  // batch_matmul.cc BatchMatMulInit / BatchMatMulPrepare: PrepareOpContext's temps, then
  // InitializeTemporaries (quantization data, transposed operands), then
  // ReshapeOutputTensor's CreateWritableTensorDimsWithCopy.
  BATCH_MATMUL: {
    params: 'TfLiteBatchMatMulParams',
    opData: 'OpDataBatchMatmul',
    prepare(k) {
      const lhs = k.input(0);
      const steps = k.temps([
        ['in', 0],
        ['in', 1],
        ['out', 0],
      ]);
      if (lhs?.dtype === 'int8' || lhs?.dtype === 'int16') {
        steps.push({ kind: 'persistent', bytes: QUANTIZATION_OP_DATA_BATCH_MATMUL, what: 'BATCH_MATMUL quantization' });
      }
      if (k.boolOption('adjX')) steps.push(...transposedOperand(k, lhs, 'lhs'));
      if (!k.boolOption('adjY')) steps.push(...transposedOperand(k, k.input(1), 'rhs'));
      steps.push(writableDims(k.output(0), 'BATCH_MATMUL'));
      return steps;
    },
  },
  // unidirectional_sequence_lstm.cc: LstmTensors takes all 24 inputs and the output as temps;
  // four scratch buffers of batch x state x sizeof(cell state).
  UNIDIRECTIONAL_SEQUENCE_LSTM: {
    params: 'TfLiteUnidirectionalSequenceLSTMParams',
    opData: 'OpDataLSTM',
    prepare(k) {
      const steps = lstmTemps(k);
      const bytes = lstmScratchBytes(k);
      for (let i = 0; i < 4; i++) steps.push({ kind: 'scratch', bytes });
      return steps;
    },
  },
};

/** sizeof(QuantizationOpDataBatchMatmul) (batch_matmul.h): seven int32. */
const QUANTIZATION_OP_DATA_BATCH_MATMUL = 28;

function unaryTemps(k: KernelOp): KernelStep[] {
  return k.temps([
    ['in', 0],
    ['out', 0],
  ]);
}

/** PadPrepare: input, paddings, the constant value when there are three inputs, output. */
function padSteps(k: KernelOp): KernelStep[] {
  return k.temps([
    ['in', 0],
    ['in', 1],
    ...(k.op.inputs.length === 3 ? [['in', 2] as const] : []),
    ['out', 0],
  ]);
}

/** reduce_common.cc PrepareSimple: input, axis, and the output for int8 only. */
function prepareSimpleTemps(k: KernelOp): KernelStep[] {
  return k.temps([['in', 0], ['in', 1], ...(k.input(0)?.dtype === 'int8' ? [['out', 0] as const] : [])]);
}

const rankOf = (t: Tensor | undefined): number => t?.shape.length ?? 0;

/** PrepareMeanOrSumHelper: int32 accumulators (int8/int16), input iterator, resolved axes. */
function meanOrSumSteps(k: KernelOp): KernelStep[] {
  const input = k.input(0);
  const steps = k.temps([
    ['in', 0],
    ['out', 0],
    ['in', 1],
  ]);
  if (input?.dtype === 'int8' || input?.dtype === 'int16') {
    steps.push({ kind: 'scratch', bytes: 4 * elementCount(k.output(0)?.shape ?? []) });
  }
  steps.push({ kind: 'scratch', bytes: 4 * rankOf(input) });
  steps.push({ kind: 'scratch', bytes: 4 * elementCount(k.input(1)?.shape ?? []) });
  steps.push(...prepareSimpleTemps(k));
  return steps;
}

/** PrepareMinMaxHelper. */
function minMaxSteps(k: KernelOp): KernelStep[] {
  const steps = prepareSimpleTemps(k);
  steps.push(
    ...k.temps([
      ['in', 0],
      ['out', 0],
      ['in', 1],
    ]),
  );
  steps.push({ kind: 'scratch', bytes: 4 * rankOf(k.input(0)) });
  steps.push({ kind: 'scratch', bytes: 4 * elementCount(k.input(1)?.shape ?? []) });
  return steps;
}

/**
 * AllocInitTransposeTensorFromTfLiteTensor (batch_matmul.cc): a TfLiteEvalTensor, its dims
 * and a copy of the data, three persistent buffers.
 */
function transposedOperand(k: KernelOp, t: Tensor | undefined, which: string): KernelStep[] {
  if (!t) return [];
  const dataBytes = elementCount(t.shape) * (tflmElementBytes(t.dtype) ?? 0);
  return [
    { kind: 'persistent', bytes: sizeOf('TfLiteEvalTensor', k.pointerBytes), what: `BATCH_MATMUL ${which} tensor` },
    { kind: 'persistent', bytes: intArrayBytes(t.shape.length), what: `BATCH_MATMUL ${which} dims` },
    { kind: 'persistent', bytes: dataBytes, what: `BATCH_MATMUL ${which} data` },
  ];
}

/** CreateWritableTensorDimsWithCopy (kernel_util.cc): a persistent copy of the dims. */
function writableDims(t: Tensor | undefined, what: string): KernelStep {
  return { kind: 'persistent', bytes: intArrayBytes(t?.shape.length ?? 0), what: `${what} dims` };
}

/** LstmTensors (lstm_eval.cc): the 24 inputs that are present, then the output. */
export function lstmTemps(k: KernelOp): KernelStep[] {
  const spec: (readonly ['in' | 'out', number])[] = [];
  for (let i = 0; i < 24; i++) spec.push(['in', i]);
  spec.push(['out', 0]);
  return k.temps(spec);
}

/**
 * One LSTM scratch buffer: CreateLstmSizeInfo's batch (input dim 1 when time-major, else 0)
 * times the state dimension (hidden state, input 18, dim 1) times the cell state's (input 19)
 * element size.
 */
export function lstmScratchBytes(k: KernelOp): number {
  const batch = dim(k.input(0), k.boolOption('timeMajor') ? 1 : 0);
  const state = dim(k.input(18), 1);
  return batch * state * (tflmElementBytes(k.input(19)?.dtype ?? 'unknown') ?? 0);
}

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

/** A kernel library: TFLite builtin name to its model. */
export type KernelSet = Readonly<Record<string, KernelModel>>;

export function kernelFor(op: Operator, kernels: KernelSet = KERNELS): { model: KernelModel; known: boolean } {
  const model = op.custom ? undefined : kernels[op.opType];
  return model ? { model, known: true } : { model: UNKNOWN_KERNEL, known: false };
}
