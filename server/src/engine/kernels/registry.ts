// The engine's kernels, keyed by TFLite builtin name: one explicit table, as TFLM's
// MicroMutableOpResolver, so an op the engine cannot run is known before anything is allocated.

import { add } from './add';
import { averagePool2d } from './averagePool2d';
import { conv2d } from './conv2d';
import { depthwiseConv2d } from './depthwiseConv2d';
import { dequantize } from './dequantize';
import { fullyConnected } from './fullyConnected';
import type { Kernel } from './kernel';
import { maxPool2d } from './maxPool2d';
import { quantize } from './quantize';
import { reshape } from './reshape';
import { softmax } from './softmax';

export const KERNELS: Readonly<Record<string, Kernel>> = {
  ADD: add,
  AVERAGE_POOL_2D: averagePool2d,
  CONV_2D: conv2d,
  DEPTHWISE_CONV_2D: depthwiseConv2d,
  DEQUANTIZE: dequantize,
  FULLY_CONNECTED: fullyConnected,
  MAX_POOL_2D: maxPool2d,
  QUANTIZE: quantize,
  RESHAPE: reshape,
  SOFTMAX: softmax,
};

export function kernelFor(opType: string): Kernel | undefined {
  return Object.prototype.hasOwnProperty.call(KERNELS, opType) ? KERNELS[opType] : undefined;
}

export function supportedOps(): string[] {
  return Object.keys(KERNELS).sort();
}
