// CMSIS-NN kernel models (TFLM kernels/cmsis_nn/*.cc) on one-op graphs, with the expected op
// data and scratch buffers derived by hand from the TFLM and CMSIS-NN sources in comments.

import assert from 'node:assert/strict';
import { planTflmArena } from '../../../../server/src/analysis/arena/tflmArena';
import { act, constant, conv16x8, fc16x8, lstmGraph, oneOpGraph } from './opGraphs';

const scratchOf = (r: ReturnType<typeof planTflmArena>) =>
  r.buffers.filter((b) => b.tensorIndex === null).map((b) => b.requestedBytes);
const cmsis = { kernels: 'cmsis-nn' } as const;

const conv = (filterHW: number, padding: 'SAME' | 'VALID') =>
  oneOpGraph(
    'CONV_2D',
    [act([1, 6, 6, 3]), constant([8, filterHW, filterHW, 3], 'int8', 8), constant([8], 'int32', 8)],
    [act([1, 6, 6, 8])],
    { padding, strideW: 1, strideH: 1, dilationW: 1, dilationH: 1 },
  );

describe('cmsisNnKernels', () => {
  it('CONV_2D int8 3x3: im2col scratch from arm_convolve_s8_get_buffer_size', () => {
    // OpData = OpDataConv 56 + buffer_idx = 60; options 28; per-channel arrays 64; one handle 4.
    // rhs_cols = 3 x 3 x 3 = 27, rounded up to 28; 2 columns of int16: 2 x 28 x 2 = 112.
    const r = planTflmArena(conv(3, 'SAME'), cmsis);
    assert.equal(r.persistentBreakdown.opData, 28 + 60 + 64 + 4);
    assert.deepEqual(scratchOf(r), [112]);
    // Helium: four im2col buffers of whole 16-byte lanes: 4 x ceil(27 / 16) x 16 = 128.
    assert.deepEqual(scratchOf(planTflmArena(conv(3, 'SAME'), { ...cmsis, cmsisTarget: 'mve' })), [128]);
  });

  it('CONV_2D int8 1x1 needs no buffer', () => {
    // arm_nn_is_convolve_1x1 (no padding, 1x1 filter, no dilation): 0 under GCC.
    assert.deepEqual(scratchOf(planTflmArena(conv(1, 'VALID'), cmsis)), []);
  });

  it('CONV_2D float32 has no per-channel arrays, unlike the reference kernel', () => {
    const g = oneOpGraph(
      'CONV_2D',
      [act([1, 4, 4, 3], 'float32'), constant([8, 3, 3, 3], 'float32'), constant([8], 'float32')],
      [act([1, 4, 4, 8], 'float32')],
      { padding: 'SAME', strideW: 1, strideH: 1 },
    );
    // Reference: 28 + 56 + 64 = 148; CMSIS-NN: 28 + 60.
    assert.equal(planTflmArena(g).persistentBreakdown.opData, 148);
    assert.equal(planTflmArena(g, cmsis).persistentBreakdown.opData, 88);
  });

  it('CONV_2D 16x8: arm_convolve_wrapper_s16 scratch', () => {
    // 28 + 60 + 64 + handle 4 = 156. DSP: 2 x (3 x 3 x 3) x 2 = 108.
    // MVE: 4 x ceil(27 / 8) x 8 x 2 = 256.
    const r = planTflmArena(conv16x8(), cmsis);
    assert.equal(r.persistentBreakdown.opData, 156);
    assert.deepEqual(scratchOf(r), [108]);
    assert.deepEqual(scratchOf(planTflmArena(conv16x8(), { ...cmsis, cmsisTarget: 'mve' })), [256]);
  });

  const depthwise = (filterHW: number) =>
    oneOpGraph(
      'DEPTHWISE_CONV_2D',
      [act([1, 8, 8, 4]), constant([1, filterHW, filterHW, 4], 'int8', 4), constant([4], 'int32', 4)],
      [act([1, 8, 8, 4])],
      { padding: 'SAME', strideW: 1, strideH: 1, depthMultiplier: 1, dilationW: 1, dilationH: 1 },
    );

  it('DEPTHWISE_CONV_2D int8: 3x3 with padding 1 runs without a buffer, 5x5 needs one', () => {
    // SAME, stride 1: padding (3 - 1) / 2 = 1 -> arm_depthwise_conv_3x3_s8, no buffer.
    assert.deepEqual(scratchOf(planTflmArena(depthwise(3), cmsis)), []);
    // 5x5: arm_depthwise_conv_s8_opt_get_buffer_size_dsp = 4 channels x 25 x int16 = 200.
    // Options 28 + op data 60 + arrays 2 x 16 + handle 4 = 124.
    const r = planTflmArena(depthwise(5), cmsis);
    assert.deepEqual(scratchOf(r), [200]);
    assert.equal(r.persistentBreakdown.opData, 124);
    // Without DSP or MVE the plain kernel needs none.
    assert.deepEqual(scratchOf(planTflmArena(depthwise(5), { ...cmsis, cmsisTarget: 'none' })), []);
  });

  it('FULLY_CONNECTED: larger op data; a rank-3 int8 output runs as a 1x1 conv', () => {
    // OpData = OpDataFullyConnected 48 + two indices, kernel_sums, three int32 = 72; options 5.
    assert.equal(planTflmArena(fc16x8(), cmsis).persistentBreakdown.opData, 77);
    // [1,2,8] x [4,8]: accum_depth 8 % 4 == 0 and rank 3, per-tensor filter: a scratch of
    // output_depth 4 x int32 x 2 = 32 fakes per-channel quantization.
    const g = oneOpGraph('FULLY_CONNECTED', [act([1, 2, 8]), constant([4, 8], 'int8', 1)], [act([1, 2, 4])], {
      keepNumDims: true,
    });
    assert.deepEqual(scratchOf(planTflmArena(g, cmsis)), [32]);
    // MVE on a rank-2 output: kernel sums (output_depth x int32 = 8) kept persistent under
    // KERNELS_OPTIMIZED_FOR_SPEED because filter and bias are constant: 5 + 72 + 8.
    const flat = oneOpGraph('FULLY_CONNECTED', [act([1, 4]), constant([2, 4], 'int8', 1)], [act([1, 2])]);
    assert.equal(planTflmArena(flat, { ...cmsis, cmsisTarget: 'mve' }).persistentBreakdown.opData, 85);
  });

  it('AVERAGE_POOL_2D int8: one int32 per channel on DSP', () => {
    // OpData = OpDataPooling 32 + buffer_idx = 36; options 40; handle 4. Depth 8 x 4 = 32.
    const g = oneOpGraph('AVERAGE_POOL_2D', [act([1, 4, 4, 8])], [act([1, 2, 2, 8])], {
      padding: 'VALID',
      strideW: 2,
      strideH: 2,
      filterWidth: 2,
      filterHeight: 2,
    });
    const r = planTflmArena(g, cmsis);
    assert.deepEqual(scratchOf(r), [32]);
    assert.equal(r.persistentBreakdown.opData, 80);
    assert.deepEqual(scratchOf(planTflmArena(g, { ...cmsis, cmsisTarget: 'mve' })), []);
  });

  it('SOFTMAX int16: CMSISNNSoftmaxParams adds num_rows and row_size', () => {
    // 4 + (56 + 8) + 2 x 1026 = 2120.
    const r = planTflmArena(oneOpGraph('SOFTMAX', [act([1, 10], 'int16')], [act([1, 10], 'int16')]), cmsis);
    assert.equal(r.persistentBreakdown.opData, 2120);
  });

  it('BATCH_MATMUL int8: dims before quantization data, kernel sums scratch on MVE', () => {
    // 3 + OpData (16 + cmsis_nn_dims 16 + int 4 = 36) + RHS copy 12 + 16 + 12 + output dims 16
    // + quantization 28 = 123. MVE: arm_fully_connected_s8_get_buffer_size = 4 x 4 = 16.
    const g = oneOpGraph('BATCH_MATMUL', [act([1, 2, 3]), constant([1, 3, 4], 'int8', 1)], [act([1, 2, 4])]);
    assert.equal(planTflmArena(g, cmsis).persistentBreakdown.opData, 123);
    assert.deepEqual(scratchOf(planTflmArena(g, { ...cmsis, cmsisTarget: 'mve' })), [16]);
  });

  it('UNIDIRECTIONAL_SEQUENCE_LSTM int8: kernel sums and three scratch buffers', () => {
    // OpData = OpDataLSTM 688 + cmsis_nn_lstm_params (15 int32 + 4 x 40-byte gates = 220)
    // = 908 -> 912 (8-aligned). Eight int32 kernel sums of hidden size 4: 8 x 16 = 128.
    // Three handles 12. 16 + 912 + 128 + 12 = 1068.
    const r = planTflmArena(lstmGraph(), cmsis);
    assert.equal(r.persistentBreakdown.opData, 1068);
    assert.deepEqual(scratchOf(r), [8, 8, 8]);
  });
});
