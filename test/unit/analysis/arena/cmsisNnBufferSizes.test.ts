// CMSIS-NN's arm_*_get_buffer_size functions, checked against values worked out by hand from
// the CMSIS-NN 4ab83cc3 sources.

import assert from 'node:assert/strict';
import {
  avgpoolBufferSize,
  convolveWrapperS16BufferSize,
  convolveWrapperS8BufferSize,
  depthwiseConvWrapperS8BufferSize,
  fullyConnectedS8BufferSize,
  svdfS8BufferSize,
  transposeConvS8BufferSize,
} from '../../../../server/src/analysis/arena/cmsisNnBufferSizes';

const geometry = { strideW: 1, strideH: 1, padW: 0, padH: 0, dilationW: 1, dilationH: 1 };
const dims = (n: number, h: number, w: number, c: number) => ({ n, h, w, c });

describe('cmsisNnBufferSizes', () => {
  it('arm_convolve_wrapper_s8: 1x1, 1xN and general paths per target', () => {
    const input = dims(1, 8, 8, 16);
    // 1x1 conv: no buffer on any target (GCC).
    for (const t of ['dsp', 'mve', 'none'] as const) {
      assert.equal(convolveWrapperS8BufferSize(t, geometry, input, dims(1, 1, 1, 16), input), 0);
    }
    // 3x3x16: rhs_cols 144 (already a multiple of 4): 2 x 144 x 2 = 576; MVE 4 x 9 x 16 = 576.
    const g = { ...geometry, padW: 1, padH: 1 };
    assert.equal(convolveWrapperS8BufferSize('dsp', g, input, dims(1, 3, 3, 16), input), 576);
    assert.equal(convolveWrapperS8BufferSize('none', g, input, dims(1, 3, 3, 16), input), 576);
    // 3x3x3: 27 -> 28: 112; MVE ceil(27 / 16) = 2 lanes: 4 x 2 x 16 = 128.
    const rgb = dims(1, 8, 8, 3);
    assert.equal(convolveWrapperS8BufferSize('dsp', g, rgb, dims(1, 3, 3, 3), rgb), 112);
    assert.equal(convolveWrapperS8BufferSize('mve', g, rgb, dims(1, 3, 3, 3), rgb), 128);
    // 1xN on MVE, input [1,1,10,4], kernel 1x3, pad 1, output width 10: total pad 2, even;
    // left/right 1 column each; max(3 x 4 + 4, 2 x 4 + 4) = 16.
    const row = dims(1, 1, 10, 4);
    const g1xn = { ...geometry, padW: 1 };
    assert.equal(convolveWrapperS8BufferSize('mve', g1xn, row, dims(1, 1, 3, 4), dims(1, 1, 10, 4)), 16);
    assert.equal(convolveWrapperS8BufferSize('dsp', g1xn, row, dims(1, 1, 3, 4), dims(1, 1, 10, 4)), 48);
  });

  it('arm_convolve_wrapper_s16', () => {
    // 2 x (3 x 3 x 5) x 2 = 180; MVE 4 x ceil(45 / 8) x 8 x 2 = 384.
    assert.equal(convolveWrapperS16BufferSize('dsp', dims(1, 4, 4, 5), dims(1, 3, 3, 5)), 180);
    assert.equal(convolveWrapperS16BufferSize('mve', dims(1, 4, 4, 5), dims(1, 3, 3, 5)), 384);
  });

  it('arm_depthwise_conv_wrapper_s8', () => {
    const input = dims(1, 8, 8, 10);
    // 3x3, padding <= 1: the 3x3 kernel, no buffer (DSP); MVE always 4 x 124 x 9 = 4464.
    const g = { ...geometry, padW: 1, padH: 1 };
    assert.equal(depthwiseConvWrapperS8BufferSize('dsp', g, input, dims(1, 3, 3, 10), input), 0);
    assert.equal(depthwiseConvWrapperS8BufferSize('mve', g, input, dims(1, 3, 3, 10), input), 4464);
    // 5x5: 10 x 25 x 2 = 500 on DSP; none without DSP; channel multiplier 2 (c_in != c_out): 0.
    assert.equal(depthwiseConvWrapperS8BufferSize('dsp', g, input, dims(1, 5, 5, 10), input), 500);
    assert.equal(depthwiseConvWrapperS8BufferSize('none', g, input, dims(1, 5, 5, 10), input), 0);
    assert.equal(depthwiseConvWrapperS8BufferSize('dsp', g, input, dims(1, 5, 5, 20), dims(1, 8, 8, 20)), 0);
  });

  it('fully connected, average pool and SVDF buffers', () => {
    assert.equal(fullyConnectedS8BufferSize('dsp', dims(16, 1, 1, 10)), 0);
    assert.equal(fullyConnectedS8BufferSize('mve', dims(16, 1, 1, 10)), 40);
    assert.equal(avgpoolBufferSize('dsp', 12), 48);
    assert.equal(avgpoolBufferSize('mve', 12), 0);
    assert.equal(avgpoolBufferSize('none', 12), 0);
    assert.equal(svdfS8BufferSize('dsp', dims(64, 10, 1, 1)), 0);
    assert.equal(svdfS8BufferSize('mve', dims(64, 10, 1, 1)), 256);
  });

  it('arm_transpose_conv_s8', () => {
    // 8 input channels (<= 16): column buffer ((4 - 1) x 2 + max(3, 2)) x 6 x max(3, 2) x 4 = 648.
    assert.equal(transposeConvS8BufferSize('dsp', 2, 2, dims(1, 4, 4, 8), dims(6, 3, 3, 8), dims(1, 8, 8, 6)), 648);
    // 32 channels, stride 2: reverse conv on an 8x8 input: 2 x (3 x 3 x 32) x 2 = 1152.
    assert.equal(transposeConvS8BufferSize('dsp', 2, 2, dims(1, 4, 4, 32), dims(6, 3, 3, 32), dims(1, 8, 8, 6)), 1152);
  });
});
