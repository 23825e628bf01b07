// Sizes and alignments of the TFLM runtime structs that end up in the tensor arena, as data.
// 32-bit figures are for a GCC arm-none-eabi build (AAPCS, short enums: TfLiteType and the
// other C enums are one byte, which is why TfLiteTensor is 32 bytes there and 40 on i386);
// 64-bit figures are for x86_64. Taken from tflite-micro 90b983c2 headers with
// TF_LITE_STATIC_MEMORY, and cross-checked against the oracle's `struct_sizes`.

export type PointerBytes = 4 | 8;

export interface StructLayout {
  size: number;
  align: number;
}

/** A struct's layout on a 32-bit ARM build and on a 64-bit host. */
interface BothLayouts {
  p4: StructLayout;
  p8: StructLayout;
}

function both(size4: number, align4: number, size8: number, align8: number): BothLayouts {
  return { p4: { size: size4, align: align4 }, p8: { size: size8, align: align8 } };
}

/**
 * Runtime structs of the interpreter and allocator (micro_allocator.h, common.h,
 * micro_allocation_info.h, greedy_memory_planner.h).
 */
const RUNTIME_STRUCTS = {
  TfLiteTensor: both(32, 4, 64, 8),
  TfLiteEvalTensor: both(12, 4, 24, 8),
  TfLiteAffineQuantization: both(12, 4, 24, 8),
  /** Header of TfLiteIntArray (`int size` before the flexible `data[]`). */
  TfLiteIntArray: both(4, 4, 4, 4),
  NodeAndRegistration: both(32, 4, 64, 8),
  SubgraphAllocations: both(8, 4, 16, 8),
  SingleArenaBufferAllocator: both(36, 4, 72, 8),
  GreedyMemoryPlanner: both(44, 4, 72, 8),
  MicroAllocator: both(36, 4, 72, 8),
  /** MicroBuiltinDataAllocator: a vtable pointer and the persistent allocator pointer. */
  MicroBuiltinDataAllocator: both(8, 4, 16, 8),
  ScratchBufferRequest: both(12, 4, 16, 8),
  ScratchBufferHandle: both(4, 4, 8, 8),
  AllocationInfo: both(24, 4, 32, 8),
  size_t: both(4, 4, 8, 8),
  pointer: both(4, 4, 8, 8),
} as const;

/** Kernel op data allocated in each kernel's Init (reference kernels). */
const OP_DATA_STRUCTS = {
  OpDataConv: both(56, 4, 72, 8),
  OpDataFullyConnected: both(48, 4, 64, 8),
  OpDataAdd: both(60, 4, 60, 4),
  OpDataSub: both(52, 4, 52, 4),
  OpDataMul: both(36, 4, 36, 4),
  OpDataPooling: both(32, 4, 32, 4),
  OpDataQuantizeReference: both(32, 8, 32, 8),
  DequantizeOpData: both(32, 8, 32, 8),
  OpDataSvdf: both(36, 4, 36, 4),
  SoftmaxParams: both(56, 8, 80, 8),
  OpDataLogistic: both(16, 4, 16, 4),
  OpDataReduce: both(44, 4, 44, 4),
  ReluOpData: both(28, 4, 28, 4),
  Relu6OpData: both(8, 4, 8, 4),
  /** pad.h OpData: PadParams (int8 count, int32[5], int8 count, int32[5], uint8 = 52) + zero point. */
  OpDataPad: both(56, 4, 56, 4),
  /** types.h StridedSliceParams: three (int8 count, int32[5]) = 72, five uint16 masks, bool. */
  StridedSliceParams: both(84, 4, 84, 4),
  /** concatenation.cc OpData: ConcatenationParams (axis, two pointers, count, zero point, scale). */
  OpDataConcatenation: both(24, 4, 40, 8),
  /** types.h HardSwishParams: three int16, int, int16, int. */
  HardSwishParams: both(20, 4, 20, 4),
  /** leaky_relu.h LeakyReluOpData: six int32. */
  LeakyReluOpData: both(24, 4, 24, 4),
  /** tanh.cc OpData: four int32. */
  OpDataTanh: both(16, 4, 16, 4),
  /** types.h PreluParams: seven int32. */
  PreluParams: both(28, 4, 28, 4),
  /** div.cc OpDataDiv: seven int32. */
  OpDataDiv: both(28, 4, 28, 4),
  /** batch_matmul.h OpDataBatchMatmul: three pointers, three bools. */
  OpDataBatchMatmul: both(16, 4, 32, 8),
  /**
   * lstm_shared.h OpDataLSTM: LstmSizeInfo (20), CellStateInfo (12), the activation enum, four
   * GateParameters (two 40-byte FullyConnectedParams each), InterGateParameters (three
   * 104-byte, 8-aligned ArithmeticParams) and buffer_indices[4].
   */
  OpDataLSTM: both(688, 8, 688, 8),
} as const;

