// Operator versions as the TFLite converter assigns them (tensorflow/lite/tools/versioning/
// op_version.cc) for the ops the quantizer emits: a graph rewritten from float to int8 must carry
// the version of its new types, or an interpreter that checks versions refuses it.

import type { DType, Operator, Tensor } from '../../graph';

interface Signature {
  input: DType | undefined;
  filter: DType | undefined;
  output: DType | undefined;
  perChannel: boolean;
}

function signatureOf(op: Operator, tensors: readonly Tensor[]): Signature {
  const at = (list: number[], k: number): Tensor | undefined => (k < list.length && list[k] >= 0 ? tensors[list[k]] : undefined);
  const filter = at(op.inputs, 1);
  return {
    input: at(op.inputs, 0)?.dtype,
    filter: filter?.dtype,
    output: at(op.outputs, 0)?.dtype,
    perChannel: (filter?.quantization?.scale.length ?? 0) > 1,
  };
}

/**
 * The version the converter would give `op` with its current tensor types. Ops outside the table
 * keep the version they have (the reader's, or 1 for a new op).
 */
export function opVersion(op: Operator, tensors: readonly Tensor[]): number {
  if (op.custom) return op.version;
  const s = signatureOf(op, tensors);
  const int8 = s.input === 'int8';
  const hybrid = s.input === 'float32' && s.filter === 'int8' && s.output === 'float32';
  const opt = op.options;
  switch (op.opType) {
    case 'CONV_2D':
      if (int8 && s.filter === 'int8' && s.output === 'int8') return 3;
      if (int8 && s.filter === 'int4') return 7;
      if (s.input === 'int16' && s.filter === 'int16') return 4;
      if (hybrid) return s.perChannel ? 5 : 2;
      return 1;
    case 'DEPTHWISE_CONV_2D':
      if (s.input === 'int16' && s.filter === 'int16') return 5;
      if (hybrid) return s.perChannel ? 6 : 4;
      if (int8 && s.filter === 'int8' && s.output === 'int8') return 3;
      if (int8 && s.filter === 'int4') return 7;
      return opt.dilationW !== undefined && (opt.dilationW !== 1 || opt.dilationH !== 1) ? 2 : 1;
    case 'FULLY_CONNECTED':
      if (hybrid && s.perChannel) return 12;
      if (s.input === 'int16' && s.filter === 'int16') return 7;
      if (op.inputs.length === 2) return 6;
      if (opt.keepNumDims === true) return 5;
      if (int8 && s.filter === 'int8' && s.output === 'int8') return 4;
      if (int8 && s.filter === 'int4') return 10;
      if (hybrid) return opt.asymmetricQuantizeInputs === true ? 9 : 3;
      return opt.weightsFormat === 'SHUFFLED4x16INT8' ? 2 : 1;
    case 'AVERAGE_POOL_2D':
    case 'MAX_POOL_2D':
    case 'LOGISTIC':
    case 'TANH':
      if (s.input === 'int16' && s.output === 'int16') return 3;
      return int8 ? 2 : 1;
    case 'SOFTMAX':
    case 'MEAN':
    case 'RELU6':
    case 'CONCATENATION':
    case 'PAD':
      if (s.input === 'int16') return 3;
      return int8 ? 2 : 1;
    case 'RELU':
      if (s.input === 'int16') return 3;
      return int8 || s.input === 'uint8' ? 2 : 1;
    case 'ADD':
    case 'SUB':
    case 'MUL':
      return int8 ? 2 : Math.max(1, op.version);
    case 'QUANTIZE':
      if (s.input === 'int4' || s.output === 'int4') return 4;
      return s.output === 'int16' ? 2 : 1;
    case 'DEQUANTIZE':
      if (s.input === 'int4') return 6;
      if (s.input === 'int16' || s.input === 'float16') return 3;
      if (s.input === 'int8') return (tensors[op.inputs[0]]?.quantization?.scale.length ?? 0) > 1 ? 5 : 2;
      return 1;
    case 'RESHAPE':
      return Math.max(1, op.version);
    default:
      return Math.max(1, op.version);
  }
}
