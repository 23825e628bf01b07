// TFLM's CMSIS-NN kernels (tensorflow/lite/micro/kernels/cmsis_nn/*.cc, OPTIMIZED_KERNEL_DIR=
// cmsis_nn) as arena data: their larger op data and the scratch buffers they size with
// CMSIS-NN's arm_*_get_buffer_size. Ops without a cmsis_nn file keep the reference model.

import type { Tensor } from '../../model/graph';
import { intArrayBytes, sizeOf, tflmElementBytes } from './tflmTypes';
import {
  avgpoolBufferSize,
  convolveWrapperS16BufferSize,
  convolveWrapperS8BufferSize,
  depthwiseConvWrapperS4BufferSize,
  depthwiseConvWrapperS8BufferSize,
  fullyConnectedS8BufferSize,
  svdfS8BufferSize,
  type CmsisTarget,
  type NnDims,
} from './cmsisNnBufferSizes';
import {
  KERNELS,
  dim,
  lstmScratchBytes,
  lstmTemps,
  perChannelArrays,
  windowPadding,
  type KernelModel,
  type KernelStep,
} from './kernelPersistence';

const isQuantizedType = (t: Tensor | undefined): boolean => t?.dtype === 'int8' || t?.dtype === 'int16';

/** IsConstantTensor: the tensor's data lives in the flatbuffer. */
const isConstant = (t: Tensor | undefined): boolean => t?.data !== undefined && t.data.length > 0;

function scratchIfPositive(bytes: number): KernelStep[] {
  return bytes > 0 ? [{ kind: 'scratch', bytes }] : [];
}

