// Per-op TFLM kernel availability for the budget view: whether TFLM has a kernel (the one list,
// firmware/tflmKernels.ts, from micro_mutable_op_resolver.h), the resolver method that adds it,
// and whether the board's optimized library has its own kernel: tflite-micro `kernels/cmsis_nn/`
// at 90b983c2 and espressif/esp-tflite-micro `tensorflow/lite/micro/kernels/esp_nn/`.

import type { OptimizedKernels } from './boards';
import { kernelForOp } from './firmware/tflmKernels';

/** Builtins with a kernel in tflite-micro `kernels/cmsis_nn/` (the rest fall back to reference). */
const CMSIS_NN_OPS = new Set([
  'ADD', 'BATCH_MATMUL', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'MAXIMUM', 'MINIMUM', 'MUL', 'PAD',
  'AVERAGE_POOL_2D', 'MAX_POOL_2D', 'SOFTMAX', 'SVDF', 'TRANSPOSE', 'TRANSPOSE_CONV', 'UNIDIRECTIONAL_SEQUENCE_LSTM',
]);

/** Builtins with a kernel in esp-tflite-micro `kernels/esp_nn/`. */
const ESP_NN_OPS = new Set(['ADD', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'MUL', 'AVERAGE_POOL_2D', 'MAX_POOL_2D', 'SOFTMAX']);

/**
 * ONNX op → the TFLite builtin a converter (onnx2tf, ai-edge-torch) usually emits for it. A
 * guide for the view, not a conversion: attributes can change the result (grouped Conv becomes
 * DEPTHWISE_CONV_2D, MatMul with a constant becomes FULLY_CONNECTED).
 */
const ONNX_TO_TFLITE: Readonly<Record<string, string>> = {
  Conv: 'CONV_2D', ConvTranspose: 'TRANSPOSE_CONV', Gemm: 'FULLY_CONNECTED', MatMul: 'FULLY_CONNECTED',
  Add: 'ADD', Sub: 'SUB', Mul: 'MUL', Div: 'DIV', Relu: 'RELU', Clip: 'RELU6', LeakyRelu: 'LEAKY_RELU', PRelu: 'PRELU',
  Sigmoid: 'LOGISTIC', Tanh: 'TANH', Softmax: 'SOFTMAX', LogSoftmax: 'LOG_SOFTMAX', HardSwish: 'HARD_SWISH', Elu: 'ELU',
  MaxPool: 'MAX_POOL_2D', AveragePool: 'AVERAGE_POOL_2D', GlobalAveragePool: 'MEAN', GlobalMaxPool: 'REDUCE_MAX',
  ReduceMean: 'MEAN', ReduceMax: 'REDUCE_MAX', ReduceMin: 'REDUCE_MIN', ReduceSum: 'SUM',
  Reshape: 'RESHAPE', Flatten: 'RESHAPE', Squeeze: 'SQUEEZE', Unsqueeze: 'EXPAND_DIMS', Transpose: 'TRANSPOSE',
  Concat: 'CONCATENATION', Split: 'SPLIT_V', Slice: 'STRIDED_SLICE', Gather: 'GATHER', Pad: 'PAD', Resize: 'RESIZE_NEAREST_NEIGHBOR',
  QuantizeLinear: 'QUANTIZE', DequantizeLinear: 'DEQUANTIZE', Cast: 'CAST', Exp: 'EXP', Log: 'LOG', Sqrt: 'SQRT',
  Abs: 'ABS', Neg: 'NEG', Max: 'MAXIMUM', Min: 'MINIMUM', Equal: 'EQUAL', Less: 'LESS', Greater: 'GREATER',
  Where: 'SELECT_V2', Shape: 'SHAPE', LSTM: 'UNIDIRECTIONAL_SEQUENCE_LSTM', DepthToSpace: 'DEPTH_TO_SPACE',
  SpaceToDepth: 'SPACE_TO_DEPTH', Floor: 'FLOOR', Ceil: 'CEIL', Round: 'ROUND', Sin: 'SIN', Cos: 'COS',
  Identity: 'RESHAPE', Dropout: 'RESHAPE',
};

export type KernelStatus =
  /** TFLM has a kernel; register it with `resolverMethod`. */
  | 'available'
  /** An ONNX op whose usual TFLite counterpart (`tfliteOp`) has a TFLM kernel. */
  | 'after-conversion'
  /** No TFLM kernel: the model cannot run unless the firmware registers its own. */
  | 'missing';

export interface KernelSupport {
  op: string;
  status: KernelStatus;
  /** The `MicroMutableOpResolver` method, e.g. `AddConv2D`. */
  resolverMethod?: string;
  /** The TFLite op it maps to, for ONNX ops. */
  tfliteOp?: string;
  /** The optimized library that has its own kernel for this op on the board, if any. */
  optimized?: 'cmsis-nn' | 'esp-nn';
}

export interface OpRef {
  opType: string;
  custom: boolean;
}

/** Kernel availability for one op of a model in `format`, on a board with `optimizedKernels`. */
export function kernelSupport(op: OpRef, format: 'tflite' | 'onnx', optimizedKernels: OptimizedKernels = 'none'): KernelSupport {
  if (format === 'onnx') {
    const tfliteOp = ONNX_TO_TFLITE[op.opType];
    const method = tfliteOp ? builtinMethod(tfliteOp) : undefined;
    if (!tfliteOp || !method) return { op: op.opType, status: 'missing' };
    return { op: op.opType, status: 'after-conversion', tfliteOp, resolverMethod: method, ...optimizedOf(tfliteOp, optimizedKernels) };
  }
  const kernel = kernelForOp(op.opType);
  const method = kernel && kernel.custom === op.custom ? kernel.method : undefined;
  if (!method) return { op: op.opType, status: 'missing' };
  return { op: op.opType, status: 'available', resolverMethod: method, ...(op.custom ? {} : optimizedOf(op.opType, optimizedKernels)) };
}

function builtinMethod(tfliteOp: string): string | undefined {
  const kernel = kernelForOp(tfliteOp);
  return kernel && !kernel.custom ? kernel.method : undefined;
}

function optimizedOf(tfliteOp: string, optimizedKernels: OptimizedKernels): { optimized?: 'cmsis-nn' | 'esp-nn' } {
  if (optimizedKernels === 'cmsis-nn' && CMSIS_NN_OPS.has(tfliteOp)) return { optimized: 'cmsis-nn' };
  if (optimizedKernels === 'esp-nn' && ESP_NN_OPS.has(tfliteOp)) return { optimized: 'esp-nn' };
  return {};
}
