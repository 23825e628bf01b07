// Which builtin or custom op each MicroMutableOpResolver::AddXxx() registers: the list of ops
// TFLM has a kernel for. Taken as data from tensorflow/tflite-micro
// tensorflow/lite/micro/micro_mutable_op_resolver.h at commit
// 90b983c2b3f1480642e040bbd2ddb37b998f3424 (every AddXxx() method there, in its order).

export interface TflmKernel {
  /** The MicroMutableOpResolver method, e.g. `AddConv2D`. */
  method: string;
  /** TFLite builtin name (`CONV_2D`), or the custom code for custom ops (`SignalRfft`). */
  op: string;
  custom: boolean;
}

export const TFLM_COMMIT = '90b983c2b3f1480642e040bbd2ddb37b998f3424';

const ROWS: readonly (readonly [string, string, true?])[] = [
  ['AddAbs', 'ABS'],
  ['AddAdd', 'ADD'],
  ['AddAddN', 'ADD_N'],
  ['AddArgMax', 'ARG_MAX'],
  ['AddArgMin', 'ARG_MIN'],
  ['AddAssignVariable', 'ASSIGN_VARIABLE'],
  ['AddAveragePool2D', 'AVERAGE_POOL_2D'],
  ['AddBatchMatMul', 'BATCH_MATMUL'],
  ['AddBatchToSpaceNd', 'BATCH_TO_SPACE_ND'],
  ['AddBroadcastArgs', 'BROADCAST_ARGS'],
  ['AddBroadcastTo', 'BROADCAST_TO'],
  ['AddCallOnce', 'CALL_ONCE'],
  ['AddCast', 'CAST'],
  ['AddCeil', 'CEIL'],
  ['AddCircularBuffer', 'CIRCULAR_BUFFER', true],
  ['AddConcatenation', 'CONCATENATION'],
  ['AddConv2D', 'CONV_2D'],
  ['AddCos', 'COS'],
  ['AddCumSum', 'CUMSUM'],
  ['AddDecode', 'TFLM_DECODE', true],
  ['AddDelay', 'SignalDelay', true],
  ['AddDepthToSpace', 'DEPTH_TO_SPACE'],
  ['AddDepthwiseConv2D', 'DEPTHWISE_CONV_2D'],
  ['AddDequantize', 'DEQUANTIZE'],
  ['AddDetectionPostprocess', 'TFLite_Detection_PostProcess', true],
  ['AddDiv', 'DIV'],
  ['AddDynamicUpdateSlice', 'DYNAMIC_UPDATE_SLICE'],
  ['AddEmbeddingLookup', 'EMBEDDING_LOOKUP'],
  ['AddEnergy', 'SignalEnergy', true],
  ['AddElu', 'ELU'],
  ['AddEqual', 'EQUAL'],
  ['AddEthosU', 'ethos-u', true],
  ['AddExp', 'EXP'],
  ['AddExpandDims', 'EXPAND_DIMS'],
  ['AddFftAutoScale', 'SignalFftAutoScale', true],
  ['AddFill', 'FILL'],
  ['AddFilterBank', 'SignalFilterBank', true],
  ['AddFilterBankLog', 'SignalFilterBankLog', true],
  ['AddFilterBankSquareRoot', 'SignalFilterBankSquareRoot', true],
  ['AddFilterBankSpectralSubtraction', 'SignalFilterBankSpectralSubtraction', true],
  ['AddFloor', 'FLOOR'],
  ['AddFloorDiv', 'FLOOR_DIV'],
  ['AddFloorMod', 'FLOOR_MOD'],
  ['AddFramer', 'SignalFramer', true],
  ['AddFullyConnected', 'FULLY_CONNECTED'],
  ['AddGather', 'GATHER'],
  ['AddGatherNd', 'GATHER_ND'],
  ['AddGreater', 'GREATER'],
  ['AddGreaterEqual', 'GREATER_EQUAL'],
  ['AddHardSwish', 'HARD_SWISH'],
  ['AddIf', 'IF'],
  ['AddIrfft', 'SignalIrfft', true],
  ['AddL2Normalization', 'L2_NORMALIZATION'],
  ['AddL2Pool2D', 'L2_POOL_2D'],
  ['AddLeakyRelu', 'LEAKY_RELU'],
  ['AddLess', 'LESS'],
  ['AddLessEqual', 'LESS_EQUAL'],
  ['AddLog', 'LOG'],
  ['AddLogicalAnd', 'LOGICAL_AND'],
  ['AddLogicalNot', 'LOGICAL_NOT'],
  ['AddLogicalOr', 'LOGICAL_OR'],
  ['AddLogistic', 'LOGISTIC'],
  ['AddLogSoftmax', 'LOG_SOFTMAX'],
  ['AddMaximum', 'MAXIMUM'],
  ['AddMaxPool2D', 'MAX_POOL_2D'],
  ['AddMirrorPad', 'MIRROR_PAD'],
  ['AddMean', 'MEAN'],
  ['AddMinimum', 'MINIMUM'],
  ['AddMul', 'MUL'],
  ['AddNeg', 'NEG'],
  ['AddNotEqual', 'NOT_EQUAL'],
  ['AddOverlapAdd', 'SignalOverlapAdd', true],
  ['AddPack', 'PACK'],
  ['AddPad', 'PAD'],
  ['AddPadV2', 'PADV2'],
  ['AddPCAN', 'SignalPCAN', true],
  ['AddPrelu', 'PRELU'],
  ['AddQuantize', 'QUANTIZE'],
  ['AddReadVariable', 'READ_VARIABLE'],
  ['AddReduceAll', 'REDUCE_ALL'],
  ['AddReduceMax', 'REDUCE_MAX'],
  ['AddReduceMin', 'REDUCE_MIN'],
  ['AddRelu', 'RELU'],
  ['AddRelu6', 'RELU6'],
  ['AddReshape', 'RESHAPE'],
  ['AddResizeBilinear', 'RESIZE_BILINEAR'],
  ['AddResizeNearestNeighbor', 'RESIZE_NEAREST_NEIGHBOR'],
  ['AddReverseV2', 'REVERSE_V2'],
  ['AddRfft', 'SignalRfft', true],
  ['AddRound', 'ROUND'],
  ['AddRsqrt', 'RSQRT'],
  ['AddSelectV2', 'SELECT_V2'],
  ['AddShape', 'SHAPE'],
  ['AddSin', 'SIN'],
  ['AddSlice', 'SLICE'],
  ['AddSoftmax', 'SOFTMAX'],
  ['AddSpaceToBatchNd', 'SPACE_TO_BATCH_ND'],
  ['AddSpaceToDepth', 'SPACE_TO_DEPTH'],
  ['AddSplit', 'SPLIT'],
  ['AddSplitV', 'SPLIT_V'],
  ['AddSqueeze', 'SQUEEZE'],
  ['AddSqrt', 'SQRT'],
  ['AddSquare', 'SQUARE'],
  ['AddSquaredDifference', 'SQUARED_DIFFERENCE'],
  ['AddStridedSlice', 'STRIDED_SLICE'],
  ['AddStacker', 'SignalStacker', true],
  ['AddSub', 'SUB'],
  ['AddSum', 'SUM'],
  ['AddSvdf', 'SVDF'],
  ['AddTanh', 'TANH'],
  ['AddTransposeConv', 'TRANSPOSE_CONV'],
  ['AddTranspose', 'TRANSPOSE'],
  ['AddUnpack', 'UNPACK'],
  ['AddUnidirectionalSequenceLSTM', 'UNIDIRECTIONAL_SEQUENCE_LSTM'],
  ['AddVarHandle', 'VAR_HANDLE'],
  ['AddWhile', 'WHILE'],
  ['AddWindow', 'SignalWindow', true],
  ['AddZerosLike', 'ZEROS_LIKE'],
];

export const TFLM_KERNELS: readonly TflmKernel[] = ROWS.map(([method, op, custom]) => ({ method, op, custom: custom === true }));

const byMethod = new Map(TFLM_KERNELS.map((k) => [k.method, k]));
const byOp = new Map(TFLM_KERNELS.map((k) => [k.op, k]));

export function kernelByMethod(method: string): TflmKernel | undefined {
  return byMethod.get(method);
}

/** The kernel for a graph op type (TFLite builtin name or custom code), if TFLM has one. */
export function kernelForOp(opType: string): TflmKernel | undefined {
  return byOp.get(opType);
}