/** The CMSIS-NN kernel models for one core extension. */
export function cmsisNnKernels(target: CmsisTarget): Readonly<Record<string, KernelModel>> {
  // conv.cc Prepare: input, filter, output, then "bias" fetched as output 2 (absent on a
  // one-output node, so never a temp); per-channel arrays for int8/int16 only; then
  // CalculateOpDataConv's temps; then the arm_convolve_wrapper_s{8,16} scratch buffer.
  const conv: KernelModel = {
    params: 'TfLiteConvParams',
    opData: 'CmsisNnOpDataConv',
    prepare(k) {
      const input = k.input(0);
      const filter = k.input(1);
      const output = k.output(0);
      const steps = k.temps([
        ['in', 0],
        ['in', 1],
        ['out', 0],
        ['out', 2],
      ]);
      if (isQuantizedType(input)) steps.push(...perChannelArrays(dim(filter, 0), 'CONV_2D'));
      steps.push(
        ...k.temps([
          ['in', 0],
          ['in', 1],
          ['in', 2],
          ['out', 0],
        ]),
      );
      const inDims: NnDims = { n: dim(input, 0), h: dim(input, 1), w: dim(input, 2), c: dim(input, 3) };
      const filterDims: NnDims = { n: 1, h: dim(filter, 1), w: dim(filter, 2), c: dim(filter, 3) };
      const outDims: NnDims = { n: dim(output, 0), h: dim(output, 1), w: dim(output, 2), c: dim(output, 3) };
      const g = windowPadding(k, inDims.h, inDims.w, filterDims.h, filterDims.w);
      if (input?.dtype === 'int8') {
        // Asked of the s8 wrapper whatever the filter type (int4 filters included).
        steps.push(...scratchIfPositive(convolveWrapperS8BufferSize(target, g, inDims, filterDims, outDims)));
      } else if (input?.dtype === 'int16') {
        // conv.cc gates int16 on an int64 or absent bias, but reads the bias type from that
        // absent output 2 (kTfLiteNoType), so int16 always asks for the buffer.
        steps.push(...scratchIfPositive(convolveWrapperS16BufferSize(target, inDims, filterDims)));
      }
      return steps;
    },
  };

  // depthwise_conv.cc Prepare: per-channel arrays for int8/int16, CalculateOpDataDepthwiseConv,
  // then for int8 input the arm_depthwise_conv_wrapper_s8 (or _s4) scratch buffer. The int16
  // path requests none.
  const depthwise: KernelModel = {
    params: 'TfLiteDepthwiseConvParams',
    opData: 'CmsisNnOpDataConv',
    prepare(k) {
      const input = k.input(0);
      const filter = k.input(1);
      const output = k.output(0);
      const steps = k.temps([
        ['in', 0],
        ['in', 1],
        ['out', 0],
      ]);
      if (isQuantizedType(input)) steps.push(...perChannelArrays(dim(filter, 3), 'DEPTHWISE_CONV_2D'));
      steps.push(
        ...k.temps([
          ['in', 0],
          ['in', 1],
          ['in', 2],
          ['out', 0],
        ]),
      );
      if (input?.dtype === 'int8') {
        const inDims: NnDims = { n: dim(input, 0), h: dim(input, 1), w: dim(input, 2), c: dim(input, 3) };
        const filterDims: NnDims = { n: 1, h: dim(filter, 1), w: dim(filter, 2), c: dim(output, 3) };
        const outDims: NnDims = { n: dim(output, 0), h: dim(output, 1), w: dim(output, 2), c: dim(output, 3) };
        const g = windowPadding(k, inDims.h, inDims.w, filterDims.h, filterDims.w);
        const bytes =
          filter?.dtype === 'int4'
            ? depthwiseConvWrapperS4BufferSize(target, g, inDims, filterDims, outDims)
            : depthwiseConvWrapperS8BufferSize(target, g, inDims, filterDims, outDims);
        steps.push(...scratchIfPositive(bytes));
      }
      return steps;
    },
  };

  // fully_connected.cc Prepare. int8 with a rank > 2 output and accum_depth % 4 == 0 runs as
  // a 1x1 conv: a per-tensor filter then needs a scratch of output_depth multipliers and shifts
  // (arm_convolve_1x1_s8_fast_get_buffer_size is 0 under GCC). Otherwise
  // arm_fully_connected_s8_get_buffer_size, which TFLM's default KERNELS_OPTIMIZED_FOR_SPEED
  // turns into persistent kernel sums when filter and bias are constant.
  const fullyConnected: KernelModel = {
    params: 'TfLiteFullyConnectedParams',
    opData: 'CmsisNnOpDataFullyConnected',
    prepare(k) {
      const input = k.input(0);
      const filter = k.input(1);
      const bias = k.input(2);
      const output = k.output(0);
      const steps = k.temps([
        ['in', 0],
        ['in', 1],
        ['in', 2],
        ['out', 0],
      ]);
      const channels = filter?.quantization?.scale.length ?? 0;
      const perChannel = input?.dtype !== 'float32' && channels > 1;
      if (perChannel) steps.push(...perChannelArrays(channels, 'FULLY_CONNECTED'));
      if (input?.dtype === 'int8' && filter?.dtype !== 'int4') {
        const outputRank = output?.shape.length ?? 0;
        const accumDepth = dim(filter, -1);
        const outputDepth = dim(output, -1);
        if (outputRank > 2 && accumDepth % 4 === 0) {
          if (!perChannel) steps.push({ kind: 'scratch', bytes: outputDepth * 4 * 2 });
        } else {
          const bytes = fullyConnectedS8BufferSize(target, { n: accumDepth, h: 1, w: 1, c: outputDepth });
          if (bytes > 0 && isConstant(filter) && (bias === undefined || isConstant(bias))) {
            steps.push({ kind: 'persistent', bytes, what: 'FULLY_CONNECTED kernel sums' });
          } else {
            steps.push(...scratchIfPositive(bytes));
          }
        }
      }
      return steps;
    },
  };

  // pooling.cc: MaxPrepare is PoolingPrepare; AveragePrepare takes the temps again and asks
  // arm_avgpool_s{8,16}_get_buffer_size(output width, depth).
  const averagePool: KernelModel = {
    params: 'TfLitePoolParams',
    opData: 'CmsisNnOpDataPooling',
    prepare(k) {
      const steps = k.temps([
        ['in', 0],
        ['out', 0],
        ['in', 0],
        ['out', 0],
      ]);
      if (isQuantizedType(k.input(0))) steps.push(...scratchIfPositive(avgpoolBufferSize(target, dim(k.output(0), 3))));
      return steps;
    },
  };
  const maxPool: KernelModel = {
    params: 'TfLitePoolParams',
    opData: 'CmsisNnOpDataPooling',
    prepare: (k) =>
      k.temps([
        ['in', 0],
        ['out', 0],
      ]),
  };

  // softmax.cc: CalculateSoftmaxParams as the reference (int16 LUTs), larger op data.
  const softmax: KernelModel = { ...KERNELS.SOFTMAX, opData: 'CMSISNNSoftmaxParams' };

  // svdf.cc CmsisNnPrepareSvdf: the reference scratch buffers, plus kernel sums on MVE
  // (persistent under KERNELS_OPTIMIZED_FOR_SPEED).
  const svdf: KernelModel = {
    params: 'TfLiteSVDFParams',
    opData: 'CmsisNnOpDataSvdf',
    prepare(k) {
      const steps = KERNELS.SVDF.prepare(k);
      if (k.input(0)?.dtype === 'int8') {
        const bytes = svdfS8BufferSize(target, { n: dim(k.input(1), 0), h: dim(k.input(1), 1), w: 1, c: 1 });
        if (bytes > 0) steps.push({ kind: 'persistent', bytes, what: 'SVDF kernel sums' });
      }
      return steps;
    },
  };

  // batch_matmul.cc Prepare: the transposed operands and the output dims come before the
  // quantization data here; int8 asks arm_fully_connected_s8_get_buffer_size of the output
  // shape (FillVariableShape puts the last dim in c).
  const batchMatmul: KernelModel = {
    params: 'TfLiteBatchMatMulParams',
    opData: 'CmsisNnOpDataBatchMatmul',
    prepare(k) {
      const lhs = k.input(0);
      const rhs = k.input(1);
      const output = k.output(0);
      const steps = k.temps([
        ['in', 0],
        ['in', 1],
        ['out', 0],
      ]);
      const transposed = (t: Tensor | undefined, which: string): KernelStep[] =>
        t
          ? [
              { kind: 'persistent', bytes: sizeOf('TfLiteEvalTensor', k.pointerBytes), what: `BATCH_MATMUL ${which} tensor` },
              { kind: 'persistent', bytes: intArrayBytes(t.shape.length), what: `BATCH_MATMUL ${which} dims` },
              {
                kind: 'persistent',
                bytes: t.shape.reduce((n, d) => n * Math.max(d, 0), 1) * (tflmElementBytes(t.dtype) ?? 0),
                what: `BATCH_MATMUL ${which} data`,
              },
            ]
          : [];
      if (k.boolOption('adjX')) steps.push(...transposed(lhs, 'lhs'));
      if (!k.boolOption('adjY')) steps.push(...transposed(rhs, 'rhs'));
      steps.push({ kind: 'persistent', bytes: intArrayBytes(output?.shape.length ?? 0), what: 'BATCH_MATMUL dims' });
      if (lhs?.dtype !== 'float32' && rhs?.dtype !== 'float32') {
        // sizeof(QuantizationOpDataBatchMatmul): seven int32.
        steps.push({ kind: 'persistent', bytes: 28, what: 'BATCH_MATMUL quantization' });
        if (lhs?.dtype === 'int8') {
          const c = dim(output, -1);
          steps.push(...scratchIfPositive(fullyConnectedS8BufferSize(target, { n: 1, h: 1, w: 1, c })));
        }
      }
      return steps;
    },
  };

  // unidirectional_sequence_lstm.cc: int8 or int16 activations with an int16 cell state run
  // CMSIS-NN, which keeps eight persistent kernel sums (int32 for int8, int64 for int16) of
  // the state size and needs three scratch buffers; other types fall back with four.
  const lstm: KernelModel = {
    params: 'TfLiteUnidirectionalSequenceLSTMParams',
    opData: 'CmsisNnOpDataLstm',
    prepare(k) {
      const steps = lstmTemps(k);
      const activation = k.input(0)?.dtype;
      const cmsisPath = (activation === 'int8' || activation === 'int16') && k.input(19)?.dtype === 'int16';
      if (cmsisPath) {
        const hidden = dim(k.input(18), 1);
        const biasBytes = activation === 'int8' ? 4 : 8;
        for (let i = 0; i < 8; i++) {
          steps.push({ kind: 'persistent', bytes: hidden * biasBytes, what: 'UNIDIRECTIONAL_SEQUENCE_LSTM kernel sums' });
        }
      }
      const bytes = lstmScratchBytes(k);
      for (let i = 0; i < (cmsisPath ? 3 : 4); i++) steps.push({ kind: 'scratch', bytes });
      return steps;
    },
  };

  return {
    ...KERNELS,
    BATCH_MATMUL: batchMatmul,
    UNIDIRECTIONAL_SEQUENCE_LSTM: lstm,
    CONV_2D: conv,
    DEPTHWISE_CONV_2D: depthwise,
    FULLY_CONNECTED: fullyConnected,
    AVERAGE_POOL_2D: averagePool,
    MAX_POOL_2D: maxPool,
    SOFTMAX: softmax,
    SVDF: svdf,
  };
}
