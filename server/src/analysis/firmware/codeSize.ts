// What TFLM itself adds to flash beside the model: an estimate kept as data with its basis, so
// flash-over-budget can say how it counted. No measured figure exists for every op and board;
// these are deliberately round numbers from published statements, shown as "~" in messages.

export interface CodeSizeEstimate {
  /** The interpreter, allocator, planner, flatbuffer reader and logging. */
  frameworkBytes: number;
  /** An average kernel (reference or optimized) with its parsing and helpers. */
  perKernelBytes: number;
  basis: string;
}

export const TFLM_CODE_SIZE: CodeSizeEstimate = {
  frameworkBytes: 20 * 1024,
  perKernelBytes: 3 * 1024,
  basis:
    'estimate: ~20 KiB of TFLM core ("works with as little as 20 KB of flash", Warden & Situnayake, TinyML, O\'Reilly 2019, ch. 17) ' +
    'plus ~3 KiB per registered kernel (TFLM builds run 20-50 KiB for typical op sets)',
};

/** Estimated TFLM code bytes for a build that registers `kernelCount` kernels. */
export function tflmCodeBytes(kernelCount: number): number {
  return TFLM_CODE_SIZE.frameworkBytes + kernelCount * TFLM_CODE_SIZE.perKernelBytes;
}
