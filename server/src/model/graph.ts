// The one graph IR every reader produces and every analysis, engine and writer consumes.
// It keeps what TFLM's allocator and the budget need (constant vs planned tensors, variable
// tensors, per-channel quantization, offline plans) without hiding the source format.

export type DType =
  | 'float32'
  | 'float16'
  | 'float64'
  | 'bfloat16'
  | 'int4'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'bool'
  | 'string'
  | 'complex64'
  | 'complex128'
  | 'resource'
  | 'variant'
  | 'unknown';

/** Bytes per element; int4 counts as packed (0.5). Variable-size types report 0. */
export function dtypeBytes(dtype: DType): number {
  switch (dtype) {
    case 'float64':
    case 'int64':
    case 'uint64':
    case 'complex64':
      return 8;
    case 'complex128':
      return 16;
    case 'float32':
    case 'int32':
    case 'uint32':
      return 4;
    case 'float16':
    case 'bfloat16':
    case 'int16':
    case 'uint16':
      return 2;
    case 'int8':
    case 'uint8':
    case 'bool':
      return 1;
    case 'int4':
      return 0.5;
    default:
      return 0;
  }
}

export interface Quantization {
  /** One scale per tensor, or one per channel along `axis`. */
  scale: number[];
  zeroPoint: number[];
  /** The quantized dimension for per-channel parameters (TFLite `quantized_dimension`, ONNX `axis`). */
  axis: number;
  min?: number[];
  max?: number[];
}

export interface Tensor {
  index: number;
  name: string;
  /** Static shape; unknown dimensions are -1. A scalar has shape []. */
  shape: number[];
  /** TFLite `shape_signature` when present (batch may be -1 there). */
  shapeSignature?: number[];
  dtype: DType;
  quantization?: Quantization;
  /**
   * Constant contents as a view into the model's bytes (never a copy), or undefined for a
   * tensor computed at run time. TFLM neither plans nor copies constant tensors.
   */
  data?: Uint8Array;
  /** TFLite `is_variable` (e.g. LSTM/SVDF state): TFLM allocates these persistently. */
  isVariable: boolean;
  /** TFLite buffer index (0 means "no buffer"); -1 for other formats. */
  buffer: number;
  /** Sparsity metadata present (TFLite `sparsity`). */
  sparse?: boolean;
}

/** A builtin or attribute option value, kept close to the source format. */
export type OptionValue = number | string | boolean | number[] | string[] | Uint8Array | Tensor;

export interface Operator {
  index: number;
  /**
   * Format-native op name: TFLite builtin names (`CONV_2D`, `FULLY_CONNECTED`), the custom code
   * for TFLite custom ops, ONNX op types (`Conv`, `Gemm`), prefixed with the domain for
   * non-default ONNX domains (`com.microsoft.QLinearAdd`).
   */
  opType: string;
  /** False when the reader does not know this op; it is kept and shown, never dropped. */
  known: boolean;
  /** TFLite builtin code (extended code when it is set) or -1. */
  builtinCode: number;
  /** TFLite custom op (`BuiltinOperator_CUSTOM`), with its custom code as `opType`. */
  custom: boolean;
  /** Operator version (TFLite `OperatorCode.version`, ONNX opset of the node's domain). */
  version: number;
  /** Tensor indices; -1 marks an absent optional input, as in TFLite. */
  inputs: number[];
  outputs: number[];
  intermediates: number[];
  /** Builtin options (TFLite) or attributes (ONNX), with camelCase keys for TFLite. */
  options: Record<string, OptionValue>;
  /** Source name of the node when the format has one (ONNX). */
  name?: string;
}

export interface Subgraph {
  name: string;
  tensors: Tensor[];
  operators: Operator[];
  inputs: number[];
  outputs: number[];
}

export interface MetadataEntry {
  name: string;
  /** View into the model bytes; undefined when the buffer is missing. */
  data?: Uint8Array;
}

export type ModelFormat = 'tflite' | 'onnx';

export interface Graph {
  format: ModelFormat;
  /** TFLite schema version or ONNX IR version. */
  version: number;
  description: string;
  /** Producer and opsets (ONNX); empty for TFLite. */
  producer?: string;
  opsets?: Record<string, number>;
  subgraphs: Subgraph[];
  metadata: MetadataEntry[];
  /**
   * TFLM offline memory plan from the `OfflineMemoryAllocation` metadata: one offset per tensor,
   * the tensors of all subgraphs concatenated in order as TFLM stores them, -1 for "plan online".
   * Undefined when the model has none. Missing option keys mean the schema's defaults.
   */
  offlinePlan?: number[];
  /** Size of the serialized model as deployed (what sits in flash). */
  fileBytes: number;
}

export class ModelError extends Error {
  /** Where in the input the problem was found (byte offset), when known. */
  readonly offset?: number;
  constructor(message: string, offset?: number) {
    super(offset === undefined ? message : `${message} (at byte offset ${offset})`);
    this.name = 'ModelError';
    this.offset = offset;
  }
}

/** Number of elements of a static shape; 0 when a dimension is unknown. */
export function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) {
    if (d < 0) return 0;
    n *= d;
  }
  return n;
}

/** Byte size of a tensor's contents by its static shape and type. */
export function tensorBytes(tensor: Pick<Tensor, 'shape' | 'dtype'>): number {
  return Math.ceil(elementCount(tensor.shape) * dtypeBytes(tensor.dtype));
}
