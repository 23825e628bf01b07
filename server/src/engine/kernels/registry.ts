// The engine's kernels, keyed by TFLite builtin name: one explicit table, as TFLM's
// MicroMutableOpResolver, so an op the engine cannot run is known before anything is allocated.

import { add } from './add';
import { averagePool2d } from './averagePool2d';
import { concatenation } from './concatenation';
import { conv2d } from './conv2d';
import { depthwiseConv2d } from './depthwiseConv2d';
import { dequantize } from './dequantize';
import { expandDims } from './expandDims';
import { fullyConnected } from './fullyConnected';
import { hardSwish } from './hardSwish';
import type { Kernel } from './kernel';
import { leakyRelu } from './leakyRelu';
import { logistic } from './logistic';
import { maxPool2d } from './maxPool2d';
import { mean } from './mean';
import { mul } from './mul';
import { pad } from './pad';
import { quantize } from './quantize';
import { relu } from './relu';
import { relu6 } from './relu6';
import { reshape } from './reshape';
import { softmax } from './softmax';
import { squeeze } from './squeeze';
import { stridedSlice } from './stridedSlice';
import { sub } from './sub';
import { svdf } from './svdf';
import { tanh } from './tanh';
import { transpose } from './transpose';
import { unidirectionalSequenceLstm } from './unidirectionalSequenceLstm';

export const KERNELS: Readonly<Record<string, Kernel>> = {
  ADD: add,
  AVERAGE_POOL_2D: averagePool2d,
  CONCATENATION: concatenation,
  CONV_2D: conv2d,
  DEPTHWISE_CONV_2D: depthwiseConv2d,
  DEQUANTIZE: dequantize,
  EXPAND_DIMS: expandDims,
  FULLY_CONNECTED: fullyConnected,
  HARD_SWISH: hardSwish,
  LEAKY_RELU: leakyRelu,
  LOGISTIC: logistic,
  MAX_POOL_2D: maxPool2d,
  MEAN: mean,
  MUL: mul,
  PAD: pad,
  PADV2: pad,
  QUANTIZE: quantize,
  RELU: relu,
  RELU6: relu6,
  RESHAPE: reshape,
  SOFTMAX: softmax,
  SQUEEZE: squeeze,
  STRIDED_SLICE: stridedSlice,
  SUB: sub,
  SVDF: svdf,
  TANH: tanh,
  TRANSPOSE: transpose,
  UNIDIRECTIONAL_SEQUENCE_LSTM: unidirectionalSequenceLstm,
};

export function kernelFor(opType: string): Kernel | undefined {
  return Object.prototype.hasOwnProperty.call(KERNELS, opType) ? KERNELS[opType] : undefined;
}

export function supportedOps(): string[] {
  return Object.keys(KERNELS).sort();
}
