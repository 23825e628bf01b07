// The ONNX engine's kernels by op type: one explicit table, so an op the engine cannot run is
// named before anything is allocated.

import type { OnnxKernel } from './context';
import { clip, hardSwish, leakyRelu, relu, sigmoid, tanh } from './ops/activation';
import { add, div, mul, sub } from './ops/binary';
import { conv, convInteger, qlinearConv } from './ops/conv';
import { concat, dropout, flatten, identity, pad, reshape, squeeze, transpose, unsqueeze } from './ops/layout';
import { gemm, matMul, matMulInteger, qlinearMatMul } from './ops/matmul';
import { batchNormalization, reduceMean, softmax } from './ops/normalize';
import { averagePool, globalAveragePool, globalMaxPool, maxPool } from './ops/pool';
import { dequantizeLinear, quantizeLinear } from './ops/quantizeLinear';

export const ONNX_KERNELS: Readonly<Record<string, OnnxKernel>> = {
  Add: add,
  AveragePool: averagePool,
  BatchNormalization: batchNormalization,
  Clip: clip,
  Concat: concat,
  Conv: conv,
  ConvInteger: convInteger,
  DequantizeLinear: dequantizeLinear,
  Div: div,
  Dropout: dropout,
  Flatten: flatten,
  Gemm: gemm,
  GlobalAveragePool: globalAveragePool,
  GlobalMaxPool: globalMaxPool,
  HardSwish: hardSwish,
  Identity: identity,
  LeakyRelu: leakyRelu,
  MatMul: matMul,
  MatMulInteger: matMulInteger,
  MaxPool: maxPool,
  Mul: mul,
  Pad: pad,
  QLinearConv: qlinearConv,
  QLinearMatMul: qlinearMatMul,
  QuantizeLinear: quantizeLinear,
  ReduceMean: reduceMean,
  Relu: relu,
  Reshape: reshape,
  Sigmoid: sigmoid,
  Softmax: softmax,
  Squeeze: squeeze,
  Sub: sub,
  Tanh: tanh,
  Transpose: transpose,
  Unsqueeze: unsqueeze,
};

export function onnxKernelFor(opType: string): OnnxKernel | undefined {
  return Object.prototype.hasOwnProperty.call(ONNX_KERNELS, opType) ? ONNX_KERNELS[opType] : undefined;
}

export function supportedOnnxOps(): string[] {
  return Object.keys(ONNX_KERNELS).sort();
}