/**
 * Op data of TFLM's kernels/cmsis_nn/*.cc, each wrapping the reference struct with the
 * CMSIS-NN extras (a scratch-buffer index, cached dims, a kernel-sums pointer).
 */
const CMSIS_NN_OP_DATA_STRUCTS = {
  /** conv.cc / depthwise_conv.cc OpData: OpDataConv + int buffer_idx. */
  CmsisNnOpDataConv: both(60, 4, 80, 8),
  /**
   * fully_connected.cc OpData: OpDataFullyConnected (48) + buffer_conv_1x1_idx, buffer_idx,
   * int32_t* kernel_sums, batches, accum_depth, output_depth.
   */
  CmsisNnOpDataFullyConnected: both(72, 4, 96, 8),
  /** pooling.cc OpData: OpDataPooling + int buffer_idx. */
  CmsisNnOpDataPooling: both(36, 4, 36, 4),
  /** softmax.cc CMSISNNSoftmaxParams: SoftmaxParams + num_rows, row_size. */
  CMSISNNSoftmaxParams: both(64, 8, 88, 8),
  /**
   * svdf.cc CmsisNnOpDataSvdf without KERNELS_OPTIMIZED_FOR_SIZE: nine ints and
   * int32_t* kernel_sums.
   */
  CmsisNnOpDataSvdf: both(40, 4, 48, 8),
  /** batch_matmul.cc OpData: OpDataBatchMatmul + cmsis_nn_dims output_shape + int buffer_idx. */
  CmsisNnOpDataBatchMatmul: both(36, 4, 56, 8),
  /**
   * unidirectional_sequence_lstm.cc OpData: OpDataLSTM + cmsis_nn_lstm_params (15 int32 and
   * four cmsis_nn_lstm_gate of 40 bytes; 64 on a 64-bit host).
   */
  CmsisNnOpDataLstm: both(912, 8, 1008, 8),
} as const;

/**
 * Builtin option structs (builtin_op_data.h) that the op's parse function allocates from the
 * arena tail with alignof(T) (flatbuffer_conversions.cc, SafeBuiltinDataAllocator::Allocate).
 */
