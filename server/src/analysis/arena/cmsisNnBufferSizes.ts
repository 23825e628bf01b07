// CMSIS-NN's scratch-buffer size functions (arm_*_get_buffer_size), which TFLM's cmsis_nn
// kernels call in Prepare to size their RequestScratchBufferInArena. Modelled from
// ARM-software/CMSIS-NN 4ab83cc3 (the commit TFLM 90b983c2 downloads) for a GCC build; the
// result depends on the core's extension, picked by `CmsisTarget`.

/**
 * Which CMSIS-NN code path the build compiles: `dsp` for ARM_MATH_DSP without MVE (Cortex-M4,
 * M7, M33 with DSP), `mve` for ARM_MATH_MVEI (Cortex-M55, M85), `none` for neither (M0, M3).
 */
export type CmsisTarget = 'dsp' | 'mve' | 'none';

/** cmsis_nn_dims: n, h, w, c. */
export interface NnDims {
  n: number;
  h: number;
  w: number;
  c: number;
}

/** The parts of cmsis_nn_conv_params / cmsis_nn_dw_conv_params the size functions read. */
export interface NnConvGeometry {
  strideW: number;
  strideH: number;
  padW: number;
  padH: number;
  dilationW: number;
  dilationH: number;
}

/** CH_IN_BLOCK_MVE (arm_nnsupportfunctions.h). */
const CH_IN_BLOCK_MVE = 124;
/** REVERSE_TCOL_EFFICIENT_THRESHOLD (arm_nnsupportfunctions.h). */
const REVERSE_TCOL_EFFICIENT_THRESHOLD = 16;
/**
 * CONVERT_DW_CONV_WITH_ONE_INPUT_CH_AND_OUTPUT_CH_ABOVE_THRESHOLD: 8 with Arm Compiler 6,
 * 1 otherwise (this models GCC).
 */
const DW_ONE_IN_CH_THRESHOLD = 1;

/** C integer division (truncates toward zero). */
const idiv = (a: number, b: number): number => Math.trunc(a / b);

/** arm_nn_is_convolve_1x1. */
function isConvolve1x1(g: NnConvGeometry, input: NnDims, filter: NnDims): boolean {
  return (
    g.padW === 0 &&
    g.padH === 0 &&
    filter.w === 1 &&
    filter.h === 1 &&
    g.dilationW === 1 &&
    g.dilationH === 1 &&
    input.c === filter.c
  );
}

/** arm_nn_is_convolve_1_x_n. */
function isConvolve1xN(g: NnConvGeometry, input: NnDims, filter: NnDims): boolean {
  return (
    input.h === 1 && g.dilationW === 1 && filter.h === 1 && (g.strideW * input.c) % 4 === 0 && input.c === filter.c
  );
}

/** arm_convolve_s8_get_buffer_size (non-MVE): two int16 im2col columns, rounded up to 4. */
function convolveS8BufferSize(input: NnDims, filter: NnDims): number {
  const rhsCols = filter.w * filter.h * input.c;
  const remainder = rhsCols % 4;
  const aligned = remainder !== 0 ? rhsCols + 4 - remainder : rhsCols;
  return 2 * aligned * 2;
}

/** arm_convolve_s8_get_buffer_size_mve: four im2col buffers of whole 16-byte lanes. */
function convolveS8BufferSizeMve(input: NnDims, filter: NnDims): number {
  const lanes = idiv(input.c * filter.w * filter.h + 15, 16);
  return 4 * lanes * 16;
}

