// Reference-kernel models on one-op graphs. Each expected figure is derived by hand from the
// TFLM 90b983c2 source in the comment beside it; `opData` is the tail the kernel causes:
// builtin options (parse function) + op data (Init) + Prepare's persistent buffers + one
// 4-byte ScratchBufferHandle per scratch request (32-bit ARM, short enums), before padding.

import assert from 'node:assert/strict';
import { planTflmArena } from '../../../../server/src/analysis/arena/tflmArena';
import { act, constant, conv16x8, fc16x8, lstmGraph, oneOpGraph } from './opGraphs';

const scratchOf = (r: ReturnType<typeof planTflmArena>) =>
  r.buffers.filter((b) => b.tensorIndex === null).map((b) => b.requestedBytes);

describe('kernelPersistence (reference kernels)', () => {
  it('MEAN int8: options, OpDataReduce and three scratch buffers', () => {
    // ParseReducer: TfLiteReducerParams {bool keep_dims} = 1. InitReduce: OpDataReduce is 11
    // four-byte fields (multiplier, shift, three scratch indices, input zp/scale, output
    // zp/scale, num_output_elements, num_axis) = 44. PrepareMeanOrSumHelper requests int32
    // accumulators for the 8 output elements (32), the input iterator 4 x rank 4 (16) and the
    // resolved axes 4 x 2 axis entries (8): three handles = 12. 1 + 44 + 12 = 57.
    const r = planTflmArena(
      oneOpGraph('MEAN', [act([1, 4, 4, 8]), constant([2], 'int32')], [act([1, 1, 1, 8])], { keepDims: true }),
    );
    assert.equal(r.persistentBreakdown.opData, 57);
    assert.deepEqual(scratchOf(r), [32, 16, 8]);
    assert.deepEqual(r.unmodeledOps, []);
  });

  it('MEAN float32: no accumulator buffer', () => {
    // Only int8/int16 get accumulators: 1 + 44 + 2 handles (8) = 53; buffers 16 and 8.
    const r = planTflmArena(
      oneOpGraph('MEAN', [act([1, 4, 4, 8], 'float32'), constant([2], 'int32')], [act([1, 1, 1, 8], 'float32')]),
    );
    assert.equal(r.persistentBreakdown.opData, 53);
    assert.deepEqual(scratchOf(r), [16, 8]);
  });

  // Ops whose tail is options + op data only. Each row: op, inputs, outputs, options, opData.
  const simple: [string, Parameters<typeof oneOpGraph>[1], number, string][] = [
    // ParsePad allocates nothing; pad.h OpData = PadParams (int8 @0, int32[5] @4, int8 @24,
    // int32[5] @28, uint8 @48 -> 52) + int32 output_zero_point = 56.
    ['PAD', [act([1, 4, 4, 3]), constant([4, 2], 'int32')], 56, 'OpDataPad'],
    ['PADV2', [act([1, 4, 4, 3]), constant([4, 2], 'int32'), constant([], 'int8', 1)], 56, 'OpDataPad'],
    // transpose.cc has no Init and ParseTranspose allocates nothing.
    ['TRANSPOSE', [act([1, 4, 4, 3]), constant([4], 'int32')], 0, 'nothing'],
    // TfLiteConcatenationParams {int axis; enum activation} = 8; OpData = ConcatenationParams
    // {axis, two pointers, inputs_count, output_zeropoint, output_scale} = 24.
    ['CONCATENATION', [act([1, 2]), act([1, 2])], 32, '8 + 24'],
    // TfLiteStridedSliceParams = 5 ints + bool = 24; StridedSliceParams = 3 x (int8 + int32[5])
    // = 72, five uint16 masks = 82, bool = 83 -> 84. 24 + 84 = 108.
    ['STRIDED_SLICE', [act([1, 8]), constant([2], 'int32'), constant([2], 'int32'), constant([2], 'int32')], 108, '24 + 84'],
    // TfLiteSqueezeParams {int num_squeeze_dims; int squeeze_dims[8]} = 36; no Init.
    ['SQUEEZE', [act([1, 1, 8])], 36, 'options only'],
    // ParseHardSwish allocates nothing; HardSwishParams: int16 x3, int @8, int16 @12, int @16 = 20.
    ['HARD_SWISH', [act([1, 8])], 20, 'HardSwishParams'],
    // TfLiteLeakyReluParams {float alpha} = 4; LeakyReluOpData = six int32 = 24.
    ['LEAKY_RELU', [act([1, 8])], 28, '4 + 24'],
    // tanh.cc OpData = four int32 = 16; ParseTanh allocates nothing.
    ['TANH', [act([1, 8])], 16, 'OpDataTanh'],
    // logistic.cc OpDataLogistic = four int32 = 16.
    ['LOGISTIC', [act([1, 8])], 16, 'OpDataLogistic'],
    // activations.cc ReluOpData (ReluParams: five int32 + two int32) = 28; Relu6OpData = 8.
    ['RELU', [act([1, 8])], 28, 'ReluOpData'],
    ['RELU6', [act([1, 8])], 8, 'Relu6OpData'],
    // TfLiteMulParams {enum activation} = 1; OpDataMul = seven int32 + two floats = 36.
    ['MUL', [act([1, 8]), act([1, 8])], 37, '1 + 36'],
    // TfLiteSubParams {enum activation; bool pot_scale_int16} = 2; OpDataSub = 52.
    ['SUB', [act([1, 8]), act([1, 8])], 54, '2 + 52'],
    // TfLiteAddParams = 2; OpDataAdd: bool + 14 four-byte fields = 60.
    ['ADD', [act([1, 8]), act([1, 8])], 62, '2 + 60'],
    // TfLitePoolParams = 40 (padding enum, 4 ints, enum, TfLitePaddingValues 16); OpDataPooling 32.
    ['MAX_POOL_2D', [act([1, 4, 4, 8])], 72, '40 + 32'],
    ['AVERAGE_POOL_2D', [act([1, 4, 4, 8])], 72, '40 + 32'],
    // TfLitePackParams / TfLiteUnpackParams = two ints; no Init, no Prepare.
    ['PACK', [act([2]), act([2])], 8, 'options only'],
    ['UNPACK', [act([2, 2])], 8, 'options only'],
    // TfLiteShapeParams {TfLiteType out_type} = 1.
    ['SHAPE', [act([1, 8])], 1, 'options only'],
    // TfLiteGatherParams {axis, batch_dims} = 8; no Init.
    ['GATHER', [act([4, 8]), constant([2], 'int32')], 8, 'options only'],
    // TfLiteSplitParams {num_splits} = 4; SplitPrepare only looks at the axis.
    ['SPLIT', [constant([], 'int32'), act([1, 8])], 4, 'options only'],
    // TfLiteResizeNearestNeighborParams = two bools.
    ['RESIZE_NEAREST_NEIGHBOR', [act([1, 2, 2, 3]), constant([2], 'int32')], 2, 'options only'],
    // TfLiteDepthToSpaceParams {block_size} = 4.
    ['DEPTH_TO_SPACE', [act([1, 2, 2, 4])], 4, 'options only'],
    // ParsePrelu allocates nothing; PreluParams = seven int32 = 28.
    ['PRELU', [act([1, 8]), constant([8], 'int8', 1)], 28, 'PreluParams'],
    // exp.cc: no Init, ParseExp allocates nothing.
    ['EXP', [act([1, 8], 'float32')], 0, 'nothing'],
    // TfLiteDivParams = 1; OpDataDiv = seven int32 = 28.
    ['DIV', [act([1, 8], 'float32'), act([1, 8], 'float32')], 29, '1 + 28'],
    // TfLiteCastParams {in, out TfLiteType} = 2; no Init.
    ['CAST', [act([1, 8], 'int32')], 2, 'options only'],
    // maximum_minimum.cc registers neither Init nor Prepare.
    ['MAXIMUM', [act([1, 8]), act([1, 8])], 0, 'nothing'],
    ['MINIMUM', [act([1, 8]), act([1, 8])], 0, 'nothing'],
  ];
  for (const [opType, inputs, expected, why] of simple) {
    it(`${opType}: ${expected} bytes of options and op data (${why})`, () => {
      const r = planTflmArena(oneOpGraph(opType, inputs, [act(inputs[0]?.shape ?? [1])]));
      assert.equal(r.persistentBreakdown.opData, expected);
      assert.deepEqual(scratchOf(r), []);
      assert.deepEqual(r.unmodeledOps, []);
    });
  }

  it('CONCATENATION on a 64-bit host holds two 8-byte pointers', () => {
    // ConcatenationParams: axis 4, pad 4, two pointers 16, three 4-byte fields 12 = 36 -> 40.
    const r = planTflmArena(oneOpGraph('CONCATENATION', [act([1, 2]), act([1, 2])], [act([1, 4])]), {
      pointerBytes: 8,
    });
    assert.equal(r.persistentBreakdown.opData, 8 + 40);
  });

  it('BATCH_MATMUL int8: quantization data, a transposed RHS copy and writable output dims', () => {
    // TfLiteBatchMatMulParams = three bools = 3; OpDataBatchMatmul = three pointers + three
    // bools = 16. InitializeTemporaries: QuantizationOpDataBatchMatmul (seven int32) = 28;
    // adj_y false, so the RHS [1,3,4] is copied: TfLiteEvalTensor 12 + dims (4 + 3 x 4) 16 +
    // 12 data bytes. ReshapeOutputTensor copies the rank-3 output dims: 16.
    // 3 + 16 + 28 + 12 + 16 + 12 + 16 = 103.
    const r = planTflmArena(
      oneOpGraph('BATCH_MATMUL', [act([1, 2, 3]), constant([1, 3, 4], 'int8', 1)], [act([1, 2, 4])]),
    );
    assert.equal(r.persistentBreakdown.opData, 103);
    // adj_x also copies the LHS [1,2,3]: 12 + 16 + 6 more.
    const both = planTflmArena(
      oneOpGraph('BATCH_MATMUL', [act([1, 2, 3]), constant([1, 3, 4], 'int8', 1)], [act([1, 2, 4])], { adjX: true }),
    );
    assert.equal(both.persistentBreakdown.opData, 103 + 12 + 16 + 6);
  });

  it('UNIDIRECTIONAL_SEQUENCE_LSTM int8x8_16: OpDataLSTM and four cell-state scratch buffers', () => {
    // TfLiteUnidirectionalSequenceLSTMParams = enum, two floats, three bools = 16.
    // OpDataLSTM = LstmSizeInfo 20 + CellStateInfo 12 + enum (1, padded) + four GateParameters
    // (2 x 40-byte FullyConnectedParams) 320 -> 356, InterGateParameters (3 x 104-byte
    // ArithmeticParams, 8-aligned) from 360 -> 672, buffer_indices 16 = 688.
    // Four scratch buffers of batch 1 x state 4 x sizeof(int16) = 8 bytes: handles 16.
    // 16 + 688 + 16 = 720. The variable hidden (4 x int8) and cell (4 x int16) states: 12.
    const r = planTflmArena(lstmGraph());
    assert.equal(r.persistentBreakdown.opData, 720);
    assert.equal(r.persistentBreakdown.variable, 12);
    assert.deepEqual(scratchOf(r), [8, 8, 8, 8]);
    assert.deepEqual(r.unmodeledOps, []);
  });

  it('CONV_2D 16x8 and FULLY_CONNECTED 16x8 follow the int8 layout', () => {
    // ConvPrepare always allocates per-channel multipliers and shifts: 8 channels x 4 x 2 = 64;
    // TfLiteConvParams 28 + OpDataConv 56 + 64 = 148.
    const conv = planTflmArena(conv16x8());
    assert.equal(conv.persistentBreakdown.opData, 148);
    assert.deepEqual(scratchOf(conv), []);
    // TfLiteFullyConnectedParams = 5; OpDataFullyConnected = 48; per-tensor filter: 53.
    const fc = planTflmArena(fc16x8());
    assert.equal(fc.persistentBreakdown.opData, 53);
  });

  it('SOFTMAX int16 allocates two 513-entry int16 LUTs', () => {
    // TfLiteSoftmaxParams {float beta} = 4; SoftmaxParams = 56; LUTs 2 x 1026. 4 + 56 + 2052.
    const r = planTflmArena(oneOpGraph('SOFTMAX', [act([1, 10], 'int16')], [act([1, 10], 'int16')]));
    assert.equal(r.persistentBreakdown.opData, 2112);
  });

  it('keeps custom ops (Signal*, ethos-u) as unmodelled', () => {
    const g = oneOpGraph('SignalWindow', [act([1, 8], 'int16')], [act([1, 8], 'int16')]);
    g.subgraphs[0].operators[0].custom = true;
    assert.deepEqual(planTflmArena(g).unmodeledOps, ['SignalWindow']);
  });
});