const BUILTIN_PARAM_STRUCTS = {
  TfLiteConvParams: both(28, 4, 28, 4),
  TfLiteDepthwiseConvParams: both(28, 4, 28, 4),
  TfLiteFullyConnectedParams: both(5, 1, 16, 4),
  TfLiteAddParams: both(2, 1, 8, 4),
  TfLiteSubParams: both(2, 1, 8, 4),
  TfLiteMulParams: both(1, 1, 4, 4),
  TfLiteDivParams: both(1, 1, 4, 4),
  TfLitePoolParams: both(40, 4, 40, 4),
  TfLiteReshapeParams: both(36, 4, 36, 4),
  TfLiteSoftmaxParams: both(4, 4, 4, 4),
  TfLiteSVDFParams: both(8, 4, 12, 4),
  TfLiteConcatenationParams: both(8, 4, 8, 4),
  TfLiteReducerParams: both(1, 1, 1, 1),
  TfLiteStridedSliceParams: both(24, 4, 24, 4),
  TfLiteSqueezeParams: both(36, 4, 36, 4),
  TfLitePackParams: both(8, 4, 8, 4),
  TfLiteUnpackParams: both(8, 4, 8, 4),
  TfLiteSplitParams: both(4, 4, 4, 4),
  TfLiteSplitVParams: both(4, 4, 4, 4),
  TfLiteTransposeConvParams: both(16, 4, 20, 4),
  TfLiteLeakyReluParams: both(4, 4, 4, 4),
  TfLiteResizeNearestNeighborParams: both(2, 1, 2, 1),
  TfLiteResizeBilinearParams: both(2, 1, 2, 1),
  TfLiteShapeParams: both(1, 1, 4, 4),
  TfLiteGatherParams: both(8, 4, 8, 4),
  TfLiteIfParams: both(8, 4, 8, 4),
  TfLiteWhileParams: both(8, 4, 8, 4),
  TfLiteCallOnceParams: both(4, 4, 4, 4),
  TfLiteUnidirectionalSequenceLSTMParams: both(16, 4, 16, 4),
  TfLiteArgMaxParams: both(1, 1, 4, 4),
  TfLiteArgMinParams: both(1, 1, 4, 4),
  TfLiteBatchMatMulParams: both(3, 1, 3, 1),
  TfLiteCastParams: both(2, 1, 8, 4),
  TfLiteDepthToSpaceParams: both(4, 4, 4, 4),
  TfLiteSpaceToDepthParams: both(4, 4, 4, 4),
  TfLiteL2NormParams: both(1, 1, 4, 4),
  TfLiteMirrorPaddingParams: both(1, 1, 4, 4),
  TfLiteGeluParams: both(1, 1, 1, 1),
} as const;

export type RuntimeStruct = keyof typeof RUNTIME_STRUCTS;
export type OpDataStruct = keyof typeof OP_DATA_STRUCTS | keyof typeof CMSIS_NN_OP_DATA_STRUCTS;
export type BuiltinParamStruct = keyof typeof BUILTIN_PARAM_STRUCTS;
export type StructName = RuntimeStruct | OpDataStruct | BuiltinParamStruct;

const ALL_STRUCTS: Record<StructName, BothLayouts> = {
  ...RUNTIME_STRUCTS,
  ...OP_DATA_STRUCTS,
  ...CMSIS_NN_OP_DATA_STRUCTS,
  ...BUILTIN_PARAM_STRUCTS,
};

export function layoutOf(name: StructName, pointerBytes: PointerBytes): StructLayout {
  const l = ALL_STRUCTS[name];
  return pointerBytes === 4 ? l.p4 : l.p8;
}

export function sizeOf(name: StructName, pointerBytes: PointerBytes): number {
  return layoutOf(name, pointerBytes).size;
}

/** MicroArenaBufferAlignment() (micro_arena_constants.h). */
export const ARENA_ALIGNMENT = 16;

/** kMaxScratchBuffersPerOp (micro_allocator.cc). */
export const MAX_SCRATCH_BUFFERS_PER_OP = 12;

/**
 * GreedyMemoryPlanner::per_buffer_size(): BufferRequirements (4 ints) + two int arrays +
 * ListEntry (3 ints) + the offsets array. All ints, so the same on 32 and 64 bits.
 */
export const GREEDY_PLANNER_BYTES_PER_BUFFER = 16 + 4 + 4 + 12 + 4;

/** TfLiteIntArrayGetSizeInBytes(n) with GCC (header plus n ints). */
export function intArrayBytes(n: number): number {
  return 4 + 4 * n;
}

/**
 * TfLiteTypeSizeOf (memory_helpers.cc): element size TFLM uses for a tensor's buffer.
 * int4 is stored one value per byte in the arena; undefined for types TFLM rejects.
 */
export function tflmElementBytes(dtype: string): number | undefined {
  switch (dtype) {
    case 'float16':
    case 'bfloat16':
    case 'int16':
    case 'uint16':
      return 2;
    case 'float32':
    case 'int32':
    case 'uint32':
    case 'resource':
      return 4;
    case 'float64':
    case 'int64':
    case 'uint64':
    case 'complex64':
      return 8;
    case 'complex128':
      return 16;
    case 'int8':
    case 'uint8':
    case 'bool':
    case 'int4':
      return 1;
    default:
      return undefined;
  }
}

export function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}

export function alignDown(value: number, alignment: number): number {
  return Math.floor(value / alignment) * alignment;
}