/** arm_convolve_1_x_n_s8_get_buffer_size_mve. */
function convolve1xNS8BufferSizeMve(g: NnConvGeometry, input: NnDims, filter: NnDims, output: NnDims): number {
  const totalPad = (output.w - 1) * g.strideW + filter.w - input.w;
  const asymPad = totalPad % 2;
  const rightPadNum = g.padW + asymPad !== 0 ? Math.max(1, idiv(g.padW + asymPad + g.strideW - 1, g.strideW)) : 0;
  const leftPadNum = g.padW !== 0 ? Math.max(1, idiv(g.padW + g.strideW - 1, g.strideW)) : 0;
  const noPadNum = Math.max(output.w - (rightPadNum + leftPadNum), 0);
  if (rightPadNum + noPadNum + leftPadNum !== output.w) return convolveS8BufferSizeMve(input, filter);
  const padSizeLeft = g.padW * input.c;
  const padSizeRight = asymPad ? rightPadNum * input.c : padSizeLeft;
  const numElemLeft = filter.w * input.c;
  const numElemRight = numElemLeft - input.c;
  return Math.max(numElemLeft + padSizeLeft, numElemRight + padSizeRight);
}

/**
 * arm_convolve_wrapper_s8_get_buffer_size (and its _dsp / _mve variants). A 1x1 conv needs no
 * buffer: the strided path never does, and the unit-stride (arm_nn_is_convolve_1x1_fast) path
 * does only with Arm Compiler 6 on DSP cores (arm_convolve_1x1_s8_fast_get_buffer_size_dsp).
 */
export function convolveWrapperS8BufferSize(
  target: CmsisTarget,
  g: NnConvGeometry,
  input: NnDims,
  filter: NnDims,
  output: NnDims,
): number {
  if (isConvolve1x1(g, input, filter)) return 0;
  if (target === 'mve') {
    if (isConvolve1xN(g, input, filter)) return convolve1xNS8BufferSizeMve(g, input, filter, output);
    return convolveS8BufferSizeMve(input, filter);
  }
  // arm_convolve_1_x_n_s8_get_buffer_size without MVE is arm_convolve_s8_get_buffer_size.
  return convolveS8BufferSize(input, filter);
}

/** arm_convolve_wrapper_s4_get_buffer_size. */
export function convolveWrapperS4BufferSize(
  target: CmsisTarget,
  g: NnConvGeometry,
  input: NnDims,
  filter: NnDims,
  output: NnDims,
): number {
  if (isConvolve1x1(g, input, filter)) return 0;
  const cols = input.c * filter.w * filter.h;
  if (target === 'mve') {
    const mve = 4 * idiv(cols + 15, 16) * 16;
    if (!isConvolve1xN(g, input, filter)) return mve;
    // arm_convolve_1_x_n_s4_get_buffer_size_mve: a buffer only when the pad split is uneven.
    const totalPad = (output.w - 1) * g.strideW + filter.w - input.w;
    const asymPad = totalPad % 2;
    const right = g.padW + asymPad !== 0 ? Math.max(1, idiv(g.padW + asymPad + g.strideW - 1, g.strideW)) : 0;
    const left = g.padW !== 0 ? Math.max(1, idiv(g.padW + g.strideW - 1, g.strideW)) : 0;
    const none = Math.max(output.w - (right + left), 0);
    return right + none + left !== output.w ? mve : 0;
  }
  return 2 * cols * 2;
}

/** arm_convolve_wrapper_s16_get_buffer_size: two int16 im2col columns (four lanes on MVE). */
export function convolveWrapperS16BufferSize(target: CmsisTarget, input: NnDims, filter: NnDims): number {
  const cols = input.c * filter.w * filter.h;
  if (target === 'mve') return 4 * idiv(cols + 7, 8) * 8 * 2;
  return 2 * cols * 2;
}

/** arm_depthwise_conv_wrapper_s8_get_buffer_size. */
export function depthwiseConvWrapperS8BufferSize(
  target: CmsisTarget,
  g: NnConvGeometry,
  input: NnDims,
  filter: NnDims,
  output: NnDims,
): number {
  const optPath = input.c === output.c && input.n === 1 && g.dilationW === 1 && g.dilationH === 1;
  if (target === 'mve') {
    let size = optPath ? 4 * CH_IN_BLOCK_MVE * filter.w * filter.h : 0;
    if (input.c === 1 && output.c > DW_ONE_IN_CH_THRESHOLD) {
      // arm_deptwise_conv_s8_one_in_ch_get_buffer_size_mve: the op runs as a regular conv
      // with filter dims {c, h, w, n}, plus a copy of the reordered weights.
      const convFilter: NnDims = { n: filter.c, h: filter.h, w: filter.w, c: filter.n };
      const toConv =
        convolveWrapperS8BufferSize('mve', g, input, convFilter, output) + filter.c * filter.h * filter.w * filter.n;
      if (toConv > size) size = toConv;
    }
    return size;
  }
  if (!optPath) return 0;
  // The 3x3 kernel with padding <= 1 runs arm_depthwise_conv_3x3_s8, which needs no buffer.
  if (filter.w === 3 && filter.h === 3 && g.padH <= 1 && g.padW <= 1) return 0;
  // arm_depthwise_conv_s8_opt_get_buffer_size: DSP only.
  return target === 'dsp' ? input.c * filter.w * filter.h * 2 : 0;
}

/** arm_depthwise_conv_wrapper_s4_get_buffer_size (the non-MVE opt size is the DSP one). */
export function depthwiseConvWrapperS4BufferSize(
  target: CmsisTarget,
  g: NnConvGeometry,
  input: NnDims,
  filter: NnDims,
  output: NnDims,
): number {
  if (!(input.c === output.c && input.n === 1 && g.dilationW === 1 && g.dilationH === 1)) return 0;
  return target === 'mve' ? 4 * CH_IN_BLOCK_MVE * filter.w * filter.h : input.c * filter.w * filter.h * 2;
}

/** arm_fully_connected_s8_get_buffer_size: kernel sums of the output channels on MVE. */
export function fullyConnectedS8BufferSize(target: CmsisTarget, filter: NnDims): number {
  return target === 'mve' ? filter.c * 4 : 0;
}

/** arm_avgpool_s8_get_buffer_size / arm_avgpool_s16_get_buffer_size: one int32 per channel on DSP. */
export function avgpoolBufferSize(target: CmsisTarget, channels: number): number {
  return target === 'dsp' ? channels * 4 : 0;
}

/** arm_svdf_s8_get_buffer_size: kernel sums of the filters on MVE. */
export function svdfS8BufferSize(target: CmsisTarget, weightsFeature: NnDims): number {
  return target === 'mve' ? weightsFeature.n * 4 : 0;
}

/** arm_transpose_conv_s8_get_buffer_size. */
export function transposeConvS8BufferSize(
  target: CmsisTarget,
  strideW: number,
  strideH: number,
  input: NnDims,
  filter: NnDims,
  output: NnDims,
): number {
  if (strideW <= 2 && strideH <= 2 && input.c > REVERSE_TCOL_EFFICIENT_THRESHOLD) {
    const reversed: NnDims = { n: input.n, h: input.h * strideH, w: input.w * strideW, c: input.c };
    return target === 'mve' ? convolveS8BufferSizeMve(reversed, filter) : convolveS8BufferSize(reversed, filter);
  }
  // The column buffer; CMSIS-NN takes MAX(filter w, stride h) here, as written.
  const bufX = ((input.w - 1) * strideW + Math.max(filter.w, strideH)) * output.c;
  const bufY = Math.max(filter.h, strideH);
  return bufX * bufY * 4;
}

/** arm_transpose_conv_s8_get_reverse_conv_buffer_size. */
export function transposeConvS8ReverseConvBufferSize(
  strideW: number,
  strideH: number,
  input: NnDims,
  filter: NnDims,
): number {
  if (strideW <= 2 && strideH <= 2 && input.c > REVERSE_TCOL_EFFICIENT_THRESHOLD) {
    return input.c * filter.w * filter.h * filter.n;
  }
  return 0;
}
